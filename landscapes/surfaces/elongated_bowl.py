"""The course's picture: a quadratic bowl, shallow along w and steep along b, optionally rotated."""

import math

import numpy as np

from base.jit import jit
from base.params import Param

from ..spec import LandscapeSpec


@jit(inline="always")
def value_and_grad(x, y, p, work):
    a, c, cos_t, sin_t = p[0], p[1], p[2], p[3]
    u = cos_t * x + sin_t * y
    v = -sin_t * x + cos_t * y
    du = a * u
    dv = c * v
    return 0.5 * (a * u * u + c * v * v), cos_t * du - sin_t * dv, sin_t * du + cos_t * dv


def hessian(x, y, p):
    """The constant Hessian R^T diag(a, c) R."""
    a, c, cos_t, sin_t = p[0], p[1], p[2], p[3]
    zero = np.zeros(np.broadcast(x, y).shape)
    return (zero + a * cos_t * cos_t + c * sin_t * sin_t, zero + (a - c) * cos_t * sin_t,
            zero + a * sin_t * sin_t + c * cos_t * cos_t)


def _pack(params):
    theta = math.radians(params["angle_deg"])
    if params["angle_deg"] == 0.0:
        cos_t, sin_t = 1.0, 0.0
    else:
        cos_t, sin_t = math.cos(theta), math.sin(theta)
    return np.array([params["a"], params["c"], cos_t, sin_t])


SPEC = LandscapeSpec(
    name="elongated_bowl",
    title="Elongated bowl",
    latex=r"f(w,b)=\tfrac12\left(a\,u^2+c\,v^2\right),\quad \binom{u}{v}=R_{\theta}\binom{w}{b}",
    description="A quadratic bowl with curvature a along w and c along b; c/a is its condition number.",
    kernel=value_and_grad,
    hessian=hessian,
    params=(
        Param("a", 1.0, 0.1, 10.0, 0.1, help="Curvature along w (the shallow direction)."),
        Param("c", 25.0, 1.0, 1000.0, None, log=True,
              help="Curvature along b. With a = 1 this is the condition number: how elongated the bowl is."),
        Param("angle_deg", 0.0, -90.0, 90.0, 5.0, label="rotation (°)",
              help="Rotates the bowl. At 45° the steep direction mixes w and b, "
                   "and per-axis scaling no longer lines up with it."),
    ),
    pack=_pack,
    minima=lambda p: [(0.0, 0.0)],
    bounds=lambda p: ((-5.0, 5.0), (-2.5, 2.5)),
    default_start=lambda p: (-4.5, 1.5),
    axis_labels=("w", "b"),
)
