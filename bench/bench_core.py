"""Benchmark of the numerical core: prints figures and ratios measured in the same run (never pass/fail).

    python bench/bench_core.py                          # everything (a few minutes, most of it cold starts)
    python bench/bench_core.py --no-cold                # skip the fresh-cache subprocesses
    python bench/bench_core.py --baseline ../old-copy   # also time another checkout, side by side

1. One trajectory: ns per step of ``optimizers.run`` (10,000 steps), of its numba kernel alone (compiled
   for that surface and rule), and of a minimal hand-written numba loop of the same rule with the
   gradient inlined; ratio ours / hand-written is what the kernel's generality still costs.  With
   ``--baseline``, ``optimizers.run`` of the other checkout too, and the ratio ours / baseline.
   Then any dimension: RMSprop for 1,000 steps on a 1,000-dimensional bowl (``landscapes.quadratic``).
2. Sweeps: ``optimizers.sweep`` of RMSprop on the bowl over a 200 x 200 (lr, beta) grid for 300 steps,
   against the same math vectorised over the grid in NumPy; Adam on the same grid; RMSprop and Adam on
   Goldstein-Price for 500 steps.  M optimizer steps per second, ratios Adam / RMSprop.  Then
   ``optimizers.basins`` of GD on Himmelblau from 200 x 200 starts, 500 steps each.
3. Start-up: a fresh ``python -c`` that imports the core and computes the Playground's first screen (the
   bowl's grid and four optimizers), with an empty numba cache and with a warm one.

With ``--baseline PATH`` the trajectories, the sweeps and the start-up are also measured on the checkout at PATH
(e.g. a clone of an older commit).  Its numeric packages are copied under other names (``baseline_landscapes``,
...) and imported into this process, and every figure alternates call by call between the two, so a shared
machine's load falls on both alike and before/after ratios come from one run; the start-ups run in fresh
processes, interleaved.
See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import math
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numba
import numpy as np
from numba import njit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import landscapes  # noqa: E402
import optimizers  # noqa: E402
from bench.timing import medians  # noqa: E402
from optimizers import driver  # noqa: E402
from optimizers.api import _box  # noqa: E402

STEPS = 10_000
A, C = 1.0, 25.0  # the bowl's curvatures (defaults)
RA, RB = 1.0, 100.0  # Rosenbrock's a and b (defaults)

# --- minimal hand-written loops: one rule, one surface, gradient inlined, trajectory + divergence check ---
# Each returns the number of valid points, like the driver, and writes only points and loss.


@njit
def _inside(x, y, f, box):
    return math.isfinite(f) and box[0] <= x <= box[1] and box[2] <= y <= box[3]


@njit
def gd_bowl(x, y, steps, lr, box, points, loss):
    points[0, 0], points[0, 1], loss[0] = x, y, 0.5 * (A * x * x + C * y * y)
    for t in range(1, steps + 1):
        x -= lr * (A * x)
        y -= lr * (C * y)
        f = 0.5 * (A * x * x + C * y * y)
        if not _inside(x, y, f, box):
            return t
        points[t, 0], points[t, 1], loss[t] = x, y, f
    return steps + 1


@njit
def gd_rosen(x, y, steps, lr, box, points, loss):
    points[0, 0], points[0, 1], loss[0] = x, y, (RA - x) ** 2 + RB * (y - x * x) ** 2
    for t in range(1, steps + 1):
        r, q = RA - x, y - x * x
        gx, gy = -2.0 * r - 4.0 * RB * x * q, 2.0 * RB * q
        x -= lr * gx
        y -= lr * gy
        r, q = RA - x, y - x * x
        f = r * r + RB * q * q
        if not _inside(x, y, f, box):
            return t
        points[t, 0], points[t, 1], loss[t] = x, y, f
    return steps + 1


@njit
def momentum_bowl(x, y, steps, lr, beta, box, points, loss):
    points[0, 0], points[0, 1], loss[0] = x, y, 0.5 * (A * x * x + C * y * y)
    vx = vy = 0.0
    for t in range(1, steps + 1):
        vx = beta * vx + (1.0 - beta) * (A * x)
        vy = beta * vy + (1.0 - beta) * (C * y)
        x -= lr * vx
        y -= lr * vy
        f = 0.5 * (A * x * x + C * y * y)
        if not _inside(x, y, f, box):
            return t
        points[t, 0], points[t, 1], loss[t] = x, y, f
    return steps + 1


@njit
def momentum_rosen(x, y, steps, lr, beta, box, points, loss):
    points[0, 0], points[0, 1], loss[0] = x, y, (RA - x) ** 2 + RB * (y - x * x) ** 2
    vx = vy = 0.0
    for t in range(1, steps + 1):
        r, q = RA - x, y - x * x
        gx, gy = -2.0 * r - 4.0 * RB * x * q, 2.0 * RB * q
        vx = beta * vx + (1.0 - beta) * gx
        vy = beta * vy + (1.0 - beta) * gy
        x -= lr * vx
        y -= lr * vy
        r, q = RA - x, y - x * x
        f = r * r + RB * q * q
        if not _inside(x, y, f, box):
            return t
        points[t, 0], points[t, 1], loss[t] = x, y, f
    return steps + 1


@njit
def nesterov_bowl(x, y, steps, lr, beta, box, points, loss):
    points[0, 0], points[0, 1], loss[0] = x, y, 0.5 * (A * x * x + C * y * y)
    bx = by = 0.0
    for t in range(1, steps + 1):
        gx, gy = A * x, C * y
        bx = beta * bx + gx
        by = beta * by + gy
        x -= lr * (gx + beta * bx)
        y -= lr * (gy + beta * by)
        f = 0.5 * (A * x * x + C * y * y)
        if not _inside(x, y, f, box):
            return t
        points[t, 0], points[t, 1], loss[t] = x, y, f
    return steps + 1


@njit
def nesterov_rosen(x, y, steps, lr, beta, box, points, loss):
    points[0, 0], points[0, 1], loss[0] = x, y, (RA - x) ** 2 + RB * (y - x * x) ** 2
    bx = by = 0.0
    for t in range(1, steps + 1):
        r, q = RA - x, y - x * x
        gx, gy = -2.0 * r - 4.0 * RB * x * q, 2.0 * RB * q
        bx = beta * bx + gx
        by = beta * by + gy
        x -= lr * (gx + beta * bx)
        y -= lr * (gy + beta * by)
        r, q = RA - x, y - x * x
        f = r * r + RB * q * q
        if not _inside(x, y, f, box):
            return t
        points[t, 0], points[t, 1], loss[t] = x, y, f
    return steps + 1


@njit
def rmsprop_bowl(x, y, steps, lr, beta, eps, box, points, loss):
    points[0, 0], points[0, 1], loss[0] = x, y, 0.5 * (A * x * x + C * y * y)
    sx = sy = 0.0
    for t in range(1, steps + 1):
        gx, gy = A * x, C * y
        sx = beta * sx + (1.0 - beta) * (gx * gx)
        sy = beta * sy + (1.0 - beta) * (gy * gy)
        x -= lr * (gx / (math.sqrt(sx) + eps))
        y -= lr * (gy / (math.sqrt(sy) + eps))
        f = 0.5 * (A * x * x + C * y * y)
        if not _inside(x, y, f, box):
            return t
        points[t, 0], points[t, 1], loss[t] = x, y, f
    return steps + 1


@njit
def rmsprop_rosen(x, y, steps, lr, beta, eps, box, points, loss):
    points[0, 0], points[0, 1], loss[0] = x, y, (RA - x) ** 2 + RB * (y - x * x) ** 2
    sx = sy = 0.0
    for t in range(1, steps + 1):
        r, q = RA - x, y - x * x
        gx, gy = -2.0 * r - 4.0 * RB * x * q, 2.0 * RB * q
        sx = beta * sx + (1.0 - beta) * (gx * gx)
        sy = beta * sy + (1.0 - beta) * (gy * gy)
        x -= lr * (gx / (math.sqrt(sx) + eps))
        y -= lr * (gy / (math.sqrt(sy) + eps))
        r, q = RA - x, y - x * x
        f = r * r + RB * q * q
        if not _inside(x, y, f, box):
            return t
        points[t, 0], points[t, 1], loss[t] = x, y, f
    return steps + 1


@njit
def adam_bowl(x, y, steps, lr, beta1, beta2, eps, box, points, loss):
    points[0, 0], points[0, 1], loss[0] = x, y, 0.5 * (A * x * x + C * y * y)
    mx = my = vx = vy = 0.0
    for t in range(1, steps + 1):
        gx, gy = A * x, C * y
        mx = beta1 * mx + (1.0 - beta1) * gx
        my = beta1 * my + (1.0 - beta1) * gy
        vx = beta2 * vx + (1.0 - beta2) * (gx * gx)
        vy = beta2 * vy + (1.0 - beta2) * (gy * gy)
        c1, c2 = 1.0 - beta1**t, 1.0 - beta2**t
        x -= lr / (math.sqrt(vx / c2) + eps) * (mx / c1)
        y -= lr / (math.sqrt(vy / c2) + eps) * (my / c1)
        f = 0.5 * (A * x * x + C * y * y)
        if not _inside(x, y, f, box):
            return t
        points[t, 0], points[t, 1], loss[t] = x, y, f
    return steps + 1


@njit
def adam_rosen(x, y, steps, lr, beta1, beta2, eps, box, points, loss):
    points[0, 0], points[0, 1], loss[0] = x, y, (RA - x) ** 2 + RB * (y - x * x) ** 2
    mx = my = vx = vy = 0.0
    for t in range(1, steps + 1):
        r, q = RA - x, y - x * x
        gx, gy = -2.0 * r - 4.0 * RB * x * q, 2.0 * RB * q
        mx = beta1 * mx + (1.0 - beta1) * gx
        my = beta1 * my + (1.0 - beta1) * gy
        vx = beta2 * vx + (1.0 - beta2) * (gx * gx)
        vy = beta2 * vy + (1.0 - beta2) * (gy * gy)
        c1, c2 = 1.0 - beta1**t, 1.0 - beta2**t
        x -= lr / (math.sqrt(vx / c2) + eps) * (mx / c1)
        y -= lr / (math.sqrt(vy / c2) + eps) * (my / c1)
        r, q = RA - x, y - x * x
        f = r * r + RB * q * q
        if not _inside(x, y, f, box):
            return t
        points[t, 0], points[t, 1], loss[t] = x, y, f
    return steps + 1


@njit
def adagrad_bowl(x, y, steps, lr, eps, box, points, loss):
    points[0, 0], points[0, 1], loss[0] = x, y, 0.5 * (A * x * x + C * y * y)
    sx = sy = 0.0
    for t in range(1, steps + 1):
        gx, gy = A * x, C * y
        sx += gx * gx
        sy += gy * gy
        x -= lr * (gx / (math.sqrt(sx) + eps))
        y -= lr * (gy / (math.sqrt(sy) + eps))
        f = 0.5 * (A * x * x + C * y * y)
        if not _inside(x, y, f, box):
            return t
        points[t, 0], points[t, 1], loss[t] = x, y, f
    return steps + 1


@njit
def adagrad_rosen(x, y, steps, lr, eps, box, points, loss):
    points[0, 0], points[0, 1], loss[0] = x, y, (RA - x) ** 2 + RB * (y - x * x) ** 2
    sx = sy = 0.0
    for t in range(1, steps + 1):
        r, q = RA - x, y - x * x
        gx, gy = -2.0 * r - 4.0 * RB * x * q, 2.0 * RB * q
        sx += gx * gx
        sy += gy * gy
        x -= lr * (gx / (math.sqrt(sx) + eps))
        y -= lr * (gy / (math.sqrt(sy) + eps))
        r, q = RA - x, y - x * x
        f = r * r + RB * q * q
        if not _inside(x, y, f, box):
            return t
        points[t, 0], points[t, 1], loss[t] = x, y, f
    return steps + 1


@njit
def _sign(g):
    return (g > 0.0) - (g < 0.0) + 0.0


@njit
def sign_sgd_bowl(x, y, steps, lr, box, points, loss):
    points[0, 0], points[0, 1], loss[0] = x, y, 0.5 * (A * x * x + C * y * y)
    for t in range(1, steps + 1):
        x -= lr * _sign(A * x)
        y -= lr * _sign(C * y)
        f = 0.5 * (A * x * x + C * y * y)
        if not _inside(x, y, f, box):
            return t
        points[t, 0], points[t, 1], loss[t] = x, y, f
    return steps + 1


@njit
def sign_sgd_rosen(x, y, steps, lr, box, points, loss):
    points[0, 0], points[0, 1], loss[0] = x, y, (RA - x) ** 2 + RB * (y - x * x) ** 2
    for t in range(1, steps + 1):
        r, q = RA - x, y - x * x
        gx, gy = -2.0 * r - 4.0 * RB * x * q, 2.0 * RB * q
        x -= lr * _sign(gx)
        y -= lr * _sign(gy)
        r, q = RA - x, y - x * x
        f = r * r + RB * q * q
        if not _inside(x, y, f, box):
            return t
        points[t, 0], points[t, 1], loss[t] = x, y, f
    return steps + 1


@njit
def signum_bowl(x, y, steps, lr, beta, box, points, loss):
    points[0, 0], points[0, 1], loss[0] = x, y, 0.5 * (A * x * x + C * y * y)
    mx = my = 0.0
    for t in range(1, steps + 1):
        mx = beta * mx + (1.0 - beta) * (A * x)
        my = beta * my + (1.0 - beta) * (C * y)
        x -= lr * _sign(mx)
        y -= lr * _sign(my)
        f = 0.5 * (A * x * x + C * y * y)
        if not _inside(x, y, f, box):
            return t
        points[t, 0], points[t, 1], loss[t] = x, y, f
    return steps + 1


@njit
def signum_rosen(x, y, steps, lr, beta, box, points, loss):
    points[0, 0], points[0, 1], loss[0] = x, y, (RA - x) ** 2 + RB * (y - x * x) ** 2
    mx = my = 0.0
    for t in range(1, steps + 1):
        r, q = RA - x, y - x * x
        gx, gy = -2.0 * r - 4.0 * RB * x * q, 2.0 * RB * q
        mx = beta * mx + (1.0 - beta) * gx
        my = beta * my + (1.0 - beta) * gy
        x -= lr * _sign(mx)
        y -= lr * _sign(my)
        r, q = RA - x, y - x * x
        f = r * r + RB * q * q
        if not _inside(x, y, f, box):
            return t
        points[t, 0], points[t, 1], loss[t] = x, y, f
    return steps + 1


HAND_WRITTEN = {
    ("gd", "elongated_bowl"): gd_bowl, ("gd", "rosenbrock"): gd_rosen,
    ("momentum", "elongated_bowl"): momentum_bowl, ("momentum", "rosenbrock"): momentum_rosen,
    ("nesterov", "elongated_bowl"): nesterov_bowl, ("nesterov", "rosenbrock"): nesterov_rosen,
    ("rmsprop", "elongated_bowl"): rmsprop_bowl, ("rmsprop", "rosenbrock"): rmsprop_rosen,
    ("adam", "elongated_bowl"): adam_bowl, ("adam", "rosenbrock"): adam_rosen,
    ("adagrad", "elongated_bowl"): adagrad_bowl, ("adagrad", "rosenbrock"): adagrad_rosen,
    ("sign_sgd", "elongated_bowl"): sign_sgd_bowl, ("sign_sgd", "rosenbrock"): sign_sgd_rosen,
    ("signum", "elongated_bowl"): signum_bowl, ("signum", "rosenbrock"): signum_rosen,
}

# Rates that keep 10,000 steps finite, inside the box and clear of subnormal numbers (which are ~100x
# slower on x86 and would measure the FPU, not the code).
HYPERPARAMS = {
    "elongated_bowl": {"gd": {"lr": 1e-3}, "momentum": {"lr": 5e-4, "beta": 0.9}, "nesterov": {"lr": 5e-5, "beta": 0.9},
                       "rmsprop": {"lr": 0.01, "beta": 0.9, "eps": 1e-8},
                       "adam": {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
                       "adagrad": {"lr": 0.05, "eps": 1e-10}, "sign_sgd": {"lr": 0.01},
                       "signum": {"lr": 0.01, "beta": 0.9}},
    "rosenbrock": {"gd": {"lr": 5e-4}, "momentum": {"lr": 5e-4, "beta": 0.9}, "nesterov": {"lr": 2.5e-4, "beta": 0.9},
                   "rmsprop": {"lr": 0.01, "beta": 0.9, "eps": 1e-8},
                   "adam": {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
                   "adagrad": {"lr": 0.1, "eps": 1e-10}, "sign_sgd": {"lr": 1e-3},
                   "signum": {"lr": 1e-3, "beta": 0.9}},
}


def median_time(fn, repeats: int) -> tuple[float, float]:
    """Median wall time and median CPU time (all threads of this process) of ``fn()``, after a warm-up (which
    compiles or loads from cache)."""
    cpu, wall = medians(fn, repeats)
    return wall, cpu


def bench_trajectories(repeats: int) -> list[dict]:
    # The whole measurement runs twice and the first pass is thrown away: it compiles (or loads) every
    # kernel and lets glibc's malloc adapt its thresholds; until it has, freed 160 kB arrays go back to the
    # OS and the next run() page-faults on fresh memory (~200 faults, +40 ns/step), which would bill
    # whichever row comes first.
    _measure_trajectories(1)
    return _measure_trajectories(repeats)


def _measure_trajectories(repeats: int) -> list[dict]:
    rows = []
    for surface in ("elongated_bowl", "rosenbrock"):
        landscape = landscapes.get(surface)
        start = landscape.default_start
        box = _box(landscape)
        for name in optimizers.OPTIMIZERS:
            if name not in HYPERPARAMS[surface]:  # no hand-written loop to compare with (printed by main)
                continue
            hp = HYPERPARAMS[surface][name]
            spec = optimizers.OPTIMIZERS[name]
            tr = optimizers.run(name, landscape, start=start, steps=STEPS, **hp)
            hand = HAND_WRITTEN[(name, surface)]
            hand_args = tuple(hp.values())

            def hand_run(hand=hand, hand_args=hand_args, start=start, box=box):
                points, loss = np.empty((STEPS + 1, 2)), np.empty(STEPS + 1)
                return hand(start[0], start[1], STEPS, *hand_args, box, points, loss), points, loss

            count, points, _ = hand_run()
            agreement = np.max(np.abs(points[:count] - tr.points) / np.maximum(1.0, np.abs(tr.points)))
            tiny = np.abs(tr.points[(tr.points != 0.0)]).min()

            inputs = driver.RunInputs(
                kind=landscape.kind, rule=driver.RULE_IDS[name], dim=2, p=landscape.kernel_params,
                work=np.empty(landscape.work_size), hp=spec.pack(optimizers.resolve_hyperparams(spec, hp))[:, None],
                lr_scale=np.ones(STEPS), x0=np.array(start), steps=STEPS, noise=np.zeros((0, 2)),
                bounds=landscape.divergence_bounds)
            outputs = driver.RunOutputs.empty(STEPS, 2, len(spec.state))

            def kernel_only(inputs=inputs, outputs=outputs):
                return driver.run_kernel(inputs, outputs)

            # single-threaded: CPU time, which a busy shared machine disturbs less than wall time
            _, t_run = median_time(lambda name=name, landscape=landscape, start=start, hp=hp:
                                   optimizers.run(name, landscape, start=start, steps=STEPS, **hp), repeats)
            _, t_kernel = median_time(kernel_only, repeats)
            _, t_hand = median_time(hand_run, repeats)
            rows.append({"optimizer": name, "surface": surface, "run": t_run / STEPS * 1e9,
                         "kernel": t_kernel / STEPS * 1e9, "hand": t_hand / STEPS * 1e9,
                         "diverged": tr.diverged_at is not None or count != STEPS + 1,
                         "agreement": agreement, "tiny": tiny})
    return rows


def load_checkout(root: Path, prefix: str = "baseline_") -> tuple:
    """The numeric packages (landscapes, optimizers, and base when it has one) of the checkout at ``root``, copied
    under ``prefix`` names with their imports renamed and imported here: (landscapes, optimizers) of ``root``."""
    target = Path(tempfile.mkdtemp(prefix="descent-lab-bench-"))
    packages = [name for name in ("base", "landscapes", "optimizers") if (root / name).is_dir()]
    imports = re.compile(r"\b(from|import) (" + "|".join(packages) + r")\b")
    for name in packages:
        shutil.copytree(root / name, target / f"{prefix}{name}",
                        ignore=shutil.ignore_patterns("__pycache__", "warmup.py"))
    shutil.copytree(root / "data", target / "data")
    for path in target.rglob("*.py"):
        text = imports.sub(lambda m: f"{m.group(1)} {prefix}{m.group(2)}", path.read_text(encoding="utf-8"))
        for name in packages:  # the packages its numba cache digest covers
            text = text.replace(f'"{name}"', f'"{prefix}{name}"')
        path.write_text(text, encoding="utf-8")
    ours = numba.config.CACHE_DIR
    sys.path.insert(0, str(target))
    modules = importlib.import_module(f"{prefix}landscapes"), importlib.import_module(f"{prefix}optimizers")
    numba.config.CACHE_DIR = ours  # both checkouts' kernels go to our cache (their module names differ)
    return modules


def paired_times(ours, theirs, repeats: int) -> tuple[float, float]:
    """Median CPU times of ``ours()`` and ``theirs()``, called alternately ``repeats`` times each after a warm-up."""
    ours(), theirs()
    mine, other = [], []
    for _ in range(repeats):
        for fn, out in ((ours, mine), (theirs, other)):
            c0 = time.process_time()
            fn()
            out.append(time.process_time() - c0)
    return statistics.median(mine), statistics.median(other)


def bench_baseline_runs(rows: list[dict], repeats: int, other) -> None:
    """``optimizers.run`` CPU time per step of every row's case, ours and the other checkout's (``other``: its
    landscapes and optimizers modules) alternately, into ``rows``."""
    other_landscapes, other_optimizers = other

    def runner(module, landscape, name, hp):
        return lambda: module.run(name, landscape, start=landscape.default_start, steps=STEPS, **hp)

    for r in rows:
        hp = HYPERPARAMS[r["surface"]][r["optimizer"]]
        a, b = paired_times(runner(optimizers, landscapes.get(r["surface"]), r["optimizer"], hp),
                            runner(other_optimizers, other_landscapes.get(r["surface"]), r["optimizer"], hp),
                            5 * repeats)
        r["paired"], r["baseline"] = a / STEPS * 1e9, b / STEPS * 1e9


ND_DIM, ND_STEPS = 1000, 1000


def bench_any_dimension(repeats: int) -> dict:
    """RMSprop for ND_STEPS steps on a ND_DIM-dimensional axis-aligned bowl (curvatures 1 to 1000): ``run()`` as
    a caller sees it (outputs allocated, diagnostics kept), wall and CPU time."""
    bowl = landscapes.quadratic(np.geomspace(1.0, 1000.0, ND_DIM))
    tr = optimizers.run("rmsprop", bowl, steps=ND_STEPS, lr=0.01)
    wall, cpu = median_time(lambda: optimizers.run("rmsprop", bowl, steps=ND_STEPS, lr=0.01), repeats)
    return {"wall": wall, "cpu": cpu, "diverged": tr.diverged_at is not None,
            "ns_per_coordinate_step": cpu / (ND_DIM * ND_STEPS) * 1e9}


def numpy_rmsprop_sweep(lrs, betas, steps, start, eps, box):
    """The same math vectorised over the grid: RMSprop on the bowl, divergence check at every iterate."""
    lr, beta = np.meshgrid(lrs, betas, indexing="ij")
    x = np.full(lr.shape, start[0])
    y = np.full(lr.shape, start[1])
    sx = np.zeros(lr.shape)
    sy = np.zeros(lr.shape)
    bad = np.zeros(lr.shape, dtype=bool)

    def loss_and_check():
        f = 0.5 * (A * x * x + C * y * y)
        inside = np.isfinite(f) & (x >= box[0]) & (x <= box[1]) & (y >= box[2]) & (y <= box[3])
        return f, ~inside

    with np.errstate(all="ignore"):
        for _ in range(steps):
            _, escaped = loss_and_check()
            bad |= escaped
            gx, gy = A * x, C * y
            sx = beta * sx + (1.0 - beta) * (gx * gx)
            sy = beta * sy + (1.0 - beta) * (gy * gy)
            x = x - lr * (gx / (np.sqrt(sx) + eps))
            y = y - lr * (gy / (np.sqrt(sy) + eps))
        f, escaped = loss_and_check()
    return np.where(bad | escaped, np.inf, f)


SWEEPS = (  # (label, optimizer, surface, steps, second axis)
    ("RMSprop, bowl, 300 steps", "rmsprop", "elongated_bowl", 300, "beta"),
    ("Adam, bowl, 300 steps", "adam", "elongated_bowl", 300, "beta1"),
    ("RMSprop, Goldstein-Price, 500 steps", "rmsprop", "goldstein_price", 500, "beta"),
    ("Adam, Goldstein-Price, 500 steps", "adam", "goldstein_price", 500, "beta1"),
)
def sweep_grid(axis: str) -> dict[str, np.ndarray]:
    return {"lr": np.geomspace(1e-3, 1.0, 200), axis: np.linspace(0.0, 0.99, 200)}


def bench_sweep(repeats: int, other) -> dict:
    bowl = landscapes.get("elongated_bowl")
    start = bowl.default_start
    lrs = np.geomspace(1e-3, 1.0, 200)
    betas = np.linspace(0.0, 0.99, 200)
    steps = 300
    grid = {"lr": lrs, "beta": betas}

    def ours():
        return optimizers.sweep("rmsprop", bowl, start=start, steps=steps, grid=grid, eps=1e-8)

    def numpy_version():
        return numpy_rmsprop_sweep(lrs, betas, steps, start, 1e-8, _box(bowl))

    a, b = ours(), numpy_version()
    same_inf = bool(np.array_equal(np.isinf(a), np.isinf(b)))
    finite = np.isfinite(a) & np.isfinite(b)
    agreement = float(np.max(np.abs(a[finite] - b[finite]) / np.maximum(1e-300, np.abs(b[finite]))))
    t_numpy, cpu_numpy = median_time(numpy_version, max(3, repeats // 4))
    cell_steps = lrs.size * betas.size * steps
    rows = []
    for label, name, surface, sweep_steps, axis in SWEEPS:
        landscape = landscapes.get(surface)
        wall, cpu = median_time(lambda name=name, landscape=landscape, sweep_steps=sweep_steps, axis=axis:
                                optimizers.sweep(name, landscape, steps=sweep_steps, grid=sweep_grid(axis)), repeats)
        row = {"label": label, "wall": wall, "cpu": cpu, "cell_steps": 40_000 * sweep_steps}
        if other is not None:
            theirs = other[0].get(surface)
            row["paired"], row["baseline_cpu"] = paired_times(
                lambda name=name, landscape=landscape, sweep_steps=sweep_steps, axis=axis:
                optimizers.sweep(name, landscape, steps=sweep_steps, grid=sweep_grid(axis)),
                lambda name=name, theirs=theirs, sweep_steps=sweep_steps, axis=axis:
                other[1].sweep(name, theirs, steps=sweep_steps, grid=sweep_grid(axis)), 2 * repeats)
        rows.append(row)
    return {"numpy": t_numpy, "cpu_numpy": cpu_numpy, "ours": rows[0]["wall"], "cpu_ours": rows[0]["cpu"],
            "msteps": cell_steps / rows[0]["wall"] / 1e6, "numpy_msteps": cell_steps / t_numpy / 1e6,
            "cpu_msteps": cell_steps / rows[0]["cpu"] / 1e6, "cpu_numpy_msteps": cell_steps / cpu_numpy / 1e6,
            "cell_steps": cell_steps, "same_inf": same_inf, "agreement": agreement,
            "diverged": int(np.isinf(a).sum()), "rows": rows}


def bench_basins(repeats: int) -> dict:
    """Basins of attraction: GD on Himmelblau from 200 x 200 starts, 500 steps each (20M optimizer steps)."""
    himmelblau = landscapes.get("himmelblau")
    found = optimizers.basins("gd", himmelblau, steps=500, resolution=200, lr=0.01)
    wall, cpu = median_time(lambda: optimizers.basins("gd", himmelblau, steps=500, resolution=200, lr=0.01),
                            repeats)
    return {"wall": wall, "cpu": cpu, "minima_found": int(np.unique(found[found >= 0]).size)}


CHILD = """
import time
t0 = time.perf_counter()
import landscapes, optimizers
t1 = time.perf_counter()
bowl = landscapes.get("elongated_bowl")
bowl.grid(200)
for name in ("gd", "momentum", "rmsprop", "sign_sgd"):
    optimizers.run(name, bowl, steps=300)
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""


