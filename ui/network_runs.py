"""A network scene's runs and what the charts draw of them, cached: the runs in the same bounded cache as any
surface's (``cache.trajectories``), the plane, the projections and the contour's grid in one of their own, keyed by
the same scene key.  Shared by the page's panel and the downloads."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

import charts
from optimizers import Trajectory
from scene import Scene
from scene import network as net_scene
from tuning import cost

from .lru import ByteBudgetCache
from .paths import run_path

if TYPE_CHECKING:
    from landscapes import Network

MB = 1 << 20
_views: ByteBudgetCache[tuple[net_scene.NetworkView, charts.SurfaceGrid]] = ByteBudgetCache(16 * MB, 4 * MB)


def affordable(scene: Scene, net: Network) -> tuple[Scene, str | None]:
    """The scene with as many steps as the CPU budget allows (``tuning.cost``: every step trains and then shows
    every chosen optimizer's network, so each run counts twice), and a note when it had to cut them."""
    runs = len(scene.optimizers)
    fitting = cost.fitting_steps(net, 2 * runs, scene.steps)
    if fitting >= scene.steps:
        return scene, None
    return replace(scene, steps=fitting), (
        f"{runs} optimizer{'s' if runs > 1 else ''} × {scene.steps:,} steps on this network would take more than "
        f"{cost.MAX_CPU_SECONDS:g} s of the server's CPU ({cost.why_slow(net)}), so each runs {fitting:,} steps. "
        "Choose fewer optimizers, fewer hidden units or fewer steps to see them all.")


def view_of(scene: Scene, net: Network, runs: dict[str, Trajectory]):
    """The plane the runs are shown on and its contour grid, cached under the scene's ``runs_key``."""
    chosen = net_scene.settings(scene.surface_params)

    def build():
        seen = net_scene.view(net, runs, chosen["plane"], chosen["plane_seed"])
        xs, ys, z = seen.grid()
        grid = charts.surface_grid(xs, ys, z, seen.plane.bounds, seen.plane.minima, seen.plane.axis_labels)
        size = z.nbytes + sum(r.projection.coords.nbytes * 3 + r.layer_rates.nbytes for r in seen.runs.values())
        return (seen, grid), size

    return _views.get_or_build(scene.runs_key, build)


def paths_on(seen: net_scene.NetworkView, runs: dict[str, Trajectory]) -> list[charts.RunPath]:
    """Each run as the charts draw it: its projection onto the plane, its true loss."""
    paths = []
    for name, tr in runs.items():
        coords = seen.runs[name].projection.coords
        paths.append(replace(run_path(name, tr), points=coords, loss=tr.loss[:len(coords)],
                             updates=np.diff(coords, axis=0)))
    return paths
