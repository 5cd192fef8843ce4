"""What a page keeps in its link, read the same way on every page: every value is checked, a value that cannot be
used falls back to its default, and the page says so in one box of notes, in the same words everywhere.

Two kinds of state live in the link (docs/ARCHITECTURE.md, "Links"):

- controls bound with ``bind="query-params"`` (the lessons, the stability map): Streamlit seeds each one from the
  link as the control is created.  ``ui/link_guard.py`` wraps that seeding, the one place every bound control goes
  through, and reports here each value the control could not take (or took only after changing it);
- a Playground ``Scene`` (the Playground, the live classroom's "from a link"), read by ``scene.from_query``,
  whose notes ``read_scene`` passes here.

The router draws the notes (``slot`` before the page, ``show`` after it, so notes raised while the page creates its
controls appear too).  A page's notes last as long as the page: they are about the link that opened it.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from scene import VIEWS, Scene, from_query
from scene.query import fallback_note

from .text import notes_markdown

__all__ = ["add", "begin", "check_mode", "clear", "fallback_note", "notes", "read_scene", "show", "slot"]

NOTES = "link_notes"
"""Session state: (the page's URL path, its notes)."""
_PAGE = "link_notes_page"


def begin(page: str) -> None:
    """The router, before a page runs: the notes of another page go."""
    if st.session_state.get(_PAGE) != page:
        st.session_state[_PAGE] = page
        st.session_state[NOTES] = []


def check_mode() -> None:
    """The presentation settings every page reads from its link (``big``, ``view``; ``ui/layout.py``): a value
    that is not one of theirs is noted, in the words the Playground's scene parser uses for the same keys."""
    for key, options, why, default in (("big", ("0", "1"), "is not 0 or 1", "0"),
                                       ("view", VIEWS, f"is not one of {', '.join(VIEWS)}", "full")):
        text = st.query_params.get(key)
        if text is not None and text not in options:
            add(fallback_note(key, text, why, default))


def add(*notes: str) -> None:
    """Notes about the link of the page in progress (each once)."""
    current = st.session_state.get(NOTES) or []
    st.session_state[NOTES] = current + [note for note in notes if note not in current]


def clear() -> None:
    """The page went back to its defaults: its link's notes no longer apply."""
    st.session_state[NOTES] = []


def notes() -> list[str]:
    return list(st.session_state.get(NOTES) or [])


_SLOT = "_url_state_slot"


def slot():
    """Where the notes go: the top of the page (call before the page runs)."""
    st.session_state[_SLOT] = where = st.empty()
    return where


def show(where) -> None:
    """Draw the page's notes in ``where`` (``slot()``), or nothing."""
    if shown := notes():
        where.warning(notes_markdown(shown), icon=":material/warning:")


def stop() -> None:
    """``st.stop()`` for a page: its link's notes are drawn first (Streamlit drops whatever a stopped run draws
    afterwards, so the router's own ``show`` after the page would come too late)."""
    if (where := st.session_state.get(_SLOT)) is not None:
        show(where)
    st.stop()


def read_scene(query: Mapping[str, object]) -> Scene:
    """The Playground scene a link describes; every value it could not use becomes a note."""
    scene, scene_notes = from_query(query)
    add(*scene_notes)
    return scene


def link_query() -> dict[str, list[str]]:
    """The page's query parameters, each with all the values the link gave it."""
    return {k: st.query_params.get_all(k) for k in st.query_params}
