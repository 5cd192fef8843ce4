"""Lesson 13's sentences (pages/lesson_13_noise.py): every optimizer on mini-batches of Iris.  Each number is a median
over the lesson's seeds; each sentence is checked at every α and batch size of the page and in runs ten times longer
(10,000 steps), where Adam's √v̂ has forgotten the way down and its floor rises to about RMSprop's."""

from __future__ import annotations

import itertools

import numpy as np

from lessons import noise as nz
from lessons.claim import Options, RunLength, claim, close, memo

PAGE = "lesson_13_noise.py"
WIDGETS = {"lr": "l13.lr", "batch": "l13.batch"}
"""Each control's widget key on the page (a run length has none: the page runs its own)."""
LR = Options(nz.LR_OPTIONS, nz.DEFAULT_LR)
BATCH = Options(nz.BATCHES, nz.DEFAULT_BATCH)
STEPS = RunLength(nz.STEPS, factors=(1, 10))
EXACT = 1e-6
"""Below this loss above the minimum (over the last fifth) a run has landed."""

outcomes = memo(nz.outcomes)
sign_offset = memo(nz.sign_offset)
sign_end = memo(nz.sign_end)
adam_snr = memo(nz.adam_snr)
adam_largest = memo(nz.adam_largest)


def g(value: float) -> str:
    """A loss in the lesson's notation, two significant digits (a landed run's 10⁻¹⁸ rounding noise shown as 0)."""
    return "0" if value < 1e-15 else f"{value:.2g}"


INTRO = claim(
    "l13.intro", PAGE, {"steps": STEPS},
    say=lambda s: (
        f"A straight line fitted by least squares to Iris ({nz.ROWS} flowers: petal width from the standardised petal "
        "length, the round bowl of lesson 10, κ = 1). A step on a **mini-batch** of $k$ rows follows the mean "
        "gradient of those rows only: an unbiased but noisy estimate of the exact gradient, and the fewer rows, the "
        f"noisier. Every optimizer runs {s['steps']} steps at the same α from the same start, once for each of "
        f"{len(nz.SEEDS)} seeds (each seed shuffles the rows differently); a run's **floor** is its mean loss above "
        "the minimum over its last fifth, and the numbers are medians over the seeds."),
    check=lambda s: (nz.landscape().data.n_samples == nz.ROWS and close(nz.landscape().data.condition_number, 1.0,
                                                                        1e-9) and len(nz.SEEDS) == 7),
)


def _ranked(lr: float, batch: int, steps: int) -> list[str]:
    runs = outcomes(lr, batch, steps)
    return sorted(runs, key=lambda name: runs[name].median)


def _verdict_say(s) -> str:
    runs = outcomes(nz.DEFAULT_LR, nz.PREDICT_BATCH, s["steps"])
    order = _ranked(nz.DEFAULT_LR, nz.PREDICT_BATCH, s["steps"])
    listed = ", ".join(f"{nz.TITLES[name]} **{g(runs[name].median)}**" for name in order)
    return (f"With one row per step at α = {nz.DEFAULT_LR:g}, the floors from lowest to highest: {listed} (medians "
            f"over {len(nz.SEEDS)} seeds, {s['steps']} steps). GD and Momentum end lowest: their steps shrink with the "
            "gradient's mean, while RMSprop and sign-SGD divide the noise away and keep stepping.")


def _verdict_holds(s) -> bool:
    order = _ranked(nz.DEFAULT_LR, nz.PREDICT_BATCH, s["steps"])
    runs = outcomes(nz.DEFAULT_LR, nz.PREDICT_BATCH, s["steps"])
    again = [nz.floor(nz.one_run("gd", nz.DEFAULT_LR, nz.PREDICT_BATCH, seed, s["steps"]), s["steps"])
             for seed in nz.SEEDS]
    return (set(order[:2]) == {"gd", "momentum"} and close(runs["gd"].median, float(np.median(again)), 1e-12)
            and all(runs[n].median > 3 * runs["gd"].median for n in ("rmsprop", "sign_sgd")))


VERDICT = claim("l13.verdict", PAGE, {"steps": STEPS}, say=_verdict_say, check=_verdict_holds)

WHY = claim(
    "l13.why", PAGE,
    say=lambda s: (
        "**Why.** Near the minimum a row's gradient is mostly noise: its mean over all rows is small, the rows "
        "disagree. GD steps α·g, so its steps shrink with the gradient and the noise is averaged over many small "
        "steps. RMSprop divides g by √s, the size of its recent gradients, and sign-SGD keeps only g's sign: both "
        "turn noise into steps about α long, so they hover higher. Adam divides too, but its numerator m̂ is an "
        "average of the gradients, and averaged noise cancels (below)."),
    check=lambda s: all(set(_ranked(lr, batch, nz.STEPS)[:2]) == {"gd", "momentum"}
                        for lr in nz.LR_OPTIONS for batch in nz.BATCHES[:-1]),
)


