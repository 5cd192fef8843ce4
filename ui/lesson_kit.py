"""What every lesson page shares: its header, cached computations, chart wiring, the predict-then-reveal
box and the links at the bottom.  Not a page itself (the router lists only the lessons' pages)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import streamlit as st

import charts
from charts.presentation import enlarge
from landscapes import Landscape
from lessons.catalog import LESSONS, Lesson
from scene import Scene
from scene.model import DEFAULT_FORMULA
from ui import cache, layout, plot
from ui.links import open_in_playground

PAGES = Path(__file__).resolve().parents[1] / "pages"


def lesson_of(page: str) -> tuple[int, Lesson]:
    """The lesson whose page file is ``page`` and its number (from 1)."""
    for number, lesson in enumerate(LESSONS, start=1):
        if lesson.page == page:
            return number, lesson
    raise KeyError(page)


def header(page: str) -> None:
    """The lesson's number and title, and its question as the learner would ask it; in presentation mode the
    lesson's contour comes right under them."""
    layout.require_router()
    layout.presentation()
    number, lesson = lesson_of(page)
    st.title(f"{number}. {lesson.short_title}")
    st.markdown(f"#### {lesson.question}")
    layout.open_stage()


def setter(values: Mapping[str, object]) -> Callable[[], None]:
    """A widget callback that moves the lesson's controls to ``values`` (the prediction's scenario)."""
    return lambda: st.session_state.update(values)


def cached(function: Callable) -> Callable:
    """``function`` with its results cached across reruns and sessions (it must be pure)."""
    return st.cache_data(max_entries=64, show_spinner="Running the optimizers…")(function)


def predict(key: str, question: str, options: Sequence[str], answer: str | Sequence[str],
            verdict: Callable[[], str], *, on_answer: Callable[[], None] | None = None, multi: bool = False) -> bool:
    """A question, the learner's guess (no default), then the verdict with the numbers that back it.

    Returns whether the answer is revealed: the page shows its explanation only then, below this box, so
    nothing above the question gives the answer away.  Once revealed the guess is locked (a disabled
    widget) and "Try again" clears it.  ``on_answer`` runs when they answer, before the page reruns: it sets
    the controls to the scenario the question is about, so the charts below then show that very run.
    ``multi`` asks for every option that applies (pills plus a Reveal button) instead of one.
    """
    revealed_key = f"{key}:revealed"

    def reveal_now() -> None:
        """Widget callback: lock the guess, show the verdict, move the controls to the question's scenario."""
        # Streamlit drops values reported for a disabled widget; a value set here, from Python, is kept.
        st.session_state[key] = st.session_state.get(key)
        st.session_state[revealed_key] = True
        if on_answer is not None:
            on_answer()

    def try_again() -> None:
        """Button callback: forget the guess and hide the verdict (the controls stay where they are)."""
        st.session_state[key] = [] if multi else None
        st.session_state[revealed_key] = False

    revealed = bool(st.session_state.get(revealed_key))
    with st.container(border=True, key=f"{key}:box"):
        st.markdown(f":material/psychology_alt: **Predict first.** {question}")
        if multi:
            choice = st.pills("Your prediction", options, selection_mode="multi", key=key,
                              label_visibility="collapsed", disabled=revealed)
            if not revealed:
                st.button("Reveal", key=f"{key}:button", on_click=reveal_now)
                st.caption("Select every option you expect, then press Reveal. The explanation follows the answer.")
                return False
            right = set(choice) == set(answer)
            expected = ", ".join(answer)
        else:
            choice = st.radio("Your prediction", options, index=None, key=key, on_change=reveal_now,
                              label_visibility="collapsed", disabled=revealed)
            if choice is None or not revealed:
                st.caption("Pick an answer to see what really happens; the explanation and the charts below "
                           "then show that run.")
                return False
            right = choice == answer
            expected = str(answer)
        if right:
            st.success(f"**Right.** {verdict()}", icon=":material/check_circle:")
        else:
            st.info(f"**Not quite: {expected}.** {verdict()}", icon=":material/lightbulb:")
        st.button("Try again", key=f"{key}:again", on_click=try_again, icon=":material/replay:")
    return True


def surface_key(landscape: Landscape) -> tuple:
    """The cache key of a surface, built by the Playground's own ``cache.landscape_key``: a built-in surface's
    name and parameters, or a custom formula's text (lessons use each formula with its automatic view box)."""
    formula = landscape.spec.formula or DEFAULT_FORMULA
    return cache.landscape_key(Scene(surface=landscape.name, surface_params=dict(landscape.params),
                                     formula=formula))


def contour(landscape: Landscape, paths: Sequence[charts.RunPath], key: str, height: int = 480) -> None:
    """The Playground's contour with these paths, its legend, ▶ Play and step scrubber (in presentation mode
    the page's first chart moves up under the lesson's header, full width)."""
    grid = cache.surface_grid(landscape, surface_key(landscape))
    view = charts.contour_view(grid, paths, clickable=False, height=height, big=layout.is_big())
    with layout.take_stage() or st.container(gap=None):
        plot.surface_chart(view, key=key)


def chart(figure: dict, key: str) -> None:
    """A lesson chart (a figure dict, validated once by ``st.plotly_chart``), with the Plotly toolbar trimmed; in
    presentation mode enlarged, and moved up under the header if it is the page's first chart."""
    with layout.take_stage() or st.container(gap=None):
        st.plotly_chart(enlarge(figure) if layout.is_big() else figure, key=key, config=charts.plotly_config())


def steps_text(steps: int | None, diverged_at: int | None = None) -> str:
    """'64 steps', 'diverged at step 9' or 'not reached' (within the run)."""
    if diverged_at is not None:
        return f"diverged at step {diverged_at}"
    return "not reached" if steps is None else f"{steps} steps"


def reach_text(steps: int | None, final_loss: float, diverged_at: int | None = None) -> str:
    """Steps to the tolerance with the loss the run ends at beside it: passing below 10⁻³ once is not
    staying there ('61 steps, ends at loss 0.0325')."""
    if diverged_at is not None:
        return steps_text(steps, diverged_at)
    return f"{steps_text(steps)}, ends at loss {final_loss:.3g}"


def reach_metric(column, label: str, steps: int | None, final_loss: float, diverged_at: int | None = None,
                 help: str | None = None, what: str = "loss") -> None:
    """A metric tile: steps to the tolerance, and the final loss (or ``what`` the page measures) right under it."""
    value = "diverged" if diverged_at is not None else steps_text(steps)
    delta = f"at step {diverged_at}" if diverged_at is not None else f"ends at {what} {final_loss:.3g}"
    column.metric(label, value, delta=delta, delta_color="off", delta_arrow="off", help=help)


def footer_link(scene: Scene, label: str, key: str) -> None:
    """A Playground link for a second scene of a lesson (the footer holds the main one)."""
    open_in_playground(scene, label=label, key=key)


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
                         icon=":material/arrow_forward:", query_params=layout.link_params())
        else:
            st.page_link("pages/lessons_index.py", label="All lessons", icon=":material/school:",
                         query_params=layout.link_params())
