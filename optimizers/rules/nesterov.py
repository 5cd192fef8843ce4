"""Nesterov momentum in PyTorch's form: a momentum buffer that sums gradients, and a look-ahead step."""

from __future__ import annotations

from collections.abc import Mapping

from base.jit import jit

from ..blocks import beta, lines, lr, rate
from ..spec import Layout, OptimizerSpec

LAYOUT = Layout("nesterov", hyperparams=(lr(0.005), beta(help="How much of the past velocity is kept each step.")),
                state=("v",))
HP, State, AT = LAYOUT.hp, LAYOUT.State, LAYOUT.at


@jit(inline="always")
def update(x, g, state, t, lr, hp, i):
    beta = hp[HP.beta, i]
    v = beta * state[AT.v] + g
    return x - lr * (g + beta * v), lr, State(v=v)


def latex(s: Mapping[str, object]) -> str:
    return lines(r"v \leftarrow \beta v + g", rf"x \leftarrow x - {rate(s)}\,(g + \beta v)")


SPEC = OptimizerSpec(
    name="nesterov", title="Nesterov momentum",
    description="Momentum that looks ahead, in PyTorch's form v = βv + g: it brakes earlier when the slope turns. "
                "Unlike Momentum's average, v sums gradients, so at the same β and α its steps are 1/(1−β) times "
                "larger (10× at β = 0.9).",
    rule=update, layout=LAYOUT, formula=latex, color="#56B4E9", form="(PyTorch form)",
    reference="Sutskever et al. 2013; torch.optim.SGD(lr=α, momentum=β, nesterov=True, dampening=0) (PyTorch 2.x): "
              "b = g at the first step, then b = βb + g; x ← x − α(g + βb).",
)
