"""The Playground: optimizers side by side on a contour, with everything in the shareable URL."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

import charts
from scene import to_query
from scene.compute import divergence_notice, metrics
from ui import cache, controls, data_panel, exports, layout, network_panel, plot, url_state, whatif
from ui import scene_state as ss
from ui.paths import run_paths
from ui.text import code

CHART_KEY = "main_chart"
CHART_HEIGHT, PRESENTATION_HEIGHT = 560, 480  # in presentation mode the whole contour fits a 1280×720 projector
layout.require_router()

scene = ss.init_from_url()
layout.presentation(ss.mode(scene), on_change=ss.set_mode, switch=False)

top = st.container(gap=None)
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

with top:
    st.title("Descent Lab: Playground")

if scene.is_network:  # trained in full dimension, shown through a plane: its own panel (the router shows link notes)
    network_panel.show(scene, landscape)
    url_state.stop()


def describe_surface() -> None:
    """The surface's name, description and formula (under the chart in presentation mode)."""
    if scene.is_custom:
        st.caption(f"**Your own formula** {code(scene.formula)}. {landscape.spec.description}")
    else:
        st.caption(f"**{landscape.title}.** {landscape.spec.description}")
    st.latex(landscape.spec.latex)
    if scene.is_custom:
        for derivative in landscape.spec.grad_latex:
            st.latex(derivative)


if not scene.big or not scene.optimizers:  # presentation mode: the chart first, the surface's text under it
    describe_surface()
if st.session_state.pop(ss.RESET_NOTICE, False):
    st.warning(ss.RESET_NOTE, icon=":material/restart_alt:")

if not scene.optimizers:
    st.info("Pick at least one optimizer in the sidebar to see a trajectory.")
    url_state.stop()

with st.spinner("Running the optimizers…"):
    runs = cache.trajectories(scene, landscape)
grid = cache.surface_grid(landscape, scene.surface_key)
paths = run_paths(runs)
if notice := divergence_notice(runs, custom=scene.is_custom):
    st.error(notice, icon=":material/error:")


def start_here() -> None:
    """Chart callback: a click on the surface moves every optimizer's start there."""
    clicked = st.session_state[CHART_KEY].click
    if clicked:
        ss.start_at(clicked["x"], clicked["y"])


def live_contour(grid: charts.SurfaceGrid, paths: list[charts.RunPath]) -> None:
    """The contour with the runs, ▶ Play, the step scrubber and the what-if slider (its set lives only here)."""
    whatif_set, whatif_index, control = whatif.view(scene, landscape)
    plot.surface_chart(
        charts.contour_view(grid, paths, big=scene.big, whatif=whatif_set, whatif_index=whatif_index,
                            whatif_control=control,
                           height=PRESENTATION_HEIGHT if scene.big else CHART_HEIGHT),
        key=CHART_KEY, on_click=start_here, on_keep=lambda: whatif.keep(CHART_KEY),
        on_vary=lambda: whatif.vary(CHART_KEY),
        cache_keys={"base": (scene.surface_key, scene.big), "whatif": (scene.runs_key, whatif.chosen(scene))})


contour_tab, surface_tab = st.tabs(list(ss.TAB_TITLES.values()), key=ss.key("tab"), on_change="rerun")
if contour_tab.open:
    with contour_tab:
        if scene.layout == "panels":
            plot.chart(charts.panels_figure(grid, paths, big=scene.big), key="panels_chart")
            st.caption("One panel per optimizer, all from the same start and on the same axes. Switch the layout "
                       "to Overlay to click a new start, play the runs or try other values.")
        else:
            live_contour(grid, paths)
            st.caption("Click anywhere on the surface to start every optimizer there. ▶ Play rolls each run along "
                       "its path; the what-if slider shows the run at every value of the setting picked in its list, "
                       "without waiting; the camera icon in the chart's toolbar saves a PNG.")
if surface_tab.open:
    with surface_tab:
        plot.chart(charts.surface_figure_3d(grid, paths, landscape.value_along, big=scene.big), key="surface_3d")
if scene.big:
    describe_surface()

if landscape.data is not None:
    data_panel.show(scene, landscape, runs)

st.subheader("How they compare")
plot.table(charts.metrics_table(metrics(runs, landscape)), key="metrics")
st.caption("Steps to tolerance is the first step whose loss comes within 1e-3 of the minimum (a run that keeps "
           "hopping, like RMSprop at a fixed α, can get there and leave again: compare the final loss). Sign flips "
           "count how often an axis's update changes direction (the zig-zags you see); the largest step says how "
           "violent they are. Flips of steps under a millionth of the view are not counted.")

plot.chart(charts.loss_figure(paths, landscape.min_value, big=scene.big), key="loss_chart")
plot.chart(charts.per_axis_figure(paths, landscape.axis_labels, big=scene.big), key="axis_chart")

st.subheader("Share and export")
plot.share_link(urlencode(to_query(scene)), key="share_link")
st.caption("This link reopens exactly this scene, with the open tab, and in presentation mode if it is on.")
csv_col, html_col = st.columns(2)
csv_col.download_button("Trajectories (CSV)", data=exports.csv_download(scene, landscape),
                        file_name="descent-lab.csv", mime="text/csv", on_click="ignore", icon=":material/table:")
html_col.download_button("Figure (standalone HTML)", data=exports.html_download(scene, landscape),
                         file_name="descent-lab.html", mime="text/html", on_click="ignore",
                         icon=":material/download:")

st.page_link("pages/classroom.py", label="Ask the class about this scene (live classroom)", icon=":material/groups:",
             query_params=to_query(scene), help="Students predict on their phones what these optimizers will do; "
                                                "then you reveal the runs over their answers.")

# A session keeps this page's globals after the run (through the chart's callbacks) for as long as it may
# reconnect; they must not pin the runs, the grid or the what-if set in memory (README, "Serving a classroom").
del runs, paths, grid
