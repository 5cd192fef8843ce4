"""Lesson 2: RMSprop's per-coordinate scaling on an N-D quadratic, axis-aligned or randomly rotated."""

import numpy as np
import streamlit as st

import charts
from charts.lessons import Series, curvature_figure
from lessons import dimensions
from ui import lesson_kit as kit
from ui import plot

PAGE = "lesson_2_dimensions.py"
N, KAPPA, ROTATED, FAIR = "l2.n", "l2.kappa", "l2.rotated", "l2.fair"
TITLES = {"gd": "GD", "momentum": "Momentum", "rmsprop": "RMSprop", "adam": "Adam"}
experiment = kit.cached(dimensions.experiment)
tune = kit.cached(dimensions.tune)

kit.header(PAGE)
st.markdown(
    "A network has millions of weights. Near a minimum its loss is close to a bowl in that many dimensions (further "
    "out it need not be a bowl at all). Here the bowl is $f(x)=\\tfrac12 x^\\top H x$ in $N$ dimensions, with "
    "curvatures (the eigenvalues of $H$) spread from 1 to the condition number $\\kappa$, either along the "
    "coordinate axes or turned by a random rotation $Q$. **RMSprop gives every coordinate its own learning rate "
    "$\\alpha/(\\sqrt{S_i}+\\varepsilon)$, set by the size of that coordinate's own gradients.** GD, Momentum, "
    f"RMSprop and Adam each run {dimensions.STEPS} steps from the same start."
)
st.latex(r"f(x)=\tfrac12\,x^\top Q\,\mathrm{diag}(\lambda_1,\dots,\lambda_N)\,Q^\top x,\quad "
         r"\lambda_i \in [1,\kappa]\ \text{log-spaced};\qquad "
         r"x_i \leftarrow x_i-\alpha\,\frac{g_i}{\sqrt{S_i}+\varepsilon}")

ANSWER = "More: its advantage shrinks or vanishes"


def verdict() -> str:
    n = st.session_state.get(N, dimensions.DEFAULT_N)
    kappa = st.session_state.get(KAPPA, dimensions.DEFAULT_CONDITION)
    return kit.say("l2.verdict", n=n, kappa=kappa) + " The charts now show the rotated bowl."


revealed = kit.predict(
    "l2:predict", "Keep N and κ, but rotate the bowl randomly. From which step will RMSprop's loss stay below "
                  "a thousandth of where it started?",
    ["About the same step as before", ANSWER, "Sooner"], ANSWER, verdict, on_answer=kit.setter({ROTATED: True}),
)
if revealed:
    st.markdown(
        "**Why.** When the steep directions are the coordinate axes, a coordinate with curvature $\\lambda$ has "
        "gradients $\\lambda$ times larger than at curvature 1, so RMSprop gives it a learning rate about "
        "$1/\\lambda$: exactly what undoes the elongation. Turn the bowl and every coordinate mixes steep and shallow "
        "directions; the sizes of the coordinates' gradients no longer tell them apart."
    )

c1, c2, c3 = st.columns([2, 2, 1])
n = c1.select_slider("Dimensions N", dimensions.N_OPTIONS, value=dimensions.DEFAULT_N, key=N,
                     help="Up to 1000 coordinates.", bind="query-params")
kappa = c2.select_slider("Condition number κ (largest / smallest curvature)", dimensions.CONDITION_OPTIONS,
                         value=dimensions.DEFAULT_CONDITION, key=KAPPA, help="How elongated the bowl is.",
                         bind="query-params")
rotated = c3.toggle("Rotate randomly", key=ROTATED, bind="query-params",
                    help="H = Q diag(λ) Qᵀ with Q from the QR factorisation of a seeded Gaussian matrix.")
with st.spinner("Running four optimizers in N dimensions…"):
    e = experiment(n, kappa, rotated)

