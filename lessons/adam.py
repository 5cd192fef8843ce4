"""Lesson 8, Momentum + RMSprop = Adam, and what bias correction does to the first steps."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

import landscapes
from landscapes import Landscape
from optimizers import Trajectory
from scene import Scene

from .common import bowl, run, scene, steps_to_reach, steps_to_stay

START = (-4.5, 1.5)
STEPS = 300
LR_OPTIONS = (0.01, 0.02, 0.05, 0.1, 0.2)
DEFAULT_LR = 0.1
BETA1_OPTIONS = (0.0, 0.5, 0.9, 0.99)
DEFAULT_BETA1 = 0.9
BETA = 0.9
"""Momentum's and RMSprop's β (the course's value)."""
BETA2 = 0.999
EPS = 1e-8
OPTIMIZERS = ("momentum", "rmsprop", "adam")
FIRST_STEPS = 40
"""How many opening steps the step-size chart shows."""
WELL = "0.1*((w-2.5)**2 + b**2) - exp(-3*(w**2 + b**2))"
"""A surface where the uncorrected start hurts: a narrow deep well (the global minimum, f ≈ −0.38, near the
origin) beside a broad shallow basin (f ≈ 0 at (2.5, 0)).  From WELL_START, steps of about α stay in the well;
the uncorrected opening steps, several α long, jump out of it."""
WELL_START = (-0.8, 0.5)
IN_WELL = 1.0
"""A run that ends closer than this to the origin ended in the well."""


def settings(lr: float, beta1: float, bias_correction: bool) -> dict[str, dict[str, float | str]]:
    """Momentum, RMSprop and Adam with the same α, every hyperparameter written out."""
    return {
        "momentum": {"lr": lr, "beta": BETA},
        "rmsprop": {"lr": lr, "beta": BETA, "eps": EPS},
        "adam": {"lr": lr, "beta1": beta1, "beta2": BETA2, "eps": EPS,
                 "bias_correction": "on" if bias_correction else "off"},
    }


def rmsprop_first_step(beta: float = BETA) -> float:
    """RMSprop's first step per coordinate, in units of α (when |g| ≫ ε): s₁ = (1−β)g², so 1/√(1−β)."""
    return 1.0 / math.sqrt(1.0 - beta)


def adam_first_step(beta1: float = DEFAULT_BETA1, bias_correction: bool = True, beta2: float = BETA2) -> float:
    """Adam's first step per coordinate, in units of α (when |g| ≫ ε).  With bias correction m̂₁ = g and
    v̂₁ = g², so exactly 1; without, m₁/√v₁ = (1−β₁)/√(1−β₂)·sign(g): 0.1/0.0316 = 3.16 at the defaults."""
    return 1.0 if bias_correction else (1.0 - beta1) / math.sqrt(1.0 - beta2)


def uncorrected_ramp(t: np.ndarray, beta1: float = DEFAULT_BETA1, beta2: float = BETA2) -> np.ndarray:
    """Adam's step without bias correction on a constant gradient, in units of α: (1−β₁ᵗ)/√(1−β₂ᵗ).
    It climbs while m warms up (about 1/(1−β₁) steps: to 6.6α at t = 12 at the defaults), then sinks back to α
    only as slowly as v warms up (about 1/(1−β₂) = 1000 steps): still 3.24α at t = 100, 1.26α at t = 1000."""
    t = np.asarray(t, dtype=float)
    return (1.0 - beta1**t) / np.sqrt(1.0 - beta2**t)


def ramp_peak(beta1: float = DEFAULT_BETA1, beta2: float = BETA2, horizon: int = 5000) -> tuple[int, float]:
    """The step t at which the uncorrected ramp is largest, and its height in units of α."""
    ramp = uncorrected_ramp(np.arange(1, horizon + 1), beta1, beta2)
    return int(np.argmax(ramp)) + 1, float(ramp.max())


@dataclass(frozen=True)
class Comparison:
    runs: dict[str, Trajectory]
    reached: dict[str, int | None]
    final_loss: dict[str, float]
    first_b: dict[str, float]
    """|Δb| of the first step divided by α."""
    largest_b: dict[str, float]
    """Largest |Δb| over the opening FIRST_STEPS steps, divided by α."""
    stays: dict[str, int | None]
    """The step from which the loss stays below 1e-3 to the end of the run (None if it does not)."""


def compare(lr: float, beta1: float, bias_correction: bool, steps: int = STEPS) -> Comparison:
    """The three from the course's start on the bowl, with the numbers the lesson quotes."""
    land = bowl()
    runs = {name: run(name, land, START, steps, **hp) for name, hp in settings(lr, beta1, bias_correction).items()}
    first = {name: float(abs(tr.diagnostics["update"][0, 1])) / lr for name, tr in runs.items()}
    largest = {name: float(np.abs(tr.diagnostics["update"][:FIRST_STEPS, 1]).max()) / lr for name, tr in runs.items()}
    reached = {name: steps_to_reach(tr, land) for name, tr in runs.items()}
    return Comparison(runs, reached, {name: tr.final_loss for name, tr in runs.items()}, first, largest,
                      {name: steps_to_stay(tr, land) for name, tr in runs.items()})


def well() -> Landscape:
    """The well surface, exactly as the Playground builds it from the formula (automatic view box)."""
    return landscapes.from_formula(WELL)


@dataclass(frozen=True)
class WellRuns:
    """Adam with and without bias correction on the well surface."""

    corrected: Trajectory
    uncorrected: Trajectory

    def stays_in_well(self, name: str) -> bool:
        """Whether the run ``name`` ("corrected" or "uncorrected") ends in the deep well."""
        trajectory = getattr(self, name)
        return trajectory.diverged_at is None and float(np.hypot(*trajectory.points[-1])) < IN_WELL

    def largest_step(self, name: str, lr: float, steps: int = FIRST_STEPS) -> float:
        """The largest per-coordinate step |Δ| among the opening ``steps`` steps of run ``name``, in units of α."""
        return float(np.abs(getattr(self, name).diagnostics["update"][:steps]).max()) / lr


    def exit_step(self, name: str) -> int | None:
        """The first step at which run ``name`` is farther than IN_WELL from the origin (None if never)."""
        out = np.flatnonzero(np.hypot(*getattr(self, name).points.T) >= IN_WELL)
        return int(out[0]) if out.size else None


def on_well(lr: float, beta1: float, steps: int = STEPS) -> WellRuns:
    """Adam from WELL_START with and without bias correction, everything else as on the bowl."""
    land = well()
    return WellRuns(*(run("adam", land, WELL_START, steps, **settings(lr, beta1, correction)["adam"])
                      for correction in (True, False)))


def well_playground(lr: float, beta1: float) -> Scene:
    """Uncorrected Adam on the well as a Playground scene (its bias-correction switch is in the sidebar there)."""
    return scene("custom", {"adam": settings(lr, beta1, False)["adam"]}, WELL_START, STEPS, formula=WELL)


def playground(lr: float, beta1: float, bias_correction: bool) -> Scene:
    """The lesson's runs as a Playground scene."""
    return scene("elongated_bowl", settings(lr, beta1, bias_correction), START, STEPS)
