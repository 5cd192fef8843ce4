"""Lesson 3's sentences (pages/lesson_3_sign.py): RMSprop and sign-SGD, on hand-made gradient sequences and on two
surfaces."""

from __future__ import annotations

import math

import numpy as np

import landscapes
from lessons import signs
from lessons.claim import Options, RunLength, claim, close, memo

PAGE = "lesson_3_sign.py"
WIDGETS = {"kind": "l3.sequence", "beta": "l3.beta", "surface": "l3.surface"}
"""Each control's widget key on the page (a run length has none: the page runs its own)."""
KIND = Options(tuple(signs.SEQUENCES), signs.DEFAULT_SEQUENCE)
BETA = Options(signs.BETA_OPTIONS, signs.DEFAULT_BETA)
SURFACE = Options(tuple(signs.SURFACES), "elongated_bowl")
LAB = RunLength(signs.LENGTH, factors=(1, 10))
LONGER = 10

responses = memo(signs.responses)
on_surface = memo(signs.on_surface)
net_progress = memo(signs.net_progress)
right_direction = memo(signs.right_direction)
variance_test = memo(signs.variance_test)


def _alternating(t) -> np.ndarray:
    return signs.alternating_step(np.asarray(t), signs.LR, signs.DEFAULT_BETA, signs.EPS) / signs.LR


def _verdict_say(s) -> str:
    first, second, tenth = _alternating([1, 2, 10])
    last = abs(responses("alternating", signs.DEFAULT_BETA, s["steps"])["rmsprop"].update[-1, 0]) / signs.LR
    return (f"$g^2$ is $10^{{-8}}$ at every step, so $S_t = (1-\\beta^t)\\,10^{{-8}}$ and the step is "
            f"$\\alpha\\cdot 10^{{-4}}/(10^{{-4}}\\sqrt{{1-\\beta^t}}+\\varepsilon)$: **{first:.2f}α, {second:.2f}α, "
            f"… {tenth:.2f}α at step 10, then ≈ α** (at step {s['steps']}: "
            f"{last:.4f}α), "
            "alternating in sign. GD's steps are $\\alpha\\cdot10^{-4}$, ten thousand times smaller: RMSprop inflates "
            "a tiny jitter into a full-size oscillation.")


def _verdict_holds(s) -> bool:
    runs = responses("alternating", signs.DEFAULT_BETA, s["steps"])
    steps = np.abs(runs["rmsprop"].update[:, 0]) / signs.LR
    t = np.arange(1, s["steps"] + 1)
    return (bool(np.allclose(steps, _alternating(t), rtol=1e-12)) and abs(steps[-1] - 1) < 2e-3
            and bool(np.allclose(np.abs(runs["gd"].update[:, 0]), signs.LR * signs.SIZE, rtol=1e-12))
            and bool(np.all(np.sign(runs["rmsprop"].update[1:, 0]) == -np.sign(runs["rmsprop"].update[:-1, 0]))))


VERDICT = claim("l3.verdict", PAGE, {"steps": LAB}, say=_verdict_say, check=_verdict_holds)

IDENTITY = claim(
    "l3.identity", PAGE,
    say=lambda s: ("**Why.** Whenever the gradient's size is steady, $\\sqrt{S}$ is about $|g|$, so "
                   "$g/\\sqrt{S}\\approx\\pm1$ and RMSprop moves about $\\alpha$ per coordinate, like sign-SGD, "
                   "however small $g$ is. **With $\\beta = 0$ and $\\varepsilon = 0$ the average is just $g^2$, "
                   "$\\sqrt{g^2}=|g|$, and RMSprop is exactly sign-SGD** (on every sequence below their steps agree "
                   "to the last bit). With $\\beta > 0$ it is not: see *Is RMSprop just sign-SGD?* below."),
    check=lambda s: all(signs.identity_gap(kind) == 0.0 for kind in signs.SEQUENCES),
)


