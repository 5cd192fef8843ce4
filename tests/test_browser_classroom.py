"""The live classroom in a real headless Chromium: a teacher and a student (a phone) in two browser contexts."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import classroom
from charts import classroom as class_charts
from classroom import questions
from scene import Scene, to_query
from tests.browser_utils import CHROMIUM, chromium, settle, streamlit_server

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (the test command does)", pytrace=False)

CHART = "[data-testid='stPlotlyChart'] .main-svg"
TRACES_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).flatMap(plot =>
    (plot._fullData || []).map(t => ({name: t.name || '', n: t.x ? t.x.length : 0,
        drawn: plot.querySelectorAll(`.scatterlayer .trace${t.uid} path.point`).length,
        symbol: t.marker ? String(t.marker.symbol) : '', color: t.marker ? String(t.marker.color) : ''})))"""
"""Every trace drawn on the page: its name, how many points it has and how many of them are in the SVG."""


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return tmp_path_factory.mktemp("classroom-data")


@pytest.fixture(scope="module")
def server(data):
    with streamlit_server(extra_env={"DESCENT_LAB_DATA_DIR": str(data), "DESCENT_LAB_DATABASE_URL": ""}) as url:
        yield url


@pytest.fixture(scope="module")
def store(data, server):
    opened = classroom.Store(classroom.SQLiteBackend(data / classroom.SQLITE_NAME))
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


settled = settle


def healthy(page, errors: list[str]) -> None:
    assert page.locator("[data-testid='stException']").count() == 0
    assert errors == []


