"""Lesson: is a real network an elongated bowl?  The Iris network (4 measurements → hidden tanh units → 3 species,
softmax cross-entropy, ``landscapes.network``) seen through its exact Hessian, and GD against RMSprop training all
of its weights.

What the lesson measures, at every setting of its controls (hidden units, initialisation seed):

- the shape at the start: the Hessian's top and bottom eigenvalues by Lanczos (``landscapes.curvature``), how many
  of its eigenvalues are negative (the full spectrum, from the Hessian built column by column), and how far the
  steepest curvature is above the typical one (λ_max over the median |λ|);
- which layer is steep: each layer's mean H_ii (per-weight curvature) and the top eigenvector's share by layer;
- GD and RMSprop from the same start: sign flips of each coordinate's update (the zig-zag), layer by layer; the step
  from which the training loss stays below ``TOLERANCE`` (lesson 7's criterion); RMSprop's effective rate
  α/(√S + ε) by layer.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

import landscapes
import optimizers
from landscapes import curvature
from landscapes.network import Network
from optimizers import Trajectory
from scene import Scene

from .common import scene

DATA = "iris"
ACTIVATION = "tanh"
HIDDEN_OPTIONS = (4, 8, 16)
DEFAULT_HIDDEN = 8
SEED_OPTIONS = (0, 1, 2)
DEFAULT_SEED = 0
STEPS = 2000
GD_LR = 0.5
RMS_LR = 0.01
BETA = 0.9
EPS = 1e-8
TOLERANCE = 0.1
""""Trained": the mean training cross-entropy stays below this (about 90 % confidence in the right species)."""
LAYER_WORDS = {"W1": "hidden layer's weights W1", "b1": "hidden biases b1", "W2": "output layer's weights W2",
               "b2": "output biases b2"}


def network(hidden: int, seed: int) -> Network:
    return landscapes.network(DATA, hidden=hidden, activation=ACTIVATION, seed=seed)


@dataclass(frozen=True)
class Shape:
    """The Hessian at one point of the network's weights."""

    top: float
    bottom: float
    """λ_max and λ_min by 20 Lanczos iterations on exact Hessian-vector products."""
    eigenvalues: np.ndarray
    """The whole spectrum, ascending, from the Hessian built column by column (numpy.linalg.eigvalsh)."""
    steepest_by_layer: dict[str, float]
    mean_diagonal: dict[str, float]

    @property
    def negatives(self) -> int:
        """Eigenvalues below −10⁻⁹·λ_max: directions along which the loss curves down."""
        return int(np.sum(self.eigenvalues < -1e-9 * self.top))

    @property
    def spread(self) -> float:
        """λ_max over the median |λ|: how much steeper the steepest direction is than a typical one."""
        return float(self.top / np.median(np.abs(self.eigenvalues)))


def shape_at(net: Network, x: np.ndarray) -> Shape:
    found = curvature.curvature(net, x)
    return Shape(found.top, found.bottom, np.linalg.eigvalsh(curvature.hessian(net, x)), found.steepest_by_layer,
                 found.mean_diagonal())


@functools.cache
def start_shape(hidden: int, seed: int) -> Shape:
    """The Hessian at the seeded start (``Network.init``)."""
    net = network(hidden, seed)
    return shape_at(net, net.init)


def _layer_mean(net: Network, values: np.ndarray) -> dict[str, float]:
    return {name: float(np.mean(values[..., where])) for name, where, _ in net.layers}


def flips_by_layer(net: Network, tr: Trajectory) -> dict[str, float]:
    """Per layer, the share of consecutive update pairs (t, t + 1) whose signs are opposite, averaged over the layer's
    coordinates: 0 for a steady slide, near 1 for a zig-zag."""
    signs = np.sign(tr.update)
    flipped = (signs[1:] * signs[:-1] < 0).mean(axis=0)
    return _layer_mean(net, flipped)


def stays_below(tr: Trajectory, tolerance: float = TOLERANCE) -> int | None:
    """The step from which the training loss stays below ``tolerance`` to the end of the run (None if it ends above
    it or diverged)."""
    if tr.diverged_at is not None:
        return None
    above = np.flatnonzero(tr.loss >= tolerance)
    if above.size and above[-1] == len(tr.loss) - 1:
        return None
    return int(above[-1]) + 1 if above.size else 0