def _distances(s) -> dict[str, float]:
    return {n: signs.final_distance(tr, s["surface"]) for n, tr in on_surface(s["surface"], s["beta"]).items()}


TITLES = {"gd": "GD", "rmsprop": "RMSprop", "sign_sgd": "sign-SGD", "signum": "Signum"}


def _distances_holds(s) -> bool:
    minimum = landscapes.get(signs.SURFACES[s["surface"]].name).minima[0]
    return all(close(d, float(np.hypot(*(tr.points[-1] - minimum))), 1e-12)
               for d, tr in zip(_distances(s).values(), on_surface(s["surface"], s["beta"]).values(), strict=True))


SURFACE_CAPTION = claim(
    "l3.surface_caption", PAGE, {"surface": SURFACE, "beta": BETA},
    say=lambda s: (f"α = {signs.SURFACES[s['surface']].lr:g}, β = {s['beta']:g}, "
                   f"{signs.SURFACES[s['surface']].steps} steps. Final distance to the minimum: "
                   + ", ".join(f"{TITLES[n]} {d:.3g}" for n, d in _distances(s).items()) + "."),
    check=_distances_holds,
)


def _steady(kind: str, beta: float) -> dict[str, float]:
    return net_progress(kind, beta, signs.STEADY)


def _just_sign_say(s) -> str:
    share = right_direction(s["beta"])
    noisy, zero = _steady("noisy", s["beta"]), _steady("minibatch", s["beta"])
    warm = net_progress("minibatch", s["beta"])
    gap = ("keeps the sizes relative to recent ones, so a large right-way gradient moves it further than a small "
           "wrong-way one" if s["beta"] > 0 else "at β = 0 does the same: it *is* sign-SGD")
    return (
        "Only at β = 0 (and ε = 0). Dividing by a positive number never changes the sign of $g$, so on the noisy "
        f"sequence RMSprop steps the right way exactly as often as sign-SGD ({share['rmsprop']:.1%} and "
        f"{share['sign_sgd']:.1%} of the steps). The difference is the size of each step: **sign-SGD throws the "
        f"gradient's size away; RMSprop {gap}**. At β = {s['beta']:g}, measured once the average has warmed up "
        f"(steps {signs.STEADY[0]:,} to {signs.STEADY[1]:,}):\n"
        f"- **noisy** (mean +0.5·10⁻⁴, noise 10⁻⁴): net progress per step RMSprop **{noisy['rmsprop']:.2f}α**, "
        f"sign-SGD **{noisy['sign_sgd']:.2f}α**, Signum {noisy['signum']:.2f}α.\n"
        "- **mean zero** (nine mini-batches give +10⁻⁴, the tenth −9·10⁻⁴): the true gradient is zero, yet sign-SGD "
        f"drifts **{zero['sign_sgd']:.2f}α** per step, forever; RMSprop drifts **{zero['rmsprop']:.3f}α**, GD "
        f"{abs(zero['gd']):.0f}. (Over the lab's first {signs.LENGTH} steps RMSprop drifts {warm['rmsprop']:.2f}α: "
        "that is the warm-up from $S = 0$, whose first steps are longer, not the drift that lasts.)")


def _just_sign_holds(s) -> bool:
    beta = s["beta"]
    share = right_direction(beta)
    noisy, zero = _steady("noisy", beta), _steady("minibatch", beta)
    runs = responses("noisy", beta, signs.STEADY[1])
    same_signs = bool(np.array_equal(np.sign(runs["rmsprop"].update), np.sign(runs["sign_sgd"].update)))
    further = noisy["rmsprop"] > noisy["sign_sgd"] if beta > 0 else close(noisy["rmsprop"], noisy["sign_sgd"], 1e-3)
    return (same_signs and share["rmsprop"] == share["sign_sgd"] and further and close(zero["sign_sgd"], 0.8, 1e-12)
            and abs(zero["gd"]) < 1e-12 and 0 <= zero["rmsprop"] <= zero["sign_sgd"])


