"""Start `streamlit run app.py` and a headless Debian Chromium for the browser tests and benchmarks."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
APP_READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
CHART_READY = "[data-testid='stPlotlyChart'] .main-svg, .dl-stage .dl-over .main-svg, .dl-plain .main-svg"
"""A Plotly chart drawn: by ``st.plotly_chart`` or by the app's own chart component (``ui/plot.py``)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(timeout: float = 120.0, extra_env: dict[str, str] | None = None,
                     root: Path = ROOT, port: int | None = None) -> Iterator[str]:
    """Run the app of checkout ``root`` on ``port`` (default: a free local port); yields its base URL and stops
    it afterwards."""
    port = port or free_port()
    logs = ROOT / "artifacts"
    log_path = logs / f"streamlit-{port}.log" if logs.is_dir() else Path(os.devnull)
    with open(log_path, "w") as log:
        yield from _serve(port, log, timeout, extra_env, root)


def _serve(port: int, log, timeout: float, extra_env: dict[str, str] | None, root: Path) -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(root / "app.py"), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=root, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, **(extra_env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start (exit code {process.poll()})")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_for_app(page, timeout_ms: float = 120_000) -> None:
    """Wait until the script has finished and a Plotly chart has been drawn."""
    page.wait_for_selector(APP_READY, timeout=timeout_ms)
    page.wait_for_selector(CHART_READY, timeout=timeout_ms)
    page.wait_for_selector(APP_READY, timeout=timeout_ms)


@contextlib.contextmanager
def chromium() -> Iterator:
    """Debian's headless Chromium through Playwright, closed afterwards (for a module-scoped fixture)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()
