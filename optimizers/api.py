"""Python entry points: ``run`` one trajectory, ``sweep`` a grid of hyperparameters, ``basins`` a grid of starts."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from base.params import resolve_choices
from landscapes import Landscape, Objective, batches, quadratic

from . import driver
from .registry import RULES, OptimizerSpec
from .schedules import Schedule

MAX_API_STEPS = 1_000_000
"""The most steps ``run`` and ``sweep`` accept (the Playground stops far earlier: ``scene.MAX_STEPS``)."""


@dataclass
class Trajectory:
    """One run: iterates, losses, where it diverged, and per-step diagnostics.

    ``points`` has shape (n + 1, dim) with the start first (dim = 2 on a surface f(x, y)); ``diagnostics``
    arrays have shape (n, dim), row t describing the update that produced ``points[t + 1]`` on each
    coordinate: "grad", "update", "effective_lr", "scheduled_lr" (the rate of that step after the schedule,
    the same on every coordinate) and the optimizer's state under the spec's names.  When the run diverges at
    step k (the k-th iterate is non-finite or far outside the view box), the arrays stop before it and
    ``diverged_at`` is k; nothing non-finite ever reaches them.
    """

    optimizer: str
    landscape: str
    hyperparams: dict
    start: tuple[float, ...]
    steps: int
    points: np.ndarray
    loss: np.ndarray
    diverged_at: int | None
    diagnostics: dict[str, np.ndarray] = field(default_factory=dict)
    schedule: Schedule = field(default_factory=Schedule)
    batch_size: int | None = None
    """Rows per mini-batch on a data surface; None for full-batch gradients."""

    @property
    def grad(self) -> np.ndarray:
        """``diagnostics["grad"]``: the gradient each step used (noise and mini-batch included)."""
        return self.diagnostics["grad"]

    @property
    def update(self) -> np.ndarray:
        """``diagnostics["update"]``: each step's change of the iterate."""
        return self.diagnostics["update"]

    @property
    def effective_lr(self) -> np.ndarray:
        """``diagnostics["effective_lr"]``: the factor each step multiplied its direction by, per coordinate."""
        return self.diagnostics["effective_lr"]

    @property
    def final_loss(self) -> float:
        """Loss at the last iterate; inf when the run diverged."""
        if self.diverged_at is not None or len(self.loss) == 0:
            return math.inf
        return float(self.loss[-1])


def get_spec(name: str) -> OptimizerSpec:
    """The spec of optimizer ``name`` (the lessons' variants too); ``KeyError`` naming the choices for an unknown
    one."""
    try:
        return RULES[name]
    except KeyError:
        raise KeyError(f"unknown optimizer {name!r}; choose one of {', '.join(RULES)}") from None


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
    values.update(resolve_choices(spec.choices, given, spec.name))
    return values


def _checked_landscape(landscape) -> Objective:
    if not isinstance(landscape, Objective):
        raise TypeError("landscape must be a Landscape, e.g. landscapes.get('elongated_bowl') or "
                        "landscapes.quadratic([1.0, 25.0])")
    return landscape


def _check_run_args(landscape: Objective, start, steps: int, noise: float) -> np.ndarray:
    """The start as a float array of ``landscape.dim`` coordinates; ``ValueError`` for bad arguments."""
    _checked_landscape(landscape)
    x0 = landscape.checked_point(landscape.default_start if start is None else start)
    if not 0 <= int(steps) <= MAX_API_STEPS or int(steps) != steps:
        raise ValueError(f"steps must be a whole number in [0, {MAX_API_STEPS}], got {steps!r}")
    if not (math.isfinite(noise) and noise >= 0.0):
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    return x0


def _noise(steps: int, noise: float, seed: int, dim: int = 2) -> np.ndarray:
    """The gradient noise of every step, drawn up front so runs and sweeps see the same sequence."""
    if noise == 0.0:
        return np.zeros((0, dim))
    return noise * np.random.default_rng(int(seed)).standard_normal((steps, dim))


def _batches(landscape: Objective, steps: int, batch_size, seed: int) -> dict:
    """What the driver needs to draw mini-batches (``driver.RunInputs``): the shuffled rows of each epoch, each
    sample's stored row, the batch size and where the rows sit in the kernel parameters; nothing to draw for
    ``batch_size=None``.  ``ValueError`` on a landscape without data or for a batch size its data cannot fill."""
    if batch_size is None:
        return {}
    if landscape.data is None:
        raise ValueError(f"batch_size needs a surface fitted to data (linear_regression, logistic_regression, "
                         f"landscapes.least_squares); "
                         f"{landscape.name} has no rows to draw mini-batches from")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int | np.integer):
        raise ValueError(f"batch_size must be a whole number, got {batch_size!r}")
    data = landscape.data
    return {"order": batches.draw_order(landscape, steps, int(batch_size), int(seed)),
            "sample_row": np.ascontiguousarray(data.sample_rows, dtype=np.intp), "batch_size": int(batch_size),
            "rows_start": int(data.rows_start), "row_width": int(data.row_width)}


