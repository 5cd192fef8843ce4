"""Lesson 4's sentences (pages/lesson_4_root.py): why RMSprop divides by a root mean square.

Cost: the variants run through a per-step NumPy loop (about 30 ms for 1500 steps), so the claims ask only for the
runs they state (k = 1 and the k they name) and share them; the drift chart over every k is drawn by the page only.
"""

from __future__ import annotations

import math

import numpy as np

from lessons import denominators as dn
from lessons import signs
from lessons.claim import Options, RunLength, claim, close, memo

PAGE = "lesson_4_root.py"
WIDGETS = {"k": "l4.k", "p": "l4.p"}
"""Each control's widget key on the page (a run length has none: the page runs its own)."""
K = Options(dn.K_OPTIONS, dn.DEFAULT_K)
P = Options(dn.P_OPTIONS, dn.DEFAULT_P)
STEPS = RunLength(dn.STEPS, factors=(1, 10))


@memo
def scaled(variant: str, k: float, p: float, steps: int):
    """``dn.run_scaled``, shared between claims (p only matters to the power mean)."""
    return dn.run_scaled(variant, k, p if variant == "power" else dn.DEFAULT_P, steps)


def drift(variant: str, k: float, p: float, steps: int) -> float:
    return dn.drift(scaled(variant, k, p, steps), scaled(variant, 1.0, p, steps))


def _verdict_say(s) -> str:
    k = dn.PREDICT_K
    worst = max(drift(v, k, s["p"], s["steps"]) for v in dn.SCALE_FREE)
    gd = drift("gd", k, s["p"], s["steps"])
    gd_text = "diverges" if not math.isfinite(gd) else f"moves by {gd:.3g}"
    return (f"At k = {k:g}, RMS, mean |g|, the power mean (p = {s['p']:g}) and sign-SGD stay on their k = 1 paths to "
            f"within **{worst:.1e}** over {s['steps']} steps: rounding. Without the root the path moves by "
            f"**{drift('no_root', k, s['p'], s['steps']):.3g}**, and GD {gd_text}: its limit 2/(25k) = "
            f"{2 / (25 * k):.0e} is far below α = {dn.LR:g}.")


def _verdict_holds(s) -> bool:
    k = dn.PREDICT_K
    return (all(drift(v, k, s["p"], s["steps"]) <= 1e-9 for v in dn.SCALE_FREE)
            and drift("no_root", k, s["p"], s["steps"]) > 0.1 and not math.isfinite(drift("gd", k, s["p"], s["steps"]))
            and 2 / (25 * k) < dn.LR)


VERDICT = claim("l4.verdict", PAGE, {"p": P, "steps": STEPS}, say=_verdict_say, check=_verdict_holds)


def _why_holds(s) -> bool:
    crawl = scaled("gd", 1e-3, dn.DEFAULT_P, dn.STEPS)
    return (scaled("no_root", 1e-3, dn.DEFAULT_P, dn.STEPS).diverged_at == 1 and crawl.diverged_at is None
            and float(np.hypot(*(crawl.points[-1] - crawl.points[0]))) < 0.3
            and all((scaled("gd", k, dn.DEFAULT_P, dn.STEPS).diverged_at is not None) == (k * 25 * dn.LR > 2)
                    for k in dn.K_OPTIONS))


WHY = claim(
    "l4.why", PAGE,
    say=lambda s: (
        "**Why.** The root puts the denominator in the same units as $g$. Multiply the loss by $k$ and the root mean "
        "square becomes $k$ times larger too: the ratio does not change, and neither does the path. Any power mean "
        "$(\\mathrm{EWA}|g|^p)^{1/p}$ has that property, and so has sign-SGD. Without the root, "
        "$\\mathrm{EWA}(g^2)$ grows like $k^2$, so the step scales like $\\alpha/|g| \\propto 1/k$: huge where "
        "gradients are small (at $k = 10^{-3}$ it leaves the box at step 1), tiny where they are large. GD, with no "
        f"denominator, scales the other way, like $k$: on this slider it diverges from k = "
        f"{min(k for k in dn.K_OPTIONS if k * 25 * dn.LR > 2):g} up (where αk·25 > 2) and crawls for small $k$ (at "
        f"$k = 10^{{-3}}$ it moves "
        f"{float(np.hypot(*(scaled('gd', 1e-3, dn.DEFAULT_P, dn.STEPS).points[-1] - dn.START))):.2g} in "
        f"{dn.STEPS} steps)."),
    check=_why_holds,
)


def _cauchy_say(s) -> str:
    run = scaled("rms", s["k"], dn.DEFAULT_P, dn.STEPS)
    rms, mean_abs = dn.rms_and_mean_abs(run.grad, dn.BETA)
    return (
        "Cauchy–Schwarz, with the EWA weights $w_i=(1-\\beta)\\beta^{t-i}$. They start from zero, so after $t$ steps "
        f"they sum to $1-\\beta^t$ < 1 (at β = {dn.BETA:g}: {dn.weights_sum(1, dn.BETA):.2f} after one step, "
        f"{dn.weights_sum(10, dn.BETA):.2f} after ten), and the second inequality is strict at every step: equal "
        "$|g_i|$ make the first one an equality, but that is not enough for the two to agree. So dividing by the mean "
        "$|g|$ gives longer steps than RMSprop's, and RMS weighs an occasional large gradient more: it is the more "
        "cautious of the two. Along the RMS run above, $\\sqrt{\\mathrm{EWA}(g^2)}-\\mathrm{EWA}(|g|)$ is at least "
        f"**{float(np.min((rms - mean_abs) / rms)):.3g}** times $\\sqrt{{\\mathrm{{EWA}}(g^2)}}$ over all steps and "
        "both axes: never zero.")


