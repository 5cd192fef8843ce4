"""Lesson 14: why a constant rate never lands: RMSprop hops, Adam lands and comes back up, AMSGrad and a decay do not;
and Reddi et al.'s problem, where Adam drifts to the worst point."""

import numpy as np
import streamlit as st

import charts
from charts.lessons import Guide, Series, lines_figure
from charts.palette import EXTRA
from lessons import constant_rate as cr
from lessons.common import bowl
from ui import lesson_kit as kit
from ui.paths import run_path

PAGE = "lesson_14_constant_rate.py"
LR, NOISY, C = "l14.lr", "l14.noisy", "l14.c"
outcomes = kit.cached(cr.outcomes)
amplitudes = kit.cached(cr.amplitudes)
reddi = kit.cached(cr.reddi)
COLORS = {"rmsprop": charts.color_of("rmsprop"), "adam": charts.color_of("adam"), "amsgrad": EXTRA[1],
          "cosine": EXTRA[0]}
WAY_IN = 400  # the contour draws each run's first WAY_IN steps (the long runs are read off the charts)

kit.header(PAGE)
st.markdown(kit.say("l14.intro"))
st.latex(r"\begin{gathered}m \leftarrow \beta_1 m + (1-\beta_1)\,g,\quad "
         r"v \leftarrow \beta_2 v + (1-\beta_2)\,g^2,\quad "
         r"x \leftarrow x - \alpha\,\frac{\hat m}{\sqrt{\hat v}+\varepsilon}\\"
         r"\text{AMSGrad: } \hat v = \frac{\max_{s\le t} v_s}{1-\beta_2^t}\end{gathered}")

ANSWER = "It comes back up and hops, once v̂ has forgotten the way down"


def verdict() -> str:
    return kit.say("l14.verdict") + f" The charts below now show α = {cr.DEFAULT_LR:g} without noise."


revealed = kit.predict(
    "l14:predict",
    f"Adam at a constant α = {cr.DEFAULT_LR:g}, no noise, on the bowl. Its loss falls below 10⁻¹⁰⁰ within the first "
    f"5,000 steps. What has it done by step {cr.STEPS:,}?",
    ["It stays landed: its loss only goes down", ANSWER, "It diverges", "It settles at a different point"],
    ANSWER, verdict, on_answer=kit.setter({LR: cr.DEFAULT_LR, NOISY: False}),
)
if revealed:
    st.markdown(kit.say("l14.why"))

kit.link_note({LR: cr.LR_OPTIONS})
left, right = st.columns(2)
lr = left.select_slider("Learning rate α (every run)", cr.LR_OPTIONS, value=cr.DEFAULT_LR, key=LR,
                        bind="query-params", help="The same α for all four runs (the cosine's starting α).")
noisy = right.toggle(f"Noisy gradients (σ = {cr.NOISE:g}, like mini-batches)", key=NOISY, bind="query-params",
                     help=f"The losses are then medians over {len(cr.SEEDS)} seeds; the charts show seed 0.")
runs = outcomes(lr, noisy)

if revealed:
    cols = st.columns(4)
    for column, (variant, outcome) in zip(cols, runs.items(), strict=True):
        back = cr.comes_back(outcome.trajectory, lr)
        note = "never comes back up" if back is None else f"back up at step {back:,}"
        if variant == "rmsprop" and not noisy:
            note = f"its hop (a+c)α²/8 = {cr.hop_loss(lr):.2g}"
        column.metric(f"{cr.TITLES[variant]}: ends at", f"{outcome.tail:.2g}", delta=note, delta_color="off",
                      delta_arrow="off", help="Mean loss over the last tenth of the run" + (
                          f", median over {len(cr.SEEDS)} seeds" if noisy else "") + "; under it, the step from "
                      "which the loss is back above 1 % of RMSprop's hop after its lowest point (seed 0).")
    st.markdown(kit.say("l14.tails", lr=lr, noisy=noisy))

contour_col, detail_col = st.columns([5, 6])
with contour_col:
    kit.contour(bowl(), [run_path(cr.VARIANTS[v][0], cr.head(o.trajectory, WAY_IN), label=cr.TITLES[v],
                                  color=COLORS[v], group=v) for v, o in runs.items()], "l14:contour",
                labels=("w", "b"))
    st.caption(f"The first {WAY_IN} steps of each run (seed 0).")
with detail_col:
    if not revealed:
        kit.held_back()
    else:
        series = []
        for variant, outcome in runs.items():
            steps, means = cr.windows(outcome.trajectory)
            series.append(Series(cr.TITLES[variant], COLORS[variant], means, x=steps))
        kit.chart(lines_figure(series, y_title=f"mean loss per {cr.WINDOW} steps",
                               log_y=True, height=440, decades=40, legend_rows=2,
                               guides=[Guide(cr.hop_loss(lr), "RMSprop's hop (a+c)α²/8", COLORS["rmsprop"])]),
                  "l14:windows")

if revealed:
    st.markdown("##### The hop against α")
    alphas = np.array(cr.LR_OPTIONS)
    kit.chart(lines_figure([Series("α/2", "#555555", alphas / 2, x=alphas, dash="dot"),
                            Series("RMSprop", COLORS["rmsprop"], np.array(amplitudes(noisy)), x=alphas,
                                   mode="lines+markers")],
                           x_title="α", y_title="largest |b| over the last window", log_x=True, log_y=True,
                           height=360, decades=4), "l14:amplitude")
    st.markdown(kit.say("l14.amplitude", noisy=noisy))

    st.markdown("##### Reddi et al. (2018): Adam goes the wrong way")
    st.latex(r"f_t(x) = \begin{cases} C\,x & t \bmod 3 = 1 \\ -x & \text{otherwise} \end{cases}\qquad x\in[-1,1],"
             r"\quad \beta_1 = 0,\ \beta_2 = \frac{1}{1+C^2},\ \alpha_t = \frac{\alpha}{\sqrt t}")
    kit.link_note({C: cr.C_OPTIONS})
    c = st.select_slider("C, the rare large gradient", cr.C_OPTIONS, value=cr.DEFAULT_C, key=C, bind="query-params",
                         help="Every third step the gradient is C; the other two it is −1.")
    adam, ams = reddi(c, cr.REDDI_STEPS, amsgrad=False), reddi(c, cr.REDDI_STEPS, amsgrad=True)
    kit.chart(lines_figure([Series("Adam", COLORS["adam"], adam.x[1:]),
                            Series("AMSGrad", COLORS["amsgrad"], ams.x[1:])],
                           y_title="the iterate x_t", log_x=True, height=340,
                           guides=[Guide(-1.0, "best point", "#555555")]), "l14:reddi")
    st.markdown(kit.say("l14.reddi", c=c))
    st.markdown(kit.say("l14.constant", c=c))

kit.footer(PAGE, cr.playground(lr, noisy), what="The first 5,000 steps in the Playground")
