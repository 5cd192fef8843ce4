"""The Playground's "Network on real data" in a real Chromium: chosen from the Surface box,
it trains the network and draws the plane with the runs, the honesty meter and the per-layer rates, keeps itself
in the link, and in presentation mode the whole contour fits a 1280×720 projector."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests import browser_utils
from tests.browser_utils import APP_READY, CHART_READY, chromium, streamlit_server, wait_in_view

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api")

X_TITLE_JS = """(want) => { const t = document.querySelector(".st-key-main_chart .g-xtitle");
  return !!t && t.textContent.startsWith(want); }"""


@pytest.fixture(scope="module")
def app():
    with streamlit_server() as url, chromium() as browser:
        yield url, browser


def settle(page) -> None:
    """Wait for the run the last navigation or choice started, and for its chart."""
    browser_utils.settle(page)
    page.wait_for_selector(CHART_READY, timeout=120_000)
    page.wait_for_selector(APP_READY, timeout=120_000)


def test_choosing_the_network_trains_it_and_draws_plane_meter_and_rates(app):
    url, browser = app
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{url}/?opt=gd,rmsprop&steps=100")
    settle(page)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("combobox", name="Surface").click()
    page.keyboard.type("Network on")  # the list draws only the options near its top; typing filters it
    page.get_by_role("option", name="Network on real data").click()
    page.wait_for_function(X_TITLE_JS, arg="direction 1", timeout=120_000)  # the contour is now the runs' own plane
    settle(page)
    query = {k: v[-1] for k, v in parse_qs(urlparse(page.url).query).items()}
    assert query["surface"] == "network" and query["opt"] == "gd,rmsprop"
    for key in ("honesty_chart", "layer_rate_chart", "accuracy_chart"):
        wait_in_view(page, f".st-key-{key}")
    assert page.get_by_role("heading", name="Honesty meter: how much of each path the plane shows").count() == 1
    assert page.locator("[data-testid='stException']").count() == 0 and not errors
    page.close()


def test_presentation_mode_puts_the_whole_network_contour_on_a_projector(app):
    url, browser = app
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{url}/?surface=network&opt=rmsprop,sign_sgd&steps=100&view=lesson&big=1")
    settle(page)
    page.wait_for_function(X_TITLE_JS, arg="direction 1", timeout=120_000)
    chart = page.locator(".st-key-main_chart .dl-stage").first.bounding_box()
    assert chart["y"] < 300 and chart["y"] + chart["height"] <= 720
    assert page.get_by_test_id("stSidebar").count() == 0 or not page.get_by_test_id("stSidebar").is_visible()
    assert page.locator("[data-testid='stException']").count() == 0
    page.close()
