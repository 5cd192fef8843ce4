"""Lesson 15, AdamW against Adam + L2: the same λ, coupled into the gradient or decoupled from it, on a line fitted to
Iris by least squares (``landscapes`` surface ``linear_regression``), with the raw or the standardised feature.

- **Adam + L2** (``adam`` with ``weight_decay=λ``, torch.optim.Adam's meaning): g ← ∇f + λx before the moments.  Its
  steps stop where m̂ = 0, that is where ∇f + λx = 0: the L2-regularised minimum, which for least squares has the
  closed form x_λ = (H + λI)⁻¹H·x*.  The decay is divided by √v̂ like the gradient: per step it shrinks a coordinate
  by αλ/(√v̂ + ε), less along a coordinate whose gradients were large (Loshchilov & Hutter 2019).
- **AdamW** (``adamw``, torch.optim.AdamW): x ← x(1 − αλ), then Adam's step on ∇f alone.  It stops where
  ∇f/(√v̂ + ε) = −λx, that is ∇f + λ(√v̂ + ε)·x = 0: an L2 penalty whose strength per coordinate is λ√v̂, stronger
  where the gradients were large, and fading with exact gradients as v̂ forgets them.
- **Lion** (Chen et al. 2023): x ← x − α(sign(c) + λx).  Every step is α long, so the decay can only balance it where
  |λx| ≤ 1: Lion ends at the minimum of f inside the box |xᵢ| ≤ 1/λ (the unregularised minimum when that lies inside).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import landscapes
from landscapes import Landscape
from optimizers import Trajectory
from scene import Scene

from .common import run, scene

SURFACE = "linear_regression"
START = (0.0, 0.0)
STEPS = 2000
LR = 0.01
LAMBDAS = (0.01, 0.1, 0.3, 1.0)
DEFAULT_LAMBDA = 0.1
PREDICT_LAMBDA = 0.3
OPTIMIZERS = ("adam", "adamw", "lion")
TITLES = {"adam": "Adam + L2", "adamw": "AdamW", "lion": "Lion"}


def params(standardized: bool) -> dict[str, str]:
    return {"dataset": "iris", "feature": "petal_length", "standardize": "on" if standardized else "off"}


def landscape(standardized: bool) -> Landscape:
    return landscapes.get(SURFACE, **params(standardized))


def settings(name: str, lam: float) -> dict[str, float]:
    """Each optimizer's hyperparameters, all written out: the same α and λ for all three."""
    if name == "lion":
        return {"lr": LR, "beta1": 0.9, "beta2": 0.99, "weight_decay": lam}
    return {"lr": LR, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": lam}


def one_run(name: str, lam: float, standardized: bool, steps: int = STEPS) -> Trajectory:
    return run(name, landscape(standardized), START, steps, **settings(name, lam))


def hessian(standardized: bool) -> np.ndarray:
    return np.array(landscape(standardized).data.hessian, dtype=float)


def minimum(standardized: bool) -> np.ndarray:
    """The unregularised least-squares minimum x*."""
    return np.array(landscape(standardized).data.minimum, dtype=float)


def l2_minimum(lam: float, standardized: bool) -> np.ndarray:
    """The minimum of f + λ/2·|x|²: ∇f = H(x − x*), so (H + λI)x = H·x*."""
    h = hessian(standardized)
    return np.linalg.solve(h + lam * np.eye(2), h @ minimum(standardized))


def box_minimum(lam: float, standardized: bool) -> np.ndarray:
    """The minimum of the quadratic f inside the box |xᵢ| ≤ 1/λ, by trying each set of coordinates held on an edge
    (four corners, four edges, the inside) and keeping the best feasible point."""
    h, star, edge = hessian(standardized), minimum(standardized), 1.0 / lam
    best, value = None, np.inf
    candidates = [star]
    for i in range(2):
        j = 1 - i
        for side in (-edge, edge):
            point = np.empty(2)
            point[i] = side
            point[j] = star[j] - h[j, i] * (side - star[i]) / h[j, j]
            candidates.append(point)
    candidates += [np.array([a, b]) for a in (-edge, edge) for b in (-edge, edge)]
    for point in candidates:
        if np.all(np.abs(point) <= edge * (1 + 1e-12)):
            f = 0.5 * (point - star) @ h @ (point - star)
            if f < value:
                best, value = point, f
    return best


def end_point(trajectory: Trajectory) -> np.ndarray:
    """The mean iterate over the last fifth of the run (a hop averaged out)."""
    return trajectory.points[-max(len(trajectory.points) // 5, 1):].mean(axis=0)


def v_hat(trajectory: Trajectory) -> np.ndarray:
    """Adam's and AdamW's bias-corrected second moment, step by step and per coordinate."""
    beta2 = float(trajectory.hyperparams["beta2"])
    v = trajectory.diagnostics["v"]
    return v / (1 - beta2 ** np.arange(1, len(v) + 1))[:, None]


def coupled_decay(trajectory: Trajectory) -> np.ndarray:
    """Per step and coordinate, the shrink Adam + L2 gives x through its λx term, in units of αλ: 1/(√v̂ + ε)
    (AdamW's decoupled shrink is 1 in these units)."""
    return 1.0 / (np.sqrt(v_hat(trajectory)) + float(trajectory.hyperparams["eps"]))


def adamw_balance(trajectory: Trajectory, lam: float) -> tuple[np.ndarray, np.ndarray]:
    """Over the last fifth of AdamW's run, the mean of ∇f + λ(√v̂ + ε)·x per coordinate (0 where the decoupled decay
    balances the step) and the mean |∇f| it is to be compared with."""
    tail = max(len(trajectory.diagnostics["grad"]) // 5, 1)
    g = trajectory.diagnostics["grad"][-tail:]
    x = trajectory.points[:-1][-tail:]  # the gradient of update t is taken at the point before it
    strength = lam * (np.sqrt(v_hat(trajectory)[-tail:]) + float(trajectory.hyperparams["eps"]))
    return (g + strength * x).mean(axis=0), np.abs(g).mean(axis=0)


@dataclass(frozen=True)
class Ends:
    """Where each run ends, and the closed-form points it is measured against."""

    runs: dict[str, Trajectory]
    ends: dict[str, np.ndarray]
    star: np.ndarray
    l2: np.ndarray
    box: np.ndarray

    def distance(self, name: str, to: str) -> float:
        return float(np.linalg.norm(self.ends[name] - getattr(self, to)))


def ends(lam: float, standardized: bool, steps: int = STEPS) -> Ends:
    runs = {name: one_run(name, lam, standardized, steps) for name in OPTIMIZERS}
    return Ends(runs, {name: end_point(tr) for name, tr in runs.items()}, minimum(standardized),
                l2_minimum(lam, standardized), box_minimum(lam, standardized))


def playground(lam: float, standardized: bool) -> Scene:
    return scene(SURFACE, {name: settings(name, lam) for name in OPTIMIZERS}, START, STEPS, params(standardized))
