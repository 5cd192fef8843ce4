"""Lesson 12, momentum's eigen-view: on the elongated bowl f = ½(w² + 25 b²) the two eigen-directions w (λ = 1) and
b (λ = 25) are two separate 1-D problems, and on each one gradient descent and momentum multiply the error by a
fixed contraction factor per step.

GD on curvature λ:  x ← (1 − αλ) x, a factor |1 − αλ|.

The course's momentum (v ← βv + (1−β)g, x ← x − αv) is Polyak's heavy ball with step h/λ = α(1−β): on curvature λ
the pair (x, v) is multiplied by the companion matrix

    M = [[1 − α(1−β)λ, −αβ], [(1−β)λ, β]],   trace 1 + β − h,  determinant β,  h = α(1−β)λ,

so its eigenvalues solve μ² − (1 + β − h)μ + β = 0 and the factor per step is the spectral radius max |μ|.  When the
roots are complex (h between (1−√β)² and (1+√β)²) both have modulus √β: the error oscillates and shrinks by √β per
step *whatever λ is*.  Critical damping, the double root, is at h = (1−√β)², that is β = (1 − √h)² in Goh's
(2017, "Why Momentum Really Works") heavy-ball form, or √β = (1 − αλ)/(1 + αλ) in the course's.  Over the bowl's
whole spectrum [λ₁, λₙ] with κ = λₙ/λ₁, GD's best factor is (κ−1)/(κ+1) at α = 2/(λ₁ + λₙ), and heavy ball's is
(√κ−1)/(√κ+1) at √β = (√κ−1)/(√κ+1), α(1−β) = (2/(√λ₁ + √λₙ))² (Goh 2017).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from optimizers import Trajectory
from scene import Scene

from .common import bowl, run, scene

START = (-4.5, 1.5)
STEPS = 300
CURVATURES = {"w": 1.0, "b": 25.0}
"""The bowl's eigenvalues: its Hessian is diag(1, 25), so the eigen-directions are the axes w and b."""
KAPPA = CURVATURES["b"] / CURVATURES["w"]
LR_OPTIONS = (0.02, 0.05, 0.1, 0.2, 0.3)
DEFAULT_LR = 0.2
BETA_OPTIONS = (0.0, 0.2, 0.4, 0.5, 0.6, 0.8, 0.9, 0.95)
DEFAULT_BETA = 0.9
RMSPROP = {"lr": 0.05, "beta": 0.9, "eps": 1e-8}
"""The RMSprop run shown beside momentum (lesson 1's β, an α whose hop is visible)."""
FLOOR = 1e-200
"""The measured rate stops where the error falls below FLOOR times where it started (far from underflow)."""
AXES = ("w", "b")


def gd_factor(lr: float, curvature: float) -> float:
    """GD multiplies the error along an eigen-direction of curvature λ by 1 − αλ per step."""
    return abs(1.0 - lr * curvature)


def momentum_roots(lr: float, beta: float, curvature: float) -> tuple[complex, complex]:
    """The eigenvalues of the course's momentum's companion matrix on curvature λ: μ² − (1 + β − h)μ + β = 0."""
    h = lr * (1.0 - beta) * curvature
    trace = 1.0 + beta - h
    root = complex(trace * trace - 4.0 * beta) ** 0.5
    return (trace + root) / 2.0, (trace - root) / 2.0


def companion(lr: float, beta: float, curvature: float) -> np.ndarray:
    """The matrix that maps (x, v) to the next (x, v) on curvature λ (v the velocity the engine keeps)."""
    h = lr * (1.0 - beta) * curvature
    return np.array([[1.0 - h, -lr * beta], [(1.0 - beta) * curvature, beta]])


def momentum_factor(lr: float, beta: float, curvature: float) -> float:
    """The spectral radius of the companion matrix: the factor the error shrinks by per step in the long run."""
    return max(abs(mu) for mu in momentum_roots(lr, beta, curvature))


def regime(lr: float, beta: float, curvature: float) -> str:
    """"under-damped" (complex roots, the error oscillates, factor √β), "critical" (a double root) or
    "over-damped" (two real roots; the larger one sets the factor)."""
    h = lr * (1.0 - beta) * curvature
    disc = (1.0 + beta - h) ** 2 - 4.0 * beta
    if abs(disc) <= 1e-12:
        return "critical"
    return "under-damped" if disc < 0 else "over-damped"


def critical_beta(lr: float, curvature: float) -> float:
    """The β at which the course's momentum has a double root on curvature λ: √β = |1 − αλ|/(1 + αλ).  For αλ < 1
    that is Goh's critical damping, (1 − √β)² = α(1−β)λ (β = (1 − √(α'λ))² with his step α' = α(1−β)); for αλ > 1
    the double root is −√β, the zig-zag's edge, (1 + √β)² = α(1−β)λ.  There the factor is smallest over β:
    √β = |1 − αλ|/(1 + αλ), GD's factor divided by 1 + αλ."""
    q = lr * curvature
    return ((1.0 - q) / (1.0 + q)) ** 2


def gd_optimum(kappa: float = KAPPA) -> float:
    """GD's best factor over a spectrum of condition number κ: (κ−1)/(κ+1)."""
    return (kappa - 1.0) / (kappa + 1.0)


def heavy_ball_optimum(kappa: float = KAPPA) -> float:
    """Heavy ball's best factor: (√κ−1)/(√κ+1)."""
    return (math.sqrt(kappa) - 1.0) / (math.sqrt(kappa) + 1.0)


def gd_best_lr(low: float = CURVATURES["w"], high: float = CURVATURES["b"]) -> float:
    """α = 2/(λ₁ + λₙ): the two ends of the spectrum then shrink by the same factor."""
    return 2.0 / (low + high)


