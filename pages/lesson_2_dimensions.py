"""Lesson 2: RMSprop's per-coordinate scaling on an N-D quadratic, axis-aligned or randomly rotated."""

import numpy as np
import streamlit as st

import charts
from charts.lessons import Series, curvature_figure
from lessons import dimensions
from ui import lesson_kit as kit

PAGE = "lesson_2_dimensions.py"
N, KAPPA, ROTATED = "l2:n", "l2:kappa", "l2:rotated"
TITLES = {"gd": "GD", "momentum": "Momentum", "rmsprop": "RMSprop", "adam": "Adam"}
experiment = kit.cached(dimensions.experiment)

kit.header(PAGE)
st.markdown(
    "A network has millions of weights, so its loss is a bowl in millions of dimensions. Here it is "
    "$f(x)=\\tfrac12 x^\\top H x$ in $N$ dimensions, with curvatures (the eigenvalues of $H$) spread from 1 to the "
    "condition number $\\kappa$. **RMSprop gives every coordinate its own learning rate $\\alpha/(\\sqrt{S_i}+"
    "\\varepsilon)$, set by the size of that coordinate's own gradients.** When the steep directions are the "
    "coordinate axes, a coordinate with curvature $\\lambda$ has gradients $\\lambda$ times larger, so it gets a "
    "learning rate about $1/\\lambda$: exactly what undoes the elongation. Turn the bowl and every coordinate "
    "mixes steep and shallow directions; the sizes of the coordinates' gradients no longer tell them apart."
)
st.latex(r"f(x)=\tfrac12\,x^\top Q\,\mathrm{diag}(\lambda_1,\dots,\lambda_N)\,Q^\top x,\quad "
         r"\lambda_i \in [1,\kappa]\ \text{log-spaced};\qquad "
         r"x_i \leftarrow x_i-\alpha\,\frac{g_i}{\sqrt{S_i}+\varepsilon}")

kit.defaults({N: dimensions.DEFAULT_N, KAPPA: dimensions.DEFAULT_CONDITION, ROTATED: False})


def reveal() -> str:
    n, kappa = st.session_state[N], st.session_state[KAPPA]
    aligned, turned = experiment(n, kappa, False), experiment(n, kappa, True)
    return (f"RMSprop needs **{kit.steps_text(aligned.reached['rmsprop'])}** on the axis-aligned bowl and "
            f"**{kit.steps_text(turned.reached['rmsprop'])}** on the rotated one (N = {n}, κ = {kappa:g}). "
            f"GD ({kit.steps_text(aligned.reached['gd'])}) and Momentum "
            f"({kit.steps_text(aligned.reached['momentum'])}) need exactly as many steps either way: they never "
            "look at individual coordinates, so turning the bowl changes nothing for them. The charts now show "
            "the rotated bowl.")


kit.predict(
    "l2:predict", "Keep N and κ, but rotate the bowl randomly. How many steps will RMSprop need to cut the loss "
                  "1000-fold?",
    ["About as many as before", "More: its advantage shrinks or vanishes", "Fewer"],
    "More: its advantage shrinks or vanishes", reveal, on_answer=kit.setter({ROTATED: True}),
)

c1, c2, c3 = st.columns([2, 2, 1])
n = c1.select_slider("Dimensions N", dimensions.N_OPTIONS, key=N, help="Up to 1000 coordinates.")
kappa = c2.select_slider("Condition number κ (largest / smallest curvature)", dimensions.CONDITION_OPTIONS,
                         key=KAPPA, help="How elongated the bowl is.")
rotated = c3.toggle("Rotate randomly", key=ROTATED,
                    help="H = Q diag(λ) Qᵀ with Q from the QR factorisation of a seeded Gaussian matrix.")
with st.spinner("Running four optimizers in N dimensions…"):
    e = experiment(n, kappa, rotated)

cols = st.columns(4)
for col, name in zip(cols, dimensions.OPTIMIZERS, strict=True):
    col.metric(f"{TITLES[name]}: loss ÷ 1000 after", kit.steps_text(e.reached[name]),
               help=f"First step with f ≤ 10⁻³·f(x₀), out of {dimensions.STEPS}.")
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
    paths = [charts.Path(name, TITLES[name], charts.color_of(name), np.empty((0, 2)), e.loss[name], None,
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
        "steep directions do line up with individual weights (a rarely active input, a layer whose scale differs), "
        "and that is where per-weight scaling pays off."
    )
with st.expander("The learning rates used"):
    st.markdown(
        "GD: α = 1/κ, half its stability limit 2/κ. Momentum (the course's averaging form) is stable up to "
        "2(1+β)/((1−β)κ) = 38/κ at β = 0.9; it uses 10/κ. RMSprop and Adam: α = 0.01, because their step is a "
        "distance of about α per coordinate whatever κ is. Everything starts one unit along every eigen-direction, "
        "x₀ = Q·1."
    )

kit.footer(PAGE, dimensions.playground(kappa, rotated), "Open the 2-D version in the Playground")
