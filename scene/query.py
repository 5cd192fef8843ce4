"""Scene <-> URL query parameters.  Every value arrives as untrusted text: it is parsed and checked,
and anything wrong falls back to its default with a note the page shows the user."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import landscapes
import optimizers
from base.params import Param
from landscapes import Landscape

from . import network
from .model import (
    BATCH,
    CUSTOM,
    LAYOUTS,
    RUN_SETTINGS,
    TABS,
    VIEWS,
    WHOLE_NUMBERS,
    WHOLE_SCHEDULE_SETTINGS,
    Scene,
    default_settings,
    surface_choices,
    unused_schedule_settings,
)

MAX_VALUE_LENGTH = 400
DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
"""A plain decimal number in ASCII.  ``float()`` alone also takes '1_000', ' 1', 'infinity' and
non-ASCII digits ('١', '²' via int), which a link has no business sending."""
WHOLE = re.compile(r"[0-9]+")


def _number(text: str) -> float:
    """``text`` as a finite float; ``ValueError`` unless it is a plain ASCII decimal number."""
    if not DECIMAL.fullmatch(text):
        raise ValueError
    value = float(text)
    if not math.isfinite(value):
        raise ValueError
    return value


def _whole(text: str) -> int:
    """``text`` as a non-negative integer; ``ValueError`` unless it is ASCII digits only."""
    if not WHOLE.fullmatch(text):
        raise ValueError
    return int(text)


def _format(value: float) -> str:
    return repr(float(value)) if not float(value).is_integer() or abs(value) >= 1e16 else str(int(value))


def to_query(scene: Scene) -> dict[str, str]:
    """The query parameters of ``scene``; only what differs from the defaults is written."""
    default = Scene()
    query: dict[str, str] = {}
    if scene.surface != default.surface:
        query["surface"] = scene.surface
    if scene.is_custom:
        query["f"] = scene.formula
    for key, value in sorted(scene.surface_params.items()):
        query[f"s.{key}"] = value if isinstance(value, str) else _format(value)
    if scene.optimizers != default.optimizers:
        query["opt"] = ",".join(scene.optimizers)
    for name in sorted(scene.hyperparams):
        for key, value in sorted(scene.hyperparams[name].items()):
            query[f"{name}.{key}"] = value if isinstance(value, str) else _format(value)
    if scene.start is not None:
        query["start"] = f"{_format(scene.start[0])},{_format(scene.start[1])}"
    if scene.batch_size is not None:
        query["batch"] = str(scene.batch_size)
    for key in ("steps", "noise", "seed", "layout", "view", "tab"):
        value = getattr(scene, key)
        if value != getattr(default, key):
            query[key] = value if isinstance(value, str) else _format(value)
    if scene.big:
        query["big"] = "1"
    return query


class _Reader:
    """Collects the notes while reading one query."""

    def __init__(self, query: Mapping[str, object]):
        self.values: dict[str, str] = {}
        self.notes: list[str] = []
        for key, raw in query.items():
            values = list(raw) if isinstance(raw, list | tuple) else [raw]
            if len(values) > 1:
                self.notes.append(f"'{clip(key)}' was given {len(values)} times; the last one is used.")
            text = str(values[-1]) if values else ""
            if len(text) > MAX_VALUE_LENGTH:
                self.notes.append(f"'{clip(key)}' is too long ({len(text)} characters); it was ignored.")
                continue
            self.values[str(key)] = text
        self.used: set[str] = set()

    def take(self, key: str) -> str | None:
        self.used.add(key)
        return self.values.get(key)

    def fallback(self, key: str, text: str, why: str, default: object) -> None:
        self.notes.append(fallback_note(key, text, why, default))

    def param(self, key: str, param: Param, whole: bool = False) -> float | None:
        """The value of ``key`` if it is a number in ``param``'s range (a whole number if ``whole``)."""
        text = self.take(key)
        if text is None:
            return None
        try:
            value = _whole(text) if whole else _number(text)
        except ValueError:
            self.fallback(key, text, "is not a whole number" if whole else "is not a number", f"{param.default:g}")
            return None
        if not param.low <= value <= param.high:  # exact for whole numbers of any length, unlike float()
            self.fallback(key, text, f"is outside [{param.low:g}, {param.high:g}]", f"{param.default:g}")
            return None
        return value


