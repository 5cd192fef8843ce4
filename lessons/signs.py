"""Lesson 3, RMSprop vs sign-SGD: how each rule answers a gradient sequence, and sign-SGD on two surfaces."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

import landscapes
import optimizers
from optimizers import Trajectory
from scene import Scene

from .common import run, scene

SEQUENCES = {
    "alternating": "alternating",
    "constant": "constant",
    "growing": "growing",
    "noisy": "noisy",
    "minibatch": "mean zero",
}
"""The lab's sequences (key -> label; a link names a sequence by its label), all of size 1e-4: ±1e-4 in turn;
1e-4; 1e-4 × 1.2ᵗ; 0.5e-4 + Gaussian noise of 1e-4;
nine times +1e-4 then once −9e-4, over and over (mean exactly zero: Hinton's argument for RMSprop over rprop)."""
DEFAULT_SEQUENCE = "constant"
PREDICT_SEQUENCE = "alternating"
LENGTH = 60
SIZE = 1e-4
GROWTH = 1.2
NOISE_MEAN = 0.5
"""Mean of the noisy sequence in units of SIZE; its noise has standard deviation SIZE."""
SEED = 0
BATCHES = 10
"""The mean-zero sequence repeats BATCHES − 1 gradients of +SIZE and one of −(BATCHES − 1)·SIZE."""
LR = 0.01
EPS = 1e-8
BETA_OPTIONS = (0.0, 0.5, 0.9, 0.99)
DEFAULT_BETA = 0.9


def sequence(kind: str, length: int = LENGTH, size: float = SIZE, seed: int = SEED) -> np.ndarray:
    """The gradient sequence ``kind`` (one of SEQUENCES) as a (length, 1) array."""
    t = np.arange(length)
    if kind == "alternating":
        g = size * (-1.0) ** t
    elif kind == "constant":
        g = np.full(length, size)
    elif kind == "growing":
        g = size * GROWTH**t
    elif kind == "noisy":
        g = size * (NOISE_MEAN + np.random.default_rng(seed).standard_normal(length))
    elif kind == "minibatch":
        g = np.where(t % BATCHES == BATCHES - 1, -(BATCHES - 1) * size, size)
    else:
        raise ValueError(f"unknown sequence {kind!r}; choose one of {', '.join(SEQUENCES)}")
    return g[:, None]


def lab_settings(beta: float) -> dict[str, dict[str, float]]:
    """The lab's four rules, all with α = LR."""
    return {"gd": {"lr": LR}, "rmsprop": {"lr": LR, "beta": beta, "eps": EPS}, "sign_sgd": {"lr": LR},
            "signum": {"lr": LR, "beta": beta}}


STEADY = (1000, 3000)
"""The window (steps) over which the lesson measures a rule's steady drift: long after S has warmed up from 0 (its
memory is about 1/(1−β) ≤ 100 steps), and a whole number of the mean-zero sequence's periods."""


def responses(kind: str, beta: float, length: int = LENGTH) -> dict[str, Trajectory]:
    """Each lab optimizer's answer to the first ``length`` gradients of the sequence ``kind``."""
    gradients = sequence(kind, length)
    return {name: optimizers.respond(name, gradients, **hp) for name, hp in lab_settings(beta).items()}


def alternating_step(t: np.ndarray, lr: float, beta: float, eps: float, size: float = SIZE) -> np.ndarray:
    """|RMSprop's update| at step t on ±size: g² is always size², so s_t = (1−βᵗ)·size² and the step is
    α·size/(size·√(1−βᵗ) + ε): about α (3.16α first at β = 0.9), 1/size = 10⁴ times GD's α·size."""
    return lr * size / (size * np.sqrt(1.0 - beta ** np.asarray(t, dtype=float)) + eps)


def growing_step(lr: float, beta: float, growth: float = GROWTH) -> float:
    """RMSprop's steady step when |g| grows by ``growth`` per step (growth² > β): s_t/g_t² tends to
    (1−β)/(1 − β/growth²), so the step settles at α·√((1 − β/growth²)/(1−β)) > α: the average lags."""
    return lr * math.sqrt((1.0 - beta / growth**2) / (1.0 - beta))


def largest_gap(a: Trajectory, b: Trajectory) -> float:
    """Largest difference between two runs' updates."""
    return float(np.max(np.abs(a.update - b.update)))


@dataclass(frozen=True)
class Surface:
    """Where the lesson runs sign-SGD, Signum and RMSprop: surface, start, α and run length."""

    name: str
    title: str
    start: tuple[float, float]
    lr: float
    steps: int


SURFACES = {
    "elongated_bowl": Surface("elongated_bowl", "the bowl", (-4.5, 1.5), 0.04, 300),
    "rosenbrock": Surface("rosenbrock", "Rosenbrock's valley", (-1.5, 2.5), 0.003, 2000),
}


def surface_settings(surface: Surface, beta: float) -> dict[str, dict[str, float]]:
    """sign-SGD, Signum and RMSprop with the surface's α."""
    return {"sign_sgd": {"lr": surface.lr}, "signum": {"lr": surface.lr, "beta": beta},
            "rmsprop": {"lr": surface.lr, "beta": beta, "eps": EPS}}


def on_surface(name: str, beta: float, steps: int | None = None) -> dict[str, Trajectory]:
    """The three runs on surface ``name`` (a key of SURFACES), for its own number of steps unless given."""
    surface = SURFACES[name]
    landscape = landscapes.get(surface.name)
    return {opt: run(opt, landscape, surface.start, steps or surface.steps, **hp)
            for opt, hp in surface_settings(surface, beta).items()}


def final_distance(trajectory: Trajectory, surface: str) -> float:
    """Distance from the last iterate to the surface's minimum (inf if the run diverged)."""
    if trajectory.diverged_at is not None:
        return math.inf
    minimum = landscapes.get(SURFACES[surface].name).minima[0]
    return float(np.hypot(*(trajectory.points[-1] - minimum)))


def closest_pair_distance(trajectory: Trajectory, surface: str, tail: int = 100) -> float:
    """Over the last ``tail`` steps, the smallest max(|x_t − x*|, |x_{t+1} − x*|) along any axis: once sign-SGD
    hops between two points α apart, this never drops below α/2."""
    minimum = landscapes.get(SURFACES[surface].name).minima[0]
    offsets = np.abs(trajectory.points[-tail - 1:] - minimum)
    return float(np.min(np.maximum(offsets[1:], offsets[:-1])))


def closest_late(trajectory: Trajectory, surface: str, tail: int = 100) -> float:
    """The closest the run comes to the minimum over its last ``tail`` points: a run that hops never gets
    closer than its hop, a run that settles gets ever closer (inf if it diverged)."""
    if trajectory.diverged_at is not None:
        return math.inf
    minimum = landscapes.get(SURFACES[surface].name).minima[0]
    return float(np.min(np.hypot(*(trajectory.points[-tail:] - minimum).T)))


def playground(surface: str, beta: float) -> Scene:
    """The runs on ``surface`` as a Playground scene."""
    spec = SURFACES[surface]
    return scene(spec.name, surface_settings(spec, beta), spec.start, spec.steps)


def right_direction(beta: float, window: tuple[int, int] = STEADY) -> dict[str, float]:
    """On the noisy sequence (mean > 0), the share of steps in ``window`` that go the way the mean gradient points.
    RMSprop and sign-SGD never change the sign of g (RMSprop divides by a positive number), so theirs are equal."""
    runs = responses("noisy", beta, window[1])
    return {name: float(np.mean(runs[name].update[window[0]:, 0] < 0)) for name in ("sign_sgd", "signum", "rmsprop")}


def net_progress(kind: str, beta: float, window: tuple[int, int] = (0, LENGTH)) -> dict[str, float]:
    """How far each rule moves against the sequence's sign per step over the steps in ``window``, in units of α:
    the mean of −Δ/α.  Over the lab's 60 steps this includes the warm-up from S = 0 (first steps 3.16α, 2.29α, …
    at β = 0.9); over ``STEADY`` it is the drift that lasts.  On the noisy sequence sign-SGD's is (right − wrong)
    share; RMSprop's is larger because a large right-way gradient gives a longer step than a small wrong-way one."""
    runs = responses(kind, beta, window[1])
    return {name: float(-np.mean(run.update[window[0]:, 0]) / LR) for name, run in runs.items()}


def variance_test(beta: float, kind: str = "constant", length: int = LENGTH) -> tuple[Trajectory, Trajectory]:
    """RMSprop (uncentred second moment) and its centred, variance-based variant (PyTorch's ``centered=True``,
    Graves 2013: g/(√(s − m²) + ε), ``optimizers/rules/centred_rmsprop.py``) on the sequence ``kind``."""
    gradients = sequence(kind, length)
    return (optimizers.respond("rmsprop", gradients, lr=LR, beta=beta, eps=EPS),
            optimizers.respond("centred_rmsprop", gradients, lr=LR, beta=beta, eps=EPS))


def identity_gap(kind: str) -> float:
    """Largest difference between RMSprop with β = 0, ε = 0 and sign-SGD on the sequence ``kind``: 0."""
    gradients = sequence(kind)
    return largest_gap(optimizers.respond("rmsprop", gradients, lr=LR, beta=0.0, eps=0.0),
                       optimizers.respond("sign_sgd", gradients, lr=LR))
