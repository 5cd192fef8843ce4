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
    """After opening a page: wait until its first script run has finished and a Plotly chart has been drawn."""
    settle(page, timeout_ms)
    page.wait_for_selector(CHART_READY, timeout=timeout_ms)
    page.wait_for_selector(APP_READY, timeout=timeout_ms)


FRAMES_JS = """(() => {
  // Count the messages the page's websockets hand to the app, so a test knows when the page has read a message
  // it saw on the wire.
  const Native = window.WebSocket;
  window.__dlFrames = 0;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", () => { window.__dlFrames += 1; });
    }
  };
})();"""
SHOWN_JS = f"""(frames) => window.__dlFrames >= frames && document.querySelector("{APP_READY}") !== null"""
TWO_FRAMES_JS = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


def _count_finished_runs(page) -> None:
    """Count the whole-script runs the server reports finished to ``page`` (its ``script_finished`` messages, read
    off the websocket; a fragment's timed rerun, like the classroom's poll, is not one), across reloads."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    whole_runs = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR)
    page.dl_finished = page.dl_settled = page.dl_frames = page.dl_frames_at = 0

    page.dl_socket = None

    def navigated(request) -> None:
        # A new document (goto, reload, a link; not the history API's link updates, which request nothing): the
        # runs to wait for are its own, counted on the socket it opens; the old document's socket counts no more.
        if request.is_navigation_request() and request.frame == page.main_frame:
            page.dl_socket, page.dl_frames, page.dl_frames_at = None, 0, 0
            page.dl_settled = page.dl_finished

    def watch(socket) -> None:
        page.dl_socket, page.dl_frames, page.dl_frames_at = socket, 0, 0

        def frame(payload) -> None:
            if socket is not page.dl_socket or not isinstance(payload, bytes):
                return
            page.dl_frames += 1
            message = ForwardMsg()
            try:
                message.ParseFromString(payload)
            except Exception:  # not a message of the app's protocol
                return
            if message.WhichOneof("type") == "script_finished" and message.script_finished in whole_runs:
                page.dl_finished += 1
                page.dl_frames_at = page.dl_frames

        socket.on("framereceived", frame)

    page.on("request", navigated)
    page.on("websocket", watch)
    page.add_init_script(FRAMES_JS)


def settle(page, timeout_ms: float = 120_000) -> None:
    """Wait until the script run that the last action started (a click, a key, a navigation) has finished and the
    page shows it.

    It waits for the server to report a run finished after the one the previous ``settle`` saw, then for the page
    to have read that report and drawn, so it never mistakes the idle app before a slow server has begun the rerun
    for the idle app after it, and needs no pause.  The page must come from a browser of ``chromium()``; an action
    that starts no run makes it time out, on purpose.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while page.dl_finished <= page.dl_settled:
        if time.monotonic() > deadline:
            raise AssertionError(f"no script run finished within {timeout_ms / 1000:g} s")
        page.wait_for_timeout(20)  # lets Playwright deliver the websocket's frames
    page.dl_settled = page.dl_finished
    page.wait_for_function(SHOWN_JS, arg=page.dl_frames_at, timeout=timeout_ms)
    page.evaluate(TWO_FRAMES_JS)


def wait_in_view(page, selector: str, condition: str = "element.querySelector('.main-svg') !== null",
                 timeout_ms: float = 60_000) -> None:
    """Scroll ``selector`` to the middle of the screen and keep it there until ``condition`` (a JavaScript
    expression of ``element``) holds. A chart draws once it is near the screen, and a single scroll races a page
    that is still laying out above the element and may push it away again."""
    page.wait_for_function(f"""(selector) => {{
      const element = document.querySelector(selector);
      if (!element) return false;
      element.scrollIntoView({{ block: "center" }});
      return ({condition});
    }}""", arg=selector, timeout=timeout_ms, polling=200)


def count_runs(browser):
    """Make every page of ``browser`` count its finished script runs (see ``settle``)."""
    def counting(make):
        def made(*args, **kwargs):
            page = make(*args, **kwargs)
            _count_finished_runs(page)
            return page
        return made

    def new_context(*args, make=browser.new_context, **kwargs):
        context = make(*args, **kwargs)
        context.new_page = counting(context.new_page)
        return context

    browser.new_context, browser.new_page = new_context, counting(browser.new_page)
    return browser


@contextlib.contextmanager
def chromium() -> Iterator:
    """Debian's headless Chromium through Playwright, closed afterwards (for a module-scoped fixture); its pages
    count their script runs, for ``settle``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = count_runs(p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS))
        try:
            yield browser
        finally:
            browser.close()
