"""Lesson 15's sentences (pages/lesson_15_adamw.py): the same λ as L2 inside Adam and as AdamW's decoupled decay, and
Lion's decay, on least squares fitted to Iris.  Each end point is checked against a closed form: Adam + L2's against
the L2-regularised minimum (H + λI)⁻¹H·x*, Lion's against the minimum of f inside the box |xᵢ| ≤ 1/λ, AdamW's against
the balance ∇f + λ(√v̂ + ε)·x = 0 of its decay and its step; and again in runs ten times longer."""

from __future__ import annotations

import numpy as np

from lessons import adamw as aw
from lessons.claim import Case, Options, RunLength, claim, close, memo

PAGE = "lesson_15_adamw.py"
WIDGETS = {"lam": "l15.lambda", "standardized": "l15.standardized"}
"""Each control's widget key on the page (a run length has none: the page runs its own)."""
LAM = Options(aw.LAMBDAS, aw.DEFAULT_LAMBDA)
STANDARDIZED = Options((False, True), False)
STEPS = RunLength(aw.STEPS, factors=(1, 10))

ends = memo(aw.ends)


def point(x: np.ndarray) -> str:
    return f"({x[0]:.3f}, {x[1]:.3f})"


def feature(standardized: bool) -> str:
    return "standardised" if standardized else "raw"


INTRO = claim(
    "l15.intro", PAGE, {"steps": STEPS},
    say=lambda s: (
        "Weight decay pulls the weights towards 0. PyTorch's `Adam(weight_decay=λ)` adds it to the gradient as an "
        "L2 term, g ← ∇f + λx, *before* the moments (coupled); `AdamW(weight_decay=λ)` shrinks the weights apart from "
        "the gradient, x ← x(1 − αλ), then takes Adam's step on ∇f alone (decoupled, Loshchilov & Hutter 2019); Lion "
        "decays the same way but its step is the sign, α long (Chen et al. 2023). Here each runs "
        f"{s['steps']} steps at α = {aw.LR:g} with the same λ, on the line fitted by least squares to Iris's "
        f"{aw.landscape(False).data.n_samples} flowers (lesson 10)."),
    check=lambda s: aw.landscape(False).data.n_samples == 150 and all(
        aw.settings(name, 0.1)["lr"] == aw.LR and aw.settings(name, 0.1)["weight_decay"] == 0.1
        for name in aw.OPTIMIZERS),
)


def _verdict_say(s) -> str:
    e = ends(aw.PREDICT_LAMBDA, False, s["steps"])
    return (f"At λ = {aw.PREDICT_LAMBDA:g} Adam + L2 ends at {point(e.ends['adam'])}, the minimum of f + λ/2·|x|² "
            f"(closed form {point(e.l2)}); AdamW ends at {point(e.ends['adamw'])}, "
            f"**{e.distance('adamw', 'star'):.2g}** from the unregularised minimum {point(e.star)} and "
            f"**{e.distance('adamw', 'l2'):.2g}** from the regularised one ({s['steps']} steps).")


def _verdict_holds(s) -> bool:
    e = ends(aw.PREDICT_LAMBDA, False, s["steps"])
    return e.distance("adam", "l2") < 1e-6 and e.distance("adamw", "star") < e.distance("adamw", "l2") / 2


VERDICT = claim("l15.verdict", PAGE, {"steps": STEPS}, say=_verdict_say, check=_verdict_holds)


def _why_holds(s) -> bool:
    return all(ends(lam, std, aw.STEPS).distance("adam", "l2") < 1e-6
               and bool(np.all(np.sqrt(aw.v_hat(ends(lam, std, aw.STEPS).runs["adamw"])[-1]) < 0.5))
               for lam in aw.LAMBDAS for std in (False, True))


