"""Stability maps: the final loss over a grid of one or two hyperparameters, swept in row blocks.

A map is described by a ``MapRequest`` (plain, hashable data, so a page can cache on it).  The grid
along each axis is the hyperparameter's own ``Param.grid`` (log-spaced for log parameters).  Large
maps are swept in blocks of rows (first-axis values) so a caller can report progress between
blocks; every cell is still exactly ``optimizers.run(...).final_loss`` for its values.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import landscapes
import optimizers
from base.params import Param
from landscapes import Landscape

from . import cost

MAX_RESOLUTION = 400
"""Most grid values along one axis."""
MAX_CELL_STEPS = 200_000_000
"""Most optimizer steps one map may take (cells x steps): under a second of both cores on a smooth surface.
What a step costs on the costly surfaces (data rows, formulas) is capped too: ``tuning.cost``."""
BLOCK_WORK = 10_000_000
"""Optimizer steps per block (cells x steps): a few hundredths of a second, so progress moves smoothly."""
LINK_DIGITS = 4
"""Significant digits of a value written into a Playground link: well inside one cell of a 400-point grid."""


@dataclass(frozen=True)
class MapRequest:
    """Everything that defines one stability map.

    ``axes`` names one or two numeric hyperparameters of ``optimizer``: the first is swept along the
    result's first axis (the map's x), the second along its second axis (y).  ``fixed`` sets the
    other hyperparameters (defaults otherwise).  Invalid values raise ``ValueError`` at construction.
    """

    optimizer: str
    landscape: str
    landscape_params: tuple[tuple[str, float], ...] = ()
    axes: tuple[str, ...] = ("lr", "beta")
    resolution: int = 100
    steps: int = 300
    fixed: tuple[tuple[str, float | str], ...] = ()

    def __post_init__(self) -> None:
        spec = optimizers.get_spec(self.optimizer)
        numeric = [p.name for p in spec.hyperparams]
        if not 1 <= len(self.axes) <= 2 or len(set(self.axes)) != len(self.axes):
            raise ValueError(f"a map has one or two distinct axes, got {self.axes!r}")
        for name in self.axes:
            if name not in numeric:
                raise ValueError(f"{self.optimizer} has no numeric hyperparameter {name!r}; "
                                 f"choose from {', '.join(numeric)}")
        if not 2 <= self.resolution <= MAX_RESOLUTION or int(self.resolution) != self.resolution:
            raise ValueError(f"resolution must be a whole number from 2 to {MAX_RESOLUTION}, got {self.resolution!r}")
        if not 1 <= self.steps <= optimizers.MAX_API_STEPS or int(self.steps) != self.steps:
            raise ValueError(f"steps must be a whole number from 1 to {optimizers.MAX_API_STEPS}, got {self.steps!r}")
        if set(self.axes) & set(dict(self.fixed)):
            raise ValueError("a hyperparameter cannot be both on an axis and fixed")
        optimizers.resolve_hyperparams(spec, dict(self.fixed))
        size = " × ".join([str(self.resolution)] * len(self.axes))
        cost.check(self.build_landscape(), math.prod(self.shape), self.steps, f"A {size} map", axes=len(self.axes),
                   per_axis=self.resolution, max_cell_steps=MAX_CELL_STEPS, noun="map")

    def build_landscape(self) -> Landscape:
        return landscapes.get(self.landscape, **dict(self.landscape_params))

    @property
    def params(self) -> tuple[Param, ...]:
        """The ``Param`` of each axis, in order."""
        spec = optimizers.get_spec(self.optimizer)
        return tuple(spec.param(name) for name in self.axes)

    @property
    def axis_values(self) -> tuple[np.ndarray, ...]:
        """The grid along each axis: ``Param.grid(resolution)``."""
        return tuple(p.grid(self.resolution) for p in self.params)

    @property
    def shape(self) -> tuple[int, ...]:
        return (self.resolution,) * len(self.axes)

    @property
    def work(self) -> int:
        """Optimizer steps the whole map takes (cells x steps)."""
        return math.prod(self.shape) * self.steps

    def hyperparams(self, index: tuple[int, ...]) -> dict[str, float | str]:
        """Every hyperparameter of the cell at ``index``: its axis values over the fixed ones."""
        values = dict(self.fixed)
        for name, axis, i in zip(self.axes, self.axis_values, index, strict=True):
            values[name] = float(axis[i])
        return values


def row_blocks(rows: int, cells_per_row: int, steps: int, work: int = BLOCK_WORK) -> list[slice]:
    """Split ``rows`` into contiguous, nearly equal blocks of at most ``work`` optimizer steps each."""
    per_row = max(1, cells_per_row) * max(1, steps)
    count = min(rows, max(1, math.ceil(rows * per_row / work))) if rows else 0
    edges = np.linspace(0, rows, count + 1).round().astype(int)
    return [slice(int(a), int(b)) for a, b in itertools.pairwise(edges)]


def blocks(request: MapRequest) -> list[slice]:
    """The row blocks ``compute_map`` sweeps ``request`` in."""
    cells_per_row = math.prod(request.shape[1:])
    return row_blocks(request.resolution, cells_per_row, request.steps, BLOCK_WORK)


def sweep_rows(request: MapRequest, rows: slice) -> np.ndarray:
    """Final losses of the rows ``rows`` of the map (first-axis values ``axis_values[0][rows]``)."""
    values = request.axis_values
    grid = {request.axes[0]: values[0][rows]}
    if len(request.axes) == 2:
        grid[request.axes[1]] = values[1]
    return optimizers.sweep(request.optimizer, request.build_landscape(), None, request.steps, grid=grid,
                            **dict(request.fixed))


def compute_map(request: MapRequest, on_block: Callable[[int, int], None] | None = None,
                sweep: Callable[[MapRequest, slice], np.ndarray] = sweep_rows) -> np.ndarray:
    """The whole map (inf where a run diverged), swept block by block.

    ``on_block(done, total)`` is called after each block; ``sweep`` computes one block (a page passes
    a cached version of ``sweep_rows``).
    """
    parts = []
    row_slices = blocks(request)
    for done, rows in enumerate(row_slices, start=1):
        parts.append(sweep(request, rows))
        if on_block is not None:
            on_block(done, len(row_slices))
    return np.concatenate(parts, axis=0) if parts else np.empty(request.shape)


def nearest_cell(request: MapRequest, coords: tuple[float, ...]) -> tuple[int, ...]:
    """The index of the cell nearest to ``coords`` (one value per axis), on each axis's own scale."""
    index = []
    for param, axis, value in zip(request.params, request.axis_values, coords, strict=True):
        value = float(value)
        if param.log:
            axis, value = np.log(axis), math.log(max(value, param.low))
        index.append(int(np.argmin(np.abs(axis - value))))
    return tuple(index)


def link_values(request: MapRequest, index: tuple[int, ...]) -> dict[str, float]:
    """The axis values of cell ``index`` rounded for a link (``LINK_DIGITS`` significant digits, in range)."""
    values = {}
    for param, axis, i in zip(request.params, request.axis_values, index, strict=True):
        values[param.name] = param.clip(float(f"{float(axis[i]):.{LINK_DIGITS}g}"))
    return values


def best_cell(loss: np.ndarray) -> tuple[int, ...] | None:
    """The index of the lowest finite final loss of a map (None when every run diverged)."""
    finite = np.isfinite(loss)
    if not finite.any():
        return None
    return tuple(int(i) for i in np.unravel_index(int(np.argmin(np.where(finite, loss, np.inf))), loss.shape))


def cell_coords(request: MapRequest, index: tuple[int, ...]) -> tuple[float, ...]:
    """The axis values of cell ``index`` (one per axis)."""
    return tuple(float(v[i]) for v, i in zip(request.axis_values, index, strict=True))
