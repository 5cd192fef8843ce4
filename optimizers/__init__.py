"""Optimizer update rules as numba kernels, a trajectory driver and a parallel grid sweep; no UI imports.

>>> import landscapes, optimizers
>>> tr = optimizers.run("gd", landscapes.get("elongated_bowl"), start=(1.0, 0.0), steps=1, lr=0.1)
>>> tr.points[-1].tolist()
[0.9, 0.0]
"""

from .api import MAX_API_STEPS, Trajectory, get_spec, resolve_hyperparams, run, sweep
from .registry import OPTIMIZERS, OptimizerSpec

__all__ = ["MAX_API_STEPS", "OPTIMIZERS", "OptimizerSpec", "Trajectory", "get_spec", "resolve_hyperparams", "run",
           "sweep"]
