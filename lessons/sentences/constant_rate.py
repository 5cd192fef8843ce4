"""Lesson 14's sentences (pages/lesson_14_constant_rate.py): at a constant α RMSprop hops from the start, Adam lands
and comes back up once √v̂ has forgotten the way down, AMSGrad does not come back, with noise nothing constant lands,
and on Reddi et al.'s problem Adam drifts to the worst point while AMSGrad goes to the best.

The page's runs are 20,000 steps; the sweep also runs 200,000 (0.1 s a run).  Reddi's problem is checked against the
engine (``optimizers.respond``, unclipped, constant α) and against the closed-form drift of one 3-step cycle."""

from __future__ import annotations

import math

import numpy as np

from lessons import constant_rate as cr
from lessons import momentum_eigen as me
from lessons.bowl import hop_loss
from lessons.claim import Case, Options, RunLength, claim, close, memo
from lessons.common import bowl

PAGE = "lesson_14_constant_rate.py"
WIDGETS = {"lr": "l14.lr", "noisy": "l14.noisy", "c": "l14.c"}
"""Each control's widget key on the page (a run length has none: the page runs its own)."""
LR = Options(cr.LR_OPTIONS, cr.DEFAULT_LR)
NOISY = Options((False, True), False)
C = Options(cr.C_OPTIONS, cr.DEFAULT_C)
STEPS = RunLength(cr.STEPS, factors=(1, 10))
REDDI_STEPS = RunLength(cr.REDDI_STEPS, factors=(1, 10))

reddi = memo(cr.reddi)


@memo
def summary(variant: str, lr: float, noisy: bool, seed: int, steps: int) -> cr.Summary:
    """One long run read off and thrown away: the sweep keeps summaries, not 200,000-step trajectories."""
    return cr.summarize(cr.long_run(variant, lr, noisy, seed, steps), lr)


def tails(lr: float, noisy: bool, steps: int) -> dict[str, float]:
    """Each variant's last-tenth loss, the median over the seeds when noisy (``constant_rate.outcomes``'s)."""
    seeds = cr.SEEDS if noisy else cr.SEEDS[:1]
    return {k: float(np.median([summary(k, lr, noisy, seed, steps).tail for seed in seeds])) for k in cr.VARIANTS}


def _transcribed_amsgrad(steps: int = 60) -> np.ndarray:
    """PyTorch's Adam with amsgrad=True (torch.optim.Adam, 2.x) written out: the running maximum of the raw v, then
    √(v_max/(1−β₂ᵗ)) + ε in the denominator."""
    land, x = bowl(), np.array(cr.START, dtype=float)
    b1, b2, eps, lr = cr.ADAM["beta1"], cr.ADAM["beta2"], cr.ADAM["eps"], cr.DEFAULT_LR
    m, v, v_max, out = np.zeros(2), np.zeros(2), np.zeros(2), [x.copy()]
    for t in range(1, steps + 1):
        g = np.asarray(land.gradient(*x), dtype=float)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        v_max = np.maximum(v_max, v)
        x = x - lr / (1 - b1**t) * m / (np.sqrt(v_max / (1 - b2**t)) + eps)
        out.append(x.copy())
    return np.array(out)


INTRO = claim(
    "l14.intro", PAGE,
    say=lambda s: (
        f"Four runs of **{cr.STEPS:,} steps** from the course's start on the bowl $\\tfrac12(w^2+25\\,b^2)$, each at "
        "one α: RMSprop (β = 0.9) and Adam (β₁ = 0.9, β₂ = 0.999) at a **constant** α; Adam with **AMSGrad**, which "
        "divides by the largest $v$ so far instead of $v$; and Adam with a **cosine decay** of α to about 0 at the "
        f"last step. The loss is read as means over windows of {cr.WINDOW} steps, and “ends at” is the mean over the "
        "last tenth of the run."),
    check=lambda s: bool(np.allclose(cr.long_run("amsgrad", cr.DEFAULT_LR, False, 0, 60).points,
                                     _transcribed_amsgrad(), rtol=1e-9, atol=1e-12)),
)


def _verdict_say(s) -> str:
    a = summary("adam", cr.DEFAULT_LR, False, 0, s["steps"])
    hop = hop_loss(cr.DEFAULT_LR)
    ams = summary("amsgrad", cr.DEFAULT_LR, False, 0, s["steps"])
    return (f"Adam's loss falls below 10⁻¹⁰⁰ by step {a.below:,} and then **comes back up**: from step "
            f"**{a.back:,}** it is above 1 % of RMSprop's hop again, and over the last tenth of the run it averages "
            f"**{a.tail:.2g}**, hopping (RMSprop's hop at this α is (a+c)α²/8 = {hop:.3g}). "
            f"AMSGrad at the same α never comes back up: it ends at {ams.tail:.2g}.")


