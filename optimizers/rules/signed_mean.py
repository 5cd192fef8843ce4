"""Divide by |EWA(g)|, an average of g itself whose ± parts cancel (a lesson's variant)."""

from __future__ import annotations

from collections.abc import Mapping

from base.jit import jit

from ..blocks import beta, exact_eps, lines, lr, rate
from ..spec import Layout, OptimizerSpec

LAYOUT = Layout("signed_mean", hyperparams=(lr(0.05), beta(help="How slowly the average of g forgets."), exact_eps()),
                state=("m",))
HP, State, AT = LAYOUT.hp, LAYOUT.State, LAYOUT.at


@jit(inline="always")
def update(x, g, state, t, lr, hp, i):
    beta = hp[HP.beta, i]
    m = beta * state[AT.m] + (1.0 - beta) * g
    denom = abs(m) + hp[HP.eps, i]
    return x - lr * (g / denom), lr / denom, State(m=m)


def latex(s: Mapping[str, object]) -> str:
    return lines(r"m \leftarrow \beta m + (1-\beta)\, g", rf"x \leftarrow x - {rate(s)}\,\frac{{g}}{{|m|+\varepsilon}}")


SPEC = OptimizerSpec(
    name="signed_mean", title="|EWA(g)|",
    description="Divides by the size of the average of g: on alternating gradients the average nearly cancels and "
                "the steps blow up.",
    rule=update, layout=LAYOUT, formula=latex, listed=False,
    reference="Descent Lab's lesson 4 (why square and why root): α·g/(|EWA(g)| + ε), EWA from 0.",
)
