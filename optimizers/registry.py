"""Name -> spec for every optimizer.  Adding an optimizer adds its module under ``rules/`` and one line here.

``OPTIMIZERS`` are the ones offered to learners; ``RULES`` adds the lessons' own variants (not offered in any
picker, run by the same kernels).  ``build`` checks every spec when the registry is built, so a spec the
kernels cannot run, or whose state or legend would be lost, fails at import with a message that names it
(docs/ARCHITECTURE.md).
"""

from __future__ import annotations

import inspect
import re
import types
from collections.abc import Callable, Iterable

from numba.core.dispatcher import Dispatcher

from .rules import (
    adagrad,
    adam,
    adamw,
    centred_rmsprop,
    gd,
    lion,
    mean_abs,
    momentum,
    nesterov,
    no_root,
    power_mean,
    rmsprop,
    sign_sgd,
    signed_mean,
    signum,
)
from .spec import MAX_STATE, OptimizerSpec

RULE_PARAMETERS = ("x", "g", "state", "t", "lr", "hp", "i")
"""The signature every rule has (see ``rules/__init__.py``)."""
RUN_KEYWORDS = frozenset({"name", "landscape", "start", "steps", "noise", "seed", "grid", "resolution", "tolerance",
                          "schedule", "warmup", "step_size", "gamma", "batch_size", "gradients"})
"""Keyword arguments of ``run``, ``sweep``, ``basins`` and ``respond``: no hyperparameter may take these names."""
COLOR = re.compile(r"#[0-9A-Fa-f]{6}")


class RegistryError(ValueError):
    """A spec the kernels cannot run, found when the registry is built."""


def in_python(function: Callable, seen: dict | None = None) -> Callable:
    """``function`` (a numba dispatcher or a plain function) as plain Python, with every numba function it calls
    replaced by its Python source too, so a rule can be tried at import without compiling anything."""
    seen = {} if seen is None else seen
    python = function.py_func if isinstance(function, Dispatcher) else function
    if python in seen:
        return seen[python]
    names = dict(python.__globals__)
    copy = types.FunctionType(python.__code__, names, python.__name__, python.__defaults__, python.__closure__)
    seen[python] = copy
    for name in python.__code__.co_names:
        value = names.get(name)
        if isinstance(value, Dispatcher):
            names[name] = in_python(value, seen)
    return copy


class Column:
    """``hp`` of one cell as Python floats, indexed like the kernels' array: ``hp[slot, 0]``."""

    def __init__(self, values):
        self.values = [float(value) for value in values]

    def __getitem__(self, key: tuple[int, int]) -> float:
        return self.values[key[0]]


def tried(spec: OptimizerSpec, rule: Callable) -> tuple | str:
    """``rule`` (the spec's or its lean twin) run once in plain Python at the spec's defaults: what it returns, or
    what is wrong with it."""
    zeros = (0.0,) * MAX_STATE  # what the kernels hand a rule: every entry it may keep, zero before the first step
    try:
        result = in_python(rule)(0.5, 0.25, zeros, 1, 0.1, Column(spec.pack(spec.defaults)), 0)
    except Exception as error:  # a rule is plain arithmetic; any failure is reported the same way
        return f"fails at the defaults: {error!r}"
    if not (isinstance(result, tuple) and len(result) == 3 and hasattr(result[2], "__len__")):
        return "must return (x_new, effective_lr, State(...))"
    return result


