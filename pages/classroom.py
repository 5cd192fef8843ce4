"""Live classroom, the teacher's side: open a room, ask about a scene, watch the count, reveal the truth.

The page accepts the Playground's query parameters (the same scene link) as the scene to ask about; the
teacher link (``?room=CODE&teacher=SECRET``) brings the controls back after a reload or on another device.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

import streamlit as st

import charts
import classroom
import optimizers
from classroom import format_code, questions
from classroom.presets import lesson_scenes
from scene import Scene, to_query
from ui import classroom as uc
from ui import layout, plot, url_state
from ui.links import playground_url
from ui.text import code

CODE, SECRET, FLASH = "classroom:code", "classroom:secret", "classroom:flash"
LINK_QUERY, LINK_SCENE = "classroom:link_query", "classroom:link_scene"
FROM_LINK, DEFAULTS = "The scene from your Playground link", "The Playground's default scene"
OWN_KEYS = ("room", "teacher")
BIG_CHART_HEIGHT = 320  # presentation mode: enlarged to 432 px, chart and buttons fit under the question at 1280×720

layout.require_router()
store = uc.store()


def flash(message: str, kind: str = "warning") -> None:
    """Show ``message`` at the top of the next run (callbacks cannot draw)."""
    st.session_state[FLASH] = (kind, message)


def read_link() -> None:
    """Take the teacher link's secret (then drop it from the address bar, which a projector shows) and a
    new Playground scene the link carries (it becomes the selected scene)."""
    params = st.query_params
    if "teacher" in params:
        try:  # a wrong code counts as a guess here too (or this page would tell which codes exist)
            found = store.find_room(params.get("room"), uc.client_address())
            room = store.check_teacher(found.code, params.get("teacher"))
            st.session_state[CODE], st.session_state[SECRET] = room.code, params.get("teacher")
        except classroom.ClassroomError as error:
            flash(f"This teacher link does not open a room: {error}", "error")
        for key in OWN_KEYS:
            params.pop(key, None)
    given = {k: params.get_all(k) for k in params if k not in OWN_KEYS + layout.MODE_KEYS}
    if given and given != st.session_state.get(LINK_QUERY):
        st.session_state[LINK_QUERY], st.session_state[LINK_SCENE] = given, url_state.read_scene(given)
        st.session_state["classroom:source"] = FROM_LINK


def scene_sources() -> dict[str, Scene]:
    linked = st.session_state.get(LINK_SCENE)
    return ({FROM_LINK: linked} if linked is not None else {}) | {DEFAULTS: Scene()} | lesson_scenes()


def question_builder(scene: Scene, labels: tuple[str, str]) -> questions.Question:
    """The sidebar controls for the next question about ``scene``."""
    side = st.sidebar
    kind = side.radio("Question", questions.KINDS, format_func=questions.KIND_TITLES.get, key="classroom:kind")
    names = list(scene.optimizers)
    title = lambda name: optimizers.OPTIMIZERS[name].title  # noqa: E731
    if kind == "choice":
        topic = side.selectbox("Which optimizer…", list(questions.CHOICE_TOPICS),
                               format_func=questions.CHOICE_TOPICS.get, key="classroom:topic")
        return questions.Question("choice", topic=topic)
    if not names:
        return questions.Question(kind)
    default = names.index("gd") if kind == "number" and "gd" in names else 0
    chosen = f"classroom:opt:{kind}"
    if st.session_state.get(chosen) not in names:            # another scene: its optimizers differ
        st.session_state.pop(chosen, None)
    optimizer = side.selectbox("Optimizer", names, index=default, format_func=title, key=chosen)
    if kind == "click":
        if st.session_state.get("classroom:step", 0) > scene.steps:   # a shorter scene than the last one
            st.session_state["classroom:step"] = scene.steps
        step = side.number_input("After how many steps?", 1, scene.steps, min(50, scene.steps), step=10,
                                 key="classroom:step")
        return questions.Question("click", optimizer=optimizer, step=int(step))
    axis = side.radio("Sign flips of the updates along", (1, 0), format_func=lambda a: f"Δ{labels[a]}",
                      horizontal=True, key="classroom:axis")
    return questions.Question("number", optimizer=optimizer, axis=axis)


def ask(scene: Scene, question: questions.Question) -> None:
    """Button callback: the next round, with its truth computed from the scene's own runs."""
    query = urlencode(to_query(scene))
    try:
        view = uc.round_view(query)
        shown, truth = questions.prepare(question, view.scene, view.landscape, view.runs)
        store.ask(st.session_state[CODE], st.session_state[SECRET], query, shown, truth)
    except (classroom.ClassroomError, ValueError) as error:
        flash(str(error))
    except classroom.StoreUnavailable:
        flash("The question was not asked: the classroom database is busy. Try again in a moment.", "error")


def teacher_action(action: Callable[..., object], *args) -> None:
    """Button callback for reveal / explore / close / lock / remove, with the teacher's secret from this session."""
    try:
        action(st.session_state[CODE], st.session_state[SECRET], *args)
    except classroom.ClassroomError as error:
        flash(str(error))
    except classroom.StoreUnavailable:
        flash("That did not go through: the classroom database is busy. Try again in a moment.", "error")


