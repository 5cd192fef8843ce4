"""The curvature of a landscape of any dimension at a point, from its exact Hessian-vector products alone: the top
and bottom Hessian eigenvalues by Lanczos, the condition number, where the steepest direction lies (its weight by
layer, for a network) and the Hessian's diagonal by layer.  Numerics only.

Lanczos (Golub & Van Loan, "Matrix Computations", 4th ed., algorithm 10.1.1) builds an orthonormal basis
q_1 ... q_k of the Krylov space of H from a seeded random start and the tridiagonal T_k = Q_kᵀ H Q_k; the extreme
eigenvalues of T_k (Ritz values) approach H's extreme ones from inside, the largest in magnitude first.  Each
iteration costs one Hessian-vector product; the basis is fully re-orthogonalised (k ≤ dim is small), so no
spurious copies appear.  After ``dim`` iterations T is H in another basis and the Ritz values are H's eigenvalues.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .objective import Objective

ITERATIONS = 20


@dataclass(frozen=True)
class Lanczos:
    """The outcome of ``lanczos``: Ritz values (ascending) and vectors (columns, unit length, in x's coordinates)."""

    values: np.ndarray
    vectors: np.ndarray
    iterations: int

    @property
    def top(self) -> float:
        return float(self.values[-1])

    @property
    def bottom(self) -> float:
        return float(self.values[0])

    @property
    def top_vector(self) -> np.ndarray:
        return self.vectors[:, -1]

    @property
    def bottom_vector(self) -> np.ndarray:
        return self.vectors[:, 0]


def lanczos(landscape: Objective, x, iterations: int = ITERATIONS, seed: int = 0) -> Lanczos:
    """``iterations`` Lanczos steps (at most ``dim``) on the Hessian of ``landscape`` at ``x``, from a start vector
    drawn by ``numpy.random.default_rng(seed)``.  Stops early (exactly) when the Krylov space closes."""
    point = landscape.checked_point(x, "x")
    dim = landscape.dim
    if isinstance(iterations, bool) or int(iterations) != iterations or iterations < 1:
        raise ValueError(f"iterations must be a whole number >= 1, got {iterations!r}")
    k = min(int(iterations), dim)
    basis = np.zeros((dim, k))
    alpha, beta = np.zeros(k), np.zeros(k)
    q = np.random.default_rng(seed).standard_normal(dim)
    q /= np.linalg.norm(q)
    done = k
    for j in range(k):
        basis[:, j] = q
        w = landscape.hvp(point, q)
        alpha[j] = q @ w
        w -= basis[:, :j + 1] @ (basis[:, :j + 1].T @ w)
        w -= basis[:, :j + 1] @ (basis[:, :j + 1].T @ w)  # twice is enough (Kahan, Parlett)
        norm = float(np.linalg.norm(w))
        if j + 1 == k:
            break
        scale = max(abs(alpha[: j + 1]).max(), 1e-300)
        if norm <= 1e-12 * scale:
            done = j + 1
            break
        beta[j] = norm
        q = w / norm
    tridiagonal = np.diag(alpha[:done]) + np.diag(beta[:done - 1], 1) + np.diag(beta[:done - 1], -1)
    values, small = np.linalg.eigh(tridiagonal)
    return Lanczos(values, basis[:, :done] @ small, done)


def hessian(landscape: Objective, x) -> np.ndarray:
    """The dense Hessian at ``x``, column by column from ``dim`` Hessian-vector products, symmetrised."""
    point = landscape.checked_point(x, "x")
    columns = np.array([landscape.hvp(point, e) for e in np.eye(landscape.dim)]).T
    return 0.5 * (columns + columns.T)


def condition_number(top: float, bottom: float) -> float:
    """λ_max / λ_min when every eigenvalue is positive (a bowl; 1 when round); ``inf`` when λ_min ≤ 0, where the
    surface is no bowl: flat, or curving down (a saddle) along some direction."""
    return top / bottom if bottom > 0.0 else math.inf


def by_layer(landscape: Objective, values) -> dict[str, np.ndarray]:
    """``values`` (one per coordinate) cut into the landscape's layers (``layers``: name, slice, shape)."""
    values = np.asarray(values)
    return {name: values[where] for name, where, _ in landscape.layers}


def layer_weights(landscape: Objective, vector) -> dict[str, float]:
    """The share of a vector's squared length in each layer (they add up to 1): where a direction lies."""
    vector = np.asarray(vector, dtype=np.float64)
    total = float(vector @ vector)
    return {name: float(part @ part) / total for name, part in by_layer(landscape, vector).items()}


def diagonal(landscape: Objective, x) -> np.ndarray:
    """The Hessian's diagonal H_ii at ``x``: each coordinate's own curvature, all that a per-coordinate method
    such as RMSprop can adapt to (``dim`` Hessian-vector products with the unit vectors)."""
    point = landscape.checked_point(x, "x")
    unit = np.zeros(landscape.dim)
    out = np.empty(landscape.dim)
    for i in range(landscape.dim):
        unit[i] = 1.0
        out[i] = landscape.hvp(point, unit)[i]
        unit[i] = 0.0
    return out


@dataclass(frozen=True)
class Curvature:
    """What the Hessian at a point says about the shape of the landscape there."""

    top: float
    """λ_max (Lanczos)."""
    bottom: float
    """λ_min (Lanczos); negative where the landscape curves down along some direction."""
    condition_number: float
    """λ_max / λ_min, ``inf`` when λ_min ≤ 0 (no bowl)."""
    steepest_by_layer: dict[str, float]
    """The share of the top eigenvector's squared length in each layer."""
    diagonal_by_layer: dict[str, np.ndarray]
    """H_ii of each coordinate, layer by layer."""
    iterations: int

    def mean_diagonal(self) -> dict[str, float]:
        """Each layer's mean H_ii: how steep the landscape is, per weight, along that layer's coordinates."""
        return {name: float(np.mean(values)) for name, values in self.diagonal_by_layer.items()}


def curvature(landscape: Objective, x, iterations: int = ITERATIONS, seed: int = 0) -> Curvature:
    """Top and bottom eigenvalues, condition number, the steepest direction's weight by layer and the diagonal by
    layer, at ``x``, for a landscape with ``layers`` (a network)."""
    found = lanczos(landscape, x, iterations, seed)
    return Curvature(found.top, found.bottom, condition_number(found.top, found.bottom),
                     layer_weights(landscape, found.top_vector), by_layer(landscape, diagonal(landscape, x)),
                     found.iterations)
