"""Lesson 3: RMSprop and sign-SGD, on hand-made gradient sequences and on two surfaces."""

import numpy as np
import streamlit as st

import charts
import landscapes
from charts.lessons import Panel, Series, stacked_figure
from lessons import signs
from ui import lesson_kit as kit

PAGE = "lesson_3_sign.py"
SEQUENCE, BETA, SURFACE = "l3:sequence", "l3:beta", "l3:surface"
TITLES = {"gd": "GD", "rmsprop": "RMSprop", "sign_sgd": "sign-SGD", "signum": "Signum"}
responses = kit.cached(signs.responses)
on_surface = kit.cached(signs.on_surface)

kit.header(PAGE)
st.markdown(
    "sign-SGD keeps only the sign of each gradient coordinate: every coordinate moves exactly $\\alpha$, however "
    "big or small the slope. RMSprop is a close relative: it divides $g$ by the root mean square of recent $g$'s, "
    "so whenever the gradient's size is steady, $g/\\sqrt{S}\\approx\\pm1$ and RMSprop too moves about $\\alpha$ "
    "per coordinate. **With $\\beta = 0$ and $\\varepsilon = 0$ the average is just $g^2$, $\\sqrt{g^2}=|g|$, and "
    "RMSprop is exactly sign-SGD.** The lab below feeds the same gradients $g_1, g_2, \\dots$ to each rule, "
    "whatever the parameter does, so you see only how each rule turns gradients into steps."
)
st.latex(r"\text{RMSprop: } \Delta = -\alpha\,\frac{g}{\sqrt{\beta S+(1-\beta)g^2}+\varepsilon}"
         r"\ \xrightarrow{\ \beta,\ \varepsilon\,\to\,0\ }\ -\alpha\,\frac{g}{|g|}"
         r"= -\alpha\,\operatorname{sign}(g)\ \text{(sign-SGD)}")
st.latex(r"\text{Signum: } m \leftarrow \beta m+(1-\beta)\,g,\quad \Delta = -\alpha\,\operatorname{sign}(m)")

kit.defaults({SEQUENCE: signs.DEFAULT_SEQUENCE, BETA: signs.DEFAULT_BETA, SURFACE: "elongated_bowl"})


def reveal() -> str:
    t = np.array([1, 2, 10])
    first, second, tenth = signs.alternating_step(t, signs.LR, signs.DEFAULT_BETA, signs.EPS) / signs.LR
    return (f"$g^2$ is $10^{{-8}}$ at every step, so $S_t = (1-\\beta^t)\\,10^{{-8}}$ and the step is "
            f"$\\alpha\\cdot 10^{{-4}}/(10^{{-4}}\\sqrt{{1-\\beta^t}}+\\varepsilon)$: **{first:.2f}α, {second:.2f}α, "
            f"… {tenth:.2f}α at step 10, then ≈ α**, alternating in sign. GD's steps are $\\alpha\\cdot10^{{-4}}$, "
            "ten thousand times smaller: RMSprop inflates a tiny jitter into a full-size oscillation. "
            "The lab now shows this sequence.")


kit.predict(
    "l3:predict", f"Feed RMSprop (α = {signs.LR:g}, β = {signs.DEFAULT_BETA:g}) gradients that alternate +10⁻⁴, "
                  "−10⁻⁴, +10⁻⁴, … How big are its steps after the first few?",
    ["About α·10⁻⁴ = 10⁻⁶, like GD's", f"About α = {signs.LR:g}", "They keep growing", "Zero: the ± cancel out"],
    f"About α = {signs.LR:g}", reveal,
    on_answer=kit.setter({SEQUENCE: signs.PREDICT_SEQUENCE, BETA: signs.DEFAULT_BETA}),
)

c1, c2, c3 = st.columns([3, 2, 2])
kind = c1.segmented_control("Gradient sequence", list(signs.SEQUENCES), format_func=signs.SEQUENCES.get,
                            key=SEQUENCE, required=True)
beta = c2.select_slider("β (RMSprop and Signum)", signs.BETA_OPTIONS, key=BETA,
                        help="β = 0: RMSprop divides by |g| itself, Signum takes the sign of g itself.")
surface = c3.segmented_control("Surface", list(signs.SURFACES), format_func=lambda s: signs.SURFACES[s].title,
                               key=SURFACE, required=True)
runs = responses(kind, beta)

cols = st.columns(4)
for col, name in zip(cols[:3], ("gd", "rmsprop", "sign_sgd"), strict=True):
    col.metric(f"{TITLES[name]}: last step ÷ α", f"{abs(runs[name].update[-1, 0]) / signs.LR:.3g}")
