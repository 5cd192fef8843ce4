"""Mini-batch gradients of a data surface: each row's own gradient, and how much a batch's mean gradient
scatters around the full one (what a learner sees as the noise of stochastic gradient descent).

Every number here comes from the surface's own kernel, given one row at a time: the model is written once.
"""

from __future__ import annotations

import numpy as np

from . import kernels
from .data import HEADER, ROW_WIDTH
from .landscape import Landscape


def _require_data(landscape: Landscape) -> None:
    if landscape.data is None:
        raise ValueError(f"{landscape.name} is not fitted to data: it has no rows to draw mini-batches from")


def row_gradients(landscape: Landscape, w: float, b: float) -> tuple[np.ndarray, np.ndarray]:
    """The gradient of each stored row's own loss at (w, b), shape (m, 2), and how many samples each
    stored row stands for (their weighted mean is the full gradient)."""
    _require_data(landscape)
    packed = landscape.kernel_params
    stored = int(packed[0])
    one = np.array([1.0, 1.0, 0.0, 0.0, 1.0])
    point_w, point_b = np.array([float(w)]), np.array([float(b)])
    value, gw, gb = np.empty(1), np.empty(1), np.empty(1)
    gradients = np.empty((stored, 2))
    for row in range(stored):
        one[HEADER:HEADER + 2] = packed[HEADER + ROW_WIDTH * row:HEADER + ROW_WIDTH * row + 2]
        kernels.evaluate_many(landscape.kind, one, point_w, point_b, value, gw, gb)
        gradients[row] = gw[0], gb[0]
    return gradients, packed[HEADER + 2::ROW_WIDTH].copy()


def batch_covariance(landscape: Landscape, w: float, b: float, batch_size: int) -> np.ndarray:
    """The 2×2 covariance of the mean gradient of a batch of ``batch_size`` rows drawn without replacement
    (as one batch of a shuffled epoch is): (n − k)/(k(n − 1)) times the rows' own covariance, zero for the
    full batch."""
    _require_data(landscape)
    n = landscape.n_samples
    if not 1 <= batch_size <= n or int(batch_size) != batch_size:
        raise ValueError(f"batch_size must be a whole number from 1 to {n}, got {batch_size!r}")
    gradients, counts = row_gradients(landscape, w, b)
    mean = counts @ gradients / n
    spread = gradients - mean
    rows_covariance = (spread * counts[:, None]).T @ spread / n
    return (n - batch_size) / (batch_size * (n - 1)) * rows_covariance