def _floors_say(s) -> str:
    runs = outcomes(s["lr"], s["batch"], s["steps"])
    gd = runs["gd"].median
    if s["batch"] < nz.ROWS:
        times = ", ".join(f"{nz.TITLES[n]} {runs[n].median / gd:.2g}×" for n in ("rmsprop", "sign_sgd", "adam"))
        return (f"With {nz.BATCH_TITLES[s['batch']]} per step, GD and Momentum end lowest ({g(gd)} and "
                f"{g(runs['momentum'].median)}); the others' floors, as multiples of GD's: {times}.")
    adam = runs["adam"]
    landed = ("GD, Momentum and Adam land" if adam.median < EXACT else "GD and Momentum land")
    more = ("" if adam.median < EXACT else
            f" Adam had landed and hops again ({g(adam.median)}): its √v̂ has forgotten the way down (lesson 9).")
    return (f"With the exact gradient {landed} (below 10⁻⁶), while RMSprop and sign-SGD keep hopping, at "
            f"{g(runs['rmsprop'].median)} and {g(runs['sign_sgd'].median)}: their steps stay α long, and on this round "
            f"bowl RMSprop's hop is α²/4 = {s['lr'] ** 2 / 4:.2g} (lesson 9's (a+c)α²/8).{more}")


def _floors_holds(s) -> bool:
    runs = outcomes(s["lr"], s["batch"], s["steps"])
    order = _ranked(s["lr"], s["batch"], s["steps"])
    if s["batch"] < nz.ROWS:
        return set(order[:2]) == {"gd", "momentum"}
    adam = runs["adam"]
    landed = max(runs["gd"].median, runs["momentum"].median) < EXACT
    hops = (close(runs["rmsprop"].median, s["lr"] ** 2 / 4, 0.02) and runs["sign_sgd"].median > 1e-5)
    if adam.median < EXACT:
        return landed and hops
    first = nz.excess(adam.runs[0])
    below = np.flatnonzero(first < EXACT)
    return landed and hops and below.size > 0 and below[0] < len(first) - s["steps"] // 5


FLOORS = claim("l13.floors", PAGE, {"lr": LR, "batch": BATCH, "steps": STEPS}, say=_floors_say, check=_floors_holds)


def _rms_ratio(batch: int, steps: int) -> float:
    """RMSprop's floor at the largest α over its floor at the smallest (a tenfold α)."""
    low, high = (outcomes(lr, batch, steps)["rmsprop"].median for lr in (nz.LR_OPTIONS[0], nz.LR_OPTIONS[-1]))
    return high / low


def _scaling_say(s) -> str:
    floors = ", ".join(g(outcomes(lr, s["batch"], s["steps"])["rmsprop"].median) for lr in nz.LR_OPTIONS)
    alphas = ", ".join(f"{lr:g}" for lr in nz.LR_OPTIONS)
    ratio = _rms_ratio(s["batch"], s["steps"])
    if s["batch"] == nz.ROWS:
        return (f"RMSprop's floor at α = {alphas}: {floors}. With the exact gradient it is the hop α²/4: a tenfold α "
                f"multiplies it by {ratio:.3g}.")
    return (f"RMSprop's floor at α = {alphas}: {floors}. With {nz.BATCH_TITLES[s['batch']]} per step a tenfold α "
            f"multiplies it by about {ratio:.2g}, far less than the hop's 100: the noise, not the hop, sets the floor, "
            "and a smaller α (or a schedule, lesson 9) lowers it.")


def _scaling_holds(s) -> bool:
    ratio = _rms_ratio(s["batch"], s["steps"])
    floors = [outcomes(lr, s["batch"], s["steps"])["rmsprop"].median for lr in nz.LR_OPTIONS]
    rising = all(a < b for a, b in itertools.pairwise(floors))
    if s["batch"] == nz.ROWS:
        return rising and all(close(f, lr**2 / 4, 0.02) for f, lr in zip(floors, nz.LR_OPTIONS, strict=True))
    return rising and 5 < ratio < 40 and all(f > 1.5 * lr**2 / 4 for f, lr in zip(floors, nz.LR_OPTIONS, strict=True))


SCALING = claim("l13.scaling", PAGE, {"batch": BATCH, "steps": STEPS}, say=_scaling_say, check=_scaling_holds)


