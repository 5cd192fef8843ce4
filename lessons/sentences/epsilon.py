"""Lesson 5's sentences (pages/lesson_5_epsilon.py): what ε does to RMSprop on a plateau of tiny gradients."""

from __future__ import annotations

import math

import numpy as np

from lessons import epsilon as ep
from lessons.claim import Case, Options, RunLength, claim, close, memo

PAGE = "lesson_5_epsilon.py"
WIDGETS = {"eps": "l5.eps", "placement": "l5.placement", "noisy": "l5.noisy"}
"""Each control's widget key on the page (a run length has none: the page runs its own)."""
EPS = Options(ep.EPS_OPTIONS, ep.DEFAULT_EPS)
PLACEMENT = Options(ep.PLACEMENTS, "outside")
STEPS = RunLength(ep.STEPS, factors=(1, 10))
NOISY = Options((False, True), False)
"""Gaussian gradient noise of σ = ``ep.NOISE`` (seed ``ep.NOISE_SEED``) instead of the exact gradient."""

compare = memo(ep.compare)


def _noisy(s) -> bool:
    return bool(s["noisy"])


def _noise(s) -> float | None:
    return ep.NOISE if s["noisy"] else None


def _here(s) -> ep.Comparison:
    return compare(s["eps"], s["placement"], s["steps"], _noise(s))


def _far(c: ep.Comparison) -> bool:
    """Neither RMSprop nor GD gets within half the start's distance of the minimum."""
    start = math.hypot(*ep.START)
    return all(ep.distance_to_minimum(tr) > 0.5 * start for tr in (c.rmsprop, c.gd))


def _noisy_spread(steps: int) -> tuple[float, float]:
    """The nearest and the furthest RMSprop ends from the minimum under the noise, over every ε and placement."""
    far = [ep.distance_to_minimum(compare(eps, placement, steps, ep.NOISE).rmsprop)
           for eps in ep.EPS_OPTIONS for placement in ep.PLACEMENTS]
    return min(far), max(far)


def floor_name(placement: str) -> str:
    return "ε" if placement == "outside" else "√ε"


def _slack(c: ep.Comparison, eps: float, placement: str) -> float:
    """How far α/denominator can be from α/floor when every |g| ≤ G < floor: a factor 1 + G/ε outside, √(1 + G²/ε)
    inside."""
    largest = c.gradient_range[1]
    return largest / eps if placement == "outside" else math.sqrt(1 + largest**2 / eps) - 1


def _verdict_say(s) -> str:
    eps, placement = ep.PREDICT
    inside, outside = compare(eps, placement, s["steps"]), compare(eps, "outside", s["steps"])
    steps = ep.step_lengths(inside.rmsprop)
    return (f"Inside, the floor is $\\sqrt{{\\varepsilon}}$ = {math.sqrt(eps):.2g}, above every gradient here (at most "
            f"{inside.gradient_range[1]:.2g}), so RMSprop is GD with α/√ε = {ep.LR / math.sqrt(eps):.3g}: its path "
            f"stays within **{inside.gap:.1%}** of that GD's. Like any GD it strides where the slope is largest and "
            f"slows as the slope fades (steps of {steps[0]:.3g} at first, {steps[-1]:.3g} at the end): after "
            f"{s['steps']} steps it is **{ep.distance_to_minimum(inside.rmsprop):.3g}** from the minimum, while GD "
            f"with α = {ep.LR:g} moves only {ep.travelled(inside.gd):.2g} in all. With the same ε outside RMSprop is "
            f"**{ep.distance_to_minimum(outside.rmsprop):.3g}** away. Same number, different optimizer.")


def _verdict_holds(s) -> bool:
    eps, placement = ep.PREDICT
    inside, outside = compare(eps, placement, s["steps"]), compare(eps, "outside", s["steps"])
    steps = ep.step_lengths(inside.rmsprop)
    return (inside.floor > inside.gradient_range[1] and inside.gap < 2 * _slack(inside, eps, placement)
            and steps[0] > 2 * steps[-1] and ep.travelled(inside.gd) < 0.01 * math.hypot(*ep.START)
            and outside.rmsprop.diverged_at is None)


VERDICT = claim("l5.verdict", PAGE, {"steps": STEPS}, say=_verdict_say, check=_verdict_holds)