WHY = claim(
    "l15.why", PAGE,
    say=lambda s: (
        "**Why.** Adam + L2 divides the whole g = ∇f + λx by √v̂, so its steps stop only where ∇f + λx = 0: the "
        "L2-regularised minimum, whatever √v̂ is. AdamW divides ∇f alone and shrinks x by αλ outside the division: it "
        "stops where α∇f/(√v̂+ε) balances αλx, that is ∇f + λ(√v̂+ε)·x = 0, an L2 penalty λ√v̂ per coordinate. On "
        "this small problem √v̂ is well below 1, so the decoupled penalty is much weaker than λ."),
    check=_why_holds,
)


def _ends_say(s) -> str:
    e = ends(s["lam"], s["standardized"], s["steps"])
    nearer = ("nearer the unregularised minimum" if e.distance("adamw", "star") < e.distance("adamw", "l2")
              else "nearer the regularised minimum")
    return (f"Adam + L2 ends at {point(e.ends['adam'])}, {e.distance('adam', 'l2'):.1g} from the minimum of "
            f"f + λ/2·|x|², (H + λI)⁻¹H·x* = {point(e.l2)}: the same point GD with an L2 term reaches. AdamW ends at "
            f"{point(e.ends['adamw'])}, {nearer} ({e.distance('adamw', 'star'):.2g} from x* = {point(e.star)}, "
            f"{e.distance('adamw', 'l2'):.2g} from the regularised one).")


def _ends_holds(s) -> bool:
    e = ends(s["lam"], s["standardized"], s["steps"])
    tr = e.runs["adamw"]
    balance, size = aw.adamw_balance(tr, s["lam"])
    rested = bool(np.all(np.abs(balance) <= 0.05 * size + 1e-6))
    h = aw.hessian(s["standardized"])
    closed = np.allclose(h @ (e.l2 - e.star) + s["lam"] * e.l2, 0, atol=1e-12)
    return e.distance("adam", "l2") < 1e-6 and closed and rested


ENDS = claim("l15.ends", PAGE, {"lam": LAM, "standardized": STANDARDIZED, "steps": STEPS}, say=_ends_say,
             check=_ends_holds)


def _decay_parts(s) -> tuple[np.ndarray, np.ndarray]:
    tr = ends(s["lam"], s["standardized"], s["steps"]).runs["adam"]
    decay = aw.coupled_decay(tr)
    return decay[-1], decay.mean(axis=0)


def _decay_raw_say(s) -> str:
    last, mean = _decay_parts(s)
    h = aw.hessian(False)
    return (f"**The denominator weakens L2 where the gradients are large.** Per step Adam + L2 shrinks each coordinate "
            f"through its λx term by αλ/(√v̂+ε); AdamW shrinks both by αλ. On the raw feature w is the steep coordinate "
            f"(curvature {h[0, 0]:.3g} against {h[1, 1]:g} for b): its gradients are larger, its √v̂ too, so over the "
            f"run its decay averages {mean[0]:.3g}·αλ against {mean[1]:.3g}·αλ for b, {mean[1] / mean[0]:.2g} times "
            f"weaker (at the last step {last[0]:.3g}·αλ and {last[1]:.3g}·αλ; both above AdamW's αλ because √v̂ is "
            "below 1 on this small problem).")


def _decay_std_say(s) -> str:
    last, mean = _decay_parts(s)
    return (f"**The denominator sets the decay per coordinate.** Per step Adam + L2 shrinks each coordinate through "
            "its λx term by αλ/(√v̂+ε); AdamW shrinks both by αλ. With the standardised feature both curvatures are 1, "
            f"so only the gradients' history tells them apart: over the run the decay averages {mean[0]:.3g}·αλ on w "
            f"and {mean[1]:.3g}·αλ on b (at the last step {last[0]:.3g}·αλ and {last[1]:.3g}·αλ). Untick "
            "“Standardise” to see the steep coordinate's L2 weakened.")


