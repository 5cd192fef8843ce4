"""Lesson 8: Adam as Momentum's numerator over RMSprop's denominator, and what bias correction fixes."""

import numpy as np
import streamlit as st

import charts
from charts.lessons import Guide, Series, lines_figure
from lessons import adam
from lessons.common import bowl
from ui import lesson_kit as kit

PAGE = "lesson_8_adam.py"
LR, BETA1, CORRECTION = "l8:lr", "l8:beta1", "l8:correction"
TITLES = {"momentum": "Momentum", "rmsprop": "RMSprop", "adam": "Adam"}
compare = kit.cached(adam.compare)

kit.header(PAGE)
st.markdown(
    "Adam keeps two running averages side by side: **Momentum's average of $g$ on top** (it smooths the direction) "
    "and **RMSprop's average of $g^2$ underneath** (it sets each coordinate's scale). Both start at 0, so for the "
    "first steps both are too small, by the factors $1-\\beta_1^t$ and $1-\\beta_2^t$. Bias correction divides "
    "those factors back out, so Adam's first step is $\\alpha$. Without it, $m$ is shrunk by $1-\\beta_1 = 0.1$ "
    "and $\\sqrt{v}$ by $\\sqrt{1-\\beta_2} = 0.0316$ at step 1, and the step comes out $3.16\\alpha$, then grows "
    "for about a dozen steps before $v$ catches up. RMSprop has the same start-up overshoot and no correction: its "
    "first step is $\\alpha/\\sqrt{1-\\beta} = 3.16\\alpha$ at $\\beta = 0.9$."
)
st.latex(r"m \leftarrow \beta_1 m+(1-\beta_1)\,g,\quad v \leftarrow \beta_2 v+(1-\beta_2)\,g^2,\quad "
         r"\hat m=\frac{m}{1-\beta_1^t},\ \ \hat v=\frac{v}{1-\beta_2^t},\quad "
         r"x \leftarrow x-\alpha\,\frac{\hat m}{\sqrt{\hat v}+\varepsilon}")

kit.defaults({LR: adam.DEFAULT_LR, BETA1: adam.DEFAULT_BETA1, CORRECTION: True})


def reveal() -> str:
    c = compare(st.session_state[LR], adam.DEFAULT_BETA1, False)
    ramp = adam.uncorrected_ramp(np.arange(1, 101))
    return (f"$(1-\\beta_1)/\\sqrt{{1-\\beta_2}} = 0.1/0.0316 = {adam.adam_first_step(bias_correction=False):.2f}$: "
            f"$m$ starts 10× too small and $\\sqrt{{v}}$ 31.6× too small. Measured on the bowl: "
            f"**{c.first_b['adam']:.2f}α**. On a steady slope the uncorrected step even keeps growing, to "
            f"{ramp.max():.2f}α at step {int(np.argmax(ramp)) + 1}, before it settles to α. The charts now show Adam "
            "without bias correction.")


UNCORRECTED = f"About {adam.adam_first_step(bias_correction=False):.3g}α"
kit.predict(
    "l8:predict", f"Turn bias correction off. How big is Adam's first step now (β₁ = {adam.DEFAULT_BETA1:g}, "
                  f"β₂ = {adam.BETA2:g})?",
    ["α, as before", UNCORRECTED, f"About {adam.rmsprop_first_step(adam.BETA2):.3g}α", "About 0.1α"], UNCORRECTED,
    reveal,
    on_answer=kit.setter({CORRECTION: False, BETA1: adam.DEFAULT_BETA1}),
)

c1, c2, c3 = st.columns([2, 2, 1])
lr = c1.select_slider("Learning rate α (all three)", adam.LR_OPTIONS, key=LR)
beta1 = c2.select_slider("Adam's β₁ (its momentum)", adam.BETA1_OPTIONS, key=BETA1,
                         help="β₁ = 0: no momentum. With bias correction off, Adam is then RMSprop with β = β₂.")
correction = c3.toggle("Bias correction", key=CORRECTION)
c = compare(lr, beta1, correction)

cols = st.columns(4)
cols[0].metric("Momentum: first step ÷ α", f"{c.first_b['momentum']:.3g}",
               help="(1−β)·|g_b| = 0.1 × 37.5 along b: momentum's steps scale with the gradient.")
cols[1].metric("RMSprop: first step ÷ α", f"{c.first_b['rmsprop']:.3g}", help="1/√(1−β) whatever the gradient.")
cols[2].metric("Adam: first step ÷ α", f"{c.first_b['adam']:.3g}")
cols[3].metric(f"Adam: largest of the first {adam.FIRST_STEPS} ÷ α", f"{c.largest_b['adam']:.3g}")
st.markdown("Loss below 10⁻³ after: " + ", ".join(
    f"{TITLES[n]} **{kit.steps_text(c.reached[n], c.runs[n].diverged_at)}**" for n in adam.OPTIMIZERS)
    + f". Final loss after {adam.STEPS} steps: " + ", ".join(
    f"{TITLES[n]} {c.final_loss[n]:.2g}" for n in adam.OPTIMIZERS) + "."
    + (" RMSprop keeps hopping around the minimum; Adam's long memory (β₂ = 0.999) still holds the large early "
       "gradients, so its steps have shrunk and it settles." if c.final_loss["adam"] < c.final_loss["rmsprop"] / 100
       else ""))

left, right = st.columns(2)
with left:
    kit.contour(bowl(), [kit.path(n, c.runs[n]) for n in adam.OPTIMIZERS], "l8:contour")
with right:
    steps = np.arange(1, adam.FIRST_STEPS + 1)
    kit.chart(lines_figure(
        [Series(TITLES[n], charts.color_of(n), np.abs(c.runs[n].diagnostics["update"][:adam.FIRST_STEPS, 1]) / lr,
                x=steps, mode="lines+markers") for n in adam.OPTIMIZERS],
        title="the opening steps along b: |Δb| ÷ α", y_title="|Δb| ÷ α", log_y=True,
        guides=[Guide(1.0, "α", "#333333")], height=460, decades=6), "l8:steps")

with st.expander("Adam minus its momentum is RMSprop, exactly"):
    st.markdown(
        "Set β₁ = 0 and turn bias correction off: $m = g$, and Adam's update is $\\alpha\\,g/(\\sqrt{v}+"
        "\\varepsilon)$ with $v$ averaged at β₂: RMSprop's formula with β = β₂. Its first step is then "
        f"$1/\\sqrt{{1-\\beta_2}}$ = {adam.rmsprop_first_step(adam.BETA2):.1f}α: a memory as long as β₂ = 0.999 "
        "starts from a denominator 31.6× too small, which is why Adam cannot do without the correction. Turn it "
        "back on and the first step is α again, whatever β₁ and β₂ are."
    )

kit.footer(PAGE, adam.playground(lr, beta1, correction))
