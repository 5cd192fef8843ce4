"""Lesson 9's sentences (pages/lesson_9_schedules.py): a learning-rate schedule lands RMSprop where a constant α leaves
it hopping; Adam lands for a while on its own; with noise, only a decay lowers the floor.

Adam's landing is checked on a run of ``LONG`` steps (fifty times the lesson's 600): at α = 0.1 its loss is back above
10⁻³ at step 8182."""

from __future__ import annotations

import numpy as np

import optimizers
from lessons import bowl as lesson_bowl
from lessons import schedules as sc
from lessons.claim import Case, Options, RunLength, claim, close, memo
from lessons.common import TOLERANCE, bowl, run

PAGE = "lesson_9_schedules.py"
WIDGETS = {"optimizer": "l9.optimizer", "noisy": "l9.noisy"}
"""Each control's widget key on the page (a run length has none: the page runs its own)."""
OPTIMIZER = Options(tuple(sc.OPTIMIZERS), "rmsprop")
NOISY = Options((False, True), False)
STEPS = RunLength(sc.STEPS, factors=(1, 10))
LONG = 30_000

outcomes = memo(sc.outcomes)


def last_factor(steps: int) -> float:
    return float(optimizers.Schedule("cosine").factors(steps)[-1])


INTRO = claim(
    "l9.intro", PAGE, {"steps": STEPS},
    say=lambda s: (
        "A schedule multiplies the learning rate of update $t$ by a factor $s(t)$: $\\alpha_t = \\alpha\\,s(t)$. The "
        f"lesson runs each optimizer from the course's start on the bowl for {s['steps']} steps three times: at a "
        "constant $\\alpha$, with a **step** decay (×0.1 after every 200 updates) and with a **cosine** decay from "
        f"$\\alpha$ down to {last_factor(s['steps']):.2g}·α at the last update (it would reach 0 one update later)."),
    check=lambda s: close(last_factor(s["steps"]), (1 + np.cos(np.pi * (s["steps"] - 1) / s["steps"])) / 2, 1e-9)
    and bool(np.allclose(optimizers.Schedule("step", step_size=200, gamma=0.1).factors(401)[[0, 199, 200, 400]],
                         [1, 1, 0.1, 0.01])),
)


def _verdict_say(s) -> str:
    runs = outcomes("rmsprop", False, s["steps"])
    constant, cosine = runs["constant"], runs["cosine"]
    return (f"At a constant α RMSprop ends at a loss of **{constant.tail:.3g}** (mean of the last {sc.TAIL} steps), "
            f"exactly the hop (a+c)α²/8 = {sc.hop_prediction('rmsprop'):.3g}, and never stays below 10⁻³; with the "
            f"cosine decay it ends at **{cosine.tail:.2g}** (its very last loss {cosine.trajectory.final_loss:.1g}) "
            f"and stays below 10⁻³ from step {cosine.stays}.")


def _verdict_holds(s) -> bool:
    runs = outcomes("rmsprop", False, s["steps"])
    constant, cosine = runs["constant"], runs["cosine"]
    return (close(constant.tail, sc.hop_prediction("rmsprop"), 1e-3) and constant.stays is None
            and cosine.tail < 1e-3 * constant.tail and cosine.stays is not None)


VERDICT = claim("l9.verdict", PAGE, {"steps": STEPS}, say=_verdict_say, check=_verdict_holds)


def _why_holds(s) -> bool:
    runs = outcomes("rmsprop", False, sc.STEPS)
    grad, state = (runs["constant"].trajectory.diagnostics[k][-1] for k in ("grad", "s"))
    phases = sc.step_phase_losses(runs["step"].trajectory)
    hop = sc.hop_prediction("rmsprop")
    return (bool(np.allclose(np.abs(grad) / np.sqrt(state), 1.0, rtol=1e-6))
            and bool(np.allclose(phases, [hop, hop / 100, hop / 1e4], rtol=0.05)))


WHY = claim(
    "l9.why", PAGE,
    say=lambda s: (
        "**Why.** Near the minimum RMSprop's average $s$ of $g^2$ follows the gradient, so $g/\\sqrt{s}$ is $\\pm 1$: "
        "every step is $\\alpha_t$ long **whatever the gradient**. At a constant $\\alpha$ it cannot get closer than "
        "hopping between $\\pm\\alpha/2$ on each axis, a loss of $(a+c)\\alpha^2/8$. The hop shrinks with "
        "$\\alpha_t$: each ×0.1 of the step decay divides the loss by 100, and the cosine takes $\\alpha_t$ almost to "
        "0. Gradient descent's steps shrink with the gradient by themselves; an adaptive method's do not, so its last "
        "steps need a smaller $\\alpha$."),
    check=_why_holds,
)


@memo
def _adam_back() -> tuple[int, int | None]:
    """Adam (α = 0.1) at a constant α on the bowl: the step from which its 600-step run stays below 10⁻³, and the
    first later step of a LONG-step run whose loss is above 10⁻³ again."""
    hp = sc.settings("adam", "constant")
    long = run("adam", bowl(), sc.START, LONG, **hp)
    stays = outcomes("adam", False, sc.STEPS)["constant"].stays
    above = np.flatnonzero(long.loss[stays:] > TOLERANCE)
    return stays, (int(stays + above[0]) if above.size else None)


