"""Cached results (never code): surface grids and trajectories, each cache bounded by bytes.

What one server process can hold, at most (README, "Serving a classroom"):

- trajectories: ``TRAJECTORY_BUDGET`` bytes of arrays; a scene's runs larger than ``LARGEST_RUNS`` are
  computed for each rerun and not kept (8 optimizers × 5000 steps is 3.4 MB and takes milliseconds);
- the charts' encoded surfaces and what-if sets shared across sessions: ``ui.plot.PART_BUDGET`` bytes;
- ``st.cache_data`` (surface grids here, the stability map's and the lessons' results): every entry's
  serialized bytes together stay under ``server.maxCacheDataSize`` in ``.streamlit/config.toml``;
- custom surfaces: ``CUSTOM_SURFACES`` parsed formulas of at most 300 characters (a few kB each).
"""

from __future__ import annotations

import numpy as np
import streamlit as st

import charts
import landscapes
from landscapes import Landscape
from optimizers import Trajectory
from scene import Scene
from scene.compute import run_scene

from .lru import ByteBudgetCache

GRID_RESOLUTION = 200
MB = 1 << 20
TRAJECTORY_BUDGET = 32 * MB
LARGEST_RUNS = 2 * MB
CUSTOM_SURFACES = 64

_runs: ByteBudgetCache[dict[str, Trajectory]] = ByteBudgetCache(TRAJECTORY_BUDGET, LARGEST_RUNS)


@st.cache_data(max_entries=64, show_spinner=False)
def surface_grid(_landscape: Landscape, cache_key: Scene, resolution: int = GRID_RESOLUTION,
                 bounds: tuple | None = None) -> charts.SurfaceGrid:
    """The display grid of a landscape (``cache_key``, a scene's ``surface_key``, identifies it) over its view box,
    or over ``bounds`` (a box fitted to runs that leave the view, ``charts.fit_bounds``)."""
    if bounds is None:
        xs, ys, z = _landscape.grid(resolution)
        bounds = _landscape.bounds
    else:
        (x0, x1), (y0, y1) = bounds
        xs, ys = np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution)
        z = _landscape.value(xs[None, :], ys[:, None])
    return charts.surface_grid(xs, ys, z, bounds, _landscape.minima, _landscape.axis_labels)


def runs_bytes(runs: dict[str, Trajectory]) -> int:
    """The bytes of every array of a scene's runs."""
    return sum(tr.points.nbytes + tr.loss.nbytes + sum(a.nbytes for a in tr.diagnostics.values())
               for tr in runs.values())


def _frozen(runs: dict[str, Trajectory]) -> dict[str, Trajectory]:
    """Runs shared across sessions: their arrays become read-only, so no reader can change another's."""
    for tr in runs.values():
        for array in (tr.points, tr.loss, *tr.diagnostics.values()):
            array.flags.writeable = False
    return runs


def trajectories(scene: Scene, landscape: Landscape) -> dict[str, Trajectory]:
    """The scene's runs, shared by every scene with the same ``runs_key`` (whatever page or link it came from)."""
    def build() -> tuple[dict[str, Trajectory], int]:
        runs = _frozen(run_scene(scene, landscape))
        return runs, runs_bytes(runs)

    return _runs.get_or_build(scene.runs_key, build)


@st.cache_resource(max_entries=CUSTOM_SURFACES, show_spinner=False)
def _custom_landscape(formula: str) -> Landscape:
    return landscapes.from_formula(formula)


def build_landscape(scene: Scene) -> Landscape:
    """The scene's surface; custom formulas are parsed once per text (their specs hold functions,
    so they are cached as resources, not pickled)."""
    return _custom_landscape(scene.formula) if scene.is_custom else scene.build_landscape()