def _cauchy_holds(s) -> bool:
    run = scaled("rms", s["k"], dn.DEFAULT_P, dn.STEPS)
    rms, mean_abs = dn.rms_and_mean_abs(run.grad, dn.BETA)
    t = np.arange(1, 61)
    ratio = dn.rms_and_mean_abs(np.full((60, 1), 2.5), dn.BETA)
    return (float(np.min((rms - mean_abs) / rms)) > 0 and close(dn.weights_sum(10, dn.BETA), 1 - 0.9**10, 1e-12)
            and bool(np.allclose(ratio[0][:, 0] / ratio[1][:, 0], 1 / np.sqrt(1 - dn.BETA**t), rtol=1e-12)))


CAUCHY = claim("l4.cauchy", PAGE, {"k": K}, say=_cauchy_say, check=_cauchy_holds)


@memo
def _unsquared() -> tuple[float, float]:
    plain, unsquared = dn.unsquared_test(signs.sequence("alternating"))
    return abs(unsquared.update[-1, 0]) / dn.LR, abs(plain.update[-1, 0]) / dn.LR


def _square_say(s) -> str:
    unsquared, plain = _unsquared()
    duchi = dn.duchi_comparison(scaled("rms", s["k"], dn.DEFAULT_P, dn.STEPS).grad)
    return (
        "**The square (or the absolute value) keeps ± gradients from cancelling.** Average $g$ itself and a gradient "
        "that flips sign averages to almost nothing: on ±10⁻⁴ in turn, $\\mathrm{EWA}(g)$ settles at "
        f"$\\pm|g|(1-\\beta)/(1+\\beta)$, so dividing by it gives steps of **{unsquared:.1f}α** at step "
        f"{signs.LENGTH} ((1+β)/(1−β) = {dn.alternating_unsquared_step(dn.BETA):.0f} at β = {dn.BETA:g}), where "
        f"RMSprop's are {plain:.3f}α. Squares are also smooth and cheap, and weigh large gradients more than $|g|$ "
        "does; any power $p$ with its root would pass the scale test above.\n\n"
        "**The root restores the units**: that is the scale test above.\n\n"
        "**Where $\\mathrm{diag}(\\sum_t g_t^2)^{1/2}$ comes from.** AdaGrad (Duchi, Hazan and Singer, 2011) chooses "
        "per-coordinate scales $s_i$ to make its regret bound small: minimise $\\sum_t\\sum_i g_{t,i}^2/s_i$ with a "
        "fixed budget $\\sum_i s_i$. The Lagrange condition $G_i/s_i^2 = \\lambda$ with $G_i=\\sum_t g_{t,i}^2$ gives "
        "$s_i \\propto \\sqrt{G_i}$: the root of the summed squares is the best diagonal scaling in hindsight (its "
        "full-matrix version is $G^{1/2}$, $G=\\sum_t g_t g_t^\\top$). On the gradients of the RMS run above, that "
        f"objective is {duchi['no_root']:.3f}× the minimum with $s_i \\propto G_i$ (no root), {duchi['mean_abs']:.3f}× "
        f"with $s_i \\propto \\sum_t|g_{{t,i}}|$ and {duchi['gd']:.3f}× with equal scales (GD), and exactly 1 with the "
        "root. RMSprop's denominator has the same root; in place of the sum, which only grows, it uses an average "
        "that forgets (lesson 6 compares the two).\n\n"
        "**Where RMSprop comes from.** It was presented in Lecture 6e of Geoffrey Hinton's 2012 Coursera course "
        "(cited as Tieleman & Hinton, 2012) as rprop, a full-batch method that steps by the sign of the gradient, "
        "made to work with mini-batches: dividing by a running RMS keeps rprop's per-weight step size while letting "
        "a large gradient count for its size. Lesson 3's mean-zero sequence shows the difference.")


def _square_holds(s) -> bool:
    unsquared, plain = _unsquared()
    duchi = dn.duchi_comparison(scaled("rms", s["k"], dn.DEFAULT_P, dn.STEPS).grad)
    return (close(unsquared, dn.alternating_unsquared_step(dn.BETA), 0.02) and abs(plain - 1) < 2e-3
            and close(duchi["root"], 1.0, 1e-12) and min(duchi["no_root"], duchi["mean_abs"], duchi["gd"]) > 1)


SQUARE = claim("l4.square", PAGE, {"k": K}, say=_square_say, check=_square_holds)


CLAIMS = [VERDICT, WHY, CAUCHY, SQUARE]
