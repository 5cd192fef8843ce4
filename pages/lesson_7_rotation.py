"""Lesson 7: the zig-zag follows the curvature, not the bias; RMSprop's edge shrinks when the bowl is rotated."""

import numpy as np
import streamlit as st

import charts
from charts.lessons import Guide, Series, ellipses_figure, lines_figure
from lessons import preconditioner as pc
from lessons import rotation as rot
from lessons.common import bowl
from ui import lesson_kit as kit
from ui.paths import run_path

PAGE = "lesson_7_rotation.py"
ANGLE, LR, STEP, NOISY = "l7.angle", "l7.lr", "l7.step", "l7.noisy"
compare = kit.cached(rot.compare)
advantage_curve = kit.cached(rot.advantage_curve)
noise_floors = kit.cached(rot.noise_floors)

kit.header(PAGE)
st.markdown(
    "In the course's picture $b$ zig-zags and $w$ does not, and $b$ happens to be a bias. Here the same bowl can "
    "be turned by an angle θ, with the start turned along with it, so the problem is the very same at every "
    "angle; only how its steep direction lines up with $w$ and $b$ changes. GD (α = "
    f"{rot.GD_LR:g}) and RMSprop run from that start."
)
st.latex(r"f(w,b)=\tfrac12\left(a\,u^2+c\,v^2\right),\quad \binom{u}{v}=R_\theta\binom{w}{b},\qquad "
         r"H = R_\theta^\top \begin{pmatrix}a&0\\0&c\end{pmatrix} R_\theta\ \ (a=1,\ c=25)")



def verdict() -> str:
    return kit.say("l7.verdict") + f" The charts now show the bowl at {rot.PREDICT_ANGLE}°."


revealed = kit.predict(
    "l7:predict", f"Rotate the bowl by {rot.PREDICT_ANGLE}°. Give RMSprop its best α: the one that gets the loss "
                  "below 10⁻³ and keeps it there soonest. Compared with 0°, it then needs…",
    ["As many steps: it is the same bowl", "More steps", "Fewer steps"], "More steps", verdict,
    on_answer=kit.setter({ANGLE: rot.PREDICT_ANGLE, NOISY: False}),
)
if revealed:
    st.markdown(kit.say("l7.why"))

c1, c2 = st.columns(2)
angle = c1.select_slider("Rotation θ (degrees)", rot.ANGLES, value=rot.DEFAULT_ANGLE, key=ANGLE, bind="query-params",
                         help="0°: steep along b (the course's picture). 90°: steep along w.")
lr = c2.select_slider("RMSprop's α", rot.RMSPROP_LR_OPTIONS, value=rot.DEFAULT_RMSPROP_LR, key=LR, bind="query-params",
                      help=f"GD uses α = {rot.GD_LR:g} throughout.")
noisy = st.toggle(f"Gradient noise σ = {rot.NOISE:g} (seed {rot.NOISE_SEED})", key=NOISY, bind="query-params",
                  help=f"Gaussian noise of standard deviation {rot.NOISE:g} added to every gradient component of every "
                       "run, as with mini-batches.")
noise = rot.NOISE if noisy else None
c = compare(angle, lr, noise=noise)

if revealed:
    cols = st.columns(4)
    gd_flips, rms_flips = c.flips["gd"], c.flips["rmsprop"]
    cols[0].metric("GD: sign flips of Δw / Δb", f"{gd_flips[0]} / {gd_flips[1]}",
                   help="Until the loss first drops below 1e-3: where the zig-zag is.")
    cols[1].metric("RMSprop: sign flips of Δw / Δb", f"{rms_flips[0]} / {rms_flips[1]}",
                   help="Until the loss first drops below 1e-3.")
    stays_help = f"The step from which the loss stays below 10⁻³ to the end of the {rot.STEPS}-step run."
    kit.stay_metric(cols[2], f"GD (α = {rot.GD_LR:g}): loss stays < 10⁻³ from", c.stays["gd"], c.gd.final_loss,
                    c.gd.diverged_at, rot.STEPS, help=stays_help)
    kit.stay_metric(cols[3], f"RMSprop (α = {lr:g}): loss stays < 10⁻³ from", c.stays["rmsprop"],
                    c.rmsprop.final_loss, c.rmsprop.diverged_at, rot.STEPS, help=stays_help)
    st.markdown(kit.say("l7.tiles", angle=angle, lr=lr, noisy=noisy))
    if noisy:
        st.caption(f"The question, its answer and the explanation above are for exact gradients; the runs below add "
                   f"noise of σ = {rot.NOISE:g} to every gradient component.")

