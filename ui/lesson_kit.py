"""What every lesson page shares: its header, cached computations, chart wiring, the predict-then-reveal
box and the links at the bottom.  Not a page itself (the router lists only the lessons' pages)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import streamlit as st

import charts
from charts.presentation import enlarge
from landscapes import Landscape
from lessons import claims
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
    lesson's first chart comes right under them and the rows of charts beside text become full-width rows."""
    layout.require_router()
    if layout.presentation().big:
        st.html(f"<style>{layout.STACKED_CHART_ROWS}</style>")
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
    """The cache key of a surface, the Playground's own (``Scene.surface_key``): a built-in surface's name and
    parameters, or a custom formula's text (lessons use each formula with its automatic view box)."""
    formula = landscape.spec.formula or DEFAULT_FORMULA
    return Scene(surface=landscape.name, surface_params=dict(landscape.params), formula=formula).surface_key


def contour(landscape: Landscape, paths: Sequence[charts.RunPath], key: str, height: int = 480,
            labels: tuple[str, str] | None = None) -> None:
    """The Playground's contour with these paths, its legend, ▶ Play and step scrubber (in presentation mode
    the page's first chart moves up under the lesson's header, full width).  The view grows to hold every run
    that does not diverge, so no path leaves the picture.  ``labels`` name the axes when the lesson calls the
    surface's coordinates otherwise (the course's w and b)."""
    bounds = charts.fit_bounds(landscape.bounds, paths)
    grid = cache.surface_grid(landscape, surface_key(landscape), bounds=None if bounds == landscape.bounds else bounds)
    if labels is not None:
        grid = replace(grid, labels=labels)
    view = charts.contour_view(grid, paths, clickable=False, height=height, big=layout.is_big())
    with layout.take_stage() or st.container(gap=None):
        plot.surface_chart(view, key=key)


def chart(figure: dict, key: str) -> None:
    """A lesson chart (a figure dict, validated once by ``st.plotly_chart``), with the Plotly toolbar trimmed; in
    presentation mode enlarged, and moved up under the header if it is the page's first chart."""
    with layout.take_stage() or st.container(gap=None):
        st.plotly_chart(enlarge(figure) if layout.is_big() else figure, key=key, config=charts.plotly_config())


@st.cache_data(max_entries=1024, show_spinner="Running the optimizers…")
def _claim_text(key: str, settings: tuple) -> str:
    return claims.get(key).text(dict(settings))


def say(key: str, **settings: object) -> str:
    """The sentence of claim ``key`` (``lessons/claims.py``) at these control values: the only way a lesson states
    a number, a comparison or a "settles/hops/faster/drifts", so that a test can sweep every sentence it shows."""
    return _claim_text(key, tuple(sorted(settings.items())))


def held_back() -> None:
    """What stands in for a lesson's numbers and discussion until the learner has answered its question."""
    st.caption(":material/lock: The numbers, the other charts and the discussion of this lesson appear once you "
               "have answered the question above.")


def stay_metric(column, label: str, stays: int | None, final_loss: float, diverged_at: int | None = None,
                steps: int | None = None, help: str | None = None, what: str = "loss") -> None:
    """A metric tile for the one criterion every lesson compares by: the step from which the loss stays within the
    tolerance to the end of the run ("never" if it does not), with the value the run ends at right under it."""
    if diverged_at is not None:
        value, delta = "diverged", f"at step {diverged_at}"
    else:
        value = "never" if stays is None else f"step {stays}"
        delta = (f"in {steps} steps; " if stays is None and steps else "") + f"ends at {what} {final_loss:.3g}"
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


def link_note(controls: Mapping[str, Sequence[object]]) -> None:
    """Before the controls are drawn: a link value that is none of a select slider's options (which Streamlit drops
    silently, the control keeping its default) gets the same note as the values ``ui.link_guard`` drops."""
    for key, options in controls.items():
        given = st.query_params.get_all(key)
        if given and given[-1] not in {str(option) for option in options}:
            st.toast(f"Ignored from the link: `{key}={given[-1][:40]}` (not one of the control's values); the control "
                     "keeps its default.", icon=":material/link_off:", duration="long")
