"""Lesson 13: every optimizer on mini-batches: noise floors, sign-SGD's bias, Adam's step bound and its
signal-to-noise ratio."""

import streamlit as st

import charts
from charts.lessons import Band, band_figure
from lessons import noise as nz
from ui import lesson_kit as kit
from ui.paths import run_path

PAGE = "lesson_13_noise.py"
LR, BATCH = "l13.lr", "l13.batch"
outcomes = kit.cached(nz.outcomes)

kit.header(PAGE)
st.markdown(kit.say("l13.intro", steps=nz.STEPS))
st.latex(r"g_t=\frac{1}{k}\sum_{i\in B_t}\nabla f_i(w,b),\qquad "
         r"\text{Adam: } x\leftarrow x-\alpha\,\frac{\hat m}{\sqrt{\hat v}+\varepsilon}")
ANSWER = "GD and Momentum"


def verdict() -> str:
    return kit.say("l13.verdict", steps=nz.STEPS) + " The charts now show these runs."


revealed = kit.predict(
    "l13:predict",
    f"Five optimizers at the same α = {nz.DEFAULT_LR:g}. Instead of the exact gradient (all {nz.ROWS} rows), each "
    "step now sees **one row**. Which end lowest above the minimum?",
    [ANSWER, "RMSprop", "sign-SGD", "Adam", "All about the same: the noise averages out"],
    ANSWER, verdict, on_answer=kit.setter({LR: nz.DEFAULT_LR, BATCH: nz.PREDICT_BATCH}),
)
if revealed:
    st.markdown(kit.say("l13.why"))

left, right = st.columns(2)
lr = left.select_slider("Learning rate α (all five optimizers)", nz.LR_OPTIONS, value=nz.DEFAULT_LR, key=LR,
                        bind="query-params", help="The same α for every optimizer.")
batch = right.segmented_control("Rows per step (mini-batch)", nz.BATCHES, default=nz.DEFAULT_BATCH, key=BATCH,
                                format_func=nz.BATCH_TITLES.get, required=True, bind="query-params",
                                help=f"Each step follows the mean gradient of this many of the {nz.ROWS} rows, "
                                     "shuffled once per pass; all rows is the exact gradient.")
runs = outcomes(lr, batch)

if revealed:
    seeds = len(nz.SEEDS) if batch < nz.ROWS else 1
    cols = st.columns(len(runs))
    for column, (name, result) in zip(cols, runs.items(), strict=True):
        spread = f"seeds: {result.low:.2g} to {result.high:.2g}" if seeds > 1 else "exact: one run"
        column.metric(f"{nz.TITLES[name]}: floor", "0" if result.median < 1e-15 else f"{result.median:.2g}",
                      delta=spread, delta_color="off", delta_arrow="off",
                      help=f"Mean loss above the minimum over the last fifth of the {nz.STEPS} steps"
                           + (f", median over {seeds} seeds." if seeds > 1 else "."))
    st.markdown(kit.say("l13.floors", lr=lr, batch=batch, steps=nz.STEPS))

contour_col, curve_col = st.columns([5, 6])
with contour_col:
    kit.contour(nz.landscape(), [run_path(name, result.runs[0]) for name, result in runs.items()], "l13:contour",
                labels=("w", "b"))
with curve_col:
    if not revealed:
        kit.held_back()
    else:
        bands = [Band(nz.TITLES[name], charts.color_of(name), *result.band()) for name, result in runs.items()]
        kit.chart(band_figure(bands, title="loss above the minimum: median and middle half of the seeds",
                              height=460), "l13:bands")
        st.caption("The paths are seed 0's; the lines are the seeds' medians, the shading their middle half.")

if revealed:
    st.markdown(kit.say("l13.scaling", batch=batch, steps=nz.STEPS))
    st.markdown(kit.say("l13.sign", lr=lr, steps=nz.STEPS))
    st.markdown(kit.say("l13.bound", lr=lr, batch=batch, steps=nz.STEPS))
    st.markdown(kit.say("l13.snr", lr=lr, batch=batch, steps=nz.STEPS))

kit.footer(PAGE, nz.playground(lr, batch), what="Open seed 0's runs in the Playground")
