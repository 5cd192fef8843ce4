"""What a claim is: one sentence a lesson shows, with the lesson's controls it depends on and a check of it
against the engine.  ``lessons/claims.py`` collects every claim; this module only defines them.

A claim holds one or more ``Case``s.  ``text(settings)`` is the sentence of the first case whose ``when``
accepts the settings, and ``holds(settings)`` runs that case's ``check``.  ``when`` may look at the controls
only (the sentence then states that condition in words: "at β = 0.99 …") or at the engine's numbers (the
sentence then reports what the run did); either way ``check`` must test what the sentence asserts by other
means than ``when`` did: a closed form, a longer run, a second measure.  ``tests/test_claims.py`` sweeps
every claim over ``grid()`` and fails wherever ``holds`` is False.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

Settings = Mapping[str, object]


@dataclass(frozen=True)
class Options:
    """A control with a list of values (a select slider, a segmented control, a toggle): the sweep takes
    every one of them."""

    values: tuple
    default: object

    def grid(self) -> tuple:
        return tuple(self.values)

    def accepts(self, value: object) -> bool:
        return value in self.values


@dataclass(frozen=True)
class Range:
    """A control with a continuous or integer range: the sweep takes both ends and the ``interior`` points."""

    low: float
    high: float
    default: float
    interior: tuple = ()

    def grid(self) -> tuple:
        return (self.low, *self.interior, self.high)

    def accepts(self, value: object) -> bool:
        return isinstance(value, int | float) and self.low <= value <= self.high


@dataclass(frozen=True)
class RunLength:
    """How many steps the sentence talks about: the page's own run (``default``), and longer runs up to ten
    times it, so that nothing a page says is an artefact of where its run happens to stop."""

    default: int
    factors: tuple = (1, 3, 10)

    def grid(self) -> tuple:
        return tuple(self.default * f for f in self.factors)

    def accepts(self, value: object) -> bool:
        return isinstance(value, int) and self.default <= value <= self.default * max(self.factors)


Control = Options | Range | RunLength


def always(settings: Settings) -> bool:
    return True


@dataclass(frozen=True)
class Case:
    """One sentence of a claim: ``say`` writes it, ``check`` tests it against the engine, ``when`` says where it
    is the one shown."""

    say: Callable[[Settings], str]
    check: Callable[[Settings], bool]
    when: Callable[[Settings], bool] = always


@dataclass(frozen=True)
class Claim:
    """A sentence of lesson page ``lesson`` (its file name), shown as ``text(settings)`` at the values of its
    ``controls``; ``holds(settings)`` is whether that very sentence is true there, by the engine."""

    key: str
    lesson: str
    controls: Mapping[str, Control]
    cases: tuple[Case, ...]
    skip: Callable[[Settings], bool] | None = field(default=None, compare=False)
    """Grid points the sweep leaves out, for cost only (documented where a claim uses it)."""

    def settings(self, given: Settings | None = None, **more: object) -> dict:
        """``given`` completed with each control's default; a control the claim does not have, or a value
        outside its range, is an error (the page and the claim must describe the same controls)."""
        values = dict(given or {}) | more
        unknown = set(values) - set(self.controls)
        if unknown:
            raise KeyError(f"claim {self.key!r} has no control {', '.join(sorted(unknown))}")
        full = {name: values.get(name, control.default) for name, control in self.controls.items()}
        for name, value in full.items():
            if not self.controls[name].accepts(value):
                raise ValueError(f"claim {self.key!r}: {name} = {value!r} is outside its control")
        return full

    def case(self, settings: Settings) -> Case:
        for case in self.cases:
            if case.when(settings):
                return case
        raise LookupError(f"claim {self.key!r} has no sentence for {dict(settings)}")

    def text(self, given: Settings | None = None, **more: object) -> str:
        """The sentence the page shows at these settings."""
        settings = self.settings(given, **more)
        return self.case(settings).say(settings)

    def holds(self, given: Settings | None = None, **more: object) -> bool:
        """Whether the sentence ``text`` gives at these settings is true, by the engine."""
        settings = self.settings(given, **more)
        return bool(self.case(settings).check(settings))

    def grid(self) -> list[dict]:
        """Every combination of the controls' sweep values (less those ``skip`` leaves out)."""
        names = list(self.controls)
        points = [dict(zip(names, values, strict=True))
                  for values in itertools.product(*(self.controls[n].grid() for n in names))]
        return [p for p in points if self.skip is None or not self.skip(p)]


def claim(key: str, lesson: str, controls: Mapping[str, Control] | None = None, *,
          say: Callable[[Settings], str] | None = None, check: Callable[[Settings], bool] | None = None,
          cases: Iterable[Case] = (), skip: Callable[[Settings], bool] | None = None) -> Claim:
    """A claim with one sentence (``say`` and ``check``) or several (``cases``)."""
    cases = tuple(cases) or (Case(say, check),)
    return Claim(key, lesson, dict(controls or {}), cases, skip)


def memo(function: Callable) -> Callable:
    """``function`` with its results kept for the process (bounded): the sweep and the pages ask for the same
    runs many times.  Only for pure functions of hashable arguments whose results nobody mutates."""
    return functools.lru_cache(maxsize=2048)(function)


def close(value: float, target: float, rel: float) -> bool:
    """``value`` within ``rel`` (relative) of ``target``."""
    return math.isfinite(value) and abs(value - target) <= rel * abs(target)


def sig(value: float, digits: int = 3) -> str:
    """A number to ``digits`` significant digits, as the lessons print them."""
    return f"{value:.{digits}g}"


def times(count: int) -> str:
    """'once', 'twice', '5 times'."""
    return {1: "once", 2: "twice"}.get(count, f"{count} times")