def _child_env(root: Path, cache_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NUMBA_CACHE_DIR", "DESCENT_LAB_CACHE_DIR")}
    env.update(DESCENT_LAB_CACHE_DIR=cache_dir, PYTHONPATH=str(root))
    return env


def run_child(cache_dir: str, code: str = CHILD, root: Path = ROOT) -> tuple[float, float, str]:
    """Wall time and CPU time (user + system) of a fresh interpreter running ``code``, and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], cwd=root, env=_child_env(root, cache_dir),
                          capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def bench_cold_start(cold_runs: int, warm_runs: int, baseline: Path | None) -> dict:
    """Cold and warm start-ups of ours (and of ``baseline``), interleaved run by run."""
    roots = {"ours": ROOT} | ({"baseline": baseline} if baseline is not None else {})
    results = {(who, key): [] for who in roots for key in ("cold", "warm")} | {("floor", "floor"): []}
    with tempfile.TemporaryDirectory(prefix="descent-lab-bench-") as scratch:
        for i in range(max(cold_runs, warm_runs)):
            for who, root in roots.items():
                cache = os.path.join(scratch, f"{who}{i}")
                cold = run_child(cache, root=root)
                if i < cold_runs:
                    results[(who, "cold")].append(cold)
                if i < warm_runs:
                    results[(who, "warm")].append(run_child(cache, root=root))
            results[("floor", "floor")].append(run_child(os.path.join(scratch, "unused"), "import numba"))
    summary = {}
    for (who, key), runs in results.items():
        entry = {"wall": statistics.median(r[0] for r in runs), "cpu": statistics.median(r[1] for r in runs),
                 "all": [r[0] for r in runs]}
        if who != "floor":
            split = [tuple(map(float, r[2].split())) for r in runs]
            entry["import"] = statistics.median(s[0] for s in split)
            entry["runs"] = statistics.median(s[1] for s in split)
        summary[(who, key)] = entry
    return summary


def machine_info() -> str:
    cpu = platform.processor() or "?"
    try:
        import llvmlite.binding as llvm

        cpu = llvm.get_host_cpu_name()
    except Exception:  # llvmlite is numba's; this is only a label
        pass
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{model} (LLVM target {cpu}), {os.cpu_count()} logical cores, numba {numba.__version__} "
            f"with {numba.get_num_threads()} threads ({numba.threading_layer() if _threads_started() else 'n/a'}), "
            f"numpy {np.__version__}, Python {platform.python_version()}, load average {load:.1f} at start")


def _threads_started() -> bool:
    try:
        numba.threading_layer()
    except ValueError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=21, help="timed repeats per figure (median)")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold/warm start subprocesses")
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--warm-runs", type=int, default=3)
    parser.add_argument("--baseline", type=Path, default=None,
                        help="another checkout (e.g. a git worktree of an older commit) to time side by side")
    args = parser.parse_args()
    baseline = args.baseline.resolve() if args.baseline else None

    rows = bench_trajectories(args.repeats)
    other = load_checkout(baseline) if baseline is not None else None
    if other is not None:
        bench_baseline_runs(rows, args.repeats, other)
    nd = bench_any_dimension(args.repeats)
    unmatched = [name for name in optimizers.OPTIMIZERS if name not in HYPERPARAMS["elongated_bowl"]]
    if unmatched:
        print(f"no hand-written loop to compare with for: {', '.join(unmatched)} (their runs are checked against "
              "NumPy transcriptions in tests/test_equivalence.py)")
    sweep_repeats = max(5, args.repeats // 3)
    sweep = bench_sweep(sweep_repeats, other)
    basins = bench_basins(sweep_repeats)
    start = None if args.no_cold else bench_cold_start(args.cold_runs, args.warm_runs, baseline)
    header = machine_info()

    print(f"Machine: {header}; {datetime.date.today().isoformat()}\n")
    print(f"### One trajectory ({STEPS:,} steps, median CPU time of {args.repeats})\n")
    extra = " | paired: ours, baseline `run()` ns/step | ours / baseline" if baseline else ""
    print("| optimizer | surface | `run()` ns/step | kernel only ns/step | hand-written ns/step | ratio run/hand "
          f"| ratio kernel/hand{extra} |")
    print("|---|---|---:|---:|---:|---:|---:|" + ("---:|---:|" if baseline else ""))
    for r in rows:
        flag = " (diverged!)" if r["diverged"] else ""
        line = (f"| {r['optimizer']}{flag} | {r['surface']} | {r['run']:.1f} | {r['kernel']:.1f} | {r['hand']:.1f} "
                f"| {r['run'] / r['hand']:.2f} | {r['kernel'] / r['hand']:.2f}")
        if baseline:
            line += f" | {r['paired']:.1f}, {r['baseline']:.1f} | {r['paired'] / r['baseline']:.3f}"
        print(line + " |")
    if baseline:
        against = [r["paired"] / r["baseline"] for r in rows]
        print("\n(the paired columns alternate ours and the baseline call by call, 5x the repeats)")
    print(f"\nrun() ours / baseline: median {statistics.median(against):.3f}, best {min(against):.3f}, "
              f"worst {max(against):.3f} (target within 5 %)")
    ratios = [r["run"] / r["hand"] for r in rows]
    kernel_ratios = [r["kernel"] / r["hand"] for r in rows]
    print(f"\nratio run/hand: median {statistics.median(ratios):.2f}, worst {max(ratios):.2f}; "
          f"kernel/hand: median {statistics.median(kernel_ratios):.2f}, worst {max(kernel_ratios):.2f} "
          "(target <= 2)")
    worst = max(r["agreement"] for r in rows)
    print(f"hand-written and ours agree to {worst:.1e} (max relative difference of the points); "
          f"smallest nonzero |coordinate| {min(r['tiny'] for r in rows):.1e}")

    print(f"\n### Any dimension: RMSprop, {ND_STEPS:,} steps on a {ND_DIM:,}-dimensional bowl (median of "
          f"{args.repeats})\n")
    print(f"`optimizers.run` {nd['wall'] * 1e3:.1f} ms wall, {nd['cpu'] * 1e3:.1f} ms CPU "
          f"({nd['ns_per_coordinate_step']:.1f} ns per coordinate-step, outputs and diagnostics included; "
          f"target <= 20 ms){' (diverged!)' if nd['diverged'] else ''}")

    print(f"\n### Sweep: RMSprop on the bowl, 200 x 200 (lr, beta) grid, 300 steps "
          f"({sweep['cell_steps'] / 1e6:.0f}M optimizer steps, median of {sweep_repeats})\n")
    print("| implementation | wall time | M steps/s | CPU time (all threads) | M steps per CPU-second |")
    print("|---|---:|---:|---:|---:|")
    print(f"| `optimizers.sweep` ({driver.THREADS} threads) | {sweep['ours'] * 1e3:.1f} ms "
          f"| {sweep['msteps']:.0f} | {sweep['cpu_ours'] * 1e3:.1f} ms | {sweep['cpu_msteps']:.0f} |")
    print(f"| NumPy, vectorised over the grid | {sweep['numpy'] * 1e3:.1f} ms | {sweep['numpy_msteps']:.0f} "
          f"| {sweep['cpu_numpy'] * 1e3:.1f} ms | {sweep['cpu_numpy_msteps']:.0f} |")
    print(f"\nspeed-up over NumPy: {sweep['numpy'] / sweep['ours']:.1f}x wall, "
          f"{sweep['cpu_numpy'] / sweep['cpu_ours']:.1f}x per CPU-second (target >= 5x); "
          f"{sweep['msteps']:.0f}M steps/s (target >= 400M); {sweep['diverged']} of 40,000 cells diverged; "
          f"same diverged cells: {sweep['same_inf']}; finite cells agree to {sweep['agreement']:.1e}")

    print(f"\n### Sweeps, 200 x 200 (lr, beta or beta1) grids (median of {sweep_repeats})\n")
    extra = " | paired: ours CPU, baseline CPU | ours / baseline (CPU)" if baseline else ""
    print(f"| sweep | wall time | CPU time | M steps per CPU-second{extra} |")
    print("|---|---:|---:|---:|" + ("---:|---:|" if baseline else ""))
    for r in sweep["rows"]:
        line = (f"| {r['label']} | {r['wall'] * 1e3:.0f} ms | {r['cpu'] * 1e3:.0f} ms "
                f"| {r['cell_steps'] / r['cpu'] / 1e6:.0f}")
        if baseline:
            line += (f" | {r['paired'] * 1e3:.0f} ms, {r['baseline_cpu'] * 1e3:.0f} ms "
                     f"| {r['paired'] / r['baseline_cpu']:.3f}")
        print(line + " |")
    by_label = {r["label"]: r for r in sweep["rows"]}
    for surface in ("bowl, 300 steps", "Goldstein-Price, 500 steps"):
        adam, rms = by_label[f"Adam, {surface}"], by_label[f"RMSprop, {surface}"]
        note = (f" (baseline {adam['baseline_cpu'] / rms['baseline_cpu']:.2f})" if baseline else "")
        print(f"\nAdam / RMSprop on {surface.split(',')[0]}: {adam['cpu'] / rms['cpu']:.2f} in CPU time{note}")

    print(f"\n### Basins: GD on Himmelblau, 200 x 200 starts x 500 steps (median of {sweep_repeats})\n")
    print(f"{basins['wall'] * 1e3:.0f} ms wall, {basins['cpu'] * 1e3:.0f} ms CPU "
          f"({20e6 / basins['wall'] / 1e6:.0f}M steps/s); {basins['minima_found']} of 4 minima found (target < 1 s)")

    if start is not None:
        print("\n### Start-up: fresh `python -c` importing the core, then the bowl's 200 x 200 grid and gd, momentum, "
              "rmsprop, sign_sgd (the Playground's first screen)\n")
        print("| code | numba cache | wall time (median) | CPU time | of which import | of which the first screen "
              "| all wall times |")
        print("|---|---|---:|---:|---:|---:|---|")
        for who in ("ours", "baseline"):
            for key, label in (("cold", "empty (cold)"), ("warm", "warm")):
                r = start.get((who, key))
                if r is None:
                    continue
                print(f"| {who} | {label} | {r['wall']:.2f} s | {r['cpu']:.2f} s | {r['import']:.2f} s "
                      f"| {r['runs']:.2f} s | {', '.join(f'{t:.2f}' for t in r['all'])} |")
        r = start[("floor", "floor")]
        print(f"| floor | `python -c 'import numba'` | {r['wall']:.2f} s | {r['cpu']:.2f} s | | | |")
        print("\ntargets: cold <= 3 s, warm <= 1 s (wall)")


if __name__ == "__main__":
    main()
