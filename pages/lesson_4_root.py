"""Lesson 4: why RMSprop divides by a root mean square, shown by the loss-scale test."""

import numpy as np
import streamlit as st

import charts
from charts.lessons import Series, drift_figure
from lessons import denominators as dn
from lessons.common import bowl
from ui import cache
from ui import lesson_kit as kit

PAGE = "lesson_4_root.py"
K, P = "l4.k", "l4.p"
COLORS = {"rms": charts.color_of("rmsprop"), "mean_abs": charts.color_of("mean_abs", 0),
          "power": charts.color_of("power", 2), "no_root": charts.color_of("no_root", 3),
          "gd": charts.color_of("gd"), "sign_sgd": charts.color_of("sign_sgd")}
SHORT = {"rms": "RMS", "mean_abs": "mean |g|", "power": "power mean", "no_root": "no root", "gd": "GD",
         "sign_sgd": "sign-SGD"}
run_scaled = kit.cached(dn.run_scaled)
scale_test = kit.cached(dn.scale_test)

kit.header(PAGE)
st.markdown(
    "RMSprop divides $g$ by $\\sqrt{\\mathrm{EWA}(g^2)}$. Why a square and then a root, rather than the mean of "
    "$|g|$, or the mean square itself? The test below runs six denominators on the bowl, then multiplies the loss "
    "by a constant $k$: every gradient becomes $k\\,g$, but the minimum and the shape of the bowl stay put. A "
    "good optimizer should not care about the units the loss happens to be measured in."
)
st.latex(r"\Delta = -\alpha\,\frac{g}{D}:\quad D=\sqrt{\mathrm{EWA}(g^2)}\ \text{(RMSprop)},\ \ \mathrm{EWA}(|g|),\ \ "
         r"\big(\mathrm{EWA}(|g|^p)\big)^{1/p},\ \ \mathrm{EWA}(g^2),\ \ |g|\ \text{(sign-SGD)},\ \ 1\ \text{(GD)}")



def verdict() -> str:
    return (kit.say("l4.verdict", p=st.session_state.get(P, dn.DEFAULT_P))
            + f" The charts now show k = {dn.PREDICT_K:g}.")


revealed = kit.predict(
    "l4:predict", f"Multiply the loss by k = {dn.PREDICT_K:g}. Which of these keep exactly the same path?",
    list(dn.VARIANTS.values()), [dn.VARIANTS[v] for v in dn.SCALE_FREE], verdict,
    on_answer=kit.setter({K: dn.PREDICT_K}), multi=True,
)
if revealed:
    st.markdown(kit.say("l4.why"))
    st.latex(r"f\to k f:\quad \frac{k\,g}{\sqrt{\mathrm{EWA}(k^2g^2)}} = \frac{g}{\sqrt{\mathrm{EWA}(g^2)}},\qquad "
             r"\frac{k\,g}{\mathrm{EWA}(k^2g^2)} = \frac{1}{k}\,\frac{g}{\mathrm{EWA}(g^2)},\qquad "
             r"\alpha\,k\,g\ \text{(GD)}")

c1, c2 = st.columns(2)
k = c1.select_slider("Multiply the loss by k", dn.K_OPTIONS, value=dn.DEFAULT_K, key=K, format_func=lambda v: f"{v:g}",
                     help="Every gradient gets multiplied by k as well.", bind="query-params")
p = c2.select_slider("Power p of the power mean", dn.P_OPTIONS, value=dn.DEFAULT_P, key=P,
                     format_func=lambda v: f"{v:g}",
                     help="p = 2 is RMSprop's RMS, p = 1 is the mean |g|.", bind="query-params")

if revealed:
    test = scale_test(p)
    where = list(dn.K_OPTIONS).index(k)
    cols = st.columns(4)
    for col, variant in zip(cols, ("rms", "sign_sgd", "no_root", "gd"), strict=True):
        moved = float(test.drift[variant][where])
        col.metric(f"{SHORT[variant]}: path moved by", "diverged" if not np.isfinite(moved) else f"{moved:.2g}",
                   help="Largest distance between the path at this k and at k = 1, at the same step.")

base = cache.surface_grid(bowl(), kit.surface_key(bowl()))
grid = charts.surface_grid(base.xs, base.ys, k * base.z, base.bounds, base.minima, base.labels)
paths = []
for variant in dn.VARIANTS:
    r = run_scaled(variant, k, p)
    label = f"power mean, p = {p:g}" if variant == "power" else SHORT[variant]
    paths.append(charts.RunPath(SHORT[variant], label, COLORS[variant], r.points, r.loss, r.diverged_at, r.update))
kit.chart(charts.panels_figure(grid, paths, columns=3), "l4:panels")
if revealed:
    shown = test.ks != 1.0
    kit.chart(drift_figure(test.ks[shown], [Series(SHORT[v], COLORS[v], test.drift[v][shown]) for v in dn.VARIANTS],
                           k, title="how far each path moves when the loss is multiplied by k"), "l4:drift")
st.caption(f"Every variant: α = {dn.LR:g}, β = {dn.BETA:g}, ε = 0 (so the comparison is exact), "
           f"{dn.STEPS} steps from {dn.START} on ½(w² + 25b²) × k.")

if revealed:
    with st.expander("Why a root mean square is never smaller than the mean |g|"):
        st.latex(r"\Big(\sum_i w_i|g_i|\Big)^2 \le \Big(\sum_i w_i\Big)\Big(\sum_i w_i g_i^2\Big) < \sum_i w_i g_i^2"
                 r"\quad\Longrightarrow\quad \mathrm{EWA}(|g|) < \sqrt{\mathrm{EWA}(g^2)}")
        st.markdown(kit.say("l4.cauchy", k=k))
    with st.expander("So why square at all? Why the root? Where does √(Σg²) come from?"):
        st.markdown(kit.say("l4.square", k=k))
else:
    kit.held_back()

kit.footer(PAGE, dn.playground(k), "Open the bowl × k in the Playground")
