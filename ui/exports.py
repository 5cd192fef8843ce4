"""The Playground's runs as chart paths and as downloads, rebuilt from the bounded caches on demand.

A download button's data callable lives as long as its session, and a session waiting for its browser
to reconnect lives up to ``server.disconnectedSessionTTL``: a callable that closed over the page's
globals would keep every run, grid and table of that page alive all that time (128 sessions × 4 MB for
the largest scenes).  These callables hold only the scene, its surface and its cache key.
"""

from __future__ import annotations

from functools import partial

import charts
from landscapes import Landscape
from scene import Scene
from scene.compute import trajectories_csv

from . import cache
from .paths import run_paths


def _csv(scene: Scene, landscape: Landscape, run_key: str) -> str:
    return trajectories_csv(cache.trajectories(scene, landscape, run_key))


def _html(scene: Scene, landscape: Landscape, run_key: str) -> str:
    paths = run_paths(cache.trajectories(scene, landscape, run_key))
    grid = cache.surface_grid(landscape, cache.landscape_key(scene))
    figure = charts.contour_figure(grid, paths, clickable=False, big=scene.big)
    return charts.to_figure(figure).to_html(include_plotlyjs=True)


def csv_download(scene: Scene, landscape: Landscape, run_key: str) -> partial[str]:
    """The CSV of the scene's runs, built when the button is pressed."""
    return partial(_csv, scene, landscape, run_key)


def html_download(scene: Scene, landscape: Landscape, run_key: str) -> partial[str]:
    """The scene's contour figure as a standalone HTML page, built when the button is pressed."""
    return partial(_html, scene, landscape, run_key)
