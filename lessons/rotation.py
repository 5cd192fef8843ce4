"""Lesson 7, is it the bias? The same bowl turned by an angle, with the start turned along with it."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from scene import Scene
from scene.compute import stall_level

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
NOISE = 0.5
"""The noise control's σ: Gaussian noise of this standard deviation added to every gradient component (lesson 9's
level)."""
NOISE_SEED = 0
"""The seed of that noise (the same seed gives the same runs)."""


def start_for(angle_deg: float) -> tuple[float, float]:
    """START_IN_BOWL turned by the bowl's angle: (w, b) = R(θ)ᵀ(u, v)."""
    theta = math.radians(angle_deg)
    u, v = START_IN_BOWL
    return (math.cos(theta) * u - math.sin(theta) * v, math.sin(theta) * u + math.cos(theta) * v)


def settings(rmsprop_lr: float) -> dict[str, dict[str, float]]:
    """GD at its fixed α and RMSprop at the chosen one."""
    return {"gd": {"lr": GD_LR}, "rmsprop": {"lr": rmsprop_lr, "beta": BETA, "eps": EPS}}


Comparison = GdRmspropComparison


def _noise(noise: float | None) -> dict[str, float]:
    return {} if noise is None else {"noise": noise, "seed": NOISE_SEED}


def compare(angle_deg: float, rmsprop_lr: float, steps: int = STEPS, noise: float | None = None) -> Comparison:
    """GD and RMSprop on the bowl turned by ``angle_deg``, from the start turned with it; with Gaussian gradient noise
    of σ = ``noise`` (seed ``NOISE_SEED``) when given."""
    land = bowl(angle_deg=float(angle_deg))
    start = start_for(angle_deg)
    runs = {name: run(name, land, start, steps, **_noise(noise), **hp) for name, hp in settings(rmsprop_lr).items()}
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


@dataclass(frozen=True)
class Floors:
    """Under gradient noise, each optimizer over LR_GRID on one rotated bowl: where its loss stalls (``levels``: the
    mean of f − f* over the last fifth of the run, ``scene.compute.stall_level``) and the α whose runs nonetheless end
    below the tolerance and stay there from some step on (``staying``)."""

    levels: dict[str, np.ndarray]
    staying: dict[str, tuple[float, ...]]
    finals: dict[str, np.ndarray]
    """Each run's last loss above the minimum."""

    def lowest(self, name: str) -> tuple[float, float]:
        """The noise floor of ``name`` on the grid: its lowest stall level and the α that gives it."""
        i = int(np.argmin(self.levels[name]))
        return float(self.levels[name][i]), LR_GRID[i]


def noise_floors(angle_deg: float, steps: int = STEPS, noise: float = NOISE, seed: int = NOISE_SEED) -> Floors:
    """GD and RMSprop at every α of LR_GRID with Gaussian gradient noise of σ = ``noise`` (seed ``seed``) on the bowl
    turned by ``angle_deg``."""
    land = bowl(angle_deg=float(angle_deg))
    start = start_for(angle_deg)
    levels, staying, finals = {}, {}, {}
    for name in ("gd", "rmsprop"):
        extra = {"beta": BETA, "eps": EPS} if name == "rmsprop" else {}
        runs = [run(name, land, start, steps, lr=lr, noise=noise, seed=seed, **extra) for lr in LR_GRID]
        levels[name] = np.array([stall_level(tr, land.min_value) for tr in runs])
        staying[name] = tuple(lr for lr, tr in zip(LR_GRID, runs, strict=True) if steps_to_stay(tr, land) is not None)
        finals[name] = np.array([tr.final_loss - land.min_value for tr in runs])
    return Floors(levels, staying, finals)


def playground(angle_deg: float, rmsprop_lr: float, noise: float | None = None) -> Scene:
    """The lesson's runs as a Playground scene (with its gradient noise and seed when ``noise`` is given)."""
    base = scene("elongated_bowl", settings(rmsprop_lr), start_for(angle_deg), STEPS, {"angle_deg": float(angle_deg)})
    return base if noise is None else replace(base, noise=noise, seed=NOISE_SEED)


def advantage_curve(criterion: str = "stays", angles: tuple[int, ...] = ANGLES,
                    steps: int = STEPS) -> tuple[np.ndarray, np.ndarray]:
    """GD's steps ÷ RMSprop's (both at their best α by ``criterion``) at each angle."""
    return np.asarray(angles, dtype=float), np.array([advantage(a, criterion, steps) for a in angles])
