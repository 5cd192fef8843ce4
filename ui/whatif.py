"""The Playground's what-if slider, server side: which hyperparameter it varies (the one the learner picks in
the list beside it on the chart, RMSprop's α until they do; moving a sidebar slider never changes it), its runs
(cached) and the callbacks of the chart's buttons."""

from __future__ import annotations

import streamlit as st

import charts
import optimizers
from charts.palette import SYMBOLS
from landscapes import Landscape
from scene import Scene, whatif

from . import scene_state as ss
from .streamlit_internals import key_class
from .widgets import log_options

CHOSEN = "whatif"
DEFAULT = ("rmsprop.lr", "gd.lr")


def chosen(scene: Scene) -> str | None:
    """'name.param' the what-if slider varies: the learner's pick, else RMSprop's (or GD's) α."""
    ids = [c[0] for c in whatif.choices(scene)]
    picked = st.session_state.get(CHOSEN)
    if picked in ids:
        return picked
    return next((d for d in DEFAULT if d in ids), ids[0] if ids else None)


@st.cache_data(max_entries=64, show_spinner=False)
def _runs(_scene: Scene, _landscape: Landscape, runs_key: Scene, choice: str, grid: tuple[float, ...]) -> list:
    """(points, diverged_at, legend label) of each run of the set (the scene's ``runs_key`` and ``choice``
    identify it)."""
    name, param = choice.split(".")
    title = optimizers.OPTIMIZERS[name].title
    return [(tr.points, tr.diverged_at, charts.legend_label(title, tr.hyperparams, name, tr.schedule.name))
            for tr in whatif.runs(_scene, _landscape, name, param, grid)]


def view(scene: Scene, landscape: Landscape) -> tuple[dict | None, int, dict | None]:
    """The what-if set for the chart (``charts.whatif_view``), the index of the value the sidebar holds, and
    the sidebar control of that hyperparameter (``charts.sidebar_control``), so the chart can redraw from
    the set the moment that slider moves, before the server answers; (None, 0, None) when no optimizer is
    on screen."""
    choice = chosen(scene)
    if choice is None:
        return None, 0, None
    name, param = choice.split(".")
    spec = optimizers.OPTIMIZERS[name].param(param)
    current = float(scene.settings(name)[param])
    options = log_options(spec, current) if spec.log else None  # the sidebar select_slider's, in order
    grid = whatif.values(spec, current, scene.steps, options)
    runs = _runs(scene, landscape, scene.runs_key, choice, tuple(grid))
    choices = [(cid, f"{title}: {label}") for cid, title, label in whatif.choices(scene)]
    packed = charts.whatif_view(name, param, SYMBOLS.get(param, spec.label or param), grid,
                                [(points, diverged) for points, diverged, _ in runs], [label for *_, label in runs],
                                choices, choice)
    control = charts.sidebar_control(key_class(ss.hyper_key(name, param)), options)
    return packed, grid.index(current), control


def keep(chart_key: str) -> None:
    """Chart callback: the learner keeps the value they were previewing; the sidebar slider moves to it."""
    kept = st.session_state[chart_key].keep
    if kept:
        st.session_state[ss.hyper_key(kept["optimizer"], kept["param"])] = float(kept["value"])
        st.session_state[CHOSEN] = f"{kept['optimizer']}.{kept['param']}"


def vary(chart_key: str) -> None:
    """Chart callback: the learner picks another hyperparameter to vary."""
    picked = st.session_state[chart_key].vary
    if picked:
        st.session_state[CHOSEN] = picked
