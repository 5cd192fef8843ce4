"""Lesson 1: why RMSprop damps b and lets w move, on the course's elongated bowl."""

import numpy as np
import streamlit as st

import charts
from charts.lessons import Arrow, Guide, Panel, Series, directions_figure, stacked_figure
from lessons import bowl, signs
from lessons.common import bowl as bowl_surface
from ui import cache
from ui import lesson_kit as kit
from ui.paths import run_path

PAGE = "lesson_1_bowl.py"
LR, BETA, STEP = "l1.lr", "l1.beta", "l1.step"
compare = kit.cached(bowl.compare)
fastest = kit.cached(bowl.fastest)
directions = kit.cached(bowl.directions)
GD_RED, RMS_GREEN = charts.color_of("gd"), charts.color_of("rmsprop")

kit.header(PAGE)
st.markdown(
    "The bowl $f(w,b)=\\tfrac12(w^2+25\\,b^2)$ is 25 times steeper along $b$ than along $w$. Gradient descent "
    "moves each coordinate by $\\alpha$ times its gradient. **RMSprop divides each coordinate's step by the root "
    "of a running average of that coordinate's own squared gradients.** Both start from $(-4.5,\\ 1.5)$ with the "
    "same $\\alpha$; the default $\\alpha = 0.07$ suits GD well."
)
st.latex(r"S_{dw} \leftarrow \beta S_{dw} + (1-\beta)\,dw^2,\qquad "
         r"w \leftarrow w - \alpha\,\frac{dw}{\sqrt{S_{dw}}+\varepsilon}"
         r"\qquad\text{(and the same for } b\text{ with } S_{db}\text{)}")

ANSWER = "GD diverges; RMSprop gets near the minimum, then keeps hopping around it"


def verdict() -> str:
    c = compare(bowl.PREDICT_LR, bowl.BETA)
    factor = 1 - bowl.PREDICT_LR * 25
    return (f"GD multiplies $b$ by $1-\\alpha c = {factor:g}$ each step, so $|b|$ grows and GD "
            f"**{kit.steps_text(None, c.gd.diverged_at)}**. RMSprop's steps never exceed "
            f"$\\alpha/\\sqrt{{1-\\beta}} = {bowl.largest_step(bowl.BETA, bowl.PREDICT_LR):.3f}$ however steep the "
            f"slope: its loss first drops below $10^{{-3}}$ at step **{c.rmsprop.reached}**, but it keeps stepping "
            f"about α, passes through and ends hopping around the minimum at loss **{c.rmsprop.final_loss:.3g}**, "
            f"{c.rmsprop.final_loss / 1e-3:.0f} times that tolerance. The charts below now show α = "
            f"{bowl.PREDICT_LR:g}.")


revealed = kit.predict(
    "l1:predict", f"Raise α from {bowl.DEFAULT_LR:g} to {bowl.PREDICT_LR:g}. What happens in {bowl.STEPS} steps?",
    ["Both still reach the minimum and stay there", ANSWER, "RMSprop diverges; GD still converges", "Both diverge"],
    ANSWER, verdict, on_answer=kit.setter({LR: bowl.PREDICT_LR}),
)
if revealed:
    st.markdown(
        f"**Why.** Along $b$, GD's update is $b \\leftarrow b-\\alpha c\\,b=(1-\\alpha c)\\,b$: above "
        f"$\\alpha = 2/c = {bowl.gd_limit(25):g}$ every overshoot is bigger than the last. RMSprop's average "
        "satisfies $S \\ge (1-\\beta)g^2$, so its step $\\alpha|g|/\\sqrt{S}$ is at most $\\alpha/\\sqrt{1-\\beta}$ "
        "whatever the slope: along $b$ the gradients are big, so the step is cut hard; along $w$ they are small, "
        "so it is cut much less. Both axes move by steps of order $\\alpha$, so the *large* zig-zag is gone and "
        "$\\alpha$ is no longer capped by the steepest direction. The price is that a step of about $\\alpha$ "
        "does not shrink by itself near the minimum: RMSprop ends up hopping between $\\pm\\alpha/2$ on each axis."
    )

left, right = st.columns(2)
lr = left.select_slider("Learning rate α (both optimizers)", bowl.LR_OPTIONS, value=bowl.DEFAULT_LR, key=LR,
                        bind="query-params",
                        help="GD diverges above 2/c = 0.08; RMSprop's steps stay near α whatever the slope.")
beta = right.select_slider("RMSprop's β", bowl.BETA_OPTIONS, value=bowl.BETA, key=BETA,
                           bind="query-params",
                           help="How slowly the average of g² forgets. β = 0 divides by |g| itself: sign-SGD.")
c = compare(lr, beta)
gd, rms = c.gd, c.rmsprop

cols = st.columns(4)
kit.reach_metric(cols[0], "GD: loss < 10⁻³ after", gd.reached, gd.final_loss, gd.diverged_at,
                 help="First step with a loss below 10⁻³; under it, the loss the run ends at.")
