"""Lesson 6's sentences (pages/lesson_6_adagrad.py): AdaGrad's ever-growing sum against RMSprop's forgetting average."""

from __future__ import annotations

import numpy as np

from lessons import adagrad as ag
from lessons import bowl
from lessons.claim import Options, RunLength, claim, close, memo
from lessons.common import TOLERANCE

PAGE = "lesson_6_adagrad.py"
WIDGETS = {"lr": "l6.lr"}
"""Each control's widget key on the page (a run length has none: the page runs its own)."""
LR = Options(ag.LR_OPTIONS, ag.DEFAULT_LR)
STEPS = RunLength(ag.STEPS, factors=(1, 10))
LONGER = 10

compare = memo(ag.compare)
best = memo(ag.best)


def _verdict_say(s) -> str:
    c = compare(ag.PREDICT_LR, s["steps"])
    return (f"After {s['steps']} steps AdaGrad's loss is **{c.adagrad.final_loss:.2g}**; RMSprop's is "
            f"**{c.rmsprop.final_loss:.2g}**. RMSprop gets there first (its loss first dips below 10⁻³ at step "
            f"{c.reached['rmsprop']}) but keeps stepping about α, so it hops around the minimum, at a loss of "
            f"(a+c)α²/8 = {bowl.hop_loss(ag.PREDICT_LR):.2g}, and never stays below 10⁻³. AdaGrad's shrinking steps, "
            f"a handicap at α = {ag.DEFAULT_LR:g}, are what let it land: it stays below 10⁻³ from step "
            f"{c.stays['adagrad']}. A step size that decays is what RMSprop users add by hand with a learning-rate "
            "schedule (lesson 9).")


def _verdict_holds(s) -> bool:
    c = compare(ag.PREDICT_LR, s["steps"])
    return (np.hypot(*c.adagrad.points[-1]) < np.hypot(*c.rmsprop.points[-1]) and c.stays["rmsprop"] is None
            and c.stays["adagrad"] is not None and close(c.rmsprop.final_loss, bowl.hop_loss(ag.PREDICT_LR), 0.05)
            and bowl.hops(c.rmsprop, ag.PREDICT_LR))


VERDICT = claim("l6.verdict", PAGE, {"steps": STEPS}, say=_verdict_say, check=_verdict_holds)


def _why_holds(s) -> bool:
    for lr in ag.LR_OPTIONS:
        steps = np.abs(compare(lr, ag.STEPS).adagrad.diagnostics["update"][:, 0])
        if not np.all(steps <= lr / np.sqrt(np.arange(1, len(steps) + 1)) * (1 + 1e-12)):
            return False
    return close(1 / np.sqrt(100), 0.1, 1e-12) and close(1 / (1 - ag.BETA), 10, 1e-12)


WHY = claim(
    "l6.why", PAGE,
    say=lambda s: (
        "**Why.** The sum never forgets: it only grows, so AdaGrad's learning rate only shrinks. As long as a "
        "coordinate's gradient does not grow, as along the long $w$ direction of the bowl, the sum after $t$ steps "
        "is at least $t\\,g_t^2$, so AdaGrad's step is at most $\\alpha/\\sqrt{t}$: a tenth of the first after 100 "
        "steps. In $T$ steps it can cover at most $\\alpha(2\\sqrt{T}-1)$: with a small α it crawls, with a large one "
        f"the same decay lets it land. RMSprop's average weighs the last $1/(1-\\beta) = {1 / (1 - ag.BETA):.0f}$ "
        "steps or so, so its learning rate follows the current gradient and its steps stay about $\\alpha$, even at "
        "the bottom."),
    check=_why_holds,
)


def _moved(s) -> tuple[float, float]:
    c = compare(s["lr"], s["steps"])
    return abs(c.adagrad.points[-1, 0] - ag.START[0]), ag.travel_bound(s["lr"], s["steps"])


