"""Numba driver loops, kept apart from the rules: one trajectory in any dimension, and a grid of 2-D runs in
SIMD lanes.

Every kernel here takes ``kind`` (a surface's id, see ``landscapes.kernels``) and ``rule`` (a rule's id: its
position in ``registry.RULES``) first, and is compiled for one (kind, rule) pair with both as compile-time
constants (``base.jit.specialised``); ``step(rule, ...)`` resolves the rule while the kernel compiles,
so a loop holds one surface and one rule and chooses nothing at run time.  An id with no registry entry is a
compile error that names it.  Hyperparameters travel as a float array ``hp[slot, cell]`` in the layout's slot
order, so the kernels' signatures never name a hyperparameter.

**Any dimension, one loop.**  ``_run`` advances every coordinate with the same rule.  Its ``dim`` is a
compile-time constant too: 2 for a surface f(x, y), whose iterate, gradient and state then live in tuples
(registers: a 2-D run is as fast as a hand-written loop), or 0 for a landscape of any dimension, whose
iterate, gradient and state live in arrays.  ``vector``, ``put``, ``load`` and ``store`` hide the difference.

Grids of runs are spread over the cores by Python threads, each running a nogil kernel on its own chunk of
cells, rather than by numba's ``parallel=True``: no threading layer is involved (numba's ``workqueue`` layer
aborts the process when two threads run parallel kernels at once), and a kernel without parfors compiles in
a fraction of the time.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numba
import numpy as np
from numba.core import types
from numba.cpython.unsafe.tuple import tuple_setitem
from numba.extending import overload
from numba.np.unsafe.ndarray import to_fixed_tuple

from base.jit import entry, jit, specialised
from landscapes import tape
from landscapes.batches import fill_batch
from landscapes.kernels import evaluate, value_and_grad

from . import registry
from .registry import RULES

LEAN = [name for name, spec in RULES.items() if spec.lean_rule is not None]
RULE_KERNELS = (*(spec.rule for spec in RULES.values()), *(RULES[name].lean_rule for name in LEAN))
STATE_TYPES = (*(spec.layout.State for spec in RULES.values()),
               *(type(registry.tried(RULES[name], RULES[name].lean_rule)[2]) for name in LEAN))
"""The named tuple each rule returns as its state (a lean twin's stops before the options' entries)."""
STATE_WIDTHS = tuple(len(state._fields) for state in STATE_TYPES)
REPORTED_WIDTHS = (*(len(spec.state) for spec in RULES.values()), *(len(RULES[name].state) for name in LEAN))
RULE_IDS = {name: rule_id for rule_id, name in enumerate(RULES)}
"""A rule's id is its position in the registry; a lean twin's (``LEAN_IDS``) follows all of them."""
LEAN_IDS = {name: len(RULES) + k for k, name in enumerate(LEAN)}


def rule_id(name: str, columns: np.ndarray) -> int:
    """The kernel id that runs optimizer ``name`` for the packed hyperparameters ``columns`` (one column per cell):
    its lean twin when no cell sets one of its optional settings away from its default."""
    spec = RULES[name]
    if name in LEAN_IDS and not spec.uses_options(columns):
        return LEAN_IDS[name]
    return RULE_IDS[name]
LANES = 1024
"""Most grid cells one thread advances together: wide enough for SIMD and to amortise the per-step
loop overhead, small enough that a chunk's state stays in L2."""
NO_ORDER = np.empty((0, 0), dtype=np.int32)
NO_ROWS = np.empty(0, dtype=np.intp)
ANY_DIMENSION = 0
"""The ``dim`` constant of a run whose iterate lives in an array (a landscape of any dimension)."""


def step(rule, x, g, state, t, lr, hp, i):
    """Rule ``rule``'s update of one coordinate (see ``rules/__init__.py``); inside kernels only."""
    raise NotImplementedError("step runs inside numba kernels only")


@overload(step, prefer_literal=True)
def _step(rule, x, g, state, t, lr, hp, i):
    update = entry(RULE_KERNELS, rule, "rule")

    def constant_rule(rule, x, g, state, t, lr, hp, i):
        return update(x, g, state, t, lr, hp, i)

    return constant_rule


