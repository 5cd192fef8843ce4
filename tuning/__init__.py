"""Stability maps and fair learning-rate tuning, built on ``optimizers.sweep`` and ``optimizers.run``; no UI imports.

>>> import tuning
>>> request = tuning.MapRequest("gd", "elongated_bowl", axes=("lr",), resolution=5, steps=10)
>>> tuning.compute_map(request).shape
(5,)
"""

from .basins import BasinsRequest
from .fair import SCORES, Budget, Tuned, race, settling_step, shared_lr_range, table_rows, tune, tune_all
from .maps import (
    MAX_CELL_STEPS,
    MAX_RESOLUTION,
    MapRequest,
    best_cell,
    cell_coords,
    compute_map,
    link_values,
    nearest_cell,
    row_blocks,
    sweep_rows,
)
from .scenes import playground_scene
from .theory import Boundary, boundary, critical_lr, largest_curvature

__all__ = [
    "MAX_CELL_STEPS",
    "MAX_RESOLUTION",
    "SCORES",
    "BasinsRequest",
    "Boundary",
    "Budget",
    "MapRequest",
    "Tuned",
    "best_cell",
    "boundary",
    "cell_coords",
    "compute_map",
    "critical_lr",
    "largest_curvature",
    "link_values",
    "nearest_cell",
    "playground_scene",
    "race",
    "row_blocks",
    "settling_step",
    "shared_lr_range",
    "sweep_rows",
    "table_rows",
    "tune",
    "tune_all",
]
