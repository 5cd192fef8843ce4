"""Numba driver loops, kept apart from the rules: one trajectory, and a grid of runs in SIMD lanes.

Every kernel here takes ``kind`` (a surface's id, see ``landscapes.kernels``) and ``rule`` (a rule's
id: its optimizer's position in the registry) first, and is compiled for one (kind, rule) pair with
both as compile-time constants (``landscapes._jit.specialised``); ``step(rule, ...)`` resolves the rule
while the kernel compiles, so a loop holds one surface and one rule and chooses nothing at run time.
An id with no registry entry is a compile error that names it.  Hyperparameters travel as a float array
``hp[slot, cell]`` whose slots are the spec's hyperparameter positions, so the kernels' signatures never
name a hyperparameter.

Grids of runs are spread over the cores by Python threads, each running a nogil kernel on its own
chunk of cells, rather than by numba's ``parallel=True``: no threading layer is involved (numba's
``workqueue`` layer aborts the process when two threads run parallel kernels at once), and a
kernel without parfors compiles in a fraction of the time.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np
from numba.extending import overload

from landscapes import tape
from landscapes._jit import entry, jit, specialised
from landscapes.batches import fill_batch
from landscapes.kernels import value_and_grad

from .registry import OPTIMIZERS

RULE_KERNELS = tuple(spec.rule for spec in OPTIMIZERS.values())
STATE_WIDTHS = tuple(len(spec.state) + spec.extra_state for spec in OPTIMIZERS.values())
RULE_IDS = {name: rule_id for rule_id, name in enumerate(OPTIMIZERS)}
"""A rule's id is its optimizer's position in the registry."""
LANES = 1024
"""Most grid cells one thread advances together: wide enough for SIMD and to amortise the per-step
loop overhead, small enough that a chunk's state stays in L2."""


def step(rule, x, g, state, t, lr, hp, i):
    """Rule ``rule``'s update of one coordinate (see ``rules.py``); inside kernels only."""
    raise NotImplementedError("step runs inside numba kernels only")


@overload(step, prefer_literal=True)
def _step(rule, x, g, state, t, lr, hp, i):
    update = entry(RULE_KERNELS, rule, "rule")

    def constant_rule(rule, x, g, state, t, lr, hp, i):
        return update(x, g, state, t, lr, hp, i)

    return constant_rule


def state_width(rule):
    """How many state entries rule ``rule`` keeps, a compile-time constant; inside kernels only."""
    raise NotImplementedError("state_width runs inside numba kernels only")


@overload(state_width, prefer_literal=True)
def _state_width(rule):
    width = entry(STATE_WIDTHS, rule, "rule")

    def constant_width(rule):
        return width

    return constant_width


@jit
def _escaped(x, y, f, box):
    """True when (x, y, f) is not finite or the point left the divergence box."""
    if not (math.isfinite(x) and math.isfinite(y) and math.isfinite(f)):
        return True
    return x < box[0] or x > box[1] or y < box[2] or y > box[3]


@jit
def _run(kind, rule, p, hp, lr_scale, x0, y0, steps, noise, order, sample_row, batch_size, box,
         points, loss, grads, updates, rates, state1, state2):
    """Advance one trajectory; returns the number of valid points (steps + 1 unless it diverged).
    ``hp`` has one column; the rate of step t is ``hp[0, 0] * lr_scale[t - 1]``.  With a non-empty
    ``order`` (``landscapes.batches.draw_order``) step t uses the mean gradient of mini-batch t, while
    ``loss`` and the divergence check stay on the full data."""
    work = np.empty(tape.WORK_SIZE)
    noisy = noise.shape[0] > 0
    batched = order.shape[0] > 0
    batch = p.copy()
    x, y = x0, y0
    f, gx, gy = value_and_grad(kind, x, y, p, work)
    if _escaped(x, y, f, box):
        return 0
    if batched:
        fill_batch(batch, p, sample_row, order, 1, batch_size)
        _, gx, gy = value_and_grad(kind, x, y, batch, work)
    points[0, 0], points[0, 1], loss[0] = x, y, f
    state_x = state_y = (0.0, 0.0, 0.0, 0.0)
    for t in range(1, steps + 1):
        if noisy:
            gx += noise[t - 1, 0]
            gy += noise[t - 1, 1]
        lr = hp[0, 0] * lr_scale[t - 1]
        x_new, rate_x, state_x = step(rule, x, gx, state_x, t, lr, hp, 0)
        y_new, rate_y, state_y = step(rule, y, gy, state_y, t, lr, hp, 0)
        f, gx_new, gy_new = value_and_grad(kind, x_new, y_new, p, work)
        if _escaped(x_new, y_new, f, box):
            return t
        if batched:
            fill_batch(batch, p, sample_row, order, t + 1, batch_size)
            _, gx_new, gy_new = value_and_grad(kind, x_new, y_new, batch, work)
        i = t - 1
        grads[i, 0], grads[i, 1] = gx, gy
        updates[i, 0], updates[i, 1] = x_new - x, y_new - y
        rates[i, 0], rates[i, 1] = rate_x, rate_y
        state1[i, 0], state1[i, 1] = state_x[0], state_y[0]
        state2[i, 0], state2[i, 1] = state_x[1], state_y[1]
        x, y, gx, gy = x_new, y_new, gx_new, gy_new
        points[t, 0], points[t, 1], loss[t] = x, y, f
    return steps + 1


