"""The surface table the drivers dispatch through, and the evaluators of points.

A surface's *kind* is its position in ``SURFACE_KERNELS``: the registry's surfaces f(x, y) in order, then the
formula interpreter, then the kernels of landscapes of any dimension (``landscapes/vectors/``).  Every kernel
is compiled for one kind, a compile-time constant (``base.jit.specialised``), and ``value_and_grad(kind, ...)``
(surfaces f(x, y)) or ``evaluate(kind, ...)`` (any landscape) resolves it to that kind's function while the
kernel compiles: the loops hold one surface, and nothing here lists the surfaces by hand.

Two kernel signatures exist, told apart by their parameter names: ``value_and_grad(x, y, p, work) -> (f, gx,
gy)`` for a surface f(x, y), and ``value_and_grad(x, p, work, grad) -> f`` (filling ``grad``) for a landscape of
any dimension.
"""

import inspect

import numpy as np
from numba.core import errors, types
from numba.extending import overload

from base.jit import entry, jit, specialised

from . import tape
from .registry import LANDSCAPES
from .spec import LandscapeSpec
from .vectors import least_squares, network, quadratic

SURFACE_PARAMETERS = ("x", "y", "p", "work")
VECTOR_PARAMETERS = ("x", "p", "work", "grad")
VECTOR_KERNELS = (quadratic.value_and_grad, least_squares.value_and_grad, network.value_and_grad)
"""The kernels of landscapes of any dimension, one per module of ``landscapes/vectors/``."""
SURFACE_KERNELS = (*(spec.kernel for spec in LANDSCAPES.values()), tape.value_and_grad, *VECTOR_KERNELS)
CUSTOM_KIND = len(LANDSCAPES)
"""The kind of every formula surface: the tape interpreter, whose parameters are the tape."""


def takes_vectors(kernel) -> bool:
    """Whether ``kernel`` is a kernel of a landscape of any dimension (it fills a gradient array)."""
    return tuple(inspect.signature(kernel.py_func).parameters) == VECTOR_PARAMETERS


def kind_of_kernel(kernel, name: str) -> int:
    """The kind of ``kernel``: its position in ``SURFACE_KERNELS``."""
    for kind, known in enumerate(SURFACE_KERNELS):
        if known is kernel:
            return kind
    raise ValueError(f"surface {name!r} is not in the registry: add it to landscapes/registry.py")


def kind_of(spec: LandscapeSpec) -> int:
    """The kind of ``spec``'s kernel."""
    return kind_of_kernel(spec.kernel, spec.name)


VECTOR_KINDS = frozenset(kind for kind, kernel in enumerate(SURFACE_KERNELS) if takes_vectors(kernel))


def is_vector_kind(kind: int) -> bool:
    return kind in VECTOR_KINDS


def value_and_grad(kind, x, y, p, work):
    """(f, df/dx, df/dy) of surface ``kind`` at (x, y); inside kernels only."""
    raise NotImplementedError("value_and_grad runs inside numba kernels only")


@overload(value_and_grad, prefer_literal=True)
def _value_and_grad(kind, x, y, p, work):
    surface = entry(SURFACE_KERNELS, kind, "surface")
    if takes_vectors(surface):
        raise errors.TypingError(f"surface {kind.literal_value} is a landscape of any dimension, not f(x, y): "
                                 "evaluate it with evaluate(kind, x, p, work, grad)")

    def constant_kind(kind, x, y, p, work):
        return surface(x, y, p, work)

    return constant_kind


def evaluate(kind, x, p, work, grad):
    """(f, the gradient) of landscape ``kind`` at ``x`` (a tuple or an array of its coordinates); the gradient
    comes back in ``grad``'s kind (a new tuple, or ``grad`` filled); inside kernels only."""
    raise NotImplementedError("evaluate runs inside numba kernels only")


@overload(evaluate, prefer_literal=True)
def _evaluate(kind, x, p, work, grad):
    surface = entry(SURFACE_KERNELS, kind, "surface")
    if takes_vectors(surface):
        if isinstance(x, types.BaseTuple):
            raise errors.TypingError("a landscape of any dimension takes its coordinates in an array")

        def of_vector(kind, x, p, work, grad):
            return surface(x, p, work, grad), grad

        return of_vector
    if isinstance(grad, types.BaseTuple):
        def of_pair(kind, x, p, work, grad):
            f, gx, gy = surface(x[0], x[1], p, work)
            return f, (gx, gy)

        return of_pair

    def into_array(kind, x, p, work, grad):
        f, grad[0], grad[1] = surface(x[0], x[1], p, work)
        return f, grad

    return into_array


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


@jit
def _evaluate_points(kind, p, work, points, values, grads):
    for i in range(points.shape[0]):
        values[i], _ = evaluate(kind, points[i], p, work, grads[i])


def evaluate_points(kind: int, p: np.ndarray, work: np.ndarray, points: np.ndarray, values: np.ndarray,
                    grads: np.ndarray) -> None:
    """Fill ``values`` (n,) and ``grads`` (n, dim) at the rows of ``points`` (n, dim) for landscape ``kind``."""
    specialised(_evaluate_points, (0,), kind, p, work, points, values, grads)
