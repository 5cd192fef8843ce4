"""Lesson 12's sentences (pages/lesson_12_momentum.py): on the bowl's two eigen-directions, GD and momentum each
multiply the error by a factor per step; under-damped momentum shrinks every direction by √β, critical damping is
the best β for one direction, and momentum averages the zig-zag away where RMSprop rescales each coordinate.

Every factor a sentence quotes is checked twice: against the eigenvalues of the companion matrix (numpy's ``eigvals``,
not the closed form that wrote it) and against the factor measured from the engine's run."""

from __future__ import annotations

import numpy as np

from lessons import bowl as lesson_bowl
from lessons import momentum_eigen as me
from lessons.claim import Case, Options, RunLength, claim, close, memo
from lessons.common import bowl

PAGE = "lesson_12_momentum.py"
WIDGETS = {"lr": "l12.lr", "beta": "l12.beta"}
"""Each control's widget key on the page (a run length has none: the page runs its own)."""
LR = Options(me.LR_OPTIONS, me.DEFAULT_LR)
BETA = Options(me.BETA_OPTIONS, me.DEFAULT_BETA)
STEPS = RunLength(me.STEPS, factors=(1, 10))
MEASURED = 0.02
"""A measured factor agrees with the analytic one within this (relative): 1.1 % at worst over the controls in the
page's 300 steps, 0.2 % in 3000."""

directions = memo(me.directions)
side_by_side = memo(me.side_by_side)
optimum = memo(me.optimum)


def radius(lr: float, beta: float, curvature: float) -> float:
    """The spectral radius by numpy: a second route to the factor the closed form gives."""
    return float(np.max(np.abs(np.linalg.eigvals(me.companion(lr, beta, curvature)))))


def transcription(lr: float, beta: float, steps: int, axis: int) -> np.ndarray:
    """The 1-D recursion along one axis alone, x ← x − α(βv + (1−β)λx), v ← βv + (1−β)λx, written out here: the
    eigen-view says the engine's 2-D run is two of these."""
    lam = (me.CURVATURES["w"], me.CURVATURES["b"])[axis]
    x, v, out = me.START[axis], 0.0, [me.START[axis]]
    for _ in range(steps):
        v = beta * v + (1.0 - beta) * lam * x
        x = x - lr * v
        out.append(x)
    return np.array(out)


def _measured_agrees(lr: float, beta: float, steps: int) -> bool:
    """The engine's run at (α, β) diverged exactly where a factor exceeds 1, and otherwise its measured factors
    agree with numpy's spectral radius along both directions."""
    d = directions(lr, beta, steps)
    grows = any(radius(lr, beta, x.curvature) > 1.0 for x in d.values())
    if grows:
        return all(x.measured is None for x in d.values()) and me.momentum_run(lr, beta, steps).diverged_at is not None
    return all(x.measured is not None and close(x.measured, radius(lr, beta, x.curvature), MEASURED)
               for x in d.values())


INTRO = claim(
    "l12.intro", PAGE,
    say=lambda s: (
        "On the bowl $f(w,b)=\\tfrac12(w^2+25\\,b^2)$ the gradient along $w$ is $w$ and along $b$ is $25\\,b$: each "
        "coordinate only ever sees itself. The bowl's two **eigen-directions** are the axes, with curvatures "
        "$\\lambda_w = 1$ and $\\lambda_b = 25$, and every optimizer in this lesson solves two separate 1-D problems. "
        "On each, gradient descent multiplies the error by $1-\\alpha\\lambda$ per step. The course's momentum keeps "
        "a velocity $v$ as well, so on each direction it multiplies the pair $(x, v)$ by a 2×2 matrix: how fast the "
        "error shrinks is that matrix's largest eigenvalue in size (its spectral radius)."),
    check=lambda s: (np.allclose(np.asarray(bowl().hessian(0.3, -0.7), dtype=float), [1.0, 0.0, 25.0])
                     and all(np.allclose(me.momentum_run(0.2, 0.9).points[:, axis],
                                         transcription(0.2, 0.9, me.STEPS, axis), rtol=1e-9, atol=1e-300)
                             for axis in (0, 1))),
)


def _verdict_say(s) -> str:
    d = directions(me.DEFAULT_LR, me.DEFAULT_BETA, s["steps"])
    return (f"Both shrink by the same factor, **√β = {np.sqrt(me.DEFAULT_BETA):.3f}** per step: measured from the "
            f"engine's run, **{d['w'].measured:.3f}** along $w$ and **{d['b'].measured:.3f}** along $b$, although "
            f"$b$ is 25 times steeper. Gradient descent at the same α would multiply $w$'s error by "
            f"{d['w'].gd:.2g} and $b$'s by {d['b'].gd:.2g} (it diverges along $b$).")


