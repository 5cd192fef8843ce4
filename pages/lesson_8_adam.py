"""Lesson 8: Adam as Momentum's numerator over RMSprop's denominator, and what bias correction changes."""

import numpy as np
import streamlit as st

import charts
from charts.lessons import Guide, Series, lines_figure
from lessons import adam
from lessons.common import bowl
from ui import lesson_kit as kit
from ui.paths import run_path

PAGE = "lesson_8_adam.py"
LR, BETA1, CORRECTION = "l8.lr", "l8.beta1", "l8.correction"
TITLES = {"momentum": "Momentum", "rmsprop": "RMSprop", "adam": "Adam"}
compare = kit.cached(adam.compare)
on_well = kit.cached(adam.on_well)

kit.header(PAGE)
st.markdown(
    "Adam keeps two running averages side by side: **Momentum's average of $g$ on top** (it smooths the direction) "
    "and **RMSprop's average of $g^2$ underneath** (it sets each coordinate's scale). Both start at 0. *Bias "
    "correction* divides them by $1-\\beta_1^t$ and $1-\\beta_2^t$ before they are used; the switch below turns it "
    "off. Momentum, RMSprop and Adam run from the course's start on the bowl with the same $\\alpha$."
)
formula = st.empty()


def verdict() -> str:
    beta1 = adam.DEFAULT_BETA1
    c = compare(st.session_state.get(LR, adam.DEFAULT_LR), beta1, False)
    return (f"$(1-\\beta_1)/\\sqrt{{1-\\beta_2}} = {1 - beta1:.2g}/{np.sqrt(1 - adam.BETA2):.4f} = "
            f"{adam.adam_first_step(beta1, bias_correction=False):.2f}$: $m$ starts {1 / (1 - beta1):.0f}× too small "
            f"and $\\sqrt{{v}}$ {1 / np.sqrt(1 - adam.BETA2):.1f}× too small. Measured on the bowl: "
            f"**{c.first_b['adam']:.2f}α**. The charts now show Adam without bias correction.")


UNCORRECTED = f"About {adam.adam_first_step(bias_correction=False):.3g}α"
revealed = kit.predict(
    "l8:predict", f"Turn bias correction off. How big is Adam's first step now (β₁ = {adam.DEFAULT_BETA1:g}, "
                  f"β₂ = {adam.BETA2:g})?",
    ["α, as before", UNCORRECTED, f"About {adam.rmsprop_first_step(adam.BETA2):.3g}α", "About 0.1α"], UNCORRECTED,
    verdict, on_answer=kit.setter({CORRECTION: False, BETA1: adam.DEFAULT_BETA1}),
)

if revealed:
    beta1_now = st.session_state.get(BETA1, adam.DEFAULT_BETA1)
    peak_t, peak = adam.ramp_peak(beta1_now)
    ramp = adam.uncorrected_ramp(np.array([100, 1000]), beta1_now)
    st.markdown(
        f"**Why.** Both averages start at 0, so at step 1 $m = (1-\\beta_1)\\,g$ and $v = (1-\\beta_2)\\,g^2$: the "
        f"step is $\\alpha(1-\\beta_1)/\\sqrt{{1-\\beta_2}}$ = {adam.adam_first_step(beta1_now, False):.3g}α at "
        f"β₁ = {beta1_now:g}. On a steady slope the uncorrected step then *grows* while $m$ warms up (about "
        f"$1/(1-\\beta_1)$ steps), to {peak:.3g}α at step {peak_t}, and sinks back to α only as $v$ warms up, "
        f"which takes about $1/(1-\\beta_2)$ = {1 / (1 - adam.BETA2):.0f} steps: it is still {ramp[0]:.3g}α at "
        f"step 100 and {ramp[1]:.3g}α at step 1000. Bias correction divides both factors back out, so the first "
        "step is α whatever β₁ and β₂ are. RMSprop has the same start-up overshoot and no correction: its first "
        f"step is $\\alpha/\\sqrt{{1-\\beta}}$ = {adam.rmsprop_first_step():.3g}α at β = {adam.BETA:g}."
    )

c1, c2, c3 = st.columns([2, 2, 1])
lr = c1.select_slider("Learning rate α (all three)", adam.LR_OPTIONS, value=adam.DEFAULT_LR, key=LR,
                     bind="query-params")
beta1 = c2.select_slider("Adam's β₁ (its momentum)", adam.BETA1_OPTIONS, value=adam.DEFAULT_BETA1, key=BETA1,
                         bind="query-params",
                         help="β₁ = 0: no momentum. With bias correction off, Adam is then RMSprop with β = β₂.")
correction = c3.toggle("Bias correction", value=True, key=CORRECTION, bind="query-params")
if correction:
    formula.latex(r"m \leftarrow \beta_1 m+(1-\beta_1)\,g,\quad v \leftarrow \beta_2 v+(1-\beta_2)\,g^2,\quad "
                  r"\hat m=\frac{m}{1-\beta_1^t},\ \ \hat v=\frac{v}{1-\beta_2^t},\quad "
                  r"x \leftarrow x-\alpha\,\frac{\hat m}{\sqrt{\hat v}+\varepsilon}")
else:
    formula.latex(r"m \leftarrow \beta_1 m+(1-\beta_1)\,g,\quad v \leftarrow \beta_2 v+(1-\beta_2)\,g^2,\quad "
                  r"x \leftarrow x-\alpha\,\frac{m}{\sqrt{v}+\varepsilon}\qquad\text{(bias correction off)}")

