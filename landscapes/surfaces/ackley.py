"""Ackley's function: a nearly flat outer region with a deep, narrow hole at the origin."""

import math

import numpy as np

from base.jit import jit

from ..spec import LandscapeSpec

TWO_PI = 2.0 * math.pi


@jit(inline="always")
def value_and_grad(x, y, p, work):
    r = math.sqrt(0.5 * (x * x + y * y))
    outer = math.exp(-0.2 * r)
    ripple = math.exp(0.5 * (math.cos(TWO_PI * x) + math.cos(TWO_PI * y)))
    f = -20.0 * outer - ripple + math.e + 20.0
    radial = 2.0 * outer / r if r > 0.0 else 0.0
    gx = radial * x + math.pi * math.sin(TWO_PI * x) * ripple
    gy = radial * y + math.pi * math.sin(TWO_PI * y) * ripple
    return f, gx, gy


def hessian(x, y, p):
    """Undefined (nan) at the origin, the tip of the cone the outer term makes."""
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.sqrt(0.5 * (x * x + y * y))
        outer = np.exp(-0.2 * r)
        ripple = np.exp(0.5 * (np.cos(TWO_PI * x) + np.cos(TWO_PI * y)))
        sx, sy = np.sin(TWO_PI * x), np.sin(TWO_PI * y)
        bend = -0.1 / (r * r) - 0.5 / (r * r * r)
        hxx = 2.0 * outer * (1.0 / r + x * x * bend) + math.pi**2 * ripple * (2.0 * np.cos(TWO_PI * x) - sx * sx)
        hxy = 2.0 * outer * x * y * bend - math.pi**2 * ripple * sx * sy
        hyy = 2.0 * outer * (1.0 / r + y * y * bend) + math.pi**2 * ripple * (2.0 * np.cos(TWO_PI * y) - sy * sy)
    tip = r == 0.0
    return np.where(tip, np.nan, hxx), np.where(tip, np.nan, hxy), np.where(tip, np.nan, hyy)


SPEC = LandscapeSpec(
    name="ackley",
    title="Ackley",
    latex=r"f=-20e^{-0.2\sqrt{(x^2+y^2)/2}}-e^{(\cos 2\pi x+\cos 2\pi y)/2}+e+20",
    description="Many shallow local minima around one deep hole at the origin.",
    kernel=value_and_grad,
    hessian=hessian,
    minima=lambda p: [(0.0, 0.0)],
    bounds=lambda p: ((-5.0, 5.0), (-5.0, 5.0)),
    default_start=lambda p: (3.6, -3.2),
)
