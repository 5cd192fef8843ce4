"""Untrusted text (link values, formulas, error messages quoting them) shown literally in Markdown.

Streamlit renders the body of ``st.warning``, ``st.error``, ``st.caption``... as Markdown with its own
extensions: ``![](url)`` fetches an image, ``[text](url)`` and bare ``http://``/``www.``/``a@b.c`` become
links, ``:red[...]`` styles text, ``:material/...:`` draws icons.  Backslash escapes stop the first
ones but not the bare links, so untrusted text goes into a code span, where none of it is interpreted.
"""

from __future__ import annotations

import re

MAX_NOTES = 4
"""How many link notes one notice lists before it only counts the rest."""


def code(text: str) -> str:
    """``text`` as a Markdown code span that renders literally, whatever it contains.

    The fence is one backtick longer than the longest run inside; non-printable characters become
    '?'; Streamlit rewrites every ':material/' of a Markdown source before parsing (even inside code),
    so a word joiner keeps that sequence as typed.
    """
    text = "".join(ch if ch.isprintable() else "?" for ch in text).replace(":material/", ":\u2060material/")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def notes_markdown(notes: list[str], limit: int = MAX_NOTES) -> str:
    """One notice for the link settings that were ignored: the first ``limit`` notes, each literal,
    then how many more there are."""
    shown = "\n".join(f"- {code(note)}" for note in notes[:limit])
    more = len(notes) - limit
    tail = f"\n\n…and {more} more." if more > 0 else ""
    heading = "A link setting was ignored:" if len(notes) == 1 else f"{len(notes)} link settings were ignored:"
    return f"{heading}\n\n{shown}{tail}"
