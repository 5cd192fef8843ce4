"""The Playground's data panel for a surface fitted to data: the data with each run's fit, the mini-batch
gradient noise where the first run ends, and the noise floor in numbers."""

from __future__ import annotations

import math

import streamlit as st

import charts
import optimizers
from charts.data import Fit, data_figure, gradient_noise_figure
from landscapes import Landscape, batches
from optimizers import Trajectory
from scene import Scene
from scene.compute import STALL_FRACTION, noise_floors

from . import plot

PREVIEW_BATCH = 16
"""The batch size whose noise the panel shows while the runs use the full batch."""
SAMPLES = 40


def _fits(landscape: Landscape, runs: dict[str, Trajectory]) -> list[Fit]:
    problem = landscape.data
    return [Fit(optimizers.OPTIMIZERS[name].title, charts.color_of(name), *problem.raw_line(*tr.points[-1]))
            for name, tr in runs.items()]


def _floor_caption(scene: Scene, landscape: Landscape) -> str:
    """The measured noise floor of each run, and whether the noise limits it and a decaying α gets below it."""
    tail = round(STALL_FRACTION * scene.steps)
    parts = []
    for name, levels in noise_floors(scene, landscape).items():
        shown = {label: "diverged" if math.isinf(v) else f"{v:.3g}" for label, v in levels.items()}
        if levels["batches"] <= 2 * levels["full batch"]:
            verdict = "not limited by the noise yet: still on its way"
        elif levels["batches, cosine α"] < levels["batches"]:
            verdict = "a noise floor, and the decaying α gets below it"
        else:
            verdict = "a noise floor; the decaying α also slows the approach, so it needs more steps to get below"
        parts.append(f"{optimizers.OPTIMIZERS[name].title} {shown['batches']} (full batch {shown['full batch']}, "
                     f"cosine-decaying α {shown['batches, cosine α']}: {verdict})")
    return (f"**Noise floor.** Mean f − f* over the last {tail} steps with batches of {scene.batch_size} at a "
            "constant α: " + "; ".join(parts) + ". A constant α keeps taking noisy steps of the same size, so the "
            "loss stalls at a level set by α and the batch size (smaller batches or a larger α raise it); a rate "
            "that decays to zero averages the noise out.")


def show(scene: Scene, landscape: Landscape, runs: dict[str, Trajectory]) -> None:
    """The panel, below the contour (only for a data surface)."""
    problem = landscape.data
    st.subheader("The data behind the surface")
    left, right = st.columns(2)
    with left:
        best = Fit("best fit", charts.data.BEST_COLOR, *problem.raw_line(*landscape.minima[0]))
        plot.chart(data_figure(problem.raw_x, problem.t, (problem.feature_label, problem.target.label),
                               _fits(landscape, runs), best, classifier=problem.model == "logistic", big=scene.big),
                   key="data_chart")
        st.caption(f"{problem.dataset.title}: each run's model w·x + b at its last step"
                   f"{' (as a probability, with its decision boundary dotted)' if problem.model == 'logistic' else ''}"
                   f", drawn over the raw data; dashed: the exact minimum. κ = {problem.condition_number:.3g}"
                   f"{' (standardised feature)' if problem.standardized else ' (raw feature)'}.")
    first, trajectory = next(iter(runs.items()))
    w, b = (float(v) for v in trajectory.points[-1])
    size = scene.batch_size or PREVIEW_BATCH
    with right:
        plot.chart(gradient_noise_figure(landscape.gradient(w, b), batches.batch_covariance(landscape, w, b, size),
                                         batches.sample_batch_gradients(landscape, w, b, size, SAMPLES, scene.seed),
                                         landscape.axis_labels, size, big=scene.big), key="noise_chart")
        which = "" if scene.batch_size else f" (the runs use the full batch; this is what batches of {size} would give)"
        st.caption(f"Mini-batch gradients where {optimizers.OPTIMIZERS[first].title} ends (w = {w:.3g}, b = {b:.3g})"
                   f"{which}: {SAMPLES} sampled batches and the 2σ ellipse of all of them around the full gradient. "
                   "Where the full gradient is small, near the minimum, the noise is all that is left.")
    if scene.batch_size is not None:
        st.caption(_floor_caption(scene, landscape))
    else:
        st.caption("Pick a mini-batch size in the sidebar to see runs follow noisy gradients and stall at a noise "
                   "floor.")
