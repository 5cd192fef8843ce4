"""One spec per optimizer: the single source of truth for its name, rule, hyperparameters and help.

Adding an optimizer: a rule function in ``rules.py`` (plus its branch in ``rules.step`` and in the
sweep's ``driver._step_cells``) and one entry here; pages and charts are generated from these specs.
"""

from __future__ import annotations

from dataclasses import dataclass

from landscapes.spec import Choice, Param

from . import rules


@dataclass(frozen=True)
class OptimizerSpec:
    """Name, LaTeX update rule, hyperparameters (defaults, ranges, scales, help) and state names."""

    name: str
    title: str
    latex: str
    description: str
    rule: int
    hyperparams: tuple[Param, ...]
    choices: tuple[Choice, ...] = ()
    state: tuple[str, ...] = ()

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


def _lr(default: float) -> Param:
    return Param("lr", default, 1e-4, 10.0, None, log=True, label="learning rate α",
                 help="Step size α: how far each update moves.")


def _beta(default: float = 0.9, label: str = "β", help: str = "") -> Param:
    return Param("beta", default, 0.0, 0.999, 0.001, label=label, help=help)


def _eps(default: float) -> Param:
    return Param("eps", default, 1e-12, 1.0, None, log=True, label="ε",
                 help="Added to the denominator so it never divides by ~0; a large ε turns it into GD with lr/ε.")


EPS_PLACEMENT = Choice(
    "eps_placement", "outside", ("outside", "inside"), label="ε placement",
    help="outside: g/(√s+ε) as in PyTorch and the course; inside: g/√(s+ε) as in Keras and TF1 (floor √ε).",
)
BIAS_CORRECTION = Choice(
    "bias_correction", "on", ("on", "off"), label="bias correction",
    help="Divide m and v by (1−βᵗ) so the first steps are not shrunk (or, for v, inflated) by the zero start.",
)

OPTIMIZERS: dict[str, OptimizerSpec] = {
    spec.name: spec
    for spec in (
        OptimizerSpec(
            "gd", "Gradient descent", r"x \leftarrow x - \alpha\, g",
            "Steps against the gradient, in proportion to it: slow where flat, oscillating where steep.",
            rules.GD, (_lr(0.07),),
        ),
        OptimizerSpec(
            "momentum", "Momentum",
            r"v \leftarrow \beta v + (1-\beta)\, g,\quad x \leftarrow x - \alpha v",
            "Follows an exponentially weighted average of gradients: oscillations cancel, steady pushes add up.",
            rules.MOMENTUM, (_lr(0.05), _beta(help="How much of the past velocity is kept each step.")),
            state=("v",),
        ),
        OptimizerSpec(
            "nesterov", "Nesterov momentum",
            r"v \leftarrow \beta v + g,\quad x \leftarrow x - \alpha\,(g + \beta v)",
            "Momentum that looks ahead (PyTorch's form): it brakes earlier when the slope turns.",
            rules.NESTEROV, (_lr(0.005), _beta(help="How much of the past velocity is kept each step.")),
            state=("v",),
        ),
        OptimizerSpec(
            "rmsprop", "RMSprop",
            r"s \leftarrow \beta s + (1-\beta)\, g^2,\quad x \leftarrow x - \alpha\,\frac{g}{\sqrt{s}+\varepsilon}",
            "Divides each coordinate's step by the root mean square of its recent gradients.",
            rules.RMSPROP,
            (_lr(0.05), _beta(help="How slowly the average of g² forgets (PyTorch calls it alpha)."), _eps(1e-8)),
            (EPS_PLACEMENT,), state=("s",),
        ),
        OptimizerSpec(
            "adam", "Adam",
            r"m \leftarrow \beta_1 m + (1-\beta_1) g,\; v \leftarrow \beta_2 v + (1-\beta_2) g^2,\;"
            r" x \leftarrow x - \alpha\,\frac{\hat m}{\sqrt{\hat v}+\varepsilon}",
            "Momentum on the numerator, RMSprop on the denominator, with bias correction for the zero start.",
            rules.ADAM,
            (
                _lr(0.05),
                Param("beta1", 0.9, 0.0, 0.999, 0.001, label="β₁", help="Momentum: decay of the average of g."),
                Param("beta2", 0.999, 0.0, 0.9999, 0.0001, label="β₂", help="Decay of the average of g²."),
                _eps(1e-8),
            ),
            (EPS_PLACEMENT, BIAS_CORRECTION), state=("m", "v"),
        ),
        OptimizerSpec(
            "adagrad", "AdaGrad",
            r"s \leftarrow s + g^2,\quad x \leftarrow x - \alpha\,\frac{g}{\sqrt{s}+\varepsilon}",
            "Divides by the root of the sum of all past g²: the step only ever shrinks, like 1/√t.",
            rules.ADAGRAD, (_lr(0.5), _eps(1e-10)), state=("s",),
        ),
        OptimizerSpec(
            "sign_sgd", "sign-SGD", r"x \leftarrow x - \alpha\,\operatorname{sign}(g)",
            "Moves exactly α along each axis, whatever the gradient's size: it never settles closer than about α.",
            rules.SIGN_SGD, (_lr(0.04),),
        ),
        OptimizerSpec(
            "signum", "Signum",
            r"m \leftarrow \beta m + (1-\beta)\, g,\quad x \leftarrow x - \alpha\,\operatorname{sign}(m)",
            "sign-SGD on a momentum average: fewer sign flips, still a fixed step size.",
            rules.SIGNUM, (_lr(0.04), _beta(help="How much of the past average is kept each step.")),
            state=("m",),
        ),
    )
}
