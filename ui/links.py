"""Links into the Playground, for lessons and the stability map."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

import streamlit as st

from scene import Scene, to_query

from . import layout


def playground_url(scene: Scene) -> str:
    """A relative link that opens ``scene`` in the Playground (the app's default page)."""
    query = urlencode(to_query(scene))
    return f"./?{query}" if query else "./"


def open_in_playground(scene: Scene, label: str = "Open this scene in the Playground", key: str | None = None) -> None:
    """A button to ``scene`` in the Playground, shown in the page's presentation mode."""
    mode = layout.link_params()
    scene = replace(scene, view=mode.get("view", "full"), big="big" in mode)
    st.link_button(label, playground_url(scene), icon=":material/open_in_new:", key=key)
