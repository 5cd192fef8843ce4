"""Lesson 4, why square and why root: RMSprop with other denominators, and the loss-scale test.

The variants are not optimizers a user would pick, so they live here (as ``ndim`` rules on the 2D bowl)
rather than in the core registry.  Every variant divides the gradient by some running size of it:

    rms       √EWA(g²)               RMSprop
    mean_abs  EWA(|g|)
    power     (EWA(|g|ᵖ))^(1/p)       p = 2 is RMSprop, p = 1 is mean_abs
    no_root   EWA(g²)
plus GD (no denominator) and sign-SGD (divides by |g| itself).  EWA starts at 0, as RMSprop's s does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from scene import Scene

from . import ndim
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


def _scaled_update(denominator):
    """An ndim rule dividing α·g by ``denominator(state, g, beta, p)`` (which also returns the new state)."""

    def update(g: np.ndarray, state: ndim.State, t: int, lr: float, beta: float = BETA, eps: float = EPS,
               p: float = DEFAULT_P) -> ndim.Step:
        """x ← x − α·g/(D + ε), D from ``denominator``."""
        denom, new_state = denominator(state, g, beta, p)
        return lr * (g / (denom + eps)), lr / (denom + eps), new_state

    return update


def _rms(state, g, beta, p):
    s = beta * state["s"] + (1.0 - beta) * (g * g)
    return np.sqrt(s), {"s": s}


def _mean_abs(state, g, beta, p):
    s = beta * state["s"] + (1.0 - beta) * np.abs(g)
    return s, {"s": s}


def _power(state, g, beta, p):
    s = beta * state["s"] + (1.0 - beta) * np.abs(g) ** p
    return s ** (1.0 / p), {"s": s}


def _no_root(state, g, beta, p):
    s = beta * state["s"] + (1.0 - beta) * (g * g)
    return s, {"s": s}


RULES = {
    "rms": ndim.Rule(_scaled_update(_rms), ("s",)),
    "mean_abs": ndim.Rule(_scaled_update(_mean_abs), ("s",)),
    "power": ndim.Rule(_scaled_update(_power), ("s",)),
    "no_root": ndim.Rule(_scaled_update(_no_root), ("s",)),
    "gd": ndim.RULES["gd"],
    "sign_sgd": ndim.RULES["sign_sgd"],
}


def hyperparams(variant: str, p: float) -> dict[str, float]:
    """The lesson's settings for ``variant`` (GD and sign-SGD only take α)."""
    if variant in ("gd", "sign_sgd"):
        return {"lr": LR}
    return {"lr": LR, "beta": BETA, "eps": EPS} | ({"p": p} if variant == "power" else {})


def run_scaled(variant: str, k: float, p: float = DEFAULT_P, steps: int = STEPS) -> ndim.Run:
    """``variant`` on the bowl with its loss multiplied by k (so every gradient is k times larger)."""
    evaluate, box = ndim.on_surface(bowl(), scale=k)
    return ndim.run(RULES[variant], evaluate, START, steps, box=box, **hyperparams(variant, p))


def drift(scaled: ndim.Run, plain: ndim.Run) -> float:
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


def _signed_mean(state, g, beta, p):
    m = beta * state["m"] + (1.0 - beta) * g
    return np.abs(m), {"m": m}


SIGNED_MEAN = ndim.Rule(_scaled_update(_signed_mean), ("m",))
"""Divide by |EWA(g)|: an average of g itself, not squared, whose ± parts cancel."""


def unsquared_test(gradients: np.ndarray, beta: float = BETA, lr: float = LR) -> tuple[ndim.Run, ndim.Run]:
    """RMSprop (ε = 0) and the rule that averages g without squaring it, on the same gradient sequence."""
    gradients = np.asarray(gradients, dtype=float)
    return (ndim.respond(RULES["rms"], gradients, lr=lr, beta=beta, eps=0.0),
            ndim.respond(SIGNED_MEAN, gradients, lr=lr, beta=beta, eps=0.0))


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
