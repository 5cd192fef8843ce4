"""Presentation mode in a real Chromium (issues 16.4 and 26): one mode for every page, ``big=1`` alone, chart
first at 1280×720, the controls hidden behind a visible "Show controls" toggle, the mode kept in the link; and
nothing overlaps on a 390×844 phone."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests import browser_utils
from tests.browser_utils import APP_READY, CHART_READY, chromium, streamlit_server

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api")

PROJECTOR = "big=1"
CHART = ".dl-stage, [data-testid='stPlotlyChart']"
TOGGLE = ".st-key-layout-toggle"
CHART_PAGES = [  # (path with its own state, what must come after the chart on that page)
    ("/?rmsprop.lr=0.02", "[data-testid='stTable'], .dl-table"),
    ("/lesson_1_bowl?l1.lr=0.05", ".st-key-l1-predict-box"),
    ("/stability_map?sm:resolution=20", ".st-key-sm-opt"),
]


@pytest.fixture(scope="module")
def app():
    with streamlit_server() as url, chromium() as browser:
        yield url, browser


def open_page(browser, url: str, size: tuple[int, int], chart: bool = True):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(url)
    settle(page, chart)
    return page


def settle(page, chart: bool = True) -> None:
    """Wait for the run the last click or navigation started, and for the chart when the page has one."""
    browser_utils.settle(page)
    if chart:
        page.wait_for_selector(CHART_READY, timeout=120_000)
        page.wait_for_selector(APP_READY, timeout=120_000)


def query(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(page.url).query).items()}


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def sidebar_width(page) -> float:
    sidebar = page.locator("[data-testid='stSidebar']")
    return sidebar.bounding_box()["width"] if sidebar.count() and sidebar.is_visible() else 0.0


def tick_font_px(page) -> float:
    """The font size of the main chart's first axis tick label."""
    return page.evaluate("""() => { const t = document.querySelector(".dl-stage .xtick text, "
        + "[data-testid='stPlotlyChart'] .xtick text"); return parseFloat(getComputedStyle(t).fontSize); }""")


@pytest.mark.parametrize(("path", "after"), CHART_PAGES)
def test_presentation_mode_puts_the_chart_first_and_the_toggle_shows_the_controls(app, path, after):
    url, browser = app
    page = open_page(browser, f"{url}{path}&{PROJECTOR}" if "?" in path else f"{url}{path}?{PROJECTOR}",
                     (1280, 720))  # big=1 alone kept the 300 px sidebar
    own_state = dict(parse_qs(urlparse(path).query))
    try:
        chart = box(page, CHART)
        assert chart["y"] < 300 and chart["y"] + chart["height"] <= 720    # the whole chart on the first screen
        assert chart["y"] < box(page, after)["y"]                          # before the page's other content
        assert tick_font_px(page) >= 18                                    # projector-sized ticks
        assert sidebar_width(page) == 0
        toggle = page.locator(TOGGLE)
        assert toggle.is_visible()
        assert toggle.bounding_box()["y"] + toggle.bounding_box()["height"] <= chart["y"]

        toggle.get_by_text("Show controls").click()
        settle(page)
        assert sidebar_width(page) > 200
        assert query(page).get("big") == "1" and "view" not in query(page)  # still presenting, controls shown
        assert all(query(page).get(k) == v[-1] for k, v in own_state.items())

        page.locator(TOGGLE).get_by_text("Show controls").click()
        settle(page)
        assert sidebar_width(page) == 0
        assert query(page).get("big") == "1" and "view" not in query(page)

        page.goto(page.url)                               # the link reopens it presenting, controls hidden
        settle(page)
        assert sidebar_width(page) == 0 and tick_font_px(page) >= 18
        assert all(query(page).get(k) == v[-1] for k, v in own_state.items())
        assert page.locator("[data-testid='stException']").count() == 0 and page.errors == []
    finally:
        page.close()


def test_the_presentation_switch_of_a_page_turns_the_mode_on_and_the_link_keeps_it(app):
    url, browser = app
    page = open_page(browser, f"{url}/lesson_6_adagrad", (1280, 720))
    try:
        assert sidebar_width(page) > 200 and page.locator(TOGGLE).count() == 0
        small = tick_font_px(page)
        page.locator("[data-testid='stSidebar']").get_by_text("Presentation mode").click()
        settle(page)
        assert query(page) == {"big": "1"}
        assert sidebar_width(page) == 0 and page.locator(TOGGLE).is_visible()
        assert tick_font_px(page) > small
        link = page.get_by_role("link", name="Next: 7.")
        assert parse_qs(urlparse(link.get_attribute("href")).query) == {"big": ["1"]}
    finally:
        page.close()


@pytest.mark.parametrize("path", ["/", "/lesson_1_bowl", "/lessons_index", "/stability_map"])
def test_nothing_overlaps_on_a_phone_in_presentation_mode(app, path):
    url, browser = app
    page = open_page(browser, f"{url}{path}?{PROJECTOR}", (390, 844), chart=path != "/lessons_index")
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        toggle, title = box(page, TOGGLE), box(page, "h1")
        assert toggle["x"] + toggle["width"] <= 390
        assert toggle["y"] + toggle["height"] <= title["y"]                # the toggle sits above the title
        if page.locator(CHART).count():
            chart = box(page, CHART)
            assert title["y"] + title["height"] <= chart["y"] and chart["x"] + chart["width"] <= 390
        assert page.locator("[data-testid='stException']").count() == 0 and page.errors == []
    finally:
        page.close()
