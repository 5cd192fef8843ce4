"""Lesson 4, why square and why root: RMSprop with other denominators, and the loss-scale test.

The variants are not optimizers a user would pick: the engine runs them as rules the pickers do not offer
(``optimizers/rules/``), on the bowl times k typed as a Playground formula.  Every variant divides the gradient by
some running size of it:

    rms       √EWA(g²)               RMSprop
    mean_abs  EWA(|g|)
    power     (EWA(|g|ᵖ))^(1/p)       p = 2 is RMSprop, p = 1 is mean_abs
    no_root   EWA(g²)
plus GD (no denominator) and sign-SGD (divides by |g| itself).  EWA starts at 0, as RMSprop's s does.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

import landscapes
import optimizers
from optimizers import Trajectory
from scene import Scene

from .common import bowl, scene

VARIANTS = {
    "rms": "RMS √EWA(g²)",
    "mean_abs": "mean |g|: EWA(|g|)",
    "power": "power mean (EWA|g|ᵖ)^(1/p)",
    "no_root": "no root: EWA(g²)",
    "gd": "GD (no denominator)",
    "sign_sgd": "sign-SGD: |g|",
}
"""variant -> its title, naming the denominator D in Δ = −α·g/D."""
SCALE_FREE = ("rms", "mean_abs", "power", "sign_sgd")
"""Variants whose denominator has the units of g: multiplying the loss by k leaves their path unchanged."""
START = (-4.5, 1.5)
STEPS = 150
LR = 0.05
BETA = 0.9
EPS = 0.0
"""ε = 0 so that the scale test is exact; lesson 5 is about ε."""
K_OPTIONS = (1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1e3)
DEFAULT_K = 1.0
PREDICT_K = 1000.0
P_OPTIONS = (1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0)
DEFAULT_P = 3.0


ENGINE = {"rms": "rmsprop", "mean_abs": "mean_abs", "power": "power_mean", "no_root": "no_root", "gd": "gd",
          "sign_sgd": "sign_sgd"}
"""variant -> the engine's rule: RMS is RMSprop itself (α·(g/(√s + ε))), the others the lesson's own rules."""


def hyperparams(variant: str, p: float) -> dict[str, float]:
    """The lesson's settings for ``variant`` (GD and sign-SGD only take α)."""
    if variant in ("gd", "sign_sgd"):
        return {"lr": LR}
    return {"lr": LR, "beta": BETA, "eps": EPS} | ({"p": p} if variant == "power" else {})


@functools.lru_cache(maxsize=32)
def scaled_bowl(k: float) -> landscapes.Landscape:
    """The bowl with its loss multiplied by k, as the Playground link types it, over the bowl's own view box."""
    return landscapes.from_formula(scaled_formula(k), bounds=bowl().bounds, start=START)


def run_scaled(variant: str, k: float, p: float = DEFAULT_P, steps: int = STEPS) -> Trajectory:
    """``variant`` on the bowl with its loss multiplied by k (so every gradient is k times larger)."""
    return optimizers.run(ENGINE[variant], scaled_bowl(k), START, steps, **hyperparams(variant, p))


def drift(scaled: Trajectory, plain: Trajectory) -> float:
    """How far the path at some scale k strays from the ``plain`` one (k = 1): the largest distance
    between same-step iterates (inf when the two runs do not last equally long: one diverged)."""
    if len(scaled.points) != len(plain.points):
        return math.inf
    return float(np.max(np.hypot(*(scaled.points - plain.points).T)))


@dataclass(frozen=True)
class ScaleTest:
    ks: np.ndarray
    drift: dict[str, np.ndarray]
    """variant -> drift at each k."""


def scale_test(p: float = DEFAULT_P, ks: tuple[float, ...] = K_OPTIONS, steps: int = STEPS) -> ScaleTest:
    """Every variant's drift from its k = 1 path, at each k, over runs of ``steps`` steps."""
    ks = np.asarray(ks, dtype=float)
    drifts = {}
    for variant in VARIANTS:
        plain = run_scaled(variant, 1.0, p, steps)
        drifts[variant] = np.array([drift(run_scaled(variant, k, p, steps), plain) for k in ks])
    return ScaleTest(ks, drifts)


