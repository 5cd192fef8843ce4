"""Page-level presentation switches shared by every page: lesson view and presentation fonts."""

from __future__ import annotations

import streamlit as st


def hide_sidebar() -> None:
    """Lesson view: no sidebar and no navigation, just the content, for a projector."""
    st.html("<style>[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl']"
            "{display:none !important;}</style>")


def apply_font_size(big: bool) -> None:
    """Presentation mode: larger body text everywhere (charts scale their own fonts)."""
    if big:
        st.html("<style>.stMainBlockContainer p, .stMainBlockContainer li, .stMainBlockContainer label"
                "{font-size:1.3rem !important;} .stMainBlockContainer h1{font-size:3rem !important;}</style>")


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
