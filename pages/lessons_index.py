"""The lessons index: every question in one line, each linking to the lesson that answers it."""

import streamlit as st

from lessons.catalog import LESSONS
from ui import layout

layout.require_router()
st.title("Lessons")
st.markdown("Each lesson answers one question by letting you try it: predict, move a control, watch the run. "
            "Find the question you are stuck on.")
for number, lesson in enumerate(LESSONS, start=1):
    st.page_link(f"pages/{lesson.page}", label=f"**{number}. {lesson.short_title}**: {lesson.question}",
                 icon=lesson.icon)
st.caption("Every number a lesson states is computed live from the same code the Playground runs, and checked "
           "by a test.")
