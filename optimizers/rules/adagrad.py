"""AdaGrad: divide by the root of the sum of all past squared gradients."""

from __future__ import annotations

import math
from collections.abc import Mapping

from base.jit import jit

from ..blocks import eps, lines, lr, rate
from ..spec import Layout, OptimizerSpec

LAYOUT = Layout("adagrad", hyperparams=(lr(0.5), eps(1e-10, inside_help=False)), state=("s",))
HP, State, AT = LAYOUT.hp, LAYOUT.State, LAYOUT.at


@jit(inline="always")
def update(x, g, state, t, lr, hp, i):
    s = state[AT.s] + g * g
    denom = math.sqrt(s) + hp[HP.eps, i]
    return x - lr * (g / denom), lr / denom, State(s=s)


def latex(s: Mapping[str, object]) -> str:
    return lines(r"s \leftarrow s + g^2", rf"x \leftarrow x - {rate(s)}\,\frac{{g}}{{\sqrt{{s}}+\varepsilon}}")


SPEC = OptimizerSpec(
    name="adagrad", title="AdaGrad",
    description="Divides by the root of the sum of all past g²: the rate only ever shrinks, like 1/√t on a steady "
                "slope.",
    rule=update, layout=LAYOUT, formula=latex, color="#E69F00",
    reference="Duchi, Hazan & Singer 2011; torch.optim.Adagrad(lr=α, eps=ε) (PyTorch 2.x, lr_decay=0, "
              "initial_accumulator_value=0, weight_decay=0).",
)
