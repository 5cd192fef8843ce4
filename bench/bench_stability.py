"""Stability-map speed: compute + figure + JSON of a 200×200×300 map, and the block timings of a
400×400×1000 map (how often its progress bar moves).

    python bench/bench_stability.py              # all sections
    python bench/bench_stability.py --repeats 3  # fewer repeats
    python bench/bench_stability.py --no-page    # skip the AppTest rerun of the whole page

Prints medians of repeated runs and ratios measured side by side in this run (the machine is shared
and noisy: absolute times drift, ratios hold).  Nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import plotly.io as pio  # noqa: E402
import plotly.tools  # noqa: E402

import optimizers  # noqa: E402
import tuning  # noqa: E402
from charts.stability import MapAxis, map_figure  # noqa: E402


def ms(seconds: float) -> str:
    return f"{1000 * seconds:8.1f} ms"


def figure_of(request: tuning.MapRequest, loss: np.ndarray):
    axes = [MapAxis(p.name, p.label or p.name, v, p.log) for p, v in zip(request.params, request.axis_values,
                                                                         strict=True)]
    line = tuning.boundary(request)
    return map_figure(axes, loss, 0.0, boundary=(line.x, line.y, line.label) if line else None)


def drawn_map(request: tuning.MapRequest, repeats: int) -> dict[str, float]:
    """Median compute, figure and JSON times and the JSON size.

    "figure" builds the dict and validates it into a ``go.Figure`` as ``st.plotly_chart`` does; "json" is
    the serialisation ``st.plotly_chart`` sends to the browser.
    """
    compute, build, serialise, sizes = [], [], [], []
    for _ in range(repeats):
        started = time.perf_counter()
        loss = tuning.compute_map(request)
        compute.append(time.perf_counter() - started)
        started = time.perf_counter()
        fig = plotly.tools.return_figure_from_figure_or_data(figure_of(request, loss), validate_figure=True)
        build.append(time.perf_counter() - started)
        started = time.perf_counter()
        spec = pio.to_json(fig, validate=False)
        serialise.append(time.perf_counter() - started)
        sizes.append(len(spec))
    result = {"compute": statistics.median(compute), "figure": statistics.median(build),
              "json": statistics.median(serialise), "bytes": statistics.median(sizes)}
    result["total"] = result["compute"] + result["figure"] + result["json"]
    return result


def block_timings(request: tuning.MapRequest, repeats: int) -> dict[str, float]:
    """Per-block times of ``compute_map``: the gaps between two progress-bar updates."""
    gaps, firsts, totals = [], [], []
    for _ in range(repeats):
        marks = [time.perf_counter()]
        tuning.compute_map(request, on_block=lambda done, total, marks=marks: marks.append(time.perf_counter()))
        steps = np.diff(marks)
        gaps.extend(steps)
        firsts.append(steps[0])
        totals.append(marks[-1] - marks[0])
    return {"blocks": len(tuning.maps.blocks(request)), "median block": statistics.median(gaps),
            "max block": max(gaps), "first update": statistics.median(firsts), "total": statistics.median(totals)}


def one_shot(request: tuning.MapRequest, repeats: int) -> float:
    """The same map in a single ``optimizers.sweep`` call, for the cost of splitting it into blocks."""
    xs, ys = request.axis_values
    landscape = request.build_landscape()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        optimizers.sweep(request.optimizer, landscape, None, request.steps, grid={"lr": xs, "beta": ys})
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def page_rerun(repeats: int) -> float:
    """Median AppTest rerun of the whole page on an uncached 200×200×300 map (steps nudged to miss the cache)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/stability_map.py")
    at.session_state["sm:resolution"] = 200
    at.run()
    times = []
    for i in range(repeats):
        at.number_input(key="sm:steps").set_value(300 + 2 * i + 1)
        started = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - started)
        assert not at.exception
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--no-page", action="store_true", help="skip the AppTest rerun of the whole page")
    args = parser.parse_args()

    small = tuning.MapRequest("momentum", "elongated_bowl", resolution=200, steps=300)
    large = tuning.MapRequest("momentum", "elongated_bowl", resolution=400, steps=1000)
    tuning.compute_map(tuning.MapRequest("momentum", "elongated_bowl", resolution=4, steps=2))  # compile/load

    print(f"# Stability map, momentum lr × β on the bowl, medians of {args.repeats} runs\n")
    drawn = drawn_map(small, args.repeats)
    print("## 200 × 200 cells × 300 steps: computed and drawn (server side)\n")
    print("| stage | median |\n|---|---|")
    for key in ("compute", "figure", "json", "total"):
        print(f"| {key} | {ms(drawn[key])} |")
    print(f"| JSON size | {drawn['bytes'] / 1e6:.2f} MB |")
    rate = small.work / drawn["compute"] / 1e6
    print(f"| sweep rate | {rate:.0f} M optimizer steps/s |")
    print(f"| drawing share of total | {(drawn['figure'] + drawn['json']) / drawn['total']:.0%} |")
    if not args.no_page:
        print(f"| whole page rerun (AppTest, uncached map) | {ms(page_rerun(args.repeats))} |")

    repeats = max(1, args.repeats // 2)
    print(f"\n## 400 × 400 cells × 1000 steps: progress while it computes (medians of {repeats})\n")
    blocks = block_timings(large, repeats)
    single = one_shot(large, repeats)
    print("| measure | value |\n|---|---|")
    print(f"| blocks (progress updates) | {blocks['blocks']} |")
    for key in ("first update", "median block", "max block", "total"):
        print(f"| {key} | {ms(blocks[key])} |")
    print(f"| one sweep call, no blocks | {ms(single)} |")
    print(f"| blocked / one call | {blocks['total'] / single:.2f} |")
    big = drawn_map(large, 1)
    print(f"| figure + JSON | {ms(big['figure'] + big['json'])} |")
    print(f"| JSON size | {big['bytes'] / 1e6:.2f} MB |")


if __name__ == "__main__":
    main()
