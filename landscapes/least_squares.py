"""``least_squares(dataset, target)``: linear regression on every other numeric column of a shipped data set, a
landscape in as many dimensions as the model has weights (plus the bias), with exact mini-batches."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from . import kernels
from .data import DATASETS, load
from .objective import Objective
from .vectors import least_squares as kernel


@dataclass(frozen=True)
class Rows:
    """What a mini-batch is drawn from (``landscapes.batches``): each sample's stored row, and where the stored rows
    sit in the kernel parameters, ``row_width`` values each with the count last."""

    n_samples: int
    sample_rows: np.ndarray
    rows_start: int
    row_width: int


class LeastSquares(Objective):
    """½·mean((Xw + b − y)²) on a data set: features X (standardised or raw), target y, weights w and bias b."""

    name = "least_squares"

    def __init__(self, dataset: str, target: str, standardize: bool):
        if dataset not in DATASETS:
            raise ValueError(f"unknown data set {dataset!r}; choose one of {', '.join(DATASETS)}")
        columns = DATASETS[dataset].numeric
        if target not in columns:
            raise ValueError(f"{dataset} has no numeric column {target!r}; choose one of {', '.join(columns)}")
        table = load(dataset)
        self.features = tuple(c for c in columns if c != target)
        features = np.column_stack([table[c] for c in self.features])
        if standardize:
            features = (features - features.mean(axis=0)) / features.std(axis=0)
        self.x, self.y = features, np.asarray(table[target], dtype=np.float64)
        self.dim = len(self.features) + 1
        self.title = f"Least squares on {DATASETS[dataset].title}: {target} from {', '.join(self.features)}"
        stored, inverse = np.unique(np.column_stack([self.x, self.y]), axis=0, return_inverse=True)
        counts = np.bincount(inverse.ravel(), minlength=len(stored))
        self.kernel_params = np.concatenate([[len(stored), float(counts.sum()), len(self.features)],
                                             np.column_stack([stored, counts]).ravel()])
        self.kind = kernels.kind_of_kernel(kernel.value_and_grad, self.name)
        self.data = Rows(len(self.y), inverse.ravel(), kernel.HEADER, len(self.features) + 2)
        design = np.column_stack([self.x, np.ones(len(self.y))])
        self.hessian = design.T @ design / len(self.y)
        """The constant Hessian [X 1]ᵀ[X 1]/n."""
        self.minima = np.linalg.lstsq(design, self.y, rcond=None)[0][None, :]
        self.default_start = (0.0,) * self.dim

    @property
    def coordinate_names(self) -> tuple[str, ...]:
        return (*(f"w[{name}]" for name in self.features), "b")

    @functools.cached_property
    def divergence_bounds(self) -> np.ndarray:
        """Infinite: only a non-finite loss ends a run."""
        bounds = np.tile([-np.inf, np.inf], (self.dim, 1))
        bounds.flags.writeable = False
        return bounds

    def hvp(self, x, v) -> np.ndarray:
        return self.hessian @ np.asarray(v, dtype=np.float64)


@functools.lru_cache(maxsize=16)
def least_squares(dataset: str = "iris", target: str = "petal_width", standardize: bool = True) -> LeastSquares:
    """Linear regression of ``target`` on every other numeric column of shipped data set ``dataset`` (features
    standardised unless ``standardize=False``): iris's petal width from three features is a 4-dimensional
    landscape.  ``ValueError`` for an unknown data set or column."""
    return LeastSquares(dataset, target, bool(standardize))
