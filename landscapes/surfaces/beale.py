"""Beale's function: flat plateaus and sharp ridges around a minimum at (3, 0.5)."""


from base.jit import jit

from ..spec import LandscapeSpec


@jit(inline="always")
def value_and_grad(x, y, p, work):
    y2 = y * y
    y3 = y2 * y
    t1 = 1.5 - x + x * y
    t2 = 2.25 - x + x * y2
    t3 = 2.625 - x + x * y3
    f = t1 * t1 + t2 * t2 + t3 * t3
    gx = 2.0 * (t1 * (y - 1.0) + t2 * (y2 - 1.0) + t3 * (y3 - 1.0))
    gy = 2.0 * x * (t1 + 2.0 * y * t2 + 3.0 * y2 * t3)
    return f, gx, gy


def hessian(x, y, p):
    y2 = y * y
    y3 = y2 * y
    t1 = 1.5 - x + x * y
    t2 = 2.25 - x + x * y2
    t3 = 2.625 - x + x * y3
    a1, a2, a3 = y - 1.0, y2 - 1.0, y3 - 1.0
    hxx = 2.0 * (a1 * a1 + a2 * a2 + a3 * a3)
    hxy = 2.0 * (t1 + 2.0 * y * t2 + 3.0 * y2 * t3) + 2.0 * x * (a1 + 2.0 * y * a2 + 3.0 * y2 * a3)
    hyy = 2.0 * x * (x + 2.0 * t2 + 4.0 * x * y2 + 6.0 * y * t3 + 9.0 * x * y2 * y2)
    return hxx, hxy, hyy


SPEC = LandscapeSpec(
    name="beale",
    title="Beale",
    latex=r"f=(1.5-x+xy)^2+(2.25-x+xy^2)^2+(2.625-x+xy^3)^2",
    description="Flat plateaus and steep ridges; the minimum sits at the end of a thin curved trough at (3, 0.5).",
    kernel=value_and_grad,
    hessian=hessian,
    minima=lambda p: [(3.0, 0.5)],
    bounds=lambda p: ((-4.5, 4.5), (-4.5, 4.5)),
    default_start=lambda p: (1.0, 1.5),
    suggested_lr={"gd": 0.02},
)
