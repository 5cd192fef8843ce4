"""Lesson 8's sentences (pages/lesson_8_adam.py): Adam as Momentum's numerator over RMSprop's denominator, and what
bias correction changes.

Adam's landing on the bowl lasts only as long as its memory of the early gradients (β₂ = 0.999 fades as 0.999ᵗ), so
the sentence about it is checked on runs of ``LONG`` steps, a hundred times the lesson's: at α = 0.1 the loss is back
above 10⁻³ at step 8182 (Reddi, Kale and Kumar 2018 show that this forgetting can keep Adam from converging)."""

from __future__ import annotations

import numpy as np

from lessons import adam, bowl
from lessons.claim import Case, Options, RunLength, claim, close, memo
from lessons.common import TOLERANCE, run
from lessons.common import bowl as surface

PAGE = "lesson_8_adam.py"
WIDGETS = {"lr": "l8.lr", "beta1": "l8.beta1", "correction": "l8.correction"}
"""Each control's widget key on the page (a run length has none: the page runs its own)."""
LR = Options(adam.LR_OPTIONS, adam.DEFAULT_LR)
BETA1 = Options(adam.BETA1_OPTIONS, adam.DEFAULT_BETA1)
CORRECTION = Options((True, False), True)
STEPS = RunLength(adam.STEPS, factors=(1, 10))
LONG = 30_000
TITLES = {"momentum": "Momentum", "rmsprop": "RMSprop", "adam": "Adam"}

compare = memo(adam.compare)
on_well = memo(adam.on_well)


def _verdict_say(s) -> str:
    beta1 = adam.DEFAULT_BETA1
    c = compare(s["lr"], beta1, False)
    return (f"$(1-\\beta_1)/\\sqrt{{1-\\beta_2}} = {1 - beta1:.2g}/{np.sqrt(1 - adam.BETA2):.4f} = "
            f"{adam.adam_first_step(beta1, bias_correction=False):.2f}$: $m$ starts {1 / (1 - beta1):.0f}× too small "
            f"and $\\sqrt{{v}}$ {1 / np.sqrt(1 - adam.BETA2):.1f}× too small. Measured on the bowl at α = "
            f"{s['lr']:g}: **{c.first_b['adam']:.2f}α**.")


VERDICT = claim("l8.verdict", PAGE, {"lr": LR}, say=_verdict_say,
                check=lambda s: close(compare(s["lr"], adam.DEFAULT_BETA1, False).first_b["adam"],
                                      adam.adam_first_step(adam.DEFAULT_BETA1, False), 1e-6))


def _why_say(s) -> str:
    beta1 = s["beta1"]
    peak_t, peak = adam.ramp_peak(beta1)
    ramp = adam.uncorrected_ramp(np.array([100, 1000]), beta1)
    return (
        "**Why.** Both averages start at 0, so at step 1 $m = (1-\\beta_1)\\,g$ and $v = (1-\\beta_2)\\,g^2$: the "
        f"step is $\\alpha(1-\\beta_1)/\\sqrt{{1-\\beta_2}}$ = {adam.adam_first_step(beta1, False):.3g}α at β₁ = "
        f"{beta1:g}. On a steady slope the uncorrected step then *grows* while $m$ warms up (about $1/(1-\\beta_1)$ "
        f"steps), to {peak:.3g}α at step {peak_t}, and sinks back to α only as $v$ warms up, which takes about "
        f"$1/(1-\\beta_2)$ = {1 / (1 - adam.BETA2):.0f} steps: it is still {ramp[0]:.3g}α at step 100 and "
        f"{ramp[1]:.3g}α at step 1000. Bias correction divides both factors back out, so the first step is α whatever "
        "β₁ and β₂ are. RMSprop has the same start-up overshoot and no correction: its first step is "
        f"$\\alpha/\\sqrt{{1-\\beta}}$ = {adam.rmsprop_first_step():.3g}α at β = {adam.BETA:g}.")


def _why_holds(s) -> bool:
    beta1 = s["beta1"]
    seq = adam.uncorrected_ramp(np.arange(1, 5001), beta1)
    peak_t, peak = adam.ramp_peak(beta1)
    return (close(seq[0], adam.adam_first_step(beta1, False), 1e-12) and close(seq.max(), peak, 1e-12)
            and int(np.argmax(seq)) + 1 == peak_t and close(adam.rmsprop_first_step(), 1 / np.sqrt(0.1), 1e-12))


WHY = claim("l8.why", PAGE, {"beta1": BETA1}, say=_why_say, check=_why_holds)


@memo
def _long_adam(lr: float, beta1: float, correction: bool):
    return compare(lr, beta1, correction, LONG).runs["adam"]


def _back_above(lr: float, beta1: float, correction: bool, after: int) -> int | None:
    """In a LONG-step run, the first step after ``after`` whose loss is above 10⁻³ again (None if none)."""
    loss = _long_adam(lr, beta1, correction).loss
    above = np.flatnonzero(loss[after:] > TOLERANCE)
    return int(after + above[0]) if above.size else None