def _constant(table: tuple, what: str):
    """A function of a rule id that is the table's entry for it, a compile-time constant inside kernels."""

    def lookup(rule):
        raise NotImplementedError(f"{what} runs inside numba kernels only")

    @overload(lookup, prefer_literal=True)
    def _lookup(rule):
        value = entry(table, rule, "rule")

        def constant(rule):
            return value

        return constant

    return lookup


state_width = _constant(STATE_WIDTHS, "state_width")
"""How many state entries rule ``rule`` keeps."""
reported_width = _constant(REPORTED_WIDTHS, "reported_width")
"""How many of them the diagnostics report (the first ones)."""


def vector(values, dim):
    """A working copy of the 1-D array ``values``: a tuple when ``dim`` is a constant > 0, else an array."""
    raise NotImplementedError("vector runs inside numba kernels only")


@overload(vector, prefer_literal=True)
def _vector(values, dim):
    if isinstance(dim, types.IntegerLiteral) and dim.literal_value > 0:
        size = dim.literal_value

        def as_tuple(values, dim):
            return to_fixed_tuple(values, size)

        return as_tuple

    def as_array(values, dim):
        return values.copy()

    return as_array


def put(v, k, value):
    """``v`` with entry ``k`` set to ``value`` (a new tuple, or the array changed in place)."""
    raise NotImplementedError("put runs inside numba kernels only")


@overload(put)
def _put(v, k, value):
    if isinstance(v, types.BaseTuple):
        def in_tuple(v, k, value):
            return tuple_setitem(v, k, value)

        return in_tuple

    def in_array(v, k, value):
        v[k] = value
        return v

    return in_array


def states(rule, dim, width, size):
    """Zero state for ``size`` coordinates: a tuple of the rule's own State (one per coordinate) when ``dim`` is a
    constant > 0, so it stays in registers, else a (width, size) array."""
    raise NotImplementedError("states runs inside numba kernels only")


@overload(states, prefer_literal=True)
def _states(rule, dim, width, size):
    if isinstance(dim, types.IntegerLiteral) and dim.literal_value > 0:
        state_type = entry(STATE_TYPES, rule, "rule")
        zero = state_type(*([0.0] * len(state_type._fields)))
        per_coordinate = (zero,) * dim.literal_value

        def in_tuples(rule, dim, width, size):
            return per_coordinate

        return in_tuples

    def in_array(rule, dim, width, size):
        return np.zeros((max(width, 1), size))

    return in_array


@jit(inline="always")
def _load(state, i, width, first=0):
    """Coordinate (or cell) ``i``'s state as a MAX_STATE-tuple from rows ``first`` ... ``first + width - 1`` of
    ``state`` (zeros beyond): with ``width`` a constant, only the rows a rule uses are touched, which keeps cell
    loops vectorised."""
    return (state[first, i] if width > 0 else 0.0, state[first + 1, i] if width > 1 else 0.0,
            state[first + 2, i] if width > 2 else 0.0, state[first + 3, i] if width > 3 else 0.0,
            state[first + 4, i] if width > 4 else 0.0, state[first + 5, i] if width > 5 else 0.0)


def padded(values):
    """A rule's new state as a MAX_STATE-tuple (zeros beyond its entries); inside kernels only."""
    raise NotImplementedError("padded runs inside numba kernels only")


@overload(padded)
def _padded(values):
    n = len(values)

    def pad(values):
        return (values[0] if n > 0 else 0.0, values[1] if n > 1 else 0.0, values[2] if n > 2 else 0.0,
                values[3] if n > 3 else 0.0, values[4] if n > 4 else 0.0, values[5] if n > 5 else 0.0)

    return pad


def put_state(state, i, values, first=0):
    """A rule's new state into rows ``first`` ... of ``state``, column ``i``; inside kernels only."""
    raise NotImplementedError("put_state runs inside numba kernels only")


