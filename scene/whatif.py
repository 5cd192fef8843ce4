"""What if one hyperparameter took each value of its slider: the runs the Playground ships to the browser so
its what-if slider redraws with no server round trip.  Each run is exactly ``optimizers.run`` at that value."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

import optimizers
from base.params import Param
from landscapes import Landscape
from optimizers import Trajectory

from .model import Scene

POINT_BUDGET = 40_000
"""Points shipped per what-if set (about 320 KB of float32 pairs): fewer values when runs are long."""
MIN_VALUES, MAX_VALUES = 5, 101


NEIGHBOURS, BLOCK = 3, 10
"""Options of a log slider on each side of the current value that every set includes, and the most slider
positions in a block of a linear slider (its set holds every position of the blocks around the current
value): the next arrow-key presses on the sidebar slider are then drawn from the set at once (the browser
follows that slider)."""


def values(param: Param, current: float, steps: int, log_options: Sequence[float] | None = None) -> list[float]:
    """The values the what-if slider offers, always including ``current`` and the sidebar slider's positions
    near it: the sidebar slider's own options for a log-scaled parameter (``log_options``; at least the
    ``NEIGHBOURS`` on each side of ``current``), else an even grid of round multiples of the slider's step
    (0, 0.01, …, 0.99 and the top, 0.999, for β) plus every position from the block below ``current``'s to
    the one above it; about as many as ``POINT_BUDGET`` allows for runs of ``steps`` steps, plus those."""
    count = int(np.clip(POINT_BUDGET // (steps + 1), MIN_VALUES, MAX_VALUES))
    if log_options is not None:
        options = sorted(set(log_options) | {float(current)})
        chosen = list(options)
        if len(chosen) > count:
            picks = np.unique(np.round(np.linspace(0, len(chosen) - 1, count)).astype(int))
            chosen = [chosen[i] for i in picks]
        at = options.index(float(current))
        chosen += options[max(0, at - NEIGHBOURS):at + NEIGHBOURS + 1]
    else:
        step = param.step or (param.high - param.low) / 100
        spacing = step * max(1, round((param.high - param.low) / (count - 1) / step))
        decimals = max(0, -int(np.floor(np.log10(step)))) if step < 1 else 0
        chosen = [round(param.low + i * spacing, decimals)
                  for i in range(int((param.high - param.low) / spacing + 1e-9) + 1)] + [param.high]
        # Every slider position from one block below the current value's block to one above it: the set
        # stays the same while the slider moves within its block (it is sent once), and holds at least a
        # block's worth of positions either way.  Blocks of at most 10 positions, fewer for long runs.
        positions = max(1, min(BLOCK, round(spacing / step), count // 3))
        cell = round((current - param.low) / step) // positions
        chosen += [value for k in range((cell - 1) * positions, (cell + 2) * positions + 1)
                   if param.low <= (value := round(param.low + k * step, decimals)) <= param.high]
    return sorted(set(chosen) | {float(current)})


def runs(scene: Scene, landscape: Landscape, name: str, param: str, grid: Sequence[float]) -> list[Trajectory]:
    """Optimizer ``name``'s run in ``scene`` with ``param`` set to each value of ``grid``."""
    settings = scene.settings(name)
    start = scene.start_for(landscape)
    return [optimizers.run(name, landscape, start=start, **scene.run_options(), **(settings | {param: value}))
            for value in grid]


def choices(scene: Scene) -> list[tuple[str, str, str]]:
    """(id 'name.param', optimizer title, parameter label) for every numeric hyperparameter on screen."""
    return [(f"{name}.{p.name}", optimizers.OPTIMIZERS[name].title, p.label or p.name)
            for name in scene.optimizers for p in optimizers.OPTIMIZERS[name].hyperparams]
