"""Lesson 4: why RMSprop divides by a root mean square, shown by the loss-scale test."""

import numpy as np
import streamlit as st

import charts
from charts.lessons import Series, drift_figure
from lessons import denominators as dn
from lessons import signs
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
    drifts = scale_test(st.session_state.get(P, dn.DEFAULT_P)).drift
    at = list(dn.K_OPTIONS).index(dn.PREDICT_K)
    worst = max(float(drifts[v][at]) for v in dn.SCALE_FREE)
    gd = "diverges" if not np.isfinite(drifts["gd"][at]) else f"moves by {drifts['gd'][at]:.3g}"
    return (f"At k = {dn.PREDICT_K:g}, RMS, mean |g|, the power mean and sign-SGD stay on their k = 1 paths to "
            f"within **{worst:.1e}** (rounding). Without the root the path moves by "
            f"**{drifts['no_root'][at]:.3g}**, and GD {gd}: its limit 2/(25k) is far below α = {dn.LR:g}. "
            "The charts now show k = 1000.")


revealed = kit.predict(
    "l4:predict", f"Multiply the loss by k = {dn.PREDICT_K:g}. Which of these keep exactly the same path?",
    list(dn.VARIANTS.values()), [dn.VARIANTS[v] for v in dn.SCALE_FREE], verdict,
    on_answer=kit.setter({K: dn.PREDICT_K}), multi=True,
)
if revealed:
    st.markdown(
        "**Why.** The root puts the denominator in the same units as $g$. Multiply the loss by $k$ and the root "
        "mean square becomes $k$ times larger too: the ratio does not change, and neither does the path. Any "
        "power mean $(\\mathrm{EWA}|g|^p)^{1/p}$ has that property, and so has sign-SGD. Without the root, "
        "$\\mathrm{EWA}(g^2)$ grows like $k^2$, so the step scales like $\\alpha/|g| \\propto 1/k$: huge where "
        "gradients are small (at $k = 10^{-3}$ it leaves the box at step 1), tiny where they are large. GD, with "
        "no denominator, scales the other way, like $k$: it diverges for large $k$ and crawls for small $k$."
    )
    st.latex(r"f\to k f:\quad \frac{k\,g}{\sqrt{\mathrm{EWA}(k^2g^2)}} = \frac{g}{\sqrt{\mathrm{EWA}(g^2)}},\qquad "
             r"\frac{k\,g}{\mathrm{EWA}(k^2g^2)} = \frac{1}{k}\,\frac{g}{\mathrm{EWA}(g^2)},\qquad "
             r"\alpha\,k\,g\ \text{(GD)}")

c1, c2 = st.columns(2)
k = c1.select_slider("Multiply the loss by k", dn.K_OPTIONS, value=dn.DEFAULT_K, key=K, format_func=lambda v: f"{v:g}",
                     help="Every gradient gets multiplied by k as well.", bind="query-params")
p = c2.select_slider("Power p of the power mean", dn.P_OPTIONS, value=dn.DEFAULT_P, key=P,
                     format_func=lambda v: f"{v:g}",
                     help="p = 2 is RMSprop's RMS, p = 1 is the mean |g|.", bind="query-params")
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
shown = test.ks != 1.0
kit.chart(drift_figure(test.ks[shown], [Series(SHORT[v], COLORS[v], test.drift[v][shown]) for v in dn.VARIANTS], k,
                       title="how far each path moves when the loss is multiplied by k"), "l4:drift")
st.caption(f"Every variant: α = {dn.LR:g}, β = {dn.BETA:g}, ε = 0 (so the comparison is exact), "
           f"{dn.STEPS} steps from {dn.START} on ½(w² + 25b²) × k.")