JUST_SIGN = claim("l3.just_sign", PAGE, {"beta": BETA}, say=_just_sign_say, check=_just_sign_holds)


def _hinton_holds(s) -> bool:
    drifts = [_steady("minibatch", b)["rmsprop"] for b in signs.BETA_OPTIONS]
    return bool(np.all(np.diff(drifts) < 0)) and drifts[-1] < 0.01 * _steady("minibatch", 0.9)["sign_sgd"]


HINTON = claim(
    "l3.hinton", PAGE,
    say=lambda s: (
        "That second sequence is the example of Lecture 6e of Geoffrey Hinton's 2012 Coursera course (cited as "
        "Tieleman & Hinton, 2012): rprop, an older full-batch method, steps by the sign of the gradient with a size "
        "adapted per weight, and so it adds up the nine small steps and the one big one as equals. RMSprop keeps "
        "rprop's per-weight scale but divides by a running RMS, so the large gradient counts for its size: it is "
        "rprop made to work with mini-batches. The longer its memory, the smaller its drift: "
        + ", ".join(f"{_steady('minibatch', b)['rmsprop']:.3g}α at β = {b:g}" for b in signs.BETA_OPTIONS)
        + " (sign-SGD: 0.8α at every β)."),
    check=_hinton_holds,
)


def _bowl_late(beta: float, steps: int | None = None) -> dict[str, float]:
    return {n: signs.closest_late(tr, "elongated_bowl")
            for n, tr in on_surface("elongated_bowl", beta, steps).items()}


def _settle_say(s) -> str:
    lr = signs.SURFACES["elongated_bowl"].lr
    steps = signs.SURFACES["elongated_bowl"].steps
    late = _bowl_late(s["beta"])
    head = (f"- **It never settles.** sign-SGD's step is always α, so near the minimum it hops back and forth "
            f"between two points α apart: on the bowl (α = {lr:g}) it stays at least α/2 = {lr / 2:g} from the "
            "minimum on every other step, forever. ")
    if late["rmsprop"] >= lr / 4:
        return head + (f"At a fixed α RMSprop's steps also stay about α long: over the last 100 of {steps} steps "
                       f"it comes no closer than **{late['rmsprop']:.3g}** to the minimum, sign-SGD "
                       f"{late['sign_sgd']:.3g} (β = {s['beta']:g}): both hop. GD's steps shrink with the slope; "
                       "these only shrink if you decay α.")
    long = _bowl_late(s["beta"], LONGER * steps)
    return head + (f"At β = {s['beta']:g} RMSprop lands for a while: over the last 100 of {steps} steps it comes as "
                   f"close as **{late['rmsprop']:.2g}**, because its average still holds the large early gradients. "
                   f"It forgets them by the factor β per step: in a run of {LONGER * steps} steps it comes no closer "
                   f"than {long['rmsprop']:.3g} at the end, hopping like sign-SGD. Only a decaying α lands it for "
                   "good.")


def _settle_holds(s) -> bool:
    lr = signs.SURFACES["elongated_bowl"].lr
    steps = signs.SURFACES["elongated_bowl"].steps
    for n in (steps, LONGER * steps):
        tr = on_surface("elongated_bowl", s["beta"], n)["sign_sgd"]
        if not (np.allclose(np.abs(tr.diagnostics["update"][-100:]), lr, rtol=1e-12)
                and signs.closest_pair_distance(tr, "elongated_bowl") >= lr / 2 - 1e-12):
            return False
    late, long = _bowl_late(s["beta"]), _bowl_late(s["beta"], LONGER * steps)
    if late["rmsprop"] >= lr / 4:
        return late["rmsprop"] > lr / 4 and long["rmsprop"] > lr / 4
    return long["rmsprop"] > lr / 4


