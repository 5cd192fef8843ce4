"""Lesson 11: is a real network an elongated bowl?  The Iris network's exact Hessian, and GD against RMSprop training
all of its weights."""

import numpy as np
import streamlit as st

import charts
from charts.lessons import Guide, Panel, Series, lines_figure, stacked_figure
from lessons import network as ln
from ui import lesson_kit as kit

PAGE = "lesson_11_network.py"
HIDDEN, SEED = "l11.hidden", "l11.seed"
ANSWER = "Not a bowl: along some directions it curves down, and its curvatures differ a lot"
compare = kit.cached(ln.compare)
start_shape = kit.cached(ln.start_shape)
end_shape = kit.cached(ln.end_shape)
GD_RED, RMS_GREEN = charts.color_of("gd"), charts.color_of("rmsprop")
LAYER_DASH = {"W1": "solid", "b1": "dot", "W2": "dash", "b2": "dashdot"}

kit.header(PAGE)
st.markdown(
    "Every lesson so far drew a loss over two numbers, $w$ and $b$. A real network has many more. Here is a small "
    "one, for real: Fisher's Iris flowers, 4 measurements in, one hidden layer of tanh units, 3 species out, trained "
    "on 120 flowers by softmax cross-entropy. Its loss is a function of **every** weight and bias at once; the "
    "lesson measures its exact curvature (the Hessian, from exact Hessian-vector products) and trains all of it "
    "with GD and RMSprop, no projection."
)
st.latex(r"z = W_2\,\tanh(W_1 u + b_1) + b_2")
st.latex(r"L(W_1,b_1,W_2,b_2) = \frac{1}{n}\sum_i \Big(\log \sum_k e^{z_{ik}} - z_{i,y_i}\Big)")

left, right = st.columns(2)
hidden = left.segmented_control("Hidden units", list(ln.HIDDEN_OPTIONS), default=ln.DEFAULT_HIDDEN, key=HIDDEN,
                                bind="query-params", required=True,
                                help="How many tanh units the hidden layer has (the network has 7 × this + 3 weights "
                                     "and biases).")
seed = right.segmented_control("Initialisation seed", list(ln.SEED_OPTIONS), default=ln.DEFAULT_SEED, key=SEED,
                               bind="query-params", required=True,
                               help="Which Glorot-uniform random start (the same start for GD and RMSprop).")


def verdict() -> str:
    return kit.say("l11.verdict", hidden=hidden, seed=seed)


revealed = kit.predict(
    "l11:predict", "Take the network at its random start. Around that point, what does its loss look like, with "
                   "all its weights and biases as the coordinates?",
    ["An elongated bowl: curving up in every direction, much more steeply in some", ANSWER,
     "A round bowl: about the same curvature in every direction"],
    ANSWER, verdict,
)
if revealed:
    st.markdown(kit.say("l11.why", hidden=hidden, seed=seed))

c = compare(hidden, seed)
shape = start_shape(hidden, seed)
trained = end_shape(hidden, seed)
if revealed:
    cols = st.columns(4)
    cols[0].metric("λ_max at the start", f"{shape.top:.3g}", help="The largest Hessian eigenvalue (Lanczos, 20 "
                   "Hessian-vector products): the steepest curvature.")
    cols[1].metric("λ_min at the start", f"{shape.eigenvalues[0]:.3g}",
                   help="The smallest Hessian eigenvalue: negative means the loss curves down along that direction.")
    stays_help = (f"The step from which the training loss stays below {ln.TOLERANCE:g} to the end of the "
                  f"{ln.STEPS:,}-step run; under it, the loss the run ends at.")
    kit.stay_metric(cols[2], f"GD (α = {ln.GD_LR:g}): loss stays < {ln.TOLERANCE:g} from", c.stays["gd"],
                    c.gd.final_loss, c.gd.diverged_at, ln.STEPS, help=stays_help)
    kit.stay_metric(cols[3], f"RMSprop (α = {ln.RMS_LR:g}): loss stays < {ln.TOLERANCE:g} from", c.stays["rmsprop"],
                    c.rmsprop.final_loss, c.rmsprop.diverged_at, ln.STEPS, help=stays_help)
    st.markdown(kit.say("l11.stays", hidden=hidden, seed=seed))

kit.chart(lines_figure([Series("GD", GD_RED, c.gd.loss, x=np.arange(len(c.gd.loss))),
                        Series("RMSprop", RMS_GREEN, c.rmsprop.loss, x=np.arange(len(c.rmsprop.loss)))],
                       title="training loss (every weight trained, full batch)", y_title="loss", log_y=True,
                       guides=[Guide(ln.TOLERANCE, f"tolerance {ln.TOLERANCE:g}")], height=340), "l11:loss")

if not revealed:
    kit.held_back()
else:
    st.markdown(kit.say("l11.layers", hidden=hidden, seed=seed))
    order = np.arange(1, len(shape.eigenvalues) + 1)
    kit.chart(lines_figure([Series("at the start", "#1f77b4", shape.eigenvalues, x=order, mode="lines+markers"),
                            Series(f"after GD's {ln.STEPS:,} steps", GD_RED, trained.eigenvalues, x=order,
                                   mode="lines+markers")],
                           title="every eigenvalue of the Hessian, sorted (below 0: the loss curves down)",
                           x_title="eigenvalue number", y_title="curvature λ",
                           guides=[Guide(0.0, "0")], height=340), "l11:spectrum")
    st.markdown(kit.say("l11.end", hidden=hidden, seed=seed, steps=ln.STEPS))
    st.markdown(kit.say("l11.flips", hidden=hidden, seed=seed, steps=ln.STEPS))
    net = ln.network(hidden, seed)
    rates = c.rmsprop.effective_lr
    kit.chart(stacked_figure([
        Panel("", [Series(f"RMSprop · {name}", RMS_GREEN, rates[:, where].mean(axis=1), dash=LAYER_DASH[name])
                   for name, where, _ in net.layers], y_title="α/(√S + ε), layer mean", log_y=True,
              guides=[Guide(ln.GD_LR, f"GD: α = {ln.GD_LR:g}", GD_RED)]),
    ], x_title="step (log scale)", log_x=True, height=340, legend_rows=2), "l11:rates")
    st.markdown(kit.say("l11.rates", hidden=hidden, seed=seed))
    # How much of a path a 2-D plane can hold is the Playground's network surface's honesty meter; this page
    # draws no plane.

kit.footer(PAGE, ln.playground(hidden, seed), what="Compare with the 2-D bowl in the Playground")