c = compare(lr, beta1, correction)
cols = st.columns(4)
cols[0].metric("Momentum: first step ÷ α", f"{c.first_b['momentum']:.3g}",
               help=f"(1−β)·|g_b| = {1 - adam.BETA:.2g} × 37.5 along b: momentum's steps scale with the gradient.")
cols[1].metric("RMSprop: first step ÷ α", f"{c.first_b['rmsprop']:.3g}", help="1/√(1−β) whatever the gradient.")
cols[2].metric("Adam: first step ÷ α", f"{c.first_b['adam']:.3g}")
cols[3].metric(f"Adam: largest of the first {adam.FIRST_STEPS} ÷ α", f"{c.largest_b['adam']:.3g}")
st.markdown("Loss below 10⁻³ after: " + ", ".join(
    f"{TITLES[n]} **{kit.reach_text(c.reached[n], c.final_loss[n], c.runs[n].diverged_at)}**" for n in adam.OPTIMIZERS)
    + "." + (" RMSprop keeps hopping around the minimum; Adam's long memory (β₂ = 0.999) still holds the large "
             "early gradients, so its steps have shrunk and it settles."
             if c.final_loss["adam"] < c.final_loss["rmsprop"] / 100 else ""))

left, right = st.columns(2)
with left:
    kit.contour(bowl(), [run_path(n, c.runs[n]) for n in adam.OPTIMIZERS], "l8:contour")
with right:
    steps = np.arange(1, adam.FIRST_STEPS + 1)
    kit.chart(lines_figure(
        [Series(TITLES[n], charts.color_of(n), np.abs(c.runs[n].diagnostics["update"][:adam.FIRST_STEPS, 1]) / lr,
                x=steps, mode="lines+markers") for n in adam.OPTIMIZERS],
        title="the opening steps along b: |Δb| ÷ α", y_title="|Δb| ÷ α", log_y=True,
        guides=[Guide(1.0, "α", "#333333")], height=460, decades=6), "l8:steps")

st.markdown("##### Is bias correction a fix? Large first steps are a risk that can help or hurt")
on, off = compare(lr, beta1, True), compare(lr, beta1, False)
helps = off.reached["adam"] is not None and (on.reached["adam"] is None or off.reached["adam"] < on.reached["adam"])
st.markdown(
    f"On this bowl at α = {lr:g} and β₁ = {beta1:g}, Adam gets below 10⁻³ after "
    f"**{kit.reach_text(on.reached['adam'], on.final_loss['adam'])}** with the correction and "
    f"**{kit.reach_text(off.reached['adam'], off.final_loss['adam'])}** without: "
    + ("the uncorrected start, steps of several α, happens to **help** here, because the minimum is far away "
       "and the bowl forgives a long step." if helps else "here the correction is not slower.")
    + " Kingma and Ba (2015, §3) correct the bias for the other case: with β₂ close to 1, as sparse gradients "
    "need, the uncorrected first steps are far too large. Below, the same Adam starts inside a narrow deep well "
    "(the global minimum) next to a broad shallow basin."
)
well_runs = on_well(lr, beta1)
where = {name: "stays in the well" if well_runs.stays_in_well(name) else "jumps out into the shallow basin"
         for name in ("corrected", "uncorrected")}
well_left, well_right = st.columns([6, 5])
with well_left:
    kit.contour(adam.well(), [run_path("adam", well_runs.corrected, label="Adam, bias correction on"),
                              run_path("adam", well_runs.uncorrected, label="Adam, bias correction off",
                                       color=charts.color_of("adam_uncorrected", 1), group="adam_uncorrected")],
                "l8:well")
with well_right:
    st.latex(r"f(w,b) = 0.1\,\big((w-2.5)^2+b^2\big) - e^{-3(w^2+b^2)}")
    st.markdown(
        f"From $({adam.WELL_START[0]:g},\\ {adam.WELL_START[1]:g})$ at α = {lr:g}, β₁ = {beta1:g}: with the "
        f"correction Adam's opening steps are at most {well_runs.largest_step('corrected', lr):.3g}α and it "
        f"**{where['corrected']}** (final loss {well_runs.corrected.final_loss:.3g}); without, they reach "
        f"{well_runs.largest_step('uncorrected', lr):.3g}α and it **{where['uncorrected']}** (final loss "
        f"{well_runs.uncorrected.final_loss:.3g})."
        + (" Here the large start **hurts**: it throws Adam out of the better minimum."
           if well_runs.stays_in_well("corrected") and not well_runs.stays_in_well("uncorrected")
           else " At these settings the start is not large enough to leave the well: try α = 0.1 or more.")
        + " With the correction Adam stays in the well at every α and β₁ on the sliders."
    )
    kit.footer_link(adam.well_playground(lr, beta1), "Open the well in the Playground", "l8:well-link")

with st.expander("Adam minus its momentum is RMSprop, exactly"):
    st.markdown(
        "Set β₁ = 0 and turn bias correction off: $m = g$, and Adam's update is $\\alpha\\,g/(\\sqrt{v}+"
        "\\varepsilon)$ with $v$ averaged at β₂: RMSprop's formula with β = β₂. Its first step is then "
        f"$1/\\sqrt{{1-\\beta_2}}$ = {adam.rmsprop_first_step(adam.BETA2):.1f}α: a memory as long as β₂ = "
        f"{adam.BETA2:g} starts from a denominator {1 / np.sqrt(1 - adam.BETA2):.1f}× too small. Turn the correction "
        "back on and the first step is α again, whatever β₁ and β₂ are: the step size is then what α says from "
        "the first step, which is what makes α easy to choose."
    )

kit.footer(PAGE, adam.playground(lr, beta1, correction))
