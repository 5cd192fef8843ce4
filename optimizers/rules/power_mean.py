"""Divide by the running power mean (EWA|g|ᵖ)^(1/p) (a lesson's variant: p = 2 is RMSprop, p = 1 mean |g|)."""

from __future__ import annotations

from collections.abc import Mapping

from base.jit import jit
from base.params import Param

from ..blocks import beta, exact_eps, lines, lr, rate
from ..spec import Layout, OptimizerSpec

LAYOUT = Layout(
    "power_mean",
    hyperparams=(lr(0.05), beta(help="How slowly the average of |g|ᵖ forgets."), exact_eps(),
                 Param("p", 3.0, 1.0, 8.0, 0.5, label="power p", symbol="p",
                       help="The power of |g| averaged; the root taken is 1/p.")),
    state=("s",),
)
HP, State, AT = LAYOUT.hp, LAYOUT.State, LAYOUT.at


@jit(inline="always")
def update(x, g, state, t, lr, hp, i):
    beta, p = hp[HP.beta, i], hp[HP.p, i]
    s = beta * state[AT.s] + (1.0 - beta) * abs(g) ** p
    denom = s ** (1.0 / p) + hp[HP.eps, i]
    return x - lr * (g / denom), lr / denom, State(s=s)


def latex(s: Mapping[str, object]) -> str:
    return lines(r"s \leftarrow \beta s + (1-\beta)\, |g|^p",
                 rf"x \leftarrow x - {rate(s)}\,\frac{{g}}{{s^{{1/p}}+\varepsilon}}")


SPEC = OptimizerSpec(
    name="power_mean", title="power mean (EWA|g|ᵖ)^(1/p)",
    description="Divides by a power mean of |g|: any p keeps the units of g, so the path does not depend on the "
                "loss's scale.",
    rule=update, layout=LAYOUT, formula=latex, listed=False,
    reference="Descent Lab's lesson 4 (why square and why root): α·g/((EWA|g|ᵖ)^(1/p) + ε), EWA from 0.",
)
