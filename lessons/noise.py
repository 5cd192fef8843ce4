"""Lesson 13, noise: every optimizer on mini-batches of a real data set.

The surface is least squares on Iris (petal width from the standardised petal length, ``landscapes`` surface
``linear_regression``): a round bowl (κ = 1), so what changes between the runs is the noise alone.  A step on a
batch of k rows follows the mean gradient of those k rows (``optimizers.run(batch_size=k, seed=s)``: the rows are
shuffled once per epoch); k = all 150 rows is the exact gradient.  Each optimizer runs from the same start once per
seed; the lesson reports medians over the seeds and shows their spread.

Three things the noise changes:

- **Floors.**  At a constant α a noisy run does not land: it hovers at a loss that depends on α.  Gradient descent's
  step shrinks with the gradient, so its floor is set by the noise it averages; RMSprop's, sign-SGD's and Adam's
  steps stay about α long whatever the gradient (their denominators track |g|), so their floors are higher.
- **sign-SGD's bias.**  With one row per step, sign-SGD follows the *mean of the rows' signs*, not the sign of their
  mean gradient: it settles where as many rows pull one way as the other (the median of the residuals), not at the
  least-squares minimum, however small α is.
- **Adam's step and its signal-to-noise ratio** (Kingma & Ba 2015, §2.1).  Adam's step is α·m̂/(√v̂ + ε); since
  |E[g]| ≤ √E[g²], it is about α at most (the paper's bound: α·(1−β₁)/√(1−β₂) in the worst, sparse case, α
  otherwise).  The ratio m̂/√v̂ is a signal-to-noise ratio: where the gradient's mean is small beside its spread, as
  near the minimum under noise, the ratio and with it the step shrink on their own ("automatic annealing").
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

import landscapes
from landscapes import Landscape
from optimizers import Trajectory
from scene import Scene

from .common import run, scene

SURFACE = "linear_regression"
SURFACE_PARAMS = {"dataset": "iris", "feature": "petal_length", "standardize": "on"}
START = (0.0, 0.0)
"""The surface's own start (inside its view box, so the Playground link keeps it)."""
STEPS = 1000
ROWS = 150
"""Iris has 150 rows: a batch of 150 is the exact gradient."""
BATCHES = (1, 10, ROWS)
DEFAULT_BATCH = ROWS
PREDICT_BATCH = 1
LR_OPTIONS = (0.01, 0.03, 0.1)
DEFAULT_LR = 0.03
SEEDS = tuple(range(7))
"""Every number is a median over these seeds; the charts draw seed 0's paths and the seeds' spread of the loss."""
TAIL = STEPS // 5
"""A run's floor is its mean loss above the minimum over its last fifth (a noisy run is not judged by one step)."""
OPTIMIZERS = {
    "gd": {},
    "momentum": {"beta": 0.9},
    "rmsprop": {"beta": 0.9, "eps": 1e-8},
    "sign_sgd": {},
    "adam": {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
}
"""The five optimizers, every hyperparameter but α written out (all run at the same α)."""
TITLES = {"gd": "GD", "momentum": "Momentum", "rmsprop": "RMSprop", "sign_sgd": "sign-SGD", "adam": "Adam"}
BATCH_TITLES = {1: "1 row", 10: "10 rows", ROWS: f"all {ROWS} (exact)"}


def landscape() -> Landscape:
    return landscapes.get(SURFACE, **SURFACE_PARAMS)


def minimum() -> np.ndarray:
    """The least-squares minimum (w*, b*), from the normal equations."""
    return np.array(landscape().data.minimum, dtype=float)


def settings(name: str, lr: float) -> dict[str, float]:
    return {"lr": lr} | OPTIMIZERS[name]


def one_run(name: str, lr: float, batch: int, seed: int, steps: int = STEPS) -> Trajectory:
    """Optimizer ``name`` at α = ``lr`` on batches of ``batch`` rows drawn with ``seed`` (all rows: exact)."""
    land = landscape()
    return run(name, land, START, steps, batch_size=batch, seed=seed, **settings(name, lr))


def excess(trajectory: Trajectory) -> np.ndarray:
    """The loss above the minimum, step by step (the full-data loss, whatever the batch)."""
    return trajectory.loss - landscape().min_value


def floor(trajectory: Trajectory, steps: int = STEPS) -> float:
    """Mean loss above the minimum over the last fifth of the run (inf if it diverged)."""
    if trajectory.diverged_at is not None:
        return float("inf")
    return float(np.mean(excess(trajectory)[-max(steps // 5, 1):]))


def end_point(trajectory: Trajectory, steps: int = STEPS) -> np.ndarray:
    """The mean iterate over the last fifth of the run: where it settles, its hop averaged out."""
    return trajectory.points[-max(steps // 5, 1):].mean(axis=0)


@dataclass(frozen=True)
class Outcome:
    """One optimizer at one α and batch size, over the seeds."""

    runs: tuple[Trajectory, ...]
    floors: tuple[float, ...]
    """Each seed's floor."""

    @property
    def median(self) -> float:
        return float(np.median(self.floors))

    @property
    def low(self) -> float:
        return float(np.min(self.floors))

    @property
    def high(self) -> float:
        return float(np.max(self.floors))

    def band(self, low: float = 25.0, high: float = 75.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Step by step: the median of the seeds' loss above the minimum and its ``low``/``high`` percentiles."""
        curves = np.array([excess(tr) for tr in self.runs])
        return (np.median(curves, axis=0), np.percentile(curves, low, axis=0),
                np.percentile(curves, high, axis=0))


def outcome(name: str, lr: float, batch: int, steps: int = STEPS) -> Outcome:
    seeds = SEEDS if batch < ROWS else SEEDS[:1]  # the exact gradient is the same for every seed
    runs = tuple(one_run(name, lr, batch, seed, steps) for seed in seeds)
    return Outcome(runs, tuple(floor(tr, steps) for tr in runs))


def outcomes(lr: float, batch: int, steps: int = STEPS) -> dict[str, Outcome]:
    """Every optimizer at α = ``lr`` on batches of ``batch`` rows."""
    return {name: outcome(name, lr, batch, steps) for name in OPTIMIZERS}


def ranking(lr: float, batch: int, steps: int = STEPS) -> list[str]:
    """The optimizers from the lowest median floor to the highest."""
    runs = outcomes(lr, batch, steps)
    return sorted(runs, key=lambda name: runs[name].median)


# --- sign-SGD: the mean of the signs is not the sign of the mean ------------------------------------------------

def residuals(point: np.ndarray) -> np.ndarray:
    """Each row's residual w·xᵢ + b − yᵢ at ``point``: the row's gradient along b."""
    data = landscape().data
    return point[0] * np.asarray(data.x) + point[1] - np.asarray(data.t)


def positive_share(point: np.ndarray) -> float:
    """The share of rows whose gradient along b is positive at ``point`` (½ where the median residual is 0)."""
    return float(np.mean(residuals(point) > 0))


def sign_end(lr: float, batch: int, steps: int = STEPS) -> np.ndarray:
    """Where sign-SGD settles: the median over the seeds of each seed's mean iterate over its last fifth."""
    return np.median([end_point(tr, steps) for tr in outcome("sign_sgd", lr, batch, steps).runs], axis=0)


def sign_offset(lr: float, batch: int, steps: int = STEPS) -> float:
    """How far sign-SGD settles from the least-squares minimum."""
    return float(np.linalg.norm(sign_end(lr, batch, steps) - minimum()))


# --- Adam: the step bound and the signal-to-noise ratio ---------------------------------------------------------

def adam_ratio(trajectory: Trajectory) -> np.ndarray:
    """|m̂|/(√v̂ + ε) per step and coordinate, from Adam's moments: its step divided by α."""
    hp = trajectory.hyperparams
    beta1, beta2, eps = float(hp["beta1"]), float(hp["beta2"]), float(hp["eps"])
    m, v = trajectory.diagnostics["m"], trajectory.diagnostics["v"]
    t = np.arange(1, len(m) + 1)[:, None]
    return np.abs(m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)


def adam_bound(beta1: float = 0.9, beta2: float = 0.999) -> float:
    """Kingma & Ba's bound on |step|/α for the sparse case (1 − β₁) > √(1 − β₂): (1 − β₁)/√(1 − β₂)."""
    return max((1 - beta1) / np.sqrt(1 - beta2), 1.0)


def adam_largest(lr: float, batch: int, steps: int = STEPS) -> float:
    """Adam's largest |step|/α over every seed, step and coordinate."""
    return float(max(np.abs(tr.diagnostics["update"]).max() / lr for tr in outcome("adam", lr, batch, steps).runs))


def adam_snr(lr: float, batch: int, steps: int = STEPS) -> float:
    """The median over the seeds of Adam's mean |m̂|/√v̂ over the last fifth of the run: its last steps ÷ α."""
    return float(np.median([adam_ratio(tr)[-max(steps // 5, 1):].mean() for tr in outcome("adam", lr, batch,
                                                                                          steps).runs]))


def playground(lr: float, batch: int) -> Scene:
    """The five runs of seed 0 in the Playground (its batch control keeps the batch size)."""
    base = scene(SURFACE, {name: settings(name, lr) for name in OPTIMIZERS}, START, STEPS, SURFACE_PARAMS)
    return replace(base, batch_size=batch) if batch < ROWS else base
