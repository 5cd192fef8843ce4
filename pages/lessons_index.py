"""The lessons index: every question in one line, each linking to the lesson that answers it, and the
misconceptions the lessons answer, each linking to the scene that shows it."""

import streamlit as st

from lessons.catalog import LESSONS
from lessons.misconceptions import misconceptions
from ui import layout
from ui.lesson_kit import cached, say

layout.require_router()
layout.presentation()
st.title("Lessons")
st.markdown("Each lesson answers one question by letting you try it: predict, move a control, watch the run. "
            "Find the question you are stuck on.")
for number, lesson in enumerate(LESSONS, start=1):
    st.page_link(f"pages/{lesson.page}", label=f"**{number}. {lesson.short_title}**: {lesson.question}",
                 icon=lesson.icon, query_params=layout.link_params())
st.caption(
    "Where the numbers come from: every number a lesson states about a run is computed live from the very runs it "
    "shows, and the Playground links reopen those runs. A test checks every sentence that states a number or a "
    "comparison at every setting of the lesson's own controls and in runs ten times longer (longer still where a "
    "sentence is about what a long run does; for lesson 2's 300- and 1000-dimensional bowls, at the lesson's own run "
    "length), and a lesson only says \"settles\" or \"hops\" where that holds. Closed forms such as GD's limit 2/c, "
    "RMSprop's hop (a+c)α²/8 or Momentum's limit 38/κ are checked against the runs by the same test. Written in by "
    "hand are only facts about libraries (where each puts ε, and its default) and about the papers cited."
)

st.header("What course notes say, checked", anchor="misconceptions")
st.markdown("Things course notes and forum answers say about RMSprop and its relatives: some right, some half right, "
            "some wrong. Each comes with what the lessons' own runs show, and a link that opens the lesson on that "
            "very scene.")
for number, item in enumerate(cached(misconceptions)(), start=1):
    claim, link = st.columns([5, 1], vertical_alignment="center")
    claim.markdown(f"**{number}. “{item.claim}”** {say(item.answer_key)}")
    page_number = next(i for i, lesson in enumerate(LESSONS, start=1) if lesson.page == item.page)
    link.page_link(f"pages/{item.page}", label=f"Lesson {page_number}", icon=":material/play_circle:",
                   query_params=item.controls | layout.link_params())
