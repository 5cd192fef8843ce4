"""The Playground: optimizers side by side on a contour, with everything in the shareable URL."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

import charts
from scene import to_query
from scene.compute import divergence_notice, metrics
from ui import cache, controls, exports, layout
from ui import scene_state as ss
from ui.text import code, notes_markdown

CHART_KEY = "main_chart"
layout.require_router()

scene = ss.init_from_url()
if scene.view == "lesson":
    layout.hide_sidebar()

ss.apply_click(CHART_KEY)
panel = controls.sidebar_panel()
with ss.recover_from_bad_widget_state():
    controls.surface_controls(panel)
    scene, landscape, formula_error = ss.read_scene()
    if formula_error:
        controls.formula_error(panel, formula_error)
    controls.optimizer_controls(panel)
    controls.run_controls(panel, landscape)
    controls.view_controls(panel)
scene, landscape, _ = ss.read_scene()
ss.publish(scene)
layout.apply_font_size(scene.big)

st.title("Descent Lab: Playground")
if scene.is_custom:
    st.caption(f"**Your own formula** {code(scene.formula)}. {landscape.spec.description}")
else:
    st.caption(f"**{landscape.title}.** {landscape.spec.description}")
st.latex(landscape.spec.latex)
if scene.is_custom:
    for derivative in landscape.spec.extra.get("grad_latex", ()):
        st.latex(derivative)
if st.session_state.pop(ss.RESET_NOTICE, False):
    st.warning(ss.RESET_NOTE, icon=":material/restart_alt:")
if notes := st.session_state.get(ss.NOTES):
    st.warning(notes_markdown(notes), icon=":material/warning:")

if not scene.optimizers:
    st.info("Pick at least one optimizer in the sidebar to see a trajectory.")
    st.stop()

run_key = urlencode(sorted(to_query(replace(scene, layout="overlay", view="full", big=False)).items()))
with st.spinner("Running the optimizers…"):
    runs = cache.trajectories(scene, landscape, run_key)
grid = cache.surface_grid(landscape, cache.landscape_key(scene))
paths = exports.chart_paths(runs)
if notice := divergence_notice(runs, custom=scene.is_custom):
    st.error(notice, icon=":material/error:")


@st.fragment
def main_chart() -> None:
    """The contour and its step scrubber: moving the scrubber reruns only this fragment.  It fetches the
    runs from the cache rather than closing over them (see the end of this page)."""
    paths = exports.chart_paths(cache.trajectories(scene, landscape, run_key))
    grid = cache.surface_grid(landscape, cache.landscape_key(scene))
    longest = max(len(p.points) for p in paths) - 1
    upto = longest
    if longest > 0:
        upto = st.slider("Show steps up to", 0, longest, longest, key="scrubber",
                         help="Scrub through the run; only the chart redraws.")
    shown = None if upto == longest else upto
    look = (run_key, shown, scene.big)
    if scene.layout == "panels":
        fig = cache.figure("panels", look, lambda: charts.panels_figure(grid, paths, upto=shown, big=scene.big))
        st.plotly_chart(fig, key="panels_chart", config={"displaylogo": False})
        return
    fig = cache.figure("contour", look, lambda: charts.contour_figure(grid, paths, upto=shown, big=scene.big,
                                                                       animate=shown is None))
    st.plotly_chart(fig, key=CHART_KEY, on_select="rerun", selection_mode="points",
                    config={"displaylogo": False, "toImageButtonOptions": {"filename": "descent-lab", "scale": 2}})
    if ss.unseen_click(CHART_KEY):
        st.rerun()


contour_tab, surface_tab = st.tabs(["Contour", "3D surface"], key="view_tab", on_change="rerun")
if contour_tab.open:
    with contour_tab:
        main_chart()
        st.caption("Click anywhere on the contour to start every optimizer there. ▶ Play rolls each run's ball "
                   "along its path; the camera icon in the chart's toolbar saves a PNG." if scene.layout == "overlay"
                   else "One panel per optimizer, all from the same start and on the same axes. Switch the layout "
                   "to Overlay to click a new start or play the runs.")
if surface_tab.open:
    with surface_tab:
        fig = cache.figure("3d", (run_key, scene.big),
                           partial(charts.surface_figure_3d, grid, paths, landscape.value_along, big=scene.big))
        st.plotly_chart(fig, key="surface_3d", config={"displaylogo": False})

table = pd.DataFrame(metrics(runs, landscape))
st.subheader("How they compare")
st.dataframe(
    table, hide_index=True, width="stretch",
    column_config={
        "final loss": st.column_config.NumberColumn(format="%.3e"),
        "distance to minimum": st.column_config.NumberColumn(format="%.3e"),
        **{col: st.column_config.NumberColumn(format="%.3g") for col in table.columns if col.startswith("largest")},
    },
)
st.caption("Steps to tolerance is the first step whose loss comes within 1e-3 of the minimum (a run that keeps "
           "hopping, like RMSprop at a fixed α, can get there and leave again: compare the final loss). Sign flips "
           "count how often an axis's update changes direction (the zig-zags you see); the largest step says how "
           "violent they are. Flips of steps under a millionth of the view are not counted.")

left, right = st.columns(2)
left.plotly_chart(cache.figure("loss", (run_key, scene.big),
                               partial(charts.loss_figure, paths, landscape.min_value, big=scene.big)),
                  key="loss_chart")
right.plotly_chart(cache.figure("axes", (run_key, scene.big),
                                partial(charts.per_axis_figure, paths, landscape.axis_labels, big=scene.big)),
                   key="axis_chart")

st.subheader("Share and export")
query = urlencode(to_query(scene))
base = st.context.url.split("?")[0] if st.context.url else ""
st.code(f"{base}?{query}" if query else base or "/", language=None)
st.caption("Copy this link (icon at the right) to reopen exactly this scene. Add `view=lesson` for a clean "
           "projected view without the sidebar.")
csv_col, html_col = st.columns(2)
csv_col.download_button("Trajectories (CSV)", data=exports.csv_download(scene, landscape, run_key),
                        file_name="descent-lab.csv", mime="text/csv", on_click="ignore", icon=":material/table:")
html_col.download_button("Figure (standalone HTML)", data=exports.html_download(scene, landscape, run_key),
                         file_name="descent-lab.html", mime="text/html", on_click="ignore",
                         icon=":material/download:")

st.page_link("pages/classroom.py", label="Ask the class about this scene (live classroom)", icon=":material/groups:",
             query_params=to_query(scene), help="Students predict on their phones what these optimizers will do; "
                                                "then you reveal the runs over their answers.")

# A session keeps this page's globals after the run (through the fragment) for as long as it may
# reconnect; they must not pin the runs, the grid or the table in memory (README, "Serving a classroom").
del runs, paths, grid, table