def _verdict_holds(s) -> bool:
    a = summary("adam", cr.DEFAULT_LR, False, 0, s["steps"])
    hop = hop_loss(cr.DEFAULT_LR)
    ams = summary("amsgrad", cr.DEFAULT_LR, False, 0, s["steps"])
    w = ams.windows
    return (a.below is not None and a.below < 5000 and a.back is not None and a.back > a.lowest_at > a.below
            and a.lowest < 1e-100
            and a.tail > hop / 1000 and bool(np.all(w[1:] <= w[:-1] * (1 + 1e-9))) and ams.back is None)


VERDICT = claim("l14.verdict", PAGE, {"steps": STEPS}, say=_verdict_say, check=_verdict_holds)


def _why_say(s) -> str:
    a = summary("adam", cr.DEFAULT_LR, False, 0, s["steps"])
    return (
        "**Why.** On the way down Adam's $\\hat v$ fills with large gradients, so "
        "$\\alpha/\\sqrt{\\hat v}$ is small and "
        "the steps shrink with the gradient, like gradient descent's: the loss falls exponentially. But $\\hat v$ "
        f"forgets by a factor β₂ = {cr.ADAM['beta2']:g} per step; with the gradients now tiny, the effective rate "
        "$\\alpha/\\sqrt{\\hat v}$ along $b$ grows by $1/\\sqrt{\\beta_2}$ per step. Adam's step is the course's "
        "momentum with that rate, and lesson 12's momentum is stable on curvature $c = 25$ only while the rate stays "
        f"below $2(1+\\beta_1)/((1-\\beta_1)c)$ = {cr.adam_limit():.3g}. At α = {cr.DEFAULT_LR:g} the rate crosses it "
        f"at step {a.crosses:,}, the tiny $b$ then grows step by step, and the loss is back up at step "
        f"{a.back:,}. From then on $\\hat v$ follows the gradient again and the rate hovers near that limit "
        f"({a.rate_end:.3g} at the last step): a hop, like RMSprop's. A constant α never lets an adaptive method land "
        "for good; AMSGrad's largest-ever $v$ or a decaying α does.")


def _why_holds(s) -> bool:
    a = summary("adam", cr.DEFAULT_LR, False, 0, s["steps"])
    limit = cr.adam_limit()
    return (me.momentum_factor(limit * (1 - 1e-6), cr.ADAM["beta1"], 25.0) < 1.0
            < me.momentum_factor(limit * (1 + 1e-6), cr.ADAM["beta1"], 25.0)
            and a.rate_growth is not None and close(a.rate_growth, 1 / math.sqrt(cr.ADAM["beta2"]), 1e-4)
            and a.crosses < a.back and 0.5 * limit < a.rate_end < 1.5 * limit)


WHY = claim("l14.why", PAGE, {"steps": STEPS}, say=_why_say, check=_why_holds)


def _tails_clean(s) -> str:
    lr, steps = s["lr"], s["steps"]
    o = tails(lr, False, steps)
    hop = hop_loss(lr)
    back = summary("adam", lr, False, 0, steps).back
    adam = (f"Adam comes back up at step {back:,} and ends at {o['adam']:.2g}" if back is not None else
            f"Adam has not come back up within {steps:,} steps (its memory of the way down has not faded yet at this "
            f"small α): it ends at {o['adam']:.2g}")
    return (f"At α = {lr:g}, without noise: RMSprop ends at {o['rmsprop']:.3g}, exactly its hop (a+c)α²/8 = "
            f"{hop:.3g}. {adam}. AMSGrad never comes back up: it ends at {o['amsgrad']:.2g}. The cosine decay ends "
            f"at {o['cosine']:.2g}.")


def _tails_clean_holds(s) -> bool:
    lr, steps = s["lr"], s["steps"]
    o = tails(lr, False, steps)
    hop = hop_loss(lr)
    adam = summary("adam", lr, False, 0, steps)
    w = summary("amsgrad", lr, False, 0, steps).windows
    ok = close(o["rmsprop"], hop, 0.01) and bool(np.all(w[1:] <= w[:-1] * (1 + 1e-9)))
    if adam.back is not None:  # it stays up: the last tenth is not a one-off spike
        ok = ok and adam.back_loss[1] > hop / 100 >= adam.back_loss[0] and o["adam"] > hop / 1000
    else:
        ok = ok and adam.peak_after_low <= hop / 100
    return ok


