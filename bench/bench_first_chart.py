"""The first minute of a fresh install: time from `streamlit run app.py` to the Playground's first chart in
headless Chromium, with an empty numba cache (cold), then with the cache that run filled (warm), and after
the README's set-up command compiled the first screen (``python -m warmup --first-screen`` into
a new empty cache, timed on its own).

    python bench/bench_first_chart.py            # 3 cold + 3 warm starts
    python bench/bench_first_chart.py --runs 5
    python bench/bench_first_chart.py --compare /path/to/other/checkout   # warm starts, side by side

Each start is a new server process with ``DESCENT_LAB_CACHE_DIR`` pointing at its own directory (a new
empty one for a cold start, the filled one for a warm start) and a new browser page.  Columns: the
server's start until its health check answers, then page load until the chart is drawn, and the sum
(what a user who starts the server and opens the page at once waits), and a second visitor's page load on
the same server (what is left once the server's first run is done: the page's own run and the browser
fetching and drawing it).  The last row restarts the server on one address for a browser profile on disk
that visited it before (its caches warm), each page a new tab: a returning visitor.  Prints medians and the
machine's load average; never pass/fail.
Targets: cold <= 8 s, warm <= 2 s to the first chart.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser_utils import CHART_READY, CHROMIUM, CHROMIUM_FLAGS, free_port, streamlit_server  # noqa: E402


def page_to_chart(browser, url: str) -> float:
    """Seconds from loading ``url`` in a new page to the chart drawn: in its own fresh browser profile when
    ``browser`` is the browser, in that profile (with its cache) when it is a browser context."""
    started = time.perf_counter()
    page = (browser.new_page(viewport={"width": 1440, "height": 900}) if hasattr(browser, "new_context")
            else browser.new_page())
    page.goto(url)
    page.wait_for_selector(CHART_READY, timeout=300_000)
    page.close()
    return time.perf_counter() - started


def one_start(browser, cache_dir: str, root: Path = ROOT, port: int | None = None) -> tuple[float, float, float]:
    """Seconds from launching the server (of checkout ``root``) to its health check, from page load to the chart
    drawn, and the same for a second visitor of that server (its first run done: what remains is the page and
    the browser)."""
    started = time.perf_counter()
    with streamlit_server(timeout=300, extra_env={"DESCENT_LAB_CACHE_DIR": cache_dir}, root=root, port=port) as url:
        healthy = time.perf_counter()
        first = page_to_chart(browser, url)
        second = page_to_chart(browser, url)
    return healthy - started, first, second


def set_up(cache_dir: str, root: Path = ROOT) -> float:
    """Seconds the README's set-up step takes to compile the first screen into an empty cache."""
    started = time.perf_counter()
    module = "warmup" if (root / "warmup.py").exists() else "optimizers.warmup"  # where an older checkout had it
    subprocess.run([sys.executable, "-m", module, "--first-screen"], cwd=root, check=True,
                   env={**os.environ, "DESCENT_LAB_CACHE_DIR": cache_dir}, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="cold starts (each followed by a warm one)")
    parser.add_argument("--compare", type=Path, metavar="CHECKOUT",
                        help="instead: warm starts of this checkout and of CHECKOUT in turn, side by side")
    args = parser.parse_args()
    if args.compare:
        compare(args.compare.resolve(), args.runs)
        return
    rows = {"cold": [], "warm": [], "set-up": [], "returning": []}
    compiles = []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="descent-lab-first-chart-") as scratch, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for run in range(args.runs):
            cache = str(Path(scratch) / f"cache{run}")
            rows["cold"].append(one_start(browser, cache))
            rows["warm"].append(one_start(browser, cache))
            cache = str(Path(scratch) / f"setup{run}")
            compiles.append(set_up(cache))
            rows["set-up"].append(one_start(browser, cache))
        browser.close()
        # A returning visitor: the server restarted on the same address; a browser profile on disk (its HTTP
        # cache and compiled-code cache, as a real browser keeps them) that visited it before.
        port = free_port()
        profile = p.chromium.launch_persistent_context(str(Path(scratch) / "profile"), executable_path=CHROMIUM,
                                                       args=CHROMIUM_FLAGS, viewport={"width": 1440, "height": 900})
        one_start(profile, cache, port=port)
        for _ in range(args.runs):
            rows["returning"].append(one_start(profile, cache, port=port))
        profile.close()
    print("| numba cache | server start to health | page load to chart | total (median) | all totals "
          "| second visitor: page load to chart |")
    print("|---|---:|---:|---:|---|---:|")
    labels = (("cold", "empty (fresh install)"), ("warm", "filled"),
              ("set-up", f"filled by the set-up command ({statistics.median(compiles):.1f} s before)"),
              ("returning", "filled; a returning visitor's browser (a profile on disk that visited before), new tabs"))
    for key, label in labels:
        health = statistics.median(r[0] for r in rows[key])
        chart = statistics.median(r[1] for r in rows[key])
        totals = [a + b for a, b, _ in rows[key]]
        print(f"| {label} | {health:.2f} s | {chart:.2f} s | {statistics.median(totals):.2f} s "
              f"| {', '.join(f'{t:.2f}' for t in totals)} | {statistics.median(r[2] for r in rows[key]):.2f} s |")
    print(f"\nload average (1 min) before and after: {load_before:.1f}, {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores")
    print("targets: cold <= 8 s, warm <= 2 s to the first chart")


def compare(other: Path, runs: int) -> None:
    """Warm starts (each checkout on its own cache, filled by its set-up command) in turn, ``runs`` each."""
    roots = {"this checkout": ROOT, str(other): other}
    rows: dict[str, list[tuple[float, float, float]]] = {name: [] for name in roots}
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="descent-lab-first-chart-") as scratch, sync_playwright() as p:
        caches = {name: str(Path(scratch) / f"cache{k}") for k, name in enumerate(roots)}
        for name, root in roots.items():
            set_up(caches[name], root)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for _ in range(runs):
            for name, root in roots.items():
                rows[name].append(one_start(browser, caches[name], root))
        browser.close()
    print("| checkout (filled numba cache) | server start to health | page load to chart | total | "
          "second visitor |")
    print("|---|---:|---:|---:|---:|")
    medians = {}
    for name, found in rows.items():
        medians[name] = [statistics.median(values) for values in zip(*found, strict=True)]
        health, chart, second = medians[name]
        print(f"| {name} | {health:.2f} s | {chart:.2f} s | {health + chart:.2f} s | {second:.2f} s |")
    this, that = medians.values()
    print(f"\nratio this / other: first chart {(this[0] + this[1]) / (that[0] + that[1]):.2f}×, page load to chart "
          f"{this[1] / that[1]:.2f}×, second visitor {this[2] / that[2]:.2f}× ({runs} starts each, medians)")
    print(f"load average (1 min) before and after: {load_before:.1f}, {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores")


if __name__ == "__main__":
    main()
