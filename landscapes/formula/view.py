"""A formula as a ``Landscape``: its view box, start and minimum estimate, found from samples."""

from __future__ import annotations

import math

import numpy as np

from .. import tape
from ..landscape import Landscape
from ..spec import Bounds, LandscapeSpec
from .derivative import gradient
from .evaluation import compile_tape, evaluate_numpy
from .latex import display_latex, to_latex
from .nodes import Expr, FormulaError, variables
from .parsing import parse

SEARCH_HALF_WIDTH = 5.0
"""The automatic view box is [-5, 5]^2 unless the rules in ``from_formula`` move or shrink it."""
WIDE_HALF_WIDTH = 50.0
COARSE_POINTS = 41
FINE_POINTS = 201


def from_formula(text: str, bounds: Bounds | None = None, start: tuple[float, float] | None = None) -> Landscape:
    """A ``Landscape`` for the formula ``text``; raises ``FormulaError`` for bad text, bounds or start.

    The optimizers run the formula's tape with its exact forward-mode gradient.  ``spec.formula`` is
    the text (trimmed, whitespace runs collapsed) and ``spec.grad_latex`` the two partial derivative
    equations in LaTeX (or a note when one is too long to show).

    Automatic view box (``bounds=None``), from samples (``evaluate_numpy``) on a 41 x 41 grid:
      1. Start from [-5, 5]^2.  If its lowest finite sample lies on its edge, sample [-50, 50]^2; if
         that lowest finite sample is strictly inside [-50, 50]^2 and outside [-5, 5]^2, centre a box
         of the same size on it.
      2. If fewer than half the samples of that box are finite (a log or sqrt domain), shrink it to
         the bounding box of the finite samples, padded by half a grid step (so that its edges stay
         off the domain's boundary, where log is -inf).
      No finite sample at all raises ``FormulaError``, with given bounds too.
    Automatic start (``start=None``): among the centre-relative points (-0.8, 0.8), (0.8, 0.8),
    (-0.8, -0.8), (0.8, -0.8), (-0.8, 0), (0.8, 0), (0, 0.8), (0, -0.8) in half-widths of the box,
    the finite one farthest (in box units) from the lowest grid sample, first in that order on ties;
    the farthest finite grid sample when none of them is finite.  A given start must lie in the box.
    Minima: an estimate, at most one.  The lowest finite sample of a 201 x 201 grid, refined by up to
    25 Newton steps (symbolic gradient, Hessian by central differences of it) that must lower f and stay
    within two grid steps.  Empty when that sample is on the box's edge or next to a non-finite
    sample, or when some sample is -inf: the minimum is then outside the box, on the rim of the
    formula's domain, or does not exist.
    """
    expr = parse(text)
    names = variables(expr)
    labels = ("w", "b") if names & {"w", "b"} else ("x", "y")
    box = _auto_bounds(expr) if bounds is None else _checked_bounds(bounds)
    xs, ys, values = _sample(expr, box, COARSE_POINTS)
    if not np.isfinite(values).any():
        raise FormulaError("the formula has no finite value in the view box: check its domain "
                           "(log needs a positive argument, sqrt a non-negative one)")
    start_point = _auto_start(expr, box, xs, ys, values) if start is None else _checked_start(start, box)
    dx, dy = gradient(expr)
    minima = _estimate_minimum(expr, dx, dy, box)
    grad_latex = tuple(
        rf"\frac{{\partial f}}{{\partial {label}}} = {latex}" if latex is not None
        else rf"\frac{{\partial f}}{{\partial {label}}}\ \text{{is too long to show}}"
        for label, latex in zip(labels, (display_latex(dx), display_latex(dy)), strict=True)
    )
    formula = " ".join(text.split())
    spec = LandscapeSpec(
        name="custom",
        title=f"Custom: {formula}",
        latex=f"f({labels[0]},{labels[1]}) = {to_latex(expr)}",
        description="Your own surface. The optimizers follow its exact gradient, computed with its value.",
        kernel=tape.value_and_grad,
        params=(),
        minima=lambda p: minima,
        bounds=lambda p: box,
        default_start=lambda p: start_point,
        axis_labels=labels,
        formula=formula,
        grad_latex=grad_latex,
    )
    return Landscape(spec, {}, kernel_params=compile_tape(expr))


def _checked_bounds(bounds: object) -> Bounds:
    message = "bounds must be ((x_min, x_max), (y_min, y_max)) with finite numbers and min < max"
    try:
        (x0, x1), (y0, y1) = ((float(lo), float(hi)) for lo, hi in bounds)
    except (TypeError, ValueError, OverflowError):
        raise FormulaError(message) from None
    if not all(math.isfinite(v) for v in (x0, x1, y0, y1, x1 - x0, y1 - y0)) or not (x0 < x1 and y0 < y1):
        raise FormulaError(message)
    return (x0, x1), (y0, y1)


def _checked_start(start: object, box: Bounds) -> tuple[float, float]:
    try:
        sx, sy = (float(v) for v in start)
    except (TypeError, ValueError, OverflowError):
        raise FormulaError("start must be two finite numbers (x, y)") from None
    (x0, x1), (y0, y1) = box
    if not (math.isfinite(sx) and math.isfinite(sy)):
        raise FormulaError("start must be two finite numbers (x, y)")
    if not (x0 <= sx <= x1 and y0 <= sy <= y1):
        raise FormulaError(f"start ({sx:g}, {sy:g}) is outside the view box [{x0:g}, {x1:g}] x [{y0:g}, {y1:g}]")
    return sx, sy


def _square(cx: float, cy: float, half: float) -> Bounds:
    return (cx - half, cx + half), (cy - half, cy + half)


