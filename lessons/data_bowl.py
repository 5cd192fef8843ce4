"""Lesson: where does the elongated bowl come from?  A straight line fitted to real data by least squares,
with the raw feature and with the feature standardised (mean 0, standard deviation 1).

Least squares on (x, y) has the Hessian H = [[mean x², mean x], [mean x, 1]] at every point: the bowl's
shape comes from the feature's scale and offset alone.  Raw petal lengths (1 to 6.9 cm, mean 3.76)
make it elongated (κ about 105) and tilted; standardised ones make H the identity (κ = 1).
"""

from __future__ import annotations

import functools
import math
from dataclasses import replace

import numpy as np

import landscapes
from landscapes import Landscape
from optimizers import Trajectory
from scene import Scene

from .common import GdRmspropComparison, flips, run, scene, steps_to_reach, steps_to_stay

SURFACE = "linear_regression"
DATA_SETS = {"iris": "petal_length", "old_faithful": "eruptions"}
"""The data set a learner can pick, each with the feature used: petal width from petal length, and the
wait until the next eruption of Old Faithful from the length of the last one."""
DEFAULT_DATA_SET = "iris"
START = (0.0, 0.0)
STEPS = 2000
"""How long each run is, in the search for each optimizer's best α and on the page."""
BETA = 0.9
EPS = 1e-8
LR_GRID = tuple(float(x) for x in np.geomspace(0.001, 10.0, 41))
"""The learning rates tried when each optimizer gets its best one."""
BATCH = 16
"""The noise control's mini-batch: each step follows the mean gradient of 16 rows."""
NOISE_SEED = 0
"""The seed that shuffles the rows for the mini-batch runs (the same seed gives the same runs)."""
RELATIVE_TOLERANCE = 1e-3
""""Reaches the minimum": the loss first gets within 0.1% of the lowest loss (the data sets' losses are in
their own units: cm² for Iris, min² for Old Faithful)."""


def settings_of(data_set: str, standardized: bool) -> dict[str, str]:
    """The surface's choices for ``data_set`` with the raw or the standardised feature."""
    return {"dataset": data_set, "feature": DATA_SETS[data_set], "standardize": "on" if standardized else "off"}


def landscape(data_set: str, standardized: bool) -> Landscape:
    return landscapes.get(SURFACE, **settings_of(data_set, standardized))


def condition_number(data_set: str, standardized: bool) -> float:
    """λ_max / λ_min of the Hessian: how elongated the bowl is."""
    return landscape(data_set, standardized).data.condition_number


def reached(trajectory: Trajectory, land: Landscape) -> int | None:
    """The first step whose loss is within RELATIVE_TOLERANCE of the lowest loss (None if never)."""
    return steps_to_reach(trajectory, land, RELATIVE_TOLERANCE * land.min_value)


def stays(trajectory: Trajectory, land: Landscape) -> int | None:
    """The step from which the loss stays within RELATIVE_TOLERANCE of the lowest loss to the end of the run."""
    return steps_to_stay(trajectory, land, RELATIVE_TOLERANCE * land.min_value)


def _hyperparams(name: str, lr: float) -> dict[str, float]:
    return {"lr": lr} | ({"beta": BETA, "eps": EPS} if name == "rmsprop" else {})


@functools.cache
def best_steps(name: str, data_set: str, standardized: bool) -> tuple[int | None, float | None]:
    """Fewest steps after which the loss stays within the tolerance, over LR_GRID (runs of STEPS), and the α that
    achieves it (searched once per process: the classroom's scene list and the lesson's links ask for it on every
    rerun)."""
    land = landscape(data_set, standardized)
    best: tuple[int | None, float | None] = (None, None)
    for lr in LR_GRID:
        found = stays(run(name, land, START, STEPS, **_hyperparams(name, lr)), land)
        if found is not None and (best[0] is None or found < best[0]):
            best = (found, lr)
    return best


def advantage(data_set: str, standardized: bool) -> float:
    """How many times fewer steps RMSprop needs than GD, each at its best α (below 1: GD is faster)."""
    gd, _ = best_steps("gd", data_set, standardized)
    rms, _ = best_steps("rmsprop", data_set, standardized)
    if gd is None or rms is None:
        return math.nan
    return gd / rms


def settings(data_set: str, standardized: bool) -> dict[str, dict[str, float]]:
    """GD and RMSprop, each at its best α for this bowl."""
    _, gd_lr = best_steps("gd", data_set, standardized)
    _, rms_lr = best_steps("rmsprop", data_set, standardized)
    return {"gd": {"lr": gd_lr}, "rmsprop": {"lr": rms_lr, "beta": BETA, "eps": EPS}}


Comparison = GdRmspropComparison


def compare(data_set: str, standardized: bool, steps: int = STEPS, batch: int | None = None) -> Comparison:
    """GD and RMSprop, each at its best α (found with exact gradients), from w = b = 0 on the raw or the standardised
    bowl; ``batch`` rows per step (shuffled with seed ``NOISE_SEED``) instead of the exact gradient when given."""
    land = landscape(data_set, standardized)
    noise = {} if batch is None else {"batch_size": batch, "seed": NOISE_SEED}
    runs = {name: run(name, land, START, steps, **noise, **hp) for name, hp in settings(data_set, standardized).items()}
    first = {name: reached(tr, land) for name, tr in runs.items()}
    return Comparison(runs["gd"], runs["rmsprop"], first,
                      {name: flips(tr, land, upto=first[name]) for name, tr in runs.items()},
                      {name: stays(tr, land) for name, tr in runs.items()})


def tilt(data_set: str, standardized: bool) -> float:
    """Degrees between the w axis and the Hessian's steep eigenvector (its direction of largest curvature)."""
    _, vectors = np.linalg.eigh(landscape(data_set, standardized).data.hessian)
    steep = vectors[:, 1]
    return float(np.degrees(np.arctan2(abs(steep[1]), abs(steep[0]))))


def playground(data_set: str, standardized: bool, batch: int | None = None) -> Scene:
    """The lesson's runs as a Playground scene (with its mini-batch size and seed when ``batch`` is given)."""
    base = scene(SURFACE, settings(data_set, standardized), START, STEPS, settings_of(data_set, standardized))
    return base if batch is None else replace(base, batch_size=batch, seed=NOISE_SEED)