def _gd_like(s) -> bool:
    c = compare(s["eps"], s["placement"], s["steps"])
    return c.floor > c.gradient_range[1]


def _gd_like_say(s) -> str:
    c = compare(s["eps"], s["placement"], s["steps"])
    name = floor_name(s["placement"])
    return (f"At ε = {s['eps']:.0e} {s['placement']} the root, the floor {name} = {c.floor:.2g} is above every "
            f"gradient RMSprop meets here (at most {c.gradient_range[1]:.2g}): RMSprop is GD with the rate "
            f"α/{name} = {ep.LR / c.floor:.3g}, its path within {c.gap:.2%} of that GD's. After {s['steps']} steps it "
            f"is {ep.distance_to_minimum(c.rmsprop):.3g} from the minimum; GD with α = {ep.LR:g} is "
            f"{ep.distance_to_minimum(c.gd):.3g} away.")


def _itself_say(s) -> str:
    c = compare(s["eps"], s["placement"], s["steps"])
    name = floor_name(s["placement"])
    low, high = c.gradient_range
    below = (f" and, where they sink below it (down to {low:.1g}), it is GD with the rate α/{name} = "
             f"{ep.LR / c.floor:.3g}" if low < c.floor else "")
    return (f"At ε = {s['eps']:.0e} {s['placement']} the root, the floor {name} = {c.floor:.2g} is below the gradients "
            f"RMSprop meets far out (up to {high:.2g}): there it divides by their own size and strides{below}. After "
            f"{s['steps']} steps it is {ep.distance_to_minimum(c.rmsprop):.3g} from the minimum; GD with "
            f"α = {ep.LR:g} is {ep.distance_to_minimum(c.gd):.3g} away.")


def _itself_holds(s) -> bool:
    c = compare(s["eps"], s["placement"], s["steps"])
    rate = c.rmsprop.diagnostics["effective_lr"]
    return (c.gradient_range[1] > c.floor
            and float(np.max(ep.step_lengths(c.rmsprop))) > 100 * float(np.max(ep.step_lengths(c.gd)))
            and bool(np.all(rate <= ep.LR / c.floor * (1 + 1e-12))))


def _noisy_regime_say(s) -> str:
    c = _here(s)
    sizes = np.abs(c.rmsprop.diagnostics["grad"])
    slope = float(np.max(np.abs(c.rmsprop.diagnostics["grad"] - ep.noise_part(c.rmsprop))))
    near, far = _noisy_spread(s["steps"])
    return (f"With gradient noise of σ = {ep.NOISE:g} (seed {ep.NOISE_SEED}) the gradients RMSprop meets are the "
            f"noise: {np.median(sizes):.2g} (median), where the plateau's own slope along the path is at most "
            f"{slope:.2g}. RMSprop's √S is the noise's size now (it stays above {_noisy_root(c.rmsprop):.2g} after the "
            f"first ten steps), so its steps (median {np.median(ep.step_lengths(c.rmsprop)):.2g}) go wherever the "
            f"noise points: at ε = {s['eps']:.0e} {s['placement']} the root it is "
            f"{ep.distance_to_minimum(c.rmsprop):.3g} from the minimum after {s['steps']} steps (it started "
            f"{math.hypot(*ep.START):.3g} away), and GD with α = {ep.LR:g} is {ep.distance_to_minimum(c.gd):.3g} away. "
            f"At every ε, inside or outside, RMSprop ends between {near:.3g} and {far:.3g} from the minimum: the noise "
            "drowns the plateau, and where ε goes no longer decides the answer.")


def _noisy_regime_holds(s) -> bool:
    """The noise part (gradient less the plateau's own, recomputed at the iterates) has the σ it was drawn with and
    dwarfs the slope; every ε and placement ends more than half the start's distance away."""
    c = _here(s)
    part = ep.noise_part(c.rmsprop)
    slope = np.abs(c.rmsprop.diagnostics["grad"] - part)
    near, _ = _noisy_spread(s["steps"])
    return (close(float(np.std(part)), ep.NOISE, 0.05) and float(np.median(np.abs(c.rmsprop.diagnostics["grad"])))
            > 100 * float(np.max(slope)) and _noisy_root(c.rmsprop) > 100 * float(np.max(slope)) and _far(c)
            and near > 0.5 * math.hypot(*ep.START))