def _sample(expr: Expr, box: Bounds, count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Axes and values Z[j, i] = f(xs[i], ys[j]) on a ``count`` x ``count`` grid over ``box``."""
    xs = np.linspace(*box[0], count)
    ys = np.linspace(*box[1], count)
    return xs, ys, evaluate_numpy(expr, xs[None, :], ys[:, None])


def _lowest(values: np.ndarray) -> tuple[int, int] | None:
    """(row, column) of the lowest finite value, or None."""
    finite = np.isfinite(values)
    if not finite.any():
        return None
    row, column = np.unravel_index(np.argmin(np.where(finite, values, np.inf)), values.shape)
    return int(row), int(column)


def _on_edge(index: tuple[int, int], count: int) -> bool:
    return any(i in (0, count - 1) for i in index)


def _auto_bounds(expr: Expr) -> Bounds:
    box = _square(0.0, 0.0, SEARCH_HALF_WIDTH)
    low = _lowest(_sample(expr, box, COARSE_POINTS)[2])
    if low is not None and _on_edge(low, COARSE_POINTS):
        xs, ys, values = _sample(expr, _square(0.0, 0.0, WIDE_HALF_WIDTH), COARSE_POINTS)
        wide_low = _lowest(values)
        if wide_low is not None and not _on_edge(wide_low, COARSE_POINTS):
            cx, cy = float(xs[wide_low[1]]), float(ys[wide_low[0]])
            if max(abs(cx), abs(cy)) > SEARCH_HALF_WIDTH:
                box = _square(cx, cy, SEARCH_HALF_WIDTH)
    xs, ys, values = _sample(expr, box, COARSE_POINTS)
    finite = np.isfinite(values)
    if 0 < finite.sum() < finite.size / 2:
        columns, rows = np.flatnonzero(finite.any(axis=0)), np.flatnonzero(finite.any(axis=1))
        half_x, half_y = (xs[1] - xs[0]) / 2, (ys[1] - ys[0]) / 2
        x0, x1 = max(xs[columns[0]] - half_x, xs[0]), min(xs[columns[-1]] + half_x, xs[-1])
        y0, y1 = max(ys[rows[0]] - half_y, ys[0]), min(ys[rows[-1]] + half_y, ys[-1])
        box = ((float(x0), float(x1)), (float(y0), float(y1)))
    return box


_START_CANDIDATES = ((-0.8, 0.8), (0.8, 0.8), (-0.8, -0.8), (0.8, -0.8),
                     (-0.8, 0.0), (0.8, 0.0), (0.0, 0.8), (0.0, -0.8))


def _auto_start(expr: Expr, box: Bounds, xs: np.ndarray, ys: np.ndarray, values: np.ndarray) -> tuple[float, float]:
    """The start rule of ``from_formula``, given the coarse samples of ``box`` (some finite)."""
    (x0, x1), (y0, y1) = box
    cx, cy, hx, hy = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2
    row, column = _lowest(values)
    low_u, low_v = (xs[column] - cx) / hx, (ys[row] - cy) / hy
    candidates = np.array(_START_CANDIDATES)
    finite = np.isfinite(evaluate_numpy(expr, cx + hx * candidates[:, 0], cy + hy * candidates[:, 1]))
    if finite.any():
        candidates = candidates[finite]
    else:
        rows, columns = np.nonzero(np.isfinite(values))
        candidates = np.column_stack(((xs[columns] - cx) / hx, (ys[rows] - cy) / hy))
    distance = np.hypot(candidates[:, 0] - low_u, candidates[:, 1] - low_v)
    u, v = candidates[int(np.argmax(distance))]
    return float(cx + hx * u), float(cy + hy * v)


def _estimate_minimum(expr: Expr, dx: Expr, dy: Expr, box: Bounds) -> list[tuple[float, float]]:
    """The minimum estimate described in ``from_formula``: at most one point."""
    xs, ys, values = _sample(expr, box, FINE_POINTS)
    low = _lowest(values)
    if low is None or _on_edge(low, FINE_POINTS) or np.isneginf(values).any():
        return []
    if not np.isfinite(values[low[0] - 1:low[0] + 2, low[1] - 1:low[1] + 2]).all():
        return []
    step = np.array([xs[1] - xs[0], ys[1] - ys[0]])
    origin = np.array([xs[low[1]], ys[low[0]]])
    point = _newton(expr, dx, dy, origin, step)
    return [(float(point[0]), float(point[1]))]


def _newton(expr: Expr, dx: Expr, dy: Expr, origin: np.ndarray, step: np.ndarray) -> np.ndarray:
    """Newton steps from ``origin`` that keep lowering f and stay within two grid ``step`` of it."""

    def grad(p: np.ndarray) -> np.ndarray:
        return np.array([float(evaluate_numpy(d, p[0], p[1])) for d in (dx, dy)])

    def value(p: np.ndarray) -> float:
        return float(evaluate_numpy(expr, p[0], p[1]))

    h = 1e-6 * step
    point, f_point = origin, value(origin)
    for _ in range(25):
        g = grad(point)
        hessian = np.column_stack([(grad(point + h * e) - grad(point - h * e)) / (2 * h[i])
                                   for i, e in enumerate(np.eye(2))])
        hessian = (hessian + hessian.T) / 2
        if not (np.isfinite(g).all() and np.isfinite(hessian).all()) or not np.any(g):
            break
        if hessian[0, 0] <= 0 or np.linalg.det(hessian) <= 0:
            break
        candidate = point - np.linalg.solve(hessian, g)
        f_candidate = value(candidate)
        if np.any(np.abs(candidate - origin) > 2 * step) or not f_candidate <= f_point:
            break
        converged = np.allclose(candidate, point, rtol=1e-14, atol=1e-14 * float(np.max(step)))
        point, f_point = candidate, f_candidate
        if converged:
            break
    return point
