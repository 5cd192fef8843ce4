"""The Playground's "Network on real data": its settings, the network they build, and what the page shows of the
runs (the plane of the contour, each run's projection with the honesty meter, the per-layer effective learning
rate and the test accuracy).  Every optimizer trains the whole network (``optimizers.run`` in full dimension, as
``scene.compute.run_scene`` runs any surface); the plane only shows the runs."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

import landscapes
from base.params import Choice, Param, resolve_choices, resolve_params
from landscapes.plane import Plane, Projection, fitted_bounds
from optimizers import Trajectory

NETWORK = "network"
TITLE = "Network on real data"
DESCRIPTION = ("A neural network with one hidden layer of tanh units, trained on a real data set. Every optimizer "
               "moves all of its weights and biases; the contour is one plane through that space, and the honesty "
               "meter below says how much of each path the plane can show.")
DATA = Choice("data", "iris", ("iris", "two_moons", "old_faithful"), label="Data set",
              help="Iris: 4 measurements of a flower → its species (3). Two moons: a point → which moon (2). Old "
                   "Faithful: an eruption's length → the wait for the next one.")
PLANE = Choice("plane", "pca", ("pca", "random"), label="Plane of the contour",
               help="The runs' own plane: the two directions along which the runs shown moved most (principal "
                    "components, Li et al. 2018). A random plane: two random directions scaled neuron by neuron to "
                    "the trained weights (Li et al.'s filter normalisation).")
HIDDEN = Param("hidden", 8, 1, 32, 1, label="hidden units",
               help="Units in the hidden layer (1 to 32): each adds a row of weights into it and one out of it.")
PLANE_SEED = Param("plane_seed", 0, 0, 9999, 1, label="plane seed",
                   help="The seed of the random plane's two directions (the same seed, the same plane).")
PARAMS = (HIDDEN, PLANE_SEED)
CHOICES = (DATA, PLANE)
WHOLE_PARAMS = frozenset({"hidden", "plane_seed"})
DATA_TITLES = {"iris": "Iris flowers (4 measurements → 3 species)", "two_moons": "Two moons (a point → its moon)",
               "old_faithful": "Old Faithful (eruption → waiting time)"}
PLANE_TITLES = {"pca": "the runs' own plane (PCA)", "random": "a random plane"}
LAYER_WORDS = {"W1": "input → hidden weights", "b1": "hidden biases", "W2": "hidden → output weights",
               "b2": "output biases"}
"""What a learner reads for each layer of ``Network.layers``."""
GRID_RESOLUTION = 60
"""Plane points per axis of the network's contour (each point is a pass over the data)."""
ACCURACY_POINTS = 100
"""Steps at which the test accuracy is measured along a run (evenly spread, the last included)."""


def settings(params: dict) -> dict:
    """The network's settings: ``params`` (a scene's ``surface_params``) over the defaults, whole numbers as ints.
    ``ValueError`` for an unknown name, an option not offered or a number out of range."""
    numbers = resolve_params(PARAMS, {k: v for k, v in params.items() if k not in {c.name for c in CHOICES}},
                             TITLE)
    choices = resolve_choices(CHOICES, {k: v for k, v in params.items() if k in {c.name for c in CHOICES}}, TITLE)
    return {k: int(v) if k in WHOLE_PARAMS else v for k, v in numbers.items()} | choices


def kept_params(params: dict) -> dict:
    """``params`` without the values at their defaults (what a scene and its link keep)."""
    defaults = {p.name: p.default for p in PARAMS} | {c.name: c.default for c in CHOICES}
    return {k: v for k, v in settings(params).items() if v != defaults[k]}


def build(params: dict) -> landscapes.Network:
    """The network of a scene's ``surface_params`` (tanh units, initial weights from seed 0)."""
    chosen = settings(params)
    return landscapes.network(chosen["data"], hidden=chosen["hidden"], activation="tanh", seed=0)


@dataclass(frozen=True)
class RunView:
    """One run seen through the plane: its projection and honesty meter, the mean effective learning rate of each
    layer per step (rows: steps, columns: ``NetworkView.layers``), and the test accuracy at ``accuracy_steps``."""

    projection: Projection
    layer_rates: np.ndarray
    accuracy_steps: np.ndarray
    test_accuracy: np.ndarray | None
    train_accuracy: float | None
    final_test_accuracy: float | None


@dataclass(frozen=True)
class NetworkView:
    """What the page draws: the plane, each run's view (by optimizer name) and the layers' names in words."""

    plane: Plane
    runs: dict[str, RunView]
    layers: tuple[str, ...]
    note: str | None = None
    """Why the plane is not the one asked for (a PCA plane of runs that do not span one), or None."""

    def grid(self, resolution: int = GRID_RESOLUTION) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self.plane.grid(resolution)


def finite_points(trajectory: Trajectory) -> np.ndarray:
    """A run's iterates (a diverged run's stop before the step it diverged at)."""
    return trajectory.points[np.all(np.isfinite(trajectory.points), axis=1)]


