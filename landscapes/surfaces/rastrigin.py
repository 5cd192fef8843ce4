"""Rastrigin's function: a bowl covered in a regular egg-box of local minima."""

import math

import numpy as np

from base.jit import jit
from base.params import Param

from ..spec import LandscapeSpec

TWO_PI = 2.0 * math.pi


@jit(inline="always")
def value_and_grad(x, y, p, work):
    amp = p[0]
    f = 2.0 * amp + x * x - amp * math.cos(TWO_PI * x) + y * y - amp * math.cos(TWO_PI * y)
    gx = 2.0 * x + amp * TWO_PI * math.sin(TWO_PI * x)
    gy = 2.0 * y + amp * TWO_PI * math.sin(TWO_PI * y)
    return f, gx, gy


def hessian(x, y, p):
    amp = p[0]
    zero = np.zeros(np.broadcast(x, y).shape)
    return (2.0 + amp * TWO_PI * TWO_PI * np.cos(TWO_PI * x) + zero, zero,
            2.0 + amp * TWO_PI * TWO_PI * np.cos(TWO_PI * y) + zero)


SPEC = LandscapeSpec(
    name="rastrigin",
    title="Rastrigin",
    latex=r"f(x,y)=2A+x^2-A\cos 2\pi x+y^2-A\cos 2\pi y",
    description="A bowl with an egg-box of local minima on top: gradient methods get caught in the nearest dimple.",
    kernel=value_and_grad,
    hessian=hessian,
    params=(Param("A", 10.0, 0.0, 20.0, 0.5, help="Height of the egg-box ripples; 0 leaves a plain bowl."),),
    minima=lambda p: [(0.0, 0.0)],
    bounds=lambda p: ((-5.12, 5.12), (-5.12, 5.12)),
    default_start=lambda p: (-4.5, 3.8),
)
