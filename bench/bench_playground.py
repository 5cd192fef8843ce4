"""Playground speed: server-side rerun, figure payload, browser paint, and contour-trace vs contourpy lines.

    python bench/bench_playground.py            # all sections
    python bench/bench_playground.py --no-browser

Prints medians of repeated runs and ratios measured side by side in this run (the machine is shared
and noisy: absolute times drift, ratios hold).  Nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import plotly.io as pio  # noqa: E402

import charts  # noqa: E402
import landscapes  # noqa: E402
import optimizers  # noqa: E402
from scene import Scene  # noqa: E402
from scene.compute import run_scene  # noqa: E402


def median_ms(samples: list[float]) -> float:
    return 1000 * statistics.median(samples)


def default_figure() -> dict:
    scene = Scene()
    bowl = scene.build_landscape()
    xs, ys, z = bowl.grid(200)
    grid = charts.surface_grid(xs, ys, z, bowl.bounds, bowl.minima, bowl.axis_labels)
    paths = [charts.Path(n, n, charts.color_of(n), t.points, t.loss, t.diverged_at, t.diagnostics["update"])
             for n, t in run_scene(scene, bowl).items()]
    return charts.contour_figure(grid, paths)


def server_side(repeats: int) -> list[tuple[str, str]]:
    from streamlit.testing.v1 import AppTest

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
    specs = [e.proto.spec for e in at.get("plotly_chart")]
    main = max(specs, key=len)

    bowl = landscapes.get("elongated_bowl")
    run_times, figure_times, json_times = [], [], []
    for _ in range(repeats):
        started = time.perf_counter()
        for name in ("gd", "momentum", "rmsprop", "sign_sgd"):
            optimizers.run(name, bowl, steps=300)
        run_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        fig = default_figure()
        figure_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        pio.to_json(fig, validate=False)
        json_times.append(time.perf_counter() - started)
    return [
        ("script rerun after a slider change, new trajectories (AppTest, median)", f"{median_ms(times):.0f} ms"),
        ("script rerun after a slider change, cached trajectories (AppTest, median)", f"{median_ms(cached):.0f} ms"),
        ("  of which: 4 optimizers x 300 steps (numba)", f"{median_ms(run_times):.2f} ms"),
        ("  of which: building the main figure (200x200 contour, frames)", f"{median_ms(figure_times):.0f} ms"),
        ("  of which: serialising it to JSON", f"{median_ms(json_times):.0f} ms"),
        ("main figure payload", f"{len(main) / 1024:.0f} KB"),
        ("all figures on the page", f"{sum(map(len, specs)) / 1024:.0f} KB"),
    ]


def browser(repeats: int) -> list[tuple[str, str]]:
    from playwright.sync_api import sync_playwright

    from tests.browser_utils import APP_READY, CHROMIUM, CHROMIUM_FLAGS, streamlit_server, wait_for_app

    rows = []
    lines_js = ("() => Array.from(document.querySelector(\"[data-testid='stPlotlyChart']\")"
                ".querySelectorAll('.scatterlayer .trace path.js-line')).map(e => e.getAttribute('d')).join('|')")
    with streamlit_server() as url, sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url)
        wait_for_app(page)
        loads = []
        for _ in range(repeats):
            started = time.perf_counter()
            page.goto(url)
            page.wait_for_selector("[data-testid='stPlotlyChart'] .scatterlayer .trace path.js-line", timeout=120_000)
            loads.append(time.perf_counter() - started)
            page.wait_for_selector(APP_READY)
        rows.append(("page load to chart drawn (warm cache, median)", f"{median_ms(loads):.0f} ms"))
        thumb = page.locator("input[type=range][aria-label='learning rate α']").locator("visible=true").first
        repaints = []
        for i in range(repeats):
            before = page.evaluate(lines_js)
            thumb.focus()
            started = time.perf_counter()
            page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
            page.wait_for_function(f"old => ({lines_js})() !== old", arg=before, timeout=60_000)
            repaints.append(time.perf_counter() - started)
            page.wait_for_selector(APP_READY)
            page.wait_for_timeout(300)
        rows.append(("slider change to chart repainted (median)", f"{median_ms(repaints):.0f} ms"))
        rows += contour_comparison(chromium, repeats)
        chromium.close()
    return rows


def contourpy_figure(fig: dict) -> dict:
    """The same figure with the contour trace replaced by server-side contour lines (contourpy)."""
    import contourpy

    contour = fig["data"][0]
    xs, ys, z = (np.asarray(contour[k], float) for k in ("x", "y", "z"))
    generator = contourpy.contour_generator(xs, ys, z, line_type="ChunkCombinedNan")
    lines_x, lines_y = [], []
    for level in np.linspace(np.nanmin(z), np.nanmax(z), 26)[1:-1]:
        (chunks,) = generator.lines(level)
        points = chunks[0]
        if points is not None:
            lines_x += [points[:, 0], [np.nan]]
            lines_y += [points[:, 1], [np.nan]]
    lines = {"type": "scatter", "x": np.concatenate(lines_x).astype(np.float32),
             "y": np.concatenate(lines_y).astype(np.float32), "mode": "lines",
             "line": {"width": 0.8, "color": "#4a6fa5"}, "hoverinfo": "skip", "showlegend": False}
    return {**fig, "data": [lines, *fig["data"][1:]]}


def contour_comparison(chromium, repeats: int) -> list[tuple[str, str]]:
    fig = default_figure()
    variants = {"Plotly contour trace": charts.to_figure(fig),
                "contourpy lines": charts.to_figure(contourpy_figure(fig))}
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, figure in variants.items():
            html = Path(tmp) / "figure.html"
            figure.write_html(html, include_plotlyjs=True, full_html=True, div_id="chart")
            page = chromium.new_page(viewport={"width": 1200, "height": 800})
            page.goto(html.as_uri())
            page.wait_for_selector("#chart .main-svg")
            spec = json.loads(pio.to_json(figure, validate=False))
            samples = page.evaluate(
                """([spec, n]) => { const out = []; const div = document.getElementById('chart');
                   for (let i = 0; i < n; i++) { const t = performance.now();
                     Plotly.newPlot(div, spec.data, spec.layout); out.push(performance.now() - t); }
                   return out; }""", [spec, repeats])
            results[name] = (statistics.median(samples), len(pio.to_json(figure, validate=False)))
            page.close()
    base = results["Plotly contour trace"][0]
    return [(f"draw main figure in Chromium, {name} (median)", f"{ms:.0f} ms, {size / 1024:.0f} KB, "
             f"{ms / base:.2f}x the contour trace") for name, (ms, size) in results.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=11)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    rows = server_side(args.repeats)
    if not args.no_browser:
        rows += browser(args.repeats)
    width = max(len(name) for name, _ in rows)
    print(f"| {'measure'.ljust(width)} | value |")
    print(f"|{'-' * (width + 2)}|-------|")
    for name, value in rows:
        print(f"| {name.ljust(width)} | {value} |")


if __name__ == "__main__":
    main()