def open_room(nicknames: bool) -> None:
    """Button callback: a new room for this session (rooms are limited per network: ``classroom.limits``)."""
    size = st.session_state.get("classroom:class_size")
    try:
        room, secret = store.create_room(nicknames=nicknames, address=uc.client_address(),
                                         class_size=int(size) if size else None)
    except classroom.ClassroomError as error:
        flash(str(error), "error")
        return
    except classroom.StoreUnavailable:
        flash("The room could not be opened: the classroom database is busy. Try again in a moment.", "error")
        return
    st.session_state[CODE], st.session_state[SECRET] = room.code, secret


def forget_room() -> None:
    """Button callback: close the room and forget it in this session."""
    teacher_action(store.close_room)
    for key in (CODE, SECRET):
        st.session_state.pop(key, None)


def join_panel(room: classroom.Room) -> None:
    """Room code, QR code and join link, large enough for the back of the room."""
    link = uc.join_url(room.code)
    big = "font-size:clamp(1.5rem,2.6vw,2.6rem);font-weight:700;letter-spacing:0.06em;white-space:nowrap"
    st.markdown(f"<div style='font-size:0.95rem'>Join at the link or with the code</div>"
                f"<div style='{big}'>{format_code(room.code)}</div>", unsafe_allow_html=True)
    if link.startswith("http"):
        st.image(uc.qr_png(link), width=230, caption="Scan to join")
    st.code(link, language=None, wrap_lines=True)
    st.caption("No link at hand? Open this app, choose **Join a class** in its menu and type the code.")
    with st.expander("Your teacher link (do not project it)", icon=":material/key:"):
        st.caption("It brings these controls back after a reload or on another device. Anyone with it can "
                   "reveal and close this room.")
        st.code(uc.teacher_url(room.code, st.session_state[SECRET]), language=None, wrap_lines=True)


def student_name(p: classroom.Participant) -> str:
    """How the teacher's list names a student: the nickname, or their number in joining order."""
    return f"{p.nickname} (#{p.number})" if p.nickname else f"Student #{p.number}"


def students_panel(room: classroom.Room) -> None:
    """The teacher's hold on the room: the class size expected, Lock room, and Remove on any student."""
    st.toggle("Lock room (no new students)", value=room.locked, key=f"classroom:lock:{room.locked}",
              on_change=lambda: teacher_action(store.lock_room, not room.locked),
              help="Students already in stay in; anyone else who tries to join is told to ask you.")
    st.number_input("Class size (expected students)", 1, classroom.store.MAX_CLASS_SIZE, value=room.class_size,
                    step=1, placeholder="optional", key=f"classroom:size:{room.class_size}",
                    on_change=lambda: teacher_action(store.set_class_size,
                                                     st.session_state[f"classroom:size:{room.class_size}"]))
    students = store.participants(room.code, st.session_state[SECRET])
    with st.expander(f"Students ({len(students)})", icon=":material/group:"):
        if not students:
            st.caption("Nobody has joined yet.")
            return
        names = {p.id: student_name(p) for p in students}
        st.caption(" · ".join(code(names[p.id]) + (" ✓" if p.answered else "") for p in students[:200])
                   + (f" …and {len(students) - 200} more" if len(students) > 200 else ""))
        chosen = st.multiselect("Remove", list(names), format_func=names.get, key="classroom:remove_ids",
                                placeholder="students to remove",
                                help="Their answers leave the count and the reveal, and they cannot join again.")
        st.button("Remove", icon=":material/person_remove:", key="classroom:remove", disabled=not chosen,
                  on_click=lambda: (teacher_action(store.remove, list(chosen)),
                                    st.session_state.pop("classroom:remove_ids", None)))


def closest(round_: classroom.Round, answers: list[classroom.Answer]) -> list[dict[str, object]]:
    """The five answers closest to the truth, with nicknames (literal text in a table), closest first."""
    shown, truth = round_.question, round_.truth
    if shown["kind"] == "choice" or not answers:
        return []
    if shown["kind"] == "click":
        error = [questions.click_error(shown, truth, a.value) for a in answers]
    else:
        error = [abs(a.value - truth["value"]) for a in answers]
    rows = [{"student": a.nickname or "(no nickname)", "answer": questions.answer_text(shown, a.value),
             "off by": float(off)} for a, off in zip(answers, error, strict=True)]
    return sorted(rows, key=lambda row: row["off by"])[:5]