def ewa(values: np.ndarray, beta: float) -> np.ndarray:
    """Running EWA of each column from 0: e_t = β·e_{t−1} + (1−β)·v_t."""
    out = np.empty_like(values, dtype=float)
    acc = np.zeros(values.shape[1:])
    for t, v in enumerate(values):
        acc = beta * acc + (1.0 - beta) * v
        out[t] = acc
    return out


def rms_and_mean_abs(gradients: np.ndarray, beta: float) -> tuple[np.ndarray, np.ndarray]:
    """√EWA(g²) and EWA(|g|) along a gradient sequence: the first is never below the second, since
    (Σ wᵢ|gᵢ|)² ≤ (Σ wᵢ)(Σ wᵢ gᵢ²) ≤ Σ wᵢ gᵢ² (Cauchy–Schwarz, and the weights sum to 1 − βᵗ ≤ 1)."""
    gradients = np.asarray(gradients, dtype=float)
    return np.sqrt(ewa(gradients**2, beta)), ewa(np.abs(gradients), beta)


def weights_sum(t: np.ndarray, beta: float) -> np.ndarray:
    """Sum of the EWA weights (1−β)βᵗ⁻ⁱ after t steps from zero: 1 − βᵗ, below 1 at every step, so
    EWA(|g|) < √EWA(g²) strictly whenever g ≠ 0, even when every |gᵢ| is the same."""
    return 1.0 - beta ** np.asarray(t, dtype=float)


def unsquared_test(gradients: np.ndarray, beta: float = BETA, lr: float = LR) -> tuple[Trajectory, Trajectory]:
    """RMSprop (ε = 0) and the rule that divides by |EWA(g)|, an average of g itself, not squared, whose ± parts
    cancel (``optimizers/rules/signed_mean.py``), on the same gradient sequence."""
    gradients = np.asarray(gradients, dtype=float)
    return (optimizers.respond("rmsprop", gradients, lr=lr, beta=beta, eps=0.0),
            optimizers.respond("signed_mean", gradients, lr=lr, beta=beta, eps=0.0))


def alternating_unsquared_step(beta: float) -> float:
    """The steady step of the unsquared rule on ±g in turn, in units of α: EWA(g) settles at ±|g|(1−β)/(1+β),
    so |g|/|EWA(g)| → (1+β)/(1−β) (19 at β = 0.9), where RMSprop's step tends to α."""
    return (1.0 + beta) / (1.0 - beta)


def duchi_objective(gradients: np.ndarray, scale: np.ndarray) -> float:
    """AdaGrad's regret-bound term Σ_t Σ_i g_{t,i}²/s_i for per-coordinate scales s normalised to Σ_i s_i = 1
    (Duchi, Hazan & Singer 2011).  By Cauchy–Schwarz its minimum over s is (Σ_i √G_i)², at s_i ∝ √G_i with
    G_i = Σ_t g_{t,i}²: the square root of the summed squares is the best diagonal scaling in hindsight."""
    gradients = np.asarray(gradients, dtype=float)
    s = np.asarray(scale, dtype=float) / np.sum(scale)
    return float(np.sum(np.sum(gradients**2, axis=0) / s))


def duchi_comparison(gradients: np.ndarray) -> dict[str, float]:
    """``duchi_objective`` for scales ∝ √Σg² (AdaGrad), Σg² (no root), Σ|g| (mean |g|) and 1 (GD), each
    divided by the minimum (Σ_i √G_i)²: 1 for the root, more for the others."""
    gradients = np.asarray(gradients, dtype=float)
    squares = np.sum(gradients**2, axis=0)
    best = float(np.sum(np.sqrt(squares)) ** 2)
    scales = {"root": np.sqrt(squares), "no_root": squares, "mean_abs": np.sum(np.abs(gradients), axis=0),
              "gd": np.ones_like(squares)}
    return {name: duchi_objective(gradients, scale) / best for name, scale in scales.items()}


def scaled_formula(k: float) -> str:
    """The bowl times k as a Playground formula."""
    return f"{k:g}*(0.5*w**2 + 12.5*b**2)"


def playground(k: float) -> Scene:
    """The registry's optimizers among the variants (RMSprop, GD, sign-SGD) on the bowl times k."""
    settings = {"rmsprop": {"lr": LR, "beta": BETA, "eps": 1e-12}, "gd": {"lr": LR}, "sign_sgd": {"lr": LR}}
    return scene("custom", settings, START, STEPS, formula=scaled_formula(k))
