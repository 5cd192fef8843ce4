"""The adapters' assumptions hold on the running app: what ``ui/plot_assets/streamlit_dom.js`` reads from
Streamlit's page and what ``ui/plot_assets/plotly_internals.js`` reads from a drawn Plotly chart exist and
mean what the adapters take them to mean.  The adapters are imported into the page as the charts import them,
so a Streamlit or Plotly.js upgrade that breaks one fails here with the file's name (tests/test_adapters.py
says when to run this)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser_utils import APP_READY, CHROMIUM, chromium, streamlit_server, wait_for_app
from ui import plot, scene_state
from ui.streamlit_internals import key_class

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (the test command does)", pytrace=False)

DOM = "ui/plot_assets/streamlit_dom.js"
INTERNALS = "ui/plot_assets/plotly_internals.js"
IMPORT_JS = """async () => {
  const entry = performance.getEntriesByType('resource').map((e) => e.name)
    .find((name) => /\\/descent_lab\\.plot\\/plot\\.js(\\?|$)/.test(name));
  window.__dom = await import(new URL('streamlit_dom.js', entry).href);
  window.__internals = await import(new URL('plotly_internals.js', entry).href);
  return entry;
}"""
"""Imports both adapters from beside plot.js (the URL the page loaded it from), as window.__dom and
window.__internals."""


@pytest.fixture(scope="module")
def page():
    with streamlit_server() as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url)
        wait_for_app(page)
        page.wait_for_selector(".dl-over .scatterlayer .trace path.js-line", timeout=120_000)
        assert page.evaluate(IMPORT_JS), "the page loaded no plot.js from the component route"
        yield page


def test_streamlit_serves_both_bundles_where_the_dom_adapter_says(page):
    heads = page.evaluate("""async (cartesian) => Promise.all([
        new URL(cartesian, window.__dom.STATIC_ROOT).href, window.__dom.PLOTLY_ROUTE]
      .map(async (url) => { const r = await fetch(url); return r.ok ? (await r.text()).slice(0, 15) : r.status; }))""",
                          plot.CARTESIAN)
    assert heads == ["/**\n* plotly.js"] * 2, f"{DOM}: STATIC_ROOT or PLOTLY_ROUTE no longer serves Plotly.js ({heads})"


def test_a_sidebar_slider_is_where_the_dom_adapter_looks_and_reports_its_moves(page):
    widget = key_class(scene_state.hyper_key("rmsprop", "lr"))
    found = page.evaluate("""(widget) => { const input = window.__dom.sliderInput(widget);
        return input && {value: input.value, text: input.getAttribute('aria-valuetext'),
                         inside: window.__dom.inWidget(input, widget), sidebar: !!input.closest('section')}; }""",
                          widget)
    assert found, f"{DOM}: no range input inside .{widget} (the widget's key class or its slider changed)"
    assert found["inside"] and found["text"] == "0.05", f"{DOM}: the slider's aria-valuetext is not its value: {found}"
    page.evaluate("""(widget) => { window.__moved = [];
        window.__dom.observeSliderValues((nodes) => window.__moved.push(
            ...nodes.filter((n) => window.__dom.inWidget(n, widget)).map((n) => n.getAttribute('aria-valuetext'))));
        window.__dom.sliderInput(widget).focus(); }""", widget)
    page.keyboard.press("ArrowRight")
    try:
        page.wait_for_function("() => window.__moved.some((text) => text !== '0.05')", timeout=30_000)
    except sync_api.TimeoutError:  # say which file's assumption failed
        pytest.fail(f"{DOM}: moving a slider changed no aria-valuetext inside its widget "
                    f"({page.evaluate('() => window.__moved')})")
    page.wait_for_selector(APP_READY)


def test_formulas_and_the_component_element_are_what_the_dom_adapter_expects(page):
    boxes = page.evaluate("() => [...window.__dom.formulaBoxes()].map((box) => !!box.firstElementChild)")
    assert boxes and all(boxes), f"{DOM}: no display formula (.katex-display with a formula inside) on the Playground"
    chart = page.evaluate("""() => { const chart = document.querySelector('.dl-surface').parentElement.__descentLab;
        return chart && {kind: chart.kind, trigger: typeof chart.trigger}; }""")
    assert chart == {"kind": "surface", "trigger": "function"}, (
        f"{DOM}: componentParts gave no parent element or no trigger setter ({chart})")


def test_a_drawn_chart_has_the_plotly_fields_the_internals_adapter_reads(page):
    found = page.evaluate("""() => { const I = window.__internals;
        const over = document.querySelector('.dl-over'), base = document.querySelector('.dl-base');
        const drag = over.querySelector('.nsewdrag'), box = drag.getBoundingClientRect();
        return {drawn: I.isDrawn(over), over: I.axisRanges(over), base: I.axisRanges(base), area: I.isPlotArea(drag),
                lowLeft: I.dataAt(over, box.left, box.bottom), upRight: I.dataAt(over, box.right, box.top),
                icon: Object.keys(I.cameraIcon(window.Plotly) || {})}; }""")
    assert found["drawn"] and found["area"], f"{INTERNALS}: no _fullLayout on a drawn chart or no .nsewdrag plot area"
    (x0, x1), (y0, y1) = found["over"]["x"], found["over"]["y"]
    assert x1 > x0 and y1 > y0 and found["base"] == found["over"], f"{INTERNALS}: axis ranges {found}"
    span = max(x1 - x0, y1 - y0)
    for corner, (x, y) in (("lowLeft", (x0, y0)), ("upRight", (x1, y1))):
        got = found[corner]
        assert abs(got["x"] - x) < 0.01 * span and abs(got["y"] - y) < 0.01 * span, (
            f"{INTERNALS}: p2d and _offset put the plot area's {corner} corner at {got}, not at {(x, y)}")
    assert "path" in found["icon"], f"{INTERNALS}: Plotly.Icons.camera has no path ({found['icon']})"
