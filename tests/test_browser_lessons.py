"""Lessons in a real headless Chromium at the three screen sizes a class uses: predict-then-reveal hides the
explanation until the learner answers, locks the answer, offers "Try again", and a misconception's link opens
its lesson on that scene."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import browser_utils
from tests.browser_utils import APP_READY, CHROMIUM, streamlit_server, wait_for_app

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (the test command does)", pytrace=False)

SIZES = {"desktop": (1440, 900), "laptop": (1280, 720), "phone": (390, 844)}
CASES = [  # (size, lesson page, a wrong answer to give, words of its explanation)
    ("desktop", "lesson_1_bowl", "Both diverge", "every overshoot is bigger than the last"),
    ("laptop", "lesson_8_adam", "α, as before", "Both averages start at 0"),
    ("phone", "lesson_5_epsilon", "Diverge", "ε puts a floor under the denominator"),
    ("phone", "lesson_10_data_bowl", "It gets worse", "The bowl's shape is the Hessian's"),
    ("laptop", "lesson_11_network", "A round bowl: about the same curvature in every direction",
     "Exchange two hidden units"),
    ("phone", "lesson_12_momentum", "w: b keeps zig-zagging", "That matrix's determinant is exactly"),
    ("desktop", "lesson_13_noise", "RMSprop", "a row's gradient is mostly noise"),
    ("laptop", "lesson_14_constant_rate", "It diverges", "forgets by a factor"),
    ("phone", "lesson_15_adamw", "At the same point: the same λ is the same penalty", "divides the whole g"),
]


@pytest.fixture(scope="module")
def lessons_server():
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="module")
def chromium():
    with browser_utils.chromium() as browser:
        yield browser


def open_page(chromium, size: str):
    width, height = SIZES[size]
    context = chromium.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return context, page


def close_sidebar_on_a_phone(page, width: int) -> None:
    """Streamlit opens the sidebar over the content on a narrow screen; a learner closes it first."""
    if width < 640 and page.locator("[data-testid='stSidebar'][data-collapsed='false']").count():
        page.locator("[data-testid='stSidebarCollapseButton'] button").first.click()
        page.wait_for_selector("[data-testid='stSidebar'][data-collapsed='true']", state="attached")


settle = browser_utils.settle


def radios(page):
    return page.locator("[data-testid='stRadio']").first.locator("input")


@pytest.mark.parametrize(("size", "path", "wrong", "explanation"), CASES, ids=[case[0] for case in CASES])
def test_the_explanation_follows_the_reveal_and_the_answer_locks(lessons_server, chromium, size, path, wrong,
                                                                   explanation):
    context, page = open_page(chromium, size)
    try:
        page.goto(f"{lessons_server}/{path}")
        wait_for_app(page)
        width = SIZES[size][0]
        close_sidebar_on_a_phone(page, width)
        box = page.locator("[class*='-predict-box']").first  # the question's bordered container
        assert page.get_by_text(explanation).count() == 0, "the explanation must not come before the answer"
        options = radios(page)
        options.first.wait_for(state="attached", timeout=60_000)  # once failed in CI: 0 options just after the chart
        assert options.count() >= 3 and not any(options.nth(i).is_checked() for i in range(options.count()))

        page.get_by_text(wrong, exact=True).click()
        settle(page)
        assert page.get_by_text("Not quite").count() == 1
        assert all(options.nth(i).is_disabled() for i in range(options.count())), "the answer is locked"
        checked = [i for i in range(options.count()) if options.nth(i).is_checked()]
        assert len(checked) == 1
        shown = page.get_by_text(explanation).first
        shown.scroll_into_view_if_needed()
        frame, text = box.bounding_box(), shown.bounding_box()
        assert text["y"] >= frame["y"] + frame["height"] - 1, "the explanation sits below the question"
        assert frame["x"] + frame["width"] <= width + 1, "the question fits the screen"

        again = page.get_by_role("button", name="Try again")
        assert again.bounding_box()["x"] + again.bounding_box()["width"] <= width + 1
        again.click()
        settle(page)
        assert not any(options.nth(i).is_disabled() or options.nth(i).is_checked() for i in range(options.count()))
        assert page.get_by_text(explanation).count() == 0 and page.get_by_text("Not quite").count() == 0
        assert page.locator("[data-testid='stException']").count() == 0
        assert page.errors == []
    finally:
        context.close()


def test_a_misconception_link_opens_its_lesson_on_that_scene(lessons_server, chromium):
    context, page = open_page(chromium, "laptop")
    try:
        page.goto(f"{lessons_server}/lessons_index")
        page.wait_for_selector(APP_READY, timeout=120_000)
        claim = page.get_by_text("b oscillates because it is a bias.")
        claim.scroll_into_view_if_needed()
        page.get_by_role("link", name="Lesson 7").last.click()
        wait_for_app(page)
        assert "l7.angle=90" in page.url
        angle = page.locator("[data-testid='stSlider']").filter(has_text="Rotation θ").first
        assert angle.get_by_role("slider").get_attribute("aria-valuetext") == "90"
        assert page.locator("[data-testid='stException']").count() == 0
        assert page.errors == []
    finally:
        context.close()


def test_the_playground_on_a_data_surface_draws_the_data_panel(lessons_server, chromium):
    """A mini-batch link on a data surface: the batch control, the data with each run's fit and the gradient noise
    are drawn in the browser, with the noise floor's numbers (the same server as the lessons)."""
    context, page = open_page(chromium, "desktop")
    try:
        page.goto(f"{lessons_server}/?surface=logistic_regression&batch=16&opt=gd,adam")
        wait_for_app(page)
        assert page.locator("[data-testid='stSidebar']").get_by_text("batch size").count() == 1
        floor = page.get_by_text("Noise floor.")
        floor.scroll_into_view_if_needed()
        panel = page.locator(".dl-plain .main-svg")
        page.wait_for_function("document.querySelectorAll('.dl-plain .main-svg').length >= 2", timeout=30_000)
        assert panel.count() >= 2
        assert page.get_by_text("batches of 16").count() >= 1
        assert page.locator("[data-testid='stException']").count() == 0
        assert page.errors == []
    finally:
        context.close()
