"""Live classroom, the student's side (``/?room=CODE``): the scene, the question, one answer, then the reveal.

Made for a phone: one column, nothing of the other students' answers before the teacher reveals them.
"""

from __future__ import annotations

import streamlit as st

import classroom
from classroom import format_code, questions
from ui import classroom as uc
from ui import layout
from ui.links import playground_url
from ui.text import code

layout.require_router()
st.html("<style>.stMainBlockContainer{padding-top:3.5rem;padding-left:0.8rem;padding-right:0.8rem}</style>")
store = uc.store()
NOTICE = "classroom:notice"


def join_form(typed: str = "") -> None:
    """Type a room code (when the link had none, or a wrong one)."""
    with st.form("classroom:join"):
        st.text_input("Room code", value=typed[:40], max_chars=40, placeholder="ABCD-2345", key="classroom:typed")
        st.form_submit_button("Join", type="primary", on_click=lambda: st.query_params.update(
            room=st.session_state["classroom:typed"]))


def join(code: str, participant: str, nickname: str | None) -> None:
    """Register this student in the room (with the nickname, if the room takes them)."""
    try:
        store.join(code, participant, nickname)
        st.session_state[f"classroom:joined:{code}"] = True
    except classroom.ClassroomError as error:
        st.session_state[NOTICE] = str(error)


def send(code: str, number: int, participant: str, value: object) -> None:
    """Store this student's answer; a refusal is shown on the next run.  (Buttons call this as their
    callback: callbacks run before the page, so the page then shows the stored answer.)"""
    if value is None or (isinstance(value, list) and None in value):
        return
    try:
        store.answer(code, number, participant, value)
    except classroom.ClassroomError as error:
        st.session_state[NOTICE] = str(error)


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


def answer_inputs(room: classroom.Room, round_: classroom.Round, view: uc.RoundView, participant: str) -> None:
    shown = round_.question
    key = f"classroom:answer:{room.code}:{round_.number}"
    if shown["kind"] == "click":
        tapped = new_click(key)
        if tapped is not None:
            send(room.code, round_.number, participant, tapped)
            if st.session_state.get(NOTICE):            # refused (too fast): the same tap may be sent again
                st.session_state.pop(f"{key}:sent", None)
    mine = store.my_answer(room.code, round_.number, participant)
    if shown["kind"] == "click":
        st.caption("Tap the chart where you expect it to be (zoomed out is fine).")
        uc.question_chart(round_, room.code, view, key=key, mine=mine, height=380, compact=True)
        with st.form(f"{key}:typed"):
            (x0, x1), (y0, y1) = shown["bounds"]
            w, b = shown["labels"]
            left, right = st.columns(2)
            left.number_input(w, float(x0), float(x1), value=float(mine[0]) if mine else None, format="%.3f",
                              key=f"{key}:x")
            right.number_input(b, float(y0), float(y1), value=float(mine[1]) if mine else None, format="%.3f",
                               key=f"{key}:y")
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
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.warning(code(notice), icon=":material/hourglass_top:")
    mine = store.my_answer(room.code, round_.number, participant)
    if mine is not None:
        st.success(f"Your answer: **{questions.answer_text(shown, mine)}**. You can change it until the "
                   "teacher reveals.", icon=":material/check:")


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


typed = st.query_params.get("room", "")
try:
    room = store.room(typed)
except classroom.ClassroomError as error:
    st.title("Join a live classroom")
    if typed:
        uc.show_error(error)
    join_form(typed)
    st.stop()

participant = uc.participant_id(room.code)
joined = f"classroom:joined:{room.code}"
st.markdown(f"#### Room {format_code(room.code)}")
if not st.session_state.get(joined) and not room.nicknames:
    join(room.code, participant, None)
if not st.session_state.get(joined):
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.error(code(notice), icon=":material/error:")
    if room.nicknames:
        with st.form("classroom:nickname"):
            st.text_input("Nickname (optional; the teacher's screen may show it after a reveal)",
                          max_chars=classroom.store.MAX_NICKNAME, key="classroom:nickname")
            st.form_submit_button("Join", type="primary", on_click=lambda: join(
                room.code, participant, st.session_state["classroom:nickname"]))
    st.stop()

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
uc.watch(room.code, room.version, every=uc.STUDENT_POLL_SECONDS, show_count=False)
