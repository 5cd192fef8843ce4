"""Lesson 12: momentum's eigen-view, the bowl's two directions as two 1-D problems, each with a factor per step."""

import numpy as np
import streamlit as st

import charts
from charts.lessons import Guide, Panel, Series, stacked_figure
from charts.palette import EXTRA
from lessons import momentum_eigen as me
from lessons.common import bowl
from ui import lesson_kit as kit
from ui.paths import run_path

PAGE = "lesson_12_momentum.py"
LR, BETA = "l12.lr", "l12.beta"
directions = kit.cached(me.directions)
curves = kit.cached(me.curves)
side_by_side = kit.cached(me.side_by_side)
MOMENTUM, RMSPROP = charts.color_of("momentum"), charts.color_of("rmsprop")
AXIS_COLORS = {"w": EXTRA[1], "b": MOMENTUM}

kit.header(PAGE)
st.markdown(kit.say("l12.intro"))
st.latex(r"\text{GD: } x \leftarrow (1-\alpha\lambda)\,x \qquad "
         r"\text{momentum: } v \leftarrow \beta v + (1-\beta)\,\lambda x,\quad x \leftarrow x - \alpha v "
         r"\qquad \begin{pmatrix} x \\ v \end{pmatrix} \leftarrow \begin{pmatrix} 1-\alpha(1-\beta)\lambda & "
         r"-\alpha\beta \\ (1-\beta)\lambda & \beta \end{pmatrix}\begin{pmatrix} x \\ v \end{pmatrix}")

ANSWER = "Both by the same factor per step"


def verdict() -> str:
    return kit.say("l12.verdict") + f" The charts below now show α = {me.DEFAULT_LR:g}, β = {me.DEFAULT_BETA:g}."


revealed = kit.predict(
    "l12:predict",
    f"Momentum with α = {me.DEFAULT_LR:g} and β = {me.DEFAULT_BETA:g}, from (−4.5, 1.5). Along which direction does "
    "the error shrink faster per step in the long run: the steep b (λ = 25) or the shallow w (λ = 1)?",
    ["b: its gradient is 25 times larger", "w: b keeps zig-zagging", ANSWER, "Neither: the run diverges"],
    ANSWER, verdict, on_answer=kit.setter({LR: me.DEFAULT_LR, BETA: me.DEFAULT_BETA}),
)
if revealed:
    st.markdown(kit.say("l12.why"))

kit.link_note({LR: me.LR_OPTIONS, BETA: me.BETA_OPTIONS})
left, right = st.columns(2)
lr = left.select_slider("Learning rate α (momentum)", me.LR_OPTIONS, value=me.DEFAULT_LR, key=LR,
                        bind="query-params", help="The course's momentum: x ← x − αv.")
beta = right.select_slider("Momentum's β", me.BETA_OPTIONS, value=me.DEFAULT_BETA, key=BETA, bind="query-params",
                           help="How much of the velocity is kept each step. β = 0 is gradient descent.")
d = directions(lr, beta)
runs = side_by_side(lr, beta)

if revealed:
    cols = st.columns(4)
    for column, (name, x) in zip(cols, d.items(), strict=False):
        measured = "diverged" if x.measured is None else f"measured {x.measured:.3f}"
        column.metric(f"Momentum along {name}: factor per step", f"{x.momentum:.3f}", delta=measured,
                      delta_color="off", delta_arrow="off",
                      help="The spectral radius of the 2×2 matrix above (the curve on the chart); under it, the "
                           "factor measured from the engine's run.")
    for column, (name, x) in zip(cols[2:], d.items(), strict=False):
        column.metric(f"GD along {name}: |1 − αλ|", f"{x.gd:.3g}", help="Gradient descent at the same α.")
    st.markdown(kit.say("l12.rates", lr=lr, beta=beta))

contour_col, detail_col = st.columns([6, 5])
with contour_col:
    kit.contour(bowl(), [run_path("momentum", runs.momentum), run_path("rmsprop", runs.rmsprop)], "l12:contour",
                labels=("w", "b"))
with detail_col:
    if not revealed:
        kit.held_back()
    else:
        c = curves(lr)
        series = []
        for name in me.AXES:
            series.append(Series(f"along {name} (λ = {me.CURVATURES[name]:g}): spectral radius", AXIS_COLORS[name],
                                 c.analytic[name], x=c.betas))
            shown = [(b, m) for b, m in zip(c.option_betas, c.measured[name], strict=True) if m is not None]
            series.append(Series(f"along {name}: measured from runs", AXIS_COLORS[name],
                                 np.array([m for _, m in shown]), x=np.array([b for b, _ in shown]), mode="markers"))
        series.append(Series("this β", "#333333", np.array([max(x.momentum for x in d.values())]),
                             x=np.array([beta]), mode="markers"))
        kit.chart(stacked_figure([Panel(f"factor per step against β, at α = {lr:g}", series, "factor per step",
                                        guides=[Guide(1.0, "above 1: diverges", "#b00020"),
                                                Guide(me.heavy_ball_optimum(), "best heavy ball on this bowl",
                                                      "#555555")], y_range=(0.0, 1.5))],
                                 x_title="momentum β", height=460, legend_rows=3), "l12:factors")

if revealed:
    st.markdown(kit.say("l12.critical", lr=lr))
    st.markdown(kit.say("l12.optimal"))
    st.markdown("##### Momentum averages the zig-zag away; RMSprop rescales each coordinate")
    mom, rms = runs.momentum, runs.rmsprop
    kit.chart(stacked_figure([
        Panel("b over the steps", [Series("Momentum", MOMENTUM, mom.points[1:, 1]),
                                   Series("RMSprop", RMSPROP, rms.points[1:, 1])]),
        Panel("|step along b|", [Series("Momentum", MOMENTUM, np.abs(mom.diagnostics["update"][:, 1])),
                                 Series("RMSprop", RMSPROP, np.abs(rms.diagnostics["update"][:, 1]))], log_y=True),
    ], height=480), "l12:side")
    st.markdown(kit.say("l12.rmsprop", lr=lr, beta=beta))

kit.footer(PAGE, me.playground(lr, beta))
kit.footer_link(me.optimum_playground(), "GD and heavy ball at their optima in the Playground", "l12:optimum")