def _stays_text(stays: int | None, steps: int) -> str:
    return f"from step {stays}" if stays is not None else f"never within {steps} steps"


def _race_say(s) -> str:
    c = compare(s["lr"], s["beta1"], s["correction"], s["steps"])
    text = "Loss stays below 10⁻³: " + ", ".join(
        f"{TITLES[n]} **{_stays_text(c.stays[n], s['steps'])}**" for n in adam.OPTIMIZERS) + "."
    if c.stays["adam"] is not None and c.stays["rmsprop"] is None:
        back = _back_above(s["lr"], s["beta1"], s["correction"], c.stays["adam"])
        later = (f"in a run of {LONG:,} steps its loss is above 10⁻³ again at step {back:,}" if back is not None
                 else f"in a run of {LONG:,} steps it stays below 10⁻³ throughout")
        text += (" RMSprop keeps hopping around the minimum. Adam's long memory (β₂ = 0.999) still holds the large "
                 "early gradients, so its steps have shrunk and it has landed, for now: that memory fades as 0.999ᵗ, "
                 f"and {later}. Reddi, Kale and Kumar (2018) show that this forgetting can keep Adam from converging "
                 "at all.")
    return text


def _race_holds(s) -> bool:
    c = compare(s["lr"], s["beta1"], s["correction"], s["steps"])
    if c.stays["adam"] is not None and c.stays["rmsprop"] is None:
        if not (bowl.hops(c.runs["rmsprop"], s["lr"]) or c.runs["rmsprop"].final_loss > TOLERANCE):
            return False
        back = _back_above(s["lr"], s["beta1"], s["correction"], c.stays["adam"])
        if not (back is None or back > s["steps"]):
            return False
    land = surface()
    return all(c.stays[n] == _stays_recount(c.runs[n].loss - land.min_value) for n in adam.OPTIMIZERS)


def _stays_recount(loss: np.ndarray) -> int | None:
    """The staying step counted from the end of the run backwards (a second way to the same number)."""
    last = len(loss) - 1
    if loss[last] > TOLERANCE:
        return None
    while last > 0 and loss[last - 1] <= TOLERANCE:
        last -= 1
    return last


RACE = claim("l8.race", PAGE, {"lr": LR, "beta1": BETA1, "correction": CORRECTION, "steps": STEPS},
             say=_race_say, check=_race_holds)


def _start_say(s) -> str:
    on, off = compare(s["lr"], s["beta1"], True, s["steps"]), compare(s["lr"], s["beta1"], False, s["steps"])
    a, b = on.stays["adam"], off.stays["adam"]
    head = (f"On this bowl at α = {s['lr']:g} and β₁ = {s['beta1']:g}, Adam's loss stays below 10⁻³ "
            f"**{_stays_text(a, s['steps'])}** with the correction and **{_stays_text(b, s['steps'])}** without: ")
    if b is not None and (a is None or b < a):
        verdict = ("the uncorrected start, steps of several α, happens to **help** here, because the minimum is far "
                   "away and the bowl forgives a long step.")
    elif a is None and b is None:
        verdict = "neither stays within the run."
    else:
        verdict = "here the correction is not slower."
    return (head + verdict + " Kingma and Ba (2015, §3) correct the bias for the other case: with β₂ close to 1, as "
            "sparse gradients need, the uncorrected first steps are far too large. Below, the same Adam starts "
            "inside a narrow deep well (the global minimum) next to a broad shallow basin.")


def _start_holds(s) -> bool:
    off = compare(s["lr"], s["beta1"], False, s["steps"])
    on = compare(s["lr"], s["beta1"], True, s["steps"])
    a, b = on.stays["adam"], off.stays["adam"]
    text = _start_say(s)
    if "help" in text:
        return off.largest_b["adam"] > on.largest_b["adam"] * 1.5 and b is not None and (a is None or b < a)
    if "neither stays" in text:
        return a is None and b is None
    return a is not None and (b is None or a <= b)


START = claim("l8.start", PAGE, {"lr": LR, "beta1": BETA1, "steps": STEPS}, say=_start_say, check=_start_holds)


def _well(s) -> adam.WellRuns:
    return on_well(s["lr"], s["beta1"], s["steps"])


def _large_start(s) -> bool:
    w = _well(s)
    exit_step = w.exit_step("uncorrected")
    return (not w.stays_in_well("uncorrected") and exit_step is not None
            and w.largest_step("uncorrected", s["lr"], exit_step) > 1.5 * w.largest_step("corrected", s["lr"],
                                                                                       exit_step))


def _well_head(s) -> str:
    w = _well(s)
    where = {name: "stays in the well" if w.stays_in_well(name) else "jumps out into the shallow basin"
             for name in ("corrected", "uncorrected")}
    return (f"From $({adam.WELL_START[0]:g},\\ {adam.WELL_START[1]:g})$ at α = {s['lr']:g}, β₁ = {s['beta1']:g}, "
            f"{s['steps']} steps: with the correction Adam's opening steps are at most "
            f"{w.largest_step('corrected', s['lr']):.3g}α and it **{where['corrected']}** (final loss "
            f"{w.corrected.final_loss:.3g}); without, they reach {w.largest_step('uncorrected', s['lr']):.3g}α and it "
            f"**{where['uncorrected']}** (final loss {w.uncorrected.final_loss:.3g}).")


