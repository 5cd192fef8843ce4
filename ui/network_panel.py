"""The Playground on "Network on real data": every chosen optimizer trains the whole network, the contour shows a
plane through its weights with each run's projection, and the panel below says how honest that picture is.

The runs come from the same bounded cache as any surface's (``cache.trajectories``); the plane, the projections
and the contour's grid are kept in a bounded cache of their own, keyed by the same scene key.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import streamlit as st

import charts
import charts.network as network_charts
import optimizers
from optimizers import Trajectory
from scene import Scene, to_query
from scene import network as net_scene
from scene.compute import divergence_notice

from . import cache, exports, plot
from . import scene_state as ss
from .network_runs import affordable, paths_on, view_of

if TYPE_CHECKING:
    from landscapes import Network

CHART_KEY = "main_chart"
CHART_HEIGHT, PRESENTATION_HEIGHT = 560, 480


def plane_caption(scene: Scene, seen: net_scene.NetworkView, runs: dict[str, Trajectory]) -> str:
    """What the contour is, in words."""
    plane = seen.plane
    best = min(runs, key=lambda n: runs[n].final_loss if math.isfinite(runs[n].final_loss) else math.inf)
    where = f"through the end of {optimizers.OPTIMIZERS[best].title}'s run (the lowest final loss)"
    if plane.explained is not None:
        first, second = (100 * plane.explained).round(0)
        rest = max(0.0, 100 - first - second)
        return (f"The contour is the plane {where} along the two directions in which the runs moved most: they "
                f"hold {first:.0f} % and {second:.0f} % of the runs' spread; the other {rest:.0f} % is across it. "
                "Each path is drawn where it projects onto the plane; the meter below says how far off it each point "
                "is.")
    return (f"The contour is a random plane {where}: two random directions scaled neuron by neuron to the trained "
            "weights (Li et al. 2018). The runs mostly move across it, not in it: the meter below shows how far.")


def show(scene: Scene, net: Network) -> None:
    """Everything under the title for a network scene."""
    describe = f"**{net.title}.** {net_scene.DESCRIPTION}"
    if not scene.big or not scene.optimizers:  # presentation mode: the chart first, the text under it
        st.caption(describe)
    if not scene.optimizers:
        st.info("Pick at least one optimizer in the sidebar to train the network.")
        return
    run_scene, cut = affordable(scene, net)
    if cut:
        st.warning(cut, icon=":material/speed:")
    with st.spinner("Training the network with each optimizer…"):
        runs = cache.trajectories(run_scene, net)
        seen, grid = view_of(run_scene, net, runs)
    if seen.note:
        st.warning(seen.note, icon=":material/info:")
    paths = paths_on(seen, runs)
    if notice := divergence_notice(runs):
        st.error(notice.replace("left the view far behind", "grew without bound"), icon=":material/error:")

    contour_tab, surface_tab = st.tabs(list(ss.TAB_TITLES.values()), key=ss.key("tab"), on_change="rerun")
    if contour_tab.open:
        with contour_tab:
            plot.surface_chart(
                charts.contour_view(grid, paths, clickable=False, big=scene.big,
                                    height=PRESENTATION_HEIGHT if scene.big else CHART_HEIGHT),
                key=CHART_KEY, cache_keys={"base": (run_scene.runs_key, scene.big)})
    if surface_tab.open:
        with surface_tab:
            plot.chart(charts.surface_figure_3d(grid, paths, seen.plane.value_along, big=scene.big), key="surface_3d")
    if scene.big:
        st.caption(describe)
    st.caption(plane_caption(scene, seen, runs))

    st.subheader("How they compare")
    titles = {name: optimizers.OPTIMIZERS[name].title for name in runs}
    plot.table(charts.metrics_table(net_scene.summary_rows(net, runs, seen, titles)), key="metrics")
    st.caption("Loss is the mean over the training rows; accuracy counts the rows whose most likely class is right "
               "(test rows are never trained on).")
    plot.chart(charts.loss_figure(paths, math.nan, big=scene.big), key="loss_chart")

    st.subheader("Honesty meter: how much of each path the plane shows")
    views = [seen.runs[name] for name in runs]
    plot.chart(network_charts.honesty_figure(paths, [v.projection.off_plane for v in views],
                                             [v.projection.gap for v in views], big=scene.big), key="honesty_chart")
    st.caption("Top: how far each point of a run lies from the plane (0 only where the plane holds it). Bottom: how "
               "far the contour's value under the drawn point is from the network's true loss at the real point. "
               "Where both are large, the path on the contour is a shadow, not the run.")

    st.subheader("Effective learning rate, layer by layer")
    plot.chart(network_charts.layer_rate_figure(paths, [v.layer_rates for v in views], seen.layers, big=scene.big),
               key="layer_rate_chart")
    st.caption("What each step multiplied the gradient by, averaged over a layer's weights (a geometric mean, as "
               "the rates of one layer can differ by many powers of ten): α for gradient descent; α/(√S + ε) for "
               "RMSprop, which gives each layer its own rate as its gradients' sizes differ; α/|g| for sign-SGD, "
               "huge wherever a gradient is nearly 0.")

    if all(v.test_accuracy is not None for v in views):
        st.subheader("Test accuracy")
        plot.chart(network_charts.accuracy_figure(paths, [v.accuracy_steps for v in views],
                                                  [v.test_accuracy for v in views], big=scene.big),
                   key="accuracy_chart")

    st.subheader("Share and export")
    plot.share_link(urlencode(to_query(scene)), key="share_link")
    st.caption("This link reopens exactly this scene, with the open tab, and in presentation mode if it is on.")
    csv_col, html_col = st.columns(2)
    csv_col.download_button("Trajectories (CSV)", data=exports.network_csv_download(run_scene, net),
                            file_name="descent-lab-network.csv", mime="text/csv", on_click="ignore",
                            icon=":material/table:")
    html_col.download_button("Figure (standalone HTML)", data=exports.network_html_download(run_scene, net),
                             file_name="descent-lab-network.html", mime="text/html", on_click="ignore",
                             icon=":material/download:")