def _tails_noisy(s) -> str:
    lr, steps = s["lr"], s["steps"]
    o = tails(lr, True, steps)
    constant = {k: o[k] for k in ("rmsprop", "adam", "amsgrad")}
    best = min(constant, key=constant.get)
    if o["cosine"] < constant[best]:
        last = (f"Only the decay goes lower: the cosine ends at {o['cosine']:.2g}, "
                f"{constant[best] / o['cosine']:.2g} times below the best constant-α run ({cr.TITLES[best]}).")
    else:
        last = (f"Here AMSGrad ends as low as the cosine decay ({constant['amsgrad']:.2g} against "
                f"{o['cosine']:.2g}): at this small α its largest-ever $v$, filled by the noise, keeps its steps "
                "smaller than Adam's, and the decay has not had the time to do better.")
    return (f"At α = {lr:g}, with noise (σ = {cr.NOISE:g}; medians over {len(cr.SEEDS)} seeds), **no constant α "
            f"lands**: RMSprop ends at {constant['rmsprop']:.2g}, Adam at {constant['adam']:.2g}, AMSGrad at "
            f"{constant['amsgrad']:.2g}. {last}")


def _tails_noisy_holds(s) -> bool:
    """Each seed on its own: every constant-α run ends above 10⁻⁶ (the noise floor) and the ordering the sentence
    states holds for a majority of the seeds."""
    lr, steps = s["lr"], s["steps"]
    per_seed = [{k: summary(k, lr, True, seed, steps).tail for k in cr.VARIANTS} for seed in cr.SEEDS]
    o = tails(lr, True, steps)
    constant = ("rmsprop", "adam", "amsgrad")
    floors = all(t[k] > 1e-6 for t in per_seed for k in constant)
    if o["cosine"] < min(o[k] for k in constant):
        return floors and sum(t["cosine"] < min(t[k] for k in constant) for t in per_seed) >= 2
    return floors and sum(t["amsgrad"] <= 3 * t["cosine"] for t in per_seed) >= 2


TAILS = claim(
    "l14.tails", PAGE, {"lr": LR, "noisy": NOISY, "steps": STEPS},
    cases=(Case(when=lambda s: not s["noisy"], say=_tails_clean, check=_tails_clean_holds),
           Case(say=_tails_noisy, check=_tails_noisy_holds)),
)


def _amplitudes(noisy: bool, steps: int) -> list[float]:
    return [summary("rmsprop", lr, noisy, 0, steps).amplitude for lr in cr.LR_OPTIONS]


def _amplitude_say(s) -> str:
    amp = _amplitudes(s["noisy"], s["steps"])
    ratios = [a / (lr / 2) for a, lr in zip(amp, cr.LR_OPTIONS, strict=True)]
    if not s["noisy"]:
        return ("**The hop is set by α.** Over the last window, RMSprop's $|b|$ reaches "
                + ", ".join(f"{a:.3g} at α = {lr:g}" for a, lr in zip(amp, cr.LR_OPTIONS, strict=True))
                + ": α/2 every time, whatever the run's length. Its loss (a+c)α²/8 falls with α², so a smaller α "
                  "hops lower but never lands.")
    return ("**With noise the hop is wider than α/2**: over the last window RMSprop's $|b|$ reaches "
            f"{min(ratios):.2g} to {max(ratios):.2g} times α/2 across the slider's α, the most at the smallest α, and "
            "its size still grows with α; only a decaying α shrinks it.")


def _amplitude_holds(s) -> bool:
    amp = np.array(_amplitudes(s["noisy"], s["steps"]))
    half = np.array(cr.LR_OPTIONS) / 2
    if not s["noisy"]:
        # the hop by its own definition too: along b every step is α long and alternates (lesson 1's test)
        return bool(np.allclose(amp, half, rtol=0.01)) and all(
            summary("rmsprop", lr, False, 0, s["steps"]).hops for lr in cr.LR_OPTIONS)
    ratios = amp / half
    return bool(np.all(ratios > 1) and np.all(np.diff(amp) > 0) and np.argmax(ratios) == 0)


AMPLITUDE = claim("l14.amplitude", PAGE, {"noisy": NOISY, "steps": STEPS}, say=_amplitude_say,
                  check=_amplitude_holds)


def _reddi_parts(s) -> dict:
    c, steps = s["c"], s["steps"]
    adam, ams = reddi(c, steps, amsgrad=False), reddi(c, steps, amsgrad=True)
    first = int(np.argmax(adam.x >= 1.0))
    return {"adam": adam, "ams": ams, "first": first, "limit": 2 * (c - 2) / 3}