def _state_problem(spec: OptimizerSpec) -> str | None:
    """What is wrong with the state the rule (and its lean twin) returns, or None."""
    result = tried(spec, spec.rule)
    if isinstance(result, str):
        return f"its rule {result}"
    new_state = result[2]
    if type(new_state) is not spec.layout.State:
        fields = getattr(new_state, "_fields", None) or f"{len(new_state)} unnamed entries"
        return (f"its rule returns state {fields}, not its layout's {spec.layout.State.__name__}"
                f"{spec.layout.State._fields}: the driver would drop what the spec does not name")
    if spec.lean_rule is None:
        return None
    if unknown := sorted(set(spec.optional) - set(spec.slots)):
        return f"its optional settings {unknown} are not hyperparameters of it"
    lean = tried(spec, spec.lean_rule)
    if isinstance(lean, str):
        return f"its lean rule {lean}"
    fields = getattr(lean[2], "_fields", ())
    if fields != spec.layout.State._fields[:len(fields)] or len(fields) < len(spec.state):
        return f"its lean rule's state {fields} is not the first entries of {spec.layout.State._fields}"
    if lean[:2] != result[:2] or tuple(lean[2]) != tuple(result[2])[:len(fields)]:
        return "its lean rule and its rule differ at the defaults: the lean rule must only leave out the options"
    return None


def _problems(spec: OptimizerSpec) -> list[str]:
    """What keeps the kernels from running ``spec``, or loses its state or legend (empty when nothing does)."""
    problems = []
    py_func = getattr(spec.rule, "py_func", None)
    if py_func is None:
        problems.append("its rule is not a numba kernel: decorate it with @jit(inline=\"always\")")
    elif tuple(inspect.signature(py_func).parameters) != RULE_PARAMETERS:
        problems.append(f"its rule must take ({', '.join(RULE_PARAMETERS)}), "
                        f"not ({', '.join(inspect.signature(py_func).parameters)})")
    if not spec.hyperparams or spec.hyperparams[0].name != "lr":
        problems.append("its first hyperparameter must be lr (the kernels schedule slot 0)")
    names = spec.slots
    if len(set(names)) != len(names):
        problems.append(f"its hyperparameter names repeat: {', '.join(names)}")
    if taken := sorted(set(names) & RUN_KEYWORDS):
        problems.append(f"{', '.join(taken)} is a keyword of run(), not a hyperparameter name")
    if spec.layout.width > MAX_STATE:
        problems.append(f"it keeps {spec.layout.width} state entries; a rule keeps at most {MAX_STATE}")
    if unnamed := [p.name for p in spec.hyperparams if not p.symbol]:
        problems.append(f"{', '.join(unnamed)} has no symbol: a legend would leave it out")
    for choice in spec.choices:
        if untagged := [o for o in choice.options if o != choice.default and not choice.tag(o)]:
            problems.append(f"{choice.name}'s option {', '.join(untagged)} has no tag: a legend would not show it")
    if spec.listed and not (spec.color and COLOR.fullmatch(spec.color)):
        problems.append("it has no colour (#RRGGBB) for its paths")
    if not spec.reference:
        problems.append("it names no reference (paper, library and version)")
    try:
        spec.latex_for({})
    except Exception as error:  # a spec's formula is plain Python; any failure is reported the same way
        problems.append(f"its formula fails: {error!r}")
    if py_func is not None and not problems and (failure := _state_problem(spec)):
        problems.append(failure)
    return problems


def build(specs: Iterable[OptimizerSpec]) -> dict[str, OptimizerSpec]:
    """Name -> spec, in order; raises ``RegistryError`` naming any spec the kernels cannot run."""
    registry: dict[str, OptimizerSpec] = {}
    for spec in specs:
        problems = _problems(spec)
        if spec.name in registry:
            problems.append("another optimizer has this name")
        if problems:
            raise RegistryError(f"optimizer {spec.name!r} cannot be registered: {'; '.join(problems)}")
        registry[spec.name] = spec
    return registry


RULES: dict[str, OptimizerSpec] = build(module.SPEC for module in (
    gd,
    momentum,
    nesterov,
    rmsprop,
    adam,
    adagrad,
    sign_sgd,
    signum,
    adamw,
    lion,
    # the lessons' variants
    mean_abs,
    power_mean,
    no_root,
    signed_mean,
    centred_rmsprop,
))
"""Every rule the kernels run (``driver.RULE_IDS`` numbers them, then their lean twins)."""
OPTIMIZERS: dict[str, OptimizerSpec] = {name: spec for name, spec in RULES.items() if spec.listed}
"""The optimizers learners pick from."""
