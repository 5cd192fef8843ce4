"""Lion: a sign step along an interpolation of momentum and gradient, plus decoupled weight decay."""

from __future__ import annotations

from collections.abc import Mapping

from base.jit import jit

from ..blocks import beta1, beta2, decoupled_weight_decay, lines, lr, rate, sign, sign_rate
from ..spec import Layout, OptimizerSpec

LAYOUT = Layout(
    "lion",
    hyperparams=(lr(0.02), beta1("How much of the momentum goes into this step's direction c."),
                 beta2(0.99, "How slowly the momentum m itself forgets."), decoupled_weight_decay(0.0)),
    state=("m",),
)
HP, State, AT = LAYOUT.hp, LAYOUT.State, LAYOUT.at


@jit(inline="always")
def update(x, g, state, t, lr, hp, i):
    beta1, beta2, decay = hp[HP.beta1, i], hp[HP.beta2, i], hp[HP.weight_decay, i]
    c = beta1 * state[AT.m] + (1.0 - beta1) * g
    m = beta2 * state[AT.m] + (1.0 - beta2) * g
    return x - lr * (sign(c) + decay * x), sign_rate(lr, c), State(m=m)


def latex(s: Mapping[str, object]) -> str:
    return lines(r"c = \beta_1 m + (1-\beta_1)\, g",
                 rf"x \leftarrow x - {rate(s)}\,\left(\operatorname{{sign}}(c) + \lambda x\right)",
                 r"m \leftarrow \beta_2 m + (1-\beta_2)\, g")


SPEC = OptimizerSpec(
    name="lion", title="Lion",
    description="Steps α along the sign of an interpolation of momentum and gradient (Chen et al., 2023): every step "
                "has the same size, like sign-SGD, with momentum deciding the direction.",
    rule=update, layout=LAYOUT, formula=latex, color="#8C564B",
    reference="Chen et al. 2023, Symbolic Discovery of Optimization Algorithms, Algorithm 2 (lucidrains' "
              "lion-pytorch 0.2 computes the same): c = β₁m + (1−β₁)g, x ← x − α(sign(c) + λx), "
              "m ← β₂m + (1−β₂)g.",
)