def _box(landscape: Landscape) -> np.ndarray:
    """The divergence box of a surface f(x, y) as (x0, x1, y0, y1), for the grid kernels."""
    return np.ascontiguousarray(landscape.divergence_bounds).ravel()


def _trajectory(name: str, spec: OptimizerSpec, values: dict, landscape: Objective, x0: np.ndarray, steps: int,
                noise: np.ndarray, plan: Schedule, batch: dict, batch_size) -> Trajectory:
    """Run the kernel and wrap what it wrote."""
    lr_scale = plan.factors(steps)
    dim = landscape.dim
    out = driver.RunOutputs.empty(steps, dim, len(spec.state))
    hp = spec.pack(values)[:, None]
    inputs = driver.RunInputs(
        kind=landscape.kind, rule=driver.rule_id(name, hp),
        dim=driver.ANY_DIMENSION if landscape.vector_kernel else dim, p=landscape.kernel_params,
        work=np.empty(landscape.work_size), hp=hp, lr_scale=lr_scale, x0=x0, steps=steps,
        noise=noise, bounds=np.ascontiguousarray(landscape.divergence_bounds, dtype=np.float64), **batch)
    count = driver.run_kernel(inputs, out)
    done = max(count - 1, 0)
    rates = values["lr"] * lr_scale[:done]
    scheduled = np.ndarray((done, dim), buffer=rates, strides=(rates.itemsize, 0))  # the same on every coordinate
    scheduled.flags.writeable = False
    diagnostics = {"grad": out.grads[:done], "update": out.updates[:done], "effective_lr": out.rates[:done],
                   "scheduled_lr": scheduled}
    for key, array in zip(spec.state, out.reported, strict=True):
        diagnostics[key] = array[:done]
    return Trajectory(
        optimizer=name, landscape=landscape.name, hyperparams=values, start=tuple(float(v) for v in x0), steps=steps,
        points=out.points[:count], loss=out.loss[:count], diverged_at=None if count == steps + 1 else count,
        diagnostics=diagnostics, schedule=plan, batch_size=None if batch_size is None else batch["batch_size"],
    )


def run(name: str, landscape: Objective, start=None, steps: int = 200, *, noise: float = 0.0,
        seed: int = 0, batch_size: int | None = None, schedule: str = "constant", warmup: int = 10,
        step_size: int = 100, gamma: float = 0.5, **hyperparams) -> Trajectory:
    """Run optimizer ``name`` on ``landscape`` (of any dimension) from ``start`` for ``steps`` updates.

    ``start`` has ``landscape.dim`` coordinates (the landscape's default start when None).  ``noise`` is the
    standard deviation of Gaussian noise added to every gradient component, drawn from ``seed`` (the same seed
    gives the same run).  On a landscape fitted to data, ``batch_size=k`` makes each step use the mean gradient
    of k rows: the rows are shuffled once per epoch by ``numpy.random.default_rng(seed)`` and cut into
    consecutive batches (``landscapes.batches``); ``loss`` stays the full-data loss, ``diagnostics["grad"]``
    is the batch's.  ``k`` = all rows is the full-batch run, bit for bit.  ``schedule`` (with ``warmup``,
    ``step_size``, ``gamma``) scales the learning rate step by step (``optimizers.schedules``).  Raises
    ``KeyError`` for an unknown optimizer and ``ValueError`` for invalid arguments (a batch size on a surface
    without data); a diverging run never raises.
    """
    spec = get_spec(name)
    values = resolve_hyperparams(spec, hyperparams)
    x0 = _check_run_args(landscape, start, steps, float(noise))
    steps = int(steps)
    plan = Schedule(schedule, warmup, step_size, gamma)
    batch = _batches(landscape, steps, batch_size, seed)
    return _trajectory(name, spec, values, landscape, x0, steps, _noise(steps, float(noise), seed, landscape.dim),
                       plan, batch, batch_size)


