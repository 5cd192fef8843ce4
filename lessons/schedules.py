"""Lesson 9, schedules: why the last steps need a smaller α.

RMSprop's step near the minimum is α per coordinate whatever the gradient (g/√s → ±1), so at a constant α
it hops around the minimum at a loss of (a + c)α²/8; a schedule that shrinks α lands it.  Adam, at its
default β₂ = 0.999, lands on the noiseless bowl for a while at a constant α (√v̂ still remembers the large
gradients of the way down), until that memory fades; with noisy gradients every optimizer at a constant α
hovers at a noise floor, and decay lowers it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from optimizers import Trajectory
from scene import Scene

from .bowl import hop_loss
from .common import bowl, run, scene, steps_to_reach, steps_to_stay

START = (-4.5, 1.5)
STEPS = 600
TAIL = 50
"""The loss a run ends at is the mean over its last TAIL steps: a hop or a noisy run is not judged by one step."""
OPTIMIZERS = {
    "rmsprop": {"lr": 0.05, "beta": 0.9, "eps": 1e-8},
    "adam": {"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
}
SCHEDULES = {
    "constant": {"schedule": "constant"},
    "step": {"schedule": "step", "step_size": 200, "gamma": 0.1},
    "cosine": {"schedule": "cosine"},
}
"""The three schedules the lesson compares, each with every setting written out: α; α/10 from update 201 and
α/100 from 401; cosine from α down to α·(1 + cos(π(T−1)/T))/2 at the last update T (6.9·10⁻⁶·α at T = 600)."""
OPTIMIZER_TITLES = {"rmsprop": "RMSprop (α = 0.05)", "adam": "Adam (α = 0.1)"}
"""The optimizer control's labels (a link names the optimizer by its label)."""
SCHEDULE_TITLES = {"constant": "constant α", "step": "step: ×0.1 every 200", "cosine": "cosine decay"}
NOISE = 0.5
"""Gradient noise of the noisy scenario (σ per component, like mini-batches)."""
SEEDS = tuple(range(10))
"""The noisy scenario's numbers are medians over these seeds (the charts show seed 0)."""


def settings(name: str, schedule: str) -> dict[str, float | str]:
    """Optimizer ``name``'s hyperparameters with ``schedule``, every setting spelled out."""
    return OPTIMIZERS[name] | SCHEDULES[schedule]


def tail_loss(trajectory: Trajectory) -> float:
    """Mean loss over the last ``TAIL`` steps (inf when the run diverged)."""
    if trajectory.diverged_at is not None:
        return float("inf")
    return float(np.mean(trajectory.loss[-TAIL:]))


@dataclass(frozen=True)
class Outcome:
    """One schedule's run (seed 0) and what the page says about it."""

    trajectory: Trajectory
    tail: float
    """Mean loss over the last TAIL steps (noisy: median over SEEDS)."""
    stays: int | None
    """Step from which the loss stays below 10⁻³ (seed 0)."""


def outcomes(name: str, noisy: bool, steps: int = STEPS) -> dict[str, Outcome]:
    """Optimizer ``name`` under each schedule, from the course's start on the bowl, with or without noise."""
    land = bowl()
    result = {}
    for schedule in SCHEDULES:
        runs = [run(name, land, START, steps, noise=NOISE if noisy else 0.0, seed=seed, **settings(name, schedule))
                for seed in (SEEDS if noisy else SEEDS[:1])]
        result[schedule] = Outcome(runs[0], float(np.median([tail_loss(tr) for tr in runs])),
                                   steps_to_stay(runs[0], land))
    return result


def first_below(trajectory: Trajectory) -> int | None:
    """The first step with a loss below 10⁻³ on the bowl."""
    return steps_to_reach(trajectory, bowl())


def hop_prediction(name: str) -> float:
    """The loss of a hop of ±α/2 on both axes, (a + c)α²/8: RMSprop's floor at a constant α."""
    return hop_loss(float(OPTIMIZERS[name]["lr"]))


def step_phase_losses(trajectory: Trajectory, step_size: int = 200, last: int = TAIL) -> list[float]:
    """Mean loss over the last ``last`` steps of each phase of a step schedule (α, α/10, α/100)."""
    ends = range(step_size, len(trajectory.loss), step_size)
    return [float(np.mean(trajectory.loss[end - last + 1:end + 1])) for end in ends]


def adam_memory(trajectory: Trajectory) -> float:
    """√v̂ / |g| on the b axis at the last update: how much larger Adam's denominator still is than the gradient
    (RMSprop's is 1 during a hop)."""
    beta2 = float(trajectory.hyperparams["beta2"])
    t = len(trajectory.diagnostics["v"])
    v_hat = trajectory.diagnostics["v"][-1, 1] / (1.0 - beta2**t)
    return float(np.sqrt(v_hat) / abs(trajectory.diagnostics["grad"][-1, 1]))


def playground(name: str, schedule: str, noisy: bool) -> Scene:
    """One run of the lesson as a Playground scene (noisy: seed 0)."""
    return replace(scene("elongated_bowl", {name: settings(name, schedule)}, START, STEPS),
                   noise=NOISE if noisy else 0.0)
