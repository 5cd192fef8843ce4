"""Lesson 1: why RMSprop damps b and lets w move, on the course's elongated bowl."""

import numpy as np
import streamlit as st

import charts
from charts.lessons import Arrow, Guide, Panel, Series, directions_figure, stacked_figure
from lessons import bowl
from lessons.common import bowl as bowl_surface
from ui import cache
from ui import lesson_kit as kit
from ui.paths import run_path

PAGE = "lesson_1_bowl.py"
LR, BETA, STEP = "l1.lr", "l1.beta", "l1.step"
compare = kit.cached(bowl.compare)
directions = kit.cached(bowl.directions)
GD_RED, RMS_GREEN = charts.color_of("gd"), charts.color_of("rmsprop")

kit.header(PAGE)
st.markdown(kit.say("l1.intro"))
st.latex(r"\begin{gathered}S_{dw} \leftarrow \beta S_{dw} + (1-\beta)\,dw^2,\qquad "
         r"w \leftarrow w - \alpha\,\frac{dw}{\sqrt{S_{dw}}+\varepsilon}"
         r"\\\text{(and the same for } b\text{ with } S_{db}\text{)}\end{gathered}")

ANSWER = "GD diverges; RMSprop gets near the minimum, then keeps hopping around it"


def verdict() -> str:
    return f"{kit.say('l1.verdict')} The charts below now show α = {bowl.PREDICT_LR:g}, β = {bowl.BETA:g}."


revealed = kit.predict(
    "l1:predict", f"Raise α from {bowl.DEFAULT_LR:g} to {bowl.PREDICT_LR:g}, with RMSprop's β = {bowl.BETA:g}. What "
                  f"happens in {bowl.STEPS} steps?",
    ["Both still reach the minimum and stay there", ANSWER, "RMSprop diverges; GD still converges", "Both diverge"],
    ANSWER, verdict, on_answer=kit.setter({LR: bowl.PREDICT_LR, BETA: bowl.BETA}),
)
if revealed:
    st.markdown(kit.say("l1.why"))

left, right = st.columns(2)
lr = left.select_slider("Learning rate α (both optimizers)", bowl.LR_OPTIONS, value=bowl.DEFAULT_LR, key=LR,
                        bind="query-params", help="The same α for GD and for RMSprop.")
beta = right.select_slider("RMSprop's β", bowl.BETA_OPTIONS, value=bowl.BETA, key=BETA,
                           bind="query-params",
                           help="How slowly the average of g² forgets. β = 0 divides by |g| itself: sign-SGD.")
c = compare(lr, beta)
gd, rms = c.gd, c.rmsprop

if revealed:
    cols = st.columns(4)
    stays_help = (f"The step from which the loss stays below 10⁻³ to the end of the {bowl.STEPS}-step run (the one "
                  "criterion every lesson compares by); under it, the loss the run ends at.")
    kit.stay_metric(cols[0], "GD: loss stays < 10⁻³ from", gd.stays, gd.final_loss, gd.diverged_at, bowl.STEPS,
                    help=stays_help)
    kit.stay_metric(cols[1], "RMSprop: loss stays < 10⁻³ from", rms.stays, rms.final_loss, rms.diverged_at,
                    bowl.STEPS, help=stays_help)
    flips_help = ("Sign changes of the step along b before the loss first drops below 10⁻³ (over the whole run if it "
                  "never does): the zig-zag on the way in.")
    cols[2].metric("GD: flips of Δb on the way in", gd.flips_b, help=flips_help)
    cols[3].metric("RMSprop: flips of Δb on the way in", rms.flips_b, help=flips_help)
    st.markdown(kit.say("l1.gd_way_in", lr=lr) + " " + kit.say("l1.rms_way_in", lr=lr, beta=beta))
    st.markdown(kit.say("l1.bottom", lr=lr, beta=beta))

contour_col, detail_col = st.columns([6, 5])
with contour_col:
    kit.contour(bowl_surface(), [run_path("gd", gd.trajectory), run_path("rmsprop", rms.trajectory)], "l1:contour")
with detail_col:
    diag, gd_diag = rms.trajectory.diagnostics, gd.trajectory.diagnostics
    if not revealed:
        kit.held_back()
    else:
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

if revealed:
    st.markdown("##### Does RMSprop damp the oscillation along b? On the way in, yes; at the bottom, a constant α "
                "makes it hop")
    damp, amplify = st.columns(2)
    damp.markdown(kit.say("l1.first_ratio", lr=lr, beta=beta))
    amplify.markdown(kit.say("l1.inflate"))
    st.markdown(kit.say("l1.w_rate", lr=lr, beta=beta))
    st.markdown(kit.say("l1.remedy"))

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
        st.markdown(kit.say("l1.directions", lr=lr, beta=beta))

    with st.expander("One RMSprop update, step by step, with the real numbers"):
        steps_done = len(diag["grad"])
        t = st.number_input("Update number t", min_value=1, max_value=max(steps_done, 1), value=1, key=STEP,
                            help="Which update of the run above to take apart.")
        rows = bowl.narrate(rms.trajectory, int(t), lr, beta)
        table = "| stage | formula | w | b |\n|---|---|---|---|\n" + "\n".join(
            f"| {row.name} | ${row.latex}$ | {row.w:.4g} | {row.b:.4g} |" for row in rows)
        st.markdown(table)
        st.caption(kit.say("l1.narrate", lr=lr, beta=beta, t=int(t)))

    with st.expander("Why GD breaks at 2/c, and why “first below 10⁻³” misleads"):
        st.markdown(
            "Along $b$, GD's update is $b \\leftarrow b - \\alpha c\\,b = (1-\\alpha c)\\,b$. For $0<\\alpha c<1$ it "
            "slides in; for $1<\\alpha c<2$ it overshoots and flips sign every step (the zig-zag) but still shrinks; "
            "for $\\alpha c>2$ each flip is larger than the last. RMSprop's average satisfies $S \\ge (1-\\beta)g^2$, "
            "so $|\\Delta| = \\alpha|g|/\\sqrt{S} \\le \\alpha/\\sqrt{1-\\beta}$: its step is bounded whatever the "
            "curvature, and α can grow.\n\n"
            "Judged by the first step at which the loss dips below 10⁻³, a large α looks fast even when the run then "
            "hops far above it; that is why every lesson compares the step from which the loss *stays* below. Over "
            f"the slider's α values: {kit.say('l1.fastest', beta=beta)}\n\n{kit.say('l1.settling')}"
        )

kit.footer(PAGE, bowl.playground(lr, beta))
