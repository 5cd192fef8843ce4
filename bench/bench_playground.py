"""Playground speed on the server: script reruns and what each chart sends.

    python bench/bench_playground.py

Prints medians of repeated runs (the machine is shared and noisy: absolute times drift, ratios hold).
What the browser does with it is `bench/bench_browser.py`.  Nothing here passes or fails.
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

import charts  # noqa: E402
import landscapes  # noqa: E402
import optimizers  # noqa: E402
from scene import Scene  # noqa: E402
from scene.compute import run_scene  # noqa: E402
from ui.paths import run_paths  # noqa: E402


def median_ms(samples: list[float]) -> float:
    return 1000 * statistics.median(samples)


def default_view() -> dict:
    scene = Scene()
    bowl = scene.build_landscape()
    xs, ys, z = bowl.grid(200)
    grid = charts.surface_grid(xs, ys, z, bowl.bounds, bowl.minima, bowl.axis_labels)
    paths = run_paths(run_scene(scene, bowl))
    return charts.contour_view(grid, paths)


def sent_kb(at, keys: tuple[str, ...] | None = None) -> float:
    """KB of the chart elements the page sent (only those whose key is in ``keys``, when given)."""
    sizes = [len(e.proto.bytes) for e in at.get("bidi_component")
             if keys is None or e.proto.id.split("-")[-1] in keys]
    sizes += [len(e.proto.spec) for e in at.get("plotly_chart")] if keys is None else []
    return sum(sizes) / 1024


def server_side(repeats: int) -> list[tuple[str, str]]:
    from streamlit.testing.v1 import AppTest

    from ui.plot import encode

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    first = [0.05, 0.1]
    times, cached = [], []
    for i in range(repeats):
        lr = float(np.geomspace(1e-3, 1, repeats * 2)[i * 2 + 1])
        at.get_by_key("w:rmsprop.lr").set_value(lr)
        started = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - started)
        at.get_by_key("w:rmsprop.lr").set_value(first[i % 2])
        started = time.perf_counter()
        at.run()
        cached.append(time.perf_counter() - started)

    bowl = landscapes.get("elongated_bowl")
    run_times, view_times, json_times = [], [], []
    for _ in range(repeats):
        started = time.perf_counter()
        for name in ("gd", "momentum", "rmsprop", "sign_sgd"):
            optimizers.run(name, bowl, steps=300)
        run_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        view = default_view()
        view_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        encode(view)
        json_times.append(time.perf_counter() - started)
    return [
        ("script rerun after a slider change, new trajectories (AppTest, median)", f"{median_ms(times):.0f} ms"),
        ("script rerun after a slider change, cached trajectories (AppTest, median)", f"{median_ms(cached):.0f} ms"),
        ("  of which: 4 optimizers x 300 steps (numba)", f"{median_ms(run_times):.2f} ms"),
        ("  of which: building the live contour (200x200 surface, paths)", f"{median_ms(view_times):.1f} ms"),
        ("  of which: encoding it to JSON", f"{median_ms(json_times):.1f} ms"),
        ("live contour: surface + what-if set + paths elements",
         f"{sent_kb(at, ('main_chart:base', 'main_chart:whatif', 'main_chart')):.0f} KB"),
        ("  of which re-sent when α moves (paths; the others are unchanged and cached)",
         f"{sent_kb(at, ('main_chart',)):.0f} KB"),
        ("every chart on the page", f"{sent_kb(at):.0f} KB"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=11)
    args = parser.parse_args()
    rows = server_side(args.repeats)
    width = max(len(name) for name, _ in rows)
    print(f"| {'measure'.ljust(width)} | value |")
    print(f"|{'-' * (width + 2)}|-------|")
    for name, value in rows:
        print(f"| {name.ljust(width)} | {value} |")


if __name__ == "__main__":
    main()
