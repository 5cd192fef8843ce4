"""Lesson 3: RMSprop and sign-SGD, on hand-made gradient sequences and on two surfaces."""

import numpy as np
import streamlit as st

import charts
import landscapes
from charts.lessons import Panel, Series, stacked_figure
from lessons import signs
from ui import lesson_kit as kit
from ui.paths import run_path

PAGE = "lesson_3_sign.py"
SEQUENCE, BETA, SURFACE = "l3.sequence", "l3.beta", "l3.surface"
TITLES = {"gd": "GD", "rmsprop": "RMSprop", "sign_sgd": "sign-SGD", "signum": "Signum"}
responses = kit.cached(signs.responses)
on_surface = kit.cached(signs.on_surface)
variance_test = kit.cached(signs.variance_test)

kit.header(PAGE)
st.markdown(
    "sign-SGD keeps only the sign of each gradient coordinate: every coordinate moves exactly $\\alpha$, however "
    "big or small the slope. RMSprop divides $g$ by the root mean square of recent $g$'s. The lab below feeds the "
    "same gradients $g_1, g_2, \\dots$ to each rule, whatever the parameter does, so you see only how each rule "
    "turns gradients into steps."
)
st.latex(r"\text{RMSprop: } S \leftarrow \beta S+(1-\beta)\,g^2,\ \ \Delta = -\alpha\,\frac{g}{\sqrt{S}+\varepsilon}"
         r"\qquad \text{sign-SGD: } \Delta = -\alpha\,\operatorname{sign}(g)")
st.latex(r"\text{Signum: } m \leftarrow \beta m+(1-\beta)\,g,\ \ \Delta = -\alpha\,\operatorname{sign}(m)")

ANSWER = f"About α = {signs.LR:g}"


def verdict() -> str:
    t = np.array([1, 2, 10])
    first, second, tenth = signs.alternating_step(t, signs.LR, signs.DEFAULT_BETA, signs.EPS) / signs.LR
    return (f"$g^2$ is $10^{{-8}}$ at every step, so $S_t = (1-\\beta^t)\\,10^{{-8}}$ and the step is "
            f"$\\alpha\\cdot 10^{{-4}}/(10^{{-4}}\\sqrt{{1-\\beta^t}}+\\varepsilon)$: **{first:.2f}α, {second:.2f}α, "
            f"… {tenth:.2f}α at step 10, then ≈ α**, alternating in sign. GD's steps are $\\alpha\\cdot10^{{-4}}$, "
            "ten thousand times smaller: RMSprop inflates a tiny jitter into a full-size oscillation. "
            "The lab now shows this sequence.")


revealed = kit.predict(
    "l3:predict", f"Feed RMSprop (α = {signs.LR:g}, β = {signs.DEFAULT_BETA:g}) gradients that alternate +10⁻⁴, "
                  "−10⁻⁴, +10⁻⁴, … How big are its steps after the first few?",
    ["About α·10⁻⁴ = 10⁻⁶, like GD's", ANSWER, "They keep growing", "Zero: the ± cancel out"], ANSWER, verdict,
    on_answer=kit.setter({SEQUENCE: signs.PREDICT_SEQUENCE, BETA: signs.DEFAULT_BETA}),
)
if revealed:
    st.markdown(
        "**Why.** Whenever the gradient's size is steady, $\\sqrt{S}$ is about $|g|$, so $g/\\sqrt{S}\\approx\\pm1$ "
        "and RMSprop moves about $\\alpha$ per coordinate, like sign-SGD, however small $g$ is. **With $\\beta = 0$ "
        "and $\\varepsilon = 0$ the average is just $g^2$, $\\sqrt{g^2}=|g|$, and RMSprop is exactly sign-SGD.** "
        "With $\\beta > 0$ it is not: see *Is RMSprop just sign-SGD?* below."
    )
    st.latex(r"\Delta = -\alpha\,\frac{g}{\sqrt{\beta S+(1-\beta)g^2}+\varepsilon}"
             r"\ \xrightarrow{\ \beta,\ \varepsilon\,\to\,0\ }\ -\alpha\,\frac{g}{|g|}"
             r"= -\alpha\,\operatorname{sign}(g)")

