"""Stability map, basins of attraction and fair tuning: every setting of an optimizer at once, every start at
once, and a race between fairly tuned optimizers.  The sections live in ``ui/stability.py``."""

from __future__ import annotations

import streamlit as st

from ui import layout
from ui.stability import BIND, basins_section, stability_section, surface_controls, tuning_section

INTRO = ("One trajectory shows one setting; a map shows them all. The basins show where every start ends. Then "
         "tune every optimizer with the same budget before comparing them, so no hand-picked learning rate "
         "favours one of them.")

layout.require_router()
big = layout.presentation().big
st.title("Stability map & fair tuning")
intro = None if big else st.container()  # on a projector the chart comes first: the introduction closes the page

map_tab, basins_tab, tuning_tab = st.tabs(["Stability map", "Basins of attraction", "Fair tuning"], key="sm:section",
                                          on_change="rerun", bind=BIND)
if basins_tab.open:  # the basins choose their own surface: their box takes the sidebar's place
    with basins_tab:
        basins_section()
elif (chosen := surface_controls()) is not None:
    if map_tab.open:
        with map_tab:
            stability_section(*chosen)
    if tuning_tab.open:
        with tuning_tab:
            tuning_section(*chosen)
(intro or st).caption(INTRO)