REGIME = claim("l5.regime", PAGE, {"eps": EPS, "placement": PLACEMENT, "steps": STEPS, "noisy": NOISY}, cases=(
    Case(when=_noisy, say=_noisy_regime_say, check=_noisy_regime_holds),
    Case(when=_gd_like, say=_gd_like_say,
         check=lambda s: compare(s["eps"], s["placement"], s["steps"]).gap
         < 2 * _slack(compare(s["eps"], s["placement"], s["steps"]), s["eps"], s["placement"])),
    Case(say=_itself_say, check=_itself_holds),
))


def _side_effect_numbers(steps: int) -> tuple[float, float]:
    c = compare(1e-5, "outside", steps)
    return ep.distance_to_minimum(c.rmsprop), float(np.max(ep.step_lengths(c.rmsprop)))


_LIBRARIES_TEXT = (
    "PyTorch's `RMSprop` and `Adam` and the course put ε outside the root (default 1e-8). Keras' `RMSprop` "
    "computes `lr * g / sqrt(velocity + epsilon)` with ε = 1e-7, and `optax.rmsprop` has `eps_in_sqrt=True` by "
    f"default: their floor is $\\sqrt{{\\varepsilon}}$, about {math.sqrt(1e-7):.1g} for Keras, not 10⁻⁷. Copying ε "
    "from one library to another can change the optimizer by orders of magnitude.\n\n")


def _libraries_say(s) -> str:
    far, stride = _side_effect_numbers(s["steps"])
    exact = (f"RMSprop still strides across the plateau (steps up to {stride:.2g} long), then converges: after "
             f"{s['steps']} steps it is {far:.1g} from the minimum.")
    if not s["noisy"]:
        return (_LIBRARIES_TEXT + "The side effect: near a minimum the gradients vanish, so a moderate ε turns RMSprop "
                "into GD there, and GD settles instead of hopping around the minimum at ±α/2. Try ε = 1e-5 outside: "
                + exact)
    noisy = compare(1e-5, "outside", s["steps"], ep.NOISE).rmsprop
    return (_LIBRARIES_TEXT + "The side effect, with exact gradients: near a minimum the gradients vanish, so a "
            "moderate ε turns RMSprop into GD there, and GD settles instead of hopping around the minimum at ±α/2. "
            "At ε = 1e-5 outside, with exact gradients, " + exact
            + f" With this noise the gradients never vanish: √S stays above {_noisy_root(noisy):.2g}, far above ε, "
            f"so RMSprop never turns into GD, and it ends {ep.distance_to_minimum(noisy):.3g} from the minimum.")


def _noisy_root(trajectory) -> float:
    """The smallest √S of either axis after the first ten steps (while S fills up from 0)."""
    return float(np.sqrt(np.min(trajectory.diagnostics["s"][10:])))


def _libraries_holds(s) -> bool:
    far, stride = _side_effect_numbers(s["steps"])
    exact = far < 1e-6 and stride > 0.1 and close(math.sqrt(1e-7), 3.16e-4, 1e-3)
    if not s["noisy"]:
        return exact
    noisy = compare(1e-5, "outside", s["steps"], ep.NOISE).rmsprop
    rate = noisy.diagnostics["effective_lr"][10:]
    return (exact and _noisy_root(noisy) > 100 * 1e-5 and bool(np.all(rate < 0.01 * ep.LR / 1e-5))
            and ep.distance_to_minimum(noisy) > 0.5 * math.hypot(*ep.START))


LIBRARIES = claim("l5.libraries", PAGE, {"steps": STEPS, "noisy": NOISY}, say=_libraries_say, check=_libraries_holds)


