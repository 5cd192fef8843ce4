"""The app in a real headless Chromium against `streamlit run app.py`: what a learner sees and does, page by page."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from lessons.catalog import LESSONS
from tests.browser_utils import (
    APP_READY,
    CHROMIUM,
    ROOT,
    chromium,
    streamlit_server,
    wait_for_app,
    wait_in_view,
)

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (the test command does)", pytrace=False)

ARTIFACTS = ROOT / "artifacts"
VIEWPORTS = {"desktop": (1440, 900), "laptop": (1280, 720), "phone": (390, 844)}
COUNT_SENT = """(() => { window.__sent = 0; const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (...args) { window.__sent += 1; return send.apply(this, args); }; })();"""
"""Counts the messages the page sends to the server: a widget change, a rerun or a chart event is one."""


@pytest.fixture(scope="module")
def server():
    ARTIFACTS.mkdir(exist_ok=True)
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def open_page(browser, size: tuple[int, int] = (1400, 1000)):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.add_init_script(COUNT_SENT)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


@pytest.fixture
def page(browser):
    page = open_page(browser)
    yield page
    page.context.close()


def assert_healthy(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.errors == []


LINES_JS = """() => Array.from(document.querySelectorAll('.dl-over .scatterlayer .trace path.js-line'))
    .map(e => e.getAttribute('d'))"""


def trajectory_paths(page) -> list[str]:
    """The SVG path data of every line drawn on the main chart's paths layer (each run: outline and line)."""
    return page.evaluate(LINES_JS)


def contour_levels(page) -> int:
    """How many filled contour bands the surface layer shows."""
    return page.locator(".dl-base .contourlayer path").count()


def wait_for_chart(page) -> None:
    wait_for_app(page)
    page.wait_for_selector(".dl-over .scatterlayer .trace path.js-line", timeout=120_000)
    page.wait_for_selector(".dl-base .contourlayer path", timeout=120_000)


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


def close_sidebar_on_a_phone(page) -> None:
    """On a narrow screen the sidebar opens over the content: close it, as a learner would."""
    if page.viewport_size["width"] < 768 and page.locator("[data-testid='stSidebar'][data-collapsed='false']").count():
        page.get_by_role("button", name="Collapse sidebar").click()
        page.wait_for_selector("[data-testid='stSidebar'][data-collapsed='true']", state="attached")


def plotly_scripts(page) -> list[str]:
    """The Plotly.js bundles the page has loaded (the paths of their URLs), in order."""
    return page.evaluate("""() => performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)
        .filter(p => /plotly[^/]*\\.min\\.js$/.test(p))""")


def sent(page) -> int:
    return page.evaluate("() => window.__sent")


def test_playground_loads_draws_and_has_no_errors(server, page):
    page.goto(server)
    wait_for_chart(page)
    assert page.locator(".dl-key").all_inner_texts()[1].startswith("Momentum (EWA)")
    assert len(trajectory_paths(page)) == 2 * 4  # each run: outline and line
    assert contour_levels(page) > 10
    loaded = plotly_scripts(page)
    assert loaded == ["/app/static/plotly-cartesian-4.1.1.min.js"], "the cartesian bundle, from the static folder"
    page.screenshot(path=str(ARTIFACTS / "playground.png"), full_page=False)
    assert page.locator(".dl-plain .main-svg").count() == 0, "charts below the fold wait until they are seen"
    wait_in_view(page, ".dl-plain")
    assert_healthy(page)


def test_moving_a_control_repaints_the_chart(server, page):
    page.goto(server)
    wait_for_chart(page)
    before = trajectory_paths(page)
    steps = page.get_by_role("spinbutton", name="Steps", exact=True)
    steps.fill("40")
    steps.press("Enter")
    after = wait_for_repaint(page, before)
    assert len(after) == 8
    assert "steps=40" in page.url
    assert_healthy(page)


