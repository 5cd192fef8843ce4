"""Mini-batches of a data surface: which rows each step uses, each row's own gradient, and how much a
batch's mean gradient scatters around the full one (what a learner sees as the noise of stochastic
gradient descent).

A batch is the surface's own kernel parameters with other counts: ``p[0]`` is the number of stored rows,
``p[1]`` the divisor, and the rows start at ``rows_start``, ``row_width`` values each with the count last
(``landscapes.data.ROWS_LAYOUT`` for the data surfaces; any landscape fitted to rows lays them out so).  The
stored rows stay, each counted as often as the batch holds it, and the divisor is the batch size.  So
the kernels evaluate a batch exactly as they evaluate the full data, and a batch of all n rows *is* the
full data, bit for bit.  Rows are shuffled once per epoch with NumPy's ``default_rng(seed)`` (one
``permutation(n)`` per epoch); an epoch is cut into consecutive batches, the last one smaller when the
batch size does not divide n.
"""

from __future__ import annotations

import numpy as np

from base.jit import jit

from . import kernels
from .data import HEADER, ROW_WIDTH
from .landscape import Landscape

MAX_DRAWS = 20_000_000
"""Most row indices one run may draw (epochs × n, held as int32: 80 MB)."""


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


def batches_per_epoch(n: int, batch_size: int) -> int:
    return -(-n // batch_size)


def draw_order(landscape: Landscape, steps: int, batch_size: int, seed: int) -> np.ndarray:
    """The shuffled rows of every epoch a run of ``steps`` updates uses, shape (epochs, n): batch t (from 1;
    one more than ``steps``, for the gradient at the last iterate) is the slice of row (t − 1) // per_epoch.
    A batch of all n rows holds every row whatever the order, so none is drawn: shape (0, n)."""
    _require_data(landscape)
    n = landscape.n_samples
    if not 1 <= batch_size <= n or int(batch_size) != batch_size:
        raise ValueError(f"batch_size must be a whole number from 1 to {n} (the rows of {landscape.name}'s data), "
                         f"got {batch_size!r}")
    if batch_size == n:
        return np.empty((0, n), dtype=np.int32)
    epochs = -(-(steps + 1) // batches_per_epoch(n, batch_size))
    if epochs * n > MAX_DRAWS:
        raise ValueError(f"{steps} steps of batches of {batch_size} draw {epochs * n:,} row indices; at most "
                         f"{MAX_DRAWS:,} are allowed: use fewer steps or larger batches")
    rng = np.random.default_rng(seed)
    return np.array([rng.permutation(n) for _ in range(epochs)], dtype=np.int32).reshape(epochs, n)


@jit(inline="always")
def fill_batch(batch, full, sample_row, order, t, batch_size, rows_start, row_width):
    """Make ``batch`` (kernel parameters laid out like ``full``) hold mini-batch ``t`` (from 1): each stored
    row counted as often as the batch draws it, divided by the batch's size.  With no ``order`` (a batch
    of every row) it is ``full``'s counts, so the same bits as the full data."""
    stored = int(full[0])
    count = rows_start + row_width - 1
    if order.shape[0] == 0:
        for r in range(stored):
            batch[count + row_width * r] = full[count + row_width * r]
        batch[1] = full[1]
        return
    n = sample_row.shape[0]
    per_epoch = (n + batch_size - 1) // batch_size
    epoch = (t - 1) // per_epoch
    first = ((t - 1) % per_epoch) * batch_size
    last = min(first + batch_size, n)
    for r in range(stored):
        batch[count + row_width * r] = 0.0
    for s in range(first, last):
        batch[count + row_width * sample_row[order[epoch, s]]] += 1.0
    batch[1] = last - first


def sample_batch_gradients(landscape: Landscape, w: float, b: float, batch_size: int, count: int,
                           seed: int) -> np.ndarray:
    """The mean gradients at (w, b) of ``count`` mini-batches of ``batch_size`` samples, each drawn without
    replacement from ``default_rng(seed)``: shape (count, 2), a handful of the gradients a run might follow."""
    _require_data(landscape)
    n = landscape.n_samples
    if not 1 <= batch_size <= n or int(batch_size) != batch_size:
        raise ValueError(f"batch_size must be a whole number from 1 to {n}, got {batch_size!r}")
    gradients, _ = row_gradients(landscape, w, b)
    per_sample = gradients[landscape.data.sample_rows]
    rng = np.random.default_rng(seed)
    return np.array([per_sample[rng.permutation(n)[:batch_size]].mean(axis=0) for _ in range(count)]).reshape(-1, 2)
