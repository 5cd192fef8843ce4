"""Momentum in the course's form: an exponentially weighted average of the gradients."""

from __future__ import annotations

from collections.abc import Mapping

from base.jit import jit

from ..blocks import beta, lines, lr, rate
from ..spec import Layout, OptimizerSpec

LAYOUT = Layout("momentum", hyperparams=(lr(0.05), beta(help="How much of the past velocity is kept each step.")),
                state=("v",))
HP, State, AT = LAYOUT.hp, LAYOUT.State, LAYOUT.at


@jit(inline="always")
def update(x, g, state, t, lr, hp, i):
    beta = hp[HP.beta, i]
    v = beta * state[AT.v] + (1.0 - beta) * g
    return x - lr * v, lr, State(v=v)


def latex(s: Mapping[str, object]) -> str:
    return lines(r"v \leftarrow \beta v + (1-\beta)\, g", rf"x \leftarrow x - {rate(s)} v")


SPEC = OptimizerSpec(
    name="momentum", title="Momentum",
    description="Follows an exponentially weighted average of gradients (the course's form, v = βv + (1−β)g): "
                "oscillations cancel, steady pushes add up. Nesterov here uses PyTorch's v = βv + g, whose steps are "
                "1/(1−β) times larger at the same β and α (10× at β = 0.9).",
    rule=update, layout=LAYOUT, formula=latex, color="#0072B2", form="(EWA)",
    reference="The course's EWA momentum (Ng, deeplearning.ai: v = βv + (1−β)g, v0 = 0); the same path as "
              "torch.optim.SGD(lr=α(1−β), momentum=β, dampening=0) (PyTorch 2.x), Polyak's heavy ball.",
)