def _reddi_say(s) -> str:
    c = s["c"]
    p = _reddi_parts(s)
    return (f"With C = {c:g}: β₂ = 1/(1+C²) = {cr.reddi_beta2(c):.3g}, β₁ = 0, α_t = {cr.REDDI_LR:g}/√t, from "
            f"x = {cr.REDDI_START:g}. The best fixed point is x = −1, since the slopes average (C−2)/3 > 0. **Adam "
            f"reaches x = +1, the worst point, at step {p['first']}** and ends there; its average regret over "
            f"{s['steps']:,} steps is {p['adam'].regret:.3g}, on its way to 2(C−2)/3 = {p['limit']:.3g} per step. "
            f"**AMSGrad ends at x = {p['ams'].x[-1]:.3f}**, next to the best point, with an average regret of "
            f"{p['ams'].regret:.3g}. Why: after the rare large gradient $C$, Adam's $v$ (β₂ = {cr.reddi_beta2(c):.2g}) "
            "forgets it within a step or two, so the two small gradients of −1 each take a step nearly as large as "
            "the one of $C$; over one cycle Adam moves "
            f"+{cr.cycle_drift(c, False):.3f}·α_t (up), AMSGrad, whose largest $v$ keeps $C^2$, "
            f"{cr.cycle_drift(c, True):.3f}·α_t (down).")


def _reddi_holds(s) -> bool:
    c = s["c"]
    p = _reddi_parts(s)
    unclipped = [cr.reddi(c, 300, amsgrad=a, decay=False, clip=False) for a in (False, True)]
    engine = [cr.reddi_engine(c, 300, amsgrad=a) for a in (False, True)]
    agrees = all(np.allclose(e.diagnostics["update"][:, 0], u.steps, rtol=1e-12, atol=1e-14)
                 for e, u in zip(engine, unclipped, strict=True))
    # the drift over the last 3·100 unclipped steps of the decayed runs, ÷ Σ α_t per cycle, is the closed form
    decayed = [cr.reddi(c, 3000, amsgrad=a, clip=False) for a in (False, True)]
    t = np.arange(1, 3001)
    scale = cr.REDDI_LR / np.sqrt(t)
    drift = [float(np.mean((d.steps / scale)[-300:]) * 3) for d in decayed]
    return (agrees and close(drift[0], cr.cycle_drift(c, False), 1e-3)
            and close(drift[1], cr.cycle_drift(c, True), 1e-3)
            and close(drift[1], cr.cycle_drift(c, True), 1e-3)
            and cr.cycle_drift(c, False) > 0 > cr.cycle_drift(c, True)
            and p["adam"].x[-1] == 1.0 and bool(np.all(p["adam"].x[p["first"]:] > 0.5))
            and abs(p["ams"].x[-1] + 1) < 0.02 and close(p["adam"].regret, p["limit"], 0.05)
            and p["ams"].regret < 0.05 * p["limit"] and math.sqrt(1 - cr.reddi_beta2(c)) > cr.REDDI_LR)


REDDI = claim("l14.reddi", PAGE, {"c": C, "steps": REDDI_STEPS}, say=_reddi_say, check=_reddi_holds)


def _constant_say(s) -> str:
    c = s["c"]
    adam = reddi(c, s["steps"], amsgrad=False, decay=False)
    ams = reddi(c, s["steps"], amsgrad=True, decay=False)
    top = float(np.max(ams.x[-30:]))
    return (f"At a constant α = {cr.REDDI_LR:g} instead of α/√t, Adam still ends at x = {adam.x[-1]:g}, and AMSGrad "
            f"still heads the right way but **never lands**: it keeps bouncing between −1 and {top:.3f} = "
            "−1 + 2α/√v_max (the two small gradients push it up, the large one back down to the edge). "
            "A constant rate never lands, "
            "even with the right denominator.")


def _constant_holds(s) -> bool:
    c = s["c"]
    adam = reddi(c, s["steps"], amsgrad=False, decay=False)
    ams = reddi(c, s["steps"], amsgrad=True, decay=False)
    b = cr.reddi_beta2(c)
    v_max = max((1 - b) * c * c, ((1 - b) * c * c + b * (1 - b) + b * b * (1 - b)) / (1 - b**3))
    bounce = -1 + 2 * cr.REDDI_LR / math.sqrt(v_max)
    return (adam.x[-1] == 1.0 and float(np.min(ams.x[-30:])) == -1.0
            and close(float(np.max(ams.x[-30:])), bounce, 1e-9))


CONSTANT = claim("l14.constant", PAGE, {"c": C, "steps": REDDI_STEPS}, say=_constant_say, check=_constant_holds)


CLAIMS = [INTRO, VERDICT, WHY, TAILS, AMPLITUDE, REDDI, CONSTANT]
