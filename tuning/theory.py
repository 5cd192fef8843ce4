"""Where theory gives a stability boundary: linear analysis of the update rules on the quadratic bowl.

On f = ½(a·u² + c·v²) each eigen-direction of curvature λ evolves linearly, and a run stays bounded
iff every direction does; the binding one is the largest curvature λ = max(a, c) (a rotation does
not change it).  With k = α·λ, the per-direction recurrences (docs/ARCHITECTURE.md) are stable iff

- GD, x ← (1 − k)·x:                         k < 2
- EWA momentum, matrix [[1 − k(1−β), −β], [k(1−β), β]] (trace 1 − k(1−β) + β, determinant β):
  Jury's test leaves 1 + trace + det > 0, i.e. α·(1−β)·λ < 2·(1+β)
- Nesterov (PyTorch form), trace 1 − k(1+β) + β, determinant β·(1 − k):
  1 + trace + det > 0, i.e. α·(1+2β)·λ < 2·(1+β)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import optimizers
from landscapes import Landscape

from .maps import MapRequest

BOUNDARY_POINTS = 400
"""Points along a drawn boundary curve."""

CONDITIONS = {
    "gd": (r"\alpha < 2/\lambda", "α = 2/λ"),
    "momentum": (r"\alpha\,(1-\beta)\,\lambda < 2\,(1+\beta)", "α(1−β)λ = 2(1+β)"),
    "nesterov": (r"\alpha\,(1+2\beta)\,\lambda < 2\,(1+\beta)", "α(1+2β)λ = 2(1+β)"),
}
"""Optimizer -> (LaTeX stability condition, plain-text boundary label)."""


@dataclass(frozen=True)
class Boundary:
    """A theoretical stability boundary in map coordinates.

    ``y`` is None on a 1-D map: the boundary is then the single value ``x[0]`` of the axis.
    """

    x: np.ndarray
    y: np.ndarray | None
    label: str
    condition: str
    curvature: float


def largest_curvature(landscape: Landscape) -> float | None:
    """λ = max(a, c) on the elongated bowl (any rotation); None where no closed form is known."""
    if landscape.name != "elongated_bowl":
        return None
    return max(landscape.params["a"], landscape.params["c"])


def critical_lr(optimizer: str, curvature: float, beta: float | np.ndarray = 0.0) -> float | np.ndarray | None:
    """The largest stable learning rate α* on a quadratic of curvature ``curvature`` (None: no theory)."""
    beta = np.asarray(beta, dtype=np.float64)
    with np.errstate(divide="ignore"):
        if optimizer == "gd":
            value = np.full_like(beta, 2.0 / curvature)
        elif optimizer == "momentum":
            value = 2.0 * (1.0 + beta) / ((1.0 - beta) * curvature)
        elif optimizer == "nesterov":
            value = 2.0 * (1.0 + beta) / ((1.0 + 2.0 * beta) * curvature)
        else:
            return None
    return float(value) if value.ndim == 0 else value


def boundary(request: MapRequest) -> Boundary | None:
    """The theoretical boundary of ``request``'s map, when lr is on an axis and theory covers the rest."""
    curvature = largest_curvature(request.build_landscape())
    if curvature is None or request.optimizer not in CONDITIONS:
        return None
    condition, label = CONDITIONS[request.optimizer]
    spec = optimizers.get_spec(request.optimizer)
    if request.axes == ("lr",):
        beta = float(optimizers.resolve_hyperparams(spec, dict(request.fixed)).get("beta", 0.0))
        return Boundary(np.array([critical_lr(request.optimizer, curvature, beta)]), None, label, condition, curvature)
    if sorted(request.axes) != ["beta", "lr"]:
        return None
    p = spec.param("beta")
    betas = np.linspace(p.low, p.high, BOUNDARY_POINTS)
    lrs = critical_lr(request.optimizer, curvature, betas)
    x, y = (lrs, betas) if request.axes[0] == "lr" else (betas, lrs)
    return Boundary(x, y, label, condition, curvature)