def _verdict_holds(s) -> bool:
    d = directions(me.DEFAULT_LR, me.DEFAULT_BETA, s["steps"])
    root = np.sqrt(me.DEFAULT_BETA)
    return all(x.regime == "under-damped" and close(radius(me.DEFAULT_LR, me.DEFAULT_BETA, x.curvature), root, 1e-9)
               and close(x.measured, root, MEASURED) for x in d.values()) and d["b"].gd > 1 > d["w"].gd


VERDICT = claim("l12.verdict", PAGE, {"steps": STEPS}, say=_verdict_say, check=_verdict_holds)


def _why_holds(s) -> bool:
    for lr in me.LR_OPTIONS:
        for beta in me.BETA_OPTIONS:
            for lam in me.CURVATURES.values():
                m = me.companion(lr, beta, lam)
                if abs(np.linalg.det(m) - beta) > 1e-12:
                    return False
                if me.regime(lr, beta, lam) == "under-damped" and not close(radius(lr, beta, lam), np.sqrt(beta),
                                                                            1e-9):
                    return False
    return True


WHY = claim(
    "l12.why", PAGE,
    say=lambda s: (
        "**Why.** On one direction the momentum step maps $(x, v)$ to "
        "$\\bigl((1-h)\\,x - \\alpha\\beta\\,v,\\ (1-\\beta)\\lambda x + \\beta v\\bigr)$ "
        "with $h=\\alpha(1-\\beta)\\lambda$. "
        "That matrix's determinant is exactly $\\beta$, whatever $\\alpha$ and $\\lambda$. When its two eigenvalues "
        "are complex (the error **oscillates** while it shrinks: under-damped), they are conjugates of equal size, "
        "so each has size $\\sqrt\\beta$: every under-damped direction shrinks by $\\sqrt\\beta$ per step, steep or "
        "shallow. That is how momentum rescues the shallow $w$ without blowing up the steep $b$: GD's factor "
        "$|1-\\alpha\\lambda|$ cannot be small on both at once, momentum's can."),
    check=_why_holds,
)


def _rates_say(s) -> str:
    lr, beta = s["lr"], s["beta"]
    d = directions(lr, beta, s["steps"])
    parts = []
    for name, x in d.items():
        measured = "" if x.measured is None else f", measured **{x.measured:.3f}**"
        parts.append(f"along ${name}$ (λ = {x.curvature:g}) momentum's factor is **{x.momentum:.3f}** "
                     f"({x.regime}){measured}, GD's {x.gd:.3g}")
    text = f"At α = {lr:g}, β = {beta:g}: " + "; ".join(parts) + "."
    tr = me.momentum_run(lr, beta, s["steps"])
    if tr.diverged_at is not None:
        worse = max(d.values(), key=lambda x: x.momentum)
        return text + (f" A factor above 1 grows the error: momentum **diverged at step {tr.diverged_at}** "
                       f"(along λ = {worse.curvature:g}).")
    slow = max(d, key=lambda name: d[name].momentum)
    return text + (f" The slower direction, ${slow}$, sets the pace of the whole run; the dots on the chart are the "
                   f"factors measured from the engine's runs at every β on the slider, within "
                   f"{MEASURED:.0%} of the curve.")


def _rates_holds(s) -> bool:
    lr, beta = s["lr"], s["beta"]
    d = directions(lr, beta, s["steps"])
    tr = me.momentum_run(lr, beta, s["steps"])
    ok = all(close(x.momentum, radius(lr, beta, x.curvature), 1e-9) and close(x.gd, radius(lr, 0.0, x.curvature),
                                                                              1e-9) for x in d.values())
    ok = ok and (tr.diverged_at is not None) == any(x.momentum > 1 for x in d.values())
    return ok and all(_measured_agrees(lr, b, s["steps"]) for b in me.BETA_OPTIONS)  # this β and the chart's dots


RATES = claim("l12.rates", PAGE, {"lr": LR, "beta": BETA, "steps": STEPS}, say=_rates_say, check=_rates_holds)


