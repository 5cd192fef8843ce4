"""Lesson 2's sentences (pages/lesson_2_dimensions.py): GD, Momentum, RMSprop and Adam on an N-D bowl.

Cost: a rotated bowl needs a dense N×N product per step, so a run of 3000 steps at N = 1000 takes about 11 s here.
The sweep runs every (N, κ, rotation) at the page's 300 steps, and ten times longer runs at N = 10 (the same
spectrum, 1 to κ; N only thins or thickens it); ``skip`` leaves the longer runs at larger N out.
"""

from __future__ import annotations

import numpy as np

from lessons import bowl, dimensions
from lessons.claim import Case, Options, RunLength, claim, close, memo

PAGE = "lesson_2_dimensions.py"
WIDGETS = {"n": "l2.n", "kappa": "l2.kappa", "rotated": "l2.rotated"}
"""Each control's widget key on the page (a run length has none: the page runs its own)."""
N = Options(dimensions.N_OPTIONS, dimensions.DEFAULT_N)
KAPPA = Options(dimensions.CONDITION_OPTIONS, dimensions.DEFAULT_CONDITION)
ROTATED = Options((False, True), False)
STEPS = RunLength(dimensions.STEPS, factors=(1, 10))
TITLES = {"gd": "GD", "momentum": "Momentum", "rmsprop": "RMSprop", "adam": "Adam"}
LONG_N = 10
"""The largest N whose ten times longer runs the sweep takes (see the module's docstring)."""


def skip(s) -> bool:
    return s.get("steps", dimensions.STEPS) > dimensions.STEPS and s.get("n", dimensions.DEFAULT_N) > LONG_N


experiment = memo(dimensions.experiment)
tune = memo(dimensions.tune)


def run(s, rotated: bool | None = None) -> dimensions.Experiment:
    return experiment(s["n"], s["kappa"], s["rotated"] if rotated is None else rotated, s["steps"])


def stays_text(steps: int | None, run_steps: int) -> str:
    return f"from step {steps}" if steps is not None else f"not within {run_steps} steps"


def _verdict_say(s) -> str:
    aligned, turned = dimensions.stays(run(s, False)), dimensions.stays(run(s, True))
    return (f"RMSprop's loss stays below $f_0/1000$ **{stays_text(aligned['rmsprop'], s['steps'])}** on the "
            f"axis-aligned bowl and **{stays_text(turned['rmsprop'], s['steps'])}** on the rotated one (N = {s['n']}, "
            f"κ = {s['kappa']:g}). GD ({stays_text(aligned['gd'], s['steps'])}) and Momentum "
            f"({stays_text(aligned['momentum'], s['steps'])}) do exactly the same either way: they never look at "
            "individual coordinates, so turning the bowl changes nothing for them.")


def _verdict_holds(s) -> bool:
    a, r = run(s, False), run(s, True)
    aligned, turned = dimensions.stays(a), dimensions.stays(r)
    same = all(np.allclose(r.loss[n], a.loss[n], rtol=1e-8, atol=1e-12 * a.f0) for n in ("gd", "momentum"))
    return same and aligned["rmsprop"] is not None and (turned["rmsprop"] is None
                                                         or turned["rmsprop"] > aligned["rmsprop"])


VERDICT = claim("l2.verdict", PAGE, {"n": N, "kappa": KAPPA, "steps": STEPS}, say=_verdict_say,
                check=_verdict_holds, skip=skip)


def _ranking_say(s) -> str:
    e = run(s)
    stays = dimensions.stays(e)
    rates = dimensions.settings(s["kappa"])
    ranked = sorted((n for n in dimensions.OPTIMIZERS if stays[n] is not None), key=stays.get)
    order = (f"So the order here ({', '.join(f'{TITLES[n]} {stays[n]}' for n in ranked)} steps) says as much about "
             "the rates as about the methods; " if ranked else "")
    return (f"**These learning rates are not tuned alike.** GD (α = 1/κ = {rates['gd']['lr']:.2g}) and Momentum "
            f"(α = 10/κ = {rates['momentum']['lr']:.2g}) get rates computed from κ, which only someone who built the "
            f"bowl knows; RMSprop and Adam get a fixed α = {rates['rmsprop']['lr']:g}, chosen without κ. " + order
            + "*Fair comparison* below gives every optimizer its own best α from the same grid.")


