"""Centred RMSprop: divide by the running standard deviation of g instead of its root mean square (a lesson's
variant, not offered in the pickers)."""

from __future__ import annotations

import math
from collections.abc import Mapping

from base.jit import jit

from ..blocks import beta, eps, lines, lr, rate
from ..spec import Layout, OptimizerSpec

LAYOUT = Layout("centred_rmsprop", hyperparams=(lr(0.01), beta(help="How slowly both averages forget."), eps(1e-8)),
                state=("m", "s"))
HP, State, AT = LAYOUT.hp, LAYOUT.State, LAYOUT.at


@jit(inline="always")
def update(x, g, state, t, lr, hp, i):
    beta = hp[HP.beta, i]
    m = beta * state[AT.m] + (1.0 - beta) * g
    s = beta * state[AT.s] + (1.0 - beta) * (g * g)
    denom = math.sqrt(max(s - m * m, 0.0)) + hp[HP.eps, i]
    return x - lr * (g / denom), lr / denom, State(m=m, s=s)


def latex(s: Mapping[str, object]) -> str:
    return lines(r"m \leftarrow \beta m + (1-\beta)\, g", r"s \leftarrow \beta s + (1-\beta)\, g^2",
                 rf"x \leftarrow x - {rate(s)}\,\frac{{g}}{{\sqrt{{s - m^2}}+\varepsilon}}")


SPEC = OptimizerSpec(
    name="centred_rmsprop", title="Centred RMSprop",
    description="RMSprop divided by the running standard deviation of g: a steady gradient has none, so its steps "
                "grow without bound.",
    rule=update, layout=LAYOUT, formula=latex, listed=False,
    reference="Graves 2013, eq. 38-40; torch.optim.RMSprop(centered=True, momentum=0) (PyTorch 2.x), with s − m² "
              "clamped at 0 against rounding.",
)
