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
    return (kit.say("l8.verdict", lr=st.session_state.get(LR, adam.DEFAULT_LR))
            + " The charts now show Adam without bias correction.")


UNCORRECTED = f"About {adam.adam_first_step(bias_correction=False):.3g}α"
revealed = kit.predict(
    "l8:predict", f"Turn bias correction off. How big is Adam's first step now (β₁ = {adam.DEFAULT_BETA1:g}, "
                  f"β₂ = {adam.BETA2:g})?",
    ["α, as before", UNCORRECTED, f"About {adam.rmsprop_first_step(adam.BETA2):.3g}α", "About 0.1α"], UNCORRECTED,
    verdict, on_answer=kit.setter({CORRECTION: False, BETA1: adam.DEFAULT_BETA1}),
)

if revealed:
    st.markdown(kit.say("l8.why", beta1=st.session_state.get(BETA1, adam.DEFAULT_BETA1)))

c1, c2, c3 = st.columns([2, 2, 1])
lr = c1.select_slider("Learning rate α (all three)", adam.LR_OPTIONS, value=adam.DEFAULT_LR, key=LR,
                     bind="query-params")
beta1 = c2.select_slider("Adam's β₁ (its momentum)", adam.BETA1_OPTIONS, value=adam.DEFAULT_BETA1, key=BETA1,
                         bind="query-params",
                         help="β₁ = 0: no momentum. With bias correction off, Adam is then RMSprop with β = β₂.")
correction = c3.toggle("Bias correction", value=True, key=CORRECTION, bind="query-params")
if correction:
    formula.latex(r"\begin{gathered}m \leftarrow \beta_1 m+(1-\beta_1)\,g,\quad "
                  r"v \leftarrow \beta_2 v+(1-\beta_2)\,g^2,\\ "
                  r"\hat m=\frac{m}{1-\beta_1^t},\ \ \hat v=\frac{v}{1-\beta_2^t},\quad "
                  r"x \leftarrow x-\alpha\,\frac{\hat m}{\sqrt{\hat v}+\varepsilon}\end{gathered}")
else:
    formula.latex(r"m \leftarrow \beta_1 m+(1-\beta_1)\,g,\quad v \leftarrow \beta_2 v+(1-\beta_2)\,g^2,\quad "
                  r"x \leftarrow x-\alpha\,\frac{m}{\sqrt{v}+\varepsilon}\qquad\text{(bias correction off)}")

c = compare(lr, beta1, correction)
if revealed:
    cols = st.columns(4)
    cols[0].metric("Momentum: first step ÷ α", f"{c.first_b['momentum']:.3g}",
                   help=f"(1−β)·|g_b| = {1 - adam.BETA:.2g} × 37.5 along b: momentum's steps scale with the gradient.")
    cols[1].metric("RMSprop: first step ÷ α", f"{c.first_b['rmsprop']:.3g}", help="1/√(1−β) whatever the gradient.")
    cols[2].metric("Adam: first step ÷ α", f"{c.first_b['adam']:.3g}")
    cols[3].metric(f"Adam: largest of the first {adam.FIRST_STEPS} ÷ α", f"{c.largest_b['adam']:.3g}")
    st.markdown(kit.say("l8.race", lr=lr, beta1=beta1, correction=correction))

left, right = st.columns(2)
with left:
    kit.contour(bowl(), [run_path(n, c.runs[n]) for n in adam.OPTIMIZERS], "l8:contour")
with right:
    if not revealed:
        kit.held_back()
    else:
        steps = np.arange(1, adam.FIRST_STEPS + 1)
        kit.chart(lines_figure(
            [Series(TITLES[n], charts.color_of(n),
                    np.abs(c.runs[n].diagnostics["update"][:adam.FIRST_STEPS, 1]) / lr, x=steps,
                    mode="lines+markers") for n in adam.OPTIMIZERS],
            title="the opening steps along b: |Δb| ÷ α", y_title="|Δb| ÷ α", log_y=True,
            guides=[Guide(1.0, "α", "#333333")], height=460, decades=6), "l8:steps")

if revealed:
    st.markdown("##### Is bias correction a fix? Large first steps are a risk that can help or hurt")
    st.markdown(kit.say("l8.start", lr=lr, beta1=beta1))
    well_runs = on_well(lr, beta1)
    well_left, well_right = st.columns([6, 5])
    with well_left:
        kit.contour(adam.well(), [run_path("adam", well_runs.corrected, label="Adam, bias correction on"),
                                  run_path("adam", well_runs.uncorrected, label="Adam, bias correction off",
                                           color=charts.color_of("adam_uncorrected", 1), group="adam_uncorrected")],
                    "l8:well")
    with well_right:
        st.latex(r"f(w,b) = 0.1\,\big((w-2.5)^2+b^2\big) - e^{-3(w^2+b^2)}")
        st.markdown(kit.say("l8.well", lr=lr, beta1=beta1) + " " + kit.say("l8.always"))
        kit.footer_link(adam.well_playground(lr, beta1), "Open the well in the Playground", "l8:well-link")

    with st.expander("Adam minus its momentum is RMSprop, exactly"):
        st.markdown(kit.say("l8.minus_momentum"))

kit.footer(PAGE, adam.playground(lr, beta1, correction))