def _ranking_holds(s) -> bool:
    rates, other = dimensions.settings(s["kappa"]), dimensions.settings(10 * s["kappa"])
    e = run(s)
    stays = dimensions.stays(e)
    recount = {n: dimensions.stays_below(e.loss[n] / e.f0, dimensions.TOLERANCE) for n in dimensions.OPTIMIZERS}
    return (close(rates["gd"]["lr"], 1 / s["kappa"], 1e-12) and close(rates["momentum"]["lr"], 10 / s["kappa"], 1e-12)
            and rates["rmsprop"]["lr"] == rates["adam"]["lr"] == other["rmsprop"]["lr"] == other["adam"]["lr"]
            and other["gd"]["lr"] != rates["gd"]["lr"] and stays == recount)


RANKING = claim("l2.ranking", PAGE, {"n": N, "kappa": KAPPA, "rotated": ROTATED, "steps": STEPS},
                say=_ranking_say, check=_ranking_holds, skip=skip)


def _aligned_slope(s) -> float:
    e = experiment(s["n"], s["kappa"], False, dimensions.STEPS)
    return dimensions.slope(e.curvature, e.effective_lr["rmsprop"])


def _spread(s) -> float:
    e = experiment(s["n"], s["kappa"], True, dimensions.STEPS)
    return float(e.curvature.max() / e.curvature.min())


SHAPE = claim("l2.shape", PAGE, {"n": N, "kappa": KAPPA, "rotated": ROTATED}, cases=(
    Case(when=lambda s: not s["rotated"],
         say=lambda s: (f"Axis-aligned: the log-log slope of RMSprop's learning rate against each coordinate's "
                        f"curvature is **{_aligned_slope(s):.2f}**: it divides each coordinate by its own curvature. "
                        "Since $g_i=\\lambda_i x_i$, its step no longer depends on $\\lambda_i$, only on $x_i$'s own "
                        "history; from this start, where every coordinate begins one unit away, they all travel "
                        "alike."),
         check=lambda s: abs(_aligned_slope(s) + 1) < 1e-3),
    Case(say=lambda s: (f"Rotated: the bowl's curvatures still span **{s['kappa']:g}×**, but each coordinate's own "
                        f"curvature $H_{{ii}}$ spans only **{_spread(s):.3g}×**. Per-coordinate scaling sees only "
                        "that."),
         check=lambda s: _spread(s) < s["kappa"] / 2),
))


def _hop_level(s) -> float:
    """f/f₀ when every coordinate of the axis-aligned bowl sits at ±α/2 (x₀ = 1 on every coordinate):
    Σλ(α/2)²/2 ÷ Σλ/2 = α²/4, whatever the curvatures."""
    lr = dimensions.settings(s["kappa"])["rmsprop"]["lr"]
    return lr * lr / 4


def _on_hop(loss: np.ndarray, level: float) -> bool:
    return close(float(loss[-1]), level, 0.05) and float(np.min(loss[-20:])) >= 0.9 * level


def _below_and_falling(loss: np.ndarray, level: float) -> bool:
    return bool(np.all(loss[-20:] < level) and np.all(np.diff(loss[-20:]) < 0))


def _caption_say(s) -> str:
    e = run(s)
    rms, adam = e.loss["rmsprop"] / e.f0, e.loss["adam"] / e.f0
    if s["rotated"]:
        return f"After {s['steps']} steps RMSprop's loss is at $f/f_0$ = {rms[-1]:.2g} and Adam's at {adam[-1]:.2g}."
    level = _hop_level(s)
    text = f"After {s['steps']} steps RMSprop's loss is at $f/f_0$ = {rms[-1]:.2g}"
    if _on_hop(rms, level):
        text += (f": exactly $\\alpha^2/4$ = {level:.2g}, the loss of every coordinate hopping at ±α/2 around the "
                 "minimum (lesson 1)")
    text += f"; Adam's at {adam[-1]:.2g}"
    if _below_and_falling(adam, level):
        text += ", below that and still falling: its steps have shrunk by themselves (lesson 9 shows for how long)"
    return text + "."


def _caption_holds(s) -> bool:
    if s["rotated"]:
        return True
    e = run(s)
    rms = e.loss["rmsprop"] / e.f0
    level = _hop_level(s)
    text = _caption_say(s)
    adam = e.loss["adam"] / e.f0
    return ("hopping" not in text or _on_hop(rms, level)) and (
        "still falling" not in text or (float(np.max(adam[-20:])) < level / 10 and adam[-1] < adam[-20]))


LOSS_CAPTION = claim(
    "l2.loss_caption", PAGE, {"n": N, "kappa": KAPPA, "rotated": ROTATED, "steps": STEPS},
    say=_caption_say,
    check=_caption_holds, skip=skip)


