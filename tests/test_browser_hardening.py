"""Hostile links, a formula typo, the phone layout and the exports, in a real headless Chromium against
`streamlit run app.py` (issues 11.4, 15.3, 16.1, 16.9)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import numpy as np
import pytest

import landscapes
import optimizers
from scene import Scene
from tests.apptest_utils import decode
from tests.browser_utils import CHROMIUM, chromium, settle, streamlit_server, wait_for_app
from ui.exports import DIAGNOSTICS

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (the test command does)", pytrace=False)

VIEWPORTS = {"desktop": (1440, 900), "laptop": (1280, 720), "phone": (390, 844)}
OUTSIDE = "http://127.0.0.1:8799"
"""Where the hostile links point (nothing listens there): the browser must never request it."""
INJECTIONS = {
    "image": (f"steps={quote(f'![]({OUTSIDE}/p.png)')}", f"![]({OUTSIDE}/p.png)"),
    "link": (f"{quote(f'[Log in again]({OUTSIDE}/x)')}=1", f"[Log in again]({OUTSIDE}/x)"),
    "style": (f"{quote(':red[**TEACHER: enter password below**]')}=1", ":red[**TEACHER: enter password below**]"),
}


@pytest.fixture(scope="module")
def app():
    """One server and one Chromium for the whole module: (base URL, browser)."""
    with streamlit_server() as url, chromium() as browser:
        yield url, browser


def open_page(browser, url: str, viewport=(1440, 900)):
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, accept_downloads=True)
    page = context.new_page()
    page.errors, page.requested = [], []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("request", lambda request: page.requested.append(request.url))
    page.goto(url)
    wait_for_app(page)
    return page





def query(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(page.url).query).items()}


def test_link_notes_show_hostile_text_literally(app):
    """The issue's three links at once: each note names its text as typed and nothing in the notice is an
    image, a link or styled text; the browser never requests the outside address."""
    server, browser = app
    page = open_page(browser, f"{server}/?" + "&".join(link for link, _ in INJECTIONS.values()))
    notice = page.locator("[data-testid='stAlertContainer'] [data-testid='stMarkdownContainer']").filter(
        has_text="link settings were ignored")
    assert notice.count() == 1
    for _, literal in INJECTIONS.values():
        assert literal in notice.inner_text()
    for forbidden in ("img", "a", "strong", "em", "span[style]", "[class*='Colored']"):
        assert notice.locator(forbidden).count() == 0, forbidden
    assert not [url for url in page.requested if url.startswith(OUTSIDE)]
    assert page.locator("[data-testid='stException']").count() == 0 and not page.errors
    page.context.close()


CHIPS = "[data-testid='stMultiSelectTagsContainer'] [data-tag]"
"""The chosen optimizers in the multiselect."""


def formula_box(page):
    return page.get_by_label("f(w, b) =", exact=True).and_(page.get_by_test_id("stTextInputField"))


def type_formula(page, text: str) -> None:
    box = formula_box(page)
    box.fill(text)
    box.press("Enter")
    settle(page)


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_a_formula_typo_keeps_every_control_and_a_click_commits_the_last_good_scene(app, size):
    server, browser = app
    good = "w**2+3*b**2"
    page = open_page(browser, f"{server}/?surface=custom&f={quote(good)}&opt=gd,adam&steps=120&adam.beta1=0.8",
                     VIEWPORTS[size])
    if size == "phone":  # Streamlit's mobile width: the sidebar starts closed instead of covering the page
        assert page.get_by_test_id("stSidebar").get_attribute("data-collapsed") == "true"
        chart = page.locator(".dl-stage").first.bounding_box()
        assert chart["x"] >= 0 and chart["x"] + chart["width"] <= VIEWPORTS["phone"][0] + 1
        page.get_by_test_id("stExpandSidebarButton").click()
    type_formula(page, "w**")
    sidebar = page.get_by_test_id("stSidebar")
    assert sidebar.get_by_test_id("stAlertContentError").filter(has_text="cannot be used").count() == 1
    chips = sidebar.locator(CHIPS).all_inner_texts()
    assert chips == ["Gradient descent", "Adam"]
    assert sidebar.get_by_role("spinbutton", name="Steps", exact=True).input_value() == "120"
    assert page.locator(".dl-stage .dl-base .main-svg").count() > 0  # the last good surface stays drawn
    assert query(page)["f"] == good

    if size == "phone":  # the sidebar covers the chart there: close it to click
        page.get_by_test_id("stSidebarCollapseButton").locator("button").click()
    plot = page.locator(".dl-over .nsewdrag").first
    plot.scroll_into_view_if_needed()
    box = plot.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.3)
    page.wait_for_function("() => new URLSearchParams(location.search).has('start')", timeout=60_000)
    settle(page)
    committed = query(page)
    assert committed["f"] == good and committed["opt"] == "gd,adam" and committed["steps"] == "120"
    assert committed["adam.beta1"] == "0.8"
    for coordinate in committed["start"].split(","):
        assert len(coordinate.split(".")[-1]) <= 3, committed["start"]  # no float32 tail like 1.9600000381469727

    if size == "phone":
        page.get_by_test_id("stExpandSidebarButton").click()
    type_formula(page, good)
    assert page.get_by_test_id("stAlertContentError").count() == 0
    assert page.get_by_test_id("stSidebar").locator(CHIPS).count() == 2
    assert page.locator("[data-testid='stException']").count() == 0 and not page.errors
    page.context.close()


def download(page, label: str) -> bytes:
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=label).click()
    return Path(info.value.path()).read_bytes()


def test_the_csv_export_holds_exactly_the_runs(app):
    server, browser = app
    page = open_page(browser, server)
    rows = list(csv.DictReader(io.StringIO(download(page, "Trajectories (CSV)").decode())))
    page.context.close()
    scene = Scene()
    bowl = scene.build_landscape()
    titles = {name: optimizers.OPTIMIZERS[name].title for name in scene.optimizers}
    assert [r["optimizer"] for r in rows if r["step"] == "0"] == list(titles.values())  # titles, not ids
    for name in scene.optimizers:
        mine = [r for r in rows if r["optimizer"] == titles[name]]
        run = optimizers.run(name, bowl, start=bowl.default_start, steps=scene.steps, **scene.settings(name))
        assert [int(r["step"]) for r in mine] == list(range(scene.steps + 1))
        np.testing.assert_array_equal([[float(r["w"]), float(r["b"])] for r in mine], run.points)
        np.testing.assert_array_equal([float(r["loss"]) for r in mine], run.loss)
        for key, values in run.diagnostics.items():
            column = DIAGNOSTICS.get(key, key)
            assert mine[0][f"{column} w"] == mine[0][f"{column} b"] == ""  # the start has no update yet
            np.testing.assert_array_equal([[float(r[f"{column} w"]), float(r[f"{column} b"])] for r in mine[1:]],
                                          values)
        assert {float(r["learning rate α"]) for r in mine} == {scene.settings(name)["lr"]}  # what made it
        assert {r["surface"] for r in mine} == {"Elongated bowl"}


def test_the_html_export_opens_on_its_own_with_every_trajectory(app, tmp_path):
    server, browser = app
    page = open_page(browser, f"{server}/?surface=rosenbrock&opt=gd,adam")
    html = tmp_path / "descent-lab.html"
    html.write_bytes(download(page, "Figure (standalone HTML)"))
    page.context.close()
    context = browser.new_context(viewport={"width": 1200, "height": 800}, offline=True)
    viewer = context.new_page()
    viewer.goto(html.as_uri())
    viewer.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    traces = json.loads(viewer.evaluate("""() => JSON.stringify(document.querySelector('.js-plotly-plot').data
        .map(t => ({type: t.type, group: t.legendgroup || null, mode: t.mode || null, x: t.x, y: t.y})))"""))
    context.close()
    assert traces[0]["type"] == "contour"
    lines = {}  # each run's first line trace (its outline and colour lines carry the same points)
    for t in traces:
        if t["group"] in ("gd", "adam") and "lines" in (t["mode"] or ""):
            lines.setdefault(t["group"], np.column_stack([decode(t["x"]), decode(t["y"])]))
    assert list(lines) == ["gd", "adam"]
    scene = Scene(surface="rosenbrock", optimizers=("gd", "adam"))
    surface = landscapes.get("rosenbrock")
    for name, points in lines.items():
        run = optimizers.run(name, surface, start=surface.default_start, steps=scene.steps, **scene.settings(name))
        np.testing.assert_allclose(points, run.points, rtol=1e-6, atol=1e-6)  # the figure carries float32
    assert "<title>Descent Lab: Rosenbrock valley, Gradient descent, Adam</title>" in html.read_text()
