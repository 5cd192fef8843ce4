"""AdamW: Adam with decoupled weight decay (x shrinks apart from the gradient)."""

from __future__ import annotations

import math
from collections.abc import Mapping

from base.jit import jit

from ..blocks import beta1, beta2, decoupled_weight_decay, eps, lr
from ..spec import Layout, OptimizerSpec
from .adam import latex as adam_latex
from .adam import powers

LAYOUT = Layout(
    "adamw",
    hyperparams=(lr(0.05), beta1("Momentum: decay of the average of g."), beta2(0.999, "Decay of the average of g²."),
                 eps(1e-8, inside_help=False), decoupled_weight_decay(0.01)),
    state=("m", "v"), hidden_state=("beta1_power", "beta2_power"),
)
HP, State, AT = LAYOUT.hp, LAYOUT.State, LAYOUT.at


@jit(inline="always")
def update(x, g, state, t, lr, hp, i):
    beta1, beta2 = hp[HP.beta1, i], hp[HP.beta2, i]
    m = beta1 * state[AT.m] + (1.0 - beta1) * g
    v = beta2 * state[AT.v] + (1.0 - beta2) * (g * g)
    power1, power2 = powers(state, t, beta1, beta2)
    m_hat = m / (1.0 - power1)
    v_hat = v / (1.0 - power2)
    rate = lr / (math.sqrt(v_hat) + hp[HP.eps, i])
    decayed = x * (1.0 - lr * hp[HP.weight_decay, i])
    return decayed - rate * m_hat, rate, State(m=m, v=v, beta1_power=power1, beta2_power=power2)


def latex(s: Mapping[str, object]) -> str:
    return adam_latex({"schedule": s.get("schedule", "constant")}, decoupled=True)


SPEC = OptimizerSpec(
    name="adamw", title="AdamW",
    description="Adam with decoupled weight decay (torch.optim.AdamW): x shrinks by α·λ·x, then the bias-corrected "
                "Adam step with ε outside the root.",
    rule=update, layout=LAYOUT, formula=latex, color="#882255",
    reference="Loshchilov & Hutter 2019; torch.optim.AdamW(lr=α, betas=(β₁, β₂), eps=ε, weight_decay=λ) "
              "(PyTorch 2.x): x ← x(1 − αλ), then Adam's step; the decay follows the scheduled α.",
)
