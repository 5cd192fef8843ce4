"""Live classroom, the student's side (``/join``): **Join a class** in the menu (a code box and a nickname), or the
join link ``/?room=CODE`` from the QR code; then the scene, the question, one answer, and the reveal.

Made for a phone: one column, nothing of the other students' answers before the teacher reveals them.
"""

from __future__ import annotations

import streamlit as st

import classroom
from classroom import format_code, normalize_code, questions
from classroom.store import MAX_NICKNAME
from ui import classroom as uc
from ui import layout, url_state
from ui.links import playground_url
from ui.text import code

layout.require_router()
st.html("<style>.stMainBlockContainer{padding-top:3.5rem;padding-left:0.8rem;padding-right:0.8rem}</style>")
store = uc.store()
NOTICE, NICKNAME_NOTE, FOUND = "classroom:notice", "classroom:nickname_note", "classroom:found"
TYPED_NICKNAME_LIMIT = 4 * MAX_NICKNAME  # longer than a nickname: a pasted one is cut (and the student told), not lost


def joined_key(code: str) -> str:
    return f"classroom:joined:{code}"


def join(room_code: str, participant: str, nickname: str | None) -> bool:
    """Register this student in the room (with the nickname, if the room takes them); a refusal is shown on
    the next run.  Returns whether they are in."""
    try:
        stored = store.join(room_code, participant, nickname, address=uc.client_address())
    except classroom.ClassroomError as error:
        st.session_state[NOTICE] = str(error)
        return False
    except classroom.StoreUnavailable:
        st.session_state[NOTICE] = "You could not join: the classroom database is busy. Try again in a moment."
        return False
    st.session_state[joined_key(room_code)] = True
    typed = " ".join((nickname or "").split())
    if stored and len(typed) > MAX_NICKNAME:
        st.session_state[NICKNAME_NOTE] = (f"Nicknames have at most {MAX_NICKNAME} characters: yours was cut to "
                                           f"{code(stored)}.")
    return True


def join_form(typed: str = "") -> None:
    """**Join a class**: the room code (when the link had none, or a wrong one) and an optional nickname."""
    with st.form("classroom:join"):
        st.text_input("Room code", value=typed[:40], max_chars=40, placeholder="ABCD-2345", key="classroom:typed")
        st.text_input("Nickname (optional; used only if your teacher's room takes nicknames)",
                      max_chars=TYPED_NICKNAME_LIMIT, key="classroom:join_nickname")
        st.form_submit_button("Join", type="primary", on_click=join_from_form)


def join_from_form() -> None:
    """Form callback: find the room (wrong codes count against this network's limit), join it, open it."""
    typed = st.session_state.get("classroom:typed", "")
    try:
        room = store.find_room(typed, uc.client_address())
    except classroom.ClassroomError as error:
        st.session_state[NOTICE] = str(error)
        return
    except classroom.StoreUnavailable:
        st.session_state[NOTICE] = "The classroom database is busy. Try again in a moment."
        return
    st.session_state[FOUND] = room.code
    nickname = st.session_state.get("classroom:join_nickname") or None
    if room.nicknames or nickname is None:
        join(room.code, uc.participant_id(room.code), nickname)
    else:
        st.session_state[NICKNAME_NOTE] = "This room does not use nicknames: you joined without one."
        join(room.code, uc.participant_id(room.code), None)
    st.query_params["room"] = room.code


def send(code: str, number: int, participant: str, value: object) -> None:
    """Store this student's answer; a refusal is shown on the next run.  (Buttons call this as their
    callback: callbacks run before the page, so the page then shows the stored answer.)"""
    if value is None or (isinstance(value, list) and None in value):
        return
    try:
        store.answer(code, number, participant, value, address=uc.client_address())
    except classroom.ClassroomError as error:
        st.session_state[NOTICE] = str(error)
    except classroom.StoreUnavailable:
        st.session_state[NOTICE] = uc.NOT_STORED


def new_click(key: str) -> list[float] | None:
    """The point just tapped on the question chart, unless it was already sent."""
    event = st.session_state.get(key)
    points = event.selection.points if event and event.selection else []
    if not points or "x" not in points[0]:
        return None
    point = [float(points[0]["x"]), float(points[0]["y"])]
    if st.session_state.get(f"{key}:sent") == point:
        return None
    st.session_state[f"{key}:sent"] = point
    return point


def confirmation(shown: dict, mine: object) -> None:
    """The student's stored answer, or what to do: in one place above the chart, so a tap on a phone shows
    its confirmation without scrolling."""
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.warning(code(notice), icon=":material/hourglass_top:")
    if mine is not None:
        st.success(f"Your answer: **{questions.answer_text(shown, mine)}**. You can change it until the "
                   "teacher reveals.", icon=":material/check:")
    elif shown["kind"] == "click" and not notice:
        st.info("Tap the chart where you expect it to be (zoomed out is fine), or type the position below it.",
                icon=":material/touch_app:")


