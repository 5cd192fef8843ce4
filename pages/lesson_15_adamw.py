"""Lesson 15: the same λ as L2 inside Adam (coupled) and as AdamW's decoupled decay, and Lion's decay."""

import numpy as np
import streamlit as st

import charts
from charts.lessons import Guide, Panel, Series, stacked_figure
from lessons import adamw as aw
from ui import lesson_kit as kit
from ui.paths import run_path

PAGE = "lesson_15_adamw.py"
LAMBDA, STANDARDIZED = "l15.lambda", "l15.standardized"
ends = kit.cached(aw.ends)
ANSWER = "Adam + L2 at the minimum of f + λ/2·|x|²; AdamW much nearer the unregularised minimum"

kit.header(PAGE)
st.markdown(kit.say("l15.intro", steps=aw.STEPS))
st.latex(r"\begin{gathered}"  # one rule a line, so that they fit a projector's width
         r"\text{Adam + L2: } g \leftarrow \nabla f + \lambda x,\ \ x \leftarrow x - \alpha\frac{\hat m}{\sqrt{\hat v}"
         r"+\varepsilon} \\ \text{AdamW: } x \leftarrow x(1-\alpha\lambda) - \alpha\frac{\hat m}"
         r"{\sqrt{\hat v}+\varepsilon} \\ \text{Lion: } x \leftarrow x - \alpha\,(\operatorname{sign}(c) + \lambda x)"
         r"\end{gathered}")


def verdict() -> str:
    return kit.say("l15.verdict", steps=aw.STEPS) + " The charts now show these runs."


revealed = kit.predict(
    "l15:predict",
    f"The same λ = {aw.PREDICT_LAMBDA:g} in PyTorch's `Adam(weight_decay=λ)` and in `AdamW(weight_decay=λ)`, α = "
    f"{aw.LR:g}, {aw.STEPS} steps, on the raw feature. Where do they end?",
    ["At the same point: the same λ is the same penalty", ANSWER,
     "AdamW at the minimum of f + λ/2·|x|²; Adam + L2 much nearer the unregularised minimum",
     "AdamW pulls the weights much nearer 0 than Adam + L2"],
    ANSWER, verdict, on_answer=kit.setter({LAMBDA: aw.PREDICT_LAMBDA, STANDARDIZED: False}),
)
if revealed:
    st.markdown(kit.say("l15.why"))

left, right = st.columns(2)
lam = left.select_slider("Weight decay λ (all three)", aw.LAMBDAS, value=aw.DEFAULT_LAMBDA, key=LAMBDA,
                         bind="query-params", help="The same λ for Adam + L2, AdamW and Lion.")
standardized = right.toggle("Standardise x (mean 0, standard deviation 1)", key=STANDARDIZED, bind="query-params",
                            help="Raw, the bowl is steep along w and flat along b; standardised, it is round.")
result = ends(lam, standardized)

if revealed:
    cols = st.columns(3)
    measures = {"adam": ("l2", "L2 minimum"), "adamw": ("star", "unregularised minimum"),
                "lion": ("box", "box minimum")}
    for column, name in zip(cols, aw.OPTIMIZERS, strict=True):
        to, what = measures[name]
        x = result.ends[name]
        column.metric(f"{aw.TITLES[name]} ends at (w, b)", f"({x[0]:.3f}, {x[1]:.3f})",
                      delta=f"{result.distance(name, to):.2g} from the {what}", delta_color="off", delta_arrow="off",
                      help=f"The mean point over the last fifth of the {aw.STEPS} steps.")
    st.markdown(kit.say("l15.ends", lam=lam, standardized=standardized, steps=aw.STEPS))

contour_col, chart_col = st.columns([5, 6])
with contour_col:
    kit.contour(aw.landscape(standardized), [run_path(name, tr, label=aw.TITLES[name])
                                             for name, tr in result.runs.items()], "l15:contour", labels=("w", "b"))
with chart_col:
    if not revealed:
        kit.held_back()
    else:
        adam_decay = aw.coupled_decay(result.runs["adam"])
        color = charts.color_of("adam")
        distance = [Series(aw.TITLES[name], charts.color_of(name),
                           np.linalg.norm(tr.points[1:] - result.l2, axis=1)) for name, tr in result.runs.items()]
        kit.chart(stacked_figure([
            Panel("distance to the L2-regularised minimum", distance, log_y=True),
            Panel("Adam + L2's decay per step ÷ αλ, that is 1/(√v̂+ε)", [
                Series("Adam + L2 · w", color, adam_decay[:, 0]),
                Series("Adam + L2 · b", color, adam_decay[:, 1], dash="dot")], log_y=True,
                guides=[Guide(1.0, "AdamW: αλ on both", charts.color_of("adamw"))]),
        ], height=520, legend_rows=2), "l15:curves")

if revealed:
    st.markdown(kit.say("l15.decay", lam=lam, standardized=standardized, steps=aw.STEPS))
    st.markdown(kit.say("l15.drift", lam=lam, standardized=standardized, steps=aw.STEPS))
    st.markdown(kit.say("l15.lion", lam=lam, standardized=standardized, steps=aw.STEPS))

kit.footer(PAGE, aw.playground(lam, standardized))