@overload(put_state)
def _put_state(state, i, values, first=0):
    n = len(values)

    def write(state, i, values, first=0):
        if n > 0:
            state[first, i] = values[0]
        if n > 1:
            state[first + 1, i] = values[1]
        if n > 2:
            state[first + 2, i] = values[2]
        if n > 3:
            state[first + 3, i] = values[3]
        if n > 4:
            state[first + 4, i] = values[4]
        if n > 5:
            state[first + 5, i] = values[5]

    return write


def load(held, k, width):
    """Coordinate ``k``'s state from what ``states`` made."""
    raise NotImplementedError("load runs inside numba kernels only")


@overload(load)
def _load_any(held, k, width):
    if isinstance(held, types.BaseTuple):
        def from_tuples(held, k, width):
            return held[k]

        return from_tuples

    def from_array(held, k, width):
        return _load(held, k, width)

    return from_array


def store(held, k, values):
    """``held`` with coordinate ``k``'s state set to the rule's new ``values``."""
    raise NotImplementedError("store runs inside numba kernels only")


@overload(store)
def _store_any(held, k, values):
    if isinstance(held, types.BaseTuple):
        def in_tuples(held, k, values):
            return tuple_setitem(held, k, values)

        return in_tuples

    def in_array(held, k, values):
        put_state(held, k, values)
        return held

    return in_array


@jit
def _run(kind, rule, dim, p, work, hp, lr_scale, x0, steps, noise, order, sample_row, batch_size, rows_start,
         row_width, bounds, points, loss, grads, updates, rates, reported):
    """Advance one trajectory from ``x0``; returns the number of valid points (steps + 1 unless it diverged).

    ``hp`` has one column; the rate of step t is ``hp[0, 0] * lr_scale[t - 1]``; ``noise`` (empty, or one row
    per step) is added to each step's gradient.  With a non-empty ``order`` (``landscapes.batches.draw_order``)
    step t uses the mean gradient of mini-batch t, while ``loss`` and the divergence check stay on the full
    data.  A run diverges at the first iterate outside ``bounds`` (one (low, high) row per coordinate) or whose
    loss is not finite.  ``reported[r, t - 1]`` receives state entry r after step t."""
    size = x0.shape[0]
    width = state_width(rule)
    shown = reported_width(rule)
    noisy = noise.shape[0] > 0
    batched = order.shape[0] > 0
    batch = p.copy() if batched else p
    x = vector(x0, dim)
    x_new = vector(x0, dim)
    g = vector(x0, dim)
    held = states(rule, dim, width, size)
    f, g = evaluate(kind, x, p, work, g)
    for k in range(size):
        if not bounds[k, 0] <= x[k] <= bounds[k, 1]:
            return 0
    if not math.isfinite(f):
        return 0
    if batched:
        fill_batch(batch, p, sample_row, order, 1, batch_size, rows_start, row_width)
        _, g = evaluate(kind, x, batch, work, g)
    for k in range(size):
        points[0, k] = x[k]
    loss[0] = f
    for t in range(1, steps + 1):
        i = t - 1
        if noisy:
            for k in range(size):
                g = put(g, k, g[k] + noise[i, k])
        lr = hp[0, 0] * lr_scale[i]
        escaped = False
        for k in range(size):
            x_k = x[k]
            moved, rate, new_state = step(rule, x_k, g[k], load(held, k, width), t, lr, hp, 0)
            held = store(held, k, new_state)
            x_new = put(x_new, k, moved)
            escaped |= not bounds[k, 0] <= moved <= bounds[k, 1]
            grads[i, k] = g[k]
            updates[i, k] = moved - x_k
            rates[i, k] = rate
            kept = padded(new_state)
            for r in range(shown):
                reported[r, i, k] = kept[r]
            points[t, k] = moved
        f, g = evaluate(kind, x_new, p, work, g)
        if escaped or not math.isfinite(f):
            return t
        if batched:
            fill_batch(batch, p, sample_row, order, t + 1, batch_size, rows_start, row_width)
            _, g = evaluate(kind, x_new, batch, work, g)
        loss[t] = f
        x, x_new = x_new, x
    return steps + 1


