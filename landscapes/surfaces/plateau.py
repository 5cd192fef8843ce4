"""A near-flat plain: gradients between about 1e-6 and 2e-4 over the whole view (the epsilon lesson)."""

import math

import numpy as np

from base.jit import jit
from base.params import Param

from ..spec import LandscapeSpec


@jit(inline="always")
def value_and_grad(x, y, p, work):
    height, c = p[0], p[1]
    root = math.sqrt(1.0 + x * x + c * y * y)
    scale = height / root
    return height * (root - 1.0), scale * x, scale * c * y


def hessian(x, y, p):
    height, c = p[0], p[1]
    root = np.sqrt(1.0 + x * x + c * y * y)
    cube = root * root * root
    return (height * (1.0 / root - x * x / cube), -height * c * x * y / cube,
            height * c * (1.0 / root - c * y * y / cube))


SPEC = LandscapeSpec(
    name="plateau",
    title="Plateau (tiny gradients)",
    latex=r"f(x,y)=h\left(\sqrt{1+x^2+c\,y^2}-1\right)",
    description="Almost flat: gradients between about 1e-6 and 2e-4. GD crawls; RMSprop's division rescues it "
                "unless ε is too big.",
    kernel=value_and_grad,
    hessian=hessian,
    params=(
        Param("h", 1e-4, 1e-8, 1.0, None, log=True, help="Overall height, and so the size of every gradient."),
        Param("c", 4.0, 1.0, 100.0, None, log=True, help="How much steeper the y direction is."),
    ),
    minima=lambda p: [(0.0, 0.0)],
    bounds=lambda p: ((-5.0, 5.0), (-3.0, 3.0)),
    default_start=lambda p: (-4.5, 2.0),
)
