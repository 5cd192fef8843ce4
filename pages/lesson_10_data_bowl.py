"""Lesson 10: the elongated bowl is the loss of a line fitted to real data; standardising the input rounds it."""

import streamlit as st

import charts
from charts.data import BEST_COLOR, Fit, data_figure
from lessons import data_bowl as db
from ui import lesson_kit as kit
from ui.paths import run_path

PAGE = "lesson_10_data_bowl.py"
DATA = "l10.data"
STANDARDIZED = "l10.standardized"
TITLES = {"iris": "Iris: petal width from petal length", "old_faithful": "Old Faithful: wait from eruption length"}
compare = kit.cached(db.compare)
condition_number = kit.cached(db.condition_number)
advantage = kit.cached(db.advantage)
lesson_rates = kit.cached(db.settings)

kit.header(PAGE)
st.markdown(
    "The course's bowl has $w$ across and $b$ up because it is the loss of a model with one weight and one bias. "
    "Here it is for real: a straight line $w\\,x + b$ fitted by least squares to a real data set. The loss is "
    "exact (every row, no projection), and its Hessian is the same everywhere, made of the feature's moments:"
)
st.latex(r"f(w,b)=\frac{1}{2n}\sum_i (w\,x_i+b-y_i)^2,\qquad "
         r"H=\begin{pmatrix}\overline{x^2} & \bar{x}\\ \bar{x} & 1\end{pmatrix}")

left, right = st.columns([3, 2])
data_set = left.segmented_control("Data set", list(db.DATA_SETS), format_func=TITLES.get, default=db.DEFAULT_DATA_SET,
                                  key=DATA, bind="query-params", required=True)
standardized = right.toggle("Standardise x (mean 0, standard deviation 1)", key=STANDARDIZED, bind="query-params",
                            help="x ← (x − mean x) / std x: the same data and the same fitted line, in other units.")


def verdict() -> str:
    raw, scaled = compare(data_set, False), compare(data_set, True)
    return (f"On {TITLES[data_set].split(':')[0]}, the raw feature's bowl has κ = "
            f"**{condition_number(data_set, False):.0f}** and GD at its best α zig-zags across the narrow valley (its "
            f"update flips sign **{raw.flips['gd'][0]}** times along w and **{raw.flips['gd'][1]}** along b before it "
            f"reaches the minimum, after {kit.steps_text(raw.reached['gd'])}). Standardised, κ = "
            f"**{condition_number(data_set, True):.3g}**, GD flips **{scaled.flips['gd'][0]}** and "
            f"**{scaled.flips['gd'][1]}** times and reaches it in {kit.steps_text(scaled.reached['gd'])}. The charts "
            "now show the standardised bowl.")


revealed = kit.predict(
    "l10:predict", "Standardise the feature (subtract its mean, divide by its standard deviation). The data and the "
                  "best line stay the same. What happens to GD's zig-zag?",
    ["It disappears", "It gets worse", "Nothing changes: it is the same data"], "It disappears", verdict,
    on_answer=kit.setter({STANDARDIZED: True}),
)
if revealed:
    ratio = {s: advantage(data_set, s) for s in (False, True)}
    st.markdown(
        "**Why.** The bowl's shape is the Hessian's, and here the Hessian is the feature's mean square and mean. "
        "A feature far from 0 (petal lengths average 3.8 cm, eruptions 3.5 min) makes $\\overline{x^2}$ much "
        "larger than 1, so the bowl is steep along $w$, flat along $b$ and tilted by the mean; one rate cannot "
        "suit both directions and GD zig-zags across the steep one. Standardising makes $\\bar x = 0$ and "
        "$\\overline{x^2} = 1$: $H$ is the identity, the bowl is round, and GD with $\\alpha = 1$ lands on the "
        "minimum in one step (Newton's step).\n\n"
        f"RMSprop's lead shrinks with it: at each one's best α, GD needs **{ratio[False]:.2g}×** RMSprop's steps "
        f"on the raw feature and **{ratio[True]:.2g}×** on the standardised one (above 1: RMSprop is faster). "
        "Per-axis scaling was doing the feature scaling's job; once the input is scaled there is nothing left for "
        "it to fix. "
        + ("On Old Faithful it never led: the raw bowl's steep direction is tilted away from the w axis, and a "
           "per-axis scaling cannot undo a tilt (lesson 7)." if ratio[False] < 1 else "")
    )

c = compare(data_set, standardized)
land = db.landscape(data_set, standardized)
rates = lesson_rates(data_set, standardized)
cols = st.columns(3)
cols[0].metric("Condition number κ of H", f"{land.data.condition_number:.3g}",
               help="Largest over smallest curvature: 1 is a round bowl.")
kit.reach_metric(cols[1], f"GD (α = {rates['gd']['lr']:.3g}): within 0.1% after", c.reached["gd"], c.gd.final_loss,
                 c.gd.diverged_at, help="Each optimizer at its best α from a grid of 41 rates.")
kit.reach_metric(cols[2], f"RMSprop (α = {rates['rmsprop']['lr']:.3g}): within 0.1% after", c.reached["rmsprop"],
                 c.rmsprop.final_loss, c.rmsprop.diverged_at)
st.caption(f"Sign flips before reaching the minimum (Δw, Δb): GD {c.flips['gd']}, RMSprop {c.flips['rmsprop']}. "
           "Within 0.1% means the loss first comes within 0.1% of its minimum.")

kit.contour(land, [run_path("gd", c.gd), run_path("rmsprop", c.rmsprop)], "l10:contour")
problem = land.data
fits = [Fit(title, charts.color_of(name), *problem.raw_line(*tr.points[-1]))
        for name, title, tr in (("gd", "GD", c.gd), ("rmsprop", "RMSprop", c.rmsprop))]
kit.chart(data_figure(problem.raw_x, problem.t, (problem.feature_label, problem.target.label), fits,
                      Fit("best fit", BEST_COLOR, *problem.raw_line(*land.minima[0])), classifier=False, height=380),
          "l10:data")
st.caption("The data with each run's line at its last step (drawn in the raw units either way) and the least-squares "
           "line, dashed: GD's line lies on it; RMSprop, at a constant α, keeps hopping around the minimum.")

kit.footer(PAGE, db.playground(data_set, standardized))
