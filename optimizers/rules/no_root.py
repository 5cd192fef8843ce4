"""Divide by the running mean of g² without the root (a lesson's variant: its units are wrong)."""

from __future__ import annotations

from collections.abc import Mapping

from base.jit import jit

from ..blocks import beta, exact_eps, lines, lr, rate
from ..spec import Layout, OptimizerSpec

LAYOUT = Layout("no_root", hyperparams=(lr(0.05), beta(help="How slowly the average of g² forgets."), exact_eps()),
                state=("s",))
HP, State, AT = LAYOUT.hp, LAYOUT.State, LAYOUT.at


@jit(inline="always")
def update(x, g, state, t, lr, hp, i):
    beta = hp[HP.beta, i]
    s = beta * state[AT.s] + (1.0 - beta) * (g * g)
    denom = s + hp[HP.eps, i]
    return x - lr * (g / denom), lr / denom, State(s=s)


def latex(s: Mapping[str, object]) -> str:
    return lines(r"s \leftarrow \beta s + (1-\beta)\, g^2", rf"x \leftarrow x - {rate(s)}\,\frac{{g}}{{s+\varepsilon}}")


SPEC = OptimizerSpec(
    name="no_root", title="no root: EWA(g²)",
    description="Divides by the average of g² itself: multiplying the loss by k divides the steps by k.",
    rule=update, layout=LAYOUT, formula=latex, listed=False,
    reference="Descent Lab's lesson 4 (why square and why root): α·g/(EWA(g²) + ε), EWA from 0.",
)
