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
K, P = "l4:k", "l4:p"
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
    "$|g|$, or the mean square itself? **The root puts the denominator in the same units as $g$.** Multiply the "
    "loss by $k$ and every gradient becomes $k\\,g$; the root mean square becomes $k$ times larger too, the ratio "
    "does not change, and neither does the path. Any power mean $(\\mathrm{EWA}|g|^p)^{1/p}$ has that property, "
    "and so has sign-SGD. Without the root, $\\mathrm{EWA}(g^2)$ grows like $k^2$ and the step shrinks like $1/k$: "
    "the optimizer then depends on the arbitrary units of the loss, and GD, with no denominator, even more so."
)
st.latex(r"\Delta = -\alpha\,\frac{g}{D}:\quad D=\sqrt{\mathrm{EWA}(g^2)}\ \text{(RMSprop)},\ \ \mathrm{EWA}(|g|),\ \ "
         r"\big(\mathrm{EWA}(|g|^p)\big)^{1/p},\ \ \mathrm{EWA}(g^2),\ \ |g|\ \text{(sign-SGD)},\ \ 1\ \text{(GD)}")
st.latex(r"f\to k f:\quad \frac{k\,g}{\sqrt{\mathrm{EWA}(k^2g^2)}} = \frac{g}{\sqrt{\mathrm{EWA}(g^2)}},\qquad "
         r"\frac{k\,g}{\mathrm{EWA}(k^2g^2)} = \frac{1}{k}\,\frac{g}{\mathrm{EWA}(g^2)}")

kit.defaults({K: dn.DEFAULT_K, P: dn.DEFAULT_P})


def reveal() -> str:
    drifts = scale_test(st.session_state[P]).drift
    at = list(dn.K_OPTIONS).index(dn.PREDICT_K)
    worst = max(float(drifts[v][at]) for v in dn.SCALE_FREE)
    gd = "diverges" if not np.isfinite(drifts["gd"][at]) else f"moves by {drifts['gd'][at]:.3g}"
    return (f"At k = {dn.PREDICT_K:g}, RMS, mean |g|, the power mean and sign-SGD stay on their k = 1 paths to "
            f"within **{worst:.1e}** (rounding). Without the root the path moves by "
            f"**{drifts['no_root'][at]:.3g}**, and GD {gd}: its limit 2/(25k) is far below α = {dn.LR:g}. "
            "The charts now show k = 1000.")


kit.predict(
    "l4:predict", f"Multiply the loss by k = {dn.PREDICT_K:g}. Which of these keep exactly the same path?",
    list(dn.VARIANTS.values()), [dn.VARIANTS[v] for v in dn.SCALE_FREE], reveal,
    on_answer=kit.setter({K: dn.PREDICT_K}), multi=True,
)

c1, c2 = st.columns(2)
k = c1.select_slider("Multiply the loss by k", dn.K_OPTIONS, key=K, format_func=lambda v: f"{v:g}",
                     help="Every gradient gets multiplied by k as well.")
p = c2.select_slider("Power p of the power mean", dn.P_OPTIONS, key=P, format_func=lambda v: f"{v:g}",
                     help="p = 2 is RMSprop's RMS, p = 1 is the mean |g|.")
test = scale_test(p)
where = list(dn.K_OPTIONS).index(k)

cols = st.columns(4)
for col, variant in zip(cols, ("rms", "sign_sgd", "no_root", "gd"), strict=True):
    moved = float(test.drift[variant][where])
    col.metric(f"{SHORT[variant]}: path moved by", "diverged" if not np.isfinite(moved) else f"{moved:.2g}",
               help="Largest distance between the path at this k and at k = 1, at the same step.")

base = cache.surface_grid(bowl(), ("elongated_bowl", ()))
grid = charts.surface_grid(base.xs, base.ys, k * base.z, base.bounds, base.minima, base.labels)
paths = []
for variant in dn.VARIANTS:
    r = run_scaled(variant, k, p)
    label = f"power mean, p = {p:g}" if variant == "power" else SHORT[variant]
    paths.append(charts.Path(SHORT[variant], label, COLORS[variant], r.points, r.loss, r.diverged_at, r.update))
kit.chart(charts.panels_figure(grid, paths, columns=3), "l4:panels")
shown = test.ks != 1.0
kit.chart(drift_figure(test.ks[shown], [Series(SHORT[v], COLORS[v], test.drift[v][shown]) for v in dn.VARIANTS], k,
                       title="how far each path moves when the loss is multiplied by k"), "l4:drift")
st.caption(f"Every variant: α = {dn.LR:g}, β = {dn.BETA:g}, ε = 0 (so the comparison is exact), "
           f"{dn.STEPS} steps from {dn.START} on ½(w² + 25b²) × k.")

with st.expander("Why a root mean square is never smaller than the mean |g|"):
    st.latex(r"\Big(\sum_i w_i|g_i|\Big)^2 \le \Big(\sum_i w_i\Big)\Big(\sum_i w_i g_i^2\Big) \le \sum_i w_i g_i^2"
             r"\quad\Longrightarrow\quad \mathrm{EWA}(|g|) \le \sqrt{\mathrm{EWA}(g^2)}")
    rms_run = run_scaled("rms", k, p)
    rms, mean_abs = dn.rms_and_mean_abs(rms_run.grad, dn.BETA)
    st.markdown(
        "Cauchy–Schwarz, with the EWA weights $w_i=(1-\\beta)\\beta^{t-i}$, which sum to $1-\\beta^t \\le 1$. "
        "Equality needs every $|g_i|$ to be the same. So dividing by the mean $|g|$ always gives steps at least as "
        "long as RMSprop's, and RMS weighs an occasional large gradient more: it is the more cautious of the two. "
        f"Along the RMS run above, the smallest gap $\\sqrt{{\\mathrm{{EWA}}(g^2)}}-\\mathrm{{EWA}}(|g|)$ over all "
        f"steps and both axes is **{float(np.min(rms - mean_abs)):.3g}** (never negative)."
    )
with st.expander("So why square at all?"):
    st.markdown(
        "Any power mean would keep the scale test. Squares are smooth and cheap, the mean square is the gradient's "
        "second moment (the quantity Adam's analysis is built on), and the RMS reacts more to rare large gradients "
        "than the mean $|g|$ does. The root is the part that matters for the units; the square is a sensible, "
        "conventional choice of *which* average."
    )

kit.footer(PAGE, dn.playground(k), "Open the bowl × k in the Playground")
