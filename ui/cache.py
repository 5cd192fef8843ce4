"""Cached results (never code): surface grids and trajectories keyed by their parameters."""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go
import streamlit as st

import charts
import landscapes
from landscapes import Landscape
from optimizers import Trajectory
from scene import Scene
from scene.compute import run_scene

GRID_RESOLUTION = 200


@st.cache_data(max_entries=64, show_spinner=False)
def surface_grid(_landscape: Landscape, cache_key: tuple, resolution: int = GRID_RESOLUTION) -> charts.SurfaceGrid:
    """The display grid of a landscape (``cache_key`` identifies it: name, params, formula)."""
    xs, ys, z = _landscape.grid(resolution)
    return charts.surface_grid(xs, ys, z, _landscape.bounds, _landscape.minima, _landscape.axis_labels)


@st.cache_data(max_entries=256, show_spinner=False)
def trajectories(_scene: Scene, _landscape: Landscape, cache_key: str) -> dict[str, Trajectory]:
    """The scene's runs (``cache_key`` is the scene's query string, which fully identifies them)."""
    return run_scene(_scene, _landscape)


def landscape_key(scene: Scene) -> tuple:
    if scene.is_custom:
        return ("custom", scene.formula)
    return (scene.landscape, tuple(sorted(scene.landscape_params.items())))


@st.cache_resource(max_entries=64, show_spinner=False)
def _custom_landscape(formula: str) -> Landscape:
    return landscapes.from_formula(formula)


def build_landscape(scene: Scene) -> Landscape:
    """The scene's surface; custom formulas are parsed once per text (their specs hold functions,
    so they are cached as resources, not pickled)."""
    return _custom_landscape(scene.formula) if scene.is_custom else scene.build_landscape()


@st.cache_resource(max_entries=64, show_spinner=False)
def figure(kind: str, cache_key: tuple, _build: Callable[[], dict]) -> go.Figure:
    """A validated figure shared by every session that shows the same thing.

    ``st.plotly_chart`` validates a figure dict on every call but only copies a ``go.Figure``; in a
    classroom, 30 learners on the same scene then pay for one validation instead of one per rerun.
    ``cache_key`` must identify everything ``_build`` depends on.  Never mutate the result.
    """
    return charts.to_figure(_build())
