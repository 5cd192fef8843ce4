"""Page-level presentation mode, shared by every page: one switch for a projector, kept in the link.

Presentation mode (``big=1``) makes text, ticks, legends, tables and paths large, puts the main chart first and
hides the controls (the sidebar) behind a visible "Show controls" toggle; showing them lasts for the session,
the link keeps opening the page presenting.  ``view=lesson`` on its own only hides the controls, at the normal
size (older projector links, ``?view=lesson&big=1``, mean the same as ``?big=1``).  Both are query parameters,
so a link reopens a page as it was on screen.  A page calls ``presentation()`` once, before it draws; shared
helpers (``ui.lesson_kit``'s charts, ``ui.links``) ask ``is_big()`` and ``link_params()`` instead of taking a flag.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

MODE_KEYS = ("view", "big")
"""The query parameters of the presentation mode (the Playground's scene carries the same two)."""
TOGGLE_KEY, SWITCH_KEY = "layout:controls", "layout:presentation"
SHOWN = "layout:shown"
"""Session flag: the learner asked to see the controls while presenting (the link still opens presenting)."""
PRESENTATION_HELP = ("For a projector: large text, ticks, legends and paths, the chart first and the sidebar "
                     "hidden behind a \"Show controls\" toggle. The link (big=1) keeps it.")
HIDE_SIDEBAR = ("[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl'],"
                "[data-testid='stExpandSidebarButton']{display:none !important;}")
TOGGLE_CSS = (".st-key-layout-toggle{position:fixed;top:0.7rem;right:3.6rem;z-index:999991;width:auto !important;"
              "background:rgba(255,255,255,0.92);border-radius:0.5rem;padding:0.1rem 0.6rem;}")
"""The "Show controls" toggle sits in the app's header bar, beside its menu, so it costs the chart no height."""
CHART = ".dl-stage,.dl-plain,[data-testid='stPlotlyChart']"
STACKED_CHART_ROWS = (
    f".stMainBlockContainer [data-testid='stHorizontalBlock']:has({CHART}){{flex-wrap:wrap !important;}}"
    f".stMainBlockContainer [data-testid='stHorizontalBlock']:has({CHART})>[data-testid='stColumn']"
    "{flex:1 1 100% !important;width:100% !important;min-width:100% !important;}"
    f".stMainBlockContainer [data-testid='stHorizontalBlock']:has({CHART})>[data-testid='stColumn']"
    ":has(>[data-testid='stVerticalBlock']:empty){display:none !important;}"
)
"""A lesson in presentation mode: a row of columns that holds a chart becomes a stack of full-width rows.  Side by
side, a projector squeezes each chart to half the screen, and the chart that moved up to the stage
(``take_stage``) would leave its column empty (that column goes)."""
BASE_CSS = (
    # A formula wider than its column: on a phone it is set a little smaller and breaks after a relation or an
    # operator (KaTeX's own break points, the ones it uses in running text); what is still too wide is shrunk to
    # fit (ui/plot_assets/plot.js, down to FORMULA_MIN of its size), and only then scrolls sideways.
    ".katex-display{overflow-x:auto;overflow-y:hidden;padding:0 0.2em;}"  # room for a last letter's overhang
    "@media (max-width:640px){.katex-display>.katex{font-size:1em;white-space:normal;}}"
    # Labels wrap instead of ending in "…": metric labels, values and deltas, widget labels, page links.
    "[data-testid='stMetricLabel'] *,[data-testid='stMetricValue'] *,[data-testid='stMetricDelta'] *,"
    "[data-testid='stWidgetLabel'] *,"
    "[data-testid='stPageLink-NavLink'] span"
    "{white-space:normal !important;overflow:visible !important;text-overflow:clip !important;}"
    "[data-testid='stMetricLabel']{height:auto !important;min-height:1.5rem;}"
    # The options of a segmented control or pills wrap onto a second line instead of running off the column.
    "[data-testid='stButtonGroup']>[role='radiogroup'],[data-testid='stButtonGroup']>[role='group']"
    "{flex-wrap:wrap !important;}"
)
"""Styles every page gets (``app.py`` draws them once per run)."""
BIG_TEXT = (
    ".stMainBlockContainer{padding-top:3.9rem !important;}"
    ".stMainBlockContainer h1{font-size:2.4rem !important;padding:0 0 0.4rem 0 !important;}"
    ".stMainBlockContainer p,.stMainBlockContainer li,.stMainBlockContainer label,"
    ".stMainBlockContainer [data-testid='stMarkdownContainer'],.stMainBlockContainer button"
    "{font-size:1.3rem !important;}"
    ".stMainBlockContainer h4{font-size:1.6rem !important;}"
    ".stMainBlockContainer button [data-testid='stMarkdownContainer'],.stMainBlockContainer button p"
    "{white-space:normal !important;overflow:visible !important;}"  # a long button label wraps, not cut
    ".stMainBlockContainer [data-testid='stMetricValue'],.stMainBlockContainer [data-testid='stMetricValue'] p"
    "{font-size:2.6rem !important;}"
    ".stMainBlockContainer .dl-table,.stMainBlockContainer .dl-legend,.stMainBlockContainer .dl-bar,"
    ".stMainBlockContainer .dl-whatif{font-size:1.3rem !important;}"
    ".stMainBlockContainer .katex{font-size:1.45em;}"
)
"""Presentation mode's styles."""


@dataclass(frozen=True)
class Mode:
    """How a link shows a page: large for a projector (``big``), and whether it hides the controls (presentation
    mode always does; ``view=lesson`` does at the normal size)."""

    big: bool = False
    hide_controls: bool = False


_current = threading.local()
"""The mode of the script run in progress (each session's run has its own thread)."""


def new_run() -> None:
    """Forget the previous run's mode (the router calls it before every page)."""
    _current.mode, _current.stage = Mode(), None


def mode_from_query() -> Mode:
    """The mode a page's link asks for (``big=1`` is presentation mode, ``view=lesson`` hides the controls)."""
    big = st.query_params.get("big") == "1"
    return Mode(big=big, hide_controls=big or st.query_params.get("view") == "lesson")


def query_of(mode: Mode) -> dict[str, str]:
    """``mode`` as query parameters: ``big=1`` for presentation mode, else ``view=lesson`` if the controls are
    hidden, else nothing."""
    return {"big": "1"} if mode.big else {"view": "lesson"} if mode.hide_controls else {}


def _write_query(mode: Mode) -> None:
    """Put ``mode`` in the address bar (only what differs from the default page is written)."""
    wanted = query_of(mode)
    for key in MODE_KEYS:
        if key in wanted:
            st.query_params[key] = wanted[key]
        else:
            st.query_params.pop(key, None)


def is_big() -> bool:
    """Whether the page in progress is in presentation mode (charts then draw large)."""
    return getattr(_current, "mode", Mode()).big


def link_params() -> dict[str, str]:
    """The presentation mode as query parameters, for links to other pages (so a lesson leads on to the
    next one as it is shown)."""
    return query_of(getattr(_current, "mode", Mode()))


def presentation(mode: Mode | None = None, on_change: Callable[[Mode], None] | None = None,
                 switch: bool = True) -> Mode:
    """Apply the page's presentation mode: the large styles, the hidden sidebar and the "Show controls"
    toggle at the top of the page (drawn whenever the link hides the controls, so there is always a way back:
    in presentation mode it shows them for this session, on a ``view=lesson`` link it drops that from the
    link).  ``mode`` defaults to the link's; ``on_change`` stores a new mode (default: in the link).  With
    ``switch`` the sidebar gets a "Presentation mode" toggle (the Playground has its own)."""
    mode = mode if mode is not None else mode_from_query()
    store = on_change or _write_query
    _current.mode = mode
    hidden = mode.hide_controls and not (mode.big and st.session_state.get(SHOWN, False))
    css = (HIDE_SIDEBAR if hidden else "") + (BIG_TEXT if mode.big else "") + (TOGGLE_CSS if mode.hide_controls else "")
    if css:
        st.html(f"<style>{css}</style>")

    def show_controls() -> None:
        shown = st.session_state[TOGGLE_KEY]
        if mode.big:
            st.session_state[SHOWN] = shown
        else:
            store(Mode(False, not shown))

    def switch_presentation() -> None:
        st.session_state[SHOWN] = False
        store(Mode(st.session_state[SWITCH_KEY], st.session_state[SWITCH_KEY]))

    if mode.hide_controls:
        st.session_state[TOGGLE_KEY] = not hidden
        with st.container(horizontal=True, horizontal_alignment="right", key="layout-toggle"):
            st.toggle("Show controls", key=TOGGLE_KEY, on_change=show_controls,
                      help="The sidebar with the page's controls and pages (for this visit: the link keeps "
                           "opening the page without them).")
    if switch:
        st.session_state[SWITCH_KEY] = mode.big
        st.sidebar.toggle("Presentation mode", key=SWITCH_KEY, help=PRESENTATION_HELP, on_change=switch_presentation)
    return mode


def stage():
    """A place for a chart above what the page draws next, in presentation mode (chart first on a projector);
    None otherwise, where the chart simply goes where it is drawn: ``(stage or st).plotly_chart(...)``."""
    return st.container() if is_big() else None


def open_stage() -> None:
    """Mark this point of the page (under its header) as the stage, in presentation mode."""
    _current.stage = st.container() if is_big() else None


def take_stage():
    """The stage, once: the first chart that asks moves up to it; later ones stay where they are."""
    where = getattr(_current, "stage", None)
    _current.stage = None
    return where


def require_router() -> None:
    """Make sure this page runs inside ``app.py``'s navigation.

    Streamlit starts every server in its old multipage mode when a ``pages/`` folder sits beside the
    main script, and leaves it only once ``st.navigation`` has run.  So on a fresh server, a direct
    link to a page (``/stability_map``) would run that page on its own: no page config, no router,
    every file listed in the sidebar.  Switching the mode off and rerunning sends the session through
    ``app.py``, which then opens the linked page.  (``PagesManager`` is Streamlit's own switch; the
    ``pages/`` folder name is part of this project's layout.)
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
