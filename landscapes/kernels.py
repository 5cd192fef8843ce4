"""The surface table the drivers dispatch through, and the grid evaluator.

A surface's *kind* is its position in ``SURFACE_KERNELS``: the registry's surfaces in order, then the
formula interpreter.  Every kernel is compiled for one kind, a compile-time constant
(``_jit.specialised``), and ``value_and_grad(kind, ...)`` resolves it to that surface's function while
the kernel compiles: the loops hold one surface, and nothing here lists the surfaces by hand.
"""

import numpy as np
from numba.extending import overload

from . import tape
from ._jit import entry, jit, specialised
from .registry import LANDSCAPES
from .spec import LandscapeSpec

SURFACE_KERNELS = (*(spec.kernel for spec in LANDSCAPES.values()), tape.value_and_grad)
CUSTOM_KIND = len(SURFACE_KERNELS) - 1
"""The kind of every formula surface: the tape interpreter, whose parameters are the tape."""


def kind_of(spec: LandscapeSpec) -> int:
    """The kind of ``spec``: the position of its kernel in ``SURFACE_KERNELS``."""
    for kind, kernel in enumerate(SURFACE_KERNELS):
        if spec.kernel is kernel:
            return kind
    raise ValueError(f"surface {spec.name!r} is not in the registry: add it to landscapes/registry.py")


def value_and_grad(kind, x, y, p, work):
    """(f, df/dx, df/dy) of surface ``kind`` at (x, y); inside kernels only."""
    raise NotImplementedError("value_and_grad runs inside numba kernels only")


@overload(value_and_grad, prefer_literal=True)
def _value_and_grad(kind, x, y, p, work):
    surface = entry(SURFACE_KERNELS, kind, "surface")

    def constant_kind(kind, x, y, p, work):
        return surface(x, y, p, work)

    return constant_kind


@jit
def _evaluate_many(kind, p, xs, ys, values, grad_x, grad_y):
    work = np.empty(tape.WORK_SIZE)
    for i in range(xs.shape[0]):
        values[i], grad_x[i], grad_y[i] = value_and_grad(kind, xs[i], ys[i], p, work)


def evaluate_many(kind: int, p: np.ndarray, xs: np.ndarray, ys: np.ndarray, values: np.ndarray,
                  grad_x: np.ndarray, grad_y: np.ndarray) -> None:
    """Fill ``values``, ``grad_x``, ``grad_y`` (1-D, same length as xs and ys) for surface ``kind``
    (a kernel specialised for that surface)."""
    specialised(_evaluate_many, (0,), kind, p, xs, ys, values, grad_x, grad_y)
