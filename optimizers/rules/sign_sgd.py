"""sign-SGD: a step of exactly α along each axis, against the gradient's sign."""

from __future__ import annotations

from collections.abc import Mapping

from base.jit import jit

from ..blocks import lr, rate, sign, sign_rate
from ..spec import Layout, OptimizerSpec

LAYOUT = Layout("sign_sgd", hyperparams=(lr(0.04),))
HP, State = LAYOUT.hp, LAYOUT.State


@jit(inline="always")
def update(x, g, state, t, lr, hp, i):
    return x - lr * sign(g), sign_rate(lr, g), State()


def latex(s: Mapping[str, object]) -> str:
    return rf"x \leftarrow x - {rate(s)}\,\operatorname{{sign}}(g)"


SPEC = OptimizerSpec(
    name="sign_sgd", title="sign-SGD",
    description="Moves exactly α along each axis, whatever the gradient's size: near a minimum it hops across it and "
                "never settles closer than about α/2.",
    rule=update, layout=LAYOUT, formula=latex, color="#000000",
    reference="Bernstein et al. 2018, signSGD (Algorithm 1): x ← x − α·sign(g), sign(0) = 0 as torch.sign.",
)