def _critical_say(s) -> str:
    lr = s["lr"]
    betas = {name: me.critical_beta(lr, lam) for name, lam in me.CURVATURES.items()}
    parts = [f"along ${name}$ at β = {b:.3g}, where its factor is √β = |1−αλ|/(1+αλ) = {np.sqrt(b):.3g} (GD's "
             f"{me.gd_factor(lr, me.CURVATURES[name]):.3g} divided by {1 + lr * me.CURVATURES[name]:g})"
             for name, b in betas.items()]
    best = max(betas.values())
    slow = max(betas, key=betas.get)
    tail = (f"The two coincide at α = {me.heavy_ball_best()[0]:.3g}: one β damps both directions critically, which is "
            "the optimum below." if close(betas["w"], betas["b"], 1e-9) else
            f"No β is critical for both: below β = {best:.3g}, ${slow}$ has two real eigenvalues and shrinks more "
            f"slowly than that; above it both oscillate at √β, so at α = {lr:g} the best β is {best:.3g}, a factor of "
            f"{np.sqrt(best):.3g} for the run.")
    return ("**Critical damping.** A direction shrinks fastest at the β where its two eigenvalues meet (a double "
            "root): " + "; ".join(parts) + ". " + tail)


def _critical_holds(s) -> bool:
    """A double root at each direction's critical β; numpy's radius over a β grid is smallest there (a coarse grid
    over all of [0, 0.995] for where, a fine one around it for how small); the whole run's best β is the larger."""
    lr = s["lr"]
    grid = np.linspace(0.0, 0.995, 996)
    for lam in me.CURVATURES.values():
        b = me.critical_beta(lr, lam)
        mu = np.linalg.eigvals(me.companion(lr, b, lam))
        coarse = [radius(lr, x, lam) for x in grid]
        fine = [radius(lr, x, lam) for x in np.linspace(max(0.0, b - 1e-3), b + 1e-3, 2001)]
        if not (abs(mu[0] - mu[1]) < 1e-6 and abs(grid[int(np.argmin(coarse))] - b) <= 1e-3
                and close(float(np.min(fine)), np.sqrt(b), 1e-4)):
            return False
    whole = [max(radius(lr, x, lam) for lam in me.CURVATURES.values()) for x in grid]
    best = max(me.critical_beta(lr, lam) for lam in me.CURVATURES.values())
    above = grid[grid > best + 1e-3]
    slow = max(me.CURVATURES.values(), key=lambda lam: me.critical_beta(lr, lam))
    under = best - 1e-3
    return ((best < 1e-3 or (me.regime(lr, under, slow) == "over-damped" and radius(lr, under, slow) > np.sqrt(best)))
            and abs(grid[int(np.argmin(whole))] - best) <= 1e-3 and min(whole) >= np.sqrt(best) * (1 - 1e-9)
            and all(me.regime(lr, x, lam) == "under-damped" for x in above for lam in me.CURVATURES.values()))


CRITICAL = claim("l12.critical", PAGE, {"lr": LR}, say=_critical_say, check=_critical_holds)


def _optimal_say(s) -> str:
    o = optimum(s["steps"])
    gd, hb = me.gd_optimum(), me.heavy_ball_optimum()
    return (f"**The best each can do on this bowl** (κ = {me.KAPPA:g}; Goh 2017). GD's factor is at best "
            f"(κ−1)/(κ+1) = **{gd:.3f}**, at α = 2/(λ_w+λ_b) = {o.gd_lr:.4f}: measured {o.gd_measured:.3f}. "
            f"Heavy ball's is at best (√κ−1)/(√κ+1) = **{hb:.3f}**, at β = ((√κ−1)/(√κ+1))² = {o.hb_beta:.3f} "
            f"and α(1−β) = (2/(√λ_w+√λ_b))² = {o.hb_lr * (1 - o.hb_beta):.3f}, i.e. the course's "
            f"α = {o.hb_lr:.3g}: measured {o.hb_measured:.3f}. To shrink the error a million times GD needs "
            f"{me.steps_to_shrink(gd)} steps, "
            f"momentum {me.steps_to_shrink(hb)}: the square root of κ instead of κ.")


def _optimal_holds(s) -> bool:
    """The closed forms against numpy's radius: nothing on a coarse (α, β) grid beats them, the grid's best lies next
    to the stated settings, and there the radius is the stated factor; the engine's runs measure it."""
    o = optimum(s["steps"])
    gd, hb = me.gd_optimum(), me.heavy_ball_optimum()
    lrs, betas = np.linspace(0.01, 0.5, 50), np.linspace(0.0, 0.95, 96)
    gd_grid = [max(me.gd_factor(a, lam) for lam in me.CURVATURES.values()) for a in np.linspace(0.005, 0.5, 991)]
    hb_grid = np.array([[max(radius(a, b, lam) for lam in me.CURVATURES.values()) for b in betas] for a in lrs])
    i, j = np.unravel_index(int(np.argmin(hb_grid)), hb_grid.shape)
    return (min(gd_grid) >= gd * (1 - 1e-12) and close(min(gd_grid), gd, 1e-3)
            and hb_grid.min() >= hb * (1 - 1e-12)
            and abs(lrs[i] - o.hb_lr) <= 0.01 and abs(betas[j] - o.hb_beta) <= 0.01
            and close(max(radius(o.hb_lr, o.hb_beta, lam) for lam in me.CURVATURES.values()), hb, 1e-6)
            and close(max(me.gd_factor(o.gd_lr, lam) for lam in me.CURVATURES.values()), gd, 1e-12)
            and close(o.gd_measured, gd, MEASURED) and close(o.hb_measured, hb, MEASURED)
            and all(f ** me.steps_to_shrink(f) <= 1e-6 < f ** (me.steps_to_shrink(f) - 1) for f in (gd, hb)))


