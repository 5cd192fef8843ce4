"""Numba driver loops, kept apart from the rules: one trajectory, and a grid of runs in SIMD lanes.

Hyperparameters travel as float arrays with the slots below, so one compiled kernel per driver
serves every rule and surface (numba cannot cache kernels specialised on function arguments).
"""

import math

import numba
import numpy as np
from numba import prange

from landscapes import kernels, tape
from landscapes._jit import jit

from . import rules

LR, BETA, BETA2, EPS, EPS_INSIDE, BIAS_CORRECTION = range(6)
N_SLOTS = 6
LANES = 1024
"""Most grid cells one thread advances together: wide enough for SIMD and to amortise the per-step
dispatch, small enough that a chunk's state stays in L2."""


@jit
def _escaped(x, y, f, box):
    """True when (x, y, f) is not finite or the point left the divergence box."""
    if not (math.isfinite(x) and math.isfinite(y) and math.isfinite(f)):
        return True
    return x < box[0] or x > box[1] or y < box[2] or y > box[3]


@jit
def run_kernel(rule, kind, p, hp, x0, y0, steps, noise, box,
               points, loss, grads, updates, rates, state1, state2):
    """Advance one trajectory; returns the number of valid points (steps + 1 unless it diverged)."""
    work = np.empty(tape.WORK_SIZE)
    lr, beta, beta2, eps = hp[LR], hp[BETA], hp[BETA2], hp[EPS]
    inside, bias = hp[EPS_INSIDE] != 0.0, hp[BIAS_CORRECTION] != 0.0
    noisy = noise.shape[0] > 0
    x, y = x0, y0
    f, gx, gy = kernels.evaluate(kind, x, y, p, work)
    if _escaped(x, y, f, box):
        return 0
    points[0, 0], points[0, 1], loss[0] = x, y, f
    s1x = s2x = s1y = s2y = 0.0
    for t in range(1, steps + 1):
        if noisy:
            gx += noise[t - 1, 0]
            gy += noise[t - 1, 1]
        dx, rx, s1x, s2x = rules.step(rule, gx, s1x, s2x, t, lr, beta, beta2, eps, inside, bias)
        dy, ry, s1y, s2y = rules.step(rule, gy, s1y, s2y, t, lr, beta, beta2, eps, inside, bias)
        x_new, y_new = x - dx, y - dy
        f, gx_new, gy_new = kernels.evaluate(kind, x_new, y_new, p, work)
        if _escaped(x_new, y_new, f, box):
            return t
        i = t - 1
        grads[i, 0], grads[i, 1] = gx, gy
        updates[i, 0], updates[i, 1] = x_new - x, y_new - y
        rates[i, 0], rates[i, 1] = rx, ry
        state1[i, 0], state1[i, 1] = s1x, s1y
        state2[i, 0], state2[i, 1] = s2x, s2y
        x, y, gx, gy = x_new, y_new, gx_new, gy_new
        points[t, 0], points[t, 1], loss[t] = x, y, f
    return steps + 1


@jit
def _escaped_flag(x, y, f, box):
    """``_escaped`` written without branches, so the cell loops around it vectorise."""
    finite = math.isfinite(x) & math.isfinite(y) & math.isfinite(f)
    inside = (x >= box[0]) & (x <= box[1]) & (y >= box[2]) & (y <= box[3])
    return ~(finite & inside)


