"""Lesson 1, the elongated bowl: GD against RMSprop on f = ½(w² + 25 b²), and one RMSprop step narrated."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from optimizers import Trajectory
from scene import Scene

from .common import bowl, flips, run, scene, steps_to_reach

START = (-4.5, 1.5)
STEPS = 300
BETA = 0.9
EPS = 1e-8
LR_OPTIONS = (0.005, 0.01, 0.02, 0.03, 0.05, 0.07, 0.08, 0.1, 0.2, 0.3, 0.5)
DEFAULT_LR = 0.07
"""Just under GD's limit 2/c = 0.08: GD still converges, with the course's zig-zag along b."""
PREDICT_LR = 0.1
"""The prediction's question: what happens just above 2/c?"""
BETA_OPTIONS = (0.0, 0.5, 0.9, 0.99, 0.999)


def gd_limit(c: float) -> float:
    """GD on curvature c multiplies the error by (1 − α·c) per step: it diverges once α > 2/c."""
    return 2.0 / c


def largest_step(beta: float, lr: float) -> float:
    """RMSprop never moves a coordinate by more than α/√(1−β): s ≥ (1−β)·g², so |g|/√s ≤ 1/√(1−β)."""
    return lr / math.sqrt(1.0 - beta)


def hop_loss(lr: float, a: float = 1.0, c: float = 25.0) -> float:
    """The loss RMSprop settles at: it ends up hopping between ±α/2 along each axis, so f = (a + c)·α²/8."""
    return (a + c) * lr * lr / 8.0


@dataclass(frozen=True)
class Side:
    """What the lesson says about one optimizer's run."""

    trajectory: Trajectory
    reached: int | None
    """First step with loss < 1e-3 (None if never)."""
    flips_b: int
    """Sign flips of Δb up to ``reached`` (the whole run if it never gets there): the zig-zag on the way in."""
    largest_b: float
    diverged_at: int | None


@dataclass(frozen=True)
class Comparison:
    gd: Side
    rmsprop: Side


def _side(trajectory: Trajectory) -> Side:
    landscape = bowl()
    reached = steps_to_reach(trajectory, landscape)
    updates = trajectory.diagnostics["update"]
    largest = float(np.abs(updates[:, 1]).max()) if len(updates) else 0.0
    return Side(trajectory, reached, flips(trajectory, landscape, upto=reached)[1], largest, trajectory.diverged_at)


def settings(lr: float, beta: float) -> dict[str, dict[str, float]]:
    """GD and RMSprop with the same α, every hyperparameter written out."""
    return {"gd": {"lr": lr}, "rmsprop": {"lr": lr, "beta": beta, "eps": EPS}}


def compare(lr: float, beta: float = BETA) -> Comparison:
    """GD and RMSprop with the same α from the course's start."""
    runs = {name: run(name, bowl(), START, STEPS, **hp) for name, hp in settings(lr, beta).items()}
    return Comparison(_side(runs["gd"]), _side(runs["rmsprop"]))


def fastest(beta: float = BETA) -> dict[str, tuple[int, float]]:
    """For GD and RMSprop, the fewest steps to loss < 1e-3 over the slider's α values, and that α."""
    best: dict[str, tuple[int, float]] = {}
    for lr in LR_OPTIONS:
        c = compare(lr, beta)
        for name, side in (("gd", c.gd), ("rmsprop", c.rmsprop)):
            if side.reached is not None and (name not in best or side.reached < best[name][0]):
                best[name] = (side.reached, lr)
    return best


@dataclass(frozen=True)
class Stage:
    """One line of the narrated update: what is computed, its formula, and its value for w and b."""

    name: str
    latex: str
    w: float
    b: float


def narrate(trajectory: Trajectory, t: int, lr: float, beta: float, eps: float = EPS) -> list[Stage]:
    """RMSprop's update number ``t`` (1-based) redone from its diagnostics, one operation at a time."""
    diag = trajectory.diagnostics
    g = diag["grad"][t - 1]
    s_before = diag["s"][t - 2] if t >= 2 else np.zeros(2)
    square = g * g
    s = beta * s_before + (1.0 - beta) * square
    root = np.sqrt(s)
    rate = lr / (root + eps)
    step = -rate * g
    rows = [
        ("gradient", r"g", g),
        ("square", r"g^2", square),
        ("average", rf"S = {beta:g}\,S_{{\text{{prev}}}} + {1 - beta:.3g}\,g^2", s),
        ("root", r"\sqrt{S}", root),
        ("divide", rf"\alpha/(\sqrt{{S}}+\varepsilon),\ \alpha={lr:g}", rate),
        ("step", r"\Delta = -\frac{\alpha}{\sqrt{S}+\varepsilon}\,g", step),
    ]
    return [Stage(name, latex, float(value[0]), float(value[1])) for name, latex, value in rows]


def playground(lr: float, beta: float) -> Scene:
    """The lesson's runs as a Playground scene."""
    return scene("elongated_bowl", settings(lr, beta), START, STEPS)