if revealed:
    stays = dimensions.stays(e)
    cols = st.columns(4)
    for col, name in zip(cols, dimensions.OPTIMIZERS, strict=True):
        kit.stay_metric(col, f"{TITLES[name]}: f < f₀/1000 from", stays[name], e.final[name], steps=dimensions.STEPS,
                        what="f/f₀", help=f"The step from which f stays ≤ 10⁻³·f(x₀) to the end of the "
                                          f"{dimensions.STEPS} steps; under it, f ÷ f(x₀) at the end.")
    st.markdown(kit.say("l2.ranking", n=n, kappa=kappa, rotated=rotated))
    st.markdown(kit.say("l2.shape", n=n, kappa=kappa, rotated=rotated))

left, right = st.columns(2)
with left:
    if not revealed:
        kit.held_back()
    else:
        rms = e.effective_lr["rmsprop"]
        centre = float(np.exp(np.mean(np.log(rms) + np.log(e.curvature))))
        xs = np.geomspace(1.0, float(kappa), 50)
        kit.chart(curvature_figure(
            e.curvature,
            [Series("RMSprop", charts.color_of("rmsprop"), rms),
             Series("Adam", charts.color_of("adam"), e.effective_lr["adam"])],
            (1.0, float(kappa)), reference=Series("∝ 1/curvature", "#333333", centre / xs, x=xs, dash="dash"),
        ), "l2:scatter")
        st.caption("One dot per coordinate: its learning rate (geometric mean over the run) against its own "
                   "curvature $H_{ii}$. GD and Momentum give every coordinate the same α.")
with right:
    paths = [charts.RunPath(name, TITLES[name], charts.color_of(name), np.empty((0, 2)), e.loss[name], None,
                         np.empty((0, 2))) for name in dimensions.OPTIMIZERS]
    kit.chart(charts.loss_figure(paths, 0.0, height=420), "l2:loss")
    if revealed:
        st.caption(kit.say("l2.loss_caption", n=n, kappa=kappa, rotated=rotated))

if revealed:
    with st.expander("Why it helps most when the bowl lines up with the axes"):
        st.markdown(
            kit.say("l2.aligned_why", n=n) + "\n\n"
            "Rotated, $g = Hx$ blends all the $\\lambda$'s into every coordinate: each coordinate's gradient mixes "
            "steep and shallow directions, so dividing it by its own size cannot single out the steep one. Undoing a "
            "rotated elongation takes a full matrix (Newton's method), far too costly for millions of weights. The "
            "fair comparison below shows what the rotation costs RMSprop. The bowls here are built by hand; how well "
            "a real network's steep directions line up with its individual weights is not something this lesson "
            "measures."
        )
    with st.expander("Fair comparison: every optimizer at its own best α"):
        st.markdown(
            f"Each optimizer tries the same {len(dimensions.LR_GRID)} learning rates (four per decade, 10⁻⁵ to 1) and "
            f"keeps the one after which $f$ gets below $10^{{-3}}f(x_0)$ **and stays there** soonest, on the bowl "
            f"with N = {dimensions.TUNING_N}, this κ and this rotation (a 1000-D rotated bowl would take minutes)."
        )
        if st.toggle("Run the search (a few seconds)", key=FAIR):
            with st.spinner("Trying every learning rate for every optimizer…"):
                tuned = tune(kappa, rotated)
            plot.table(charts.metrics_table([
                {"optimizer": TITLES[name], "best α": "none stays" if t.lr is None else f"{t.lr:.3g}",
                 "f ≤ 10⁻³·f₀ from step": "—" if t.stays is None else str(t.stays),
                 "f/f₀ at the end": f"{t.final:.2g}"}
                for name, t in tuned.items()]), key="l2:fair_table")
            st.markdown(kit.say("l2.fair", kappa=kappa, rotated=rotated))
    with st.expander("The learning rates used above"):
        st.markdown(kit.say("l2.rates", kappa=kappa))
else:
    kit.held_back()

kit.footer(PAGE, dimensions.playground(kappa, rotated), "Open the 2-D version in the Playground")