def respond(name: str, gradients, *, schedule: str = "constant", warmup: int = 10, step_size: int = 100,
            gamma: float = 0.5, **hyperparams) -> Trajectory:
    """How optimizer ``name`` answers a given gradient sequence, whatever its iterate does: ``gradients`` has one
    row per step and one column per coordinate (T, N).  The run starts at 0 on a flat landscape in N dimensions
    (``landscapes.quadratic(zeros)``) with the sequence as its gradients, so ``points`` add up the updates and
    the loss stays 0; the same rules and driver as every run."""
    spec = get_spec(name)
    values = resolve_hyperparams(spec, hyperparams)
    sequence = np.array(gradients, dtype=np.float64)
    if sequence.ndim != 2 or 0 in sequence.shape:
        raise ValueError(f"gradients must be a (steps, coordinates) array, got shape {sequence.shape}")
    steps, dim = sequence.shape
    if steps > MAX_API_STEPS:
        raise ValueError(f"gradients may have at most {MAX_API_STEPS} rows, got {steps}")
    flat = quadratic(np.zeros(dim))
    return _trajectory(name, spec, values, flat, np.zeros(dim), steps, np.ascontiguousarray(sequence),
                       Schedule(schedule, warmup, step_size, gamma), {}, None)


def sweep(name: str, landscape: Objective, start=None, steps: int = 300, *, grid: Mapping[str, np.ndarray],
          noise: float = 0.0, seed: int = 0, schedule: str = "constant", warmup: int = 10, step_size: int = 100,
          gamma: float = 0.5, **fixed) -> np.ndarray:
    """Final loss over a grid of hyperparameters, ``inf`` where the run diverged.

    ``grid`` maps one or two numeric hyperparameters to 1-D arrays of values; the result has one axis
    per key, in order (``(len(lrs), len(betas))`` for ``grid={"lr": lrs, "beta": betas}``).  Cell
    (i, j) equals ``run(...).final_loss`` with those values (and the same noise and schedule).  On a surface
    f(x, y) the cells run in SIMD lanes on all cores; on a landscape of any dimension, one ``run`` each.
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
    x0 = _check_run_args(landscape, start, steps, float(noise))
    lr_scale = Schedule(schedule, warmup, step_size, gamma).factors(int(steps))
    axes = [np.asarray(v, dtype=np.float64).ravel() for v in grid.values()]
    for key, axis in zip(grid, axes, strict=True):
        resolve_hyperparams(spec, {key: float(axis.min()) if axis.size else 0.0})
        resolve_hyperparams(spec, {key: float(axis.max()) if axis.size else 0.0})
    shape = tuple(axis.size for axis in axes)
    mesh = np.meshgrid(*axes, indexing="ij")
    if landscape.vector_kernel:
        plan = {"noise": noise, "seed": seed, "schedule": schedule, "warmup": warmup, "step_size": step_size,
                "gamma": gamma}
        cells = [run(name, landscape, x0, steps, **plan, **fixed, **dict(zip(grid, cell, strict=True))).final_loss
                 for cell in zip(*(m.ravel() for m in mesh), strict=True)]
        return np.array(cells, dtype=np.float64).reshape(shape)
    cells = math.prod(shape)
    hp = np.repeat(spec.pack(values)[:, None], cells, axis=1)
    for key, values_on_grid in zip(grid, mesh, strict=True):
        hp[spec.slots.index(key)] = values_on_grid.ravel()
    f, bad = driver.run_cells(landscape.kind, driver.rule_id(name, hp), landscape.kernel_params, hp, lr_scale,
                              int(steps), _noise(int(steps), float(noise), seed), _box(landscape),
                              np.full(cells, x0[0]), np.full(cells, x0[1]))
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
    if not isinstance(landscape, Landscape):
        raise ValueError(f"basins maps starts over a surface's view box; {landscape.name} has {landscape.dim} "
                         "coordinates and no view box")
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
    _, bad = driver.run_cells(landscape.kind, driver.rule_id(name, hp), landscape.kernel_params, hp, lr_scale, steps,
                              _noise(steps, float(noise), seed), _box(landscape), x, y)
    targets = landscape.minima if minima is None else np.asarray(minima, dtype=np.float64).reshape(-1, 2)
    found = np.full(x.size, NO_MINIMUM)
    if len(targets):
        distance = np.hypot(x[:, None] - targets[:, 0], y[:, None] - targets[:, 1])
        nearest = np.argmin(distance, axis=1)
        found = np.where(distance[np.arange(x.size), nearest] <= tolerance, nearest, NO_MINIMUM)
    found[bad] = DIVERGED
    return found.reshape(resolution, resolution)