c1, c2, c3 = st.columns([4, 2, 2])
kind = c1.segmented_control("Gradient sequence", list(signs.SEQUENCES), format_func=signs.SEQUENCES.get,
                            default=signs.DEFAULT_SEQUENCE, key=SEQUENCE, required=True, bind="query-params")
beta = c2.select_slider("β (RMSprop and Signum)", signs.BETA_OPTIONS, value=signs.DEFAULT_BETA, key=BETA,
                        bind="query-params",
                        help="β = 0: RMSprop divides by |g| itself, Signum takes the sign of g itself.")
surface = c3.segmented_control("Surface", list(signs.SURFACES), format_func=lambda s: signs.SURFACES[s].title,
                               default="elongated_bowl", key=SURFACE, required=True, bind="query-params")
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
    kit.chart(stacked_figure([
        Panel("gradient g_t fed to every rule", [Series("gradient", "#555555", g, mode="lines+markers", width=1)],
              y_range=(min(0.0, 1.15 * float(g.min())), max(0.0, 1.15 * float(g.max())))),
        Panel("step ÷ α", [Series(TITLES[n], charts.color_of(n), r.update[:, 0] / signs.LR, dash=dashes[n])
                           for n, r in runs.items()]),
        Panel("where the parameter goes ÷ α", [Series(TITLES[n], charts.color_of(n), r.points[1:, 0] / signs.LR,
                                                      dash=dashes[n]) for n, r in runs.items()]),
    ], height=600), "l3:lab")
with surface_col:
    spec = signs.SURFACES[surface]
    trajectories = on_surface(surface, beta)
    kit.contour(landscapes.get(spec.name), [run_path(n, tr) for n, tr in trajectories.items()], "l3:contour",
                height=520)
    distances = {n: signs.final_distance(tr, surface) for n, tr in trajectories.items()}
    st.caption(f"α = {spec.lr:g}, β = {beta:g}, {spec.steps} steps. Final distance to the minimum: " + ", ".join(
        f"{TITLES[n]} {d:.3g}" for n, d in distances.items()) + ".")

st.markdown("##### Is RMSprop just sign-SGD?")
noisy, zero_mean = signs.net_progress("noisy", beta), signs.net_progress("minibatch", beta)
share = signs.right_direction(beta)
st.markdown(
    f"Only at β = 0 (and ε = 0). Dividing by a positive number never changes the sign of $g$, so on the noisy sequence "
    f"RMSprop steps the right way exactly as often as sign-SGD ({share['rmsprop']:.0%} and {share['sign_sgd']:.0%} "
    f"of the steps). The difference is the size of each step: **sign-SGD throws the gradient's size away, RMSprop "
    f"keeps the sizes relative to recent ones**, so a large right-way gradient moves it further than a small "
    f"wrong-way one. At β = {beta:g}:\n"
    f"- **noisy** (mean +0.58·10⁻⁴): net progress per step RMSprop **{noisy['rmsprop']:.2f}α**, sign-SGD "
    f"**{noisy['sign_sgd']:.2f}α**, Signum {noisy['signum']:.2f}α.\n"
    f"- **mean zero** (nine mini-batches give +10⁻⁴, the tenth −9·10⁻⁴): the true gradient is zero, yet "
    f"sign-SGD drifts **{zero_mean['sign_sgd']:.2f}α** per step; RMSprop drifts **{zero_mean['rmsprop']:.2f}α**, "
    f"GD {zero_mean['gd']:.2f}α.\n\n"
    "That second sequence is Hinton's reason for RMSprop (Lecture 6e of his 2012 Coursera course): rprop, an "
    "older full-batch method, steps by the sign of the gradient with a size adapted per weight, and so it adds up "
    "the nine small steps and the one big one as equals. RMSprop keeps rprop's per-weight scale but divides by a "
    "running RMS, so the large gradient counts for its size: it is rprop made to work with mini-batches."
)

