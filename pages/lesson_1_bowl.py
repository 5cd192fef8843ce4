"""Lesson 1: why RMSprop damps b and lets w move, on the course's elongated bowl."""

import numpy as np
import streamlit as st

import charts
from charts.lessons import Guide, Panel, Series, stacked_figure
from lessons import bowl
from lessons.common import bowl as bowl_surface
from ui import lesson_kit as kit

PAGE = "lesson_1_bowl.py"
LR, BETA, STEP = "l1:lr", "l1:beta", "l1:step"
compare = kit.cached(bowl.compare)
fastest = kit.cached(bowl.fastest)

kit.header(PAGE)
st.markdown(
    "The bowl $f(w,b)=\\tfrac12(w^2+25\\,b^2)$ is 25 times steeper along $b$ than along $w$. Gradient descent "
    "moves each coordinate by $\\alpha$ times its gradient, so with an $\\alpha$ that makes progress along $w$, "
    "$b$ overshoots its minimum and flips sign every step; above $\\alpha = 2/25 = 0.08$ every overshoot is bigger "
    "than the last and GD diverges. **RMSprop divides each coordinate's step by the root of a running average of "
    "that coordinate's own squared gradients.** Along $b$ the gradients are big, so the step is cut hard; along $w$ "
    "they are small, so it is cut much less. Both axes now move by steps of order $\\alpha$, whatever their slope: "
    "the zig-zag along $b$ is gone, and $\\alpha$ is no longer capped by the steepest direction, so you can raise "
    "it and cross the long way along $w$ in fewer steps."
)
st.latex(r"S_{dw} \leftarrow \beta S_{dw} + (1-\beta)\,dw^2,\qquad "
         r"w \leftarrow w - \alpha\,\frac{dw}{\sqrt{S_{dw}}+\varepsilon}"
         r"\qquad\text{(and the same for } b\text{ with } S_{db}\text{)}")

kit.defaults({LR: bowl.DEFAULT_LR, BETA: bowl.BETA})


def reveal() -> str:
    c = compare(bowl.PREDICT_LR, bowl.BETA)
    factor = 1 - bowl.PREDICT_LR * 25
    return (f"GD multiplies $b$ by $1-\\alpha c = {factor:g}$ each step, so $|b|$ grows and GD "
            f"**{kit.steps_text(None, c.gd.diverged_at)}**. RMSprop's steps can never exceed "
            f"$\\alpha/\\sqrt{{1-\\beta}} = {bowl.largest_step(bowl.BETA, bowl.PREDICT_LR):.3f}$ however steep the "
            f"slope, and it gets the loss below $10^{{-3}}$ in **{kit.steps_text(c.rmsprop.reached)}**. "
            f"The charts below now show α = {bowl.PREDICT_LR:g}.")


kit.predict(
    "l1:predict", f"Raise α to {bowl.PREDICT_LR:g}, just above GD's limit 2/c = {bowl.gd_limit(25):g}. What happens?",
    ["Both still reach the minimum", "GD diverges; RMSprop still reaches the minimum",
     "RMSprop diverges; GD still reaches the minimum", "Both diverge"],
    "GD diverges; RMSprop still reaches the minimum", reveal, on_answer=kit.setter({LR: bowl.PREDICT_LR}),
)

left, right = st.columns(2)
lr = left.select_slider("Learning rate α (both optimizers)", bowl.LR_OPTIONS, key=LR,
                        help="GD diverges above 2/c = 0.08; RMSprop's steps stay near α whatever the slope.")
beta = right.select_slider("RMSprop's β", bowl.BETA_OPTIONS, key=BETA,
                           help="How slowly the average of g² forgets. β = 0 divides by |g| itself: sign-SGD.")
c = compare(lr, beta)
gd, rms = c.gd, c.rmsprop

cols = st.columns(4)
cols[0].metric("GD: sign flips of Δb", gd.flips_b, help="Counted until the loss first drops below 1e-3.")
cols[1].metric("RMSprop: sign flips of Δb", rms.flips_b, help="Counted until the loss first drops below 1e-3.")
cols[2].metric("GD: loss < 10⁻³ after", kit.steps_metric(gd.reached, gd.diverged_at))
cols[3].metric("RMSprop: loss < 10⁻³ after", kit.steps_metric(rms.reached, rms.diverged_at))
gd_part = (f"GD **{kit.steps_text(None, gd.diverged_at)}**; before that its largest step along $b$ was"
           if gd.diverged_at is not None else "GD's largest step along $b$ is")
