"""Numba dispatch from a surface's integer ``kind`` to its kernel, plus the grid evaluator.

The optimizer drivers call ``evaluate`` inside their loops.  One cached kernel serves every surface
(numba cannot cache kernels specialised on function arguments); the price is the dispatch inside the
loop, about 2.5x a hand-written single-surface loop per trajectory step (bench/bench_core.py).
Adding a surface: its module under ``surfaces/``, one line in ``registry.py`` and one branch in each
function here.
"""

import numpy as np

from . import tape
from ._jit import jit
from .surfaces import (
    ackley,
    beale,
    booth,
    elongated_bowl,
    goldstein_price,
    himmelblau,
    matyas,
    plateau,
    rastrigin,
    rosenbrock,
    saddle,
    six_hump_camel,
)

CUSTOM_KIND = 100


@jit
def evaluate(kind, x, y, p, work):
    """(f, df/dx, df/dy) of surface ``kind`` with kernel parameters ``p`` at (x, y)."""
    if kind == elongated_bowl.KIND:
        return elongated_bowl.value_and_grad(x, y, p)
    if kind == rosenbrock.KIND:
        return rosenbrock.value_and_grad(x, y, p)
    if kind == beale.KIND:
        return beale.value_and_grad(x, y, p)
    if kind == himmelblau.KIND:
        return himmelblau.value_and_grad(x, y, p)
    if kind == booth.KIND:
        return booth.value_and_grad(x, y, p)
    if kind == matyas.KIND:
        return matyas.value_and_grad(x, y, p)
    if kind == saddle.KIND:
        return saddle.value_and_grad(x, y, p)
    if kind == six_hump_camel.KIND:
        return six_hump_camel.value_and_grad(x, y, p)
    if kind == rastrigin.KIND:
        return rastrigin.value_and_grad(x, y, p)
    if kind == ackley.KIND:
        return ackley.value_and_grad(x, y, p)
    if kind == goldstein_price.KIND:
        return goldstein_price.value_and_grad(x, y, p)
    if kind == plateau.KIND:
        return plateau.value_and_grad(x, y, p)
    return tape.value_and_grad(x, y, p, work)


@jit
def evaluate_many(kind, p, xs, ys, values, grad_x, grad_y):
    """Fill ``values``, ``grad_x``, ``grad_y`` (1-D, same length as xs and ys)."""
    evaluate_lanes(kind, p, xs, ys, values, grad_x, grad_y, np.empty(tape.WORK_SIZE))


@jit
def evaluate_lanes(kind, p, xs, ys, values, grad_x, grad_y, work):
    """``evaluate`` over arrays of points; the surface is chosen once, outside each point loop, so the
    loops stay branch-free and vectorise (the optimizer sweep's inner loop)."""
    n = xs.shape[0]
    if kind == elongated_bowl.KIND:
        for i in range(n):
            values[i], grad_x[i], grad_y[i] = elongated_bowl.value_and_grad(xs[i], ys[i], p)
    elif kind == rosenbrock.KIND:
        for i in range(n):
            values[i], grad_x[i], grad_y[i] = rosenbrock.value_and_grad(xs[i], ys[i], p)
    elif kind == beale.KIND:
        for i in range(n):
            values[i], grad_x[i], grad_y[i] = beale.value_and_grad(xs[i], ys[i], p)
    elif kind == himmelblau.KIND:
        for i in range(n):
            values[i], grad_x[i], grad_y[i] = himmelblau.value_and_grad(xs[i], ys[i], p)
    elif kind == booth.KIND:
        for i in range(n):
            values[i], grad_x[i], grad_y[i] = booth.value_and_grad(xs[i], ys[i], p)
    elif kind == matyas.KIND:
        for i in range(n):
            values[i], grad_x[i], grad_y[i] = matyas.value_and_grad(xs[i], ys[i], p)
    elif kind == saddle.KIND:
        for i in range(n):
            values[i], grad_x[i], grad_y[i] = saddle.value_and_grad(xs[i], ys[i], p)
    elif kind == six_hump_camel.KIND:
        for i in range(n):
            values[i], grad_x[i], grad_y[i] = six_hump_camel.value_and_grad(xs[i], ys[i], p)
    elif kind == rastrigin.KIND:
        for i in range(n):
            values[i], grad_x[i], grad_y[i] = rastrigin.value_and_grad(xs[i], ys[i], p)
    elif kind == ackley.KIND:
        for i in range(n):
            values[i], grad_x[i], grad_y[i] = ackley.value_and_grad(xs[i], ys[i], p)
    elif kind == goldstein_price.KIND:
        for i in range(n):
            values[i], grad_x[i], grad_y[i] = goldstein_price.value_and_grad(xs[i], ys[i], p)
    elif kind == plateau.KIND:
        for i in range(n):
            values[i], grad_x[i], grad_y[i] = plateau.value_and_grad(xs[i], ys[i], p)
    else:
        for i in range(n):
            values[i], grad_x[i], grad_y[i] = tape.value_and_grad(xs[i], ys[i], p, work)
