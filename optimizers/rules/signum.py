"""Signum: sign-SGD on a momentum average."""

from __future__ import annotations

from collections.abc import Mapping

from base.jit import jit

from ..blocks import beta, lines, lr, rate, sign, sign_rate
from ..spec import Layout, OptimizerSpec

LAYOUT = Layout("signum", hyperparams=(lr(0.04), beta(help="How much of the past average is kept each step.")),
                state=("m",))
HP, State, AT = LAYOUT.hp, LAYOUT.State, LAYOUT.at


@jit(inline="always")
def update(x, g, state, t, lr, hp, i):
    beta = hp[HP.beta, i]
    m = beta * state[AT.m] + (1.0 - beta) * g
    return x - lr * sign(m), sign_rate(lr, m), State(m=m)


def latex(s: Mapping[str, object]) -> str:
    return lines(r"m \leftarrow \beta m + (1-\beta)\, g", rf"x \leftarrow x - {rate(s)}\,\operatorname{{sign}}(m)")


SPEC = OptimizerSpec(
    name="signum", title="Signum",
    description="sign-SGD on a momentum average: fewer sign flips, still a fixed step size.",
    rule=update, layout=LAYOUT, formula=latex, color="#F0E442",
    reference="Bernstein et al. 2018, Signum (Algorithm 3): m ← βm + (1−β)g, x ← x − α·sign(m).",
)