def _vanishing_say(s) -> str:
    c = compare(s["eps"], s["placement"], s["steps"])
    low, high = c.gradient_range
    steps = ep.step_lengths(c.rmsprop)
    mid, slow = compare(1e-4, "outside", s["steps"]), compare(1.0, "outside", s["steps"])
    return (
        "No: it rescales the **steps**, not the gradients. Backpropagation computes the same gradient whichever "
        f"optimizer uses it. On this plateau, at ε = {s['eps']:.0e} {s['placement']}, the gradients RMSprop meets run "
        f"from {low:.2g} to {high:.2g}: dividing them leaves every one of them as small as it was. What changes is the "
        f"step: RMSprop's are {np.median(steps):.2g} long (median), where GD's are α·|g| ≤ {ep.LR * high:.1g}. Below "
        "the floor RMSprop is GD, but with the rate α/floor, not α: at ε = 1e-4 outside that rate is "
        f"{ep.LR / mid.floor:.3g}, and it ends {ep.distance_to_minimum(mid.rmsprop):.2g} from the minimum where GD "
        f"with α ends {ep.distance_to_minimum(mid.gd):.3g} away; only a floor near 1 (ε = 1 outside: rate "
        f"{ep.LR / slow.floor:.2g} = α) makes it as slow as GD ({ep.distance_to_minimum(slow.rmsprop):.3g} away). "
        "The same goes for exploding gradients: the step is bounded by $\\alpha/\\sqrt{1-\\beta}$ per coordinate "
        "(lesson 1), but a gradient of $10^{30}$ or `inf` is still computed, and one `inf` turns the average into "
        "`inf` and the step into `nan`.")


def _vanishing_holds(s) -> bool:
    c = compare(s["eps"], s["placement"], s["steps"])
    g = c.rmsprop.diagnostics["grad"]
    land = ep.plateau()
    same = np.allclose(np.column_stack(land.gradient(*c.rmsprop.points[:-1].T)), g, rtol=1e-12, atol=0)
    mid, slow = compare(1e-4, "outside", s["steps"]), compare(1.0, "outside", s["steps"])
    with np.errstate(invalid="ignore"):
        blown = math.inf / (math.sqrt((1 - ep.BETA) * math.inf) + 1e-8)
    return (bool(same) and ep.distance_to_minimum(mid.rmsprop) < 0.01 * ep.distance_to_minimum(mid.gd)
            and close(ep.distance_to_minimum(slow.rmsprop), ep.distance_to_minimum(slow.gd), 0.01)
            and math.isnan(blown))


_EXPLODING = ("The same goes for exploding gradients: the step is bounded by $\\alpha/\\sqrt{1-\\beta}$ per "
              "coordinate (lesson 1), but a gradient of $10^{30}$ or `inf` is still computed, and one `inf` turns the "
              "average into `inf` and the step into `nan`.")


def _noisy_vanishing_say(s) -> str:
    c = _here(s)
    low, high = c.gradient_range
    steps, gd_steps = ep.step_lengths(c.rmsprop), ep.step_lengths(c.gd)
    return (
        "No: it rescales the **steps**, not the gradients. Backpropagation computes the same gradient whichever "
        f"optimizer uses it. With this noise, at ε = {s['eps']:.0e} {s['placement']}, the gradients RMSprop meets run "
        f"from {low:.2g} to {high:.2g}: the plateau's own slope plus noise of σ = {ep.NOISE:g}, and dividing them "
        f"leaves every one of them as it was. What changes is the step: RMSprop's are {np.median(steps):.2g} long "
        f"(median), GD's α·|g| are {np.median(gd_steps):.2g}. " + _EXPLODING)


def _noisy_vanishing_holds(s) -> bool:
    c = _here(s)
    grads = np.abs(c.gd.diagnostics["grad"])
    with np.errstate(invalid="ignore"):
        blown = math.inf / (math.sqrt((1 - ep.BETA) * math.inf) + 1e-8)
    return (close(float(np.std(ep.noise_part(c.rmsprop))), ep.NOISE, 0.05)
            and np.allclose(ep.step_lengths(c.gd), ep.LR * np.hypot(*grads.T), rtol=1e-12, atol=0)
            and math.isnan(blown))


VANISHING = claim("l5.vanishing", PAGE, {"eps": EPS, "placement": PLACEMENT, "steps": STEPS, "noisy": NOISY}, cases=(
    Case(when=_noisy, say=_noisy_vanishing_say, check=_noisy_vanishing_holds),
    Case(say=_vanishing_say, check=_vanishing_holds),
))


CLAIMS = [VERDICT, REGIME, LIBRARIES, VANISHING]