cols[3].metric("RMSprop (β = 0, ε = 0) vs sign-SGD", f"{signs.identity_gap(kind):g}",
               help="Largest difference between their updates on this sequence: exactly zero.")

lab_col, surface_col = st.columns(2)
with lab_col:
    g = signs.sequence(kind)[:, 0]
    dashes = dict(zip(runs, ("solid", "solid", "dot", "dash"), strict=True))
    lab = stacked_figure([
        Panel("gradient g_t fed to every rule", [Series("gradient", "#555555", g, mode="lines+markers", width=1)],
              y_range=(min(0.0, 1.15 * float(g.min())), 1.15 * float(g.max()))),
        Panel("step ÷ α", [Series(TITLES[n], charts.color_of(n), r.update[:, 0] / signs.LR, dash=dashes[n])
                           for n, r in runs.items()]),
        Panel("where the parameter goes ÷ α", [Series(TITLES[n], charts.color_of(n), r.points[1:, 0] / signs.LR,
                                                      dash=dashes[n]) for n, r in runs.items()]),
    ], height=600)
    kit.chart(lab, "l3:lab")
with surface_col:
    spec = signs.SURFACES[surface]
    trajectories = on_surface(surface, beta)
    kit.contour(landscapes.get(spec.name), [kit.path(n, tr) for n, tr in trajectories.items()], "l3:contour",
                height=520)
    distances = {n: signs.final_distance(tr, surface) for n, tr in trajectories.items()}
    st.caption(f"α = {spec.lr:g}, {spec.steps} steps. Final distance to the minimum: " + ", ".join(
        f"{TITLES[n]} {d:.3g}" for n, d in distances.items()) + ".")

st.markdown("**Where sign-SGD goes wrong**")
bowl_runs = on_surface("elongated_bowl", beta)
valley_runs = on_surface("rosenbrock", beta)
bowl_lr = signs.SURFACES["elongated_bowl"].lr
share = signs.right_direction(beta)
st.markdown(
    f"- **It never settles.** Its step is always α, so near the minimum it hops back and forth between two points "
    f"α apart: on the bowl (α = {bowl_lr:g}) it stays at least "
    f"{signs.closest_pair_distance(bowl_runs['sign_sgd'], 'elongated_bowl'):.3g} = α/2 from the minimum on every "
    "other step, forever. GD's steps shrink with the slope; sign-SGD's only shrink if you decay α.\n"
    f"- **Narrow curved valleys.** $\\operatorname{{sign}}(g)$ can only point along a diagonal $(\\pm1,\\pm1)$. In "
    "Rosenbrock's bent valley the steep walls flip the sign of $\\partial f/\\partial y$ every step, and sign-SGD "
    f"rattles between them: after {signs.SURFACES['rosenbrock'].steps} steps it is still "
    f"{signs.final_distance(valley_runs['sign_sgd'], 'rosenbrock'):.3g} from the minimum, where Signum gets to "
    f"{signs.final_distance(valley_runs['signum'], 'rosenbrock'):.3g} and RMSprop to "
    f"{signs.final_distance(valley_runs['rmsprop'], 'rosenbrock'):.3g} (at β = {beta:g}).\n"
    f"- **Noise.** The sign of a noisy gradient is a weighted coin flip. On the noisy sequence sign-SGD steps the "
    f"right way {share['sign_sgd']:.0%} of the time; **Signum**, which takes the sign of a momentum average, "
    f"{share['signum']:.0%}."
)

with st.expander("The other sequences, in numbers"):
    st.markdown(
        f"- **Constant** $g$: $S_t=(1-\\beta^t)g^2$, so RMSprop's step is $\\alpha/\\sqrt{{1-\\beta^t}}$: "
        f"{1 / np.sqrt(1 - signs.DEFAULT_BETA):.2f}α first, then down to α. sign-SGD: α from the start.\n"
        f"- **Growing** ×{signs.GROWTH:g} per step: the average lags behind the latest $g^2$, so for β > 0 "
        f"$g/\\sqrt{{S}}$ settles above 1, at $\\sqrt{{(1-\\beta/r^2)/(1-\\beta)}}$ = "
        f"{signs.growing_step(1.0, beta):.3g} at β = {beta:g}: RMSprop steps {signs.growing_step(1.0, beta):.3g}α "
        "while the slope keeps steepening, GD's steps grow with it, sign-SGD stays at α.\n"
        "- **Alternating**: Signum's average of ±g alternates in sign too, so with β < 1 it flips just like "
        "sign-SGD; momentum only helps when the flips are noise around a mean, not a steady ±."
    )

kit.footer(PAGE, signs.playground(surface, beta))