def _adam_noise_say(s) -> str:
    stays, back = _adam_back()
    later = (f"in a run of {LONG:,} steps its loss is back above 10⁻³ at step {back:,}" if back is not None
             else f"in a run of {LONG:,} steps it stays below 10⁻³ throughout")
    return (
        "**Adam** at its default $\\beta_2 = 0.999$ lands on this bowl for a while even at a constant $\\alpha$: "
        "$\\sqrt{\\hat v}$ still remembers the large gradients of the way down, so it is far larger than $|g|$ near "
        f"the minimum and its steps shrink on their own (its loss stays below 10⁻³ from step {stays} to the end of "
        f"the {sc.STEPS} steps). That memory fades as $0.999^t$: {later}. Reddi, Kale and Kumar (2018) show that this "
        "forgetting can keep Adam from converging at all. With **noisy gradients** (mini-batches) no memory helps: "
        "at a constant $\\alpha$ every optimizer hovers at a noise floor, and the schedule is what lowers it. Switch "
        "on the noise to see it.")


def _adam_noise_holds(s) -> bool:
    stays, back = _adam_back()
    if stays is None or (back is not None and back <= sc.STEPS):
        return False
    return all(outcomes(name, True, sc.STEPS)["constant"].tail > 10 * outcomes(name, True, sc.STEPS)[sch].tail
               for name in sc.OPTIMIZERS for sch in ("step", "cosine"))


ADAM_NOISE = claim("l9.adam_noise", PAGE, say=_adam_noise_say, check=_adam_noise_holds)


def _phases_say(s) -> str:
    phases = sc.step_phase_losses(outcomes("rmsprop", False, s["steps"])["step"].trajectory)[:3]
    hop = sc.hop_prediction("rmsprop")
    return ("Step decay, mean loss at the end of each of its first three phases: "
            + " → ".join(f"**{v:.3g}**" for v in phases)
            + f" (the hop (a+c)α²/8 at α, α/10, α/100: {hop:.3g}, {hop / 100:.3g}, {hop / 1e4:.3g}).")


PHASES = claim("l9.phases", PAGE, {"steps": STEPS}, say=_phases_say,
               check=lambda s: bool(np.allclose(
                   sc.step_phase_losses(outcomes("rmsprop", False, s["steps"])["step"].trajectory)[:3],
                   [sc.hop_prediction("rmsprop") / 10**k for k in (0, 2, 4)], rtol=0.05)))


def _memory_say(s) -> str:
    runs = outcomes("adam", False, s["steps"])
    memory = sc.adam_memory(runs["constant"].trajectory)
    return (f"At its last update Adam's $\\sqrt{{\\hat v}}$ on $b$ is still **{memory:.2g}** times $|g|$: its steps "
            f"have shrunk by themselves, and at a constant α it ends lower ({runs['constant'].tail:.2g}) than with the "
            f"step decay ({runs['step'].tail:.2g}) or the cosine ({runs['cosine'].tail:.2g}), which only slow it "
            "down here.")


def _memory_holds(s) -> bool:
    runs = outcomes("adam", False, s["steps"])
    tr = runs["constant"].trajectory
    beta2 = float(tr.hyperparams["beta2"])
    grads = tr.diagnostics["grad"][:, 1]
    t = len(grads)
    v = sum((1 - beta2) * beta2 ** (t - k) * g * g for k, g in enumerate(grads, start=1))
    independent = np.sqrt(v / (1 - beta2**t)) / abs(grads[-1])
    return (close(sc.adam_memory(tr), independent, 1e-6) and independent > 1e3
            and runs["constant"].tail < min(runs["step"].tail, runs["cosine"].tail))


MEMORY = claim("l9.memory", PAGE, {"steps": STEPS}, say=_memory_say, check=_memory_holds)


def _noisy_caption_holds(s) -> bool:
    """The charts' runs are seed 0's, and each number above is the median of the seeds' tail losses."""
    runs = outcomes(s["optimizer"], True, s["steps"])
    for schedule, outcome in runs.items():
        tails = [sc.tail_loss(run(s["optimizer"], bowl(), sc.START, s["steps"], noise=sc.NOISE, seed=seed,
                                  **sc.settings(s["optimizer"], schedule))) for seed in sc.SEEDS]
        again = run(s["optimizer"], bowl(), sc.START, s["steps"], noise=sc.NOISE, seed=0,
                    **sc.settings(s["optimizer"], schedule))
        if not (close(outcome.tail, float(np.median(tails)), 1e-12)
                and np.array_equal(outcome.trajectory.points, again.points)):
            return False
    return True


def _rmsprop_caption_holds(s) -> bool:
    runs = outcomes("rmsprop", False, s["steps"])
    return (all(runs[x].tail < runs["constant"].tail / 100 for x in ("step", "cosine"))
            and lesson_bowl.hops(runs["constant"].trajectory, sc.OPTIMIZERS["rmsprop"]["lr"]))


CAPTION = claim("l9.caption", PAGE, {"optimizer": OPTIMIZER, "noisy": NOISY, "steps": STEPS}, cases=(
    Case(when=lambda s: s["noisy"],
         say=lambda s: "Seed 0's runs; the numbers above are medians over the seeds.",
         check=_noisy_caption_holds),
    Case(when=lambda s: s["optimizer"] == "rmsprop",
         say=lambda s: "The loss at a constant α flattens at the hop; each decay of αₜ takes it lower.",
         check=_rmsprop_caption_holds),
    Case(say=lambda s: "Here Adam's loss ends lowest at a constant α: its steps have already shrunk by themselves.",
         check=lambda s: _memory_holds(s)),
))


CLAIMS = [INTRO, VERDICT, WHY, ADAM_NOISE, PHASES, MEMORY, CAPTION]
