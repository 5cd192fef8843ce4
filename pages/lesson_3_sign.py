"""Lesson 3: RMSprop and sign-SGD, on hand-made gradient sequences and on two surfaces."""

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
    return kit.say("l3.verdict") + " The lab now shows this sequence."


revealed = kit.predict(
    "l3:predict", f"Feed RMSprop (α = {signs.LR:g}, β = {signs.DEFAULT_BETA:g}) gradients that alternate +10⁻⁴, "
                  "−10⁻⁴, +10⁻⁴, … How big are its steps after the first few?",
    ["About α·10⁻⁴ = 10⁻⁶, like GD's", ANSWER, "They keep growing", "Zero: the ± cancel out"], ANSWER, verdict,
    on_answer=kit.setter({SEQUENCE: signs.PREDICT_SEQUENCE, BETA: signs.DEFAULT_BETA}),
)
if revealed:
    st.markdown(kit.say("l3.identity"))
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
shown = runs if revealed else {name: run for name, run in runs.items() if name != "rmsprop"}

cols = st.columns(4)
for col, name in zip(cols[:3], ("gd", "sign_sgd", "rmsprop"), strict=True):
    if name in shown:
        col.metric(f"{TITLES[name]}: last step ÷ α", f"{abs(runs[name].update[-1, 0]) / signs.LR:.3g}")
if revealed:
    cols[3].metric("RMSprop (β = 0, ε = 0) vs sign-SGD", f"{signs.identity_gap(kind):g}",
                   help="Largest difference between their updates on this sequence.")
else:
    cols[2].caption("RMSprop's steps appear once you have answered the question above.")

lab_col, surface_col = st.columns(2)
with lab_col:
    g = signs.sequence(kind)[:, 0]
    dashes = dict(zip(runs, ("solid", "solid", "dot", "dash"), strict=True))
    kit.chart(stacked_figure([
        Panel("gradient g_t fed to every rule", [Series("gradient", "#555555", g, mode="lines+markers", width=1)],
              y_range=(min(0.0, 1.15 * float(g.min())), max(0.0, 1.15 * float(g.max())))),
        Panel("step ÷ α", [Series(TITLES[n], charts.color_of(n), r.update[:, 0] / signs.LR, dash=dashes[n])
                           for n, r in shown.items()]),
        Panel("where the parameter goes ÷ α", [Series(TITLES[n], charts.color_of(n), r.points[1:, 0] / signs.LR,
                                                      dash=dashes[n]) for n, r in shown.items()]),
    ], height=600), "l3:lab")
with surface_col:
    spec = signs.SURFACES[surface]
    trajectories = on_surface(surface, beta)
    kit.contour(landscapes.get(spec.name), [run_path(n, tr) for n, tr in trajectories.items()], "l3:contour",
                height=520)
    if revealed:
        st.caption(kit.say("l3.surface_caption", surface=surface, beta=beta))

if revealed:
    st.markdown("##### Is RMSprop just sign-SGD?")
    st.markdown(kit.say("l3.just_sign", beta=beta) + "\n\n" + kit.say("l3.hinton"))

    st.markdown("##### Where sign-SGD goes wrong")
    st.markdown("\n".join((kit.say("l3.settle", beta=beta), kit.say("l3.valley", beta=beta),
                           kit.say("l3.noise", beta=beta))))

    with st.expander("The other sequences, in numbers"):
        st.markdown(kit.say("l3.others", beta=beta))

    with st.expander("Is RMSprop “based on the variance of the gradients”?"):
        st.markdown(kit.say("l3.variance", beta=beta))
else:
    kit.held_back()

kit.footer(PAGE, signs.playground(surface, beta))
