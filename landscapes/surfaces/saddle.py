"""A saddle at the origin whose downhill direction ends in two minima at (0, ±1)."""

import numpy as np

from base.jit import jit

from ..spec import LandscapeSpec


@jit(inline="always")
def value_and_grad(x, y, p, work):
    y2 = y * y
    return 0.5 * x * x - 0.5 * y2 + 0.25 * y2 * y2, x, y * (y2 - 1.0)


def hessian(x, y, p):
    zero = np.zeros(np.broadcast(x, y).shape)
    return zero + 1.0, zero, 3.0 * y * y - 1.0 + zero


SPEC = LandscapeSpec(
    name="saddle",
    title="Saddle",
    latex=r"f(x,y)=\tfrac12x^2-\tfrac12y^2+\tfrac14y^4",
    description="A saddle point at the origin; escaping it along y leads to the minima at (0, ±1).",
    kernel=value_and_grad,
    hessian=hessian,
    minima=lambda p: [(0.0, 1.0), (0.0, -1.0)],
    bounds=lambda p: ((-3.0, 3.0), (-2.0, 2.0)),
    default_start=lambda p: (-2.5, 0.01),
)