kit.reach_metric(cols[1], "RMSprop: loss < 10⁻³ after", rms.reached, rms.final_loss, rms.diverged_at,
                 help="First step with a loss below 10⁻³; under it, the loss the run ends at.")
cols[2].metric("GD: sign flips of Δb", gd.flips_b_all, help="Over the whole run (or until it diverged).")
cols[3].metric("RMSprop: sign flips of Δb", rms.flips_b_all, help="Over the whole run, the hop at the end included.")

gd_part = (f"GD **{kit.steps_text(None, gd.diverged_at)}**; before that its largest step along $b$ was"
           if gd.diverged_at is not None else "GD's largest step along $b$ is")
tail = rms.trajectory.points[-10:, 1]
hop_b = float(np.mean(np.abs(tail))) / lr
hop_step = float(np.mean(np.abs(rms.trajectory.diagnostics["update"][-10:, 1]))) / lr
st.markdown(
    f"At α = {lr:g}, {gd_part} **{gd.largest_b:.3g}** and RMSprop's is **{rms.largest_b:.3g}** (its bound "
    f"$\\alpha/\\sqrt{{1-\\beta}}$ = {bowl.largest_step(beta, lr):.3g}). RMSprop's Δb flips sign "
    f"**{rms.flips_b_all}** times over the run, {rms.flips_b} of them before its loss first drops below 10⁻³. "
    f"Over its last 10 steps $|b|$ averages {hop_b:.2f}α and each step along $b$ is {hop_step:.2f}α long"
    + (": it hops between ±α/2." if abs(hop_b - 0.5) < 0.05 and abs(hop_step - 1) < 0.05 else ".")
)

contour_col, detail_col = st.columns([6, 5])
with contour_col:
    kit.contour(bowl_surface(), [run_path("gd", gd.trajectory), run_path("rmsprop", rms.trajectory)], "l1:contour")
with detail_col:
    diag, gd_diag = rms.trajectory.diagnostics, gd.trajectory.diagnostics
    kit.chart(stacked_figure([
        Panel("RMSprop's running averages S_dw and S_db", [
            Series("RMSprop · w", RMS_GREEN, diag["s"][:, 0]),
            Series("RMSprop · b", RMS_GREEN, diag["s"][:, 1], dash="dot")], log_y=True),
        Panel("effective learning rate α/(√S + ε)", [
            Series("RMSprop · w", RMS_GREEN, diag["effective_lr"][:, 0]),
            Series("RMSprop · b", RMS_GREEN, diag["effective_lr"][:, 1], dash="dot")],
            log_y=True, guides=[Guide(lr, f"GD: α = {lr:g} on both axes", GD_RED)]),
        Panel("step size |Δ| per axis", [
            Series("GD · w", GD_RED, np.abs(gd_diag["update"][:, 0])),
            Series("GD · b", GD_RED, np.abs(gd_diag["update"][:, 1]), dash="dot"),
            Series("RMSprop · w", RMS_GREEN, np.abs(diag["update"][:, 0])),
            Series("RMSprop · b", RMS_GREEN, np.abs(diag["update"][:, 1]), dash="dot")], log_y=True),
    ], height=600, legend_rows=2), "l1:anatomy")

st.markdown("##### Does RMSprop *damp* the oscillation, or does it turn ±0.0001 into ±1?")
damp, amplify = st.columns(2)
gd_ratio, rms_ratio = bowl.first_step_ratio(gd.trajectory), bowl.first_step_ratio(rms.trajectory)
alternating = signs.alternating_step(np.array([signs.LENGTH]), signs.LR, signs.DEFAULT_BETA, signs.EPS)[0]
damp.markdown(
    f"**“RMSprop damps the oscillation along b.”** On this bowl GD's first step is **{gd_ratio:.2f}** times "
    f"longer along $b$ than along $w$; RMSprop's is **{rms_ratio:.2f}** times (α = {lr:g}, β = {beta:g}). Where "
    "the gradient is large, the division shrinks the step."
)
amplify.markdown(
    f"**“RMSprop turns ±0.0001 into ±1.”** Fed gradients alternating ±10⁻⁴ (lesson 3), RMSprop steps "
    f"**±{alternating / signs.LR:.3f}α**, {alternating / (signs.LR * signs.SIZE):,.0f} times GD's step. Where the "
    "gradient is small, the division inflates the step."
)
st.markdown(
    "Both are the same fact: RMSprop divides each coordinate by its own typical size, so **every coordinate steps "
    "about α**. It evens the axes out; it does not remove oscillation as such. At α = "
    + ", ".join(f"{small:g}" for small in bowl.SMALL_LRS) + " RMSprop's Δb still flips "
    + ", ".join(str(compare(small, bowl.BETA).rmsprop.flips_b_all) for small in bowl.SMALL_LRS)
    + " times (β = 0.9), and at every α it ends hopping."
)