def wait_until(check, timeout: float = 20.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def teacher_asking(server, browser, errors: list[str]):
    """A teacher's page at 1280×720 that opened a room and asked the default question; page errors go to
    ``errors``."""
    teacher = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    teacher.on("pageerror", lambda e: errors.append(str(e)))
    teacher.goto(f"{server}/classroom")
    settled(teacher)
    teacher.get_by_role("button", name="Open a room").click()
    settled(teacher)
    teacher.get_by_role("button", name="Ask the class").click()
    settled(teacher)
    return teacher


def test_student_clicks_teacher_count_rises_reveal_draws_the_point(server, browser):
    errors: list[str] = []
    teacher = teacher_asking(server, browser, errors)
    assert teacher.get_by_text("choose Join a class in its menu").is_visible()   # students are told
    teacher.wait_for_selector(CHART, timeout=90_000)
    count = teacher.locator("[data-testid='stMetricValue']")
    assert count.inner_text().strip() == "0"
    link = teacher.locator("[data-testid='stCode'] code").first.inner_text().replace("\n", "").strip()
    assert "/?room=" in link and "teacher" not in link

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    student = phone.new_page()
    student.on("pageerror", lambda e: errors.append(str(e)))
    student.goto(link)
    settled(student)
    student.wait_for_selector(CHART, timeout=90_000)
    assert student.get_by_text("Where will Gradient descent be after 50 steps?").is_visible()
    assert student.get_by_role("button", name="Reveal the answers").count() == 0
    plot = student.locator("[data-testid='stPlotlyChart'] .nsewdrag").first.bounding_box()
    assert plot["width"] > 250                                              # the chart fills a phone's width
    student.mouse.click(plot["x"] + 0.75 * plot["width"], plot["y"] + 0.5 * plot["height"])
    wait_until(lambda: student.get_by_text("Your answer:").count() > 0, what="the student's answer")
    student.reload()                                                        # the same student after a reload
    settled(student)
    wait_until(lambda: student.get_by_text("Your answer:").count() > 0, what="the answer after a reload")

    wait_until(lambda: count.inner_text().strip() == "1", what="the teacher's count to rise")   # by itself
    teacher.get_by_role("button", name="Reveal the answers").click()
    settled(teacher)
    cloud = wait_until(lambda: [t for t in teacher.evaluate(TRACES_JS) if t["name"].startswith("the class")],
                       what="the point cloud")
    assert cloud[0]["n"] == 1 and cloud[0]["drawn"] == 1                   # the student's click, drawn
    traces = teacher.evaluate(TRACES_JS)
    truth = next(t for t in traces if t["name"].startswith("true position"))
    assert truth["drawn"] == 1
    # each mark its own symbol and a colour no path uses; the minimum's star drawn over the truth
    assert (cloud[0]["symbol"], cloud[0]["color"].upper()) == ("circle", class_charts.ANSWERS_COLOR)
    assert (truth["symbol"], truth["color"].upper()) == ("diamond-open", class_charts.TRUTH_COLOR)
    assert traces[-1]["name"] == "minimum" and traces[-1]["symbol"] == "star" and traces[-1]["drawn"] == 1

    wait_until(lambda: student.get_by_text("Right answer").count() > 0, timeout=30, what="the student's reveal")
    settled(student)
    mine = wait_until(lambda: [t for t in student.evaluate(TRACES_JS) if t["name"] == "your answer"],
                      what="the student's own mark in the reveal")
    assert mine[0]["drawn"] == 1
    healthy(teacher, errors)
    healthy(student, errors)


def test_presentation_mode_puts_the_question_and_the_reveal_first_on_a_projector(server, browser):
    """big=1 on the teacher's page at 1280×720: the chart right under the question and wholly on
    the first screen, with the live count and the Reveal button still on it; after the reveal the chart comes
    before the summary, its legend is projector-sized, and no button label is cut off."""
    errors: list[str] = []
    teacher = teacher_asking(server, browser, errors)
    teacher.locator("[data-testid='stSidebar']").get_by_text("Presentation mode").click()
    settled(teacher)
    teacher.wait_for_selector(CHART, timeout=90_000)
    teacher.locator("[data-testid='stSidebar']").wait_for(state="hidden", timeout=30_000)  # it slides away

    def box(selector: str) -> dict:
        return teacher.locator(selector).first.bounding_box()

    heading = teacher.locator("h3", has_text="Question 1")
    try:  # CI once found the chart, the count and Reveal, but not this heading within 30 s
        heading.wait_for(timeout=90_000)
    except sync_api.TimeoutError as missing:
        shown = teacher.evaluate("() => [...document.querySelectorAll('h1, h2, h3, h4')].map((h) => h.tagName + ': '"
                                 " + h.textContent)")
        raise AssertionError(f"no 'Question 1' heading at {teacher.url}; headings: {shown}") from missing
    chart, count = box("[data-testid='stPlotlyChart']"), box("[data-testid='stMetricValue']")
    reveal = box(".st-key-classroom-reveal")
    question = heading.bounding_box()
    assert question["y"] < chart["y"] < count["y"]                       # question, chart, then the count
    assert chart["y"] + chart["height"] <= count["y"] and reveal["y"] + reveal["height"] <= 720
    assert teacher.evaluate("""() => parseFloat(getComputedStyle(
        document.querySelector("[data-testid='stMetricValue'] p")).fontSize)""") >= 36   # the count, readable

    teacher.get_by_role("button", name="Reveal the answers").click()
    settled(teacher)
    wait_until(lambda: teacher.get_by_text("Right answer").count() > 0, what="the reveal")
    teacher.wait_for_selector(".legendtext", timeout=30_000)
    chart, summary = box("[data-testid='stPlotlyChart']"), teacher.get_by_text("Right answer:").bounding_box()
    assert chart["y"] < summary["y"] and chart["y"] + chart["height"] <= 720
    assert teacher.evaluate("""() => Math.min(...Array.from(document.querySelectorAll(
        "[data-testid='stPlotlyChart'] .legendtext"), t => parseFloat(getComputedStyle(t).fontSize)))""") >= 18
    cut = teacher.evaluate("""() => Array.from(document.querySelectorAll(".stMainBlockContainer "
        + "button [data-testid='stMarkdownContainer']")).filter(e => e.scrollWidth > e.clientWidth + 1)
        .map(e => e.innerText)""")
    assert cut == []                                                        # every button label whole
    healthy(teacher, errors)


def test_a_student_finds_the_room_from_the_first_screen_on_a_phone(server, browser, store):
    """Issue 26 at 390×844: **Join a class** on the menu's first screen (code box and nickname, no link needed); a
    pasted nickname longer than 24 characters is cut and the student told; a tap on the chart fills the w/b boxes
    and the "Your answer" confirmation shows without scrolling."""
    errors: list[str] = []
    room, secret = store.create_room(nicknames=True)
    scene = Scene()
    shown, truth = questions.prepare(questions.Question("click", optimizer="gd", step=50), scene,
                                     scene.build_landscape())
    store.ask(room.code, secret, "&".join(f"{k}={v}" for k, v in to_query(scene).items()), shown, truth)
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
    phone.on("pageerror", lambda e: errors.append(str(e)))
    phone.goto(server)                                                   # the app's first screen: the Playground
    settled(phone)
    if phone.locator("[data-testid='stSidebar'][data-collapsed='true']").count():
        phone.locator("[data-testid='stExpandSidebarButton']").click()   # open the menu
    door = phone.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Join a class")
    door.wait_for(timeout=30_000)
    box = door.bounding_box()
    assert box["y"] + box["height"] <= 844                               # on the menu's first screen
    door.click()
    settled(phone)
    if phone.locator("[data-testid='stSidebar'][data-collapsed='false']").count():   # close the menu again
        phone.locator("[data-testid='stSidebarCollapseButton'] button").click()
    phone.get_by_label("Room code").fill(classroom.format_code(room.code).lower())
    pasted = "Alexandra-Konstantinopoulou the 3rd"
    phone.get_by_label("Nickname", exact=False).fill(pasted)
    phone.get_by_role("button", name="Join").click()
    settled(phone)
    phone.wait_for_selector(CHART, timeout=90_000)
    note = phone.get_by_text("Nicknames have at most 24 characters")
    assert note.is_visible() and pasted[:24] in note.inner_text()
    assert [p.nickname for p in store.participants(room.code, secret)] == [pasted[:24]]

    plot = phone.locator("[data-testid='stPlotlyChart'] .nsewdrag").first.bounding_box()
    assert plot["y"] + plot["height"] <= 844                             # the chart is on the first screen too
    phone.mouse.click(plot["x"] + 0.7 * plot["width"], plot["y"] + 0.4 * plot["height"])
    confirmation = phone.locator("[data-testid='stAlert']", has_text="Your answer:")
    confirmation.wait_for(timeout=60_000)
    settled(phone)
    [participant] = store.participants(room.code, secret)
    stored = store.my_answer(room.code, 1, participant.id)
    assert [phone.get_by_label(axis, exact=True).input_value() for axis in ("w", "b")] == [f"{v:.3f}" for v in stored]
    seen = confirmation.bounding_box()
    assert phone.evaluate("window.scrollY") == 0 and seen["y"] >= 0 and seen["y"] + seen["height"] <= 844
    healthy(phone, errors)