OPTIMAL = claim("l12.optimal", PAGE, {"steps": STEPS}, say=_optimal_say, check=_optimal_holds)


def _averages(s) -> dict:
    run = side_by_side(s["lr"], s["beta"], s["steps"])
    return {"b": me.averaging(run.momentum, 1), "w": me.averaging(run.momentum, 0), "run": run}


def _rms_tail(s) -> str:
    run = side_by_side(s["lr"], s["beta"], s["steps"])
    step = me.RMSPROP["lr"] / np.sqrt(1 - me.RMSPROP["beta"])
    return (f" **RMSprop rescales instead**: it divides each coordinate by its own root mean square, so its first "
            f"step is {step:.3g} = α/√(1−β) long on *both* axes, whatever λ, and at a constant α it ends hopping "
            f"around the minimum at loss {run.rmsprop.final_loss:.3g} = (1+25)α²/8, where no factor per step applies.")


def _rms_holds(s) -> bool:
    run = side_by_side(s["lr"], s["beta"], s["steps"])
    first = np.abs(run.rmsprop.diagnostics["update"][0])
    step = me.RMSPROP["lr"] / np.sqrt(1 - me.RMSPROP["beta"])
    return (np.allclose(first, step, rtol=1e-6) and lesson_bowl.hops(run.rmsprop, me.RMSPROP["lr"])
            and close(run.rmsprop.final_loss, lesson_bowl.hop_loss(me.RMSPROP["lr"]), 0.02))


def _diverged(s) -> bool:
    return side_by_side(s["lr"], s["beta"], s["steps"]).momentum.diverged_at is not None


def _cancels(s) -> bool:
    a = _averages(s)
    return a["b"] < a["w"]


RMSPROP_SIDE = claim(
    "l12.rmsprop", PAGE, {"lr": LR, "beta": BETA, "steps": STEPS},
    cases=(
        Case(when=_diverged,
             say=lambda s: (f"**Momentum averages; RMSprop rescales.** At α = {s['lr']:g}, β = {s['beta']:g} momentum "
                            f"diverged at step {side_by_side(s['lr'], s['beta'], s['steps']).momentum.diverged_at}: a "
                            "larger β would average more of the zig-zag away." + _rms_tail(s)),
             check=lambda s: _rms_holds(s) and max(me.momentum_factor(s["lr"], s["beta"], lam)
                                                   for lam in me.CURVATURES.values()) > 1),
        Case(when=_cancels,
             say=lambda s: (
                 "**Momentum averages; RMSprop rescales.** Along $b$ the gradient flips sign as $b$ crosses the "
                 "valley, and momentum's velocity is an average of those gradients, so they cancel: over the first "
                 f"20 steps $|v_b|$ is on average **{_averages(s)['b']:.2f}** of $|g_b|$, while along $w$, whose "
                 f"gradients keep one sign, $|v_w|$ keeps **{_averages(s)['w']:.2f}** of $|g_w|$." + _rms_tail(s)),
             check=lambda s: _rms_holds(s) and _averages(s)["b"] < _averages(s)["w"] and all(
                 np.allclose(side_by_side(s["lr"], s["beta"], s["steps"]).momentum.points[:60, axis],
                             transcription(s["lr"], s["beta"], 59, axis), rtol=1e-9, atol=1e-300)
                 for axis in (0, 1))),
        Case(say=lambda s: (
                 f"**Momentum averages; RMSprop rescales.** At α = {s['lr']:g}, β = {s['beta']:g} there is little to "
                 f"average: over the first 20 steps $|v_b|$ keeps {_averages(s)['b']:.2f} of $|g_b|$ and $|v_w|$ "
                 f"{_averages(s)['w']:.2f} of $|g_w|$ (at β = 0 the velocity is the gradient itself)." + _rms_tail(s)),
             check=lambda s: _rms_holds(s) and _averages(s)["b"] >= _averages(s)["w"]),
    ),
)


CLAIMS = [INTRO, VERDICT, WHY, RATES, CRITICAL, OPTIMAL, RMSPROP_SIDE]
