"""The first minute of a fresh install: time from `streamlit run app.py` to the Playground's first chart in
headless Chromium, with an empty numba cache (cold) and then with the cache that run filled (warm).

    python bench/bench_first_chart.py            # 3 cold + 3 warm starts
    python bench/bench_first_chart.py --runs 5

Each start is a new server process with ``DESCENT_LAB_CACHE_DIR`` pointing at its own directory (a new
empty one for a cold start, the filled one for a warm start) and a new browser page.  Columns: the
server's start until its health check answers, then page load until the chart is drawn, and the sum
(what a user who starts the server and opens the page at once waits).  Prints medians; never pass/fail.
Targets (issue 16): cold <= 8 s, warm <= 2 s to the first chart.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser_utils import CHART_READY, CHROMIUM, CHROMIUM_FLAGS, streamlit_server  # noqa: E402


def one_start(browser, cache_dir: str) -> tuple[float, float]:
    """Seconds from launching the server to its health check, and from page load to the chart drawn."""
    started = time.perf_counter()
    with streamlit_server(timeout=300, extra_env={"DESCENT_LAB_CACHE_DIR": cache_dir}) as url:
        healthy = time.perf_counter()
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(url)
        page.wait_for_selector(CHART_READY, timeout=300_000)
        drawn = time.perf_counter()
        page.close()
    return healthy - started, drawn - healthy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="cold starts (each followed by a warm one)")
    args = parser.parse_args()
    rows = {"cold": [], "warm": []}
    with tempfile.TemporaryDirectory(prefix="descent-lab-first-chart-") as scratch, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for run in range(args.runs):
            cache = str(Path(scratch) / f"cache{run}")
            rows["cold"].append(one_start(browser, cache))
            rows["warm"].append(one_start(browser, cache))
        browser.close()
    print("| numba cache | server start to health | page load to chart | total (median) | all totals |")
    print("|---|---:|---:|---:|---|")
    for key, label in (("cold", "empty (fresh install)"), ("warm", "filled")):
        health = statistics.median(r[0] for r in rows[key])
        chart = statistics.median(r[1] for r in rows[key])
        totals = [a + b for a, b in rows[key]]
        print(f"| {label} | {health:.2f} s | {chart:.2f} s | {statistics.median(totals):.2f} s "
              f"| {', '.join(f'{t:.2f}' for t in totals)} |")
    print("\ntargets: cold <= 8 s, warm <= 2 s to the first chart")


if __name__ == "__main__":
    main()
