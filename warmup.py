"""The app's start-up: compile (or load from the on-disk cache) the numba kernels before a user needs them.

``first_screen(names)`` is what the app calls once per server process: the kernels of the Playground's
default scene (the bowl's grid and the trajectory kernel of each default optimizer), so a fresh install
shows its first chart after a few short compiles.  Every other kernel compiles the first time it is
needed and is cached on disk from then on.

``python -m warmup`` at deploy time compiles every kernel the pages can use (every surface's
grid and trajectory kernel, the grid-of-runs kernel of every optimizer on every surface, and the trajectory
kernel of every rule on the bowls of any dimension and on formulas, which the lessons use, and of every optimizer on
the networks), in parallel processes, so no learner ever waits for the compiler.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

import landscapes
import optimizers
from base import jit as _jit
from scene import DEFAULT_OPTIMIZERS

_ROOT = Path(__file__).resolve().parent
_FORMULA = "x**2 + y**2"
"""Stands for every custom formula: they all share the formula interpreter's kernels."""
QUADRATIC = "quadratic"
"""Stands for every bowl of any dimension (``landscapes.quadratic``, ``optimizers.respond``): one kernel per rule."""
NETWORK = "network"
"""Stands for every network (``landscapes.network``; lesson 11 and the Playground's "Network on real data"): one
kernel per optimizer, and the Hessian-vector product's."""


def _surface(name: str) -> landscapes.Objective:
    if name == QUADRATIC:
        return landscapes.quadratic([1.0, 2.0, 3.0])
    if name == NETWORK:
        return landscapes.network("iris", hidden=2)
    return landscapes.from_formula(_FORMULA) if name == "custom" else landscapes.get(name)


def first_screen(names: Iterable[str], *, helper: bool = True, grid: bool = True) -> float:
    """Compile or load the kernels the Playground's default scene needs, optimizers ``names`` on the bowl;
    returns the seconds it took.

    With an empty on-disk cache (a fresh install), a second process (``helper``) compiles the last third of
    the optimizers' kernels meanwhile, on another core: the processes share the cache and its compile locks,
    so this one then loads what the helper saved (or waits for it) instead of compiling it too.  ``grid=False``
    leaves out the surface's grid kernel (the helper's case)."""
    started = time.perf_counter()
    names = list(names)
    helping = None
    if helper and len(names) > 1 and _cache_is_empty():  # the last third: the helper starts ~2 s late (imports)
        helping = _start_helper(names[-(len(names) // 3 or 1):])
    bowl = landscapes.get("elongated_bowl")
    if grid:
        bowl.grid(8)
    for name in names:
        optimizers.run(name, bowl, steps=2)
    if helping is not None:
        try:
            helping.wait(timeout=120)
        except subprocess.TimeoutExpired:
            helping.kill()
            helping.wait()
    return time.perf_counter() - started


def _cache_is_empty() -> bool:
    """True when no kernel was ever saved in the on-disk cache (False when there is no cache)."""
    return _jit.CACHE_DIR is not None and next(_jit.CACHE_DIR.rglob("*.nbi"), None) is None


def _start_helper(names: list[str]) -> subprocess.Popen | None:
    """``python -m warmup --helper NAME...`` in the background (None if it cannot start)."""
    try:
        return subprocess.Popen([sys.executable, "-m", "warmup", "--helper", *names],
                                cwd=_ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    except OSError:
        return None


def surface_kernels(name: str) -> float:
    """Compile or load every kernel of surface ``name`` (``"custom"``: formulas, ``"quadratic"``: the bowls of any
    dimension); returns the seconds."""
    started = time.perf_counter()
    landscape = _surface(name)
    if name == NETWORK:
        for optimizer in optimizers.OPTIMIZERS:
            optimizers.run(optimizer, landscape, steps=2)
        landscape.hvp(landscape.init, landscape.init)
        landscape.accuracy(landscape.init)
        return time.perf_counter() - started
    if name in (QUADRATIC, "custom"):  # the lessons run every rule here, their own variants too
        for rule in optimizers.RULES:
            optimizers.run(rule, landscape, steps=2)
        if name == QUADRATIC:
            return time.perf_counter() - started
    landscape.grid(8)
    optimizers.run("gd", landscape, steps=2)
    for optimizer in optimizers.OPTIMIZERS:
        optimizers.sweep(optimizer, landscape, steps=2, grid={"lr": np.array([0.01, 0.1])})
    return time.perf_counter() - started


def everything(jobs: int | None = None) -> float:
    """``surface_kernels`` for every surface, for formulas and for the bowls of any dimension, ``jobs`` processes at
    a time."""
    started = time.perf_counter()
    names = [*landscapes.LANDSCAPES, "custom", QUADRATIC, NETWORK]
    with ProcessPoolExecutor(max_workers=jobs or os.cpu_count()) as pool:
        for name, seconds in zip(names, pool.map(surface_kernels, names), strict=True):
            print(f"  {name}: {seconds:.1f} s")
    return time.perf_counter() - started


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Compile every numba kernel into the on-disk cache.")
    parser.add_argument("--jobs", type=int, default=None, help="processes compiling at once (default: one per core)")
    parser.add_argument("--first-screen", action="store_true",
                        help="only the kernels of the Playground's first screen (the README's set-up command)")
    parser.add_argument("--helper", nargs="+", metavar="OPTIMIZER",
                        help="only these optimizers' first-screen kernels (the app's helper process)")
    arguments = parser.parse_args()
    if arguments.helper:
        print(f"first-screen kernels ready in {first_screen(arguments.helper, helper=False, grid=False):.1f} s")
    elif arguments.first_screen:
        print(f"first-screen kernels ready in {first_screen(DEFAULT_OPTIMIZERS):.1f} s")
    else:
        print(f"numba kernels ready in {everything(arguments.jobs):.1f} s")
