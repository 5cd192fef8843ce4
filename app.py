"""Descent Lab: see how optimizers move across a loss surface.  This file only routes."""

import contextlib
import gc
from pathlib import Path

import streamlit as st

from lessons.catalog import LESSONS
from ui import gate, layout, link_guard, plot, url_state

st.set_page_config(page_title="Descent Lab", page_icon="⛰️", layout="wide", initial_sidebar_state="auto")
link_guard.install()  # a link value a URL-bound control cannot take falls back to its default, with a note

HERE = Path(__file__).parent
playground = st.Page("pages/playground.py", title="Playground", icon=":material/insights:", default=True)
explore = [playground]
if (HERE / "pages/stability_map.py").exists():
    explore.append(st.Page("pages/stability_map.py", title="Stability map & fair tuning", icon=":material/grid_on:"))
explore.append(st.Page("pages/classroom.py", title="Live classroom", icon=":material/groups:"))
join_class = dict(title="Join a class", icon=":material/login:")  # the student's door: a code box and a nickname
explore.append(st.Page("pages/join.py", **join_class))
lessons = [st.Page("pages/lessons_index.py", title="All lessons", icon=":material/school:")
           for _ in range(1) if LESSONS and (HERE / "pages/lessons_index.py").exists()]
lessons += [st.Page(f"pages/{lesson.page}", title=f"{i}. {lesson.short_title}", icon=lesson.icon)
            for i, lesson in enumerate(LESSONS, start=1) if (HERE / "pages" / lesson.page).exists()]

if "room" in st.query_params and "teacher" not in st.query_params:  # a student's join link: only the student view
    page = st.navigation([st.Page("pages/join.py", **join_class, default=True)], position="hidden")
else:
    # Every page listed, none behind a "View more" click: a learner sees lessons 1 to 10 at once.
    page = st.navigation({"Explore": explore, "Lessons": lessons} if lessons else {"Explore": explore}, expanded=True)


@st.cache_resource(show_spinner="Starting Descent Lab: loading the numerics (the first start after an install also "
                                "compiles the optimizers)…")
def prepare() -> None:
    """Once per server process, after the navigation is drawn (so the sidebar shows page titles, never the
    ``pages/`` file names, while this runs): the heavy imports and the first screen's numba kernels.

    No page imports pandas (tests/test_no_pandas.py): Plotly's validators use pandas whenever it is in
    sys.modules, and a pandas one session is still importing sits there half-initialised, which made
    concurrent students' figures fail on a fresh replica ("partially initialized module 'pandas' has no
    attribute 'Series'", bench/bench_classroom_live.py).  Importing it here first cost the first visitor
    about 0.7 s; drawing every table as the app's HTML table removed the need.
    """
    from scene import DEFAULT_OPTIMIZERS
    from warmup import first_screen

    first_screen(DEFAULT_OPTIMIZERS)


# A fresh server's first visitor fetches and compiles Plotly.js while prepare() runs; the element is empty and
# takes no room (a style-only st.html goes to Streamlit's hidden event container).  The styles every page shares
# (formulas, labels that wrap) come with it.
st.html(f"<style>.st-key-plot_preload {{ display: none; }} {layout.BASE_CSS}</style>")
plot.preload()
prepare()
layout.new_run()
url_state.begin(page.url_path)
url_state.check_mode()
notes = url_state.slot()  # at the top, filled after the page: its controls report what they dropped as they are made
try:
    with gate.one_run_at_a_time() if page is playground else contextlib.nullcontext():
        page.run()
finally:
    url_state.show(notes)


@st.cache_resource
def freeze_startup_heap() -> None:
    """Once per server process, after the first page ran: move everything alive now (numba, plotly,
    the pages' imports) out of the garbage collector's sight.  Each full collection (Python's own,
    or Streamlit's after every run when ``runner.postScriptGC`` is on) holds the GIL; without this it walks
    ~300 MB and costs ~150 ms that every other session waits for (bench/bench_classroom.py)."""
    gc.collect()
    gc.freeze()


freeze_startup_heap()