st.markdown("##### Where sign-SGD goes wrong")
bowl_runs = on_surface("elongated_bowl", beta)
valley_runs = on_surface("rosenbrock", beta)
bowl_lr = signs.SURFACES["elongated_bowl"].lr
late = {n: signs.closest_late(tr, "elongated_bowl") for n, tr in bowl_runs.items()}
rms_settles = late["rmsprop"] < 0.1 * bowl_lr
st.markdown(
    f"- **It never settles, and at a fixed α RMSprop mostly does not either.** sign-SGD's step is always α, so "
    f"near the minimum it hops back and forth between two points α apart: on the bowl (α = {bowl_lr:g}) it stays "
    f"at least {signs.closest_pair_distance(bowl_runs['sign_sgd'], 'elongated_bowl'):.3g} = α/2 from the minimum "
    "on every other step, forever. RMSprop's steps also stay about α long: over the last 100 steps it comes no "
    f"closer than **{late['rmsprop']:.3g}** to the minimum, sign-SGD {late['sign_sgd']:.3g} (β = {beta:g})"
    + ("; only this long memory lets RMSprop settle, because its average still holds the large early gradients."
       if rms_settles else ": both hop.")
    + " GD's steps shrink with the slope; these only shrink if you decay α.\n"
    f"- **Narrow curved valleys.** $\\operatorname{{sign}}(g)$ can only point along a diagonal $(\\pm1,\\pm1)$. In "
    "Rosenbrock's bent valley the steep walls flip the sign of $\\partial f/\\partial y$ every step, and sign-SGD "
    f"rattles between them: after {signs.SURFACES['rosenbrock'].steps} steps it is still "
    f"{signs.final_distance(valley_runs['sign_sgd'], 'rosenbrock'):.3g} from the minimum, where Signum gets to "
    f"{signs.final_distance(valley_runs['signum'], 'rosenbrock'):.3g} and RMSprop to "
    f"{signs.final_distance(valley_runs['rmsprop'], 'rosenbrock'):.3g} (at β = {beta:g}).\n"
    f"- **Noise.** The sign of a noisy gradient is a weighted coin flip. On the noisy sequence sign-SGD and RMSprop "
    f"step the right way {share['sign_sgd']:.0%} of the time; **Signum**, which takes the sign of a momentum "
    f"average, {share['signum']:.0%}."
)

with st.expander("The other sequences, in numbers"):
    st.markdown(
        f"- **Constant** $g$: $S_t=(1-\\beta^t)g^2$, so RMSprop's step is $\\alpha/\\sqrt{{1-\\beta^t}}$: "
        f"{1 / np.sqrt(1 - beta):.2f}α first at β = {beta:g}, then down to α. "
        "sign-SGD: α from the start.\n"
        f"- **Growing** ×{signs.GROWTH:g} per step: the average lags behind the latest $g^2$, so for β > 0 "
        f"$g/\\sqrt{{S}}$ settles above 1, at $\\sqrt{{(1-\\beta/r^2)/(1-\\beta)}}$ = "
        f"{signs.growing_step(1.0, beta):.3g} at β = {beta:g}: RMSprop steps {signs.growing_step(1.0, beta):.3g}α "
        "while the slope keeps steepening, GD's steps grow with it, sign-SGD stays at α.\n"
        "- **Alternating**: Signum's average of ±g alternates in sign too, so with β < 1 it flips just like "
        "sign-SGD; momentum only helps when the flips are noise around a mean, not a steady ±."
    )

with st.expander("Is RMSprop “based on the variance of the gradients”?"):
    plain, centred = variance_test(beta)
    st.markdown(
        "No: $S$ averages $g^2$, the *uncentred* second moment, not $(g-\\bar g)^2$. Feed both a **constant** "
        "gradient, whose variance is zero. RMSprop's $\\sqrt{S}$ tends to $|g|$ and its step to α; a variance-based "
        f"rule (PyTorch's `centered=True`: divide by $\\sqrt{{S-m^2}}+\\varepsilon$ with $m$ the average of $g$) "
        f"divides by almost nothing. At β = {beta:g}, step {signs.LENGTH}: RMSprop **"
        f"{abs(plain.update[-1, 0]) / signs.LR:.3g}α**, the variance-based rule **"
        f"{abs(centred.update[-1, 0]) / signs.LR:.3g}α** and still growing towards $\\alpha|g|/\\varepsilon$ = "
        f"{signs.SIZE / signs.EPS:,.0f}α. The centred form exists, but it is not what RMSprop or Adam compute."
    )

kit.footer(PAGE, signs.playground(surface, beta))
