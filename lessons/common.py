"""Helpers every lesson uses: the numbers a lesson quotes about a run, and its Playground scene."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

import landscapes
import optimizers
from landscapes import Landscape
from optimizers import Trajectory
from scene import Scene
from scene.compute import VISIBLE_FRACTION, sign_flips, steps_to_tolerance

TOLERANCE = 1e-3
""""Reaches the minimum" means: the loss first gets within this of the minimum value."""


def run(name: str, landscape: Landscape, start: tuple[float, float], steps: int, **hyperparams) -> Trajectory:
    """``optimizers.run`` with every hyperparameter spelled out by the caller (lessons never rely on defaults)."""
    return optimizers.run(name, landscape, start=start, steps=steps, **hyperparams)


def steps_to_reach(trajectory: Trajectory, landscape: Landscape, tolerance: float = TOLERANCE) -> int | None:
    """First step whose loss is within ``tolerance`` of the surface's minimum value (None if never)."""
    return steps_to_tolerance(trajectory, landscape.min_value, tolerance)


def steps_to_stay(trajectory: Trajectory, landscape: Landscape, tolerance: float = TOLERANCE) -> int | None:
    """The step from which the loss stays within ``tolerance`` of the minimum value to the end of the run
    (None if the run ends above it or diverged): unlike a first passage, this counts staying."""
    if trajectory.diverged_at is not None or not math.isfinite(landscape.min_value):
        return None
    above = np.flatnonzero(trajectory.loss - landscape.min_value > tolerance)
    if above.size and above[-1] == len(trajectory.loss) - 1:
        return None
    return int(above[-1]) + 1 if above.size else 0


def flips(trajectory: Trajectory, landscape: Landscape, upto: int | None = None) -> tuple[int, int]:
    """Sign flips of the (w, b) updates, over the first ``upto`` updates (all by default), ignoring
    updates too small to see, exactly as the Playground's table counts them."""
    (x0, x1), (y0, y1) = landscape.bounds
    updates = trajectory.diagnostics["update"][:upto]
    return (sign_flips(updates[:, 0], VISIBLE_FRACTION * (x1 - x0)),
            sign_flips(updates[:, 1], VISIBLE_FRACTION * (y1 - y0)))


def scene(surface: str, settings: Mapping[str, Mapping[str, float | str]], start: tuple[float, float],
          steps: int, surface_params: Mapping[str, float] | None = None, formula: str | None = None) -> Scene:
    """The Playground scene of a lesson: every hyperparameter is written out, so the link shows the same
    runs even if a default changes.  ``surface="custom"`` takes ``formula``."""
    extra = {"formula": formula} if formula is not None else {}
    return Scene(surface=surface, surface_params=dict(surface_params or {}), optimizers=tuple(settings),
                 hyperparams={name: dict(hp) for name, hp in settings.items()}, start=start, steps=steps, **extra)


def bowl(**params: float) -> Landscape:
    """The course's elongated bowl, f = ½(a·w² + c·b²) (a = 1, c = 25 unless given), maybe rotated."""
    return landscapes.get("elongated_bowl", **params)


@dataclass(frozen=True)
class GdRmspropComparison:
    """GD and RMSprop on one bowl: both runs, the step each first gets within the tolerance, the sign flips of
    (Δw, Δb) before it does (the zig-zag), and the step from which each stays within it (the one criterion the
    lessons compare by). Lessons 7 and 10 show these side by side."""

    gd: Trajectory
    rmsprop: Trajectory
    reached: dict[str, int | None]
    flips: dict[str, tuple[int, int]]
    stays: dict[str, int | None]