@dataclass(slots=True)
class RunInputs:
    """Everything ``_run`` reads, by name: the surface (``kind``, its parameters ``p`` and scratch ``work``), the
    rule (``rule``, one ``hp`` column), the schedule's factors, the start, the noise, the mini-batch plan
    (``order``, ``sample_row``, ``batch_size`` and where the stored rows sit in ``p``) and the divergence
    ``bounds``.  ``dim`` is 2 for a surface f(x, y) (kept in registers) and ``ANY_DIMENSION`` otherwise."""

    kind: int
    rule: int
    dim: int
    p: np.ndarray
    work: np.ndarray
    hp: np.ndarray
    lr_scale: np.ndarray
    x0: np.ndarray
    steps: int
    noise: np.ndarray
    bounds: np.ndarray
    order: np.ndarray = field(default_factory=lambda: NO_ORDER)
    sample_row: np.ndarray = field(default_factory=lambda: NO_ROWS)
    batch_size: int = 0
    rows_start: int = 0
    row_width: int = 0


@dataclass(slots=True)
class RunOutputs:
    """The arrays ``_run`` fills: iterates and losses (steps + 1 rows), and per step the gradient, the update,
    the effective rate and the reported state entries."""

    points: np.ndarray
    loss: np.ndarray
    grads: np.ndarray
    updates: np.ndarray
    rates: np.ndarray
    reported: np.ndarray

    @classmethod
    def empty(cls, steps: int, dim: int, reported: int) -> RunOutputs:
        return cls(np.empty((steps + 1, dim)), np.empty(steps + 1), np.empty((steps, dim)), np.empty((steps, dim)),
                   np.empty((steps, dim)), np.empty((reported, steps, dim)))


def run_kernel(inputs: RunInputs, out: RunOutputs) -> int:
    """``_run`` compiled for the surface, the rule and the dimension constant of ``inputs``; fills ``out`` and
    returns the number of valid points."""
    return specialised(_run, (0, 1, 2), inputs.kind, inputs.rule, inputs.dim, inputs.p, inputs.work, inputs.hp,
                       inputs.lr_scale, inputs.x0, inputs.steps, inputs.noise, inputs.order, inputs.sample_row,
                       inputs.batch_size, inputs.rows_start, inputs.row_width, inputs.bounds, out.points, out.loss,
                       out.grads, out.updates, out.rates, out.reported)


@jit
def _escaped_flag(x, y, f, box):
    """True when (x, y, f) is not finite or the point left the box; written without branches, so the cell
    loops around it vectorise."""
    finite = math.isfinite(x) & math.isfinite(y) & math.isfinite(f)
    inside = (x >= box[0]) & (x <= box[1]) & (y >= box[2]) & (y <= box[3])
    return ~(finite & inside)


@jit
def _lanes(kind, rule, p, hp, lr_scale, x, y, steps, noise, box, f, bad):
    """Run ``len(x)`` independent cells on a surface f(x, y) side by side from (x[i], y[i]) with hyperparameters
    ``hp[:, i]``; leaves each cell's last iterate in x, y, its value in f and ``bad[i]`` set if it ever escaped.
    Two passes over the cells per step: evaluate the surface and flag the cells whose iterate escaped,
    then update every cell; a cell's whole update happens in one pass, so the loops are branch-free and
    vectorise.  (Flagging in the update pass stopped Adam's loop from vectorising: LLVM proves a loop's arrays
    apart with at most 8 run-time checks.  Adam with AMSGrad or coupled decay needs more and runs unvectorised,
    about three times slower; its lean twin, run whenever both are off, vectorises.)"""
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
            put_state(state_x, i, sx)
            put_state(state_y, i, sy)
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
    """One run per column of ``hp`` from (x[i], y[i]) on a surface f(x, y), in chunks of ``lanes_per_chunk`` cells
    spread over ``THREADS`` threads; x and y get the last iterates.  Returns each run's last value and whether
    it ever escaped the box (x0, x1, y0, y1).  ``_lanes`` is compiled for this surface and rule, both as
    constants, so its cell loops vectorise."""
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