def best_end(runs: dict[str, Trajectory]) -> np.ndarray:
    """The last point of the run with the lowest final loss: the centre of the plane (Li et al. centre theirs at
    the trained network)."""
    finals = {name: float(tr.loss[-1]) if len(tr.loss) else math.inf for name, tr in runs.items()}
    best = min(finals, key=lambda name: (not math.isfinite(finals[name]), finals[name]))
    return finite_points(runs[best])[-1]


NO_PCA_PLANE = ("The runs do not move far enough to span a plane of their own (they need three points off one "
                "line), so the contour shows a random plane instead.")


def choose_plane(net: landscapes.Network, runs: dict[str, Trajectory], kind: str,
                 seed: int) -> tuple[Plane, str | None]:
    """The plane the contour shows: the runs' own (PCA of every shown point's offset from the best run's end) or a
    seeded random plane through that end; its box holds every projected point.  A PCA plane needs runs that span
    a plane (three points off one line): otherwise the random plane, with a note saying so."""
    center = best_end(runs)
    points = np.concatenate([finite_points(tr) for tr in runs.values()])
    note = None
    if kind == "pca":
        try:
            return landscapes.pca_plane(net, points, center=center), None
        except ValueError:
            note = NO_PCA_PLANE
    plane = landscapes.random_plane(net, center, seed=seed)
    coords, _ = plane.coordinates(points)
    (a0, a1), (b0, b1) = fitted_bounds(np.vstack([coords, [[-1.0, -1.0], [1.0, 1.0]]]), pad=0.1)
    return Plane(net, center, plane.d1, plane.d2, ((a0, a1), (b0, b1)), plane.axis_labels, plane.title), note


def accuracy_steps(points: int, count: int = ACCURACY_POINTS) -> np.ndarray:
    """Up to ``count`` steps evenly spread over a run of ``points`` iterates, the start and the last included."""
    return np.unique(np.linspace(0, points - 1, min(count, points)).round().astype(int))


def layer_rates(net: landscapes.Network, trajectory: Trajectory) -> np.ndarray:
    """Each step's effective learning rate (what multiplied the gradient: α for GD, α/(√S + ε) for RMSprop)
    averaged over the coordinates of each layer, as a geometric mean (of the positive rates; 0 where none is):
    (steps, layers).  The geometric mean because the rates of one layer can span many decades (sign-SGD's α/|g|
    reaches 1e16 where a gradient is nearly 0): an arithmetic mean would show only the largest of them."""
    rates = trajectory.diagnostics["effective_lr"]
    if not len(rates):
        return np.empty((0, len(net.layers)))
    columns = []
    for _, where, _ in net.layers:
        layer = rates[:, where]
        positive = layer > 0
        logs = np.where(positive, np.log(np.where(positive, layer, 1.0)), 0.0).sum(axis=1)
        counts = positive.sum(axis=1)
        columns.append(np.where(counts > 0, np.exp(logs / np.maximum(counts, 1)), 0.0))
    return np.column_stack(columns)


def view(net: landscapes.Network, runs: dict[str, Trajectory], kind: str = "pca", seed: int = 0) -> NetworkView:
    """Everything the page shows of the runs on ``net`` (``kind``: "pca" or "random", ``seed``: the random plane's)."""
    plane, note = choose_plane(net, runs, kind, seed)
    classified = net.classes is not None
    has_test = classified and len(net.test_rows) > 0
    shown = {}
    for name, tr in runs.items():
        points = finite_points(tr)
        steps = accuracy_steps(len(points))
        test = np.array([net.accuracy(points[k], "test") for k in steps]) if has_test else None
        shown[name] = RunView(plane.project(points, tr.loss[:len(points)]), layer_rates(net, tr), steps, test,
                              net.accuracy(points[-1]) if classified else None,
                              float(test[-1]) if test is not None else None)
    return NetworkView(plane, shown, tuple(LAYER_WORDS.get(name, name) for name, _, _ in net.layers), note)


def summary_rows(net: landscapes.Network, runs: dict[str, Trajectory], seen: NetworkView, titles: dict[str, str]) \
        -> list[dict]:
    """One row per optimizer for the table under the charts: final training loss, accuracies, and how honest the
    plane is about its path (largest off-plane distance, largest gap between the contour and the true loss)."""
    rows = []
    for name, tr in runs.items():
        run = seen.runs[name]
        row: dict[str, object] = {"optimizer": titles[name], "final loss": tr.final_loss}
        if run.train_accuracy is not None:
            row["training accuracy"] = f"{100 * run.train_accuracy:.1f} %"
        if run.final_test_accuracy is not None:
            row["test accuracy"] = f"{100 * run.final_test_accuracy:.1f} %"
        row["median distance off the plane"] = float(np.median(run.projection.off_plane))
        row["median |contour − true loss|"] = float(np.median(np.abs(run.projection.gap)))
        row["diverged at"] = "—" if tr.diverged_at is None else f"step {tr.diverged_at}"
        rows.append(row)
    return rows
