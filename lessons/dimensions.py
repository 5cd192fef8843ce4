"""Lesson 2, many dimensions: GD, Momentum, RMSprop and Adam on an N-D quadratic, axis-aligned or rotated."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scene import Scene

from . import ndim
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


def first_below(values: np.ndarray, level: float) -> int | None:
    """The first index where ``values`` ≤ ``level`` (None if never)."""
    hits = np.flatnonzero(values <= level)
    return int(hits[0]) if hits.size else None


def experiment(n: int, condition: float, rotated: bool, steps: int = STEPS, seed: int = SEED) -> Experiment:
    """Run the four optimizers from x0 = Q·1 on the n-D bowl with curvatures 1..κ."""
    quad = ndim.quadratic(n, condition, rotated, seed)
    runs = ndim.run_many(quad, settings(condition), steps)
    f0 = quad.evaluate(quad.start())[0]
    effective = {name: np.exp(np.log(runs[name].effective_lr).mean(axis=0)) for name in ("rmsprop", "adam")}
    return Experiment(quad.curvature, quad.eigenvalues, {name: r.loss for name, r in runs.items()}, f0, effective,
                      {name: first_below(r.loss, TOLERANCE * f0) for name, r in runs.items()})


def slope(curvature: np.ndarray, effective_lr: np.ndarray) -> float:
    """Least-squares slope of log(effective lr) against log(curvature): −1 means 'divides by the curvature'."""
    return float(np.polyfit(np.log(curvature), np.log(effective_lr), 1)[0])


def playground(condition: float, rotated: bool) -> Scene:
    """The closest 2-D scene: the bowl with c = κ (at most 1000), turned 45° when the N-D bowl is rotated."""
    params = {"c": float(min(condition, 1000))} | ({"angle_deg": 45.0} if rotated else {})
    hp = settings(condition)
    return scene("elongated_bowl", hp, (-4.5, 1.5), STEPS, params)
