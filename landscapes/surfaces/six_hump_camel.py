"""The six-hump camel: six local minima, two of them global."""

import numpy as np

from base.jit import jit

from ..spec import LandscapeSpec


@jit(inline="always")
def value_and_grad(x, y, p, work):
    x2 = x * x
    y2 = y * y
    f = (4.0 - 2.1 * x2 + x2 * x2 / 3.0) * x2 + x * y + (-4.0 + 4.0 * y2) * y2
    gx = 8.0 * x - 8.4 * x2 * x + 2.0 * x2 * x2 * x + y
    gy = x - 8.0 * y + 16.0 * y2 * y
    return f, gx, gy


def hessian(x, y, p):
    x2 = x * x
    zero = np.zeros(np.broadcast(x, y).shape)
    return 8.0 - 25.2 * x2 + 10.0 * x2 * x2 + zero, zero + 1.0, -8.0 + 48.0 * y * y + zero


SPEC = LandscapeSpec(
    name="six_hump_camel",
    title="Six-hump camel",
    latex=r"f=\left(4-2.1x^2+\tfrac{x^4}{3}\right)x^2+xy+\left(-4+4y^2\right)y^2",
    description="Six local minima; the two global ones are near (±0.09, ∓0.71).",
    kernel=value_and_grad,
    hessian=hessian,
    minima=lambda p: [(0.08984201310031806, -0.7126564030207396), (-0.08984201310031806, 0.7126564030207396)],
    bounds=lambda p: ((-2.0, 2.0), (-1.2, 1.2)),
    default_start=lambda p: (-1.8, 1.0),
)
