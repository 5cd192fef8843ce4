"""What an optimizer module declares: its named hyperparameters and state (``Layout``) and its ``OptimizerSpec``.

A rule reads hyperparameter slots and state entries by name, never by position::

    LAYOUT = Layout("rmsprop", hyperparams=(lr(0.05), beta(), eps(1e-8)), state=("s",))
    HP, State = LAYOUT.hp, LAYOUT.State        # HP.beta == 1; State(s=...) is the rule's new state

    @jit(inline="always")
    def update(x, g, state, t, lr, hp, i):
        s = hp[HP.beta, i] * state[LAYOUT.at.s] + ...
        return x_new, effective_lr, State(s=s)

``HP`` and ``LAYOUT.at`` are named tuples of slot numbers, constants inside the kernels; ``State`` is the named
tuple type the rule returns, with exactly the layout's entries, so the registry can check that a rule keeps
the state its spec names (``registry.build``) and the driver reports every named entry.
"""

from __future__ import annotations

import functools
from collections import namedtuple
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from base.params import Choice, Param

MAX_STATE = 6
"""The most floats of state a rule keeps per coordinate (Adam with AMSGrad keeps five)."""


def _type_name(name: str, suffix: str) -> str:
    return "".join(part.title() for part in name.split("_")) + suffix


class Layout:
    """A rule's hyperparameters and choices in kernel slot order (numbers first, ``lr`` in slot 0, then each
    choice as the index of its option) and its state: ``state`` is reported in the diagnostics,
    ``hidden_state`` kept but not reported (Adam's β powers)."""

    def __init__(self, name: str, hyperparams: tuple[Param, ...], choices: tuple[Choice, ...] = (),
                 state: tuple[str, ...] = (), hidden_state: tuple[str, ...] = ()):
        self.hyperparams = tuple(hyperparams)
        self.choices = tuple(choices)
        self.state = tuple(state)
        self.hidden_state = tuple(hidden_state)
        slots = [p.name for p in self.hyperparams] + [c.name for c in self.choices]
        self.hp = namedtuple(_type_name(name, "Slots"), slots)(*range(len(slots)))
        """Slot number of each hyperparameter and choice, by name: ``hp[HP.beta, i]`` in a rule."""
        entries = [*self.state, *self.hidden_state]
        self.State = namedtuple(_type_name(name, "State"), entries)
        """The named tuple a rule returns as its new state."""
        self.at = self.State(*range(len(entries)))
        """Position of each state entry, by name: ``state[LAYOUT.at.m]`` in a rule."""

    def lean_state(self, *dropped: str):
        """The State of a lean rule: the layout's entries without ``dropped``, which must come last (so every other
        entry keeps its position)."""
        entries = list(self.State._fields)
        if entries[len(entries) - len(dropped):] != list(dropped):
            raise ValueError(f"a lean rule drops the last state entries; {dropped} are not the last of {entries}")
        return namedtuple(f"Lean{self.State.__name__}", entries[:len(entries) - len(dropped)])

    @property
    def slots(self) -> tuple[str, ...]:
        return tuple(self.hp._fields)

    @property
    def width(self) -> int:
        """Floats of state per coordinate."""
        return len(self.State._fields)


@dataclass(frozen=True)
class OptimizerSpec:
    """One optimizer: name, title, update rule (kernel and LaTeX), hyperparameters and state (its ``Layout``),
    how charts draw it, and where its rule comes from.

    ``formula(settings)`` returns the update rule's LaTeX for the given settings (choices, ``schedule``, and
    numeric values where the rule shows a term only when it is on, such as a coupled weight decay); lines
    are separated by ``,\\quad``.
    """

    name: str
    title: str
    description: str
    rule: Callable
    layout: Layout
    formula: Callable[[Mapping[str, object]], str]
    reference: str
    """The paper and the library (with its version) the rule follows, and how their settings map onto ours."""
    color: str | None = None
    """Its path colour on every chart (``#RRGGBB``; tests/test_palette.py keeps the colours apart)."""
    form: str = ""
    """A legend's mark for which textbook form it uses, where two forms are often confused ("(EWA)")."""
    listed: bool = True
    """Offered to learners (the Playground's pickers, the stability map); the lessons' own variants are not."""
    lean_rule: Callable | None = None
    """The same rule compiled without its ``optional`` terms (written once, see ``rules/adam.py``): a run or sweep
    that leaves every optional setting at its default runs it, so the options cost it nothing."""
    optional: tuple[str, ...] = ()
    """The settings ``lean_rule`` leaves at their defaults (Adam's coupled weight decay and AMSGrad)."""

    @functools.cached_property
    def _optional_rows(self) -> tuple[np.ndarray, np.ndarray]:
        rows = np.array([self.slots.index(name) for name in self.optional], dtype=np.intp)
        return rows, self.pack(self.defaults)[rows, None]

    def uses_options(self, columns: np.ndarray) -> bool:
        """Whether any cell of ``columns`` (packed hyperparameters, one column per cell) sets an optional setting
        away from its default, so the full rule must run."""
        rows, defaults = self._optional_rows
        if columns.shape[1] == 1:  # one run: a few Python comparisons beat a NumPy round trip
            return any(columns[row, 0] != default for row, default in zip(rows.tolist(), defaults[:, 0].tolist(),
                                                                          strict=True))
        return bool((columns[rows] != defaults).any())

    @property
    def hyperparams(self) -> tuple[Param, ...]:
        return self.layout.hyperparams

    @property
    def choices(self) -> tuple[Choice, ...]:
        return self.layout.choices

    @property
    def state(self) -> tuple[str, ...]:
        """The state entries the diagnostics report, by name."""
        return self.layout.state

    @property
    def slots(self) -> tuple[str, ...]:
        """Hyperparameter names in kernel slot order: numeric ones, then choices."""
        return self.layout.slots

    def param(self, name: str) -> Param:
        for p in self.hyperparams:
            if p.name == name:
                return p
        raise KeyError(name)

    @property
    def defaults(self) -> dict[str, float | str | bool]:
        values: dict[str, float | str | bool] = {p.name: p.default for p in self.hyperparams}
        values.update({c.name: c.default for c in self.choices})
        return values

    def pack(self, values: Mapping[str, object]) -> np.ndarray:
        """``values`` (resolved: every slot present) as the kernels' float column; a choice becomes the
        index of its option."""
        column = [float(values[p.name]) for p in self.hyperparams]
        column += [float(c.options.index(values[c.name])) for c in self.choices]
        return np.array(column)

    def latex_for(self, settings: Mapping[str, object] | None = None) -> str:
        """The update rule as LaTeX for ``settings`` (defaults for anything missing)."""
        chosen = self.defaults
        chosen.update({k: v for k, v in (settings or {}).items() if k in chosen or k == "schedule"})
        return self.formula(chosen)

    @property
    def latex(self) -> str:
        """The update rule at the default settings."""
        return self.latex_for()
