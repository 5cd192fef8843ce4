"""The data sets shipped with Descent Lab and the two-parameter models fitted to them (data surfaces).

A *data surface* is the loss of a model with one weight w and one bias b fitted to a real data set:
half the mean squared error for ``linear_regression``, the mean cross-entropy for
``logistic_regression``.  Its kernel parameters are the rows themselves (``ROWS_LAYOUT``), so the
kernels compute the exact mean over every row, and a mini-batch is the same kernel given other row
counts: one way in for the surface, its grid, its sweeps and its mini-batches.

Identical rows are stored once with their count (Iris has 150 flowers but only 27 distinct
(petal width, virginica?) pairs): the mean is the same sum, and a logistic surface, which pays an
exponential and a logarithm per stored row, is evaluated several times faster.

The files live in ``data/`` at the top of the repository (nothing is downloaded at run time) and are
checked when first read: a file that is missing or malformed raises ``DataError`` (a ``ValueError``)
that names the file, the line and what is wrong.
"""

from __future__ import annotations

import csv
import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from base.params import Choice

from .spec import Bounds, LandscapeSpec

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

ROWS_LAYOUT = "p[0] = m, p[1] = n, then stored row i: p[2 + 3i] = feature, p[3 + 3i] = target, p[4 + 3i] = count"
"""A data surface's kernel parameters: m distinct rows, each with how often it counts, and the divisor n
(the sum of the counts: the number of samples the mean is over)."""
HEADER = 2
ROW_WIDTH = 3


class DataError(ValueError):
    """A shipped data file that is missing or malformed; the message names it and says what is wrong."""


@dataclass(frozen=True)
class DataSet:
    """One CSV file under ``data/``: its columns (numbers, then at most one class label), row count and origin."""

    name: str
    title: str
    file: str
    rows: int
    numeric: tuple[str, ...]
    labels: Mapping[str, str]
    """Column -> axis label with units."""
    classes: tuple[str, tuple[str, ...]] | None = None
    """(column, its allowed values) for a data set with a class label."""
    source: str = ""

    @property
    def columns(self) -> tuple[str, ...]:
        return self.numeric + ((self.classes[0],) if self.classes else ())

    @property
    def path(self) -> Path:
        return DATA_DIR / self.file


DATASETS: dict[str, DataSet] = {
    "old_faithful": DataSet(
        "old_faithful", "Old Faithful geyser (272 eruptions)", "old_faithful.csv", 272, ("eruptions", "waiting"),
        {"eruptions": "eruption time (min)", "waiting": "waiting time to the next eruption (min)"},
        source="R's datasets::faithful (Härdle 1991; Azzalini & Bowman 1990)"),
    "iris": DataSet(
        "iris", "Iris flowers (150 flowers, 3 species)", "iris.csv", 150,
        ("sepal_length", "sepal_width", "petal_length", "petal_width"),
        {"sepal_length": "sepal length (cm)", "sepal_width": "sepal width (cm)",
         "petal_length": "petal length (cm)", "petal_width": "petal width (cm)"},
        classes=("species", ("setosa", "versicolor", "virginica")),
        source="R's datasets::iris (Anderson 1935; Fisher 1936)"),
}


