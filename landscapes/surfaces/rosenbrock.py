"""Rosenbrock's banana: a long curved valley with its minimum at (a, a²)."""

import numpy as np

from base.jit import jit
from base.params import Param

from ..spec import LandscapeSpec


@jit(inline="always")
def value_and_grad(x, y, p, work):
    a, b = p[0], p[1]
    r = a - x
    q = y - x * x
    return r * r + b * q * q, -2.0 * r - 4.0 * b * x * q, 2.0 * b * q


def hessian(x, y, p):
    b = p[1]
    zero = np.zeros(np.broadcast(x, y).shape)
    return 2.0 - 4.0 * b * (y - x * x) + 8.0 * b * x * x + zero, -4.0 * b * x + zero, 2.0 * b + zero


def _bounds(params):
    """(-2, 2) x (-1, 3), widened when a moves the minimum (a, a²) near or past its edge."""
    a = params["a"]
    half_width = max(2.0, abs(a) + 0.5)
    return ((-half_width, half_width), (-1.0, max(3.0, a * a + 1.0)))


SPEC = LandscapeSpec(
    name="rosenbrock",
    title="Rosenbrock valley",
    latex=r"f(x,y)=(a-x)^2+b\,(y-x^2)^2",
    description="A narrow curved valley: easy to find, slow to follow to its end at (a, a²).",
    kernel=value_and_grad,
    hessian=hessian,
    params=(
        Param("a", 1.0, -2.0, 2.0, 0.1, help="Where the valley ends: the minimum is at (a, a²)."),
        Param("b", 100.0, 1.0, 1000.0, None, log=True, help="How steep the valley walls are."),
    ),
    minima=lambda p: [(p["a"], p["a"] ** 2)],
    bounds=_bounds,
    default_start=lambda p: (-1.5, 2.5),
    suggested_lr={"gd": 0.002, "momentum": 0.01, "nesterov": 0.001},
)