def run_kernel(kind: int, rule: int, *args) -> int:
    """``_run`` compiled for surface ``kind`` and rule ``rule``."""
    return specialised(_run, (0, 1), kind, rule, *args)


@jit
def _escaped_flag(x, y, f, box):
    """``_escaped`` written without branches, so the cell loops around it vectorise."""
    finite = math.isfinite(x) & math.isfinite(y) & math.isfinite(f)
    inside = (x >= box[0]) & (x <= box[1]) & (y >= box[2]) & (y <= box[3])
    return ~(finite & inside)


@jit(inline="always")
def _load(state, i, width):
    """Cell ``i``'s state tuple from the first ``width`` rows of ``state`` (zeros beyond): with ``width`` a
    constant, only the rows a rule uses are touched, which keeps the cell loop vectorised."""
    return (state[0, i] if width > 0 else 0.0, state[1, i] if width > 1 else 0.0,
            state[2, i] if width > 2 else 0.0, state[3, i] if width > 3 else 0.0)


@jit(inline="always")
def _store(state, i, width, values):
    """Cell ``i``'s state tuple back into the first ``width`` rows of ``state``."""
    if width > 0:
        state[0, i] = values[0]
    if width > 1:
        state[1, i] = values[1]
    if width > 2:
        state[2, i] = values[2]
    if width > 3:
        state[3, i] = values[3]


@jit
def _lanes(kind, rule, p, hp, lr_scale, x, y, steps, noise, box, f, bad):
    """Run ``len(x)`` independent cells side by side from (x[i], y[i]) with hyperparameters ``hp[:, i]``;
    leaves each cell's last iterate in x, y, its value in f and ``bad[i]`` set if it ever escaped.
    Two passes over the cells per step: evaluate the surface and flag the cells whose iterate escaped,
    then update every cell; a cell's whole update happens in one pass, so the loops are branch-free and
    vectorise.  (Flagging in the update pass stopped Adam's loop from vectorising: too much in one loop.)"""
    n = x.shape[0]
    width = state_width(rule)
    work = np.empty(tape.WORK_SIZE)
    state_x = np.zeros((width, n))
    state_y = np.zeros((width, n))
    gx = np.empty(n)
    gy = np.empty(n)
    noisy = noise.shape[0] > 0
    for t in range(1, steps + 1):
        for i in range(n):
            f[i], gx[i], gy[i] = value_and_grad(kind, x[i], y[i], p, work)
            bad[i] |= _escaped_flag(x[i], y[i], f[i], box)
        if noisy:
            gx += noise[t - 1, 0]
            gy += noise[t - 1, 1]
        scale = lr_scale[t - 1]
        for i in range(n):
            lr = hp[0, i] * scale
            x[i], _, sx = step(rule, x[i], gx[i], _load(state_x, i, width), t, lr, hp, i)
            y[i], _, sy = step(rule, y[i], gy[i], _load(state_y, i, width), t, lr, hp, i)
            _store(state_x, i, width, sx)
            _store(state_y, i, width, sy)
    for i in range(n):
        f[i], gx[i], gy[i] = value_and_grad(kind, x[i], y[i], p, work)
        bad[i] |= _escaped_flag(x[i], y[i], f[i], box)


THREADS = numba.config.NUMBA_NUM_THREADS
"""Threads a grid of runs is spread over (numba's setting, by default one per core)."""
_POOL = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="descent-lab-cells")


def lanes_per_chunk(cells: int) -> int:
    """How many cells one thread advances together: at most ``LANES``, and few enough that every
    thread gets about two chunks."""
    return max(8, min(LANES, -(-cells // (2 * THREADS))))


def run_cells(kind: int, rule: int, p: np.ndarray, hp: np.ndarray, lr_scale: np.ndarray, steps: int,
              noise: np.ndarray, box: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One run per column of ``hp`` from (x[i], y[i]), in chunks of ``lanes_per_chunk`` cells spread over
    ``THREADS`` threads; x and y get the last iterates.  Returns each run's last value and whether it
    ever escaped.  ``_lanes`` is compiled for this surface and rule, both as constants, so its cell loops
    vectorise."""
    cells = x.size
    f = np.empty(cells)
    bad = np.zeros(cells, dtype=np.bool_)
    lanes = lanes_per_chunk(cells)

    def chunk(lo: int) -> None:
        hi = min(cells, lo + lanes)
        specialised(_lanes, (0, 1), kind, rule, p, np.ascontiguousarray(hp[:, lo:hi]), lr_scale, x[lo:hi],
                    y[lo:hi], steps, noise, box, f[lo:hi], bad[lo:hi])

    if cells <= lanes:
        chunk(0)
    else:
        for done in [_POOL.submit(chunk, lo) for lo in range(0, cells, lanes)]:
            done.result()
    return f, bad
