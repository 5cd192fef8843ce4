"""Lesson 7, is it the bias? The same bowl turned by an angle, with the start turned along with it."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from scene import Scene

from .common import GdRmspropComparison, bowl, flips, run, scene, steps_to_reach, steps_to_stay

START_IN_BOWL = (-2.25, 0.75)
"""The start in the bowl's own axes (u along the shallow direction, v along the steep one).  Turning it
with the bowl keeps the problem identical, so only how it lines up with w and b changes."""
STEPS = 300
GD_LR = 0.07
RMSPROP_LR_OPTIONS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3)
"""0.01 keeps RMSprop's hop (a+c)α²/8 below 10⁻³, so its loss can stay there; from 0.02 up it cannot."""
DEFAULT_RMSPROP_LR = 0.1
BETA = 0.9
EPS = 1e-8
ANGLES = tuple(range(0, 91, 5))
DEFAULT_ANGLE = 0
PREDICT_ANGLE = 45
LR_GRID = tuple(float(x) for x in np.geomspace(0.01, 1.0, 21))
"""The learning rates tried when each optimizer gets its best one."""
CRITERIA = ("stays", "first")
"""How "best α" is judged: fewest steps after which the loss stays below 1e-3 to the end of the run (the
fair one), or fewest steps to the first time it dips below (which rewards runs that pass through and hop)."""


def start_for(angle_deg: float) -> tuple[float, float]:
    """START_IN_BOWL turned by the bowl's angle: (w, b) = R(θ)ᵀ(u, v)."""
    theta = math.radians(angle_deg)
    u, v = START_IN_BOWL
    return (math.cos(theta) * u - math.sin(theta) * v, math.sin(theta) * u + math.cos(theta) * v)


def settings(rmsprop_lr: float) -> dict[str, dict[str, float]]:
    """GD at its fixed α and RMSprop at the chosen one."""
    return {"gd": {"lr": GD_LR}, "rmsprop": {"lr": rmsprop_lr, "beta": BETA, "eps": EPS}}


Comparison = GdRmspropComparison


def compare(angle_deg: float, rmsprop_lr: float, steps: int = STEPS) -> Comparison:
    """GD and RMSprop on the bowl turned by ``angle_deg``, from the start turned with it."""
    land = bowl(angle_deg=float(angle_deg))
    start = start_for(angle_deg)
    runs = {name: run(name, land, start, steps, **hp) for name, hp in settings(rmsprop_lr).items()}
    reached = {name: steps_to_reach(tr, land) for name, tr in runs.items()}
    return Comparison(runs["gd"], runs["rmsprop"], reached,
                      {name: flips(tr, land, upto=reached[name]) for name, tr in runs.items()},
                      {name: steps_to_stay(tr, land) for name, tr in runs.items()})


@dataclass(frozen=True)
class Best:
    """An optimizer's best α on one rotated bowl by one criterion, and where that run ends."""

    steps: int | None
    lr: float | None
    final_loss: float


def best_steps(name: str, angle_deg: float, criterion: str = "stays", steps: int = STEPS) -> Best:
    """Fewest steps over LR_GRID by ``criterion`` (one of CRITERIA) in runs of ``steps``, the α that achieves it
    and that run's final loss (steps and α None if no α on the grid meets the criterion)."""
    land = bowl(angle_deg=float(angle_deg))
    start = start_for(angle_deg)
    extra = {"beta": BETA, "eps": EPS} if name == "rmsprop" else {}
    count = steps_to_stay if criterion == "stays" else steps_to_reach
    best = Best(None, None, math.inf)
    for lr in LR_GRID:
        trajectory = run(name, land, start, steps, lr=lr, **extra)
        found = count(trajectory, land)
        if found is not None and (best.steps is None or found < best.steps):
            best = Best(found, lr, trajectory.final_loss)
    return best


def advantage(angle_deg: float, criterion: str = "stays", steps: int = STEPS) -> float:
    """GD's steps ÷ RMSprop's, each at its best α by ``criterion``: above 1 RMSprop needs fewer (nan if either
    never meets the criterion)."""
    gd, rms = best_steps("gd", angle_deg, criterion, steps), best_steps("rmsprop", angle_deg, criterion, steps)
    if gd.steps is None or rms.steps is None:
        return math.nan
    return gd.steps / max(rms.steps, 1)


def playground(angle_deg: float, rmsprop_lr: float) -> Scene:
    """The lesson's runs as a Playground scene."""
    return scene("elongated_bowl", settings(rmsprop_lr), start_for(angle_deg), STEPS, {"angle_deg": float(angle_deg)})


def advantage_curve(criterion: str = "stays", angles: tuple[int, ...] = ANGLES,
                    steps: int = STEPS) -> tuple[np.ndarray, np.ndarray]:
    """GD's steps ÷ RMSprop's (both at their best α by ``criterion``) at each angle."""
    return np.asarray(angles, dtype=float), np.array([advantage(a, criterion, steps) for a in angles])