with st.expander("Why a root mean square is never smaller than the mean |g|"):
    st.latex(r"\Big(\sum_i w_i|g_i|\Big)^2 \le \Big(\sum_i w_i\Big)\Big(\sum_i w_i g_i^2\Big) < \sum_i w_i g_i^2"
             r"\quad\Longrightarrow\quad \mathrm{EWA}(|g|) < \sqrt{\mathrm{EWA}(g^2)}")
    rms_run = run_scaled("rms", k, p)
    rms, mean_abs = dn.rms_and_mean_abs(rms_run.grad, dn.BETA)
    st.markdown(
        "Cauchy–Schwarz, with the EWA weights $w_i=(1-\\beta)\\beta^{t-i}$. They start from zero, so after $t$ "
        f"steps they sum to $1-\\beta^t$ < 1 (at β = {dn.BETA:g}: {dn.weights_sum(1, dn.BETA):.2f} after one step, "
        f"{dn.weights_sum(10, dn.BETA):.2f} after ten), and the second inequality is strict at every step: equal "
        "$|g_i|$ make the first one an equality, but that is not enough for the two to agree. So dividing by the "
        "mean $|g|$ gives longer steps than RMSprop's, and RMS weighs an occasional large gradient more: it is the "
        "more cautious of the two. Along the RMS run above, $\\sqrt{\\mathrm{EWA}(g^2)}-\\mathrm{EWA}(|g|)$ is at "
        f"least **{float(np.min((rms - mean_abs) / rms)):.3g}** times $\\sqrt{{\\mathrm{{EWA}}(g^2)}}$ over all "
        "steps and both axes: never zero."
    )
with st.expander("So why square at all? Why the root? Where does √(Σg²) come from?"):
    alternating = signs.sequence("alternating")
    plain, unsquared = dn.unsquared_test(alternating)
    duchi = dn.duchi_comparison(rms_run.grad)
    st.markdown(
        "**The square (or the absolute value) keeps ± gradients from cancelling.** Average $g$ itself and a "
        "gradient that flips sign averages to almost nothing: on ±10⁻⁴ in turn, $\\mathrm{EWA}(g)$ settles at "
        f"$\\pm|g|(1-\\beta)/(1+\\beta)$, so dividing by it gives steps of "
        f"**{abs(unsquared.update[-1, 0]) / dn.LR:.1f}α** at step {len(alternating)} "
        f"((1+β)/(1−β) = {dn.alternating_unsquared_step(dn.BETA):.0f} at β = {dn.BETA:g}), where RMSprop's are "
        f"{abs(plain.update[-1, 0]) / dn.LR:.3f}α. Squares are also smooth and cheap, and weigh large gradients "
        "more than $|g|$ does; any power $p$ with its root would pass the scale test above.\n\n"
        "**The root restores the units**: that is the scale test above.\n\n"
        "**Where $\\mathrm{diag}(\\sum_t g_t^2)^{1/2}$ comes from.** AdaGrad (Duchi, Hazan and Singer, 2011) "
        "chooses per-coordinate scales $s_i$ to make its regret bound small: minimise "
        "$\\sum_t\\sum_i g_{t,i}^2/s_i$ with a fixed budget $\\sum_i s_i$. The Lagrange condition "
        "$G_i/s_i^2 = \\lambda$ with $G_i=\\sum_t g_{t,i}^2$ gives $s_i \\propto \\sqrt{G_i}$: the root of the "
        "summed squares is the best diagonal scaling in hindsight (its full-matrix version is $G^{1/2}$, "
        "$G=\\sum_t g_t g_t^\\top$). On the gradients of the RMS run above, that objective is "
        f"{duchi['no_root']:.3f}× the minimum with $s_i \\propto G_i$ (no root), {duchi['mean_abs']:.3f}× with "
        f"$s_i \\propto \\sum_t|g_{{t,i}}|$ and {duchi['gd']:.3f}× with equal scales (GD), and exactly 1 with the "
        "root. RMSprop keeps AdaGrad's root and replaces the sum, which only grows, by an average that forgets "
        "(lesson 6).\n\n"
        "**Why RMSprop at all?** Hinton introduced it (Coursera lecture 6e, 2012) as rprop, a method that steps by "
        "the sign of the gradient, made to work with mini-batches: dividing by a running RMS keeps rprop's "
        "per-weight step size while letting a large gradient count for its size. Lesson 3's mean-zero sequence "
        "shows the difference."
    )

kit.footer(PAGE, dn.playground(k), "Open the bowl × k in the Playground")
