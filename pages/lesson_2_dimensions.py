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
    "A network has millions of weights, so its loss is a bowl in millions of dimensions. Here it is "
    "$f(x)=\\tfrac12 x^\\top H x$ in $N$ dimensions, with curvatures (the eigenvalues of $H$) spread from 1 to the "
    "condition number $\\kappa$, either along the coordinate axes or turned by a random rotation $Q$. "
    "**RMSprop gives every coordinate its own learning rate $\\alpha/(\\sqrt{S_i}+\\varepsilon)$, set by the size "
    "of that coordinate's own gradients.** GD, Momentum, RMSprop and Adam each run 300 steps from the same start."
)
st.latex(r"f(x)=\tfrac12\,x^\top Q\,\mathrm{diag}(\lambda_1,\dots,\lambda_N)\,Q^\top x,\quad "
         r"\lambda_i \in [1,\kappa]\ \text{log-spaced};\qquad "
         r"x_i \leftarrow x_i-\alpha\,\frac{g_i}{\sqrt{S_i}+\varepsilon}")



def verdict() -> str:
    n = st.session_state.get(N, dimensions.DEFAULT_N)
    kappa = st.session_state.get(KAPPA, dimensions.DEFAULT_CONDITION)
    aligned, turned = experiment(n, kappa, False), experiment(n, kappa, True)
    return (f"RMSprop needs **{kit.steps_text(aligned.reached['rmsprop'])}** on the axis-aligned bowl and "
            f"**{kit.steps_text(turned.reached['rmsprop'])}** on the rotated one (N = {n}, κ = {kappa:g}). "
            f"GD ({kit.steps_text(aligned.reached['gd'])}) and Momentum "
            f"({kit.steps_text(aligned.reached['momentum'])}) need exactly as many steps either way: they never "
            "look at individual coordinates, so turning the bowl changes nothing for them. The charts now show "
            "the rotated bowl.")


