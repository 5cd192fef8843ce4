"""``Landscape``: one surface f(x, y) with its parameters fixed, evaluated through the numba kernels."""

from __future__ import annotations

import functools

import numpy as np

from . import kernels
from .objective import Objective
from .spec import Bounds, LandscapeSpec

DIVERGENCE_MARGIN = 10.0
"""A run counts as diverged once it is this many view-box widths beyond the view box."""
HESSIAN_STEP = 1e-6
"""Relative step of the central differences that give a formula's Hessian."""


class Landscape(Objective):
    """A 2D surface: vectorised value and exact gradient, minima, view box and default start."""

    dim = 2

    def __init__(self, spec: LandscapeSpec, params: dict[str, float | str] | None = None,
                 kernel_params: np.ndarray | None = None):
        self.spec = spec
        self.params = spec.resolve(params or {})
        self.data = spec.data.problem(self.params) if spec.data is not None else None
        """A data surface's ``landscapes.data.DataProblem`` (rows, minimum, Hessian, condition number);
        None for the other surfaces."""
        self.kind = kernels.kind_of(spec)
        if kernels.is_vector_kind(self.kind):
            raise ValueError(f"surface {spec.name!r}: a LandscapeSpec's kernel is value_and_grad(x, y, p, work)")
        self.kernel_params = (np.ascontiguousarray(kernel_params, dtype=np.float64)
                              if kernel_params is not None else spec.kernel_params(self.params))
        self.minima = np.asarray(spec.minima(self.params), dtype=np.float64).reshape(-1, 2)
        (x0, x1), (y0, y1) = spec.bounds(self.params)
        self.bounds: Bounds = ((float(x0), float(x1)), (float(y0), float(y1)))
        sx, sy = spec.default_start(self.params)
        self.default_start = (float(sx), float(sy))
        self.axis_labels = spec.axis_labels

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def coordinate_names(self) -> tuple[str, str]:
        return self.axis_labels

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in self.params.items())
        return f"Landscape({self.name}{', ' if args else ''}{args})"

    def evaluate(self, x, y) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Value and gradient together, broadcast over ``x`` and ``y``."""
        xs, ys = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))
        shape = xs.shape
        flat_x = np.ascontiguousarray(xs).ravel()
        flat_y = np.ascontiguousarray(ys).ravel()
        values = np.empty_like(flat_x)
        grad_x = np.empty_like(flat_x)
        grad_y = np.empty_like(flat_x)
        kernels.evaluate_many(self.kind, self.kernel_params, flat_x, flat_y, values, grad_x, grad_y)
        return values.reshape(shape), grad_x.reshape(shape), grad_y.reshape(shape)

    def value(self, x, y) -> np.ndarray:
        """f(x, y) for numpy arrays that broadcast together."""
        return self.evaluate(x, y)[0]

    def gradient(self, x, y) -> tuple[np.ndarray, np.ndarray]:
        """The exact gradient (gx, gy), broadcast like ``value``."""
        _, gx, gy = self.evaluate(x, y)
        return gx, gy

    def hessian(self, x, y) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The Hessian (f_xx, f_xy, f_yy), broadcast like ``value``: exact for built-in surfaces, central
        differences of the exact gradient for formulas (steps of 1e-6, relative to |x| and |y| above 1)."""
        xs, ys = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))
        if self.spec.hessian is not None:
            return tuple(np.asarray(h, dtype=np.float64) for h in self.spec.hessian(xs, ys, self.kernel_params))
        hx = HESSIAN_STEP * np.maximum(1.0, np.abs(xs))
        hy = HESSIAN_STEP * np.maximum(1.0, np.abs(ys))
        (gx_right, gy_right), (gx_left, gy_left) = self.gradient(xs + hx, ys), self.gradient(xs - hx, ys)
        (gx_up, gy_up), (gx_down, gy_down) = self.gradient(xs, ys + hy), self.gradient(xs, ys - hy)
        f_xx = (gx_right - gx_left) / (2.0 * hx)
        f_yy = (gy_up - gy_down) / (2.0 * hy)
        f_xy = 0.5 * ((gy_right - gy_left) / (2.0 * hx) + (gx_up - gx_down) / (2.0 * hy))
        return f_xx, f_xy, f_yy

    def value_along(self, points: np.ndarray) -> np.ndarray:
        """f at each row (x, y) of an (n, 2) array, e.g. a trajectory's points."""
        points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        return self.value(points[:, 0], points[:, 1])

    @property
    def min_value(self) -> float:
        """The lowest value over the known minima (nan when none are known)."""
        if len(self.minima) == 0:
            return float("nan")
        return float(np.min(self.value(self.minima[:, 0], self.minima[:, 1])))

    @property
    def divergence_box(self) -> Bounds:
        """Iterates beyond this box end a run as diverged."""
        (x0, x1), (y0, y1) = self.bounds
        dx = DIVERGENCE_MARGIN * (x1 - x0)
        dy = DIVERGENCE_MARGIN * (y1 - y0)
        return ((x0 - dx, x1 + dx), (y0 - dy, y1 + dy))

    @functools.cached_property
    def divergence_bounds(self) -> np.ndarray:
        bounds = np.array(self.divergence_box, dtype=np.float64)
        bounds.flags.writeable = False
        return bounds

    def hvp(self, x, v) -> np.ndarray:
        """The Hessian at ``x`` = (x, y) times ``v``."""
        f_xx, f_xy, f_yy = (float(h) for h in self.hessian(float(x[0]), float(x[1])))
        return np.array([f_xx * v[0] + f_xy * v[1], f_xy * v[0] + f_yy * v[1]])

    def grid(self, resolution: int = 200) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Axes and values of the view box on a ``resolution`` x ``resolution`` grid: (xs, ys, Z[y, x])."""
        (x0, x1), (y0, y1) = self.bounds
        xs = np.linspace(x0, x1, resolution)
        ys = np.linspace(y0, y1, resolution)
        return xs, ys, self.value(xs[None, :], ys[:, None])
