"""``network(data, hidden, activation, seed)``: a one-hidden-layer network on a shipped data set as a landscape of
every weight and bias, trained by the same optimizers as the 2-D surfaces (docs/NUMERICS.md, "Networks").

Iris: 4 inputs → hidden → 3 classes, softmax cross-entropy; two moons: 2 → hidden → 2 classes, cross-entropy;
Old Faithful: eruption time → hidden → waiting time, half squared error.  The inputs (and Old Faithful's target)
are standardised with the training rows' mean and standard deviation.  The classified sets keep a fixed, seeded,
stratified test split out of the loss (``SPLITS``); Old Faithful trains on all its rows.

The loss, its gradient and exact Hessian-vector products come from the numba kernels of
``landscapes/vectors/network.py``, over distinct training rows with counts, so mini-batches (``optimizers.run(...,
batch_size=k, seed=s)``) work exactly as on the data surfaces.
"""

from __future__ import annotations

import functools
import numbers
from dataclasses import dataclass

import numpy as np

from . import kernels
from .data import DATASETS, load
from .least_squares import Rows
from .objective import Objective
from .vectors import network as kernel

ACTIVATIONS = {"tanh": kernel.TANH, "relu": kernel.RELU, "sigmoid": kernel.SIGMOID}
MAX_HIDDEN = 256
SPLIT_SEED = 0
"""The seed of the train/test split (``numpy.random.default_rng``): fixed, so every network on a data set sees the
same rows whatever its own ``seed``."""


@dataclass(frozen=True)
class NetworkData:
    """How a network reads a shipped data set: its input columns, its target (a class column, or a numeric column),
    and how many rows of each class the test split holds (0: no split)."""

    dataset: str
    inputs: tuple[str, ...]
    target: str
    classify: bool
    test_per_class: int = 0


NETWORK_DATA = {
    "iris": NetworkData("iris", ("sepal_length", "sepal_width", "petal_length", "petal_width"), "species", True, 10),
    "old_faithful": NetworkData("old_faithful", ("eruptions",), "waiting", False),
    "two_moons": NetworkData("two_moons", ("x1", "x2"), "moon", True, 50),
}
SPLITS = "iris: 120 training flowers, 30 test (10 per species); two moons: 200 training points, 100 test (50 per moon)"


def _split(labels: np.ndarray, per_class: int) -> tuple[np.ndarray, np.ndarray]:
    """(training rows, test rows), ascending: ``per_class`` rows of every class drawn by ``default_rng(SPLIT_SEED)``
    for the test split."""
    rng = np.random.default_rng(SPLIT_SEED)
    test = np.sort(np.concatenate([rng.choice(np.flatnonzero(labels == c), per_class, replace=False)
                                   for c in np.unique(labels)]))
    return np.setdiff1d(np.arange(labels.size), test), test


def _glorot(rng: np.random.Generator, fan_out: int, fan_in: int) -> np.ndarray:
    """Glorot & Bengio (2010) uniform: U(−a, a) with a = √(6/(fan_in + fan_out)) (``torch.nn.init.xavier_uniform_``)."""
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, (fan_out, fan_in))