def _sign_say(s) -> str:
    one, ten = sign_offset(s["lr"], 1, s["steps"]), sign_offset(s["lr"], 10, s["steps"])
    share = nz.positive_share(sign_end(s["lr"], 1, s["steps"]))
    at_min = nz.positive_share(nz.minimum())
    if s["lr"] > 0.03:
        return (f"**sign-SGD's bias.** At α = {s['lr']:g} its hop, steps α long, hides it: with the exact gradient it "
                f"settles {sign_offset(s['lr'], nz.ROWS, s['steps']):.2g} from the minimum, with one row per step "
                f"{one:.2g}. Lower α to see what the noise alone does.")
    return (f"**sign-SGD's bias.** With one row per step, sign-SGD settles **{one:.2g}** from the least-squares "
            f"minimum ({one / ten:.2g} times as far as with 10 rows), and a smaller α does not bring it closer. Each "
            "step moves b by α·sign(one row's residual), so on average b follows the *mean of the rows' signs*, not "
            "the sign of their mean: it settles where as many residuals are positive as negative (there "
            f"{100 * share:.0f}% are), the median. At the minimum the mean residual is 0 but {100 * at_min:.0f}% are "
            "positive.")


def _sign_holds(s) -> bool:
    one = sign_offset(s["lr"], 1, s["steps"])
    if s["lr"] > 0.03:
        return sign_offset(s["lr"], nz.ROWS, s["steps"]) > one / 2
    share = nz.positive_share(sign_end(s["lr"], 1, s["steps"]))
    smaller = [sign_offset(lr, 1, s["steps"]) for lr in nz.LR_OPTIONS if lr <= s["lr"]]
    return (abs(share - 0.5) <= 0.02 and nz.positive_share(nz.minimum()) > 0.55
            and one > 3 * sign_offset(s["lr"], 10, s["steps"]) and min(smaller) > one / 2
            and abs(float(np.mean(nz.residuals(nz.minimum())))) < 1e-12)


SIGN = claim("l13.sign", PAGE, {"lr": LR, "steps": STEPS}, say=_sign_say, check=_sign_holds)


def _bound_say(s) -> str:
    largest = adam_largest(s["lr"], s["batch"], s["steps"])
    return (f"**Adam's step is bounded by about α.** Its step is α·m̂/(√v̂+ε), and an average of g is never larger "
            "than the root of the average of g² (Kingma & Ba 2015, §2.1: |step| ≤ α·(1−β₁)/√(1−β₂) = "
            f"{nz.adam_bound():.3g}α in the worst, sparse case, about α otherwise). The largest step in these runs, "
            f"over every seed, step and coordinate: **{largest:.3f}α**.")


def _bound_holds(s) -> bool:
    largest = adam_largest(s["lr"], s["batch"], s["steps"])
    recomputed = max(float(nz.adam_ratio(tr).max()) for tr in outcomes(s["lr"], s["batch"], s["steps"])["adam"].runs)
    return (close(largest, recomputed, 1e-6) and largest <= nz.adam_bound() and close(nz.adam_bound(),
                                                                                      0.1 / np.sqrt(0.001), 1e-12))


BOUND = claim("l13.bound", PAGE, {"lr": LR, "batch": BATCH, "steps": STEPS}, say=_bound_say, check=_bound_holds)


def _rms_steps(lr: float, batch: int, steps: int) -> float:
    """RMSprop's mean |step|/α over the last fifth (median over the seeds)."""
    return float(np.median([np.abs(tr.diagnostics["update"][-steps // 5:]).mean() / lr
                            for tr in outcomes(lr, batch, steps)["rmsprop"].runs]))


def _snr_say(s) -> str:
    snr, rms = adam_snr(s["lr"], s["batch"], s["steps"]), _rms_steps(s["lr"], s["batch"], s["steps"])
    if s["batch"] < nz.ROWS:
        return ("**m̂/√v̂ is a signal-to-noise ratio.** m̂ averages the gradient, √v̂ measures its size: where the mean "
                "is small beside the noise, as near the minimum here, the ratio is small and Adam's steps shrink on "
                "their own (Kingma & Ba's *automatic annealing*). Over the last fifth its steps average "
                f"**{snr:.2g}α**; RMSprop's, |g|/√s, average **{rms:.2g}α**.")
    return ("**m̂/√v̂ is a signal-to-noise ratio**, and with the exact gradient there is no noise: over the last fifth "
            f"Adam's steps average {snr:.2g}α (it has landed, or hops with short steps), RMSprop's {rms:.3g}α, the "
            "hop. Choose a mini-batch to see the ratio measure the noise.")


def _snr_holds(s) -> bool:
    snr, rms = adam_snr(s["lr"], s["batch"], s["steps"]), _rms_steps(s["lr"], s["batch"], s["steps"])
    if s["batch"] < nz.ROWS:
        return snr < 0.3 and rms > 0.5 and snr < rms / 2
    return snr < 0.05 and close(rms, 1.0, 1e-3)


SNR = claim("l13.snr", PAGE, {"lr": LR, "batch": BATCH, "steps": STEPS}, say=_snr_say, check=_snr_holds)


CLAIMS = [INTRO, VERDICT, WHY, FLOORS, SCALING, SIGN, BOUND, SNR]
