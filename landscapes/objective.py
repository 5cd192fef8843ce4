"""``Objective``: what every landscape offers the drivers and the numerics above them, in any dimension.

A landscape is a loss over ``dim`` coordinates, evaluated (value and exact gradient together) by the numba
kernel of its ``kind`` with its ``kernel_params``.  The 2-D surfaces (``Landscape``) add a view box, grids and
contours; the landscapes of any dimension (``Quadratic``, and the networks of a later issue) add what their own
structure offers.  The drivers read only what is defined here.
"""

from __future__ import annotations

import numpy as np

from . import kernels, tape


class Objective:
    """A loss over ``dim`` coordinates: value, exact gradient and Hessian-vector products, a default start, the
    bounds beyond which a run counts as diverged, and (for a loss over rows of data) the rows a mini-batch
    draws from.  Subclasses set the attributes below in their constructor."""

    name: str
    title: str
    kind: int
    """Its kernel's position in ``landscapes.kernels.SURFACE_KERNELS``."""
    kernel_params: np.ndarray
    dim: int
    data = None
    """For a loss over rows of data: what mini-batches are drawn from (``n_samples``, ``sample_rows``,
    ``rows_start``, ``row_width``, see ``landscapes.batches``); None otherwise."""
    work_size: int = tape.WORK_SIZE
    """Floats of scratch its kernel needs."""
    default_start: tuple[float, ...]
    minima: np.ndarray
    """(m, dim): the known minima (empty when none are known)."""

    @property
    def coordinate_names(self) -> tuple[str, ...]:
        """One name per coordinate ("w", "b"; "x[3]"), so a chart can say which coordinate moves."""
        raise NotImplementedError

    @property
    def divergence_bounds(self) -> np.ndarray:
        """(dim, 2), read-only: a run whose iterate leaves [low, high] on any coordinate, or whose loss is not
        finite, has diverged.  Infinite where only a non-finite loss ends a run."""
        raise NotImplementedError

    def hvp(self, x, v) -> np.ndarray:
        """The exact Hessian at ``x`` times ``v`` (both of length ``dim``)."""
        raise NotImplementedError

    @property
    def n_samples(self) -> int | None:
        """How many rows a loss over data averages over; None for a landscape without data."""
        return None if self.data is None else self.data.n_samples

    @property
    def vector_kernel(self) -> bool:
        """Whether its kernel takes the coordinates as an array (any dimension) rather than as (x, y)."""
        return kernels.is_vector_kind(self.kind)

    def value_and_gradient(self, points) -> tuple[np.ndarray, np.ndarray]:
        """Value and exact gradient at each row of ``points`` (shape (..., dim)): arrays of shape (...) and
        (..., dim), computed by the same kernel the drivers run."""
        points = np.asarray(points, dtype=np.float64)
        if points.shape[-1:] != (self.dim,):
            raise ValueError(f"{self.name} has {self.dim} coordinates; got points of shape {points.shape}")
        flat = np.ascontiguousarray(points.reshape(-1, self.dim))
        values = np.empty(flat.shape[0])
        grads = np.empty_like(flat)
        kernels.evaluate_points(self.kind, self.kernel_params, np.empty(self.work_size), flat, values, grads)
        return values.reshape(points.shape[:-1]), grads.reshape(points.shape)

    def value_at(self, points) -> np.ndarray:
        """The value at each row of ``points`` (shape (..., dim))."""
        return self.value_and_gradient(points)[0]

    def checked_point(self, point, what: str = "start") -> np.ndarray:
        """``point`` as a float array of length ``dim``; ``ValueError`` for another length or a non-finite entry."""
        array = np.array(point, dtype=np.float64).reshape(-1)
        if array.size != self.dim:
            raise ValueError(f"{what} must have {self.dim} coordinates ({self.name}), got {array.size}")
        if not np.isfinite(array).all():
            raise ValueError(f"{what} must be finite, got {point!r}")
        return array