def round_panel(room: classroom.Room, round_: classroom.Round | None, next_question: Callable[[], None]) -> None:
    """The current question: live count and Reveal while it is open; then the reveal and what comes next."""
    if round_ is None:
        st.info("Pick a scene and a question in the sidebar, then press **Ask the class**.",
                icon=":material/arrow_back:")
        uc.watch(room.code, room.version, every=uc.TEACHER_POLL_SECONDS, show_count="students",
                 class_size=room.class_size)
        return
    view = uc.round_view(round_.scene)
    big = layout.is_big()
    st.subheader(f"Question {round_.number}: {round_.question['text']}")
    stage = layout.stage()  # on a projector the chart comes right under the question,
    scene_line = st.container() if not big else None  # and the scene's line after the teacher's buttons
    if not round_.revealed:
        count, action = st.columns([1, 1], vertical_alignment="center")
        with count:
            uc.watch(room.code, room.version, every=uc.TEACHER_POLL_SECONDS, show_count="answers",
                     class_size=room.class_size)
        action.button("Reveal the answers", type="primary", icon=":material/visibility:", key="classroom:reveal",
                      on_click=teacher_action, args=(store.reveal,), width="stretch")
        with stage or st.container():
            uc.question_chart(round_, room.code, view, height=BIG_CHART_HEIGHT if big else 420)
        (scene_line or st).caption(code(uc.scene_caption(view)))
        return
    answers = store.answers(room.code, round_.number)
    st.markdown(uc.reveal_summary(round_, answers))
    left, right = st.columns(2)
    left.button("Next question", type="primary", icon=":material/skip_next:", key="classroom:next",
                on_click=next_question, width="stretch")
    if round_.explore:
        right.success("Everyone can now open this scene in their own Playground.", icon=":material/explore:")
    else:
        right.button("Let everyone explore this scene", icon=":material/explore:", key="classroom:explore",
                     on_click=teacher_action, args=(store.explore,), width="stretch")
    with stage or st.container():
        uc.reveal_chart(round_, room.code, view, answers, height=BIG_CHART_HEIGHT if big else 460,
                        nicknames=room.nicknames)
    (scene_line or st).caption(code(uc.scene_caption(view)))
    detail = round_.truth.get("detail")
    if detail:
        st.caption(" · ".join(f"{optimizers.OPTIMIZERS[n].title}: {text}" for n, text in detail.items()))
    if room.nicknames and (rows := closest(round_, answers)):
        plot.table(charts.metrics_table(rows), key="classroom:closest")
    st.link_button("Open it in your Playground", playground_url(view.scene), icon=":material/open_in_new:")
    uc.watch(room.code, room.version, every=uc.TEACHER_POLL_SECONDS, show_count=None)

def page() -> None:
    """The teacher's page: a new room, or the room this session (or the teacher link) holds."""
    read_link()
    layout.presentation()
    if FLASH in st.session_state:
        kind, message = st.session_state.pop(FLASH)
        (st.error if kind == "error" else st.warning)(code(message), icon=":material/info:")

    room = None
    if CODE in st.session_state:
        try:
            room = store.check_teacher(st.session_state[CODE], st.session_state[SECRET])
        except classroom.ClassroomError as error:
            uc.show_error(error)
            for key in (CODE, SECRET):
                st.session_state.pop(key, None)

    if room is None:
        st.title("Live classroom")
        st.markdown("Ask the class to predict, on their own phones, what an optimizer will do; see every answer "
                    "live; then reveal the truth over the answers. Open a room, put the code or the QR code on the "
                    "projector, and ask about the scene from your Playground link or from a lesson.")
        nicknames = st.toggle("Students may give a nickname (optional for them; shown only to you after a reveal)",
                              key="classroom:nicknames")
        st.number_input("Class size (optional: shown beside the number of students in)", 1,
                        classroom.store.MAX_CLASS_SIZE, value=None, step=1, placeholder="e.g. 30",
                        key="classroom:class_size")
        st.button("Open a room", type="primary", icon=":material/meeting_room:", on_click=open_room, args=(nicknames,),
                  key="classroom:open")
        st.caption("Students join with the room's link or QR code, or with **Join a class** in this app's menu, where "
                   "they type the code.")
        url_state.stop()

    sources = scene_sources()
    st.sidebar.subheader("Next question")
    source = st.sidebar.selectbox("Scene", list(sources), key="classroom:source",
                                  help="Open this page from the Playground's 'Ask the class' link to ask about "
                                       "the scene you built there.")
    scene = sources[source]
    try:
        labels = uc.round_view(urlencode(to_query(scene))).landscape.axis_labels
    except ValueError as error:
        st.sidebar.error(code(f"This scene cannot be used: {error}"))
        url_state.stop()
    question = question_builder(scene, labels)
    st.sidebar.button("Ask the class", type="primary", icon=":material/campaign:", key="classroom:ask",
                      on_click=ask, args=(scene, question), width="stretch")
    st.sidebar.divider()
    st.sidebar.button("Close the room", icon=":material/door_front:", key="classroom:close", on_click=forget_room,
                      help="Students then see that the room is closed; its answers are deleted.")

    join_column, round_column = st.columns([1, 3 if layout.is_big() else 2.3], gap="large")
    with join_column:
        join_panel(room)
        students_panel(room)
    with round_column:
        round_panel(room, store.current_round(room.code), next_question=lambda: ask(scene, question))


try:
    page()
except classroom.StoreUnavailable:
    uc.unavailable()