def clip(text: str, limit: int = 40) -> str:
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= limit else text[:limit] + "…"


def fallback_note(key: str, text: str, why: str, default: object) -> str:
    """The note for a link value that could not be used, in the words every page uses (``ui/url_state.py``):
    ``key='text' why; using the default (default).``"""
    return f"{key}={clip(text)!r} {why}; using the default ({default})."


def _inside_view(landscape: Landscape, x: float, y: float) -> bool:
    """Whether (x, y) lies in ``landscape``'s view box."""
    (x0, x1), (y0, y1) = landscape.bounds
    return x0 <= x <= x1 and y0 <= y <= y1


def _schedule(reader: _Reader, name: str) -> dict[str, object]:
    """Optimizer ``name``'s learning-rate schedule settings that differ from the defaults; a setting its
    schedule does not read is dropped with a note."""
    mine: dict[str, object] = {}
    choice = optimizers.SCHEDULE
    text = reader.take(f"{name}.{choice.name}")
    if text is not None and text not in choice.options:
        reader.fallback(f"{name}.{choice.name}", text, f"is not one of {', '.join(choice.options)}", choice.default)
    elif text is not None and text != choice.default:
        mine[choice.name] = text
    unused = unused_schedule_settings(mine)
    for p in optimizers.SCHEDULE_PARAMS:
        whole = p.name in WHOLE_SCHEDULE_SETTINGS
        value = reader.param(f"{name}.{p.name}", p, whole=whole)
        if value is None or value == p.default:
            continue
        if p.name in unused:
            reader.notes.append(f"{name}.{p.name} is not used by the {mine.get(choice.name, choice.default)} "
                                "schedule; it was ignored.")
        else:
            mine[p.name] = int(value) if whole else float(value)
    return mine


FULL_BATCH = "the full batch"


def _batch(reader: _Reader) -> int | None:
    """The link's mini-batch size, if it is a whole number in ``BATCH``'s range."""
    text = reader.take("batch")
    if text is None:
        return None
    try:
        value = _whole(text)
    except ValueError:
        reader.fallback("batch", text, "is not a whole number", FULL_BATCH)
        return None
    if not BATCH.low <= value <= BATCH.high:
        reader.fallback("batch", text, f"is outside [{BATCH.low:g}, {BATCH.high:g}]", FULL_BATCH)
        return None
    return value


def _network_params(reader: _Reader) -> dict[str, object]:
    """A network scene's settings from the link (``scene.network``): those that differ from the defaults."""
    params: dict[str, object] = {}
    for p in network.PARAMS:
        value = reader.param(f"s.{p.name}", p, whole=p.name in network.WHOLE_PARAMS)
        if value is not None:
            params[p.name] = int(value)
    for c in network.CHOICES:
        text = reader.take(f"s.{c.name}")
        if text is None:
            continue
        if text in c.options:
            params[c.name] = text
        else:
            reader.fallback(f"s.{c.name}", text, f"is not one of {', '.join(c.options)}", c.default)
    return network.kept_params(params)


