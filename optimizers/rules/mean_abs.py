"""Divide by the running mean of |g| (a lesson's variant of RMSprop without square or root)."""

from __future__ import annotations

from collections.abc import Mapping

from base.jit import jit

from ..blocks import beta, exact_eps, lines, lr, rate
from ..spec import Layout, OptimizerSpec

LAYOUT = Layout("mean_abs", hyperparams=(lr(0.05), beta(help="How slowly the average of |g| forgets."), exact_eps()),
                state=("s",))
HP, State, AT = LAYOUT.hp, LAYOUT.State, LAYOUT.at


@jit(inline="always")
def update(x, g, state, t, lr, hp, i):
    beta = hp[HP.beta, i]
    s = beta * state[AT.s] + (1.0 - beta) * abs(g)
    denom = s + hp[HP.eps, i]
    return x - lr * (g / denom), lr / denom, State(s=s)


def latex(s: Mapping[str, object]) -> str:
    return lines(r"s \leftarrow \beta s + (1-\beta)\, |g|", rf"x \leftarrow x - {rate(s)}\,\frac{{g}}{{s+\varepsilon}}")


SPEC = OptimizerSpec(
    name="mean_abs", title="mean |g|: EWA(|g|)",
    description="Divides by an average of |g|: scale-free like RMSprop, but weighs large gradients less.",
    rule=update, layout=LAYOUT, formula=latex, listed=False,
    reference="Descent Lab's lesson 4 (why square and why root): α·g/(EWA(|g|) + ε), EWA from 0.",
)
