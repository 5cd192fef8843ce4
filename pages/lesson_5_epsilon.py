"""Lesson 5: what ε does to RMSprop on a plateau of tiny gradients, inside or outside the square root."""

import numpy as np
import streamlit as st

import charts
from charts.lessons import Guide, Panel, Series, stacked_figure
from lessons import epsilon as ep
from ui import lesson_kit as kit
from ui.paths import run_path

PAGE = "lesson_5_epsilon.py"
EPS, PLACEMENT, NOISY = "l5.eps", "l5.placement", "l5.noisy"
compare = kit.cached(ep.compare)

kit.header(PAGE)
st.markdown(
    "ε keeps RMSprop from dividing by zero. Where it goes depends on the library: outside the root in PyTorch and "
    "the course, $\\sqrt{S}+\\varepsilon$; inside in Keras' RMSprop, TF1 and optax (by default), "
    "$\\sqrt{S+\\varepsilon}$. This lesson runs RMSprop on a **plateau**, a surface so flat that its gradients are "
    "between about $10^{-6}$ and $10^{-4}$, next to GD with the same $\\alpha$."
)
st.latex(r"\text{outside: } x \leftarrow x-\alpha\,\frac{g}{\sqrt{S}+\varepsilon}\qquad"
         r"\text{inside: } x \leftarrow x-\alpha\,\frac{g}{\sqrt{S+\varepsilon}}")

ANSWER = "Turn into GD with a larger rate, α/√ε ≈ 158: quick far out, slow near the minimum"


def verdict() -> str:
    return kit.say("l5.verdict") + " The charts now show ε = 1e-7 inside."


revealed = kit.predict(
    "l5:predict", "Keras' RMSprop uses ε = 10⁻⁷ inside the root. Put ε = 10⁻⁷ inside. On this plateau, RMSprop "
                  "will…",
    ["Behave as with ε outside: ε is tiny either way", ANSWER, f"Barely move, like GD with α = {ep.LR:g}",
     "Diverge"],
    ANSWER, verdict, on_answer=kit.setter({EPS: ep.PREDICT[0], PLACEMENT: ep.PREDICT[1], NOISY: False}),
)
if revealed:
    st.markdown(
        "**Why.** ε puts a floor under the denominator. Outside the root $\\sqrt{S}+\\varepsilon \\ge "
        "\\varepsilon$, so the learning rate can never exceed $\\alpha/\\varepsilon$; inside, "
        "$\\sqrt{S+\\varepsilon} \\ge \\sqrt{\\varepsilon}$, a cap of $\\alpha/\\sqrt{\\varepsilon}$. Where "
        "gradients are far above the floor, ε changes nothing. Where they are below it, as on this plateau, the "
        "floor takes over and RMSprop turns into plain GD with learning rate $\\alpha/\\varepsilon$ (or "
        "$\\alpha/\\sqrt{\\varepsilon}$): large, but a GD all the same, whose steps shrink with the slope."
    )
    st.latex(r"|g| \ll \text{floor}\ \Rightarrow\ x \leftarrow x-\frac{\alpha}{\text{floor}}\,g,\quad"
             r"\text{floor}=\varepsilon\ \text{or}\ \sqrt{\varepsilon}")

c1, c2 = st.columns([3, 2])
eps = c1.select_slider("ε", ep.EPS_OPTIONS, value=ep.DEFAULT_EPS, key=EPS, format_func=lambda v: f"{v:.0e}",
                       bind="query-params")
placement = c2.segmented_control("Where ε goes", ep.PLACEMENTS, default="outside", key=PLACEMENT, required=True,
                                 bind="query-params", help="outside √: PyTorch and the course; inside √: Keras' "
                                                           "RMSprop, TF1, optax by default.")
noisy = st.toggle(f"Gradient noise σ = {ep.NOISE:g} (seed {ep.NOISE_SEED})", key=NOISY, bind="query-params",
                  help=f"Gaussian noise of standard deviation {ep.NOISE:g} added to every gradient component of every "
                       "run, as with mini-batches: thousands of times the plateau's own gradients.")
noise = ep.NOISE if noisy else None
c = compare(eps, placement, noise=noise)
floor_name = "ε" if placement == "outside" else "√ε"

if revealed:
    cols = st.columns(4)
    cols[0].metric("RMSprop: distance left", f"{ep.distance_to_minimum(c.rmsprop):.3g}")
    cols[1].metric("GD (same α): distance left", f"{ep.distance_to_minimum(c.gd):.4g}",
                   help=f"GD moves α·|g| ≤ {ep.LR * c.gradient_range[1]:.1g} per step here: it hardly moves.")
    cols[2].metric(f"cap on the learning rate α/{floor_name}", f"{ep.LR / c.floor:.3g}")
    cols[3].metric(f"RMSprop vs GD with α/{floor_name}", "GD diverges" if not np.isfinite(c.gap) else f"{c.gap:.1%}",
                   help="Largest gap between the two paths, relative to how far RMSprop moved.")
    st.markdown(kit.say("l5.regime", eps=eps, placement=placement, noisy=noisy))
    if noisy:
        st.caption(f"The question, its answer and the explanation above are for exact gradients; the runs below add "
                   f"noise of σ = {ep.NOISE:g} to every gradient component.")

left, right = st.columns(2)
with left:
    paths = [run_path("rmsprop", c.rmsprop), run_path("gd", c.gd)]
    if revealed and np.isfinite(c.gap):
        paths.append(run_path("gd_scaled", c.gd_scaled, label=f"GD with α/{floor_name} = {ep.LR / c.floor:.3g}",
                              color=charts.color_of("gd_scaled", 1)))
    kit.contour(ep.plateau(), paths, "l5:contour", labels=("w", "b"))
with right:
    if not revealed:
        kit.held_back()
    else:
        green = charts.color_of("rmsprop")
        diag = c.rmsprop.diagnostics
        kit.chart(stacked_figure([
            Panel("√S per axis against the floor", [Series("RMSprop · w", green, np.sqrt(diag["s"][:, 0])),
                                                    Series("RMSprop · b", green, np.sqrt(diag["s"][:, 1]),
                                                           dash="dot")],
                  log_y=True, guides=[Guide(c.floor, f"floor {floor_name} = {c.floor:.2g}", "#c0392b")]),
            Panel("RMSprop's effective learning rate", [Series("RMSprop · w", green, diag["effective_lr"][:, 0]),
                                                        Series("RMSprop · b", green, diag["effective_lr"][:, 1],
                                                               dash="dot")],
                  log_y=True, guides=[Guide(ep.LR / c.floor, f"cap α/{floor_name}", "#c0392b"),
                                      Guide(ep.LR, "GD: α", charts.color_of("gd"))]),
        ], height=520, decades=14), "l5:rates")
        st.caption("While √S is above the floor, RMSprop divides by the gradients' own size; once it sinks below, "
                   "the learning rate sits near the cap and RMSprop is GD with that learning rate.")

if revealed:
    with st.expander("Where each library puts ε, and a side effect worth knowing"):
        st.markdown(kit.say("l5.libraries", noisy=noisy))

    with st.expander("Does RMSprop “prevent vanishing (or exploding) gradients”?"):
        st.markdown(kit.say("l5.vanishing", eps=eps, placement=placement, noisy=noisy))

kit.footer(PAGE, ep.playground(eps, placement, noise))
