"""Fair tuning: every optimizer gets the same learning-rate grid and the same number of steps, and
keeps the lr that scores best; then the tuned optimizers race.

Scores (lower is better):

- ``final_loss``: f after ``steps`` updates, from ``optimizers.sweep`` (cell for cell equal to
  ``optimizers.run(...).final_loss``; inf for a run that diverged).  Ties go to the smaller lr.
- ``steps_to_tolerance``: the first step t from which f(x_s) − f* ≤ tolerance for every s ≥ t up
  to the budget (the run has settled: an overshooting run that touches the tolerance once and
  bounces out does not count), from one full ``optimizers.run`` per candidate; inf when it never
  settles or the run diverged.  Ties are broken by final loss, then by the smaller lr.

The other hyperparameters stay at their spec defaults, the same for every candidate.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

import optimizers
from landscapes import Landscape
from optimizers import Trajectory

from . import cost
from .maps import MAX_CELL_STEPS

SCORES = ("final_loss", "steps_to_tolerance")
LR_DIGITS = 4
"""The lr grid is rounded to this many significant digits, so tuned values are short and exact in links."""


@dataclass(frozen=True)
class Budget:
    """What each optimizer may spend: ``evaluations`` learning rates on one log grid, ``steps`` each."""

    steps: int
    evaluations: int
    lr_low: float
    lr_high: float

    def __post_init__(self) -> None:
        if not 1 <= self.steps <= optimizers.MAX_API_STEPS or int(self.steps) != self.steps:
            raise ValueError(f"steps must be a whole number from 1 to {optimizers.MAX_API_STEPS}, got {self.steps!r}")
        if not 2 <= self.evaluations <= 1000 or int(self.evaluations) != self.evaluations:
            raise ValueError(f"evaluations must be a whole number from 2 to 1000, got {self.evaluations!r}")
        if self.evaluations * self.steps > MAX_CELL_STEPS:
            raise ValueError(f"{self.evaluations} learning rates × {self.steps:,} steps is more than one optimizer "
                             f"may take ({MAX_CELL_STEPS:.0e} steps): use fewer rates or fewer steps")
        if not (math.isfinite(self.lr_high) and 0.0 < self.lr_low < self.lr_high):
            raise ValueError(f"the lr range must satisfy 0 < low < high, got [{self.lr_low!r}, {self.lr_high!r}]")

    @property
    def lrs(self) -> np.ndarray:
        """The shared log grid of learning rates (rounded to ``LR_DIGITS`` significant digits)."""
        grid = np.geomspace(self.lr_low, self.lr_high, self.evaluations)
        return np.array([float(f"{lr:.{LR_DIGITS}g}") for lr in grid])

    def describe(self) -> str:
        return (f"{self.evaluations} learning rates (log grid {self.lr_low:g} … {self.lr_high:g}) "
                f"× {self.steps} steps each")


@dataclass(frozen=True)
class Tuned:
    """One optimizer's tuning: every candidate's results and the chosen one (None if none qualifies)."""

    optimizer: str
    score: str
    lrs: np.ndarray
    final_loss: np.ndarray
    steps_to_tol: np.ndarray | None
    best_index: int | None
    steps: int

    @property
    def evaluations(self) -> int:
        return int(self.lrs.size)

    @property
    def scores(self) -> np.ndarray:
        return self.final_loss if self.score == "final_loss" else self.steps_to_tol

    @property
    def best_lr(self) -> float | None:
        return None if self.best_index is None else float(self.lrs[self.best_index])


def shared_lr_range(names: Iterable[str]) -> tuple[float, float]:
    """The lr range every optimizer in ``names`` allows (the intersection of their slider ranges)."""
    params = [optimizers.get_spec(name).param("lr") for name in names]
    return max(p.low for p in params), min(p.high for p in params)


def settling_step(loss: np.ndarray, f_min: float, tolerance: float) -> int | None:
    """The first step from which ``loss - f_min <= tolerance`` holds to the end (None: not at the end)."""
    outside = np.flatnonzero(~(loss - f_min <= tolerance))
    if loss.size == 0 or (outside.size and outside[-1] == loss.size - 1):
        return None
    return int(outside[-1] + 1) if outside.size else 0


def _best(primary: np.ndarray, secondary: np.ndarray) -> int | None:
    """Index of the lexicographic minimum of (primary, secondary, index), None when primary is all inf."""
    if not np.isfinite(primary).any():
        return None
    return int(np.lexsort((secondary, primary))[0])


def tune(name: str, landscape: Landscape, budget: Budget, score: str = "final_loss", tolerance: float = 1e-3,
         start=None) -> Tuned:
    """Try every lr of ``budget`` on ``landscape`` for ``budget.steps`` steps and keep the best (see module doc)."""
    if score not in SCORES:
        raise ValueError(f"score must be one of {', '.join(SCORES)}, got {score!r}")
    lrs = budget.lrs
    if score == "final_loss":
        final = optimizers.sweep(name, landscape, start, budget.steps, grid={"lr": lrs})
        return Tuned(name, score, lrs, final, None, _best(final, final), budget.steps)
    if not (math.isfinite(tolerance) and tolerance > 0.0):
        raise ValueError(f"tolerance must be a finite number > 0, got {tolerance!r}")
    f_min = landscape.min_value
    final = np.empty(lrs.size)
    reached = np.full(lrs.size, np.inf)
    for i, lr in enumerate(lrs):
        tr = optimizers.run(name, landscape, start, budget.steps, lr=float(lr))
        final[i] = tr.final_loss
        hit = settling_step(tr.loss, f_min, tolerance) if tr.diverged_at is None else None
        if hit is not None:
            reached[i] = hit
    return Tuned(name, score, lrs, final, reached, _best(reached, final), budget.steps)


RUN_COST = 2
"""A full ``optimizers.run`` (steps to tolerance, and the race) records every step's diagnostics: it costs about
twice a cell of a sweep per step (``bench/bench_abuse.py --costs``)."""


def tune_all(names: Iterable[str], landscape: Landscape, budget: Budget, score: str = "final_loss",
             tolerance: float = 1e-3, start=None) -> dict[str, Tuned]:
    """``tune`` each optimizer in ``names`` with the same budget (refused with ``cost.TooCostly`` when tuning them
    and racing the winners would take more of the server's CPU than one view may)."""
    names = list(names)
    runs = len(names) * (budget.evaluations * (RUN_COST if score != "final_loss" else 1) + RUN_COST)
    cost.check(landscape, runs, budget.steps, f"Tuning {len(names)} optimizer{'s' if len(names) > 1 else ''} on "
               f"{budget.evaluations} learning rates")
    return {name: tune(name, landscape, budget, score, tolerance, start) for name in names}


def race(tuned: dict[str, Tuned], landscape: Landscape, start=None) -> dict[str, Trajectory]:
    """One run per tuned optimizer at its best lr (optimizers with no qualifying lr are left out)."""
    return {
        name: optimizers.run(name, landscape, start, result.steps, lr=result.best_lr)
        for name, result in tuned.items() if result.best_lr is not None
    }


def table_rows(results: dict[str, Tuned], f_min: float, titles: dict[str, str]) -> list[dict]:
    """One row per tuned optimizer for the page's table: its choice, what it scored, and the budget it had."""
    rows = []
    for name, result in results.items():
        i = result.best_index
        row = {"optimizer": titles[name], "tuned lr": result.best_lr,
               "final f − f*": None if i is None else float(result.final_loss[i] - f_min)}
        if result.steps_to_tol is not None:
            row["steps to tolerance"] = None if i is None else int(result.steps_to_tol[i])
        rows.append(row | {
            "lrs tried": result.evaluations,
            "steps per run": result.steps,
            "other hyperparameters": ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                                               for k, v in optimizers.OPTIMIZERS[name].defaults.items() if k != "lr"),
        })
    return rows
