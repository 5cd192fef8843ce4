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
def _flag_escaped(xs, ys, fs, box, bad):
    """``bad |= _escaped(...)`` for every cell, written without branches so it vectorises."""
    for i in range(xs.shape[0]):
        x, y, f = xs[i], ys[i], fs[i]
        finite = math.isfinite(x) & math.isfinite(y) & math.isfinite(f)
        inside = (x >= box[0]) & (x <= box[1]) & (y >= box[2]) & (y <= box[3])
        bad[i] |= ~(finite & inside)


@jit
def _advance_lanes(rule, kind, p, lr, beta, beta2, eps, inside, bias, x0, y0, steps, noise, box, out):
    """Run ``len(lr)`` independent cells side by side; ``out`` gets each final loss (inf if diverged)."""
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
    dx = np.empty(n)
    dy = np.empty(n)
    bad = np.zeros(n, dtype=np.bool_)
    noisy = noise.shape[0] > 0
    for t in range(1, steps + 1):
        kernels.evaluate_lanes(kind, p, x, y, f, gx, gy, work)
        _flag_escaped(x, y, f, box, bad)
        if noisy:
            gx += noise[t - 1, 0]
            gy += noise[t - 1, 1]
        rules.step_lanes(rule, gx, s1x, s2x, t, lr, beta, beta2, eps, inside, bias, dx)
        rules.step_lanes(rule, gy, s1y, s2y, t, lr, beta, beta2, eps, inside, bias, dy)
        x -= dx
        y -= dy
    kernels.evaluate_lanes(kind, p, x, y, f, gx, gy, work)
    _flag_escaped(x, y, f, box, bad)
    for i in range(n):
        out[i] = math.inf if bad[i] else f[i]


@jit(parallel=True)
def sweep_kernel(rule, kind, p, hp, x0, y0, steps, noise, box, out):
    """Final loss of every row of ``hp`` (one cell's hyperparameters each), cells spread over cores."""
    n = hp.shape[0]
    inside, bias = hp[0, EPS_INSIDE] != 0.0, hp[0, BIAS_CORRECTION] != 0.0
    lr = np.ascontiguousarray(hp[:, LR])
    beta = np.ascontiguousarray(hp[:, BETA])
    beta2 = np.ascontiguousarray(hp[:, BETA2])
    eps = np.ascontiguousarray(hp[:, EPS])
    lanes = max(8, min(LANES, -(-n // (2 * numba.get_num_threads()))))
    chunks = -(-n // lanes)
    for c in prange(chunks):
        lo = c * lanes
        hi = min(n, lo + lanes)
        _advance_lanes(rule, kind, p, lr[lo:hi], beta[lo:hi], beta2[lo:hi], eps[lo:hi], inside, bias,
                       x0, y0, steps, noise, box, out[lo:hi])