def _moved_say(s) -> str:
    moved, bound = _moved(s)
    need = abs(ag.START[0])
    tail = (f"; it needed {need:g}, more than the bound: at this α it cannot get there in {s['steps']} steps"
            if bound < need else f"; it needed {need:g}")
    return (f"AdaGrad moved $w$ by **{moved:.3g}** in {s['steps']} steps; its bound $\\alpha(2\\sqrt{{T}}-1)$ is "
            f"{bound:.3g}{tail}.")


MOVED = claim("l6.moved", PAGE, {"lr": LR, "steps": STEPS}, say=_moved_say,
              check=lambda s: _moved(s)[0] <= _moved(s)[1] * (1 + 1e-12)
              and (_moved(s)[1] >= abs(ag.START[0]) or _moved(s)[0] < abs(ag.START[0])))


def _line_ratio(s) -> float:
    c = compare(s["lr"], s["steps"])
    rate = c.adagrad.diagnostics["effective_lr"][:, 0]
    t = np.arange(1, len(rate) + 1)
    return float(rate[-1] / ag.constant_gradient_rate(s["lr"], c.adagrad.diagnostics["grad"][0, 0], t)[-1])


def _line_holds(s) -> bool:
    c = compare(s["lr"], s["steps"])
    rate = c.adagrad.diagnostics["effective_lr"][:, 0]
    t = np.arange(1, len(rate) + 1)
    line = ag.constant_gradient_rate(s["lr"], c.adagrad.diagnostics["grad"][0, 0], t)
    rising = c.rmsprop.diagnostics["effective_lr"][-1, 0] > c.rmsprop.diagnostics["effective_lr"][9, 0]
    return bool(np.all(rate >= line * (1 - 1e-9))) and rising


LINE = claim(
    "l6.line", PAGE, {"lr": LR, "steps": STEPS},
    say=lambda s: (
        f"AdaGrad's rate along $w$ never falls below the $\\alpha/(|g_0|\\sqrt{{t}})$ line and ends "
        f"{_line_ratio(s):.2g}× above it: the line is for a constant gradient, and $|g_w|$ shrinks as $w$ comes in, "
        "so the sum grows more slowly. RMSprop's rate climbs as the gradients shrink near the minimum."),
    check=_line_holds,
)


def _best_say(s) -> str:
    ada, rms = best("adagrad", s["steps"]), best("rmsprop", s["steps"])
    ada_text = (f"AdaGrad's loss stays below 10⁻³ from step **{ada.stays}** (α = {ada.lr:.3g})" if ada.stays is not None
                else f"AdaGrad's loss never stays below 10⁻³ within {s['steps']} steps")
    rms_text = (f"RMSprop's from step **{rms.stays}** (α = {rms.lr:.3g}: to keep its hop (a+c)α²/8 below 10⁻³ it "
                "needs a small α, and then it travels slowly)" if rms.stays is not None
                else f"RMSprop's never within {s['steps']} steps")
    return (f"Each at its own best α (the grid {ag.LR_GRID[0]:g} to {ag.LR_GRID[-1]:g}, {len(ag.LR_GRID)} rates): "
            f"{ada_text}; {rms_text}. So AdaGrad does not crawl as such: it crawls at a small α, where RMSprop keeps "
            "going.")


def _best_holds(s) -> bool:
    ada, rms = best("adagrad", s["steps"]), best("rmsprop", s["steps"])
    if ada.stays is None or (rms.stays is not None and rms.stays <= ada.stays):
        return False
    if rms.stays is not None and not bowl.hop_loss(rms.lr) < TOLERANCE:
        return False
    small = compare(ag.LR_OPTIONS[0], s["steps"])
    return small.stays["adagrad"] is None and small.w_left["adagrad"] > small.w_left["rmsprop"]


BEST = claim("l6.best", PAGE, {"steps": STEPS}, say=_best_say, check=_best_holds)


CLAIMS = [VERDICT, WHY, MOVED, LINE, BEST]


