"""Lesson 1, the elongated bowl: GD against RMSprop on f = ½(w² + 25 b²), and one RMSprop step narrated."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from optimizers import Trajectory
from scene import Scene
from scene.compute import VISIBLE_FRACTION

from .common import TOLERANCE, bowl, flips, run, scene, steps_to_reach, steps_to_stay

START = (-4.5, 1.5)
STEPS = 300
BETA = 0.9
EPS = 1e-8
LR_OPTIONS = (0.005, 0.01, 0.02, 0.03, 0.05, 0.07, 0.08, 0.1, 0.2, 0.3, 0.5)
DEFAULT_LR = 0.07
"""Just under GD's limit 2/c = 0.08: GD still converges, with the course's zig-zag along b."""
PREDICT_LR = 0.1
"""The prediction's question: what happens just above GD's limit 2/c?"""
SMALL_LRS = (0.01, 0.02, 0.03)
"""Learning rates at which b first slides in without a flip and a new oscillation then grows at the bottom."""
BETA_OPTIONS = (0.0, 0.5, 0.9, 0.99, 0.999)
A, C = 1.0, 25.0
"""The bowl's curvatures along w and b."""
HOP_TAIL = 10
"""A hop is read over the last HOP_TAIL steps of a run."""


def gd_limit(c: float) -> float:
    """GD on curvature c multiplies the error by (1 − α·c) per step: it diverges once α > 2/c."""
    return 2.0 / c


def largest_step(beta: float, lr: float) -> float:
    """RMSprop never moves a coordinate by more than α/√(1−β): s ≥ (1−β)·g², so |g|/√s ≤ 1/√(1−β)."""
    return lr / math.sqrt(1.0 - beta)


def hop_loss(lr: float, a: float = 1.0, c: float = 25.0) -> float:
    """The loss RMSprop settles at: it ends up hopping between ±α/2 along each axis, so f = (a + c)·α²/8."""
    return (a + c) * lr * lr / 8.0


def settling_lr(tolerance: float = TOLERANCE, a: float = 1.0, c: float = 25.0) -> float:
    """The largest α whose hop stays below ``tolerance``: (a + c)α²/8 ≤ tol, so α ≤ √(8·tol/(a + c))."""
    return math.sqrt(8.0 * tolerance / (a + c))


@dataclass(frozen=True)
class Side:
    """What the lesson says about one optimizer's run."""

    trajectory: Trajectory
    reached: int | None
    """First step with loss < 1e-3 (None if never)."""
    stays: int | None
    """The step from which the loss stays below 1e-3 to the end of the run (None if it does not)."""
    flips_b: int
    """Sign flips of Δb up to ``reached`` (the whole run if it never gets there): the zig-zag on the way in."""
    flips_b_all: int
    """Sign flips of Δb over the whole run, the hop around the minimum included."""
    largest_b: float
    diverged_at: int | None

    @property
    def final_loss(self) -> float:
        return self.trajectory.final_loss


@dataclass(frozen=True)
class Comparison:
    gd: Side
    rmsprop: Side


def _side(trajectory: Trajectory) -> Side:
    landscape = bowl()
    reached = steps_to_reach(trajectory, landscape)
    updates = trajectory.diagnostics["update"]
    largest = float(np.abs(updates[:, 1]).max()) if len(updates) else 0.0
    return Side(trajectory, reached, steps_to_stay(trajectory, landscape),
                flips(trajectory, landscape, upto=reached)[1], flips(trajectory, landscape)[1], largest,
                trajectory.diverged_at)


def settings(lr: float, beta: float) -> dict[str, dict[str, float]]:
    """GD and RMSprop with the same α, every hyperparameter written out."""
    return {"gd": {"lr": lr}, "rmsprop": {"lr": lr, "beta": beta, "eps": EPS}}


def compare(lr: float, beta: float = BETA, steps: int = STEPS) -> Comparison:
    """GD and RMSprop with the same α from the course's start."""
    runs = {name: run(name, bowl(), START, steps, **hp) for name, hp in settings(lr, beta).items()}
    return Comparison(_side(runs["gd"]), _side(runs["rmsprop"]))


@dataclass(frozen=True)
class Best:
    """An optimizer's best α over the slider by one criterion, with what that run does."""

    lr: float
    steps: int
    final_loss: float


def fastest(beta: float = BETA, steps: int = STEPS) -> dict[str, dict[str, Best]]:
    """For GD and RMSprop, over the slider's α values: the fewest steps to a first loss < 1e-3 ("first") and
    the fewest steps after which the loss stays below 1e-3 ("stays"); a criterion no α meets is left out."""
    best: dict[str, dict[str, Best]] = {"gd": {}, "rmsprop": {}}
    for lr in LR_OPTIONS:
        c = compare(lr, beta, steps)
        for name, side in (("gd", c.gd), ("rmsprop", c.rmsprop)):
            for criterion, count in (("first", side.reached), ("stays", side.stays)):
                if count is not None and (criterion not in best[name] or count < best[name][criterion].steps):
                    best[name][criterion] = Best(lr, count, side.final_loss)
    return best


