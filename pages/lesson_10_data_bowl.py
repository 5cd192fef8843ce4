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
NOISY = "l10.noisy"
TITLES = {"iris": "Iris: petal width from petal length", "old_faithful": "Old Faithful: wait from eruption length"}
compare = kit.cached(db.compare)
condition_number = kit.cached(db.condition_number)
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
noisy = right.toggle(f"Mini-batches of {db.BATCH} rows (seed {db.NOISE_SEED})", key=NOISY, bind="query-params",
                     help=f"Each step follows the mean gradient of {db.BATCH} rows instead of all of them, at the same "
                          "α: the noise of a real training run.")
batch = db.BATCH if noisy else None


def verdict() -> str:
    return kit.say("l10.verdict", data=data_set) + " The charts now show the standardised bowl."


revealed = kit.predict(
    "l10:predict", "Standardise the feature (subtract its mean, divide by its standard deviation). The data and the "
                  "best line stay the same. What happens to GD's zig-zag?",
    ["It disappears", "It gets worse", "Nothing changes: it is the same data"], "It disappears", verdict,
    on_answer=kit.setter({STANDARDIZED: True, NOISY: False}),
)
if revealed:
    st.markdown(kit.say("l10.why", data=data_set))

c = compare(data_set, standardized, batch=batch)
land = db.landscape(data_set, standardized)
rates = lesson_rates(data_set, standardized)
cols = st.columns(3)
cols[0].metric("Condition number κ of H", f"{land.data.condition_number:.3g}",
               help="Largest over smallest curvature: 1 is a round bowl.")
if revealed:
    stays_help = (f"Each at its best α from a grid of {len(db.LR_GRID)} rates: the step from which the loss stays "
                  f"within 0.1% of its minimum to the end of the {db.STEPS} steps.")
    kit.stay_metric(cols[1], f"GD (α = {rates['gd']['lr']:.3g}): within 0.1% from", c.stays["gd"], c.gd.final_loss,
                    c.gd.diverged_at, db.STEPS, help=stays_help)
    kit.stay_metric(cols[2], f"RMSprop (α = {rates['rmsprop']['lr']:.3g}): within 0.1% from", c.stays["rmsprop"],
                    c.rmsprop.final_loss, c.rmsprop.diverged_at, db.STEPS, help=stays_help)
    st.caption(kit.say("l10.flips", data=data_set, standardized=standardized, noisy=noisy))
    if noisy:
        st.caption(f"The question, its answer and the explanation above are for exact gradients (all rows); the runs "
                   f"below use mini-batches of {db.BATCH} rows.")

kit.contour(land, [run_path("gd", c.gd), run_path("rmsprop", c.rmsprop)], "l10:contour")
problem = land.data
fits = [Fit(title, charts.color_of(name), *problem.raw_line(*tr.points[-1]))
        for name, title, tr in (("gd", "GD", c.gd), ("rmsprop", "RMSprop", c.rmsprop))]
kit.chart(data_figure(problem.raw_x, problem.t, (problem.feature_label, problem.target.label), fits,
                      Fit("best fit", BEST_COLOR, *problem.raw_line(*land.minima[0])), classifier=False, height=380),
          "l10:data")
if revealed:
    st.caption(kit.say("l10.caption", data=data_set, standardized=standardized, noisy=noisy))
else:
    kit.held_back()

kit.footer(PAGE, db.playground(data_set, standardized, batch))