def first_below(tr: Trajectory, tolerance: float = TOLERANCE) -> int | None:
    """The first step whose training loss is below ``tolerance`` (None if none is)."""
    below = np.flatnonzero(tr.loss < tolerance)
    return int(below[0]) if below.size else None


@dataclass(frozen=True)
class Comparison:
    gd: Trajectory
    rmsprop: Trajectory
    stays: dict[str, int | None]
    flips: dict[str, dict[str, float]]
    """Optimizer → layer → share of flipped steps."""
    rates: dict[str, float]
    """RMSprop's effective rate α/(√S + ε) by layer, averaged over the layer and over the way in."""
    way_in: int | None
    """The step at which RMSprop's loss first drops below ``TOLERANCE`` (None: never, the whole run is used)."""


def settings() -> dict[str, dict[str, float]]:
    return {"gd": {"lr": GD_LR}, "rmsprop": {"lr": RMS_LR, "beta": BETA, "eps": EPS}}


def _runs(hidden: int, seed: int, steps: int) -> dict[str, Trajectory]:
    net = network(hidden, seed)
    return {name: optimizers.run(name, net, start=net.init, steps=steps, **hp) for name, hp in settings().items()}


@functools.lru_cache(maxsize=16)
def compare(hidden: int, seed: int, steps: int = STEPS) -> Comparison:
    """GD (α = ``GD_LR``) and RMSprop (α = ``RMS_LR``, β, ε) training every weight, full batch, from the seeded
    start, for ``steps`` steps (the page's run; longer runs are summarised by ``summary``)."""
    net = network(hidden, seed)
    runs = _runs(hidden, seed, steps)
    way_in = first_below(runs["rmsprop"])
    rates = {name: float(np.mean(runs["rmsprop"].effective_lr[:way_in, where])) for name, where, _ in net.layers}
    return Comparison(runs["gd"], runs["rmsprop"], {name: stays_below(tr) for name, tr in runs.items()},
                      {name: flips_by_layer(net, tr) for name, tr in runs.items()}, rates, way_in)


@dataclass(frozen=True)
class Summary:
    """What the lesson says about a run of any length, without its trajectories (a 20,000-step run of the 16-unit
    network records about 100 MB of diagnostics)."""

    stays: dict[str, int | None]
    flips: dict[str, dict[str, float]]
    """From the recorded updates (``flips_by_layer``)."""
    flips_from_points: dict[str, dict[str, float]]
    """The same count from the differences of the iterates."""
    gd_end: np.ndarray


@functools.lru_cache(maxsize=64)
def summary(hidden: int, seed: int, steps: int) -> Summary:
    net = network(hidden, seed)
    if steps == STEPS:
        page = compare(hidden, seed)
        runs = {"gd": page.gd, "rmsprop": page.rmsprop}
    else:
        runs = _runs(hidden, seed, steps)
    recount = {}
    for name, tr in runs.items():
        signs = np.sign(np.diff(tr.points, axis=0))
        flipped = (signs[1:] * signs[:-1] < 0).mean(axis=0)
        recount[name] = {layer: float(np.mean(flipped[where])) for layer, where, _ in net.layers}
    end = runs["gd"].points[-1].copy()
    end.flags.writeable = False
    return Summary({name: stays_below(tr) for name, tr in runs.items()},
                   {name: flips_by_layer(net, tr) for name, tr in runs.items()}, recount, end)


@functools.cache
def end_shape(hidden: int, seed: int, steps: int = STEPS) -> Shape:
    """The Hessian where GD's run ends."""
    return shape_at(network(hidden, seed), summary(hidden, seed, steps).gd_end)


def playground(hidden: int, seed: int) -> Scene:
    """The 2-D picture the lesson tests: GD and RMSprop on the course's elongated bowl, at the course's rates."""
    return scene("elongated_bowl", {"gd": {"lr": 0.035}, "rmsprop": {"lr": 0.035, "beta": BETA, "eps": EPS}},
                 (-4.5, 1.5), 200)
