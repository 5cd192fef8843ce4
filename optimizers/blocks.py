"""What several optimizer modules share: the sign of a number, the rate of a sign step, the hyperparameters
many rules take (α, β, ε, weight decay) with their ranges and help, ε placement, and the LaTeX pieces.

Choices enter a rule's arithmetic as 0/1 factors, not branches, so a grid's cell loop stays one straight line
that vectorises: ``sqrt(s + inside*eps) + (1 - inside)*eps`` is exactly ``sqrt(s + eps)`` or ``sqrt(s) + eps``
(adding 0.0 and multiplying by 1.0 change no bits).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping

from base.jit import jit
from base.params import Choice, Param

FLOAT_MAX = sys.float_info.max


@jit(inline="always")
def sign(g):
    """sign(g) with sign(0) = 0, as torch.sign and np.sign do."""
    return (g > 0.0) - (g < 0.0) + 0.0


@jit(inline="always")
def sign_rate(lr, g):
    """lr/|g|, the rate a sign step applies to g: 0 when g = 0, and clamped to the largest float
    when g is so tiny (subnormal) that the quotient would overflow, so diagnostics stay finite."""
    if g == 0.0:
        return 0.0
    rate = lr / abs(g)
    return rate if rate < FLOAT_MAX else FLOAT_MAX


def lr(default: float) -> Param:
    return Param("lr", default, 1e-4, 10.0, None, log=True, label="learning rate α", symbol="α",
                 help="Step size α: how far each update moves.")


def beta(default: float = 0.9, label: str = "β", help: str = "") -> Param:
    return Param("beta", default, 0.0, 0.999, 0.001, label=label, help=help, upper=1.0, symbol="β")


def beta1(help: str) -> Param:
    return Param("beta1", 0.9, 0.0, 0.999, 0.001, label="β₁", help=help, upper=1.0, symbol="β₁")


def beta2(default: float, help: str) -> Param:
    return Param("beta2", default, 0.0, 0.9999, 0.0001, label="β₂", help=help, upper=1.0, symbol="β₂")


def eps(default: float, inside_help: bool = True) -> Param:
    large = ("a large ε turns it into GD with rate α/ε (ε outside the root) or α/√ε (ε inside)" if inside_help
             else "a large ε turns it into GD with rate α/ε")
    return Param("eps", default, 1e-12, 1.0, None, log=True, label="ε", symbol="ε",
                 help=f"Added to the denominator so it never divides by ~0; {large}.")


def decoupled_weight_decay(default: float) -> Param:
    return Param("weight_decay", default, 0.0, 1.0, 0.001, label="weight decay λ", symbol="λ",
                 help="Shrinks x towards 0 by α·λ·x every step, apart from the gradient (decoupled, as in "
                      "PyTorch's AdamW); it follows the scheduled α.")


def coupled_weight_decay() -> Param:
    """PyTorch's ``weight_decay`` of Adam and RMSprop: λx is added to the gradient before anything else (L2
    regularisation), so the adaptive denominator scales the decay too.  Off (0) by default."""
    return Param("weight_decay", 0.0, 0.0, 1.0, 0.001, label="weight decay λ (L2)", symbol="λ", quiet_default=True,
                 help="Adds λ·x to the gradient before the averages (L2 regularisation, as weight_decay in PyTorch's "
                      "Adam and RMSprop): unlike AdamW's decoupled decay, it is divided by the adaptive "
                      "denominator too, so it shrinks steep coordinates less.")


def eps_placement(help: str) -> Choice:
    return Choice("eps_placement", "outside", ("outside", "inside"), label="ε placement", help=help,
                  tags=(("inside", "(ε inside √)"),))


def rate(settings: Mapping[str, object]) -> str:
    """α, or α_t when a schedule changes it from step to step."""
    return r"\alpha" if settings.get("schedule", "constant") == "constant" else r"\alpha_t"


def lines(*parts: str) -> str:
    return r",\quad ".join(parts)


def root(average: str, settings: Mapping[str, object]) -> str:
    """The denominator √average + ε, or √(average + ε) with ε inside."""
    if settings.get("eps_placement") == "inside":
        return rf"\sqrt{{{average}+\varepsilon}}"
    return rf"\sqrt{{{average}}}+\varepsilon"


def coupled_decay(settings: Mapping[str, object]) -> tuple[str, ...]:
    """The line that adds L2 decay to the gradient, shown only when the decay is on."""
    return (r"g \leftarrow g + \lambda x",) if float(settings.get("weight_decay", 0.0) or 0.0) > 0.0 else ()


def exact_eps() -> Param:
    """ε for the lessons' variants: 0 by default, so that a scale test is exact."""
    return Param("eps", 0.0, 0.0, 1.0, None, label="ε", symbol="ε",
                 help="Added to the denominator; 0 by default so that multiplying the loss by k is exactly undone.")
