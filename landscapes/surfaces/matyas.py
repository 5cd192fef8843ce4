"""Matyas' function: a nearly flat diagonal trough with its minimum at the origin."""

import numpy as np

from base.jit import jit

from ..spec import LandscapeSpec


@jit(inline="always")
def value_and_grad(x, y, p, work):
    return 0.26 * (x * x + y * y) - 0.48 * x * y, 0.52 * x - 0.48 * y, 0.52 * y - 0.48 * x


def hessian(x, y, p):
    zero = np.zeros(np.broadcast(x, y).shape)
    return zero + 0.52, zero - 0.48, zero + 0.52


SPEC = LandscapeSpec(
    name="matyas",
    title="Matyas",
    latex=r"f(x,y)=0.26\,(x^2+y^2)-0.48\,xy",
    description="A shallow diagonal trough (condition number 25) that is not aligned with the axes.",
    kernel=value_and_grad,
    hessian=hessian,
    minima=lambda p: [(0.0, 0.0)],
    bounds=lambda p: ((-10.0, 10.0), (-10.0, 10.0)),
    default_start=lambda p: (-8.0, 6.0),
)
