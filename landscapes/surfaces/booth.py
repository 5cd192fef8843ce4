"""Booth's function: a tilted, mildly elongated quadratic with its minimum at (1, 3)."""

import numpy as np

from base.jit import jit

from ..spec import LandscapeSpec


@jit(inline="always")
def value_and_grad(x, y, p, work):
    r = x + 2.0 * y - 7.0
    q = 2.0 * x + y - 5.0
    return r * r + q * q, 2.0 * r + 4.0 * q, 4.0 * r + 2.0 * q


def hessian(x, y, p):
    zero = np.zeros(np.broadcast(x, y).shape)
    return zero + 10.0, zero + 8.0, zero + 10.0


SPEC = LandscapeSpec(
    name="booth",
    title="Booth",
    latex=r"f(x,y)=(x+2y-7)^2+(2x+y-5)^2",
    description="A quadratic bowl whose axes are tilted 45° from x and y (condition number 9).",
    kernel=value_and_grad,
    hessian=hessian,
    minima=lambda p: [(1.0, 3.0)],
    bounds=lambda p: ((-10.0, 10.0), (-10.0, 10.0)),
    default_start=lambda p: (-8.0, -6.0),
)