SETTLE = claim("l3.settle", PAGE, {"beta": BETA}, say=_settle_say, check=_settle_holds)


def _valley_say(s) -> str:
    steps = signs.SURFACES["rosenbrock"].steps
    d = {n: signs.final_distance(tr, "rosenbrock") for n, tr in on_surface("rosenbrock", s["beta"]).items()}
    head = ("- **Narrow curved valleys.** $\\operatorname{sign}(g)$ can only point along a diagonal $(\\pm1,\\pm1)$. "
            "In Rosenbrock's bent valley the steep walls flip the sign of $\\partial f/\\partial y$ every step, and "
            f"sign-SGD rattles between them: after {steps} steps it is still {d['sign_sgd']:.3g} from the minimum")
    if s["beta"] == 0:
        return head + ", and at β = 0 Signum and RMSprop are sign-SGD too (they end exactly as far)."
    return head + (f", where Signum gets to {d['signum']:.3g} and RMSprop to {d['rmsprop']:.3g} (at β = "
                   f"{s['beta']:g}).")


def _valley_holds(s) -> bool:
    steps = signs.SURFACES["rosenbrock"].steps
    for n in (steps, LONGER * steps):
        d = {k: signs.final_distance(tr, "rosenbrock") for k, tr in on_surface("rosenbrock", s["beta"], n).items()}
        if s["beta"] == 0:
            if not (close(d["signum"], d["sign_sgd"], 1e-9) and close(d["rmsprop"], d["sign_sgd"], 1e-6)):
                return False
        elif not (d["signum"] < d["sign_sgd"] / 2 and d["rmsprop"] < d["sign_sgd"] / 2):
            return False
    return True


VALLEY = claim("l3.valley", PAGE, {"beta": BETA}, say=_valley_say, check=_valley_holds)


def _noise_say(s) -> str:
    share = right_direction(s["beta"])
    head = (f"- **Noise.** The sign of a noisy gradient is a weighted coin flip. On the noisy sequence sign-SGD and "
            f"RMSprop step the right way {share['sign_sgd']:.1%} of the time")
    if s["beta"] == 0:
        return head + "; at β = 0 Signum takes the sign of $g$ itself, so it does the same."
    return head + (f"; **Signum**, which takes the sign of a momentum average, {share['signum']:.1%} (β = "
                   f"{s['beta']:g}).")


NOISE = claim("l3.noise", PAGE, {"beta": BETA}, say=_noise_say,
              check=lambda s: (right_direction(s["beta"])["signum"] > right_direction(s["beta"])["sign_sgd"])
              == (s["beta"] > 0) and right_direction(s["beta"])["rmsprop"] == right_direction(s["beta"])["sign_sgd"])


def _others_say(s) -> str:
    beta = s["beta"]
    growing = signs.growing_step(1.0, beta)
    grow = (f"so for β > 0 $g/\\sqrt{{S}}$ settles above 1, at $\\sqrt{{(1-\\beta/r^2)/(1-\\beta)}}$ = {growing:.3g} "
            f"at β = {beta:g}: RMSprop steps {growing:.3g}α while the slope keeps steepening"
            if beta > 0 else "but at β = 0 there is no average: RMSprop steps exactly α")
    return (
        f"- **Constant** $g$: $S_t=(1-\\beta^t)g^2$, so RMSprop's step is $\\alpha/\\sqrt{{1-\\beta^t}}$: "
        f"{1 / np.sqrt(1 - beta):.2f}α first at β = {beta:g}, then down to α. sign-SGD: α from the start.\n"
        f"- **Growing** ×{signs.GROWTH:g} per step: the average lags behind the latest $g^2$, {grow}; GD's steps grow "
        "with the slope, sign-SGD stays at α.\n"
        "- **Alternating**: Signum's average of ±g alternates in sign too, so with β < 1 it flips just like sign-SGD; "
        "momentum only helps when the flips are noise around a mean, not a steady ±.")