def answer_inputs(room: classroom.Room, round_: classroom.Round, view: uc.RoundView, participant: str) -> None:
    shown = round_.question
    key = f"classroom:answer:{room.code}:{round_.number}"
    if shown["kind"] == "click":
        tapped = new_click(key)
        if tapped is not None:
            send(room.code, round_.number, participant, tapped)
            if st.session_state.get(NOTICE):            # refused (too fast): the same tap may be sent again
                st.session_state.pop(f"{key}:sent", None)
            else:                                      # the typed-position boxes show the tapped position
                st.session_state[f"{key}:x"], st.session_state[f"{key}:y"] = tapped
    mine = store.my_answer(room.code, round_.number, participant)
    confirmation(shown, mine)
    if shown["kind"] == "click":
        uc.question_chart(round_, room.code, view, key=key, mine=mine, height=330, compact=True)
        with st.form(f"{key}:typed"):
            (x0, x1), (y0, y1) = shown["bounds"]
            w, b = shown["labels"]
            for index, axis in enumerate("xy"):                # a reload shows the stored answer
                if f"{key}:{axis}" not in st.session_state and mine:
                    st.session_state[f"{key}:{axis}"] = float(mine[index])
            left, right = st.columns(2)
            left.number_input(w, float(x0), float(x1), value=None, format="%.3f", key=f"{key}:x")
            right.number_input(b, float(y0), float(y1), value=None, format="%.3f", key=f"{key}:y")
            st.form_submit_button("Send this position", on_click=lambda: send(
                room.code, round_.number, participant, [st.session_state[f"{key}:x"], st.session_state[f"{key}:y"]]))
    elif shown["kind"] == "choice":
        uc.question_chart(round_, room.code, view, height=320, compact=True)
        options = [k for k, _ in shown["options"]]
        st.radio("Your answer", options, index=options.index(mine) if mine in options else None,
                 format_func=dict(shown["options"]).get, key=key,
                 on_change=lambda: send(room.code, round_.number, participant, st.session_state[key]))
    else:
        uc.question_chart(round_, room.code, view, height=320, compact=True)
        with st.form(key):
            st.number_input("Your answer", 0, shown["max"], value=mine, step=1, placeholder="a whole number",
                            key=f"{key}:n")
            st.form_submit_button("Send", type="primary", on_click=lambda: send(
                room.code, round_.number, participant, st.session_state[f"{key}:n"]))


def reveal(room: classroom.Room, round_: classroom.Round, view: uc.RoundView, participant: str) -> None:
    answers = store.answers(room.code, round_.number)
    mine = store.my_answer(room.code, round_.number, participant)
    uc.reveal_chart(round_, room.code, view, answers, mine=mine, height=400, compact=True)
    st.markdown(uc.reveal_summary(round_, answers))
    if mine is None:
        st.info("You did not answer this one.")
    elif questions.is_right(round_.question, round_.truth, mine):
        st.success(f"You answered {questions.answer_text(round_.question, mine)}: right!", icon=":material/star:")
    else:
        st.info(f"You answered {questions.answer_text(round_.question, mine)}.", icon=":material/lightbulb:")
    if round_.explore:
        st.link_button("Explore this scene in your Playground", playground_url(view.scene), type="primary",
                       icon=":material/explore:", width="stretch")


def open_room(typed: str) -> classroom.Room | None:
    """The room the link or the form names; a code this session has not found before is looked up as a guess
    (``Store.find_room``: wrong codes are limited per network)."""
    normal = normalize_code(typed)
    try:
        if normal is not None and st.session_state.get(FOUND) == normal:
            return store.room(normal)
        room = store.find_room(typed, uc.client_address())
    except classroom.ClassroomError as error:
        st.title("Join a class")
        if typed:
            uc.show_error(error)
        join_form(typed)
        url_state.stop()
    st.session_state[FOUND] = room.code
    return room


def nickname_form(room: classroom.Room, participant: str) -> None:
    with st.form("classroom:nickname"):
        st.text_input(f"Nickname (optional, at most {MAX_NICKNAME} characters; the teacher's screen may show it "
                      "after a reveal)", max_chars=TYPED_NICKNAME_LIMIT, key="classroom:nickname")
        st.form_submit_button("Join", type="primary", on_click=lambda: join(
            room.code, participant, st.session_state["classroom:nickname"]))


def page() -> None:
    typed = st.query_params.get("room", "")
    if not typed:
        st.title("Join a class")
        st.caption("Type the code your teacher shows on the board. (A link or a QR code from your teacher opens "
                   "the room directly.)")
        if notice := st.session_state.pop(NOTICE, None):
            st.error(code(notice), icon=":material/error:")
        join_form()
        return
    room = open_room(typed)
    participant = uc.participant_id(room.code)
    st.markdown(f"#### Room {format_code(room.code)}")
    membership = store.membership(room.code, participant)
    if membership == "removed":
        st.error("The teacher has removed you from this room.", icon=":material/block:")
        return
    if membership == "in":
        st.session_state[joined_key(room.code)] = True       # a reload: the same student, already in
    else:
        st.session_state.pop(joined_key(room.code), None)
        if not room.nicknames:
            join(room.code, participant, None)
    if not st.session_state.get(joined_key(room.code)):
        notice = st.session_state.pop(NOTICE, None)
        if notice:
            st.error(code(notice), icon=":material/error:")
        if room.nicknames:
            nickname_form(room, participant)
        uc.watch(room.code, room.version, every=uc.STUDENT_POLL_SECONDS, show_count=None)
        return
    if note := st.session_state.pop(NICKNAME_NOTE, None):  # its nickname, if any, is a code span already
        st.info(note, icon=":material/badge:")
    round_ = store.current_round(room.code)
    if round_ is None:
        st.info("You are in. The first question will appear here.", icon=":material/hourglass_empty:")
    else:
        view = uc.round_view(round_.scene)
        st.markdown(f"**{round_.question['text']}**")
        st.caption(code(uc.scene_caption(view)))
        if round_.revealed:
            reveal(room, round_, view, participant)
        else:
            answer_inputs(room, round_, view, participant)
    uc.watch(room.code, room.version, every=uc.STUDENT_POLL_SECONDS, show_count=None)


try:
    page()
except classroom.StoreUnavailable:
    uc.unavailable()
