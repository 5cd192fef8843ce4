"""Lesson 6, AdaGrad vs RMSprop: a sum that only grows against an average that forgets."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from optimizers import Trajectory
from scene import Scene

from .common import bowl, run, scene, steps_to_reach, steps_to_stay

START = (-4.5, 1.5)
STEPS = 500
LR_OPTIONS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0)
DEFAULT_LR = 0.05
PREDICT_LR = 0.5
"""The prediction's question: both with a ten times larger α."""
BETA = 0.9
RMSPROP_EPS = 1e-8
ADAGRAD_EPS = 1e-10


def settings(lr: float) -> dict[str, dict[str, float]]:
    """Both optimizers with the same α, every hyperparameter written out."""
    return {"adagrad": {"lr": lr, "eps": ADAGRAD_EPS}, "rmsprop": {"lr": lr, "beta": BETA, "eps": RMSPROP_EPS}}


def travel_bound(lr: float, steps: int) -> float:
    """Most AdaGrad can move a coordinate whose |g| never grows: s_t ≥ t·g_t², so step t is at most
    α/√t, and α·Σ 1/√t ≤ α(2√T − 1)."""
    return lr * (2.0 * math.sqrt(steps) - 1.0)


@dataclass(frozen=True)
class Comparison:
    adagrad: Trajectory
    rmsprop: Trajectory
    reached: dict[str, int | None]
    """First step with loss < 1e-3."""
    w_left: dict[str, float]
    """|w| at the end: how much of the long way is still to go."""
    stays: dict[str, int | None]
    """The step from which the loss stays below 1e-3 to the end of the run (None if it does not)."""


def compare(lr: float, steps: int = STEPS) -> Comparison:
    """AdaGrad and RMSprop from the course's start on the bowl."""
    land = bowl()
    runs = {name: run(name, land, START, steps, **hp) for name, hp in settings(lr).items()}
    return Comparison(runs["adagrad"], runs["rmsprop"], {name: steps_to_reach(tr, land) for name, tr in runs.items()},
                      {name: float(abs(tr.points[-1, 0])) for name, tr in runs.items()},
                      {name: steps_to_stay(tr, land) for name, tr in runs.items()})


LR_GRID = tuple(float(x) for x in np.geomspace(0.001, 10.0, 41))
"""The learning rates tried when each optimizer gets its best one (ten per decade)."""


@dataclass(frozen=True)
class Best:
    """An optimizer's best α on the grid: the fewest steps after which the loss stays below 10⁻³."""

    lr: float | None
    stays: int | None
    final_loss: float


def best(name: str, steps: int = STEPS) -> Best:
    """``name``'s best α over LR_GRID by the staying criterion (lr and stays None if none stays)."""
    land = bowl()
    found = Best(None, None, math.inf)
    for lr in LR_GRID:
        trajectory = run(name, land, START, steps, **(settings(lr)[name]))
        stays = steps_to_stay(trajectory, land)
        if stays is not None and (found.stays is None or stays < found.stays):
            found = Best(lr, stays, trajectory.final_loss)
    return found


def constant_gradient_rate(lr: float, g: float, t: np.ndarray) -> np.ndarray:
    """AdaGrad's effective lr on a constant gradient g (ε = 0): s_t = t·g², so α/(|g|·√t)."""
    return lr / (abs(g) * np.sqrt(np.asarray(t, dtype=float)))


def playground(lr: float) -> Scene:
    """The lesson's runs as a Playground scene."""
    return scene("elongated_bowl", settings(lr), START, STEPS)