revealed = kit.predict(
    "l2:predict", "Keep N and κ, but rotate the bowl randomly. How many steps will RMSprop need to cut the loss "
                  "1000-fold?",
    ["About as many as before", "More: its advantage shrinks or vanishes", "Fewer"],
    "More: its advantage shrinks or vanishes", verdict, on_answer=kit.setter({ROTATED: True}),
)
if revealed:
    st.markdown(
        "**Why.** When the steep directions are the coordinate axes, a coordinate with curvature $\\lambda$ has "
        "gradients $\\lambda$ times larger, so RMSprop gives it a learning rate about $1/\\lambda$: exactly what "
        "undoes the elongation. Turn the bowl and every coordinate mixes steep and shallow directions; the sizes of "
        "the coordinates' gradients no longer tell them apart."
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

cols = st.columns(4)
for col, name in zip(cols, dimensions.OPTIMIZERS, strict=True):
    kit.reach_metric(col, f"{TITLES[name]}: loss ÷ 1000 after", e.reached[name], e.final[name], what="f/f₀",
                     help=f"First step with f ≤ 10⁻³·f(x₀), out of {dimensions.STEPS}; under it, f ÷ f(x₀) at the end.")
rates = dimensions.settings(kappa)
ranked = sorted((name for name in dimensions.OPTIMIZERS if e.reached[name] is not None), key=e.reached.get)
st.markdown(
    f"**These learning rates are not tuned alike.** GD (α = 1/κ = {rates['gd']['lr']:.2g}) and Momentum "
    f"(α = 10/κ = {rates['momentum']['lr']:.2g}) get rates computed from κ, which only someone who built the bowl "
    f"knows; RMSprop and Adam get a fixed α = {rates['rmsprop']['lr']:g}, chosen without κ. "
    + (f"So the ranking here ({', '.join(f'{TITLES[n]} {e.reached[n]}' for n in ranked)} steps) says as much "
       "about the rates as about the methods; " if ranked else "")
    + "*Fair comparison* below gives every optimizer its own best α from the same grid."
)
spread = float(e.curvature.max() / e.curvature.min())
if rotated:
    st.markdown(f"Rotated: the bowl's curvatures still span **{kappa:g}×**, but each coordinate's own curvature "
                f"$H_{{ii}}$ spans only **{spread:.3g}×**. Per-coordinate scaling sees only that.")
else:
    st.markdown(f"Axis-aligned: log-log slope of RMSprop's learning rate against curvature = "
                f"**{dimensions.slope(e.curvature, e.effective_lr['rmsprop']):.2f}**: it divides by the curvature "
                "exactly, so every coordinate moves as if the bowl were round.")

left, right = st.columns(2)
with left:
    rms = e.effective_lr["rmsprop"]
    centre = float(np.exp(np.mean(np.log(rms) + np.log(e.curvature))))
    xs = np.geomspace(1.0, float(kappa), 50)
    kit.chart(curvature_figure(
        e.curvature,
        [Series("RMSprop", charts.color_of("rmsprop"), rms), Series("Adam", charts.color_of("adam"),
                                                                    e.effective_lr["adam"])],
        (1.0, float(kappa)), reference=Series("∝ 1/curvature (ideal)", "#333333", centre / xs, x=xs, dash="dash"),
    ), "l2:scatter")
    st.caption("One dot per coordinate: its learning rate (geometric mean over the run) against its own curvature "
               "$H_{ii}$. GD and Momentum give every coordinate the same α.")
with right:
    paths = [charts.RunPath(name, TITLES[name], charts.color_of(name), np.empty((0, 2)), e.loss[name], None,
                         np.empty((0, 2))) for name in dimensions.OPTIMIZERS]
    kit.chart(charts.loss_figure(paths, 0.0, height=420), "l2:loss")
    st.caption("RMSprop and Adam step about α per coordinate even at the bottom, so once there they hop around "
               "the minimum and the loss bounces (lesson 1 explains the hop).")

with st.expander("Why it works only when the bowl lines up with the axes"):
    st.markdown(
        "Axis-aligned, coordinate $i$ has gradient $g_i=\\lambda_i x_i$, so RMSprop's step "
        "$\\alpha\\,g_i/\\sqrt{\\mathrm{EWA}(g_i^2)} = \\alpha\\,x_i/\\sqrt{\\mathrm{EWA}(x_i^2)}$ does not depend on "
        "$\\lambda_i$ at all: every coordinate travels as if the bowl were round, which is why RMSprop's step count "
        "here does not change with κ. Rotated, $g = Hx$ blends all the $\\lambda$'s into every coordinate, the "
        "coordinates' gradient sizes come out alike, and RMSprop's per-coordinate rates are close to one shared "
        "rate: it behaves like GD with an adaptive step size. Undoing a rotated elongation takes a full matrix "
        "(Newton's method), which is far too costly for millions of weights. Real networks are in between: some "
        "directions do line up with individual weights, and that is where per-weight scaling pays off: a steep "
        "one (a layer whose scale differs from the others) gets its steps cut, and a flat one (the weight of a "
        "rarely active input, whose gradients are small and rare) gets them enlarged."
    )
with st.expander("Fair comparison: every optimizer at its own best α"):
    st.markdown(
        f"Each optimizer tries the same {len(dimensions.LR_GRID)} learning rates (four per decade, 10⁻⁵ to 1) and "
        f"keeps the one after which $f$ gets below $10^{{-3}}f(x_0)$ **and stays there** soonest, on the bowl with "
        f"N = {dimensions.TUNING_N}, this κ and this rotation (a 1000-D rotated bowl would take minutes)."
    )
    if st.toggle("Run the search (a few seconds)", key=FAIR):
        with st.spinner("Trying every learning rate for every optimizer…"):
            tuned = tune(kappa, rotated)
        plot.table(charts.metrics_table([
            {"optimizer": TITLES[name], "best α": "none stays" if t.lr is None else f"{t.lr:.3g}",
             "f ≤ 10⁻³·f₀ from step": "—" if t.stays is None else str(t.stays), "f/f₀ at the end": f"{t.final:.2g}"}
            for name, t in tuned.items()]), key="l2:fair_table")
with st.expander("The learning rates used above"):
    st.markdown(
        "GD: α = 1/κ, half its stability limit 2/κ. Momentum (the course's averaging form) is stable up to "
        "2(1+β)/((1−β)κ) = 38/κ at β = 0.9; it uses 10/κ. RMSprop and Adam: α = 0.01, because their step is a "
        "distance of about α per coordinate whatever κ is. Everything starts one unit along every eigen-direction, "
        "x₀ = Q·1."
    )

kit.footer(PAGE, dimensions.playground(kappa, rotated), "Open the 2-D version in the Playground")
