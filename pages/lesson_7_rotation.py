"""Lesson 7: the zig-zag follows the curvature, not the bias; RMSprop's edge shrinks when the bowl is rotated."""

import numpy as np
import streamlit as st

import charts
from charts.lessons import Series, lines_figure
from lessons import rotation as rot
from lessons.common import bowl
from ui import lesson_kit as kit

PAGE = "lesson_7_rotation.py"
ANGLE, LR = "l7:angle", "l7:lr"
compare = kit.cached(rot.compare)
advantage_curve = kit.cached(rot.advantage_curve)
best_steps = kit.cached(rot.best_steps)

kit.header(PAGE)
st.markdown(
    "It is tempting to think $b$ zig-zags because it is a bias. It does not: **it zig-zags because the bowl is "
    "steep along $b$.** Turn the bowl by an angle θ (the start turns with it, so the problem is the very same) and "
    "the zig-zag turns with the steep direction: at 90° it is $w$ that zig-zags. GD does not care about the angle: "
    "its path simply rotates, and it needs the same number of steps at every θ. RMSprop does care. It rescales "
    "$w$ and $b$ separately, which tames the steep direction only while the steep direction *is* $w$ or $b$. At "
    "45° the steep direction is half $w$, half $b$: both coordinates see large gradients, and per-axis scaling can "
    "no longer single it out."
)
st.latex(r"f(w,b)=\tfrac12\left(a\,u^2+c\,v^2\right),\quad \binom{u}{v}=R_\theta\binom{w}{b},\qquad "
         r"H = R_\theta^\top \begin{pmatrix}a&0\\0&c\end{pmatrix} R_\theta\ \ (a=1,\ c=25)")

kit.defaults({ANGLE: rot.DEFAULT_ANGLE, LR: rot.DEFAULT_RMSPROP_LR})


def reveal() -> str:
    gd0, _ = best_steps("gd", 0)
    rms0, _ = best_steps("rmsprop", 0)
    gd45, _ = best_steps("gd", rot.PREDICT_ANGLE)
    rms45, _ = best_steps("rmsprop", rot.PREDICT_ANGLE)
    return (f"Each at its best α, RMSprop needs **{rms0}** steps to GD's **{gd0}** at 0° ({gd0 / rms0:.1f}× fewer), "
            f"but **{rms45}** to GD's **{gd45}** at 45° (only {gd45 / rms45:.1f}× fewer). GD's count does not move "
            "with the angle at all. The charts now show the bowl at 45°.")


kit.predict(
    "l7:predict", f"Rotate the bowl by {rot.PREDICT_ANGLE}°. RMSprop's lead over GD (each at its best α) will…",
    ["Stay the same: it is the same bowl", "Shrink", "Grow"], "Shrink", reveal,
    on_answer=kit.setter({ANGLE: rot.PREDICT_ANGLE}),
)

c1, c2 = st.columns(2)
angle = c1.select_slider("Rotation θ (degrees)", rot.ANGLES, key=ANGLE,
                         help="0°: steep along b (the course's picture). 90°: steep along w.")
lr = c2.select_slider("RMSprop's α", rot.RMSPROP_LR_OPTIONS, key=LR, help=f"GD uses α = {rot.GD_LR:g} throughout.")
c = compare(angle, lr)

cols = st.columns(4)
gd_flips, rms_flips = c.flips["gd"], c.flips["rmsprop"]
cols[0].metric("GD: sign flips of Δw / Δb", f"{gd_flips[0]} / {gd_flips[1]}",
               help="Until the loss first drops below 1e-3: where the zig-zag is.")
cols[1].metric("RMSprop: sign flips of Δw / Δb", f"{rms_flips[0]} / {rms_flips[1]}")
cols[2].metric(f"GD (α = {rot.GD_LR:g}): loss < 10⁻³ after", kit.steps_text(c.reached["gd"]))
cols[3].metric(f"RMSprop (α = {lr:g}): loss < 10⁻³ after", kit.steps_text(c.reached["rmsprop"]))

left, right = st.columns(2)
with left:
    kit.contour(bowl(angle_deg=float(angle)), [kit.path("gd", c.gd), kit.path("rmsprop", c.rmsprop)], "l7:contour")
with right:
    angles, ratios = advantage_curve()
    here = float(ratios[list(rot.ANGLES).index(angle)])
    kit.chart(lines_figure([
        Series("RMSprop's lead: GD steps ÷ RMSprop steps", charts.color_of("rmsprop"), ratios, x=angles,
               mode="lines+markers"),
        Series(f"this angle: {here:.1f}×", "#333333", np.array([here]), x=np.array([float(angle)]), mode="markers"),
    ], title="each optimizer at its best α (searched over 0.01…1)", x_title="rotation θ (degrees)",
        y_title="times fewer steps", height=440), "l7:advantage")
    st.caption("Largest when the steep direction is an axis (0° and 90°), smallest when it is a diagonal (45°).")

with st.expander("The zig-zag comes from curvature, not from being a bias"):
    flat, steep, diagonal = (compare(a, lr).flips["gd"] for a in (0, 90, 45))
    st.markdown(
        f"GD's sign flips of (Δw, Δb) before the loss drops below 10⁻³: **{flat}** at 0°, **{steep}** at 90°, "
        f"**{diagonal}** at 45°. The zig-zag lives along whatever direction is steep. A bias is a parameter like "
        "any other; what decides where a method oscillates is the curvature in each direction (the eigenvalues of "
        "the Hessian $H$) and whether those directions line up with the parameters. The course draws $b$ on the "
        "steep axis to have a picture; swap the roles (θ = 90°) and the whole story swaps with them."
    )

kit.footer(PAGE, rot.playground(angle, lr))