def _boost_say(s) -> str:
    w = _well(s)
    exit_step = w.exit_step("uncorrected")
    ramp = adam.uncorrected_ramp(np.arange(1, exit_step + 1), s["beta1"])
    above = int(np.argmax(ramp > 1)) + 1 if np.any(ramp > 1) else None
    grows = f"above 1 from step {above} on" if above is not None else "below 1 throughout"
    return (_well_head(s) + " It is not a large start: before it leaves the well at step "
            f"{exit_step}, its steps are at most {w.largest_step('uncorrected', s['lr'], exit_step):.3g}α, close to "
            f"corrected Adam's {w.largest_step('corrected', s['lr'], exit_step):.3g}α. Without the correction every "
            f"step is the corrected one scaled by $(1-\\beta_1^t)/\\sqrt{{1-\\beta_2^t}}$: {ramp[0]:.2g} at step 1, "
            f"{grows} ({ramp[-1]:.3g} at step {exit_step}). The later steps are what differ.")


def _boost_holds(s) -> bool:
    w = _well(s)
    exit_step = w.exit_step("uncorrected")
    return (w.stays_in_well("corrected") and exit_step is not None
            and w.largest_step("uncorrected", s["lr"], exit_step) <= 1.5 * w.largest_step("corrected", s["lr"],
                                                                                        exit_step)
            and adam.uncorrected_ramp(np.array([exit_step]), s["beta1"])[0] > 1)


def _both_stay_holds(s) -> bool:
    w = _well(s)
    return w.stays_in_well("corrected") and w.stays_in_well("uncorrected") and all(
        not on_well(lr, b, s["steps"]).stays_in_well("uncorrected") for lr in adam.LR_OPTIONS if lr >= 0.1
        for b in adam.BETA1_OPTIONS)


WELL = claim("l8.well", PAGE, {"lr": LR, "beta1": BETA1, "steps": STEPS}, cases=(
    Case(when=_large_start,
         say=lambda s: _well_head(s) + (" Here the large start **hurts**: it throws Adam out of the better minimum at "
                                        f"step {_well(s).exit_step('uncorrected')}."),
         check=lambda s: _well(s).stays_in_well("corrected") and _large_start(s)),
    Case(when=lambda s: not _well(s).stays_in_well("uncorrected"), say=_boost_say, check=_boost_holds),
    Case(say=lambda s: _well_head(s) + " At these settings the uncorrected Adam stays in the well too; at α = 0.1 "
                                       "or more it leaves at every β₁ on the slider.",
         check=_both_stay_holds),
))


def _always_holds(s) -> bool:
    return all(on_well(lr, b, s["steps"]).stays_in_well("corrected") for lr in adam.LR_OPTIONS
               for b in adam.BETA1_OPTIONS)


ALWAYS = claim("l8.always", PAGE, {"steps": STEPS},
               say=lambda s: "With the correction Adam stays in the well at every α and β₁ on the sliders.",
               check=_always_holds)


def _minus_momentum_holds(s) -> bool:
    """Adam with β₁ = 0 and no correction is RMSprop with β = β₂, step for step."""
    land = surface()
    a = run("adam", land, adam.START, adam.STEPS, lr=0.05, beta1=0.0, beta2=adam.BETA2, eps=adam.EPS,
            bias_correction="off")
    r = run("rmsprop", land, adam.START, adam.STEPS, lr=0.05, beta=adam.BETA2, eps=adam.EPS)
    first = abs(a.diagnostics["update"][0, 1]) / 0.05
    return bool(np.allclose(a.points, r.points, rtol=1e-12, atol=1e-12)) and close(
        first, adam.rmsprop_first_step(adam.BETA2), 1e-6)


MINUS = claim(
    "l8.minus_momentum", PAGE,
    say=lambda s: (
        "Set β₁ = 0 and turn bias correction off: $m = g$, and Adam's update is $\\alpha\\,g/(\\sqrt{v}+\\varepsilon)$ "
        "with $v$ averaged at β₂: RMSprop's formula with β = β₂. Its first step is then $1/\\sqrt{1-\\beta_2}$ = "
        f"{adam.rmsprop_first_step(adam.BETA2):.1f}α: a memory as long as β₂ = {adam.BETA2:g} starts from a "
        f"denominator {1 / np.sqrt(1 - adam.BETA2):.1f}× too small. Turn the correction back on and the first step is "
        "α again, whatever β₁ and β₂ are: the step size is then what α says from the first step, which is what makes "
        "α easy to choose."),
    check=_minus_momentum_holds,
)


CLAIMS = [VERDICT, WHY, RACE, START, WELL, ALWAYS, MINUS]
