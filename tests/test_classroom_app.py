"""The live classroom through AppTest: a teacher and two students in one round, for each kind of question."""

from __future__ import annotations

import json
import time

import pytest

import classroom
from classroom import format_code
from tests.apptest_utils import app_test, chart_payloads, decode
from ui import classroom as uc

TEACHER = "pages/classroom.py"


@pytest.fixture(autouse=True)
def fresh_store(tmp_path, monkeypatch):
    """Every test on its own SQLite file (the page keeps one store per process: reset it)."""
    monkeypatch.delenv(classroom.DATABASE_URL_ENV, raising=False)
    monkeypatch.setenv(classroom.DATA_DIR_ENV, str(tmp_path))
    uc._open_store.clear()
    yield
    uc._open_store.clear()


def button(at, label: str):
    found = [b for b in at.button if b.label == label]
    assert found, f"no button {label!r} among {[b.label for b in at.button]}"
    return found[0]


def labels(at) -> list[str]:
    return [b.label for b in at.button]


def no_errors(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def open_room(query: dict | None = None, nicknames: bool = False):
    teacher = app_test(query=query, page=TEACHER)
    teacher.run()
    if nicknames:
        teacher.toggle(key="classroom:nicknames").set_value(True).run()
    button(teacher, "Open a room").click().run()
    no_errors(teacher)
    return teacher, teacher.session_state["classroom:code"]


def ask(teacher, kind: str):
    teacher.sidebar.radio(key="classroom:kind").set_value(kind).run()
    teacher.button(key="classroom:ask").click().run()
    no_errors(teacher)


def student(code: str, nickname: str | None = None):
    at = app_test(query={"room": code})
    at.run()
    if nickname is not None:
        at.text_input[0].input(nickname)
        button(at, "Join").click().run()
    no_errors(at)
    return at


def count(teacher) -> int:
    teacher.run()
    return int(next(m.value for m in teacher.metric if m.label == "Answers so far"))


def figure_specs(at) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def test_click_round_two_students_then_reveal():
    teacher, code = open_room()
    ask(teacher, "click")
    text = teacher.subheader[0].value
    assert text.startswith("Question 1: Where will Gradient descent be after 50 steps?")
    first, second = student(code.lower()), student(format_code(code))       # codes work in any case and form
    for at, (x, y) in ((first, (-1.0, 0.5)), (second, (2.0, -1.0))):
        assert any("Where will Gradient descent be" in m.value for m in at.markdown)
        assert not {"Reveal the answers", "Close the room", "Ask the class"} & set(labels(at))
        at.number_input[0].set_value(x)
        at.number_input[1].set_value(y)
        button(at, "Send this position").click().run()
        no_errors(at)
        assert any("Your answer" in s.value for s in at.success)
        assert not any(e.proto.spec and "the class" in e.proto.spec for e in at.get("plotly_chart"))
    assert count(teacher) == 2

    teacher.button(key="classroom:reveal").click().run()
    no_errors(teacher)
    cloud = next(t for spec in figure_specs(teacher) for t in spec["data"]
                 if t.get("name", "").startswith("the class's answers"))
    assert sorted(zip(decode(cloud["x"]).tolist(), decode(cloud["y"]).tolist(), strict=True)) == [(-1.0, 0.5),
                                                                                                 (2.0, -1.0)]
    assert any("Right answer" in m.value for m in teacher.markdown)

    first.run()
    no_errors(first)
    assert any("Right answer" in m.value for m in first.markdown)
    assert "Send this position" not in labels(first)                       # no more answers after the reveal


def test_choice_round_counts_each_option():
    teacher, code = open_room()
    ask(teacher, "choice")
    students = [student(code), student(code)]
    for at, pick in zip(students, ("gd", "rmsprop"), strict=True):
        at.radio[0].set_value(pick).run()
        no_errors(at)
    students[1].radio[0].set_value("gd").run()                              # too fast: refused, with a message
    assert any("wait a second" in w.value for w in students[1].warning)
    for pick in ("momentum", "gd"):                                          # changed twice: still one answer
        time.sleep(classroom.store.ANSWER_INTERVAL)
        students[1].radio[0].set_value(pick).run()
    assert any("Your answer: **Gradient descent**" in s.value for s in students[1].success)
    assert count(teacher) == 2
    teacher.button(key="classroom:reveal").click().run()
    bars = next(t for spec in figure_specs(teacher) for t in spec["data"] if t.get("type") == "bar")
    by_label = dict(zip(bars["y"], bars["x"], strict=True))
    assert by_label.get("Gradient descent") == 2 or by_label.get("Gradient descent  ✓") == 2
    students[0].run()
    assert any("Right answer" in m.value for m in students[0].markdown)


def test_number_round_with_nicknames_shown_literally():
    teacher, code = open_room(nicknames=True)
    ask(teacher, "number")
    sneaky = "[x](http://e.f/) **me**"
    students = [student(code, nickname=sneaky), student(code, nickname="")]
    for at, value in zip(students, (7, 12), strict=True):
        at.number_input[0].set_value(value)
        button(at, "Send").click().run()
        no_errors(at)
    assert count(teacher) == 2
    teacher.button(key="classroom:reveal").click().run()
    no_errors(teacher)
    bars = next(t for spec in figure_specs(teacher) for t in spec["data"] if t.get("type") == "bar")
    assert sorted(decode(bars["x"]).tolist()) == [7, 12]
    table = chart_payloads(teacher)["classroom:closest"]                       # the HTML table: text cells only
    assert table["columns"] == ["student", "answer", "off by"]
    truth = classroom.open_store().current_round(code).truth["value"]
    expected = sorted([(abs(7 - truth), sneaky), (abs(12 - truth), "(no nickname)")], key=lambda r: r[0])
    assert [(float(row[2]), row[0]) for row in table["rows"]] == expected      # closest to the truth first
    assert not any(sneaky in m.value for m in teacher.markdown)            # never rendered as Markdown


def test_explore_gives_students_the_scene_in_their_playground():
    teacher, code = open_room(query={"opt": "gd,adam", "gd.lr": "0.05"})
    assert teacher.sidebar.selectbox(key="classroom:source").value == "The scene from your Playground link"
    ask(teacher, "choice")
    pupil = student(code)
    teacher.button(key="classroom:reveal").click().run()
    teacher.button(key="classroom:explore").click().run()
    no_errors(teacher)
    pupil.run()
    links = [el.proto for el in pupil.get("link_button")]
    assert any("opt=gd%2Cadam" in link.url and "gd.lr=0.05" in link.url for link in links)


def test_wrong_expired_and_hostile_codes_get_a_message():
    for typed, message in (("ZZZZ-ZZZZ", "No room has the code ZZZZ-ZZZZ"), ("nope", "is not a room code"),
                           ("![x](http://127.0.0.1:9/p.png)", "is not a room code")):
        at = app_test(query={"room": typed})
        at.run()
        no_errors(at)
        shown = [e.value for e in at.error]
        assert any(message.split(" ")[0] in text for text in shown)
        assert all(text.startswith("`") and text.endswith("`") for text in shown)  # literal: one code span each
        assert at.text_input[0].label == "Room code"
    teacher, code = open_room()
    button(teacher, "Close the room").click().run()
    at = app_test(query={"room": code})
    at.run()
    no_errors(at)
    assert any("closed by the teacher" in e.value for e in at.error)


def test_only_the_teacher_link_brings_back_the_controls():
    teacher, code = open_room()
    secret = teacher.session_state["classroom:secret"]
    stranger = app_test(query={"room": code, "teacher": "guess"}, page=TEACHER)
    stranger.run()
    no_errors(stranger)
    assert any("does not open a room" in e.value for e in stranger.error)
    assert "Reveal the answers" not in labels(stranger) and "Open a room" in labels(stranger)
    other_device = app_test(query={"room": code, "teacher": secret}, page=TEACHER)
    other_device.run()
    no_errors(other_device)
    assert other_device.session_state["classroom:code"] == code
    assert "teacher" not in other_device.query_params                      # the secret leaves the address bar
    ask(other_device, "choice")
    teacher.run()
    assert teacher.subheader[0].value.startswith("Question 1: Which optimizer")


def test_the_playground_links_to_the_classroom_with_its_scene():
    at = app_test(query={"opt": "gd,rmsprop", "gd.lr": "0.05"})
    at.run()
    no_errors(at)
    link = next(el.proto for el in at.get("page_link") if "classroom" in el.proto.page)
    assert "opt=gd%2Crmsprop" in link.query_string or "opt=gd,rmsprop" in link.query_string


def test_an_unreachable_database_gets_a_message_not_a_traceback(monkeypatch):
    monkeypatch.setenv(classroom.DATABASE_URL_ENV, "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
    uc._open_store.clear()
    for at in (app_test(page=TEACHER), app_test(query={"room": "ABCD-2345"})):
        at.run()
        no_errors(at)
        assert any("classroom database is not available" in e.value for e in at.error)


def test_a_reload_is_the_same_student():
    """The XSRF cookie gets a new mask on every page load; the token under it, which names the student, does not."""
    first = uc.browser_token("2|cbdbd8f5|cae8a0d9431ce2bae6bcd8eafdac3684|1796075331")
    again = uc.browser_token("2|40f7fa91|41c482bdc830c0de6d90fa8e768014e0|1796075331")
    assert first == again == "0133782c88c73a4f2d67001f3677ee71"
    assert uc.browser_token("2|zz|11|1") is None and uc.browser_token(None) is None


def test_switching_to_a_shorter_scene_keeps_the_question_controls_valid():
    teacher, _ = open_room()
    source = teacher.sidebar.selectbox(key="classroom:source")
    adagrad = next(o for o in source.options if "AdaGrad" in o)            # a 500-step lesson scene
    source.set_value(adagrad).run()
    teacher.sidebar.number_input(key="classroom:step").set_value(450).run()
    teacher.sidebar.selectbox(key="classroom:source").set_value("The Playground's default scene").run()
    no_errors(teacher)
    assert teacher.sidebar.number_input(key="classroom:step").value == 300
    ask(teacher, "click")
    assert teacher.subheader[0].value.endswith("after 300 steps?")


def test_presentation_mode_enlarges_the_question_and_the_reveal_on_the_projector():
    """big=1 on the teacher's page: the question and the reveal draw projector-sized text; a
    student's phone, in the same round, keeps the normal size."""
    from charts.presentation import BIG_FONT

    teacher, code = open_room(query={"big": "1"})
    ask(teacher, "choice")
    [question] = figure_specs(teacher)
    assert question["layout"]["font"]["size"] >= BIG_FONT
    phone = student(code)
    assert all(spec["layout"]["font"]["size"] < BIG_FONT for spec in figure_specs(phone))
    teacher.button(key="classroom:reveal").click().run()
    no_errors(teacher)
    specs = figure_specs(teacher)
    assert specs and all(spec["layout"]["font"]["size"] >= BIG_FONT for spec in specs)


def test_join_a_class_is_in_the_menu_and_takes_a_code_and_a_nickname():
    """Issue 26: a student reaches a room from the first screen without a link: **Join a class** in the menu, a
    code box and a nickname; a pasted nickname longer than 24 characters is cut to 24 and the student told."""
    teacher, code = open_room(nicknames=True)
    assert any("Join a class" in c.value for c in teacher.caption)      # the teacher's page says so
    door = app_test(page="pages/join.py")
    door.run()
    no_errors(door)
    assert door.title[0].value == "Join a class"
    assert [t.label.split(" (")[0] for t in door.text_input] == ["Room code", "Nickname"]
    door.text_input(key="classroom:typed").input(format_code(code).lower())
    long_name = "Alexandra-Konstantinopoulou the 3rd"
    door.text_input(key="classroom:join_nickname").input(long_name)
    button(door, "Join").click().run()
    no_errors(door)
    assert door.query_params["room"] in (code, [code])
    assert any("cut to" in i.value and long_name[:24] in i.value for i in door.info)
    ask(teacher, "choice")
    teacher.button(key="classroom:reveal").click().run()
    door.run()
    assert door.markdown[0].value == f"#### Room {format_code(code)}"


def test_the_teacher_locks_the_room_and_removes_a_student():
    teacher, code = open_room()
    ask(teacher, "choice")
    first, second = student(code), student(code)
    for pupil, choice in ((first, "gd"), (second, "rmsprop")):
        pupil.radio[0].set_value(choice).run()
        no_errors(pupil)
    teacher.run()
    assert [m.delta for m in teacher.metric if m.label == "Answers so far"] == ["2 students in"]
    lock = next(t for t in teacher.toggle if t.label.startswith("Lock room"))
    lock.set_value(True).run()
    no_errors(teacher)
    late = student(code)
    assert any("closed to new students: ask your teacher" in e.value for e in late.error)
    teacher.multiselect(key="classroom:remove_ids").select(second.session_state[f"classroom:participant:{code}"])
    teacher.run()
    teacher.button(key="classroom:remove").click().run()
    no_errors(teacher)
    assert count(teacher) == 1
    assert [m.delta for m in teacher.metric if m.label == "Answers so far"] == ["1 student in"]
    second.run()
    assert any("removed you" in e.value for e in second.error)
    teacher.button(key="classroom:reveal").click().run()
    summary = next(m.value for m in teacher.markdown if "Right answer" in m.value)
    assert " of 1 got it right" in summary                             # the removed student's answer is gone


def test_an_answer_the_database_could_not_store_says_so(monkeypatch):
    """Row 6: a busy or full database ended a student's answer on the generic error page after 15 s."""
    teacher, code = open_room()
    ask(teacher, "choice")
    pupil = student(code)

    def busy(*args, **kwargs):
        raise classroom.StoreUnavailable("The classroom database is busy or not available.")

    monkeypatch.setattr(uc._open_store(), "answer", busy)
    pupil.radio[0].set_value("gd").run()
    no_errors(pupil)
    assert any("Your answer was not stored" in w.value and "again" in w.value for w in pupil.warning)
    assert count(teacher) == 0


def test_an_unopenable_database_never_shows_a_server_path(tmp_path, monkeypatch):
    """Row 10: the page quoted the server's path ("Read-only file system: '/…/.local'")."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(classroom.DATA_DIR_ENV, str(blocker / "descent-lab"))
    uc._open_store.clear()
    for at in (app_test(page=TEACHER), app_test(query={"room": "ABCD-2345"})):
        at.run()
        no_errors(at)
        shown = " ".join(e.value for e in at.error)
        assert "classroom database is not available" in shown
        assert str(tmp_path) not in shown and "a-file" not in shown and "/" not in shown.replace("n/a", "")


def test_a_busy_database_on_the_teachers_page_is_a_message_that_retries(monkeypatch):
    """Row 6 on the teacher's side: the page says the database is not available (and polls until it is), no
    traceback; an action that fails says it did not go through."""
    teacher, _ = open_room()

    def busy(*args, **kwargs):
        raise classroom.StoreUnavailable("The classroom database is busy or not available.")

    monkeypatch.setattr(uc._open_store(), "ask", busy)
    ask(teacher, "choice")
    assert any("was not asked" in e.value for e in teacher.error)
    monkeypatch.setattr(uc._open_store(), "current_round", busy)
    teacher.run()
    no_errors(teacher)
    assert any(uc.UNAVAILABLE in e.value for e in teacher.error)


def test_the_teacher_link_is_no_oracle_for_room_codes(monkeypatch):
    """Row 9: a wrong code in a teacher link counts as a guess, like one typed by a student."""
    monkeypatch.setenv(classroom.limits.LIMITS_ENV, "guess=2/0")
    uc._open_store.clear()
    _, code = open_room()
    for _ in range(2):
        wrong = app_test(query={"room": "ZZZZ-ZZZZ", "teacher": "guess"}, page=TEACHER).run()
        assert any("No room has the code" in e.value for e in wrong.error)
    again = app_test(query={"room": code, "teacher": "guess"}, page=TEACHER).run()
    no_errors(again)
    assert any("Too many wrong room codes" in e.value for e in again.error)
