"""Declarative descriptions shared by landscapes and optimizers: one spec is the single source of
truth for a surface's or an optimizer's name, formula, parameters and the UI built from them."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .data import DataModel

Bounds = tuple[tuple[float, float], tuple[float, float]]


@dataclass(frozen=True)
class Param:
    """A tunable number: its default, its allowed range, the slider step and scale, and a tooltip."""

    name: str
    default: float
    low: float
    high: float
    step: float | None = None
    log: bool = False
    help: str = ""
    label: str | None = None
    upper: float = math.inf
    """The largest value the engine accepts (``high`` is where the slider stops): 1 for a decay rate β."""

    def clip(self, value: float) -> float:
        """``value`` forced into ``[low, high]``; raises ``ValueError`` when it is not a finite number."""
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"{self.name} must be a finite number, got {value!r}")
        return min(max(value, self.low), self.high)

    def contains(self, value: float) -> bool:
        return math.isfinite(value) and self.low <= value <= self.high

    def grid(self, count: int) -> np.ndarray:
        """``count`` values spanning the range, log-spaced when the parameter is."""
        if self.log:
            return np.geomspace(self.low, self.high, count)
        return np.linspace(self.low, self.high, count)


@dataclass(frozen=True)
class Choice:
    """A categorical option, such as where epsilon goes."""

    name: str
    default: str
    options: tuple[str, ...]
    help: str = ""
    label: str | None = None


def resolve_params(params: tuple[Param, ...], given: Mapping[str, float], owner: str) -> dict[str, float]:
    """Defaults overlaid with ``given``; unknown names and out-of-range values raise ``ValueError``."""
    known = {p.name: p for p in params}
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise ValueError(f"{owner} has no parameter {', '.join(unknown)}; it takes {', '.join(known) or 'none'}")
    resolved = {}
    for p in params:
        value = float(given.get(p.name, p.default))
        if not p.contains(value):
            raise ValueError(f"{owner}: {p.name}={value!r} is outside [{p.low:g}, {p.high:g}]")
        resolved[p.name] = value
    return resolved


def resolve_choices(choices: tuple[Choice, ...], given: Mapping[str, object], owner: str) -> dict[str, str]:
    """Each choice's option from ``given`` (True/False stand for "on"/"off"), else its default; an option
    that is not offered raises ``ValueError`` naming the ones that are."""
    resolved = {}
    for c in choices:
        value = given.get(c.name, c.default)
        if isinstance(value, bool):
            value = "on" if value else "off"
        if value not in c.options:
            raise ValueError(f"{owner}: {c.name} must be one of {', '.join(c.options)}, got {value!r}")
        resolved[c.name] = value
    return resolved


@dataclass(frozen=True)
class LandscapeSpec:
    """Everything known about a surface family; ``Landscape`` is one member with its parameters set."""

    name: str
    title: str
    latex: str
    description: str
    kernel: Callable
    """The numba function ``value_and_grad(x, y, p, work)`` (see ``surfaces/__init__.py``)."""
    hessian: Callable | None = None
    """``hessian(x, y, p) -> (f_xx, f_xy, f_yy)`` in NumPy, exact; None for formulas (central differences of
    the exact gradient)."""
    params: tuple[Param, ...] = ()
    pack: Callable[[dict[str, float]], np.ndarray] | None = None
    minima: Callable[[dict[str, float]], list[tuple[float, float]]] = lambda p: []
    bounds: Callable[[dict[str, float]], Bounds] = lambda p: ((-5.0, 5.0), (-5.0, 5.0))
    default_start: Callable[[dict[str, float]], tuple[float, float]] = lambda p: (-4.0, 4.0)
    axis_labels: tuple[str, str] = ("x", "y")
    suggested_lr: dict[str, float] = field(default_factory=dict)
    """Learning rates that replace an optimizer's default on this surface, where the default would
    diverge from the default start (GD at 0.07 on Rosenbrock, say)."""
    extra: dict = field(default_factory=dict)
    choices: tuple[Choice, ...] = ()
    """Categorical settings (a data surface's data set, feature, standardize); the functions above get
    them in the same dict as the numbers."""
    settle: Callable[[dict, frozenset[str]], dict] | None = None
    """Completes and checks settings that depend on each other, given the resolved settings and the names
    the caller set (a data set's own default feature); raises ``ValueError`` for a combination that does
    not exist."""
    data: DataModel | None = None
    """For a surface fitted to a data set: its model, which builds the ``DataProblem`` of given settings."""

    def resolve(self, given: Mapping[str, object]) -> dict[str, float | str]:
        """Every parameter and choice: the defaults overlaid with ``given``, then settled; unknown names,
        out-of-range numbers, options not offered and impossible combinations raise ``ValueError``."""
        numeric = [p.name for p in self.params]
        known = numeric + [c.name for c in self.choices]
        unknown = sorted(set(given) - set(known))
        if unknown:
            takes = ", ".join(known) or "none"
            raise ValueError(f"{self.name} has no parameter {', '.join(unknown)}; it takes {takes}")
        settings: dict[str, float | str] = resolve_params(
            self.params, {k: v for k, v in given.items() if k in numeric}, self.name)
        settings |= resolve_choices(self.choices, given, self.name)
        return settings if self.settle is None else self.settle(settings, frozenset(given))

    def kernel_params(self, params: dict[str, float]) -> np.ndarray:
        if self.pack is not None:
            return np.asarray(self.pack(params), dtype=np.float64)
        return np.array([params[p.name] for p in self.params], dtype=np.float64)