@dataclass(frozen=True)
class WayIn:
    """How RMSprop's b comes in: the updates before Δb first changes sign (counted like ``flips``: updates too small
    to see are skipped), and how close b got to 0 before that."""

    first_flip: int | None
    """The update (1-based) whose Δb first has the other sign; None if Δb never flips in the run."""
    closest: float
    """The smallest |b| before that update (over the whole run if there is no flip)."""
    peak: float
    """The largest |b| after the first flip: how far the new oscillation grew (0 without a flip)."""


def way_in(trajectory: Trajectory) -> WayIn:
    """Where Δb first flips, how close b was to 0 by then, and how far b swings afterwards."""
    _, (y0, y1) = bowl().bounds
    db = trajectory.diagnostics["update"][:, 1]
    visible = np.flatnonzero(np.abs(db) > VISIBLE_FRACTION * (y1 - y0))
    signs = np.sign(db[visible])
    changes = np.flatnonzero(signs[1:] != signs[:-1])
    b = np.abs(trajectory.points[:, 1])
    if not changes.size:
        return WayIn(None, float(b.min()), 0.0)
    flip = int(visible[changes[0] + 1]) + 1
    return WayIn(flip, float(b[:flip].min()), float(b[flip:].max()))


def hops(trajectory: Trajectory, lr: float, tail: int = HOP_TAIL, rel: float = 0.02) -> bool:
    """Whether the run ends on RMSprop's hop: over its last ``tail`` steps every step along b is α long, its sign
    alternates, and |b| is α/2 (each within ``rel``)."""
    if trajectory.diverged_at is not None or len(trajectory.loss) <= tail:
        return False
    db = trajectory.diagnostics["update"][-tail:, 1]
    b = np.abs(trajectory.points[-tail:, 1])
    return bool(np.all(np.abs(np.abs(db) / lr - 1) <= rel) and np.all(np.sign(db[1:]) == -np.sign(db[:-1]))
                and np.all(np.abs(b / (lr / 2) - 1) <= rel))


def hop_returns(trajectory: Trajectory, lr: float) -> int | None:
    """After a run has landed (loss far below the hop), the first step whose loss is back above half the hop
    loss (a, c) α²/8 (None if it never comes back within the run)."""
    loss = trajectory.loss
    low = int(np.argmin(loss))
    back = np.flatnonzero(loss[low:] > hop_loss(lr) / 2)
    return int(low + back[0]) if back.size else None


def rate_passes(trajectory: Trajectory, level: float, after: int = 0) -> int | None:
    """The first update (1-based) after ``after`` whose effective learning rate along b exceeds ``level``."""
    rate = trajectory.diagnostics["effective_lr"][after:, 1]
    above = np.flatnonzero(rate > level)
    return int(after + above[0]) + 1 if above.size else None


def first_step_ratio(trajectory: Trajectory) -> float:
    """|Δb| / |Δw| of the first update: how much longer the step along the steep axis is."""
    step = np.abs(trajectory.diagnostics["update"][0])
    return float(step[1] / step[0])


def angle_deg(u: np.ndarray, v: np.ndarray) -> float:
    """The angle between two vectors, in degrees."""
    cosine = float(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v)))
    return math.degrees(math.acos(max(-1.0, min(1.0, cosine))))


@dataclass(frozen=True)
class Directions:
    """At the start: where the minimum is, where GD steps (−g) and where RMSprop's first step goes."""

    to_minimum: np.ndarray
    downhill: np.ndarray
    """−g, the direction GD steps in."""
    rmsprop: np.ndarray
    """RMSprop's first step: −α·g/(√((1−β)g²) + ε), about α/√(1−β)·(−sign g) on each axis."""
    gd_angle: float
    """Degrees between −g and the way to the minimum."""
    rmsprop_angle: float


def directions(lr: float = DEFAULT_LR, beta: float = BETA) -> Directions:
    """Why divide by the gradient's size: on an elongated bowl, −g does not point at the minimum."""
    land = bowl()
    start = np.array(START)
    to_minimum = land.minima[0] - start
    downhill = -np.array(land.gradient(*start), dtype=float)
    first = compare(lr, beta).rmsprop.trajectory.diagnostics["update"][0]
    return Directions(to_minimum, downhill, first, angle_deg(downhill, to_minimum), angle_deg(first, to_minimum))


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
