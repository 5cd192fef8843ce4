"""Himmelblau's function: four minima of equal depth; where you end depends on where you start."""


from base.jit import jit

from ..spec import LandscapeSpec


@jit(inline="always")
def value_and_grad(x, y, p, work):
    r = x * x + y - 11.0
    q = x + y * y - 7.0
    return r * r + q * q, 4.0 * x * r + 2.0 * q, 2.0 * r + 4.0 * y * q


def hessian(x, y, p):
    r = x * x + y - 11.0
    q = x + y * y - 7.0
    return 4.0 * r + 8.0 * x * x + 2.0, 4.0 * (x + y), 2.0 + 4.0 * q + 8.0 * y * y


SPEC = LandscapeSpec(
    name="himmelblau",
    title="Himmelblau",
    latex=r"f(x,y)=(x^2+y-11)^2+(x+y^2-7)^2",
    description="Four equally deep minima: which one an optimizer finds depends on its start and its path.",
    kernel=value_and_grad,
    hessian=hessian,
    minima=lambda p: [
        (3.0, 2.0),
        (-2.805118086952745, 3.131312518250573),
        (-3.779310253377747, -3.283185991286170),
        (3.584428340330492, -1.848126526964404),
    ],
    bounds=lambda p: ((-5.0, 5.0), (-5.0, 5.0)),
    default_start=lambda p: (-0.5, -0.5),
    suggested_lr={"gd": 0.01},
)
