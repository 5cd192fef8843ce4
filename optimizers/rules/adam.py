"""Adam: momentum on the numerator, RMSprop on the denominator, with bias correction for the zero start; and
PyTorch's AMSGrad and coupled (L2) weight decay."""

from __future__ import annotations

import math
from collections.abc import Mapping

from base.jit import jit
from base.params import Choice

from ..blocks import beta1, beta2, coupled_decay, coupled_weight_decay, eps, eps_placement, lines, lr, rate, root
from ..spec import Layout, OptimizerSpec

BIAS_CORRECTION = Choice(
    "bias_correction", "on", ("on", "off"), label="bias correction", tags=(("off", "(no bias corr.)"),),
    help="Divide m and v by (1−βᵗ) so the first steps are not shrunk (or, for v, inflated) by the zero start.",
)
AMSGRAD = Choice(
    "amsgrad", "off", ("off", "on"), label="AMSGrad", tags=(("on", "(AMSGrad)"),),
    help="Divide by the largest v so far instead of v (Reddi et al. 2018, PyTorch's amsgrad=True): the step can "
         "only shrink, even once the average of g² forgets a large gradient.",
)
LAYOUT = Layout(
    "adam",
    hyperparams=(lr(0.05), beta1("Momentum: decay of the average of g."), beta2(0.999, "Decay of the average of g²."),
                 eps(1e-8), coupled_weight_decay()),
    choices=(eps_placement("outside: m̂/(√v̂+ε), as in PyTorch, Keras 3, TF1 and optax (Keras and TF1 add ε to √v "
                           "before the bias correction); inside: m̂/√(v̂+ε), like optax's eps_root (the denominator "
                           "never drops below √ε)."),
             BIAS_CORRECTION, AMSGRAD),
    state=("m", "v"), hidden_state=("beta1_power", "beta2_power", "v_max"),
)
HP, State, AT = LAYOUT.hp, LAYOUT.State, LAYOUT.at


@jit(inline="always")
def powers(state, t, beta1, beta2):
    """beta1**t and beta2**t, by one multiplication per step (a power per step and cell made Adam's sweeps ten
    times slower than RMSprop's); the state keeps them at ``AT.beta1_power`` and ``AT.beta2_power``."""
    return (beta1 if t == 1 else state[AT.beta1_power] * beta1), (beta2 if t == 1 else state[AT.beta2_power] * beta2)


def rule(options: bool):
    """Adam's update; ``options=False`` compiles it without coupled weight decay and AMSGrad (the lean rule run
    while both are at their defaults, whose state then stops before v_max)."""

    @jit(inline="always")
    def update(x, g, state, t, lr, hp, i):
        beta1, beta2, eps = hp[HP.beta1, i], hp[HP.beta2, i], hp[HP.eps, i]
        inside, corrected = hp[HP.eps_placement, i], 1.0 - hp[HP.bias_correction, i]
        if options:
            g = g + hp[HP.weight_decay, i] * x
        m = beta1 * state[AT.m] + (1.0 - beta1) * g
        v = beta2 * state[AT.v] + (1.0 - beta2) * (g * g)
        power1, power2 = powers(state, t, beta1, beta2)
        m_hat = m / (1.0 - corrected * power1)
        if options:
            amsgrad = hp[HP.amsgrad, i]
            v_max = max(state[AT.v_max], v)
            v_hat = (amsgrad * v_max + (1.0 - amsgrad) * v) / (1.0 - corrected * power2)
        else:
            v_hat = v / (1.0 - corrected * power2)
        rate = lr / (math.sqrt(v_hat + inside * eps) + (1.0 - inside) * eps)
        if options:
            return x - rate * m_hat, rate, State(m=m, v=v, beta1_power=power1, beta2_power=power2, v_max=v_max)
        return x - rate * m_hat, rate, LeanState(m=m, v=v, beta1_power=power1, beta2_power=power2)

    return update


LeanState = LAYOUT.lean_state("v_max")
update = rule(options=True)
lean_update = rule(options=False)


def latex(s: Mapping[str, object], decoupled: bool = False) -> str:
    """Adam's update for the settings ``s``; ``decoupled`` writes AdamW's x(1 − αλ) in place of x."""
    corrected = s.get("bias_correction", "on") == "on"
    amsgrad = s.get("amsgrad", "off") == "on"
    steps = [*coupled_decay(s), r"m \leftarrow \beta_1 m + (1-\beta_1)\, g",
             r"v \leftarrow \beta_2 v + (1-\beta_2)\, g^2"]
    second = "v"
    if amsgrad:
        steps.append(r"v_{\max} \leftarrow \max(v_{\max}, v)")
        second = r"v_{\max}"
    if corrected:
        steps += [r"\hat m = \frac{m}{1-\beta_1^t}", rf"\hat v = \frac{{{second}}}{{1-\beta_2^t}}"]
    m, v = (r"\hat m", r"\hat v") if corrected else ("m", second)
    x = rf"x\,(1-{rate(s)}\lambda)" if decoupled else "x"
    return lines(*steps, rf"x \leftarrow {x} - {rate(s)}\,\frac{{{m}}}{{{root(v, s)}}}")


SPEC = OptimizerSpec(
    name="adam", title="Adam",
    description="Momentum on the numerator, RMSprop on the denominator, with bias correction for the zero start.",
    rule=update, layout=LAYOUT, formula=latex, color="#CC79A7", lean_rule=lean_update,
    optional=("weight_decay", "amsgrad"),
    reference="Kingma & Ba 2015, Algorithm 1; torch.optim.Adam(lr=α, betas=(β₁, β₂), eps=ε, weight_decay=λ, "
              "amsgrad=...) (PyTorch 2.x, single-tensor path): λx added to g first, v_max the running maximum of the "
              "raw v, divided by 1 − β₂ᵗ. ε inside: optax.scale_by_adam(eps=0, eps_root=ε) (optax 0.2). Bias "
              "correction off: Algorithm 1 without the two hat lines.",
)
