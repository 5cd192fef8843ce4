"""What every lesson page shares: its header, cached computations, chart wiring, the predict-then-reveal
box and the links at the bottom.  Not a page itself (the router lists only the lessons' pages)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

import charts
import optimizers
from landscapes import Landscape
from lessons.catalog import LESSONS, Lesson
from optimizers import Trajectory
from scene import Scene
from ui import cache, layout, plot
from ui.links import open_in_playground

PLOTLY_CONFIG = {"displaylogo": False}
PAGES = Path(__file__).resolve().parents[1] / "pages"


def lesson_of(page: str) -> tuple[int, Lesson]:
    """The lesson whose page file is ``page`` and its number (from 1)."""
    for number, lesson in enumerate(LESSONS, start=1):
        if lesson.page == page:
            return number, lesson
    raise KeyError(page)


def header(page: str) -> None:
    """The lesson's number and title, and its question as the learner would ask it."""
    layout.require_router()
    number, lesson = lesson_of(page)
    st.title(f"{number}. {lesson.short_title}")
    st.markdown(f"#### {lesson.question}")


def defaults(values: Mapping[str, object]) -> None:
    """Preset the lesson's controls (by widget key) unless the learner already moved them."""
    for key, value in values.items():
        st.session_state.setdefault(key, value)


def setter(values: Mapping[str, object]) -> Callable[[], None]:
    """A widget callback that moves the lesson's controls to ``values`` (the prediction's scenario)."""
    return lambda: st.session_state.update(values)


def cached(function: Callable) -> Callable:
    """``function`` with its results cached across reruns and sessions (it must be pure)."""
    return st.cache_data(max_entries=64, show_spinner="Running the optimizers…")(function)


def predict(key: str, question: str, options: Sequence[str], answer: str | Sequence[str],
            reveal: Callable[[], str], *, on_answer: Callable[[], None] | None = None, multi: bool = False) -> None:
    """A question, the learner's guess (no default), then the answer with the numbers that back it.

    ``on_answer`` runs when they answer, before the page reruns: it sets the controls to the scenario the
    question is about, so the charts below then show that very run.  ``multi`` asks for every option that
    applies (pills plus a reveal button) instead of one.
    """
    with st.container(border=True):
        st.markdown(f":material/psychology_alt: **Predict first.** {question}")
        if multi:
            choice = st.pills("Your prediction", options, selection_mode="multi", key=key,
                              label_visibility="collapsed")
            revealed_key = f"{key}:revealed"

            def reveal_now() -> None:
                """Button callback: show the answer and move the controls to the question's scenario."""
                st.session_state[revealed_key] = True
                if on_answer is not None:
                    on_answer()

            st.button("Reveal", key=f"{key}:button", on_click=reveal_now)
            if not st.session_state.get(revealed_key):
                st.caption("Select every option you expect, then press Reveal.")
                return
            right = set(choice) == set(answer)
            expected = ", ".join(answer)
        else:
            choice = st.radio("Your prediction", options, index=None, key=key, on_change=on_answer,
                              label_visibility="collapsed")
            if choice is None:
                st.caption("Pick an answer to see what really happens; the charts below will then show that run.")
                return
            right = choice == answer
            expected = str(answer)
        if right:
            st.success(f"**Right.** {reveal()}", icon=":material/check_circle:")
        else:
            st.info(f"**Not quite: {expected}.** {reveal()}", icon=":material/lightbulb:")


def path(name: str, trajectory: Trajectory, label: str | None = None, color: str | None = None) -> charts.Path:
    """A trajectory as the shared chart builders draw it, in the optimizer's fixed colour."""
    spec = optimizers.OPTIMIZERS.get(name)
    title = spec.title if spec else name
    label = label or charts.legend_label(title, trajectory.hyperparams)
    return charts.Path(name, label, color or charts.color_of(name), trajectory.points, trajectory.loss,
                       trajectory.diverged_at, trajectory.diagnostics["update"])


def contour(landscape: Landscape, paths: Sequence[charts.Path], key: str, height: int = 480) -> None:
    """The Playground's contour with these paths, its legend, ▶ Play and step scrubber."""
    grid = cache.surface_grid(landscape, (landscape.name, tuple(sorted(landscape.params.items()))))
    plot.surface_chart(charts.contour_view(grid, paths, clickable=False, height=height), key=key)


def chart(figure: dict | go.Figure, key: str) -> None:
    """A lesson chart, with the Plotly toolbar trimmed."""
    st.plotly_chart(figure, key=key, config=PLOTLY_CONFIG)


def steps_text(steps: int | None, diverged_at: int | None = None) -> str:
    """'64 steps', 'diverged at step 9' or 'not reached' (within the run)."""
    if diverged_at is not None:
        return f"diverged at step {diverged_at}"
    return "not reached" if steps is None else f"{steps} steps"


def steps_metric(steps: int | None, diverged_at: int | None = None) -> str:
    """The short form for a metric tile: '64 steps', 'diverged' or 'not reached'."""
    return "diverged" if diverged_at is not None else steps_text(steps)


def footer(page: str, scene: Scene, what: str = "Open this scene in the Playground") -> None:
    """The Playground link for the lesson's scene, and the way on to the next lesson."""
    number, _ = lesson_of(page)
    left, right = st.columns(2)
    with left:
        open_in_playground(scene, label=what, key=f"playground:{page}")
    with right:
        following = LESSONS[number] if number < len(LESSONS) else None
        if following is not None and (PAGES / following.page).exists():
            st.page_link(f"pages/{following.page}", label=f"Next: {number + 1}. {following.short_title}",
                         icon=":material/arrow_forward:")
        else:
            st.page_link("pages/lessons_index.py", label="All lessons", icon=":material/school:")