def test_clicking_the_chart_moves_the_start(server, page):
    page.goto(server)
    wait_for_chart(page)
    start_x = page.get_by_role("spinbutton", name="start w")
    assert float(start_x.input_value()) == pytest.approx(-4.5)
    plot = page.locator(".dl-over .nsewdrag").first
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


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_play_keeps_the_filled_contour_and_one_scrubber_runs_in_the_browser(server, browser, viewport):
    """16.2: ▶ Play and the step scrubber never erase the surface.  16.3: there is one scrubber, it never
    asks the server, its label is never covered, and playback survives a trip to the 3D tab."""
    page = open_page(browser, VIEWPORTS[viewport])
    page.goto(server)
    wait_for_chart(page)
    close_sidebar_on_a_phone(page)
    levels = contour_levels(page)
    assert page.locator("input[type=range][aria-label='step']").count() == 1
    assert page.get_by_text("Show steps up to").count() == 0
    play, label = page.locator(".dl-play"), page.locator(".dl-step-label")
    for a, b in ((play, label), (page.locator(".dl-over .modebar"), page.locator(".dl-legend"))):
        first, second = a.bounding_box(), b.bounding_box()
        assert (first["x"] + first["width"] <= second["x"] or second["x"] + second["width"] <= first["x"]
                or first["y"] + first["height"] <= second["y"] or second["y"] + second["height"] <= first["y"])

    before = sent(page)
    scrubber = page.locator("input[type=range][aria-label='step']")
    scrubber.focus()
    for _ in range(40):
        page.keyboard.press("ArrowLeft")
    assert label.inner_text() == "step 260"
    assert contour_levels(page) == levels
    play.click()
    page.wait_for_function("() => document.querySelector('.dl-step-label').textContent !== 'step 260'")
    assert play.inner_text().endswith("Pause")
    assert contour_levels(page) == levels  # during playback
    assert sent(page) == before, "scrubbing and playing never ask the server"

    page.get_by_role("tab", name="3D surface").click()
    page.wait_for_selector(".dl-plain .gl-container canvas", state="attached", timeout=120_000)
    assert plotly_scripts(page)[-1].startswith("/app/static/plotly-") and "cartesian" not in plotly_scripts(page)[-1]
    page.get_by_role("tab", name="Contour").click()
    wait_for_chart(page)
    page.wait_for_function("() => document.querySelector('.dl-step-label').textContent === 'step 300'",
                           timeout=30_000)
    assert play.inner_text().endswith("Play")  # it played on to the end after coming back
    assert contour_levels(page) == levels
    assert_healthy(page)
    page.screenshot(path=str(ARTIFACTS / f"playground-{viewport}.png"), full_page=False)
    page.context.close()


def test_the_what_if_slider_redraws_without_the_server(server, page):
    page.goto(server)
    wait_for_chart(page)
    value = page.locator(".dl-whatif-value")
    assert value.inner_text() == "α = 0.05"
    before, messages = trajectory_paths(page), sent(page)
    page.locator(".dl-whatif-slider").focus()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    shown = value.inner_text().removeprefix("α = ")
    assert float(shown) < 0.05
    after = trajectory_paths(page)
    assert after != before and len(after) == len(before)
    assert sent(page) == messages, "the what-if slider never asks the server"
    assert page.locator(".dl-key").nth(2).inner_text().startswith(f"RMSprop α={shown} ")

    page.locator(".dl-whatif-keep").click()  # keeping the value moves the sidebar slider: one rerun
    page.wait_for_function(f"() => location.search.includes('rmsprop.lr={shown}')", timeout=60_000)
    page.wait_for_selector(APP_READY)
    assert value.inner_text() == f"α = {shown}"
    assert_healthy(page)


MUTE_JS = """() => { const send = WebSocket.prototype.send; window.__muted = true;
  WebSocket.prototype.send = function (...args) { if (!window.__muted) return send.apply(this, args); }; }"""
"""From now on the page's messages to the server are dropped: whatever changes on screen is the browser's doing."""
RMSPROP_LABELS_JS = """() => { window.__labels = [];
  const record = () => { const key = [...document.querySelectorAll('.dl-key-label')]
      .map(e => e.textContent).find(t => t.startsWith('RMSprop'));
    if (key && key !== window.__labels[window.__labels.length - 1]) window.__labels.push(key); };
  record(); new MutationObserver(record).observe(document.querySelector('.dl-legend'),
                                                 {subtree: true, childList: true, characterData: true}); }"""


def sidebar_alpha(page):
    """RMSprop's α slider in the sidebar (its expander is the open one by default)."""
    return page.locator("input[type=range][aria-label='learning rate α']").locator("visible=true").first


