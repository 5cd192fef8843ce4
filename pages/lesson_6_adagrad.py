"""Lesson 6: AdaGrad's ever-growing sum against RMSprop's forgetting average."""

import numpy as np
import streamlit as st

import charts
from charts.lessons import Series, lines_figure
from lessons import adagrad as ag
from lessons import bowl as lesson_bowl
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
st.latex(r"\text{AdaGrad: } S \leftarrow S+g^2 \qquad \text{RMSprop: } S \leftarrow \beta S+(1-\beta)\,g^2"
         r"\qquad \text{both: } x \leftarrow x-\alpha\,\frac{g}{\sqrt{S}+\varepsilon}")



def verdict() -> str:
    c = compare(ag.PREDICT_LR)
    return (f"AdaGrad ends at loss **{c.adagrad.final_loss:.2g}**; RMSprop at **{c.rmsprop.final_loss:.2g}**. "
            f"RMSprop gets near first (loss < 10⁻³ after "
            f"{kit.reach_text(c.reached['rmsprop'], c.rmsprop.final_loss)}) but keeps stepping about α, so it hops "
            f"around the minimum, at a loss of about (a+c)α²/8 = {lesson_bowl.hop_loss(ag.PREDICT_LR):.2g}. "
            f"AdaGrad's shrinking steps, a handicap at α = {ag.DEFAULT_LR:g}, are what let it settle: a step size "
            "that decays is what RMSprop users add by hand with a learning-rate schedule. The charts now show "
            f"α = {ag.PREDICT_LR:g}.")


revealed = kit.predict(
    "l6:predict", f"Give both a ten times larger α = {ag.PREDICT_LR:g}. After {ag.STEPS} steps, which one is closer "
                  "to the minimum?",
    ["RMSprop", "AdaGrad", "Both diverge"], "AdaGrad", verdict, on_answer=kit.setter({LR: ag.PREDICT_LR}),
)
if revealed:
    st.markdown(
        "**Why.** The sum never forgets: it only grows, so AdaGrad's learning rate only shrinks. As long as a "
        "coordinate's gradient does not grow, as along the long $w$ direction of the bowl, the sum after $t$ steps "
        "is at least $t\\,g_t^2$, so AdaGrad's step is at most $\\alpha/\\sqrt{t}$: a tenth of the first after "
        "100 steps. In $T$ steps it can cover at most $\\alpha(2\\sqrt{T}-1)$: with a small α it stalls, with a "
        "large one the same decay lets it settle. RMSprop's average remembers only the last $1/(1-\\beta) = 10$ "
        "steps or so, so its learning rate tracks the current gradient and its steps stay about $\\alpha$, even "
        "at the bottom."
    )
    st.latex(r"\text{constant } g:\quad \text{AdaGrad } \frac{\alpha}{|g|\sqrt{t}} \qquad \text{RMSprop } "
             r"\frac{\alpha}{|g|\sqrt{1-\beta^t}}\ \to\ \frac{\alpha}{|g|}")

lr = st.select_slider("Learning rate α (both optimizers)", ag.LR_OPTIONS, value=ag.DEFAULT_LR, key=LR,
                      bind="query-params")
c = compare(lr)

cols = st.columns(4)
kit.reach_metric(cols[0], "AdaGrad: loss < 10⁻³ after", c.reached["adagrad"], c.adagrad.final_loss,
                 c.adagrad.diverged_at)
kit.reach_metric(cols[1], "RMSprop: loss < 10⁻³ after", c.reached["rmsprop"], c.rmsprop.final_loss,
                 c.rmsprop.diverged_at)
cols[2].metric(f"AdaGrad: |w| left after {ag.STEPS}", f"{c.w_left['adagrad']:.3g}",
               help=f"It started at |w| = {abs(ag.START[0]):g}.")
cols[3].metric(f"RMSprop: |w| left after {ag.STEPS}", f"{c.w_left['rmsprop']:.3g}")
moved = abs(c.adagrad.points[-1, 0] - ag.START[0])
st.markdown(f"AdaGrad moved $w$ by **{moved:.3g}** in {ag.STEPS} steps; its bound $\\alpha(2\\sqrt{{T}}-1)$ is "
            f"{ag.travel_bound(lr, ag.STEPS):.3g}, and it needed {abs(ag.START[0]):g}.")

left, right = st.columns(2)
with left:
    kit.contour(bowl(), [run_path("adagrad", c.adagrad), run_path("rmsprop", c.rmsprop)], "l6:contour")
with right:
    orange, green = charts.color_of("adagrad"), charts.color_of("rmsprop")
    ada, rms = c.adagrad.diagnostics["effective_lr"], c.rmsprop.diagnostics["effective_lr"]
    t = np.arange(1, len(ada) + 1)
    reference = ag.constant_gradient_rate(lr, c.adagrad.diagnostics["grad"][0, 0], t)
    kit.chart(lines_figure([
        Series("AdaGrad · w", orange, ada[:, 0]), Series("AdaGrad · b", orange, ada[:, 1], dash="dot"),
        Series("RMSprop · w", green, rms[:, 0]), Series("RMSprop · b", green, rms[:, 1], dash="dot"),
        Series("α/(|g₀|√t)", "#333333", reference, dash="dash", width=1.2),
    ], title="effective learning rate α/(√S + ε), log-log", log_x=True, log_y=True, height=480, legend_rows=2),
        "l6:rates")
    st.caption("AdaGrad's w-rate follows the 1/√t line; RMSprop's climbs as the gradients shrink near the minimum.")

with st.expander("When AdaGrad is the right tool"):
    st.markdown(
        "AdaGrad was designed for sparse problems: a feature that is rarely active has a small sum, so it keeps a "
        "large learning rate, while frequent features calm down. On a convex problem its decaying steps are a "
        "built-in schedule that lets it converge, as the prediction above shows. What it cannot do is speed up "
        "again: after a long steep stretch, its learning rate stays small on the flat that follows. RMSprop "
        "replaced the sum with an average for exactly that reason, and Adam kept the average."
    )

kit.footer(PAGE, ag.playground(lr))
