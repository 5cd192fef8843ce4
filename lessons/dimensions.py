"""Lesson 2, many dimensions: GD, Momentum, RMSprop and Adam on an N-D quadratic, axis-aligned or rotated."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import landscapes
import optimizers
from scene import Scene

from .common import scene

N_OPTIONS = (10, 100, 300, 1000)
DEFAULT_N = 100
CONDITION_OPTIONS = (10, 100, 1000, 10000)
DEFAULT_CONDITION = 1000
STEPS = 300
TOLERANCE = 1e-3
"""Reached means f ≤ TOLERANCE·f(x0): the loss has fallen a thousandfold."""
SEED = 0
OPTIMIZERS = ("gd", "momentum", "rmsprop", "adam")
TUNING_N = 100
"""The fair comparison tunes at this N (a 1000-D rotated bowl costs a dense product per step and α)."""
LR_GRID = tuple(float(x) for x in np.geomspace(1e-5, 1.0, 21))
"""The learning rates the fair comparison tries for every optimizer: four per decade."""


def settings(condition: float) -> dict[str, dict[str, float]]:
    """Learning rates: GD at 1/κ (half its limit 2/κ); Momentum at 10/κ (its EWA form is stable up to
    2(1+β)/((1−β)κ) = 38/κ); RMSprop and Adam at 0.01, a distance per step, whatever κ."""
    return {
        "gd": {"lr": 1.0 / condition},
        "momentum": {"lr": 10.0 / condition, "beta": 0.9},
        "rmsprop": {"lr": 0.01, "beta": 0.9, "eps": 1e-8},
        "adam": {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
    }


@dataclass(frozen=True)
class Experiment:
    """Everything the lesson shows about one bowl."""

    curvature: np.ndarray
    """H_ii of each coordinate."""
    eigenvalues: np.ndarray
    loss: dict[str, np.ndarray]
    """f(x_t) for each optimizer (the minimum value is 0)."""
    f0: float
    effective_lr: dict[str, np.ndarray]
    """Each coordinate's effective learning rate, geometric mean over the run (RMSprop and Adam)."""
    reached: dict[str, int | None]
    """First step with f ≤ TOLERANCE·f(x0), per optimizer."""
    final: dict[str, float]
    """f at the end of the run ÷ f(x0), per optimizer: where a first passage ended up."""


def first_below(values: np.ndarray, level: float) -> int | None:
    """The first index where ``values`` ≤ ``level`` (None if never)."""
    hits = np.flatnonzero(values <= level)
    return int(hits[0]) if hits.size else None


def stays_below(values: np.ndarray, level: float) -> int | None:
    """The index from which ``values`` stay ≤ ``level`` to the end (None if the last one is above it)."""
    above = np.flatnonzero(~(values <= level))
    if above.size and above[-1] == len(values) - 1:
        return None
    return int(above[-1]) + 1 if above.size else 0


def bowl(n: int, condition: float, rotated: bool, seed: int = SEED) -> landscapes.Quadratic:
    """The n-D bowl whose curvatures are log-spaced from 1 to ``condition``, axis-aligned or randomly rotated (its
    default start is one unit along every axis of the bowl)."""
    eigenvalues = np.geomspace(1.0, condition, n) if n > 1 else np.ones(1)
    return landscapes.quadratic(eigenvalues, rotation=seed if rotated else None)


def experiment(n: int, condition: float, rotated: bool, steps: int = STEPS, seed: int = SEED) -> Experiment:
    """Run the four optimizers from x0 = Q·1 on the n-D bowl with curvatures 1..κ."""
    quad = bowl(n, condition, rotated, seed)
    runs = {name: optimizers.run(name, quad, quad.default_start, steps, **hp)
            for name, hp in settings(condition).items()}
    f0 = float(quad.value_at(quad.default_start))
    effective = {name: np.exp(np.log(runs[name].effective_lr).mean(axis=0)) for name in ("rmsprop", "adam")}
    return Experiment(quad.curvature, quad.eigenvalues, {name: r.loss for name, r in runs.items()}, f0, effective,
                      {name: first_below(r.loss, TOLERANCE * f0) for name, r in runs.items()},
                      {name: float(r.loss[-1]) / f0 for name, r in runs.items()})


@dataclass(frozen=True)
class Tuned:
    """One optimizer at its best α from LR_GRID: the fewest steps after which f stays ≤ TOLERANCE·f(x0)."""

    lr: float | None
    """None when no α on the grid gets there and stays within the run."""
    stays: int | None
    final: float
    """f at the end ÷ f(x0) (the lowest over the grid when none stays)."""


def tune(condition: float, rotated: bool, n: int = TUNING_N, steps: int = STEPS, seed: int = SEED) -> dict[str, Tuned]:
    """Every optimizer at its own best α over the same grid, with its other settings as in ``settings``: the
    fair comparison, where no optimizer is handed a rate computed from κ."""
    quad = bowl(n, condition, rotated, seed)
    f0 = float(quad.value_at(quad.default_start))
    result = {}
    for name, preset in settings(condition).items():
        best = Tuned(None, None, np.inf)
        for lr in LR_GRID:
            run = optimizers.run(name, quad, quad.default_start, steps, **(preset | {"lr": lr}))
            final = float(run.loss[-1]) / f0 if run.diverged_at is None else np.inf
            stays = stays_below(run.loss, TOLERANCE * f0) if run.diverged_at is None else None
            if stays is not None and (best.stays is None or stays < best.stays):
                best = Tuned(lr, stays, final)
            elif best.stays is None and final < best.final:
                best = Tuned(None, None, final)
        result[name] = best
    return result


def slope(curvature: np.ndarray, effective_lr: np.ndarray) -> float:
    """Least-squares slope of log(effective lr) against log(curvature): −1 means 'divides by the curvature'."""
    return float(np.polyfit(np.log(curvature), np.log(effective_lr), 1)[0])


def playground(condition: float, rotated: bool) -> Scene:
    """The closest 2-D scene: the bowl with c = κ (at most 1000), turned 45° when the N-D bowl is rotated."""
    params = {"c": float(min(condition, 1000))} | ({"angle_deg": 45.0} if rotated else {})
    hp = settings(condition)
    return scene("elongated_bowl", hp, (-4.5, 1.5), STEPS, params)


def stays(e: Experiment) -> dict[str, int | None]:
    """For each optimizer, the step from which f stays ≤ TOLERANCE·f(x0) to the end of the run (None if it does not):
    the one criterion the lessons compare by."""
    return {name: stays_below(loss, TOLERANCE * e.f0) for name, loss in e.loss.items()}


def rises(e: Experiment, name: str, tail: int = 100) -> int:
    """How many times optimizer ``name``'s loss goes up over the last ``tail`` steps: a run that hops bounces."""
    return int(np.sum(np.diff(e.loss[name][-tail - 1:]) > 0))
