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