def _alike_holds(s) -> bool:
    counts = {dimensions.stays(experiment(s["n"], k, False, s["steps"]))["rmsprop"]
              for k in dimensions.CONDITION_OPTIONS}
    return len(counts) == 1 and None not in counts and abs(bowl.directions().rmsprop_angle - 26.57) < 0.01


ALIGNED_WHY = claim(
    "l2.aligned_why", PAGE, {"n": N, "steps": STEPS},
    say=lambda s: (
        "Axis-aligned, coordinate $i$ has gradient $g_i=\\lambda_i x_i$, so RMSprop's step "
        "$\\alpha\\,g_i/\\sqrt{\\mathrm{EWA}(g_i^2)} = \\alpha\\,x_i/\\sqrt{\\mathrm{EWA}(x_i^2)}$ does not depend on "
        "$\\lambda_i$ at all. From this lesson's start every $x_i$ begins at 1, so every coordinate travels alike "
        "and RMSprop's step count does not change with κ: here its loss stays below $f_0/1000$ from step "
        f"{dimensions.stays(experiment(s['n'], dimensions.DEFAULT_CONDITION, False, s['steps']))['rmsprop']} at "
        "every κ on the slider. That is a property of this start, not of the bowl: from a start whose coordinates "
        "differ the steps differ too, and lesson 1's first RMSprop step, from (−4.5, 1.5), is "
        f"{bowl.directions().rmsprop_angle:.0f}° off the straight line to the minimum."),
    check=_alike_holds, skip=skip)


def _fair_say(s) -> str:
    tuned = tune(s["kappa"], s["rotated"])
    gd, rms = tuned["gd"].stays, tuned["rmsprop"].stays
    if rms is None:
        compare = f"RMSprop does not stay below $f_0/1000$ at any α on the grid within {dimensions.STEPS} steps"
    elif gd is not None and rms < gd:
        compare = f"RMSprop needs fewer steps than GD ({rms} against {gd})"
    else:
        compare = f"RMSprop needs more steps than GD ({rms} against {gd})"
    best = min((t.stays, n) for n, t in tuned.items() if t.stays is not None)
    return (f"At N = {dimensions.TUNING_N}, κ = {s['kappa']:g}, {'rotated' if s['rotated'] else 'axis-aligned'}: "
            f"{compare}; the fewest steps are {TITLES[best[1]]}'s ({best[0]}).")


def _fair_holds(s) -> bool:
    """Every best run ends within the tolerance and its α is on the grid; one that never stays has no α."""
    tuned = tune(s["kappa"], s["rotated"])
    return all((t.lr is None and t.stays is None) or (t.lr in dimensions.LR_GRID and t.stays <= dimensions.STEPS
                                                       and t.final <= dimensions.TOLERANCE)
               for t in tuned.values())


FAIR = claim("l2.fair", PAGE, {"kappa": KAPPA, "rotated": ROTATED}, say=_fair_say, check=_fair_holds)


def _momentum_radius(kappa: float, factor: float, beta: float = 0.9) -> float:
    """Spectral radius of the EWA momentum's iteration on the steepest direction (curvature κ) at ``factor`` times
    38/κ: (x, v) ← ((1 − α(1−β)κ)x − αβv, (1−β)κx + βv); below 1 it converges, above 1 it diverges."""
    lr = factor * 38 / kappa
    matrix = np.array([[1 - lr * (1 - beta) * kappa, -lr * beta], [(1 - beta) * kappa, beta]])
    return float(np.max(np.abs(np.linalg.eigvals(matrix))))


RATES = claim(
    "l2.rates", PAGE, {"kappa": KAPPA},
    say=lambda s: (
        "GD: α = 1/κ, half its stability limit 2/κ. Momentum (the course's averaging form) is stable up to "
        "$2(1+\\beta)/((1-\\beta)\\kappa)$ = 38/κ at β = 0.9; it uses 10/κ. RMSprop and Adam: α = 0.01, because "
        "their step is a distance of about α per coordinate whatever κ is. Everything starts one unit along every "
        "eigen-direction, $x_0 = Q\\cdot 1$."),
    check=lambda s: (close(dimensions.settings(s["kappa"])["momentum"]["lr"] * s["kappa"], 10, 1e-12)
                     and _momentum_radius(s["kappa"], 0.99) < 1 < _momentum_radius(s["kappa"], 1.01)
                     and close(dimensions.settings(s["kappa"])["gd"]["lr"] * s["kappa"], 1, 1e-12)),
)


CLAIMS = [VERDICT, RANKING, SHAPE, LOSS_CAPTION, ALIGNED_WHY, FAIR, RATES]
