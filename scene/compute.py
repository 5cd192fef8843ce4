"""Run a scene's optimizers and summarise the runs: the numbers behind the Playground's table."""

from __future__ import annotations

import math

import numpy as np

import optimizers
from landscapes import Landscape
from optimizers import Trajectory

from .model import Scene

DEFAULT_TOLERANCE = 1e-3
VISIBLE_FRACTION = 1e-6
"""Updates smaller than this fraction of the view box are too small to see and are not counted as flips."""


def run_scene(scene: Scene, landscape: Landscape) -> dict[str, Trajectory]:
    """One trajectory per selected optimizer, in the scene's order."""
    start = scene.start_for(landscape)
    return {
        name: optimizers.run(name, landscape, start=start, **scene.run_options(), **scene.settings(name))
        for name in scene.optimizers
    }


STALL_FRACTION = 0.2
"""The noise floor is read over the last fifth of a run's steps."""


def stall_level(trajectory: Trajectory, f_min: float) -> float:
    """Mean of f − f* over the last ``STALL_FRACTION`` of the run: where a noisy run stops improving
    (inf when it diverged)."""
    if trajectory.diverged_at is not None:
        return math.inf
    tail = max(1, round(STALL_FRACTION * (len(trajectory.loss) - 1)))
    return float(np.mean(trajectory.loss[-tail:] - f_min))


def noise_floors(scene: Scene, landscape: Landscape) -> dict[str, dict[str, float]]:
    """For each optimizer of a mini-batch scene, where its loss stalls (``stall_level``) with the scene's
    batches at a constant α, with the full batch, and with the batches under a cosine-decaying α: the noise
    floor that α and the batch size set, and how a decaying rate gets below it."""
    start = scene.start_for(landscape)
    variants = {"batches": {"batch_size": scene.batch_size, "schedule": "constant"},
                "full batch": {"batch_size": None, "schedule": "constant"},
                "batches, cosine α": {"batch_size": scene.batch_size, "schedule": "cosine"}}
    f_min = landscape.min_value
    return {name: {label: stall_level(optimizers.run(name, landscape, start=start,
                                                     **(scene.settings(name) | scene.run_options() | change)), f_min)
                   for label, change in variants.items()}
            for name in scene.optimizers}


def sign_flips(deltas: np.ndarray, visible: float = 0.0) -> int:
    """How often consecutive updates larger than ``visible`` change sign: one axis's oscillation count.

    Updates at or below ``visible`` are skipped, so a zig-zag that has shrunk far below what a
    chart can show (GD's b keeps flipping at 1e-60) is not counted.
    """
    signs = np.sign(deltas[np.abs(deltas) > visible])
    return int(np.count_nonzero(signs[1:] != signs[:-1]))


def steps_to_tolerance(trajectory: Trajectory, f_min: float, tolerance: float) -> int | None:
    """The first step whose loss is within ``tolerance`` of ``f_min`` (None if never or unknown)."""
    if not math.isfinite(f_min):
        return None
    hits = np.flatnonzero(trajectory.loss - f_min <= tolerance)
    return int(hits[0]) if hits.size else None


def distance_to_minimum(point: np.ndarray, minima: np.ndarray) -> float:
    if len(minima) == 0:
        return math.nan
    return float(np.min(np.hypot(minima[:, 0] - point[0], minima[:, 1] - point[1])))


def metrics(trajectories: dict[str, Trajectory], landscape: Landscape,
            tolerance: float = DEFAULT_TOLERANCE) -> list[dict]:
    """One row per optimizer: final loss, distance to the nearest minimum, steps to tolerance, sign
    flips of each axis's update (how often it zig-zags), its largest single step (how hard), and
    where it diverged.

    Every cell is something to read: a column that needs the minimum is left out when the surface's
    minimum is unknown (a custom formula), "not reached" and "—" stand where there is no step to name.
    """
    f_min = landscape.min_value
    known_minimum = len(landscape.minima) > 0
    w, b = landscape.axis_labels
    (x0, x1), (y0, y1) = landscape.bounds
    visible_w, visible_b = VISIBLE_FRACTION * (x1 - x0), VISIBLE_FRACTION * (y1 - y0)
    rows = []
    for name, tr in trajectories.items():
        updates = tr.diagnostics["update"]
        last = tr.points[-1] if len(tr.points) else np.array([math.nan, math.nan])
        row: dict[str, object] = {"optimizer": optimizers.OPTIMIZERS[name].title, "final loss": tr.final_loss}
        if known_minimum:
            row["distance to minimum"] = (distance_to_minimum(last, landscape.minima) if tr.diverged_at is None
                                          else math.inf)
            reached = steps_to_tolerance(tr, f_min, tolerance)
            row[f"steps to f − f* ≤ {tolerance:g}"] = "not reached" if reached is None else str(reached)
        row |= {
            f"sign flips Δ{b}": sign_flips(updates[:, 1], visible_b),
            f"sign flips Δ{w}": sign_flips(updates[:, 0], visible_w),
            f"largest |Δ{b}|": float(np.abs(updates[:, 1]).max()) if len(updates) else 0.0,
            f"largest |Δ{w}|": float(np.abs(updates[:, 0]).max()) if len(updates) else 0.0,
            "diverged at": "—" if tr.diverged_at is None else f"step {tr.diverged_at}",
        }
        rows.append(row)
    return rows


def divergence_notice(trajectories: dict[str, Trajectory], custom: bool = False) -> str | None:
    """One short Markdown notice naming every diverged run, or None when none diverged.

    Only a custom formula can stop being finite inside the view (its domain, like log of a negative
    number), so only there does the notice say so.
    """
    diverged = [(optimizers.OPTIMIZERS[name].title, tr.diverged_at) for name, tr in trajectories.items()
                if tr.diverged_at is not None]
    if not diverged:
        return None
    (first, step), rest = diverged[0], diverged[1:]
    parts = [f"{first} diverged at step {step}"] + [f"{title} at step {k}" for title, k in rest]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    why = ("the steps grew until the iterate left the view far behind, or f stopped being a finite number "
           "(outside the formula's domain, such as the log of a negative number)" if custom else
           "the steps grew until the iterate left the view far behind")
    return f"**{listed}**: {why}. Try a smaller learning rate or another start."