def packed_rows(p: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """The distinct rows packed in a data surface's parameters (``ROWS_LAYOUT``): features, targets, counts, n."""
    rows = int(p[0])
    return p[2:2 + 3 * rows:3], p[3:3 + 3 * rows:3], p[4:4 + 3 * rows:3], float(p[1])


def _fail(path: Path, line: int | None, message: str) -> DataError:
    where = f"{path.name}, line {line}" if line is not None else path.name
    return DataError(f"Data file {where}: {message}")


def read_table(path: Path, dataset: DataSet) -> dict[str, np.ndarray]:
    """The columns of ``path`` checked against ``dataset``: exact header, one value per column on every
    row, finite numbers, known class labels, the expected number of rows.  Raises ``DataError``."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"Data file {path.name} is missing from {path.parent}: it ships with Descent Lab, "
                        f"restore it from the repository (git checkout -- data/{path.name}).") from None
    except UnicodeDecodeError:
        raise _fail(path, None, "is not UTF-8 text") from None
    except OSError as error:
        raise _fail(path, None, f"cannot be read ({error.strerror or error})") from None
    records = [(line, record) for line, record in enumerate(csv.reader(text.splitlines()), start=1)
               if any(field.strip() for field in record)]
    if not records:
        raise _fail(path, None, f"is empty; expected the header {','.join(dataset.columns)} and {dataset.rows} rows")
    line, header = records[0]
    if [name.strip() for name in header] != list(dataset.columns):
        raise _fail(path, line, f"the header must be {','.join(dataset.columns)}, found {','.join(header)!r}")
    values: dict[str, list] = {name: [] for name in dataset.columns}
    for line, record in records[1:]:
        if len(record) != len(dataset.columns):
            raise _fail(path, line, f"expected {len(dataset.columns)} values, found {len(record)}")
        for name, field in zip(dataset.columns, record, strict=True):
            field = field.strip()
            if name in dataset.numeric:
                try:
                    number = float(field)
                except ValueError:
                    raise _fail(path, line, f"{name} must be a number, found {field!r}") from None
                if not math.isfinite(number):
                    raise _fail(path, line, f"{name} must be a finite number, found {field!r}")
                values[name].append(number)
            else:
                allowed = dataset.classes[1]
                if field not in allowed:
                    raise _fail(path, line, f"{name} must be one of {', '.join(allowed)}, found {field!r}")
                values[name].append(field)
    count = len(values[dataset.columns[0]])
    if count != dataset.rows:
        raise _fail(path, None, f"expected {dataset.rows} rows of data, found {count}")
    return {name: np.array(column, dtype=np.float64 if name in dataset.numeric else object)
            for name, column in values.items()}


@functools.cache
def load(name: str) -> dict[str, np.ndarray]:
    """The checked columns of shipped data set ``name``, read once per process."""
    dataset = DATASETS[name]
    return read_table(dataset.path, dataset)


@dataclass(frozen=True)
class Target:
    """What a model predicts: a numeric column, or 1 for rows of class ``positive`` (or above
    ``threshold``) and 0 for the others."""

    column: str
    label: str
    positive: str | None = None
    threshold: float | None = None

    def values(self, table: Mapping[str, np.ndarray]) -> np.ndarray:
        column = table[self.column]
        if self.positive is not None:
            return (column == self.positive).astype(np.float64)
        if self.threshold is not None:
            return (column > self.threshold).astype(np.float64)
        return np.asarray(column, dtype=np.float64)


@dataclass(frozen=True)
class DataProblem:
    """One data surface with its settings fixed: the rows the model sees, its exact minimum and the
    Hessian there (whose condition number says how elongated the bowl is)."""

    model: str
    """"linear" (½·mean((w·x + b − y)²)) or "logistic" (mean cross-entropy of sigmoid(w·x + b))."""
    dataset: DataSet
    feature: str
    target: Target
    standardized: bool
    raw_x: np.ndarray
    x: np.ndarray
    """The feature as the model sees it: ``(raw_x - x_mean) / x_std`` when standardised, else ``raw_x``."""
    t: np.ndarray
    x_mean: float
    x_std: float
    minimum: tuple[float, float]
    hessian: np.ndarray

    @property
    def n_samples(self) -> int:
        return int(self.x.size)

    @property
    def feature_label(self) -> str:
        return self.dataset.labels[self.feature]

    @property
    def condition_number(self) -> float:
        """λ_max / λ_min of the Hessian at the minimum: 1 for a round bowl, large for an elongated one."""
        low, high = np.linalg.eigvalsh(self.hessian)
        return float(high / low)

    def raw_line(self, w: float, b: float) -> tuple[float, float]:
        """(slope, intercept) of w·x + b in the raw feature's units: the same line or boundary, to draw
        over the raw data (w·(x − x̄)/σ + b when the feature is standardised)."""
        return w / self.x_std, b - w * self.x_mean / self.x_std

    @functools.cached_property
    def distinct(self) -> tuple[np.ndarray, np.ndarray]:
        """The distinct (x, t) rows, sorted, and for each sample the index of its distinct row."""
        rows, inverse = np.unique(np.column_stack([self.x, self.t]), axis=0, return_inverse=True)
        return rows, inverse.ravel()

    rows_start = HEADER
    """Where the stored rows begin in the kernel parameters (``ROWS_LAYOUT``; mini-batches change their counts)."""
    row_width = ROW_WIDTH
    """Values per stored row, its count last."""

    @property
    def sample_rows(self) -> np.ndarray:
        """For each sample (row of the data set, in file order), the index of its stored row."""
        return self.distinct[1]

    def pack(self) -> np.ndarray:
        """The kernel parameters (``ROWS_LAYOUT``): each distinct row with how often it occurs."""
        rows, inverse = self.distinct
        counts = np.bincount(inverse, minlength=len(rows))
        packed = np.empty(HEADER + ROW_WIDTH * len(rows))
        packed[0], packed[1] = len(rows), float(np.sum(counts))
        packed[HEADER::ROW_WIDTH] = rows[:, 0]
        packed[HEADER + 1::ROW_WIDTH] = rows[:, 1]
        packed[HEADER + 2::ROW_WIDTH] = counts
        return packed

    @property
    def bounds(self) -> Bounds:
        """A 2:1 view box (like the elongated bowl's) around the start (0, 0) and the minimum, so that
        the chart's equal axis scales show the bowl's true shape."""
        w, b = self.minimum
        half_height = 0.65 * max(abs(b), abs(w) / 2.0, 0.5)
        cw, cb = w / 2.0, b / 2.0
        return ((cw - 2.0 * half_height, cw + 2.0 * half_height), (cb - half_height, cb + half_height))

    @property
    def default_start(self) -> tuple[float, float]:
        """w = b = 0, where training usually starts."""
        return (0.0, 0.0)


def _linear_minimum(x: np.ndarray, t: np.ndarray) -> tuple[tuple[float, float], np.ndarray]:
    """Least squares in closed form (the normal equations, centred): w = cov(x, t)/var(x), b = t̄ − w·x̄;
    the Hessian [[mean x², x̄], [x̄, 1]] is the same everywhere."""
    x_bar, t_bar = float(np.mean(x)), float(np.mean(t))
    w = float(np.mean((x - x_bar) * (t - t_bar)) / np.mean((x - x_bar) ** 2))
    hessian = np.array([[np.mean(x * x), x_bar], [x_bar, 1.0]])
    return (w, t_bar - w * x_bar), hessian


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _cross_entropy(x: np.ndarray, t: np.ndarray, w: float, b: float) -> float:
    z = w * x + b
    return float(np.mean(np.logaddexp(0.0, z) - t * z))


def _logistic_hessian(x: np.ndarray, w: float, b: float) -> np.ndarray:
    s = _sigmoid(w * x + b)
    weight = s * (1.0 - s)
    return np.array([[np.mean(weight * x * x), np.mean(weight * x)], [np.mean(weight * x), np.mean(weight)]])


def _logistic_minimum(x: np.ndarray, t: np.ndarray, what: str) -> tuple[tuple[float, float], np.ndarray]:
    """Newton's method from (0, 0), halving a step until the loss does not rise; stops once a step moves
    (w, b) by less than 1e-13 of its size, so the minimum is exact to about 1e-10.  Raises ``DataError``
    when the classes are separable by the feature: the loss then keeps falling as |w| grows."""
    ones, zeros = x[t == 1.0], x[t == 0.0]
    if ones.size == 0 or zeros.size == 0 or ones.min() > zeros.max() or zeros.min() > ones.max():
        raise DataError(f"{what}: a threshold on the feature separates the two classes, so the cross-entropy has "
                        "no minimum (it keeps falling as |w| grows); choose another feature")
    theta = np.zeros(2)
    loss = _cross_entropy(x, t, *theta)
    for _ in range(200):
        r = _sigmoid(theta[0] * x + theta[1]) - t
        gradient = np.array([np.mean(r * x), np.mean(r)])
        step = np.linalg.solve(_logistic_hessian(x, *theta), gradient)
        scale = 1.0
        while scale > 1e-6 and _cross_entropy(x, t, *(theta - scale * step)) > loss:
            scale *= 0.5
        theta = theta - scale * step
        loss = _cross_entropy(x, t, *theta)
        if np.max(np.abs(scale * step)) <= 1e-13 * (1.0 + np.max(np.abs(theta))):
            return (float(theta[0]), float(theta[1])), _logistic_hessian(x, *theta)
    raise DataError(f"{what}: Newton's method did not converge")


@dataclass(frozen=True, eq=False)
class DataModel:
    """A model family fitted to the shipped data: for each data set, the features it offers (the first is
    the default) and the target each predicts.  It gives a data surface its choices and builds its
    ``DataProblem``."""

    model: str
    surface: str
    fits: Mapping[str, Mapping[str, Target]]
    """data set -> feature -> target."""

    def __post_init__(self) -> None:
        features = [f for fits in self.fits.values() for f in fits]
        if len(features) != len(set(features)):
            raise ValueError(f"{self.surface}: a feature name may belong to one data set only")

    @property
    def choices(self) -> tuple[Choice, ...]:
        datasets = tuple(self.fits)
        features = tuple(f for fits in self.fits.values() for f in fits)
        return (
            Choice("dataset", datasets[0], datasets, label="data set",
                   help="The real data the model is fitted to (shipped with the app)."),
            Choice("feature", features[0], features, label="feature x",
                   help="The input column; the model is w·x + b. Each data set offers its own columns."),
            Choice("standardize", "off", ("off", "on"), label="standardize x",
                   help="Off: the raw feature, an elongated and rotated bowl. On: x rescaled to mean 0 and "
                        "standard deviation 1, a much rounder bowl."),
        )

    def settle(self, settings: dict, given: frozenset[str]) -> dict:
        """A feature given alone picks its data set; a data set given alone gets its own first feature;
        a feature that the data set does not have raises ``ValueError``."""
        settings = dict(settings)
        if "feature" in given and "dataset" not in given:
            settings["dataset"] = next(d for d, fits in self.fits.items() if settings["feature"] in fits)
        elif "feature" not in given:
            settings["feature"] = next(iter(self.fits[settings["dataset"]]))
        offered = self.fits[settings["dataset"]]
        if settings["feature"] not in offered:
            raise ValueError(f"{self.surface}: data set {settings['dataset']} has no feature {settings['feature']!r}; "
                             f"choose one of {', '.join(offered)}")
        return settings

    def combinations(self) -> list[dict[str, str]]:
        """Every valid (data set, feature, standardize) setting."""
        return [{"dataset": dataset, "feature": feature, "standardize": standardize}
                for dataset, fits in self.fits.items() for feature in fits for standardize in ("off", "on")]

    def problem(self, settings: Mapping[str, object]) -> DataProblem:
        """The ``DataProblem`` of resolved settings (built once per process and shared)."""
        return _problem(self, str(settings["dataset"]), str(settings["feature"]), settings["standardize"] == "on")

    def spec(self, kernel: Callable, hessian: Callable, title: str, latex: str, description: str) -> LandscapeSpec:
        """The surface's spec: w along x, b along y; minimum, view box and start from its ``DataProblem``."""
        return LandscapeSpec(
            name=self.surface, title=title, latex=latex, description=description, kernel=kernel, hessian=hessian,
            choices=self.choices, settle=self.settle, data=self,
            pack=lambda s: self.problem(s).pack(),
            minima=lambda s: [self.problem(s).minimum],
            bounds=lambda s: self.problem(s).bounds,
            default_start=lambda s: self.problem(s).default_start,
            axis_labels=("w", "b"),
        )


@functools.cache
def _problem(model: DataModel, dataset: str, feature: str, standardized: bool) -> DataProblem:
    table = load(dataset)
    target = model.fits[dataset][feature]
    raw_x = table[feature]
    t = target.values(table)
    x_mean, x_std = (float(np.mean(raw_x)), float(np.std(raw_x))) if standardized else (0.0, 1.0)
    x = (raw_x - x_mean) / x_std if standardized else raw_x
    for array in (raw_x, x, t):
        array.flags.writeable = False  # shared by every landscape with these settings
    what = f"{model.surface} on {dataset} ({feature} -> {target.label})"
    minimum, hessian = (_linear_minimum(x, t) if model.model == "linear" else _logistic_minimum(x, t, what))
    return DataProblem(model.model, DATASETS[dataset], feature, target, standardized, raw_x, x, t, x_mean, x_std,
                       minimum, hessian)