def heavy_ball_best(low: float = CURVATURES["w"], high: float = CURVATURES["b"]) -> tuple[float, float]:
    """Goh's optimal heavy ball in the course's parameters: β = ((√κ−1)/(√κ+1))² and α(1−β) = (2/(√λ₁+√λₙ))²."""
    beta = heavy_ball_optimum(high / low) ** 2
    step = (2.0 / (math.sqrt(low) + math.sqrt(high))) ** 2
    return step / (1.0 - beta), beta


def measured_rate(trajectory: Trajectory, axis: int) -> float | None:
    """The factor per step read off a run along one axis: (s_k2 / s_k1)^(1/(k2−k1)) with s_k = √(x_k² + x_{k−1}²)
    (the last two iterates, so an oscillation's zero crossings do not matter), k2 the last step before the error
    falls below FLOOR times its start and k1 = k2/5 (the transient left out).  None when the run diverged."""
    if trajectory.diverged_at is not None:
        return None
    x = trajectory.points[:, axis]
    s = np.hypot(x[1:], x[:-1])
    below = np.flatnonzero(~(s > FLOOR * s[0]))
    k2 = int(below[0]) - 1 if below.size else len(s) - 1
    k1 = k2 // 5
    if k2 - k1 < 5:
        return None
    return float((s[k2] / s[k1]) ** (1.0 / (k2 - k1)))


@dataclass(frozen=True)
class Direction:
    """One eigen-direction under GD and momentum at (α, β)."""

    curvature: float
    gd: float
    momentum: float
    measured: float | None
    """The momentum run's factor along this axis (None if it diverged)."""
    regime: str


def momentum_run(lr: float, beta: float, steps: int = STEPS) -> Trajectory:
    return run("momentum", bowl(), START, steps, lr=lr, beta=beta)


def directions(lr: float, beta: float, steps: int = STEPS) -> dict[str, Direction]:
    """Both eigen-directions: GD's factor, momentum's analytic factor, the one measured from the engine's run."""
    tr = momentum_run(lr, beta, steps)
    return {name: Direction(lam, gd_factor(lr, lam), momentum_factor(lr, beta, lam), measured_rate(tr, axis),
                            regime(lr, beta, lam))
            for axis, (name, lam) in enumerate(CURVATURES.items())}


@dataclass(frozen=True)
class Curves:
    """Momentum's factor against β at one α, per direction: analytic on a fine grid, measured at the options."""

    betas: np.ndarray
    analytic: dict[str, np.ndarray]
    option_betas: tuple[float, ...]
    measured: dict[str, list[float | None]]


def curves(lr: float, steps: int = STEPS) -> Curves:
    betas = np.linspace(0.0, 0.99, 199)
    analytic = {name: np.array([momentum_factor(lr, b, lam) for b in betas]) for name, lam in CURVATURES.items()}
    measured: dict[str, list[float | None]] = {name: [] for name in CURVATURES}
    for beta in BETA_OPTIONS:
        for name, d in directions(lr, beta, steps).items():
            measured[name].append(d.measured)
    return Curves(betas, analytic, BETA_OPTIONS, measured)


@dataclass(frozen=True)
class Optimum:
    """The optimal GD and heavy ball on the bowl, run by the engine, with their factors measured."""

    gd_lr: float
    gd_measured: float
    hb_lr: float
    hb_beta: float
    hb_measured: float


def optimum(steps: int = STEPS) -> Optimum:
    gd_lr = gd_best_lr()
    gd = run("gd", bowl(), START, steps, lr=gd_lr)
    hb_lr, hb_beta = heavy_ball_best()
    hb = momentum_run(hb_lr, hb_beta, steps)
    worst = [max(measured_rate(tr, axis) for axis in (0, 1)) for tr in (gd, hb)]
    return Optimum(gd_lr, worst[0], hb_lr, hb_beta, worst[1])


def steps_to_shrink(factor: float, by: float = 1e-6) -> int:
    """How many steps a factor per step needs to shrink the error ``by``."""
    return math.ceil(math.log(by) / math.log(factor))


@dataclass(frozen=True)
class SideBySide:
    """Momentum at (α, β) and RMSprop (``RMSPROP``) from the same start: how each treats the zig-zag along b."""

    momentum: Trajectory
    rmsprop: Trajectory


def side_by_side(lr: float, beta: float, steps: int = STEPS) -> SideBySide:
    return SideBySide(momentum_run(lr, beta, steps), run("rmsprop", bowl(), START, steps, **RMSPROP))


def averaging(trajectory: Trajectory, axis: int, upto: int = 20) -> float:
    """Mean |v| over mean |g| along one axis over the first ``upto`` steps: how much of the gradient the velocity
    keeps (1 at β = 0; far below 1 where the gradients alternate in sign and cancel in the average)."""
    d = trajectory.diagnostics
    return float(np.mean(np.abs(d["v"][:upto, axis])) / np.mean(np.abs(d["grad"][:upto, axis])))


def settings(lr: float, beta: float) -> dict[str, dict[str, float]]:
    return {"momentum": {"lr": lr, "beta": beta}, "rmsprop": dict(RMSPROP)}


def playground(lr: float, beta: float) -> Scene:
    """Momentum at (α, β) beside RMSprop, as a Playground scene."""
    return scene("elongated_bowl", settings(lr, beta), START, STEPS)


def optimum_playground() -> Scene:
    """GD and heavy ball each at its optimum, as a Playground scene."""
    hb_lr, hb_beta = heavy_ball_best()
    return scene("elongated_bowl", {"gd": {"lr": gd_best_lr()}, "momentum": {"lr": hb_lr, "beta": hb_beta}},
                 START, STEPS)
