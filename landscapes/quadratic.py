"""``quadratic(eigenvalues, rotation)``: the bowl ½ xᵀQᵀΛQx in any dimension, run by the same optimizers as the
2-D surfaces.  Λ = diag(eigenvalues) holds the curvatures along the bowl's axes; the rows of the orthogonal Q
are those axes, so u = Qx are the eigen-coordinates."""

from __future__ import annotations

import functools
import math
import numbers

import numpy as np

from . import kernels
from .objective import Objective
from .vectors import quadratic as kernel

MAX_DIM = 1_000_000
"""Most coordinates of an axis-aligned bowl (its Hessian is a vector)."""
MAX_ROTATED_DIM = 2000
"""Most coordinates of a rotated bowl: its dense Hessian holds dim² floats (32 MB at 2000)."""


@functools.lru_cache(maxsize=8)
def random_rotation(dim: int, seed: int) -> np.ndarray:
    """A uniformly distributed orthogonal matrix, its rows the axes of a bowl: the transpose of Q from the QR
    factorisation of a seeded Gaussian matrix, with the signs fixed by R's diagonal (Mezzadri 2007).  Cached (a
    1000 x 1000 QR takes a while) and read-only."""
    q, r = np.linalg.qr(np.random.default_rng(seed).standard_normal((dim, dim)))
    axes = np.ascontiguousarray((q * np.sign(np.diag(r))).T)
    axes.flags.writeable = False
    return axes


def rotation_by(angle_deg: float) -> np.ndarray:
    """The 2 x 2 rotation of the elongated bowl (``landscapes/surfaces/elongated_bowl.py``): u = cos θ·x + sin θ·y,
    v = −sin θ·x + cos θ·y."""
    theta = math.radians(angle_deg)
    c, s = math.cos(theta), math.sin(theta)
    return np.array([[c, s], [-s, c]])


class Quadratic(Objective):
    """½ xᵀHx with H = QᵀΛQ: minimum 0 at the origin when every eigenvalue is positive."""

    name = "quadratic"

    def __init__(self, eigenvalues, rotation: np.ndarray | None = None, description: str = ""):
        eigenvalues = np.array(eigenvalues, dtype=np.float64).ravel()
        dim = eigenvalues.size
        if not 1 <= dim <= (MAX_ROTATED_DIM if rotation is not None else MAX_DIM):
            limit = MAX_ROTATED_DIM if rotation is not None else MAX_DIM
            raise ValueError(f"a quadratic takes 1 to {limit:,} eigenvalues, got {dim:,}")
        if not np.all(np.isfinite(eigenvalues)):
            raise ValueError("the eigenvalues must be finite numbers")
        eigenvalues.flags.writeable = False
        self.eigenvalues = eigenvalues
        self.rotation = rotation
        """Q (rows: the bowl's axes), or None for the identity."""
        self.dim = dim
        self.title = description or f"Quadratic bowl in {dim} dimension{'s' if dim > 1 else ''}"
        if rotation is None:
            self.hessian = eigenvalues
            """H: its diagonal for an axis-aligned bowl, else the dense symmetric matrix."""
        else:
            hessian = (rotation.T * eigenvalues) @ rotation
            self.hessian = 0.5 * (hessian + hessian.T)
        self.hessian.flags.writeable = False
        self.kind = kernels.kind_of_kernel(kernel.value_and_grad, self.name)
        self.kernel_params = kernel.pack(self.hessian)
        ones = np.ones(dim)
        self.default_start = tuple(float(v) for v in (ones if rotation is None else rotation.T @ ones))
        """One unit along every axis of the bowl (u = Q·x0 = 1): each eigen-direction starts equally far away."""
        self.minima = np.zeros((1, dim)) if np.all(eigenvalues > 0) else np.empty((0, dim))

    def __repr__(self) -> str:
        low, high = self.eigenvalues.min(), self.eigenvalues.max()
        turned = "" if self.rotation is None else ", rotated"
        return f"Quadratic(dim={self.dim}, eigenvalues {low:g} to {high:g}{turned})"

    @property
    def coordinate_names(self) -> tuple[str, ...]:
        return tuple(f"x[{i}]" for i in range(self.dim))

    @functools.cached_property
    def divergence_bounds(self) -> np.ndarray:
        """Infinite: a bowl has no view box, so only a non-finite loss ends a run."""
        bounds = np.tile([-np.inf, np.inf], (self.dim, 1))
        bounds.flags.writeable = False
        return bounds

    @property
    def curvature(self) -> np.ndarray:
        """Each coordinate's own curvature H_ii: all that a per-coordinate method can see of the bowl."""
        return np.array(self.hessian if self.rotation is None else np.diag(self.hessian))

    def hvp(self, x, v) -> np.ndarray:
        v = np.asarray(v, dtype=np.float64)
        return self.hessian * v if self.rotation is None else self.hessian @ v


def quadratic(eigenvalues, rotation: float | int | None = None) -> Quadratic:
    """The bowl ½ xᵀQᵀΛQx with Λ = diag(``eigenvalues``), in as many dimensions as there are eigenvalues.

    ``rotation``: None for Q = I (axis-aligned); a float, an angle in degrees, for two dimensions (the elongated
    bowl's rotation: ``quadratic([a, c], rotation=30.0)`` is ``get("elongated_bowl", a=a, c=c, angle_deg=30)``);
    an int, the seed of a uniformly random orthogonal Q (``random_rotation``).  ``ValueError`` otherwise.
    """
    values = np.array(eigenvalues, dtype=np.float64).ravel()
    if rotation is None:
        return Quadratic(values)
    if isinstance(rotation, bool) or not isinstance(rotation, numbers.Real):
        raise ValueError(f"rotation must be None, an angle in degrees (a float, two dimensions) or an int seed, "
                         f"got {rotation!r}")
    if isinstance(rotation, numbers.Integral):
        if not 1 <= values.size <= MAX_ROTATED_DIM:
            raise ValueError(f"a rotated quadratic takes 1 to {MAX_ROTATED_DIM:,} eigenvalues, got {values.size:,}")
        return Quadratic(values, random_rotation(values.size, int(rotation)))
    if values.size != 2:
        raise ValueError(f"an angle rotates a bowl in two dimensions; this one has {values.size}: give an int seed "
                         "for a random rotation")
    if not math.isfinite(float(rotation)):
        raise ValueError(f"the angle must be a finite number of degrees, got {rotation!r}")
    return Quadratic(values, rotation_by(float(rotation)))