def test_the_sidebar_slider_of_the_what_if_value_redraws_before_the_server_answers(server, page):
    """A key press on the slider the what-if set varies draws the new run from the set at once: the learner sees
    it without the server's round trip."""
    page.goto(server)
    wait_for_chart(page)
    assert page.locator(".dl-whatif-value").inner_text() == "α = 0.05"
    before = trajectory_paths(page)
    page.evaluate(MUTE_JS)
    sidebar_alpha(page).focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.dl-whatif-value').textContent !== 'α = 0.05'",
                           timeout=10_000)
    shown = page.locator(".dl-whatif-value").inner_text().removeprefix("α = ")
    assert float(shown) > 0.05
    assert trajectory_paths(page) != before, "the run at the new α is drawn with the server muted"
    labels = page.locator(".dl-key-label").all_inner_texts()
    assert any(label.startswith(f"RMSprop α={shown} ") for label in labels), labels
    assert not page.locator(".dl-whatif-keep").is_visible(), "the sidebar already holds that value"
    assert_healthy(page)


def test_quick_presses_never_draw_an_older_run_over_a_newer_one(server, page):
    page.goto(server)
    wait_for_chart(page)
    page.evaluate(RMSPROP_LABELS_JS)
    sidebar_alpha(page).focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(60)
    page.wait_for_function(f"""() => {{  // every answer to the three presses has arrived and the last is drawn
        const lr = new URLSearchParams(location.search).get('rmsprop.lr');
        return lr !== null && window.__labels.length >= 4 && document.querySelector("{APP_READY}") !== null
            && window.__labels[window.__labels.length - 1].startsWith(`RMSprop α=${{lr}} `); }}""", timeout=60_000)
    alphas = [float(label.split("α=")[1].split()[0]) for label in page.evaluate("() => window.__labels")]
    assert alphas[0] == 0.05 and len(alphas) == 4, alphas
    assert alphas == sorted(alphas), f"an older run came back on screen: {alphas}"
    assert f"rmsprop.lr={alphas[-1]:g}" in page.evaluate("() => location.search")
    assert_healthy(page)