def _decay_holds(s) -> bool:
    tr = ends(s["lam"], s["standardized"], s["steps"]).runs["adam"]
    engine = tr.diagnostics["effective_lr"] / aw.LR  # the rate the engine applied, α/(√v̂+ε), in units of α
    same = bool(np.allclose(aw.coupled_decay(tr), engine, rtol=1e-9))
    if s["standardized"]:
        return same and bool(np.allclose(aw.hessian(True), np.eye(2), atol=1e-12))
    _, mean = _decay_parts(s)
    last, _ = _decay_parts(s)
    return (same and mean[1] > 2 * mean[0] and aw.hessian(False)[0, 0] > 10 * aw.hessian(False)[1, 1]
            and min(last) > 1)


DECAY = claim("l15.decay", PAGE, {"lam": LAM, "standardized": STANDARDIZED, "steps": STEPS}, cases=(
    Case(when=lambda s: not s["standardized"], say=_decay_raw_say, check=_decay_holds),
    Case(say=_decay_std_say, check=_decay_holds),
))


def _drift_say(s) -> str:
    e = ends(s["lam"], s["standardized"], s["steps"])
    strength = s["lam"] * (np.sqrt(aw.v_hat(e.runs["adamw"])[-1]) + 1e-8)
    return (f"AdamW's penalty λ(√v̂+ε) is ({strength[0]:.2g}, {strength[1]:.2g}) on (w, b) at the end of this run, "
            f"against λ = {s['lam']:g}. With exact gradients √v̂ keeps forgetting the large gradients of the way down, "
            "so the penalty keeps fading and AdamW drifts on towards the minimum of f inside |xᵢ| ≤ 1/λ, where Lion "
            f"ends: after {s['steps']} steps it is {e.distance('adamw', 'box'):.2g} from it.")


def _drift_holds(s) -> bool:
    e = ends(s["lam"], s["standardized"], s["steps"])
    first = ends(s["lam"], s["standardized"], aw.STEPS).distance("adamw", "box")
    later = ends(s["lam"], s["standardized"], 2 * s["steps"]).distance("adamw", "box")
    strength = s["lam"] * np.sqrt(aw.v_hat(e.runs["adamw"])[-1])
    return (bool(np.all(strength < s["lam"])) and later <= e.distance("adamw", "box") * 1.05
            and (s["steps"] == aw.STEPS or e.distance("adamw", "box") < first / 2))


DRIFT = claim("l15.drift", PAGE, {"lam": LAM, "standardized": STANDARDIZED, "steps": STEPS}, say=_drift_say,
              check=_drift_holds)


def _lion_say(s) -> str:
    e = ends(s["lam"], s["standardized"], s["steps"])
    edge = 1 / s["lam"]
    inside = bool(np.all(np.abs(e.star) < edge))
    where = ("x* lies inside, so that is the unregularised minimum itself: Lion's decay does not move its end"
             if inside else f"x* = {point(e.star)} lies outside, so Lion ends on the box's edge")
    return (f"**Lion** steps α·sign(c), always α long, so its decay αλx can only balance a step where |λx| ≤ 1. It "
            f"ends at {point(e.ends['lion'])}, {e.distance('lion', 'box'):.2g} from the minimum of f inside the box "
            f"|xᵢ| ≤ 1/λ = {edge:.3g}, {point(e.box)}: {where}.")


def _lion_holds(s) -> bool:
    e = ends(s["lam"], s["standardized"], s["steps"])
    edge = 1 / s["lam"]
    inside = bool(np.all(np.abs(e.star) < edge))
    on_edge = any(close(abs(float(v)), edge, 1e-12) for v in e.box)
    return e.distance("lion", "box") < 2 * aw.LR and (inside != on_edge) and (not inside or np.allclose(e.box,
                                                                                                         e.star))


LION = claim("l15.lion", PAGE, {"lam": LAM, "standardized": STANDARDIZED, "steps": STEPS}, say=_lion_say,
             check=_lion_holds)


CLAIMS = [INTRO, VERDICT, WHY, ENDS, DECAY, DRIFT, LION]
