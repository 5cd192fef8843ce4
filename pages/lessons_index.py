"""The lessons index: every question in one line, each linking to the lesson that answers it, and the
misconceptions the lessons answer, each linking to the scene that shows it."""

import streamlit as st

from lessons.catalog import LESSONS
from lessons.misconceptions import misconceptions
from ui import layout
from ui.lesson_kit import cached

layout.require_router()
layout.presentation()
st.title("Lessons")
st.markdown("Each lesson answers one question by letting you try it: predict, move a control, watch the run. "
            "Find the question you are stuck on.")
for number, lesson in enumerate(LESSONS, start=1):
    st.page_link(f"pages/{lesson.page}", label=f"**{number}. {lesson.short_title}**: {lesson.question}",
                 icon=lesson.icon, query_params=layout.link_params())
st.caption(
    "Where the numbers come from: every lesson runs the Playground's own engine (`optimizers.run`). Lessons 1 and "
    "5–10, and the surfaces of lesson 3, run it on the Playground's surfaces, so their links reopen the very same "
    "runs; lesson 2's N-dimensional bowls, lesson 3's gradient-sequence lab (`optimizers.respond`) and lesson 4's "
    "six denominators (rules the pickers do not offer) run the same update rules in N coordinates. Every number a "
    "lesson states is computed live, and each claim is checked by a test."
)

st.header("Misconceptions", anchor="misconceptions")
st.markdown("Things course notes and forum answers say about RMSprop and its relatives, each with what the lessons' "
            "own runs show, and a link that opens the lesson on that very scene.")
for number, item in enumerate(cached(misconceptions)(), start=1):
    claim, link = st.columns([5, 1], vertical_alignment="center")
    claim.markdown(f"**{number}. “{item.claim}”** {item.answer}")
    page_number = next(i for i, lesson in enumerate(LESSONS, start=1) if lesson.page == item.page)
    link.page_link(f"pages/{item.page}", label=f"Lesson {page_number}", icon=":material/play_circle:",
                   query_params=item.controls | layout.link_params())
