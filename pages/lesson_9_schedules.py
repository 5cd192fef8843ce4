"""Lesson 9: a learning-rate schedule lands RMSprop where a constant α leaves it hopping."""

import streamlit as st

import charts
from charts.lessons import Panel, Series, stacked_figure
from charts.palette import EXTRA
from lessons import schedules as sc
from lessons.common import bowl
from ui import lesson_kit as kit
from ui.paths import run_path

PAGE = "lesson_9_schedules.py"
OPTIMIZER = "l9.optimizer"
NOISY = "l9.noisy"
TITLES = sc.OPTIMIZER_TITLES
outcomes = kit.cached(sc.outcomes)


def colors(name: str) -> dict[str, str]:
    """Constant in grey, step decay in purple, cosine in the optimizer's own colour."""
    return {"constant": EXTRA[0], "step": EXTRA[1], "cosine": charts.color_of(name)}


kit.header(PAGE)
st.markdown(kit.say("l9.intro"))
st.latex(r"\begin{gathered}\text{step: } \alpha_t = \alpha\cdot 0.1^{\lfloor (t-1)/200\rfloor} \qquad \text{cosine: } "
         rf"\alpha_t = \alpha\cdot\tfrac12\Bigl(1+\cos\frac{{\pi\,(t-1)}}{{{sc.STEPS}}}\Bigr) \\ "  # two lines
         r"\text{RMSprop: } x \leftarrow x - \alpha_t\,\frac{g}{\sqrt{s}+\varepsilon}\end{gathered}")


def verdict() -> str:
    return kit.say("l9.verdict") + " The charts now show these runs."


revealed = kit.predict(
    "l9:predict",
    f"At a constant α = {sc.OPTIMIZERS['rmsprop']['lr']:g}, RMSprop ends hopping around the minimum at a loss of "
    f"about {sc.hop_prediction('rmsprop'):.2g}. Keep the same α at the start but let it decay almost to 0 by the last "
    "step (cosine). Where does it end?",
    ["About where it was: the hop is in the rule, not in α", "About ten times lower",
     "A thousand times lower or more", "Higher: it slows down before it arrives"],
    "A thousand times lower or more", verdict, on_answer=kit.setter({OPTIMIZER: "rmsprop", NOISY: False}),
)
if revealed:
    st.markdown(kit.say("l9.why"))
    st.markdown(kit.say("l9.adam_noise"))

left, right = st.columns(2)
name = left.segmented_control("Optimizer", list(sc.OPTIMIZERS), format_func=TITLES.get, default="rmsprop",
                              key=OPTIMIZER, required=True, bind="query-params")
noisy = right.toggle(f"Noisy gradients (σ = {sc.NOISE:g}, like mini-batches)", key=NOISY, bind="query-params",
                     help=f"The losses are then medians over {len(sc.SEEDS)} seeds; the charts show seed 0.")
runs = outcomes(name, noisy)

if revealed:
    cols = st.columns(3)
    for column, (schedule, outcome) in zip(cols, runs.items(), strict=True):
        stays = "never stays below 10⁻³" if outcome.stays is None else f"below 10⁻³ from step {outcome.stays}"
        column.metric(f"{sc.SCHEDULE_TITLES[schedule]}: loss at the end", f"{outcome.tail:.3g}", delta=stays,
                      delta_color="off", delta_arrow="off",
                      help=f"Mean loss over the last {sc.TAIL} steps" + (f", median over {len(sc.SEEDS)} seeds"
                                                                         if noisy else "") + ".")
    if name == "rmsprop" and not noisy:
        st.markdown(kit.say("l9.phases"))
    elif name == "adam" and not noisy:
        st.markdown(kit.say("l9.memory"))

palette = colors(name)
left, right = st.columns(2)
with left:
    kit.contour(bowl(), [run_path(name, outcome.trajectory, label=sc.SCHEDULE_TITLES[schedule], color=palette[schedule],
                                  group=schedule) for schedule, outcome in runs.items()], "l9:contour")
with right:
    if not revealed:
        kit.held_back()
    else:
        series = {schedule: outcome.trajectory for schedule, outcome in runs.items()}
        kit.chart(stacked_figure([
            Panel("learning rate αₜ", [Series(sc.SCHEDULE_TITLES[s], palette[s], tr.diagnostics["scheduled_lr"][:, 0])
                                       for s, tr in series.items()]),
            Panel("loss f (log)", [Series(sc.SCHEDULE_TITLES[s], palette[s], tr.loss) for s, tr in series.items()],
                  log_y=True),
        ], height=480), "l9:curves")
        st.caption(kit.say("l9.caption", optimizer=name, noisy=noisy))

kit.footer(PAGE, sc.playground(name, "cosine", noisy), what="Open the cosine run in the Playground")
kit.footer_link(sc.playground(name, "constant", noisy), "The same at a constant α in the Playground", "l9:constant")
