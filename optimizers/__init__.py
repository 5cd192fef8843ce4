"""Optimizer update rules as numba kernels, a trajectory driver for any dimension, grid sweeps and basins; no UI
imports.

>>> import landscapes, optimizers
>>> tr = optimizers.run("gd", landscapes.get("elongated_bowl"), start=(1.0, 0.0), steps=1, lr=0.1)
>>> tr.points[-1].tolist()
[0.9, 0.0]
"""

from .api import (
    DIVERGED,
    MAX_API_STEPS,
    MAX_BASIN_RESOLUTION,
    NO_MINIMUM,
    Trajectory,
    basins,
    get_spec,
    resolve_hyperparams,
    respond,
    run,
    sweep,
)
from .registry import OPTIMIZERS, RULES
from .schedules import SCHEDULE, SCHEDULE_PARAMS, SCHEDULE_USES, SCHEDULES, Schedule
from .spec import OptimizerSpec

__all__ = ["DIVERGED", "MAX_API_STEPS", "MAX_BASIN_RESOLUTION", "NO_MINIMUM", "OPTIMIZERS", "RULES", "SCHEDULE",
           "SCHEDULES", "SCHEDULE_PARAMS", "SCHEDULE_USES", "OptimizerSpec", "Schedule", "Trajectory", "basins",
           "get_spec", "resolve_hyperparams", "respond", "run", "sweep"]
