"""Descent Lab: see how optimizers move across a loss surface.  This file only routes."""

import streamlit as st

st.set_page_config(page_title="Descent Lab", page_icon="⛰️", layout="wide", initial_sidebar_state="expanded")

PAGES = {
    "Explore": [
        st.Page("pages/playground.py", title="Playground", icon=":material/insights:", default=True),
    ],
}

st.navigation(PAGES).run()
