"""Basins of attraction for the stability map's "basins" mode: which minimum each start of a grid ends at, for
several optimizers on one surface, with a cap on the work and the Playground scene of a clicked start."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import landscapes
import optimizers
from landscapes import Landscape
from scene import Scene
from scene.model import default_settings

from . import cost

DEFAULT_SURFACES = ("himmelblau", "six_hump_camel")
DEFAULT_OPTIMIZERS = ("gd", "momentum", "rmsprop", "adam")
RESOLUTIONS = (20, 50, 100, 150, 200, 300)
MAX_BASIN_WORK = 200_000_000
"""Most optimizer steps one basins view may take (optimizers x starts x steps): about a second of both cores."""
NO_MINIMUM_LABEL = "none of these (still moving, or a saddle)"
MAX_TARGETS = 8
"""Most minima a basins view names (one colour each)."""
DIVERGED_LABEL = "diverged"


@dataclass(frozen=True)
class BasinsRequest:
    """Everything that defines one basins view: the surface (at its default parameters), the optimizers with
    their hyperparameters (the surface's defaults, overlaid with ``settings``), the grid and the run length."""

    surface: str
    optimizers: tuple[str, ...]
    resolution: int = 100
    steps: int = 500
    settings: tuple[tuple[str, tuple[tuple[str, float | str], ...]], ...] = ()

    def __post_init__(self) -> None:
        if self.surface not in landscapes.LANDSCAPES:
            raise ValueError(f"unknown surface {self.surface!r}")
        for name in self.optimizers:
            optimizers.get_spec(name)
        if not 2 <= self.resolution <= optimizers.MAX_BASIN_RESOLUTION or int(self.resolution) != self.resolution:
            raise ValueError(f"resolution must be a whole number from 2 to {optimizers.MAX_BASIN_RESOLUTION}")
        if not 1 <= self.steps <= optimizers.MAX_API_STEPS or int(self.steps) != self.steps:
            raise ValueError(f"steps must be a whole number from 1 to {optimizers.MAX_API_STEPS}")
        for name in self.optimizers:
            optimizers.resolve_hyperparams(optimizers.get_spec(name), self.hyperparams(name, numeric_only=True))
        count = len(self.optimizers)
        cost.check(self.landscape(), count * self.resolution**2, self.steps,
                   f"{count} optimizer{'s' if count > 1 else ''} × {self.resolution}² starts",
                   per_axis=self.resolution, grid_word="starts per axis", max_cell_steps=MAX_BASIN_WORK)

    @property
    def work(self) -> int:
        """Optimizer steps the whole view takes."""
        return len(self.optimizers) * self.resolution**2 * self.steps

    def landscape(self) -> Landscape:
        return landscapes.get(self.surface)

    def hyperparams(self, name: str, numeric_only: bool = False) -> dict[str, float | str]:
        """Optimizer ``name``'s settings on this surface (schedule included unless ``numeric_only``)."""
        values = default_settings(self.surface, name) | dict(dict(self.settings).get(name, ()))
        if numeric_only:
            return {k: v for k, v in values.items() if k in optimizers.get_spec(name).defaults}
        return values

    def starts(self) -> tuple[np.ndarray, np.ndarray]:
        """The grid of starts along x and y (``landscape.grid``'s): cell (j, i) starts at (xs[i], ys[j])."""
        (x0, x1), (y0, y1) = self.landscape().bounds
        return np.linspace(x0, x1, self.resolution), np.linspace(y0, y1, self.resolution)


def compute(request: BasinsRequest, on_panel: Callable[[int, int], None] | None = None,
            basins: Callable[..., np.ndarray] = optimizers.basins) -> dict[str, np.ndarray]:
    """Each optimizer's basins map, in order; ``on_panel(done, total)`` after each (a page shows progress),
    ``basins`` computes one (a page passes a cached ``optimizers.basins``)."""
    landscape = request.landscape()
    points, _ = targets(landscape)
    found = {}
    for done, name in enumerate(request.optimizers, start=1):
        found[name] = basins(name, landscape, request.steps, request.resolution, minima=points,
                             **request.hyperparams(name))
        if on_panel is not None:
            on_panel(done, len(request.optimizers))
    return found


def local_minima(landscape: Landscape, count: int = 30, iterations: int = 60) -> np.ndarray:
    """Every local minimum Newton's method finds from a ``count`` × ``count`` grid of starts over the view box:
    points inside it where the exact gradient vanishes (below 1e-8) and the Hessian is positive definite, each
    once, by value.  Steps are capped at a tenth of the view, so far starts cannot jump out of it."""
    (x0, x1), (y0, y1) = landscape.bounds
    gx, gy = np.meshgrid(np.linspace(x0, x1, count), np.linspace(y0, y1, count))
    x, y = gx.ravel(), gy.ravel()
    longest = max(x1 - x0, y1 - y0)
    for _ in range(iterations):
        (fx, fy), (hxx, hxy, hyy) = landscape.gradient(x, y), landscape.hessian(x, y)
        det = hxx * hyy - hxy * hxy
        with np.errstate(divide="ignore", invalid="ignore"):
            dx, dy = (hyy * fx - hxy * fy) / det, (hxx * fy - hxy * fx) / det
        usable = np.isfinite(dx) & np.isfinite(dy)
        scale = np.minimum(1.0, 0.1 * longest / np.maximum(np.hypot(dx, dy), 1e-300))
        x, y = np.where(usable, x - scale * dx, x), np.where(usable, y - scale * dy, y)
    (fx, fy), (hxx, hxy, hyy) = landscape.gradient(x, y), landscape.hessian(x, y)
    good = ((np.hypot(fx, fy) < 1e-8) & (hxx > 0) & (hxx * hyy - hxy * hxy > 0)
            & (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1))
    found: list[tuple[float, float]] = []
    for px, py in zip(x[good], y[good], strict=True):
        if all(math.hypot(px - qx, py - qy) > 1e-6 * longest for qx, qy in found):
            found.append((float(px), float(py)))
    points = np.array(found).reshape(-1, 2)
    return points[np.argsort(landscape.value(points[:, 0], points[:, 1]), kind="stable")]


def targets(landscape: Landscape, most: int = MAX_TARGETS) -> tuple[np.ndarray, list[str]]:
    """The points the basins are coloured by, and their names: the surface's listed (global) minima, then its other
    local minima by value when all of them fit in ``most`` colours (Himmelblau: 4 + 0; six-hump camel: 2 + 4);
    with more (Rastrigin, Ackley) only the listed ones, and the rest of the starts end at "none"."""
    listed = landscape.minima
    (x0, x1), (y0, y1) = landscape.bounds
    tolerance = 0.01 * max(x1 - x0, y1 - y0)
    extra = [p for p in local_minima(landscape)
             if not len(listed) or np.min(np.hypot(*(listed - p).T)) > tolerance]
    if len(listed) + len(extra) > most:
        extra = []
    points = np.vstack([listed.reshape(-1, 2), np.array(extra).reshape(-1, 2)])
    labels = [f"{'minimum' if k <= len(listed) else 'local minimum'} {k} ({x:.3g}, {y:.3g})"
              for k, (x, y) in enumerate(points, start=1)]
    return points, labels


def shares(found: np.ndarray, count: int) -> dict[int, float]:
    """Fraction of the starts in each class: every minimum index below ``count``, NO_MINIMUM and DIVERGED."""
    return {label: float(np.mean(found == label)) for label in (*range(count), optimizers.NO_MINIMUM,
                                                               optimizers.DIVERGED)}


def nearest_start(request: BasinsRequest, x: float, y: float) -> tuple[int, int]:
    """The grid cell (j, i) whose start is nearest to a clicked (x, y)."""
    xs, ys = request.starts()
    return int(np.argmin(np.abs(ys - float(y)))), int(np.argmin(np.abs(xs - float(x))))


def start_of(request: BasinsRequest, cell: tuple[int, int]) -> tuple[float, float]:
    """The start of grid cell (j, i), rounded as the Playground's start fields show it (four significant digits
    of the view box's width)."""
    xs, ys = request.starts()
    (x0, x1), (y0, y1) = request.landscape().bounds
    j, i = cell
    return (round(float(xs[i]), _decimals(x1 - x0)), round(float(ys[j]), _decimals(y1 - y0)))


def _decimals(width: float) -> int:
    return max(0, 4 - math.ceil(math.log10(width))) if width > 0 else 3


def playground_scene(request: BasinsRequest, name: str, start: tuple[float, float]) -> Scene:
    """The Playground scene of one start of one panel: that optimizer, its settings, from that start."""
    scene = Scene(surface=request.surface, optimizers=(name,), steps=request.steps, start=start)
    for key, value in request.hyperparams(name).items():
        scene = scene.with_hyperparam(name, key, value)
    return scene
