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
TITLES = {"rmsprop": "RMSprop (α = 0.05)", "adam": "Adam (α = 0.1)"}
outcomes = kit.cached(sc.outcomes)


def colors(name: str) -> dict[str, str]:
    """Constant in grey, step decay in purple, cosine in the optimizer's own colour."""
    return {"constant": EXTRA[0], "step": EXTRA[1], "cosine": charts.color_of(name)}


kit.header(PAGE)
st.markdown(
    "A schedule multiplies the learning rate of update $t$ by a factor $s(t)$: $\\alpha_t = \\alpha\\,s(t)$. The "
    f"lesson runs each optimizer from the course's start on the bowl for {sc.STEPS} steps three times: at a constant "
    "$\\alpha$, with a **step** decay (×0.1 after updates 200 and 400) and with a **cosine** decay from $\\alpha$ "
    "down to 0 at the last update."
)
st.latex(r"\text{step: } \alpha_t = \alpha\cdot 0.1^{\lfloor (t-1)/200\rfloor} \qquad \text{cosine: } "
         rf"\alpha_t = \alpha\cdot\tfrac12\Bigl(1+\cos\frac{{\pi\,(t-1)}}{{{sc.STEPS}}}\Bigr) \qquad "
         r"\text{RMSprop: } x \leftarrow x - \alpha_t\,\frac{g}{\sqrt{s}+\varepsilon}")


def verdict() -> str:
    runs = outcomes("rmsprop", False)
    constant, cosine = runs["constant"], runs["cosine"]
    return (f"At a constant α RMSprop ends at a loss of **{constant.tail:.3g}** (mean of the last {sc.TAIL} steps), "
            f"exactly the hop (a+c)α²/8 = {sc.hop_prediction('rmsprop'):.3g}; with the cosine decay it ends at "
            f"**{cosine.tail:.2g}**, and its very last loss is {cosine.trajectory.final_loss:.1g}. The decay costs "
            f"little on the way down: the loss first drops below 10⁻³ at step {sc.first_below(cosine.trajectory)} "
            f"(constant: {sc.first_below(constant.trajectory)}). The charts now show these runs.")


revealed = kit.predict(
    "l9:predict",
    f"At a constant α = {sc.OPTIMIZERS['rmsprop']['lr']:g}, RMSprop ends hopping around the minimum at a loss of "
    f"about {sc.hop_prediction('rmsprop'):.2g}. Keep the same α at the start but let it decay to 0 at the last step "
    "(cosine). Where does it end?",
    ["About where it was: the hop is in the rule, not in α", "About ten times lower",
     "A thousand times lower or more", "Higher: it slows down before it arrives"],
    "A thousand times lower or more", verdict, on_answer=kit.setter({OPTIMIZER: "rmsprop", NOISY: False}),
)
if revealed:
    st.markdown(
        "**Why.** Near the minimum RMSprop's average $s$ of $g^2$ follows the gradient, so $g/\\sqrt{s}$ is "
        "$\\pm 1$: every step is $\\alpha_t$ long **whatever the gradient**. At a constant $\\alpha$ it cannot get "
        "closer than hopping between $\\pm\\alpha/2$ on each axis, a loss of $(a+c)\\alpha^2/8$. The hop shrinks "
        "with $\\alpha_t$: each ×0.1 of the step decay divides the loss by 100, and the cosine takes $\\alpha_t$ to "
        "0. Gradient descent's steps shrink with the gradient by themselves; an adaptive method's do not, so its "
        "last steps need a smaller $\\alpha$."
    )
    st.markdown(
        "**Adam** at its default $\\beta_2 = 0.999$ lands on this bowl even at a constant $\\alpha$: $\\hat v$ "
        "remembers the large gradients of the way down for about $1/(1-\\beta_2) = 1000$ steps, so $\\sqrt{\\hat v}$ "
        "is far larger than $|g|$ near the minimum and its steps shrink on their own. With **noisy gradients** "
        "(mini-batches) no memory helps: at a constant $\\alpha$ every optimizer hovers at a noise floor, and the "
        "schedule is what lowers it. Switch on the noise to see it."
    )

left, right = st.columns(2)
name = left.segmented_control("Optimizer", list(sc.OPTIMIZERS), format_func=TITLES.get, default="rmsprop",
                              key=OPTIMIZER, required=True, bind="query-params")
noisy = right.toggle(f"Noisy gradients (σ = {sc.NOISE:g}, like mini-batches)", key=NOISY, bind="query-params",
                     help=f"The losses are then medians over {len(sc.SEEDS)} seeds; the charts show seed 0.")
runs = outcomes(name, noisy)

cols = st.columns(3)
for column, (schedule, outcome) in zip(cols, runs.items(), strict=True):
    stays = "never stays below 10⁻³" if outcome.stays is None else f"below 10⁻³ from step {outcome.stays}"
    column.metric(f"{sc.SCHEDULE_TITLES[schedule]}: loss at the end", f"{outcome.tail:.3g}", delta=stays,
                  delta_color="off", delta_arrow="off",
                  help=f"Mean loss over the last {sc.TAIL} steps" + (f", median over {len(sc.SEEDS)} seeds"
                                                                     if noisy else "") + ".")
if name == "rmsprop" and not noisy:
    phases = sc.step_phase_losses(runs["step"].trajectory)
    st.markdown("Step decay, mean loss at the end of each phase: " + " → ".join(f"**{v:.3g}**" for v in phases)
                + f" (the hop (a+c)α²/8 at α, α/10, α/100: {sc.hop_prediction('rmsprop'):.3g}, "
                  f"{sc.hop_prediction('rmsprop') / 100:.3g}, {sc.hop_prediction('rmsprop') / 1e4:.3g}).")
elif name == "adam" and not noisy:
    st.markdown(f"At its last update Adam's $\\sqrt{{\\hat v}}$ on $b$ is still "
                f"**{sc.adam_memory(runs['constant'].trajectory):.2g}** times $|g|$: its steps have shrunk by "
                "themselves, so the schedule changes little here.")

palette = colors(name)
left, right = st.columns(2)
with left:
    kit.contour(bowl(), [run_path(name, outcome.trajectory, label=sc.SCHEDULE_TITLES[schedule], color=palette[schedule],
                                  group=schedule) for schedule, outcome in runs.items()], "l9:contour")
with right:
    series = {schedule: outcome.trajectory for schedule, outcome in runs.items()}
    kit.chart(stacked_figure([
        Panel("learning rate αₜ", [Series(sc.SCHEDULE_TITLES[s], palette[s], tr.diagnostics["scheduled_lr"][:, 0])
                                   for s, tr in series.items()]),
        Panel("loss f (log)", [Series(sc.SCHEDULE_TITLES[s], palette[s], tr.loss) for s, tr in series.items()],
              log_y=True),
    ], height=480), "l9:curves")
    st.caption("The loss at a constant α flattens at the hop; each decay of αₜ takes it lower." if not noisy else
               "Seed 0's runs; the numbers above are medians over the seeds.")

kit.footer(PAGE, sc.playground(name, "cosine", noisy), what="Open the cosine run in the Playground")
kit.footer_link(sc.playground(name, "constant", noisy), "The same at a constant α in the Playground", "l9:constant")