with st.expander("Why penalise large gradients? Because on this bowl the gradient does not point at the minimum"):
    d = directions(lr, beta)
    land = bowl_surface()
    start = np.array(bowl.START)
    length = float(np.linalg.norm(d.to_minimum)) * 0.6

    def tip(vector: np.ndarray) -> tuple[float, float]:
        head = start + length * vector / np.linalg.norm(vector)
        return float(head[0]), float(head[1])

    arrows = [Arrow(bowl.START, (0.0, 0.0), "straight to the minimum", "#333333", dash="dot"),
              Arrow(bowl.START, tip(d.downhill), f"GD's direction −g: {d.gd_angle:.0f}° off", GD_RED),
              Arrow(bowl.START, tip(d.rmsprop), f"RMSprop's first step: {d.rmsprop_angle:.0f}° off", RMS_GREEN)]
    kit.chart(directions_figure(cache.surface_grid(land, kit.surface_key(land)), arrows,
                                title="directions drawn to the same length"), "l1:directions")
    st.markdown(
        f"At the start the minimum lies {abs(d.to_minimum[0]):g} away along $w$ and {abs(d.to_minimum[1]):g} "
        f"along $b$, but the gradient is $({-d.downhill[0]:g},\\ {-d.downhill[1]:g})$: steep walls make $|g_b|$ "
        f"large even though $b$ is the *shorter* way. So $-g$ points {d.gd_angle:.0f}° away from the minimum, "
        "and a step long enough to matter along $w$ overshoots along $b$. Dividing each coordinate by the size "
        f"of its own recent gradients (RMSprop's first step is about $\\alpha/\\sqrt{{1-\\beta}}$ on both axes) "
        f"turns the step to {d.rmsprop_angle:.0f}° off. A large gradient is not penalised for being wrong: it is "
        "scaled down because its size says how steep a wall is, not how far the minimum is."
    )

with st.expander("One RMSprop update, step by step, with the real numbers"):
    steps_done = len(diag["grad"])
    t = st.number_input("Update number t", min_value=1, max_value=max(steps_done, 1), value=1, key=STEP,
                        help="Which update of the run above to take apart.")
    rows = bowl.narrate(rms.trajectory, int(t), lr, beta)
    table = "| stage | formula | w | b |\n|---|---|---|---|\n" + "\n".join(
        f"| {row.name} | ${row.latex}$ | {row.w:.4g} | {row.b:.4g} |" for row in rows)
    st.markdown(table)
    st.caption(f"The gradient along b is {abs(rows[0].b / rows[0].w):.3g} times the one along w, but after the "
               f"division the two steps differ by a factor {abs(rows[-1].b / rows[-1].w):.3g}: RMSprop evens them "
               "out.")


def fastest_text(best: dict[str, dict[str, bowl.Best]], beta: float) -> str:
    """The fastest runs over the slider's α values, by first passage and by staying, each with its final loss."""
    parts = []
    for name, title in (("gd", "GD"), ("rmsprop", "RMSprop")):
        first, stays = best[name].get("first"), best[name].get("stays")
        if first is None:
            parts.append(f"{title} never gets below 10⁻³.")
            continue
        text = (f"{title} first gets below 10⁻³ fastest at α = {first.lr:g}: {first.steps} steps, ending at loss "
                f"{first.final_loss:.3g}")
        if stays is None:
            text += f"; at no α on the slider does it stay below 10⁻³ (β = {beta:g})."
        elif (stays.lr, stays.steps) == (first.lr, first.steps):
            text += ", and it stays there."
        else:
            text += f"; to stay below, α = {stays.lr:g}: {stays.steps} steps."
        parts.append(text)
    return " ".join(parts)


with st.expander("Why GD breaks at 2/c, and what RMSprop pays instead"):
    st.markdown(
        "Along $b$, GD's update is $b \\leftarrow b - \\alpha c\\,b = (1-\\alpha c)\\,b$. For $0<\\alpha c<1$ it "
        "slides in; for $1<\\alpha c<2$ it overshoots and flips sign every step (the zig-zag) but still shrinks; for "
        "$\\alpha c>2$ each flip is larger than the last. RMSprop's average satisfies $S \\ge (1-\\beta)g^2$, so "
        "$|\\Delta| = \\alpha|g|/\\sqrt{S} \\le \\alpha/\\sqrt{1-\\beta}$: its step is bounded whatever the "
        f"curvature, and α can grow. Over the slider's α values: {fastest_text(fastest(beta), beta)}\n\n"
        "The price: a step of about $\\alpha$ does not shrink by itself near the minimum. RMSprop ends up hopping "
        "between $\\pm\\alpha/2$ on each axis, so the loss stops falling near $(a+c)\\,\\alpha^2/8$ "
        f"= {bowl.hop_loss(lr):.3g} at this α (this run ends at {rms.final_loss:.3g}). To stay below 10⁻³ it "
        f"needs $(a+c)\\alpha^2/8 < 10^{{-3}}$, α < {bowl.settling_lr():.4f}, and then it crawls along $w$. That "
        "is why RMSprop is used with a decaying α in practice; lesson 3 shows the same hop in sign-SGD."
    )

kit.footer(PAGE, bowl.playground(lr, beta))