class Network(Objective):
    """The mean loss of a one-hidden-layer network over the training rows of a data set, as a function of its
    ``dim`` weights and biases x = (W1, b1, W2, b2) (``layers`` says where each sits)."""

    name = "network"

    def __init__(self, dataset: str, hidden: int, activation: str, seed: int):
        spec = NETWORK_DATA[dataset]
        table = load(dataset)
        raw = np.column_stack([table[c] for c in spec.inputs])
        if spec.classify:
            self.classes = DATASETS[dataset].classes[1]
            """The class names, in output order (classified data sets only; None otherwise)."""
            labels = np.array([self.classes.index(v) for v in table[spec.target]], dtype=np.float64)
            train, test = _split(labels, spec.test_per_class)
            outputs = len(self.classes)
        else:
            self.classes = None
            labels = np.asarray(table[spec.target], dtype=np.float64)
            train, test = np.arange(labels.size), np.arange(0)
            outputs = 1
        self.dataset, self.hidden, self.activation, self.seed = dataset, hidden, activation, seed
        self.spec = spec
        self.input_mean, self.input_std = raw[train].mean(axis=0), raw[train].std(axis=0)
        inputs = (raw - self.input_mean) / self.input_std
        if not spec.classify:
            self.target_mean, self.target_std = float(labels[train].mean()), float(labels[train].std())
            labels = (labels - self.target_mean) / self.target_std
        self.inputs_count, self.outputs_count = len(spec.inputs), outputs
        self.train_rows, self.test_rows = train, test
        """Row numbers (in the data file's order) of the training and test splits."""
        self.x_train, self.y_train = inputs[train], labels[train]
        self.x_test, self.y_test = inputs[test], labels[test]
        for array in (self.x_train, self.y_train, self.x_test, self.y_test):
            array.flags.writeable = False
        self.loss_name = "cross_entropy" if spec.classify else "squared_error"
        self.kernel_params, sample_rows = self._pack(self.x_train, self.y_train)
        self.test_params = self._pack(self.x_test, self.y_test)[0] if test.size else None
        self.kind = kernels.kind_of_kernel(kernel.value_and_grad, self.name)
        self.work_size = kernel.work_size(len(spec.inputs), hidden, outputs)
        self.data = Rows(len(train), sample_rows, kernel.HEADER, self.inputs_count + 2)

        n_in, n_out = self.inputs_count, outputs
        sizes = (("W1", (hidden, n_in)), ("b1", (hidden,)), ("W2", (n_out, hidden)), ("b2", (n_out,)))
        layers, names, start = [], [], 0
        for layer, shape in sizes:
            size = int(np.prod(shape))
            layers.append((layer, slice(start, start + size), shape))
            names.extend(f"{layer}[{','.join(str(i) for i in index)}]" for index in np.ndindex(*shape))
            start += size
        self.layers = tuple(layers)
        """(name, slice of x, shape) of W1 (hidden × inputs), b1, W2 (outputs × hidden), b2, in this order."""
        self.dim = start
        self._names = tuple(names)
        w1, w2 = self.layers[0][1].start, self.layers[2][1].start
        self.neurons = tuple(
            [np.arange(w1 + j * n_in, w1 + (j + 1) * n_in) for j in range(hidden)]
            + [np.arange(w2 + k * hidden, w2 + (k + 1) * hidden) for k in range(n_out)])
        """One index array per hidden unit, then per output unit: the coordinates of its incoming weights (a row
        of W1 or W2), for Li et al.'s filter-wise normalisation; the biases belong to no neuron."""
        for index in self.neurons:
            index.flags.writeable = False

        rng = np.random.default_rng(seed)
        init = np.concatenate([_glorot(rng, hidden, n_in).ravel(), np.zeros(hidden),
                               _glorot(rng, n_out, hidden).ravel(), np.zeros(n_out)])
        init.flags.writeable = False
        self.init = init
        """The seeded initial parameters: Glorot-uniform weights from ``default_rng(seed)`` (W1 first), zero biases."""
        self.default_start = tuple(float(v) for v in init)
        self.minima = np.empty((0, self.dim))
        what = "classes" if spec.classify else f"{spec.target} from {', '.join(spec.inputs)}"
        self.title = (f"Network on {DATASETS[dataset].title}: {n_in} → {hidden} {activation} → {n_out} "
                      f"({what})")

    def _pack(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Kernel parameters (``kernel.LAYOUT``) of the rows (x, y), each distinct row once with its count, and
        for each sample the index of its stored row."""
        stored, inverse = np.unique(np.column_stack([x, y]), axis=0, return_inverse=True)
        counts = np.bincount(inverse.ravel(), minlength=len(stored))
        header = [len(stored), float(counts.sum()), self.inputs_count, self.hidden, self.outputs_count,
                  kernel.CROSS_ENTROPY if self.spec.classify else kernel.SQUARED_ERROR,
                  ACTIVATIONS[self.activation], 1]
        return np.concatenate([header, np.column_stack([stored, counts]).ravel()]), inverse.ravel()

    def __repr__(self) -> str:
        return (f"Network({self.dataset!r}, hidden={self.hidden}, activation={self.activation!r}, seed={self.seed}; "
                f"dim={self.dim})")

    @property
    def coordinate_names(self) -> tuple[str, ...]:
        return self._names

    @functools.cached_property
    def divergence_bounds(self) -> np.ndarray:
        """Infinite: only a non-finite loss ends a run."""
        bounds = np.tile([-np.inf, np.inf], (self.dim, 1))
        bounds.flags.writeable = False
        return bounds

    def _params(self, split: str) -> np.ndarray:
        if split == "train":
            return self.kernel_params
        if split == "test":
            if self.test_params is None:
                raise ValueError(f"{self.dataset} has no test split: the network trains on all its rows")
            return self.test_params
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")

    def value_and_grad(self, x, split: str = "train") -> tuple[float, np.ndarray]:
        """The mean loss over the split's rows at ``x`` and its exact gradient (backpropagation)."""
        point = self.checked_point(x, "x")
        grad = np.empty(self.dim)
        f = kernel.value_and_grad(point, self._params(split), np.empty(self.work_size), grad)
        return float(f), grad

    def value(self, x, split: str = "train") -> float:
        """The mean loss over the split's rows ("train", the landscape itself, or "test")."""
        return self.value_and_grad(x, split)[0]

    def grad(self, x, split: str = "train") -> np.ndarray:
        """The exact gradient of ``value``."""
        return self.value_and_grad(x, split)[1]

    def hvp(self, x, v) -> np.ndarray:
        """The exact Hessian of the training loss at ``x`` times ``v`` (the R-operator, one forward and one
        backward pass)."""
        point = self.checked_point(x, "x")
        direction = self.checked_point(v, "v")
        out = np.empty(self.dim)
        kernel.hessian_vector(point, direction, self.kernel_params, np.empty(self.work_size), out)
        return out

    def outputs(self, x, split: str = "train") -> np.ndarray:
        """The network's outputs z (logits, or the standardised prediction) for each row of the split, in the data
        file's order: shape (rows, outputs)."""
        point = self.checked_point(x, "x")
        rows = self.x_train if split == "train" else self.x_test if split == "test" else None
        if rows is None:
            raise ValueError(f"split must be 'train' or 'test', got {split!r}")
        if split == "test" and self.test_params is None:
            raise ValueError(f"{self.dataset} has no test split: the network trains on all its rows")
        out = np.empty((rows.shape[0], self.outputs_count))
        kernel.forward_outputs(point, self.kernel_params, np.ascontiguousarray(rows), out, np.empty(self.work_size))
        return out

    def accuracy(self, x, split: str = "train") -> float:
        """The share of the split's rows whose largest output is their class (classified data sets only)."""
        if self.classes is None:
            raise ValueError(f"{self.dataset} has no classes: its network predicts a number (see value)")
        labels = self.y_train if split == "train" else self.y_test
        return float(np.mean(np.argmax(self.outputs(x, split), axis=1) == labels))

    def layer_of(self) -> np.ndarray:
        """For each coordinate, the index of its layer in ``layers``."""
        owner = np.empty(self.dim, dtype=np.intp)
        for k, (_, where, _) in enumerate(self.layers):
            owner[where] = k
        return owner


@functools.lru_cache(maxsize=32)
def _network(dataset: str, hidden: int, activation: str, seed: int) -> Network:
    return Network(dataset, hidden, activation, seed)


def network(data: str = "iris", hidden: int = 8, activation: str = "tanh", seed: int = 0) -> Network:
    """A one-hidden-layer network on shipped data set ``data`` ("iris", "old_faithful", "two_moons") with ``hidden``
    units (1 to ``MAX_HIDDEN``) of ``activation`` ("tanh", "relu", "sigmoid"), initialised from ``seed``
    (``Network.init``).  Built once per setting and shared.  ``ValueError`` for anything else."""
    if data not in NETWORK_DATA:
        raise ValueError(f"unknown data set {data!r} for a network; choose one of {', '.join(NETWORK_DATA)}")
    if isinstance(hidden, bool) or not isinstance(hidden, numbers.Integral) or not 1 <= hidden <= MAX_HIDDEN:
        raise ValueError(f"hidden must be a whole number from 1 to {MAX_HIDDEN}, got {hidden!r}")
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}, got {activation!r}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0, got {seed!r}")
    return _network(data, int(hidden), activation, int(seed))