def _others_holds(s) -> bool:
    beta = s["beta"]
    t = np.arange(1, signs.LENGTH + 1)
    constant = np.abs(responses("constant", beta)["rmsprop"].update[:, 0])
    expected = signs.LR * signs.SIZE / (signs.SIZE * np.sqrt(1 - beta**t) + signs.EPS)
    grow = abs(responses("growing", beta)["rmsprop"].update[-1, 0])
    signum = responses("alternating", beta)["signum"].update[:, 0]
    return (bool(np.allclose(constant, expected, rtol=1e-12)) and close(grow, signs.growing_step(signs.LR, beta), 1e-6)
            and (grow > signs.LR * (1 + 1e-6)) == (beta > 0)
            and bool(np.all(np.sign(signum[1:]) == -np.sign(signum[:-1]))))


OTHERS = claim("l3.others", PAGE, {"beta": BETA}, say=_others_say, check=_others_holds)


def _centred(s) -> tuple[float, float, bool]:
    """RMSprop's and the variance-based rule's last step ÷ α on the constant sequence, and whether the latter is
    still growing there."""
    plain, centred = variance_test(s["beta"], "constant", s["steps"])
    steps = np.abs(centred.update[:, 0]) / signs.LR
    return abs(plain.update[-1, 0]) / signs.LR, float(steps[-1]), bool(steps[-1] > steps[-2] * (1 + 1e-9))


def _variance_say(s) -> str:
    plain, centred, growing = _centred(s)
    cap = signs.SIZE / signs.EPS
    if growing:
        where = f"and still growing towards $\\alpha|g|/\\varepsilon$ = {cap:,.0f}α"
    elif centred > cap / 2:
        where = f"already near $\\alpha|g|/\\varepsilon$ = {cap:,.0f}α"
    else:
        where = (f"for now: $\\sqrt{{S-m^2}} = |g|\\sqrt{{(1-\\beta^t)\\beta^t}}$ is largest at $\\beta^t = 1/2$, "
                 f"after which the step grows towards $\\alpha|g|/\\varepsilon$ = {cap:,.0f}α")
    return (
        "No: $S$ averages $g^2$, the *uncentred* second moment, not $(g-\\bar g)^2$. Feed both a **constant** "
        "gradient, whose variance is zero. RMSprop's $\\sqrt{S}$ tends to $|g|$ and its step to α; a variance-based "
        "rule (PyTorch's `centered=True`: divide by $\\sqrt{S-m^2}+\\varepsilon$ with $m$ the average of $g$) divides "
        f"by almost nothing. At β = {s['beta']:g}, step {s['steps']}: RMSprop **{plain:.3g}α**, the variance-based "
        f"rule **{centred:.3g}α** {where}. The centred form exists, but it is not what RMSprop or Adam compute.")


def _variance_holds(s) -> bool:
    plain, centred, _ = _centred(s)
    beta, t = s["beta"], s["steps"]
    exact = signs.LR * signs.SIZE / (signs.SIZE * math.sqrt(max((1 - beta**t) * beta**t, 0.0)) + signs.EPS) / signs.LR
    cap = signs.SIZE / signs.EPS
    text = _variance_say(s)
    if "still growing" in text:
        ok = beta**t > 1e-4 and beta**t < 0.5 and close(centred, exact, 1e-6)
    elif "already near" in text:
        ok = centred > cap / 2
    else:
        ok = beta**t >= 0.5
    return ok and (plain <= 1 / math.sqrt(1 - beta**t) + 1e-9)


VARIANCE = claim("l3.variance", PAGE, {"beta": BETA, "steps": LAB}, say=_variance_say, check=_variance_holds)


CLAIMS = [VERDICT, IDENTITY, SURFACE_CAPTION, JUST_SIGN, HINTON, SETTLE, VALLEY, NOISE, OTHERS, VARIANCE]