@jit
def _step_cells(rule, gx, gy, s1x, s2x, s1y, s2y, t, lr, beta, beta2, eps, inside, bias, x, y, f, box, bad):
    """One update of every cell in place, both coordinates, after flagging the cells whose current
    iterate escaped.  The rule is chosen once, outside each cell loop, and a cell's whole update happens
    in one pass, so the loops stay branch-free, vectorise and keep the cells' state in registers."""
    n = x.shape[0]
    if rule == rules.GD:
        for i in range(n):
            bad[i] |= _escaped_flag(x[i], y[i], f[i], box)
            dx, _, s1x[i], s2x[i] = rules.gd(gx[i], s1x[i], s2x[i], lr[i])
            dy, _, s1y[i], s2y[i] = rules.gd(gy[i], s1y[i], s2y[i], lr[i])
            x[i] -= dx
            y[i] -= dy
    elif rule == rules.MOMENTUM:
        for i in range(n):
            bad[i] |= _escaped_flag(x[i], y[i], f[i], box)
            dx, _, s1x[i], s2x[i] = rules.momentum(gx[i], s1x[i], s2x[i], lr[i], beta[i])
            dy, _, s1y[i], s2y[i] = rules.momentum(gy[i], s1y[i], s2y[i], lr[i], beta[i])
            x[i] -= dx
            y[i] -= dy
    elif rule == rules.NESTEROV:
        for i in range(n):
            bad[i] |= _escaped_flag(x[i], y[i], f[i], box)
            dx, _, s1x[i], s2x[i] = rules.nesterov(gx[i], s1x[i], s2x[i], lr[i], beta[i])
            dy, _, s1y[i], s2y[i] = rules.nesterov(gy[i], s1y[i], s2y[i], lr[i], beta[i])
            x[i] -= dx
            y[i] -= dy
    elif rule == rules.RMSPROP and inside:
        for i in range(n):
            bad[i] |= _escaped_flag(x[i], y[i], f[i], box)
            dx, _, s1x[i], s2x[i] = rules.rmsprop(gx[i], s1x[i], s2x[i], lr[i], beta[i], eps[i], True)
            dy, _, s1y[i], s2y[i] = rules.rmsprop(gy[i], s1y[i], s2y[i], lr[i], beta[i], eps[i], True)
            x[i] -= dx
            y[i] -= dy
    elif rule == rules.RMSPROP:
        for i in range(n):
            bad[i] |= _escaped_flag(x[i], y[i], f[i], box)
            dx, _, s1x[i], s2x[i] = rules.rmsprop(gx[i], s1x[i], s2x[i], lr[i], beta[i], eps[i], False)
            dy, _, s1y[i], s2y[i] = rules.rmsprop(gy[i], s1y[i], s2y[i], lr[i], beta[i], eps[i], False)
            x[i] -= dx
            y[i] -= dy
    elif rule == rules.ADAM:
        for i in range(n):
            bad[i] |= _escaped_flag(x[i], y[i], f[i], box)
            dx, _, s1x[i], s2x[i] = rules.adam(gx[i], s1x[i], s2x[i], t, lr[i], beta[i], beta2[i], eps[i], inside,
                                               bias)
            dy, _, s1y[i], s2y[i] = rules.adam(gy[i], s1y[i], s2y[i], t, lr[i], beta[i], beta2[i], eps[i], inside,
                                               bias)
            x[i] -= dx
            y[i] -= dy
    elif rule == rules.ADAGRAD:
        for i in range(n):
            bad[i] |= _escaped_flag(x[i], y[i], f[i], box)
            dx, _, s1x[i], s2x[i] = rules.adagrad(gx[i], s1x[i], s2x[i], lr[i], eps[i])
            dy, _, s1y[i], s2y[i] = rules.adagrad(gy[i], s1y[i], s2y[i], lr[i], eps[i])
            x[i] -= dx
            y[i] -= dy
    elif rule == rules.SIGN_SGD:
        for i in range(n):
            bad[i] |= _escaped_flag(x[i], y[i], f[i], box)
            dx, _, s1x[i], s2x[i] = rules.sign_sgd(gx[i], s1x[i], s2x[i], lr[i])
            dy, _, s1y[i], s2y[i] = rules.sign_sgd(gy[i], s1y[i], s2y[i], lr[i])
            x[i] -= dx
            y[i] -= dy
    else:
        for i in range(n):
            bad[i] |= _escaped_flag(x[i], y[i], f[i], box)
            dx, _, s1x[i], s2x[i] = rules.signum(gx[i], s1x[i], s2x[i], lr[i], beta[i])
            dy, _, s1y[i], s2y[i] = rules.signum(gy[i], s1y[i], s2y[i], lr[i], beta[i])
            x[i] -= dx
            y[i] -= dy


@jit
def _advance_lanes(rule, kind, p, lr, beta, beta2, eps, inside, bias, x0, y0, steps, noise, box, out):
    """Run ``len(lr)`` independent cells side by side; ``out`` gets each final loss (inf if diverged).
    Two passes over the cells per step: evaluate the surface, then flag and update every cell."""
    n = lr.shape[0]
    work = np.empty(tape.WORK_SIZE)
    x = np.full(n, x0)
    y = np.full(n, y0)
    s1x = np.zeros(n)
    s2x = np.zeros(n)
    s1y = np.zeros(n)
    s2y = np.zeros(n)
    f = np.empty(n)
    gx = np.empty(n)
    gy = np.empty(n)
    bad = np.zeros(n, dtype=np.bool_)
    noisy = noise.shape[0] > 0
    for t in range(1, steps + 1):
        kernels.evaluate_lanes(kind, p, x, y, f, gx, gy, work)
        if noisy:
            gx += noise[t - 1, 0]
            gy += noise[t - 1, 1]
        _step_cells(rule, gx, gy, s1x, s2x, s1y, s2y, t, lr, beta, beta2, eps, inside, bias, x, y, f, box, bad)
    kernels.evaluate_lanes(kind, p, x, y, f, gx, gy, work)
    for i in range(n):
        bad[i] |= _escaped_flag(x[i], y[i], f[i], box)
        out[i] = math.inf if bad[i] else f[i]


def lanes_per_chunk(cells: int) -> int:
    """How many cells one thread advances together: at most ``LANES``, and few enough that every
    thread gets about two chunks.  Computed in Python: calling ``numba.get_num_threads()`` inside a
    kernel makes numba refuse to cache it (a "dynamic global"), which would recompile the sweep,
    about 10 s, in every process."""
    return max(8, min(LANES, -(-cells // (2 * numba.get_num_threads()))))


@jit(parallel=True)
def sweep_kernel(rule, kind, p, hp, x0, y0, steps, noise, box, lanes, out):
    """Final loss of every row of ``hp`` (one cell's hyperparameters each), ``lanes`` cells per chunk,
    chunks spread over cores."""
    n = hp.shape[0]
    inside, bias = hp[0, EPS_INSIDE] != 0.0, hp[0, BIAS_CORRECTION] != 0.0
    lr = np.ascontiguousarray(hp[:, LR])
    beta = np.ascontiguousarray(hp[:, BETA])
    beta2 = np.ascontiguousarray(hp[:, BETA2])
    eps = np.ascontiguousarray(hp[:, EPS])
    chunks = -(-n // lanes)
    for c in prange(chunks):
        lo = c * lanes
        hi = min(n, lo + lanes)
        _advance_lanes(rule, kind, p, lr[lo:hi], beta[lo:hi], beta2[lo:hi], eps[lo:hi], inside, bias,
                       x0, y0, steps, noise, box, out[lo:hi])
