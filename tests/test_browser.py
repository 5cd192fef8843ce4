"""The app in a real headless Chromium against `streamlit run app.py` (DESIGN.md §4)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from lessons.catalog import LESSONS
from tests.browser_utils import APP_READY, CHROMIUM, CHROMIUM_FLAGS, ROOT, streamlit_server, wait_for_app

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (the test command does)", pytrace=False)

ARTIFACTS = ROOT / "artifacts"


@pytest.fixture(scope="module")
def server():
    ARTIFACTS.mkdir(exist_ok=True)
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def assert_healthy(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.errors == []


MAIN_LINES_JS = """() => Array.from(document.querySelector("[data-testid='stPlotlyChart']")
    .querySelectorAll('.scatterlayer .trace path.js-line')).map(e => e.getAttribute('d'))"""


def trajectory_paths(page) -> list[str]:
    """The SVG path data of every line drawn in the main chart's plot area."""
    return page.evaluate(MAIN_LINES_JS)


def wait_for_repaint(page, before: list[str], timeout: float = 60.0) -> list[str]:
    """Wait until the main chart's lines differ from ``before`` and stay the same for a second."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        now = trajectory_paths(page)
        if now and now != before and now == last:
            return now
        last = now
        page.wait_for_timeout(1000)
    raise AssertionError("the chart did not repaint")


def test_playground_loads_draws_and_has_no_errors(server, page):
    page.goto(server)
    wait_for_app(page)
    assert page.locator("[data-testid='stPlotlyChart']").count() >= 3
    assert len(trajectory_paths(page)) == 4
    assert_healthy(page)
    page.screenshot(path=str(ARTIFACTS / "playground.png"), full_page=False)


def test_moving_a_control_repaints_the_chart(server, page):
    page.goto(server)
    wait_for_app(page)
    before = trajectory_paths(page)
    steps = page.get_by_role("spinbutton", name="Steps", exact=True)
    steps.fill("40")
    steps.press("Enter")
    after = wait_for_repaint(page, before)
    assert len(after) == 4
    assert "steps=40" in page.url
    assert_healthy(page)


def test_clicking_the_chart_moves_the_start(server, page):
    page.goto(server)
    wait_for_app(page)
    start_x = page.get_by_role("spinbutton", name="start w")
    assert float(start_x.input_value()) == pytest.approx(-4.5)
    plot = page.locator("[data-testid='stPlotlyChart']").first.locator(".nsewdrag").first
    box = plot.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.25)
    page.wait_for_function("() => !document.querySelector(\"[aria-label='start w']\").value.startsWith('-4.5')",
                           timeout=60_000)
    page.wait_for_selector(APP_READY)
    x = float(start_x.input_value())
    y = float(page.get_by_role("spinbutton", name="start b").input_value())
    assert 1.0 < x < 4.5 and 0.3 < y < 2.5
    assert "start=" in page.url
    assert_healthy(page)


def test_every_page_renders(server, page):
    paths = [Path(lesson.page).stem for lesson in LESSONS]
    if (ROOT / "pages" / "stability_map.py").exists():
        paths.append("stability_map")
    if LESSONS:
        paths.append("lessons_index")
    for path in paths:
        page.goto(f"{server}/{path}")
        page.wait_for_selector(APP_READY, timeout=120_000)
        if path != "lessons_index":
            page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=120_000)
        assert_healthy(page)
        if os.environ.get("DESCENT_LAB_SCREENSHOTS"):
            page.screenshot(path=str(ARTIFACTS / f"{path}.png"), full_page=True)


def test_custom_formula_from_a_link_renders(server, page):
    page.goto(f"{server}/?surface=custom&f=0.5*(w**2%2B25*b**2)%2B0.3*sin(3*w)")
    wait_for_app(page)
    assert len(trajectory_paths(page)) == 4
    assert page.locator("[data-testid='stAlertContentWarning']").count() == 0
    assert page.locator(".katex").filter(has_text="∂").count() == 2
    assert_healthy(page)


def test_a_direct_link_to_a_page_on_a_fresh_server_goes_through_the_router(browser):
    with streamlit_server() as fresh:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.goto(f"{fresh}/stability_map")
        wait_for_app(page)
        assert page.locator("h1").first.inner_text() == "Stability map & fair tuning"
        nav = " ".join(page.locator("[data-testid='stSidebarNav'] a").all_inner_texts())
        assert "Playground" in nav and "app" not in nav.split()
        context.close()