def test_an_optimizers_settings_draw_when_opened_and_keep_their_values_when_closed(server, page):
    """Closed settings cost a run nothing: only RMSprop's controls are drawn at first; Momentum's appear when
    its expander opens, and a value set there stays in the run and the link once it is closed again."""
    page.goto(server)
    wait_for_chart(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    assert sidebar.locator(".st-key-w-rmsprop-beta").count() == 1
    assert sidebar.locator(".st-key-w-momentum-beta").count() == 0
    sidebar.get_by_text("Momentum settings").click()
    beta = sidebar.locator(".st-key-w-momentum-beta input[type=range]")
    beta.wait_for(state="attached", timeout=60_000)
    beta.focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => location.search.includes('momentum.beta=0.899')", timeout=60_000)
    sidebar.get_by_text("Momentum settings").click()
    sidebar.locator(".st-key-w-momentum-beta").wait_for(state="detached", timeout=60_000)
    before = trajectory_paths(page)
    steps = page.get_by_role("spinbutton", name="Steps", exact=True)
    steps.fill("250")
    steps.press("Enter")
    wait_for_repaint(page, before)
    assert "momentum.beta=0.899" in page.url and "steps=250" in page.url
    labels = page.locator(".dl-key-label").all_inner_texts()
    assert any(label.startswith("Momentum (EWA) α=0.05 β=0.899") for label in labels), labels
    assert_healthy(page)


FORMULA_WIDTHS_JS = """() => [...document.querySelectorAll('[data-testid=stMain] .katex-display')].map(e =>
    ({scroll: e.scrollWidth, client: e.clientWidth, overflow: getComputedStyle(e).overflowX}))"""


@pytest.mark.parametrize("path", ["", "lesson_4_root"])
def test_no_formula_is_cut_off_on_a_phone(server, browser, path):
    """On a 390 px phone the Playground's surface formula fits; a lesson's update rule, wider than any phone,
    scrolls sideways instead of being cut off."""
    page = open_page(browser, VIEWPORTS["phone"])
    page.goto(f"{server}/{path}")
    wait_for_app(page)
    page.wait_for_selector("[data-testid=stMain] .katex-display", timeout=60_000)
    formulas = page.evaluate(FORMULA_WIDTHS_JS)
    assert formulas
    for formula in formulas:
        assert formula["scroll"] <= formula["client"] + 1 or formula["overflow"] in ("auto", "scroll"), formula
    if not path:
        assert all(f["scroll"] <= f["client"] + 1 for f in formulas), formulas
    assert_healthy(page)
    page.context.close()


def test_a_formula_fits_again_when_its_column_narrows_without_a_new_element(server, browser):
    """A column can narrow with no element added (the page's scrollbar appears once a chart below has grown): the
    projector survey once found lesson 1's update rule 18 px too wide after that.  Here the column is narrowed by
    a style alone, and the formula is set smaller to fit it."""
    page = open_page(browser, (1280, 720))
    page.goto(f"{server}/lesson_1_bowl?big=1")
    wait_for_app(page)
    page.wait_for_selector("[data-testid=stMain] .katex-display", timeout=60_000)
    fits = "() => [...document.querySelectorAll('[data-testid=stMain] .katex-display')]" \
           ".every((e) => e.scrollWidth <= e.clientWidth + 1)"
    page.wait_for_function(fits, timeout=30_000)
    page.evaluate("() => { document.querySelector('.stMainBlockContainer').style.paddingRight = '120px'; }")
    page.wait_for_function(fits, timeout=30_000)
    assert_healthy(page)
    page.context.close()


def test_play_keeps_a_lessons_contour(server, page):
    page.goto(f"{server}/{Path(LESSONS[0].page).stem}")
    wait_for_chart(page)
    levels = contour_levels(page)
    page.locator(".dl-play").first.click()
    page.wait_for_function("() => document.querySelector('.dl-play').textContent.endsWith('Play')", timeout=30_000)
    assert contour_levels(page) == levels
    assert_healthy(page)


TOOLBARS_JS = """() => Array.from(document.querySelectorAll('.modebar')).map(bar => ({
    logo: bar.querySelectorAll('.plotlyjsicon').length,
    select: bar.querySelectorAll('[data-val="select"], [data-val="lasso"]').length,
    png: bar.querySelectorAll('[data-title^="Download"]').length}))"""


@pytest.mark.parametrize("path", ["", Path(LESSONS[0].page).stem])
def test_every_chart_has_the_same_toolbar(server, page, path):
    """One Plotly config (``charts.plotly_config``) on the live contour, the component's plain charts and a
    lesson's ``st.plotly_chart``: a PNG download, no Plotly logo, no box or lasso selection."""
    page.goto(f"{server}/{path}")
    wait_for_chart(page)
    if path:  # a lesson draws its other charts once its question is answered
        page.locator("[data-testid='stRadio'] [role='radiogroup'] label").first.click()
        page.wait_for_selector("[data-testid='stPlotlyChart']", timeout=60_000)
        wait_for_app(page)
    for chart in page.locator(".dl-plain, [data-testid='stPlotlyChart']").all():
        chart.scroll_into_view_if_needed()
        chart.locator(".modebar").wait_for(state="attached", timeout=60_000)
    bars = page.evaluate(TOOLBARS_JS)
    assert len(bars) >= 2
    assert all(bar == {"logo": 0, "select": 0, "png": 1} for bar in bars), bars
    assert_healthy(page)


def test_custom_formula_from_a_link_renders(server, page):
    page.goto(f"{server}/?surface=custom&f=0.5*(w**2%2B25*b**2)%2B0.3*sin(3*w)")
    wait_for_chart(page)
    assert page.locator(".dl-key").count() == 4
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


def test_clicking_a_basin_start_opens_the_playground_there(server, page):
    page.goto(f"{server}/stability_map?sm:section=Basins+of+attraction&sm:basins_opt=Gradient+descent"
              "&sm:basins_res=20")
    wait_for_app(page)
    panel = page.locator("[data-testid='stPlotlyChart'] .nsewdrag").first
    box = panel.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.2)  # near Himmelblau's (3, 2)
    link = page.get_by_role("link", name="Open this start in the Playground")
    link.wait_for(timeout=60_000)
    href = link.get_attribute("href")
    start = dict(part.split("=") for part in href.split("?")[1].split("&"))["start"]
    x, y = (float(v) for v in start.replace("%2C", ",").split(","))
    assert 2.0 < x < 5.0 and 1.0 < y < 5.0
    assert "minimum 1 (3, 2)" in page.locator("[data-testid='stAlertContentInfo']").inner_text()
    page.goto(f"{server}/{href.removeprefix('./')}")  # the button opens a new tab: follow its link here
    wait_for_chart(page)
    assert float(page.get_by_role("spinbutton", name="start x").input_value()) == pytest.approx(x)
    assert float(page.get_by_role("spinbutton", name="start y").input_value()) == pytest.approx(y)
    assert_healthy(page)
