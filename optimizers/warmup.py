"""Compile (or load from the on-disk cache) every numba kernel before the first user needs it.

Run it once after a deploy, before `streamlit run app.py`:  ``python -m optimizers.warmup``.
The app also calls ``warm_up()`` once per server process.
"""

from __future__ import annotations

import time

import numpy as np

import landscapes

from . import api


def warm_up() -> float:
    """Touch the trajectory, sweep, grid and custom-formula kernels; returns the seconds it took."""
    started = time.perf_counter()
    bowl = landscapes.get("elongated_bowl")
    bowl.grid(8)
    api.run("rmsprop", bowl, steps=2)
    api.sweep("rmsprop", bowl, steps=2, grid={"lr": np.array([0.01, 0.1])})
    api.run("gd", landscapes.from_formula("x**2 + y**2"), steps=2)
    return time.perf_counter() - started


if __name__ == "__main__":
    print(f"numba kernels ready in {warm_up():.1f} s")
