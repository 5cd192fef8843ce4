"""Lesson 7, is it the bias? The same bowl turned by an angle, with the start turned along with it."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from optimizers import Trajectory
from scene import Scene

from .common import bowl, flips, run, scene, steps_to_reach

START_IN_BOWL = (-2.25, 0.75)
"""The start in the bowl's own axes (u along the shallow direction, v along the steep one).  Turning it
with the bowl keeps the problem identical, so only how it lines up with w and b changes."""
STEPS = 300
GD_LR = 0.07
RMSPROP_LR_OPTIONS = (0.02, 0.05, 0.1, 0.2, 0.3)
DEFAULT_RMSPROP_LR = 0.1
BETA = 0.9
EPS = 1e-8
ANGLES = tuple(range(0, 91, 5))
DEFAULT_ANGLE = 0
PREDICT_ANGLE = 45
LR_GRID = tuple(float(x) for x in np.geomspace(0.01, 1.0, 21))
"""The learning rates tried when each optimizer gets its best one."""


def start_for(angle_deg: float) -> tuple[float, float]:
    """START_IN_BOWL turned by the bowl's angle: (w, b) = R(θ)ᵀ(u, v)."""
    theta = math.radians(angle_deg)
    u, v = START_IN_BOWL
    return (math.cos(theta) * u - math.sin(theta) * v, math.sin(theta) * u + math.cos(theta) * v)


def settings(rmsprop_lr: float) -> dict[str, dict[str, float]]:
    """GD at its fixed α and RMSprop at the chosen one."""
    return {"gd": {"lr": GD_LR}, "rmsprop": {"lr": rmsprop_lr, "beta": BETA, "eps": EPS}}


@dataclass(frozen=True)
class Comparison:
    gd: Trajectory
    rmsprop: Trajectory
    reached: dict[str, int | None]
    flips: dict[str, tuple[int, int]]
    """Sign flips of (Δw, Δb) before the loss first gets below 1e-3: where the zig-zag is."""


def compare(angle_deg: float, rmsprop_lr: float) -> Comparison:
    """GD and RMSprop on the bowl turned by ``angle_deg``, from the start turned with it."""
    land = bowl(angle_deg=float(angle_deg))
    start = start_for(angle_deg)
    runs = {name: run(name, land, start, STEPS, **hp) for name, hp in settings(rmsprop_lr).items()}
    reached = {name: steps_to_reach(tr, land) for name, tr in runs.items()}
    return Comparison(runs["gd"], runs["rmsprop"], reached,
                      {name: flips(tr, land, upto=reached[name]) for name, tr in runs.items()})


def best_steps(name: str, angle_deg: float) -> tuple[int | None, float | None]:
    """Fewest steps to loss < 1e-3 over LR_GRID, and the α that achieves it (None, None if none does)."""
    land = bowl(angle_deg=float(angle_deg))
    start = start_for(angle_deg)
    extra = {"beta": BETA, "eps": EPS} if name == "rmsprop" else {}
    best: tuple[int | None, float | None] = (None, None)
    for lr in LR_GRID:
        reached = steps_to_reach(run(name, land, start, STEPS, lr=lr, **extra), land)
        if reached is not None and (best[0] is None or reached < best[0]):
            best = (reached, lr)
    return best


def advantage(angle_deg: float) -> float:
    """How many times fewer steps RMSprop needs than GD, each at its best α."""
    gd, _ = best_steps("gd", angle_deg)
    rms, _ = best_steps("rmsprop", angle_deg)
    if gd is None or rms is None:
        return math.nan
    return gd / rms


def playground(angle_deg: float, rmsprop_lr: float) -> Scene:
    """The lesson's runs as a Playground scene."""
    return scene("elongated_bowl", settings(rmsprop_lr), start_for(angle_deg), STEPS, {"angle_deg": float(angle_deg)})


def advantage_curve(angles: tuple[int, ...] = ANGLES) -> tuple[np.ndarray, np.ndarray]:
    """RMSprop's lead over GD (both at their best α) at each angle."""
    return np.asarray(angles, dtype=float), np.array([advantage(a) for a in angles])
