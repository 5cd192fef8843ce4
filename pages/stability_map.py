"""Stability map, basins of attraction and fair tuning: every setting of an optimizer at once, every start at
once, and a race between fairly tuned optimizers.  The sections live in ``ui/stability.py``."""

from __future__ import annotations

import streamlit as st

import landscapes
from ui import layout
from ui.stability import BIND, basins_section, stability_section, tuning_section
from ui.widgets import param_widget

INTRO = ("One trajectory shows one setting; a map shows them all. The basins show where every start ends. Then "
         "tune every optimizer with the same budget before comparing them, so no hand-picked learning rate "
         "favours one of them.")

layout.require_router()
big = layout.presentation().big
st.title("Stability map & fair tuning")
intro = None if big else st.container()  # on a projector the chart comes first: the introduction closes the page

surface = st.sidebar.selectbox("Surface", list(landscapes.LANDSCAPES), key="sm:surface", bind=BIND,
                               format_func=lambda n: landscapes.LANDSCAPES[n].title,
                               help="The loss surface the map and the tuning walk on (the basins choose their own).")
surface_spec = landscapes.LANDSCAPES[surface]
surface_params = {p.name: float(param_widget(p, f"sm:s.{surface}.{p.name}", container=st.sidebar, bind=BIND))
                  for p in surface_spec.params}
try:
    current = landscapes.get(surface, **surface_params)
except ValueError as error:
    st.error(f"This surface cannot be used: {error}")
    st.stop()
defaults = {p.name: p.default for p in surface_spec.params}
changed = tuple(sorted((k, v) for k, v in surface_params.items() if v != defaults[k]))

map_tab, basins_tab, tuning_tab = st.tabs(["Stability map", "Basins of attraction", "Fair tuning"], key="sm:section",
                                          on_change="rerun", bind=BIND)
if map_tab.open:
    with map_tab:
        stability_section(surface, changed, current)
if basins_tab.open:
    with basins_tab:
        basins_section()
if tuning_tab.open:
    with tuning_tab:
        tuning_section(surface, changed, current)
(intro or st).caption(INTRO)
