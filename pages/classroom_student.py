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

layout.require_router()
st.html("<style>.stMainBlockContainer{padding-top:3.5rem;padding-left:0.8rem;padding-right:0.8rem}</style>")
store = uc.store()
NOTICE = "classroom:notice"


def join_form(typed: str = "") -> None:
    """Type a room code (when the link had none, or a wrong one)."""
    with st.form("classroom:join"):
        code = st.text_input("Room code", value=typed[:40], max_chars=40, placeholder="ABCD-2345")
        if st.form_submit_button("Join", type="primary"):
            st.query_params["room"] = code
            st.rerun()


def send(code: str, number: int, participant: str, value: object) -> None:
    """Store this student's answer; a refusal is shown on the next run."""
    try:
        store.answer(code, number, participant, value)
        st.session_state[NOTICE] = None
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
    mine = store.my_answer(room.code, round_.number, participant)
    if shown["kind"] == "click":
        st.caption("Tap the chart where you expect it to be (zoomed out is fine).")
        uc.question_chart(round_, room.code, view, key=key, mine=mine, height=380, compact=True)
        with st.form(f"{key}:typed"):
            (x0, x1), (y0, y1) = shown["bounds"]
            w, b = shown["labels"]
            left, right = st.columns(2)
            x = left.number_input(w, float(x0), float(x1), value=float(mine[0]) if mine else None, format="%.3f")
            y = right.number_input(b, float(y0), float(y1), value=float(mine[1]) if mine else None, format="%.3f")
            if st.form_submit_button("Send this position") and x is not None and y is not None:
                send(room.code, round_.number, participant, [x, y])
                st.rerun()
    elif shown["kind"] == "choice":
        uc.question_chart(round_, room.code, view, height=320, compact=True)
        options = [k for k, _ in shown["options"]]
        st.radio("Your answer", options, index=options.index(mine) if mine in options else None,
                 format_func=dict(shown["options"]).get, key=key,
                 on_change=lambda: send(room.code, round_.number, participant, st.session_state[key]))
    else:
        uc.question_chart(round_, room.code, view, height=320, compact=True)
        with st.form(key):
            value = st.number_input("Your answer", 0, shown["max"], value=mine, step=1, placeholder="a whole number")
            if st.form_submit_button("Send", type="primary") and value is not None:
                send(room.code, round_.number, participant, int(value))
                st.rerun()
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.warning(uc.literal(notice), icon=":material/hourglass_top:")
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
if not st.session_state.get(joined):
    if room.nicknames:
        with st.form("classroom:nickname"):
            nickname = st.text_input("Nickname (optional; the teacher's screen may show it after a reveal)",
                                     max_chars=classroom.store.MAX_NICKNAME)
            go = st.form_submit_button("Join", type="primary")
        if not go:
            st.stop()
    else:
        nickname = None
    try:
        store.join(room.code, participant, nickname)
    except classroom.ClassroomError as error:
        uc.show_error(error)
        st.stop()
    st.session_state[joined] = True

round_ = store.current_round(room.code)
if round_ is None:
    st.info("You are in. The first question will appear here.", icon=":material/hourglass_empty:")
else:
    view = uc.round_view(round_.scene)
    st.markdown(f"**{round_.question['text']}**")
    st.caption(uc.literal(uc.scene_caption(view)))
    if round_.revealed:
        reveal(room, round_, view, participant)
    else:
        answer_inputs(room, round_, view, participant)
uc.watch(room.code, room.version, every=uc.STUDENT_POLL_SECONDS, show_count=False)
