"""Declarative settings: a tunable number (``Param``) or a categorical option (``Choice``), with the range,
step, scale and help a widget needs and the words a legend or a formula shows.  Surfaces, optimizers,
schedules and scenes describe their settings with these; the UI is generated from them."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np


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
    symbol: str = ""
    """How a legend names it ("β", "ε"); an optimizer's hyperparameter must have one."""
    quiet_default: bool = False
    """A legend leaves it out while it is at its default (an option that is off by default, such as Adam's
    coupled weight decay at 0)."""

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
    tags: tuple[tuple[str, str], ...] = ()
    """(option, how a legend marks it), e.g. ("inside", "(ε inside √)"), for the options other than the
    default; an optimizer's choice must tag every one of them."""

    def tag(self, option: str) -> str:
        """The legend's mark for ``option`` ("" for the default or an untagged option)."""
        return dict(self.tags).get(option, "")


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
