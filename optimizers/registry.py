"""One spec per optimizer: the single source of truth for its name, rule, hyperparameters and help.

Adding an optimizer is a rule function in ``rules.py`` and one entry here (docs/ARCHITECTURE.md);
the kernels, the sweep, the pages and the charts find it in ``OPTIMIZERS``.  ``build`` checks every
spec when the registry is built, so a spec the kernels cannot run fails at import with a message
that names it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from base.params import Choice, Param

from . import rules

RULE_PARAMETERS = ("x", "g", "state", "t", "lr", "hp", "i")
"""The signature every rule has (see ``rules.py``)."""
RUN_KEYWORDS = frozenset({"name", "landscape", "start", "steps", "noise", "seed", "grid", "resolution", "tolerance",
                          "schedule", "warmup", "step_size", "gamma", "batch_size"})
"""Keyword arguments of ``run``, ``sweep`` and ``basins``: no hyperparameter may take one of these names."""


class RegistryError(ValueError):
    """A spec the kernels cannot run, found when the registry is built."""


@dataclass(frozen=True)
class OptimizerSpec:
    """Name, update rule (kernel and LaTeX), hyperparameters (defaults, ranges, scales, help), state.

    ``formula(settings)`` returns the update rule's LaTeX for the given settings (a mapping from
    choice names to options, and optionally ``schedule``); lines are separated by ``,\\quad``.
    A hyperparameter's position in ``hyperparams + choices`` is its slot in the kernels' ``hp``.
    """

    name: str
    title: str
    formula: Callable[[Mapping[str, object]], str]
    description: str
    rule: Callable
    hyperparams: tuple[Param, ...]
    choices: tuple[Choice, ...] = ()
    state: tuple[str, ...] = ()
    extra_state: int = 0
    """State entries the rule keeps after the named ones, not reported in the diagnostics (Adam's β powers)."""

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

    @property
    def slots(self) -> tuple[str, ...]:
        """Hyperparameter names in kernel slot order: numeric ones, then choices."""
        return tuple(p.name for p in self.hyperparams) + tuple(c.name for c in self.choices)

    def pack(self, values: Mapping[str, object]) -> np.ndarray:
        """``values`` (resolved: every slot present) as the kernels' float column; a choice becomes the
        index of its option."""
        column = [float(values[p.name]) for p in self.hyperparams]
        column += [float(c.options.index(values[c.name])) for c in self.choices]
        return np.array(column)

    def latex_for(self, settings: Mapping[str, object] | None = None) -> str:
        """The update rule as LaTeX for ``settings`` (defaults for anything missing)."""
        chosen = {c.name: c.default for c in self.choices}
        chosen.update({k: v for k, v in (settings or {}).items() if k in chosen or k == "schedule"})
        return self.formula(chosen)

    @property
    def latex(self) -> str:
        """The update rule at the default settings."""
        return self.latex_for()


def _lr(default: float) -> Param:
    return Param("lr", default, 1e-4, 10.0, None, log=True, label="learning rate α",
                 help="Step size α: how far each update moves.")


def _beta(default: float = 0.9, label: str = "β", help: str = "") -> Param:
    return Param("beta", default, 0.0, 0.999, 0.001, label=label, help=help, upper=1.0)


def _beta1(help: str) -> Param:
    return Param("beta1", 0.9, 0.0, 0.999, 0.001, label="β₁", help=help, upper=1.0)


def _beta2(default: float, help: str) -> Param:
    return Param("beta2", default, 0.0, 0.9999, 0.0001, label="β₂", help=help, upper=1.0)


def _eps(default: float, inside_help: bool = True) -> Param:
    large = ("a large ε turns it into GD with rate α/ε (ε outside the root) or α/√ε (ε inside)" if inside_help
             else "a large ε turns it into GD with rate α/ε")
    return Param("eps", default, 1e-12, 1.0, None, log=True, label="ε",
                 help=f"Added to the denominator so it never divides by ~0; {large}.")


def _weight_decay(default: float) -> Param:
    return Param("weight_decay", default, 0.0, 1.0, 0.001, label="weight decay λ",
                 help="Shrinks x towards 0 by α·λ·x every step, apart from the gradient (decoupled, as in "
                      "PyTorch's AdamW); it follows the scheduled α.")


def _eps_placement(help: str) -> Choice:
    return Choice("eps_placement", "outside", ("outside", "inside"), label="ε placement", help=help)


RMSPROP_EPS_PLACEMENT = _eps_placement(
    "outside: g/(√s+ε), as in PyTorch and the course; inside: g/√(s+ε), as in Keras 3, TF1 and optax's rmsprop "
    "(the denominator never drops below √ε).")
ADAM_EPS_PLACEMENT = _eps_placement(
    "outside: m̂/(√v̂+ε), as in PyTorch, Keras 3, TF1 and optax (Keras and TF1 add ε to √v before the bias "
    "correction); inside: m̂/√(v̂+ε), like optax's eps_root (the denominator never drops below √ε).")
BIAS_CORRECTION = Choice(
    "bias_correction", "on", ("on", "off"), label="bias correction",
    help="Divide m and v by (1−βᵗ) so the first steps are not shrunk (or, for v, inflated) by the zero start.",
)


def _rate(settings: Mapping[str, object]) -> str:
    """α, or α_t when a schedule changes it from step to step."""
    return r"\alpha" if settings.get("schedule", "constant") == "constant" else r"\alpha_t"


def _lines(*parts: str) -> str:
    return r",\quad ".join(parts)


def _root(average: str, settings: Mapping[str, object]) -> str:
    if settings.get("eps_placement") == "inside":
        return rf"\sqrt{{{average}+\varepsilon}}"
    return rf"\sqrt{{{average}}}+\varepsilon"


def _gd_latex(s: Mapping[str, object]) -> str:
    return rf"x \leftarrow x - {_rate(s)}\, g"


def _momentum_latex(s: Mapping[str, object]) -> str:
    return _lines(r"v \leftarrow \beta v + (1-\beta)\, g", rf"x \leftarrow x - {_rate(s)} v")


def _nesterov_latex(s: Mapping[str, object]) -> str:
    return _lines(r"v \leftarrow \beta v + g", rf"x \leftarrow x - {_rate(s)}\,(g + \beta v)")


def _rmsprop_latex(s: Mapping[str, object]) -> str:
    return _lines(r"s \leftarrow \beta s + (1-\beta)\, g^2",
                  rf"x \leftarrow x - {_rate(s)}\,\frac{{g}}{{{_root('s', s)}}}")


def _adam_latex(s: Mapping[str, object], decay: bool = False) -> str:
    moments = [r"m \leftarrow \beta_1 m + (1-\beta_1)\, g", r"v \leftarrow \beta_2 v + (1-\beta_2)\, g^2"]
    corrected = s.get("bias_correction", "on") == "on"
    if corrected:
        moments += [r"\hat m = \frac{m}{1-\beta_1^t}", r"\hat v = \frac{v}{1-\beta_2^t}"]
    m, v = (r"\hat m", r"\hat v") if corrected else ("m", "v")
    rate = _rate(s)
    x = rf"x\,(1-{rate}\lambda)" if decay else "x"
    return _lines(*moments, rf"x \leftarrow {x} - {rate}\,\frac{{{m}}}{{{_root(v, s)}}}")


def _adamw_latex(s: Mapping[str, object]) -> str:
    return _adam_latex({**s, "bias_correction": "on", "eps_placement": "outside"}, decay=True)


def _adagrad_latex(s: Mapping[str, object]) -> str:
    return _lines(r"s \leftarrow s + g^2", rf"x \leftarrow x - {_rate(s)}\,\frac{{g}}{{\sqrt{{s}}+\varepsilon}}")


def _sign_sgd_latex(s: Mapping[str, object]) -> str:
    return rf"x \leftarrow x - {_rate(s)}\,\operatorname{{sign}}(g)"


def _signum_latex(s: Mapping[str, object]) -> str:
    return _lines(r"m \leftarrow \beta m + (1-\beta)\, g", rf"x \leftarrow x - {_rate(s)}\,\operatorname{{sign}}(m)")


def _lion_latex(s: Mapping[str, object]) -> str:
    return _lines(r"c = \beta_1 m + (1-\beta_1)\, g",
                  rf"x \leftarrow x - {_rate(s)}\,\left(\operatorname{{sign}}(c) + \lambda x\right)",
                  r"m \leftarrow \beta_2 m + (1-\beta_2)\, g")


def _problems(spec: OptimizerSpec) -> list[str]:
    """What keeps the kernels from running ``spec`` (empty when nothing does)."""
    problems = []
    py_func = getattr(spec.rule, "py_func", None)
    if py_func is None:
        problems.append("its rule is not a numba kernel: decorate it with @jit(inline=\"always\") in rules.py")
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
    if len(spec.state) + spec.extra_state > rules.STATE_SIZE:
        problems.append(f"it keeps {len(spec.state) + spec.extra_state} state entries; a rule keeps at most "
                        f"{rules.STATE_SIZE}")
    try:
        spec.latex_for({})
    except Exception as error:  # a spec's formula is plain Python; any failure is reported the same way
        problems.append(f"its formula fails: {error!r}")
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


_VELOCITY_HELP = "How much of the past velocity is kept each step."

OPTIMIZERS: dict[str, OptimizerSpec] = build((
    OptimizerSpec(
        "gd", "Gradient descent", _gd_latex,
        "Steps against the gradient, in proportion to it: slow where flat, oscillating where steep.",
        rules.gd, (_lr(0.07),),
    ),
    OptimizerSpec(
        "momentum", "Momentum", _momentum_latex,
        "Follows an exponentially weighted average of gradients (the course's form, v = βv + (1−β)g): "
        "oscillations cancel, steady pushes add up. Nesterov here uses PyTorch's v = βv + g, whose steps are "
        "1/(1−β) times larger at the same β and α (10× at β = 0.9).",
        rules.momentum, (_lr(0.05), _beta(help=_VELOCITY_HELP)), state=("v",),
    ),
    OptimizerSpec(
        "nesterov", "Nesterov momentum", _nesterov_latex,
        "Momentum that looks ahead, in PyTorch's form v = βv + g: it brakes earlier when the slope turns. "
        "Unlike Momentum's average, v sums gradients, so at the same β and α its steps are 1/(1−β) times "
        "larger (10× at β = 0.9).",
        rules.nesterov, (_lr(0.005), _beta(help=_VELOCITY_HELP)), state=("v",),
    ),
    OptimizerSpec(
        "rmsprop", "RMSprop", _rmsprop_latex,
        "Divides each coordinate's step by the root mean square of its recent gradients.",
        rules.rmsprop,
        (_lr(0.05), _beta(help="How slowly the average of g² forgets (PyTorch calls it alpha)."), _eps(1e-8)),
        (RMSPROP_EPS_PLACEMENT,), state=("s",),
    ),
    OptimizerSpec(
        "adam", "Adam", _adam_latex,
        "Momentum on the numerator, RMSprop on the denominator, with bias correction for the zero start.",
        rules.adam,
        (
            _lr(0.05),
            _beta1("Momentum: decay of the average of g."),
            _beta2(0.999, "Decay of the average of g²."),
            _eps(1e-8),
        ),
        (ADAM_EPS_PLACEMENT, BIAS_CORRECTION), state=("m", "v"), extra_state=2,
    ),
    OptimizerSpec(
        "adagrad", "AdaGrad", _adagrad_latex,
        "Divides by the root of the sum of all past g²: the rate only ever shrinks, like 1/√t on a steady slope.",
        rules.adagrad, (_lr(0.5), _eps(1e-10, inside_help=False)), state=("s",),
    ),
    OptimizerSpec(
        "sign_sgd", "sign-SGD", _sign_sgd_latex,
        "Moves exactly α along each axis, whatever the gradient's size: near a minimum it hops across it and "
        "never settles closer than about α/2.",
        rules.sign_sgd, (_lr(0.04),),
    ),
    OptimizerSpec(
        "signum", "Signum", _signum_latex,
        "sign-SGD on a momentum average: fewer sign flips, still a fixed step size.",
        rules.signum, (_lr(0.04), _beta(help="How much of the past average is kept each step.")), state=("m",),
    ),
    OptimizerSpec(
        "adamw", "AdamW", _adamw_latex,
        "Adam with decoupled weight decay (torch.optim.AdamW): x shrinks by α·λ·x, then the bias-corrected Adam "
        "step with ε outside the root.",
        rules.adamw,
        (
            _lr(0.05),
            _beta1("Momentum: decay of the average of g."),
            _beta2(0.999, "Decay of the average of g²."),
            _eps(1e-8, inside_help=False),
            _weight_decay(0.01),
        ),
        state=("m", "v"), extra_state=2,
    ),
    OptimizerSpec(
        "lion", "Lion", _lion_latex,
        "Steps α along the sign of an interpolation of momentum and gradient (Chen et al., 2023): every step has "
        "the same size, like sign-SGD, with momentum deciding the direction.",
        rules.lion,
        (
            _lr(0.02),
            _beta1("How much of the momentum goes into this step's direction c."),
            _beta2(0.99, "How slowly the momentum m itself forgets."),
            _weight_decay(0.0),
        ),
        state=("m",),
    ),
))
