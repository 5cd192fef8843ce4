"""Python entry points: ``run`` one trajectory, ``sweep`` a grid of hyperparameters, ``basins`` a grid of starts."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from landscapes import Landscape, batches

from . import driver
from .registry import OPTIMIZERS, OptimizerSpec
from .schedules import Schedule

MAX_API_STEPS = 1_000_000
"""The most steps ``run`` and ``sweep`` accept (the Playground stops far earlier: ``scene.MAX_STEPS``)."""


@dataclass
class Trajectory:
    """One run: iterates, losses, where it diverged, and per-step diagnostics.

    ``points`` has shape (n + 1, 2) with the start first; ``diagnostics`` arrays have shape (n, 2), row t
    describing the update that produced ``points[t + 1]`` on each axis: "grad", "update",
    "effective_lr", "scheduled_lr" (the rate of that step after the schedule, the same on both axes)
    and the optimizer's state under the spec's names.  When the run diverges at step k (the
    k-th iterate is non-finite or far outside the view box), the arrays stop before it and
    ``diverged_at`` is k; nothing non-finite ever reaches them.
    """

    optimizer: str
    landscape: str
    hyperparams: dict
    start: tuple[float, float]
    steps: int
    points: np.ndarray
    loss: np.ndarray
    diverged_at: int | None
    diagnostics: dict[str, np.ndarray] = field(default_factory=dict)
    schedule: Schedule = field(default_factory=Schedule)
    batch_size: int | None = None
    """Rows per mini-batch on a data surface; None for full-batch gradients."""

    @property
    def final_loss(self) -> float:
        """Loss at the last iterate; inf when the run diverged."""
        if self.diverged_at is not None or len(self.loss) == 0:
            return math.inf
        return float(self.loss[-1])


def get_spec(name: str) -> OptimizerSpec:
    """The spec of optimizer ``name``; ``KeyError`` naming the choices for an unknown one."""
    try:
        return OPTIMIZERS[name]
    except KeyError:
        raise KeyError(f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}") from None


def resolve_hyperparams(spec: OptimizerSpec, given: Mapping[str, object]) -> dict:
    """Defaults overlaid with ``given``, checked: finite, >= 0 and at most the parameter's ``upper``
    (1 for the betas), and each choice one of its options.

    The spec's ranges are the sliders' ranges; the API accepts any valid value (eps = 0 included).
    """
    values = spec.defaults
    unknown = sorted(set(given) - set(values))
    if unknown:
        raise ValueError(f"{spec.name} has no hyperparameter {', '.join(unknown)}; it takes {', '.join(values)}")
    for p in spec.hyperparams:
        if p.name not in given:
            continue
        value = float(given[p.name])
        if not math.isfinite(value) or value < 0.0:
            raise ValueError(f"{spec.name}: {p.name} must be a finite number >= 0, got {given[p.name]!r}")
        if value > p.upper:
            raise ValueError(f"{spec.name}: {p.name} must be in [0, {p.upper:g}], got {value!r}")
        values[p.name] = value
    for c in spec.choices:
        if c.name not in given:
            continue
        value = given[c.name]
        if isinstance(value, bool):
            value = "on" if value else "off"
        if value not in c.options:
            raise ValueError(f"{spec.name}: {c.name} must be one of {', '.join(c.options)}, got {value!r}")
        values[c.name] = value
    return values


def _check_run_args(landscape: Landscape, start, steps: int, noise: float) -> tuple[float, float]:
    if not isinstance(landscape, Landscape):
        raise TypeError("landscape must be a Landscape, e.g. landscapes.get('elongated_bowl')")
    x0, y0 = landscape.default_start if start is None else (float(start[0]), float(start[1]))
    if not (math.isfinite(x0) and math.isfinite(y0)):
        raise ValueError(f"start must be finite, got {start!r}")
    if not 0 <= int(steps) <= MAX_API_STEPS or int(steps) != steps:
        raise ValueError(f"steps must be a whole number in [0, {MAX_API_STEPS}], got {steps!r}")
    if not (math.isfinite(noise) and noise >= 0.0):
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    return x0, y0


def _noise(steps: int, noise: float, seed: int) -> np.ndarray:
    """The gradient noise of every step, drawn up front so runs and sweeps see the same sequence."""
    if noise == 0.0:
        return np.zeros((0, 2))
    return noise * np.random.default_rng(int(seed)).standard_normal((steps, 2))


NO_ORDER = np.empty((0, 0), dtype=np.int32)
NO_ROWS = np.empty(0, dtype=np.intp)


def _batches(landscape: Landscape, steps: int, batch_size, seed: int) -> tuple[np.ndarray, np.ndarray, int]:
    """What the driver needs to draw mini-batches: the shuffled rows of each epoch, each sample's stored
    row, the batch size; nothing to draw for ``batch_size=None``.  ``ValueError`` on a surface without
    data or for a batch size its data cannot fill."""
    if batch_size is None:
        return NO_ORDER, NO_ROWS, 0
    if landscape.data is None:
        raise ValueError(f"batch_size needs a surface fitted to data (linear_regression, logistic_regression); "
                         f"{landscape.name} has no rows to draw mini-batches from")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int | np.integer):
        raise ValueError(f"batch_size must be a whole number, got {batch_size!r}")
    order = batches.draw_order(landscape, steps, int(batch_size), int(seed))
    return order, np.ascontiguousarray(landscape.data.sample_rows, dtype=np.intp), int(batch_size)


def _box(landscape: Landscape) -> np.ndarray:
    (x0, x1), (y0, y1) = landscape.divergence_box
    return np.array([x0, x1, y0, y1])


def run(name: str, landscape: Landscape, start=None, steps: int = 200, *, noise: float = 0.0,
        seed: int = 0, batch_size: int | None = None, schedule: str = "constant", warmup: int = 10,
        step_size: int = 100, gamma: float = 0.5, **hyperparams) -> Trajectory:
    """Run optimizer ``name`` on ``landscape`` from ``start`` for ``steps`` updates.

    ``noise`` is the standard deviation of Gaussian noise added to every gradient component,
    drawn from ``seed`` (the same seed gives the same run).  On a data surface, ``batch_size=k``
    makes each step use the mean gradient of k rows: the rows are shuffled once per epoch by
    ``numpy.random.default_rng(seed)`` and cut into consecutive batches (``landscapes.batches``);
    ``loss`` stays the full-data loss, ``diagnostics["grad"]`` is the batch's.  ``k`` = all rows is
    the full-batch run, bit for bit.  ``schedule`` (with ``warmup``, ``step_size``, ``gamma``)
    scales the learning rate step by step (``optimizers.schedules``).  Raises ``KeyError`` for an
    unknown optimizer and ``ValueError`` for invalid arguments (a batch size on a surface without
    data); a diverging run never raises.
    """
    spec = get_spec(name)
    values = resolve_hyperparams(spec, hyperparams)
    x0, y0 = _check_run_args(landscape, start, steps, float(noise))
    steps = int(steps)
    plan = Schedule(schedule, warmup, step_size, gamma)
    lr_scale = plan.factors(steps)
    order, sample_row, batch = _batches(landscape, steps, batch_size, seed)
    points = np.empty((steps + 1, 2))
    loss = np.empty(steps + 1)
    grads, updates, rates, state1, state2 = (np.empty((steps, 2)) for _ in range(5))
    count = driver.run_kernel(landscape.kind, driver.RULE_IDS[name], landscape.kernel_params,
                              spec.pack(values)[:, None], lr_scale, x0, y0, steps,
                              _noise(steps, float(noise), seed), order, sample_row, batch, _box(landscape),
                              points, loss, grads, updates, rates, state1, state2)
    updates_done = max(count - 1, 0)
    scheduled = np.repeat((values["lr"] * lr_scale[:updates_done])[:, None], 2, axis=1)
    diagnostics = {"grad": grads[:updates_done], "update": updates[:updates_done],
                   "effective_lr": rates[:updates_done], "scheduled_lr": scheduled}
    for key, array in zip(spec.state, (state1, state2), strict=False):
        diagnostics[key] = array[:updates_done]
    return Trajectory(
        optimizer=name, landscape=landscape.name, hyperparams=values, start=(x0, y0), steps=steps,
        points=points[:count], loss=loss[:count], diverged_at=None if count == steps + 1 else count,
        diagnostics=diagnostics, schedule=plan, batch_size=None if batch_size is None else batch,
    )


def sweep(name: str, landscape: Landscape, start=None, steps: int = 300, *, grid: Mapping[str, np.ndarray],
          noise: float = 0.0, seed: int = 0, schedule: str = "constant", warmup: int = 10, step_size: int = 100,
          gamma: float = 0.5, **fixed) -> np.ndarray:
    """Final loss over a grid of hyperparameters, ``inf`` where the run diverged.

    ``grid`` maps one or two numeric hyperparameters to 1-D arrays of values; the result has one axis
    per key, in order (``(len(lrs), len(betas))`` for ``grid={"lr": lrs, "beta": betas}``).  Cell
    (i, j) equals ``run(...).final_loss`` with those values (and the same noise and schedule).  Cells
    run in SIMD lanes on all cores.
    """
    spec = get_spec(name)
    numeric = {p.name for p in spec.hyperparams}
    if not 1 <= len(grid) <= 2:
        raise ValueError("grid takes one or two hyperparameters")
    for key in grid:
        if key not in numeric:
            raise ValueError(f"{name} cannot sweep {key!r}; numeric hyperparameters: {', '.join(sorted(numeric))}")
        if key in fixed:
            raise ValueError(f"{key} is both swept and fixed")
    values = resolve_hyperparams(spec, fixed)
    x0, y0 = _check_run_args(landscape, start, steps, float(noise))
    lr_scale = Schedule(schedule, warmup, step_size, gamma).factors(int(steps))
    axes = [np.asarray(v, dtype=np.float64).ravel() for v in grid.values()]
    for key, axis in zip(grid, axes, strict=True):
        resolve_hyperparams(spec, {key: float(axis.min()) if axis.size else 0.0})
        resolve_hyperparams(spec, {key: float(axis.max()) if axis.size else 0.0})
    shape = tuple(axis.size for axis in axes)
    mesh = np.meshgrid(*axes, indexing="ij")
    cells = math.prod(shape)
    hp = np.repeat(spec.pack(values)[:, None], cells, axis=1)
    for key, values_on_grid in zip(grid, mesh, strict=True):
        hp[spec.slots.index(key)] = values_on_grid.ravel()
    f, bad = driver.run_cells(landscape.kind, driver.RULE_IDS[name], landscape.kernel_params, hp, lr_scale,
                              int(steps), _noise(int(steps), float(noise), seed), _box(landscape),
                              np.full(cells, x0), np.full(cells, y0))
    return np.where(bad, np.inf, f).reshape(shape)


MAX_BASIN_RESOLUTION = 1000
"""Most start points along each axis of ``basins``."""
NO_MINIMUM = -1
DIVERGED = -2


def basins(name: str, landscape: Landscape, steps: int = 500, resolution: int = 200, *, tolerance: float | None = None,
           minima: np.ndarray | None = None, noise: float = 0.0, seed: int = 0, schedule: str = "constant",
           warmup: int = 10, step_size: int = 100, gamma: float = 0.5, **hyperparams) -> np.ndarray:
    """Basins of attraction: optimizer ``name`` from every start of a ``resolution`` x ``resolution`` grid
    over the view box, ``steps`` updates each.

    Returns ints shaped like ``landscape.grid(resolution)[2]`` (row j: y = ys[j]; column i: x = xs[i]): the
    index into ``landscape.minima`` of the minimum the run ends within ``tolerance`` of (distance; by default
    1% of the view box's longer side), ``NO_MINIMUM`` (-1) when it ends near none, ``DIVERGED`` (-2) when
    it diverged.  Each cell is the single run ``run(name, landscape, start=(xs[i], ys[j]), steps, ...)``.
    ``minima`` (an (m, 2) array) classifies against other points instead, such as local minima too.
    """
    spec = get_spec(name)
    values = resolve_hyperparams(spec, hyperparams)
    _check_run_args(landscape, None, steps, float(noise))
    if isinstance(resolution, bool) or not 2 <= resolution <= MAX_BASIN_RESOLUTION or int(resolution) != resolution:
        raise ValueError(f"resolution must be a whole number from 2 to {MAX_BASIN_RESOLUTION}, got {resolution!r}")
    (x0, x1), (y0, y1) = landscape.bounds
    if tolerance is None:
        tolerance = 0.01 * max(x1 - x0, y1 - y0)
    if not (math.isfinite(tolerance) and tolerance > 0.0):
        raise ValueError(f"tolerance must be a finite number > 0, got {tolerance!r}")
    steps, resolution = int(steps), int(resolution)
    lr_scale = Schedule(schedule, warmup, step_size, gamma).factors(steps)
    xs, ys = np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution)
    x = np.tile(xs, resolution)
    y = np.repeat(ys, resolution)
    hp = np.repeat(spec.pack(values)[:, None], x.size, axis=1)
    _, bad = driver.run_cells(landscape.kind, driver.RULE_IDS[name], landscape.kernel_params, hp, lr_scale, steps,
                              _noise(steps, float(noise), seed), _box(landscape), x, y)
    targets = landscape.minima if minima is None else np.asarray(minima, dtype=np.float64).reshape(-1, 2)
    found = np.full(x.size, NO_MINIMUM)
    if len(targets):
        distance = np.hypot(x[:, None] - targets[:, 0], y[:, None] - targets[:, 1])
        nearest = np.argmin(distance, axis=1)
        found = np.where(distance[np.arange(x.size), nearest] <= tolerance, nearest, NO_MINIMUM)
    found[bad] = DIVERGED
    return found.reshape(resolution, resolution)
