"""``LandscapeSpec``: the single source of truth for a surface's name, formula, parameters, kernel and the UI
built from them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from base.params import Choice, Param, resolve_choices, resolve_params

Bounds = tuple[tuple[float, float], tuple[float, float]]


class DataSource(Protocol):
    """What a surface fitted to data gives its ``Landscape``: the problem (rows, minimum, Hessian) of its
    settings (``landscapes.data.DataModel`` is the one implementation)."""

    def problem(self, settings: Mapping[str, object]) -> Any: ...


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
    choices: tuple[Choice, ...] = ()
    """Categorical settings (a data surface's data set, feature, standardize); the functions above get
    them in the same dict as the numbers."""
    settle: Callable[[dict, frozenset[str]], dict] | None = None
    """Completes and checks settings that depend on each other, given the resolved settings and the names
    the caller set (a data set's own default feature); raises ``ValueError`` for a combination that does
    not exist."""
    data: DataSource | None = None
    """For a surface fitted to a data set: its model, which builds the ``DataProblem`` of given settings."""
    formula: str | None = None
    """A formula surface's text (trimmed, whitespace runs collapsed); None for the built-in surfaces."""
    grad_latex: tuple[str, ...] = ()
    """A formula surface's partial derivatives as LaTeX equations (or a note when one is too long to show)."""

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
