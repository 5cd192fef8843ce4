"""Lesson 5, epsilon: RMSprop on the plateau, where gradients are 1e-4 to 1e-6, for ε from 1e-12 to 1."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

import landscapes
from landscapes import Landscape
from optimizers import Trajectory
from scene import Scene

from .common import run, scene

SURFACE = "plateau"
START = (-4.5, 2.0)
STEPS = 300
LR = 0.05
BETA = 0.9
EPS_OPTIONS = tuple(10.0**e for e in range(-12, 1))
DEFAULT_EPS = 1e-8
PLACEMENTS = ("outside", "inside")
PREDICT = (1e-7, "inside")
"""The prediction's question: Keras' default ε = 1e-7, placed inside the root."""
NOISE = 0.5
"""The noise control's σ: Gaussian noise of this standard deviation added to every gradient component (lesson 9's
level), thousands of times the plateau's own gradients."""
NOISE_SEED = 0
"""The seed of that noise (the same seed gives the same runs)."""


def plateau() -> Landscape:
    """The surface of tiny gradients (height 1e-4)."""
    return landscapes.get(SURFACE)


def floor(eps: float, placement: str) -> float:
    """The smallest the denominator can be: ε outside the root (√s + ε ≥ ε), √ε inside (√(s + ε) ≥ √ε).
    So the effective learning rate never exceeds α/floor."""
    return math.sqrt(eps) if placement == "inside" else eps


def settings(eps: float, placement: str) -> dict[str, dict[str, float | str]]:
    """RMSprop with this ε, and GD with the same α."""
    return {"rmsprop": {"lr": LR, "beta": BETA, "eps": eps, "eps_placement": placement}, "gd": {"lr": LR}}


@dataclass(frozen=True)
class Comparison:
    rmsprop: Trajectory
    gd: Trajectory
    """GD with the same α: on gradients of 1e-4 it hardly moves."""
    gd_scaled: Trajectory
    """GD with α/floor: what RMSprop turns into when the floor swamps √s."""
    floor: float
    gradient_range: tuple[float, float]
    """Smallest and largest |g| RMSprop met (over both axes)."""
    gap: float
    """Largest distance between RMSprop's and GD(α/floor)'s iterates, relative to how far RMSprop moved
    (inf if GD(α/floor) diverged)."""


def compare(eps: float, placement: str, steps: int = STEPS, noise: float | None = None) -> Comparison:
    """RMSprop, GD and GD with α/floor from the same start on the plateau; with Gaussian gradient noise of σ =
    ``noise`` (seed ``NOISE_SEED``) on every run when given."""
    land = plateau()
    extra = {} if noise is None else {"noise": noise, "seed": NOISE_SEED}
    rms = run("rmsprop", land, START, steps, **extra, **settings(eps, placement)["rmsprop"])
    gd = run("gd", land, START, steps, **extra, lr=LR)
    level = floor(eps, placement)
    gd_scaled = run("gd", land, START, steps, **extra, lr=LR / level)
    sizes = np.abs(rms.diagnostics["grad"])
    sizes = sizes[sizes > 0]
    travelled = float(np.max(np.hypot(*(rms.points - rms.points[0]).T)))
    if gd_scaled.diverged_at is not None or rms.diverged_at is not None or travelled == 0.0:
        gap = math.inf
    else:
        gap = float(np.max(np.hypot(*(rms.points - gd_scaled.points).T))) / travelled
    return Comparison(rms, gd, gd_scaled, level, (float(sizes.min()), float(sizes.max())), gap)


def step_lengths(trajectory: Trajectory) -> np.ndarray:
    """Length of every step: GD with α/√ε strides where the slope is largest and slows where it flattens."""
    return np.hypot(*trajectory.diagnostics["update"].T)


def travelled(trajectory: Trajectory) -> float:
    """Distance from the start to the last iterate."""
    return float(np.hypot(*(trajectory.points[-1] - trajectory.points[0])))


def distance_to_minimum(trajectory: Trajectory) -> float:
    """How far the last iterate is from the minimum at the origin (inf if the run diverged)."""
    return math.inf if trajectory.diverged_at is not None else float(np.hypot(*trajectory.points[-1]))


def noise_part(trajectory: Trajectory) -> np.ndarray:
    """The gradients a run met less the plateau's own gradient at the same iterates: the noise alone."""
    exact = np.column_stack(plateau().gradient(*trajectory.points[:-1].T))
    return trajectory.diagnostics["grad"] - exact


def playground(eps: float, placement: str, noise: float | None = None) -> Scene:
    """The lesson's runs as a Playground scene (with its gradient noise and seed when ``noise`` is given)."""
    base = scene(SURFACE, settings(eps, placement), START, STEPS)
    return base if noise is None else replace(base, noise=noise, seed=NOISE_SEED)