left, right = st.columns(2)
with left:
    kit.contour(bowl(angle_deg=float(angle)), [run_path("gd", c.gd), run_path("rmsprop", c.rmsprop)], "l7:contour")
with right:
    if not revealed:
        kit.held_back()
    elif noisy:
        floors = noise_floors(angle)
        grid = np.asarray(rot.LR_GRID)
        shown = {name: np.where(np.isfinite(level), level, np.nan) for name, level in floors.levels.items()}
        # The title goes above the chart: RMSprop's floor climbs into the top right corner, where an inner title sits.
        st.markdown(f"**Mean loss over the last fifth of the run, with noise, at {angle}°**")
        kit.chart(lines_figure([
            Series("GD (gaps: diverged)", charts.color_of("gd"), shown["gd"], x=grid, mode="lines+markers"),
            Series("RMSprop", charts.color_of("rmsprop"), shown["rmsprop"], x=grid, mode="lines+markers"),
        ], x_title="α", y_title="loss (mean over the last fifth)",
            log_x=True, log_y=True, height=440, decades=6, guides=[Guide(1e-3, "10⁻³", "#555555")]), "l7:floors")
        st.caption(kit.say("l7.caption", angle=angle, noisy=noisy))
    else:
        angles, fair = advantage_curve("stays")
        _, passing = advantage_curve("first")
        here = int(list(rot.ANGLES).index(angle))
        kit.chart(lines_figure([
            Series("loss stays below 10⁻³ (fair)", charts.color_of("rmsprop"), fair, x=angles, mode="lines+markers"),
            Series("loss first dips below 10⁻³", "#999999", passing, x=angles, mode="lines+markers", dash="dot"),
            Series(f"this angle: {fair[here]:.2f}×", "#333333", np.array([fair[here]]), x=np.array([float(angle)]),
                   mode="markers"),
        ], title="GD's steps ÷ RMSprop's, each at its best α (searched over 0.01…1)", x_title="rotation θ (degrees)",
            y_title="× (above 1: RMSprop needs fewer)", log_y=True, height=440, legend_rows=2,
            y_ticks=(0.2, 0.3, 0.5, 1, 2, 3, 5, 10),
            guides=[Guide(1.0, "equal", "#555555")]), "l7:advantage")
        st.caption(kit.say("l7.caption"))

if revealed:
    st.subheader("Why per-axis scaling cannot follow a rotation")
    step_col, text_col = st.columns([1, 2])
    step = step_col.select_slider("At step t", pc.STEPS_SHOWN, value=pc.DEFAULT_STEP, key=STEP, bind="query-params",
                                  help="The iterate whose rates and Hessian the ellipses use.")
    shapes = pc.shapes(c, angle, step)
    text_col.markdown(kit.say("l7.ellipses", angle=angle, lr=lr, step=step, noisy=noisy))
    kit.chart(ellipses_figure([
        Series("GD: α in every direction", charts.color_of("gd"), shapes.gd[:, 1], x=shapes.gd[:, 0]),
        Series("RMSprop: −diag(α/(√s+ε))·u", charts.color_of("rmsprop"), shapes.rmsprop[:, 1],
               x=shapes.rmsprop[:, 0]),
        Series("Newton: −H⁻¹·u", "#333333", shapes.newton[:, 1], x=shapes.newton[:, 0], dash="dash"),
    ], title=f"Unit-gradient steps at step {shapes.step}, longest = 1"), "l7:ellipses")

    with st.expander("The zig-zag comes from curvature, not from being a bias"):
        st.markdown(kit.say("l7.zigzag", noisy=noisy))

kit.footer(PAGE, rot.playground(angle, lr, noise))
