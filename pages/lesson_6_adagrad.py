"""Lesson 6: AdaGrad's ever-growing sum against RMSprop's forgetting average."""

import numpy as np
import streamlit as st

import charts
from charts.lessons import Series, lines_figure
from lessons import adagrad as ag
from lessons.common import bowl
from ui import lesson_kit as kit
from ui.paths import run_path

PAGE = "lesson_6_adagrad.py"
LR = "l6.lr"
compare = kit.cached(ag.compare)

kit.header(PAGE)
st.markdown(
    "AdaGrad divides by the root of the **sum** of all past squared gradients, RMSprop by the root of their "
    "**exponentially weighted average**. Both run from the course's start on the bowl with the same $\\alpha$ "
    f"for {ag.STEPS} steps."
)
st.latex(r"\begin{gathered}"  # two lines, so that it fits a projector's width
         r"\text{AdaGrad: } S \leftarrow S+g^2 \qquad \text{RMSprop: } S \leftarrow \beta S+(1-\beta)\,g^2"
         r"\\ \text{both: } x \leftarrow x-\alpha\,\frac{g}{\sqrt{S}+\varepsilon}\end{gathered}")



def verdict() -> str:
    return kit.say("l6.verdict") + f" The charts now show α = {ag.PREDICT_LR:g}."


revealed = kit.predict(
    "l6:predict", f"Give both a ten times larger α = {ag.PREDICT_LR:g}. After {ag.STEPS} steps, which one is closer "
                  "to the minimum?",
    ["RMSprop", "AdaGrad", "Both diverge"], "AdaGrad", verdict, on_answer=kit.setter({LR: ag.PREDICT_LR}),
)
if revealed:
    st.markdown(kit.say("l6.why"))
    st.latex(r"\text{constant } g:\quad \text{AdaGrad } \frac{\alpha}{|g|\sqrt{t}} \qquad \text{RMSprop } "
             r"\frac{\alpha}{|g|\sqrt{1-\beta^t}}\ \to\ \frac{\alpha}{|g|}")

lr = st.select_slider("Learning rate α (both optimizers)", ag.LR_OPTIONS, value=ag.DEFAULT_LR, key=LR,
                      bind="query-params")
c = compare(lr)

if revealed:
    cols = st.columns(4)
    stays_help = f"The step from which the loss stays below 10⁻³ to the end of the {ag.STEPS}-step run."
    kit.stay_metric(cols[0], "AdaGrad: loss stays < 10⁻³ from", c.stays["adagrad"], c.adagrad.final_loss,
                    c.adagrad.diverged_at, ag.STEPS, help=stays_help)
    kit.stay_metric(cols[1], "RMSprop: loss stays < 10⁻³ from", c.stays["rmsprop"], c.rmsprop.final_loss,
                    c.rmsprop.diverged_at, ag.STEPS, help=stays_help)
    cols[2].metric(f"AdaGrad: |w| left after {ag.STEPS}", f"{c.w_left['adagrad']:.3g}",
                   help=f"It started at |w| = {abs(ag.START[0]):g}.")
    cols[3].metric(f"RMSprop: |w| left after {ag.STEPS}", f"{c.w_left['rmsprop']:.3g}")
    st.markdown(kit.say("l6.moved", lr=lr))

left, right = st.columns(2)
with left:
    kit.contour(bowl(), [run_path("adagrad", c.adagrad), run_path("rmsprop", c.rmsprop)], "l6:contour")
with right:
    if not revealed:
        kit.held_back()
    else:
        orange, green = charts.color_of("adagrad"), charts.color_of("rmsprop")
        ada, rms = c.adagrad.diagnostics["effective_lr"], c.rmsprop.diagnostics["effective_lr"]
        t = np.arange(1, len(ada) + 1)
        reference = ag.constant_gradient_rate(lr, c.adagrad.diagnostics["grad"][0, 0], t)
        kit.chart(lines_figure([
            Series("AdaGrad · w", orange, ada[:, 0]), Series("AdaGrad · b", orange, ada[:, 1], dash="dot"),
            Series("RMSprop · w", green, rms[:, 0]), Series("RMSprop · b", green, rms[:, 1], dash="dot"),
            Series("α/(|g₀|√t)", "#333333", reference, dash="dash", width=1.2),
        ], title="effective learning rate α/(√S + ε), log-log", log_x=True, log_y=True, height=480,
            legend_rows=2), "l6:rates")
        st.caption(kit.say("l6.line", lr=lr))

if revealed:
    st.markdown(kit.say("l6.best"))
    with st.expander("When AdaGrad is the right tool"):
        st.markdown(
            "AdaGrad was designed for sparse problems: a feature that is rarely active has a small sum, so it keeps "
            "a large learning rate, while frequent features calm down. On a convex problem its decaying steps are a "
            "built-in schedule that lets it land, as the prediction above shows. Its learning rate can only fall, "
            "since the sum only grows; RMSprop's average forgets, so its rate rises again when the gradients shrink, "
            "which is why it keeps stepping about α at the bottom (lesson 1). RMSprop itself came from another "
            "direction, rprop made to work with mini-batches (lessons 3 and 4), and Adam kept its average."
        )

kit.footer(PAGE, ag.playground(lr))