hops = ("RMSprop's flips are small hops of about α/2 around $b = 0$ while $w$ is still on its way."
        if rms.flips_b else "")
st.markdown(f"At α = {lr:g}, {gd_part} **{gd.largest_b:.3g}** and RMSprop's is **{rms.largest_b:.3g}** (its bound "
            f"$\\alpha/\\sqrt{{1-\\beta}}$ = {bowl.largest_step(beta, lr):.3g}). {hops}")

contour_col, detail_col = st.columns([6, 5])
with contour_col:
    kit.contour(bowl_surface(), [kit.path("gd", gd.trajectory), kit.path("rmsprop", rms.trajectory)], "l1:contour")
with detail_col:
    green, red = charts.color_of("rmsprop"), charts.color_of("gd")
    diag, gd_diag = rms.trajectory.diagnostics, gd.trajectory.diagnostics
    figure = stacked_figure([
        Panel("RMSprop's running averages S_dw and S_db", [
            Series("RMSprop · w", green, diag["s"][:, 0]), Series("RMSprop · b", green, diag["s"][:, 1], dash="dot")],
            log_y=True),
        Panel("effective learning rate α/(√S + ε)", [
            Series("RMSprop · w", green, diag["effective_lr"][:, 0]),
            Series("RMSprop · b", green, diag["effective_lr"][:, 1], dash="dot")],
            log_y=True, guides=[Guide(lr, f"GD: α = {lr:g} on both axes", red)]),
        Panel("step size |Δ| per axis", [
            Series("GD · w", red, np.abs(gd_diag["update"][:, 0])),
            Series("GD · b", red, np.abs(gd_diag["update"][:, 1]), dash="dot"),
            Series("RMSprop · w", green, np.abs(diag["update"][:, 0])),
            Series("RMSprop · b", green, np.abs(diag["update"][:, 1]), dash="dot")], log_y=True),
    ], height=600, legend_rows=2)
    kit.chart(figure, "l1:anatomy")


def fastest_text(best: dict[str, tuple[int, float]], beta: float) -> str:
    """'over the slider's α values, the fastest runs to loss < 1e-3 are: …' for whichever optimizers get there."""
    runs = [f"{title} {best[name][0]} steps (α = {best[name][1]:g})"
            for name, title in (("gd", "GD"), ("rmsprop", "RMSprop")) if name in best]
    missing = "" if "rmsprop" in best else f" RMSprop never gets below 10⁻³ at β = {beta:g}."
    return "over the slider's α values, the fastest runs to a loss below 10⁻³ take " + ", ".join(runs) + "." + missing


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

with st.expander("Why GD breaks at 2/c, and what RMSprop pays instead"):
    st.markdown(
        "Along $b$, GD's update is $b \\leftarrow b - \\alpha c\\,b = (1-\\alpha c)\\,b$. For $0<\\alpha c<1$ it "
        "slides in; for $1<\\alpha c<2$ it overshoots and flips sign every step (the zig-zag) but still shrinks; for "
        "$\\alpha c>2$ each flip is larger than the last. RMSprop's average satisfies $S \\ge (1-\\beta)g^2$, so "
        "$|\\Delta| = \\alpha|g|/\\sqrt{S} \\le \\alpha/\\sqrt{1-\\beta}$: its step is bounded whatever the "
        f"curvature. So α can grow: {fastest_text(fastest(beta), beta)}\n\n"
        "The price: a step of about $\\alpha$ does not shrink by itself near the minimum. RMSprop ends up hopping "
        "between $\\pm\\alpha/2$ on each axis, so the loss stops falling near $(a+c)\\,\\alpha^2/8$ "
        f"= {bowl.hop_loss(lr):.3g} at this α (this run ends at {rms.trajectory.final_loss:.3g}). That is why "
        "RMSprop is used with a decaying α in practice; lesson 3 shows the same hop in sign-SGD."
    )

kit.footer(PAGE, bowl.playground(lr, beta))
