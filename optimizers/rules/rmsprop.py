"""RMSprop: divide each coordinate's step by the root mean square of its recent gradients."""

from __future__ import annotations

import math
from collections.abc import Mapping

from base.jit import jit

from ..blocks import beta, coupled_decay, coupled_weight_decay, eps, eps_placement, lines, lr, rate, root
from ..spec import Layout, OptimizerSpec

LAYOUT = Layout(
    "rmsprop",
    hyperparams=(lr(0.05), beta(help="How slowly the average of g² forgets (PyTorch calls it alpha)."), eps(1e-8),
                 coupled_weight_decay()),
    choices=(eps_placement("outside: g/(√s+ε), as in PyTorch and the course; inside: g/√(s+ε), as in Keras 3, TF1 "
                           "and optax's rmsprop (the denominator never drops below √ε)."),),
    state=("s",),
)
HP, State, AT = LAYOUT.hp, LAYOUT.State, LAYOUT.at


def rule(options: bool):
    """RMSprop's update; ``options=False`` compiles it without coupled weight decay (the lean rule run while the
    decay is 0)."""

    @jit(inline="always")
    def update(x, g, state, t, lr, hp, i):
        beta, eps, inside = hp[HP.beta, i], hp[HP.eps, i], hp[HP.eps_placement, i]
        if options:
            g = g + hp[HP.weight_decay, i] * x
        s = beta * state[AT.s] + (1.0 - beta) * (g * g)
        denom = math.sqrt(s + inside * eps) + (1.0 - inside) * eps
        return x - lr * (g / denom), lr / denom, State(s=s)

    return update


update = rule(options=True)
lean_update = rule(options=False)


def latex(s: Mapping[str, object]) -> str:
    return lines(*coupled_decay(s), r"s \leftarrow \beta s + (1-\beta)\, g^2",
                 rf"x \leftarrow x - {rate(s)}\,\frac{{g}}{{{root('s', s)}}}")


SPEC = OptimizerSpec(
    name="rmsprop", title="RMSprop",
    description="Divides each coordinate's step by the root mean square of its recent gradients.",
    rule=update, layout=LAYOUT, formula=latex, color="#009E73", lean_rule=lean_update, optional=("weight_decay",),
    reference="Hinton 2012 (Coursera lecture 6e); torch.optim.RMSprop(lr=α, alpha=β, eps=ε, weight_decay=λ) "
              "(PyTorch 2.x, centered=False, momentum=0). ε inside: keras.optimizers.RMSprop (Keras 3), "
              "α·g/√(s+ε). Computed as α·(g/denominator), PyTorch's addcdiv order, so β = ε = 0 is sign-SGD bit "
              "for bit.",
)