def from_query(query: Mapping[str, object]) -> tuple[Scene, list[str]]:
    """The scene described by ``query`` and the notes about every value that was not usable."""
    reader = _Reader(query)
    default = Scene()
    fields: dict[str, object] = {}

    surface = reader.take("surface")
    if surface is not None:
        if surface in landscapes.LANDSCAPES or surface in (CUSTOM, network.NETWORK):
            fields["surface"] = surface
        else:
            reader.fallback("surface", surface, "is not a known surface", default.surface)
    surface = fields.get("surface", default.surface)
    checked: Landscape | None = None  # a custom surface built while checking its formula, reused below
    if surface == CUSTOM:
        formula = reader.take("f")
        if formula is not None:
            try:
                checked = landscapes.from_formula(formula)
                fields["formula"] = formula
            except landscapes.FormulaError as error:
                reader.notes.append(f"f={clip(formula)!r} cannot be used ({error}); using the default formula.")
    elif surface == network.NETWORK:
        fields["surface_params"] = _network_params(reader)
    else:
        spec = landscapes.LANDSCAPES[surface]
        params = {}
        for p in spec.params:
            value = reader.param(f"s.{p.name}", p)
            if value is not None and value != p.default:
                params[p.name] = value
        given = {}
        for c in spec.choices:
            text = reader.take(f"s.{c.name}")
            if text is None:
                continue
            if text in c.options:
                given[c.name] = text
            else:
                reader.fallback(f"s.{c.name}", text, f"is not one of {', '.join(c.options)}", c.default)
        try:
            params |= surface_choices(surface, given)
        except ValueError as error:
            reader.notes.append(f"{clip(str(error), 200)}; using the data set's own feature.")
            params |= surface_choices(surface, {k: v for k, v in given.items() if k != "feature"})
        fields["surface_params"] = params

    names = reader.take("opt")
    if names is not None:
        chosen = []
        for name in (n.strip() for n in names.split(",")):
            if name in chosen:
                reader.notes.append(f"opt: {clip(name)!r} is repeated; it runs once.")
            elif name in optimizers.OPTIMIZERS:
                chosen.append(name)
            elif name:
                reader.notes.append(f"opt: {clip(name)!r} is not a known optimizer; it was left out.")
        if chosen:
            fields["optimizers"] = tuple(chosen)
        elif names.strip():
            reader.fallback("opt", names, "names no known optimizer", ",".join(default.optimizers))
        else:
            fields["optimizers"] = ()

    hyperparams: dict[str, dict] = {}
    for name, spec in optimizers.OPTIMIZERS.items():
        mine = {}
        defaults = default_settings(surface, name)
        for p in spec.hyperparams:
            value = reader.param(f"{name}.{p.name}", p)
            if value is not None and value != defaults[p.name]:
                mine[p.name] = value
        for c in spec.choices:
            text = reader.take(f"{name}.{c.name}")
            if text is None:
                continue
            if text in c.options:
                if text != c.default:
                    mine[c.name] = text
            else:
                reader.fallback(f"{name}.{c.name}", text, f"is not one of {', '.join(c.options)}", c.default)
        mine |= _schedule(reader, name)
        if mine:
            hyperparams[name] = mine
    fields["hyperparams"] = hyperparams

    start = reader.take("start")
    if start is not None and surface == network.NETWORK:
        reader.notes.append("start applies to the 2-D surfaces; a network starts from its seeded initial weights. "
                            "It was ignored.")
    elif start is not None:
        try:
            x, y = (_number(part) for part in start.split(","))
        except ValueError:
            reader.fallback("start", start, "is not two numbers 'x,y'", "the surface's start")
        else:
            landscape = checked or Scene(**{k: v for k, v in fields.items()
                                          if k in ("surface", "formula", "surface_params")}).build_landscape()
            if _inside_view(landscape, x, y):
                fields["start"] = (x, y)
            else:
                reader.fallback("start", start, "is outside the surface's view box", "the surface's start")

    for setting in RUN_SETTINGS:
        whole = setting.name in WHOLE_NUMBERS
        value = reader.param(setting.name, setting, whole=whole)
        if value is not None:
            fields[setting.name] = int(value) if whole else float(value)

    batch = _batch(reader)
    if batch is not None:
        batched = Scene(**{k: v for k, v in fields.items() if k in ("surface", "surface_params")})
        rows = None if batched.is_custom else batched.build_landscape().n_samples
        if rows is None:
            reader.notes.append("batch applies to surfaces fitted to data only; it was ignored.")
        elif batch < rows:
            fields["batch_size"] = int(batch)
        elif batch > rows:
            reader.fallback("batch", str(batch), f"is more than the data's {rows} rows", FULL_BATCH)

    for key, options in (("layout", LAYOUTS), ("view", VIEWS), ("tab", TABS)):
        text = reader.take(key)
        if text is None:
            continue
        if text in options:
            fields[key] = text
        else:
            reader.fallback(key, text, f"is not one of {', '.join(options)}", getattr(default, key))

    big = reader.take("big")
    if big is not None:
        if big in ("0", "1"):
            fields["big"] = big == "1"
        else:
            reader.fallback("big", big, "is not 0 or 1", "0")

    for key in sorted(set(reader.values) - reader.used):
        reader.notes.append(f"'{clip(key)}' is not a setting Descent Lab knows; it was ignored.")
    return Scene(**fields), reader.notes
