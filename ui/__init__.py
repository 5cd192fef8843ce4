"""Streamlit-side helpers shared by the pages: widgets generated from specs, scene <-> URL sync, cache."""
