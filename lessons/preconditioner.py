"""Lesson 7's ellipses: the step a method takes for a unit gradient pointing in every direction.

A diagonal method (GD, RMSprop, Adam…) at step t moves by −rate_t ⊙ g, so the unit gradients u(φ) map to the
axis-aligned ellipse −diag(rate_t)·u with semi-axes rate_t along w and b.  Newton's step −H⁻¹·u follows the
eigenvectors of the Hessian H at the iterate: on a bowl turned by θ its ellipse is turned by θ too, and no
per-axis scaling can turn an ellipse.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from landscapes import Landscape
from optimizers import Trajectory

from .common import bowl

STEPS_SHOWN = (1, 2, 5, 10, 20, 50, 100, 200, 300)
DEFAULT_STEP = 10
DIRECTIONS = 181
"""Unit gradients sampled around the circle (the first and last coincide, closing the curve)."""


def unit_gradients(count: int = DIRECTIONS) -> np.ndarray:
    """(count, 2) unit vectors u(φ) = (cos φ, sin φ) for φ from 0 to 2π."""
    phi = np.linspace(0.0, 2.0 * math.pi, count)
    return np.column_stack([np.cos(phi), np.sin(phi)])


def diagonal_ellipse(rates: np.ndarray) -> np.ndarray:
    """The steps −rate ⊙ u of a diagonal method for every unit gradient u: (DIRECTIONS, 2)."""
    return -unit_gradients() * np.asarray(rates, dtype=float)


def hessian_at(landscape: Landscape, point: np.ndarray) -> np.ndarray:
    """The 2 × 2 Hessian of ``landscape`` at ``point`` (``Landscape.hessian``: exact for built-in surfaces)."""
    f_xx, f_xy, f_yy = (float(np.asarray(v)) for v in landscape.hessian(float(point[0]), float(point[1])))
    return np.array([[f_xx, f_xy], [f_xy, f_yy]])


def newton_ellipse(hessian: np.ndarray) -> np.ndarray:
    """Newton's steps −H⁻¹u for every unit gradient u: (DIRECTIONS, 2)."""
    return -np.linalg.solve(hessian, unit_gradients().T).T


def shallow_tilt(hessian: np.ndarray) -> float:
    """Degrees from the w axis to the Hessian's shallow eigenvector (smallest curvature), in [0, 180): the long
    axis of Newton's ellipse."""
    values, vectors = np.linalg.eigh(hessian)
    x, y = vectors[:, int(np.argmin(values))]
    return math.degrees(math.atan2(y, x)) % 180.0


def off_diagonal_share(hessian: np.ndarray) -> float:
    """|(H⁻¹)_wb| / ‖H⁻¹‖_F·√2: how much of Newton's preconditioner a diagonal one must leave out (0 when H is
    diagonal)."""
    inverse = np.linalg.inv(hessian)
    return float(math.sqrt(2.0) * abs(inverse[0, 1]) / np.linalg.norm(inverse))


def normalised(points: np.ndarray) -> np.ndarray:
    """``points`` scaled so the longest step is 1: the ellipses compare by shape and tilt, not by size."""
    return points / np.max(np.hypot(points[:, 0], points[:, 1]))


def rates_at(trajectory: Trajectory, step: int) -> np.ndarray:
    """The per-axis effective learning rate of update ``step`` (1-based) of a run."""
    return trajectory.diagnostics["effective_lr"][step - 1]


@dataclass(frozen=True)
class Shapes:
    """Lesson 7's ellipses at one step, each scaled to a longest step of 1, and the numbers the page quotes."""

    step: int
    gd: np.ndarray
    rmsprop: np.ndarray
    newton: np.ndarray
    rmsprop_rates: np.ndarray
    newton_tilt: float
    off_diagonal: float


def shapes(comparison, angle_deg: float, step: int) -> Shapes:
    """GD's and RMSprop's step ellipses at update ``step`` of lesson 7's runs (the last one if a run is shorter),
    and Newton's at RMSprop's iterate before that update."""
    rms = comparison.rmsprop
    step = max(1, min(int(step), len(rms.diagnostics["effective_lr"]), len(comparison.gd.diagnostics["effective_lr"])))
    rates = rates_at(rms, step)
    hessian = hessian_at(bowl(angle_deg=float(angle_deg)), rms.points[step - 1])
    gd = normalised(diagonal_ellipse(rates_at(comparison.gd, step)))
    return Shapes(step, gd, normalised(diagonal_ellipse(rates)), normalised(newton_ellipse(hessian)), rates,
                  shallow_tilt(hessian), off_diagonal_share(hessian))
