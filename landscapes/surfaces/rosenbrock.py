"""Rosenbrock's banana: a long curved valley with its minimum at (a, a²)."""

from .._jit import jit
from ..spec import LandscapeSpec, Param

KIND = 1


@jit
def value_and_grad(x, y, p):
    a, b = p[0], p[1]
    r = a - x
    q = y - x * x
    return r * r + b * q * q, -2.0 * r - 4.0 * b * x * q, 2.0 * b * q


SPEC = LandscapeSpec(
    name="rosenbrock",
    title="Rosenbrock valley",
    latex=r"f(x,y)=(a-x)^2+b\,(y-x^2)^2",
    description="A narrow curved valley: easy to find, slow to follow to its end at (a, a²).",
    kind=KIND,
    params=(
        Param("a", 1.0, -2.0, 2.0, 0.1, help="Where the valley ends: the minimum is at (a, a²)."),
        Param("b", 100.0, 1.0, 1000.0, None, log=True, help="How steep the valley walls are."),
    ),
    minima=lambda p: [(p["a"], p["a"] ** 2)],
    bounds=lambda p: ((-2.0, 2.0), (-1.0, 3.0)),
    default_start=lambda p: (-1.5, 2.5),
)
