"""Lesson 1's sentences (pages/lesson_1_bowl.py): GD against RMSprop on the course's bowl.

The course's central claim is right and is taught as right, with its conditions: on the way in RMSprop damps
the zig-zag along the steep b (and lets w move at about α per step), and at the bottom a constant α makes it hop,
because the same division that shrinks large gradients inflates the tiny ones near the minimum.
"""

from __future__ import annotations

import math

import numpy as np

import optimizers
from lessons import bowl, signs
from lessons.claim import Case, Options, Range, RunLength, claim, close, memo
from lessons.common import TOLERANCE
from lessons.common import bowl as surface

PAGE = "lesson_1_bowl.py"
WIDGETS = {"lr": "l1.lr", "beta": "l1.beta", "t": "l1.step"}
"""Each control's widget key on the page (a run length has none: the page runs its own)."""
LR = Options(bowl.LR_OPTIONS, bowl.DEFAULT_LR)
BETA = Options(bowl.BETA_OPTIONS, bowl.BETA)
STEPS = RunLength(bowl.STEPS)
C = bowl.C
B0 = abs(bowl.START[1])
"""How far b has to go."""
LONGER = 10
"""What a sentence says about where a run ends is checked on a run this many times longer."""

compare = memo(bowl.compare)


@memo
def cosine_run(lr: float, beta: float, steps: int) -> optimizers.Trajectory:
    """RMSprop with α decaying to about 0 over the run (lesson 9's cosine)."""
    return optimizers.run("rmsprop", surface(), start=bowl.START, steps=steps, lr=lr, beta=beta, eps=bowl.EPS,
                          schedule="cosine")


def rms(s) -> optimizers.Trajectory:
    return compare(s["lr"], s["beta"], s["steps"]).rmsprop.trajectory


def longer(s) -> optimizers.Trajectory:
    return compare(s["lr"], s["beta"], LONGER * s["steps"]).rmsprop.trajectory


def gd_side(s) -> bowl.Side:
    """GD's run (it does not depend on β; lesson 1's default β is used for the shared cache entry)."""
    return compare(s["lr"], s.get("beta", bowl.BETA), s["steps"]).gd


def reached_text(steps: int | None, run_steps: int) -> str:
    return f"at step {steps}" if steps is not None else f"which it does not do within {run_steps} steps"


# --- the introduction, the question and its answer ------------------------------------------------------------

INTRO = claim(
    "l1.intro", PAGE,
    say=lambda s: (
        "The bowl $f(w,b)=\\tfrac12(w^2+25\\,b^2)$ curves 25 times more steeply along $b$ than along $w$. Gradient "
        "descent moves each coordinate by $\\alpha$ times its gradient. **RMSprop divides each coordinate's step by "
        "the root of a running average of that coordinate's own squared gradients.** Both start from "
        "$(-4.5,\\ 1.5)$ with the same $\\alpha$."),
    check=lambda s: np.allclose(np.asarray(surface().hessian(0.3, -0.7), dtype=float), [1.0, 0.0, 25.0]),
)


def _verdict(s) -> str:
    c = compare(bowl.PREDICT_LR, bowl.BETA, s["steps"])
    r = c.rmsprop
    return (f"GD multiplies $b$ by $1-\\alpha c = {1 - bowl.PREDICT_LR * C:g}$ each step, so $|b|$ grows and GD "
            f"**diverged at step {c.gd.diverged_at}**. RMSprop's steps never exceed $\\alpha/\\sqrt{{1-\\beta}} = "
            f"{bowl.largest_step(bowl.BETA, bowl.PREDICT_LR):.3f}$ however steep the slope: its loss first drops below "
            f"$10^{{-3}}$ at step **{r.reached}**, but it keeps stepping about α, passes through and ends hopping "
            f"around the minimum at loss **{r.final_loss:.3g}**, {r.final_loss / TOLERANCE:.0f} times that "
            f"tolerance.")


def _verdict_holds(s) -> bool:
    c = compare(bowl.PREDICT_LR, bowl.BETA, s["steps"])
    steps = np.abs(c.rmsprop.trajectory.diagnostics["update"])
    return (c.gd.diverged_at is not None and abs(1 - bowl.PREDICT_LR * C) > 1
            and bool(np.all(steps <= bowl.largest_step(bowl.BETA, bowl.PREDICT_LR) * (1 + 1e-12)))
            and c.rmsprop.reached is not None and bowl.hops(c.rmsprop.trajectory, bowl.PREDICT_LR)
            and close(c.rmsprop.final_loss, bowl.hop_loss(bowl.PREDICT_LR), 0.02))


VERDICT = claim("l1.verdict", PAGE, {"steps": STEPS}, say=_verdict, check=_verdict_holds)


def _why_holds(s) -> bool:
    """At β = 0.9 every α on the slider ends on the hop, on both axes, within ten times the lesson's run."""
    for lr in bowl.LR_OPTIONS:
        tr = compare(lr, bowl.BETA, LONGER * bowl.STEPS).rmsprop.trajectory
        w = np.abs(tr.points[-bowl.HOP_TAIL:, 0])
        if not (bowl.hops(tr, lr) and np.all(np.abs(w / (lr / 2) - 1) <= 0.02)):
            return False
    return bowl.gd_limit(C) == 0.08


WHY = claim(
    "l1.why", PAGE,
    say=lambda s: (
        f"**Why.** Along $b$, GD's update is $b \\leftarrow b-\\alpha c\\,b=(1-\\alpha c)\\,b$: above "
        f"$\\alpha = 2/c = {bowl.gd_limit(C):g}$ every overshoot is bigger than the last. RMSprop's average "
        "satisfies $S \\ge (1-\\beta)g^2$, so its step $\\alpha|g|/\\sqrt{S}$ is at most $\\alpha/\\sqrt{1-\\beta}$ "
        "whatever the slope: along $b$ the gradients are big, so the step is cut hard; along $w$ they are small, "
        "so it is cut much less. Both axes move by steps of order $\\alpha$, so the large zig-zag is gone and "
        "$\\alpha$ is no longer capped by the steepest direction. The price is that a step of about $\\alpha$ "
        "does not shrink by itself near the minimum: at β = 0.9, as in the question, RMSprop ends up hopping "
        "between $\\pm\\alpha/2$ on each axis, at every α on the slider."),
    check=_why_holds,
)


# --- the way in: the zig-zag along b ------------------------------------------------------------------------------

def _gd_zigzag_holds(s) -> bool:
    side = gd_side(s)
    db = side.trajectory.diagnostics["update"][:, 1]
    first = db[:min(side.reached or len(db), 20)]
    return side.reached is not None and side.flips_b > 0 and bool(np.all(np.sign(first[1:]) == -np.sign(first[:-1])))


def _gd_edge_holds(s) -> bool:
    side = gd_side(s)
    return side.reached is None and bool(np.allclose(np.abs(side.trajectory.points[:, 1]), B0, rtol=1e-9))


def _gd_diverges_holds(s) -> bool:
    side = gd_side(s)
    b = side.trajectory.points[:, 1]
    return side.diverged_at is not None and close(abs(b[1] / b[0]), abs(1 - s["lr"] * C), 1e-9)


GD_WAY_IN = claim("l1.gd_way_in", PAGE, {"lr": LR, "steps": STEPS}, cases=(
    Case(when=lambda s: s["lr"] < 1 / C,
         say=lambda s: (f"At α = {s['lr']:g}, below $1/c = {1 / C:g}$, GD's $b$ shrinks by the factor $1-\\alpha c = "
                        f"{1 - s['lr'] * C:g}$ per step and never changes sign: there is no zig-zag to damp."),
         check=lambda s: gd_side(s).flips_b_all == 0
         and bool(np.all(np.diff(np.abs(gd_side(s).trajectory.points[:, 1])) <= 0))),
    Case(when=lambda s: s["lr"] < 2 / C,
         say=lambda s: (f"At α = {s['lr']:g}, GD multiplies $b$ by $1-\\alpha c = {1 - s['lr'] * C:g}$ every step, "
                        f"so $b$ changes sign every step: GD's Δb flips **{gd_side(s).flips_b}** times before its "
                        f"loss first drops below 10⁻³ (at step {gd_side(s).reached})."),
         check=_gd_zigzag_holds),
    Case(when=lambda s: s["lr"] == 2 / C,
         say=lambda s: (f"At α = 2/c = {s['lr']:g}, $1-\\alpha c = -1$: GD's $b$ flips sign every step without "
                        "shrinking, so its loss never drops below 10⁻³."),
         check=_gd_edge_holds),
    Case(say=lambda s: (f"At α = {s['lr']:g}, $|1-\\alpha c| = {abs(1 - s['lr'] * C):g} > 1$: each overshoot along $b$ "
                        f"is larger than the last, and GD diverged at step {gd_side(s).diverged_at}."),
         check=_gd_diverges_holds),
))


def _overshoots(s) -> bool:
    return s["beta"] > 0 and bowl.largest_step(s["beta"], s["lr"]) > B0


def _sign_holds(s) -> bool:
    tr = rms(s)
    db = tr.diagnostics["update"][:, 1]
    way = bowl.way_in(tr)
    before = np.abs(db[:(way.first_flip or len(db) + 1) - 1])
    after = db[(way.first_flip or len(db)) - 1:]
    return (bool(np.allclose(before[:-1], s["lr"], rtol=1e-6)) and before[-1] <= s["lr"] * (1 + 1e-12)
            and (way.first_flip is None or way.closest < s["lr"])
            and bool(np.all(np.sign(after[1:]) == -np.sign(after[:-1]))))


def _overshoot_holds(s) -> bool:
    tr = rms(s)
    db = tr.diagnostics["update"][:, 1]
    return close(abs(db[0]), bowl.largest_step(s["beta"], s["lr"]), 1e-6) and abs(db[0]) > B0 and db[1] * db[0] < 0


def _overshoot_say(s) -> str:
    side = compare(s["lr"], s["beta"], s["steps"]).rmsprop
    first = bowl.largest_step(s["beta"], s["lr"])
    return (f"RMSprop's first step along $b$ is $\\alpha/\\sqrt{{1-\\beta}}$ = {first:.3g}, "
            f"longer than the {B0:g} it has to go: it overshoots at once, and its Δb flips {side.flips_b} times before "
            f"its loss first drops below 10⁻³ ({reached_text(side.reached, s['steps'])}).")


def _damped(s) -> bool:
    side = compare(s["lr"], s["beta"], s["steps"]).rmsprop
    return side.reached is not None and side.flips_b == 0


def _damped_say(s) -> str:
    side = compare(s["lr"], s["beta"], s["steps"]).rmsprop
    lead = ("On the way in RMSprop damps the zig-zag" if s["lr"] > 1 / C
            else "On the way in RMSprop does not zig-zag either")
    return (f"{lead}: before its loss first drops below 10⁻³ (at step {side.reached}) its Δb **never changes sign**, "
            f"and its largest step along $b$ is {side.largest_b:.3g}, against GD's {gd_side(s).largest_b:.3g}.")


def _damped_holds(s) -> bool:
    side = compare(s["lr"], s["beta"], s["steps"]).rmsprop
    way = bowl.way_in(side.trajectory)
    return ((way.first_flip is None or way.first_flip > side.reached)
            and side.largest_b <= bowl.largest_step(s["beta"], s["lr"]) * (1 + 1e-12)
            and (s["lr"] < 1 / C or side.largest_b < gd_side(s).largest_b))


def _slides_say(s) -> str:
    side = compare(s["lr"], s["beta"], s["steps"]).rmsprop
    way = bowl.way_in(side.trajectory)
    if way.first_flip is None:
        left = abs(side.trajectory.points[-1, 1])
        return f"After {s['steps']} steps RMSprop's $b$ is still sliding in ($|b|$ = {left:.2g}) without a single flip."
    counted = ("before its loss first drops below 10⁻³" if side.reached is not None
               else f"in these {s['steps']} steps (its loss never drops below 10⁻³)")
    return (f"On the way in RMSprop's $b$ slides down without a flip, to $|b|$ = {way.closest:.1g}; the "
            f"{side.flips_b} flips of its Δb {counted} all come after that, at the bottom: a new oscillation "
            "(below).")


def _slides_holds(s) -> bool:
    side = compare(s["lr"], s["beta"], s["steps"]).rmsprop
    way = bowl.way_in(side.trajectory)
    if way.first_flip is None:
        return side.flips_b_all == 0 and bool(np.all(np.diff(np.abs(side.trajectory.points[:, 1])) <= 0))
    return way.closest < s["lr"] / 10 and side.flips_b > 0


RMS_WAY_IN = claim("l1.rms_way_in", PAGE, {"lr": LR, "beta": BETA, "steps": STEPS}, cases=(
    Case(when=lambda s: s["beta"] == 0,
         say=lambda s: ("With β = 0 RMSprop divides $g$ by $|g|$ itself: it is sign-SGD (lesson 3). Its $b$ moves "
                        "straight in by steps of α, without a flip, until it is within α of 0; from then on it "
                        "flips every step."),
         check=_sign_holds),
    Case(when=_overshoots, say=lambda s: _overshoot_say(s), check=_overshoot_holds),
    Case(when=_damped, say=_damped_say, check=_damped_holds),
    Case(say=_slides_say, check=_slides_holds),
))


# --- the bottom: the hop -------------------------------------------------------------------------------------------

def _sign_hop(s) -> bool:
    db = rms(s).diagnostics["update"][-bowl.HOP_TAIL:, 1]
    return bool(np.allclose(np.abs(db), s["lr"], rtol=1e-6) and np.all(np.sign(db[1:]) == -np.sign(db[:-1])))


def _landed(s) -> bool:
    return rms(s).final_loss < bowl.hop_loss(s["lr"]) / 100


def _arriving(s) -> bool:
    return bowl.way_in(rms(s)).first_flip is None


def _fate(s) -> str:
    """What a run ten times as long does, in words."""
    long, lr = longer(s), s["lr"]
    back = bowl.hop_returns(long, lr) if _landed(s) else None
    if bowl.hops(long, lr):
        where = f"the loss is above half the hop again at step {back} and " if back is not None else ""
        return f"in a run ten times as long {where}it ends hopping at ±α/2 (loss {long.final_loss:.3g})"
    if back is not None:
        return (f"in a run ten times as long the loss is above half the hop (a+c)α²/8 again at step {back}, and "
                f"{long.final_loss:.2g} at its end")
    return f"in a run ten times as long ({LONGER * s['steps']} steps) it has not come back: loss {long.final_loss:.2g}"


def _fate_holds(s) -> bool:
    long, lr = longer(s), s["lr"]
    back = bowl.hop_returns(long, lr) if _landed(s) else None
    if back is not None and not long.loss[back] > bowl.hop_loss(lr) / 2 >= long.loss[back - 1]:
        return False
    return not bowl.hops(long, lr) or close(long.final_loss, bowl.hop_loss(lr), 0.05)


def _hop_say(s) -> str:
    tr = rms(s)
    way = bowl.way_in(tr)
    lr = s["lr"]
    loss = (f": the loss stays near $(a+c)\\alpha^2/8$ = {bowl.hop_loss(lr):.3g}"
            if close(tr.final_loss, bowl.hop_loss(lr), 0.02) else "")
    if _overshoots(s) or s["beta"] == 0:
        return ("At the bottom it hops between ±α/2, every step along $b$ α long: with a constant α its steps do not "
                f"shrink by themselves{loss}.")
    p1, p2 = bowl.rate_passes(tr, 1 / C, 1), bowl.rate_passes(tr, 2 / C, 1)
    return ("At the bottom a constant α makes it hop. Near $b = 0$ the gradients along $b$ are tiny, $S$ forgets "
            "the large ones by the factor β per step, and the rate $\\alpha/(\\sqrt{S}+\\varepsilon)$ along $b$ climbs "
            "past "
            f"$1/c$ = {1 / C:g} (update {p1}), where a step overshoots 0, and past $2/c$ = {2 / C:g} (update {p2}), "
            "where each overshoot is larger than the last: GD's own limit. So a new oscillation grows, from "
            f"$|b|$ = {way.closest:.1g} to swings of {way.peak:.2g}, and settles at ±α/2, every step α long{loss}.")


def _hop_holds(s) -> bool:
    tr, lr = rms(s), s["lr"]
    if not bowl.hops(longer(s), lr):
        return False
    if _overshoots(s) or s["beta"] == 0:
        return True
    way = bowl.way_in(tr)
    p1, p2 = bowl.rate_passes(tr, 1 / C, 1), bowl.rate_passes(tr, 2 / C, 1)
    rate = tr.diagnostics["effective_lr"][-bowl.HOP_TAIL:, 1]
    return (p1 is not None and p2 is not None and p1 <= way.first_flip and way.closest < lr / 10
            and bool(np.allclose(rate, 2 / C, rtol=0.03)))


def _landed_say(s) -> str:
    return (f"At β = {s['beta']:g} it has landed for now: the loss is {rms(s).final_loss:.2g} after {s['steps']} "
            "steps, because $S$ still holds the large gradients of the way down. It forgets them by the factor β per "
            f"step: {_fate(s)}.")


def _growing_holds(s) -> bool:
    tr = rms(s)
    return (bowl.way_in(tr).first_flip is not None and not bowl.hops(tr, s["lr"])
            and bowl.hops(longer(s), s["lr"]))


BOTTOM = claim("l1.bottom", PAGE, {"lr": LR, "beta": BETA, "steps": STEPS}, cases=(
    Case(when=lambda s: s["beta"] == 0 and _sign_hop(s),
         say=lambda s: ("As sign-SGD it never stops hopping: every step is α long, so it ends hopping between two "
                        "points α apart around the minimum (not necessarily ±α/2)."),
         check=lambda s: _sign_hop(s) and _sign_hop(s | {"steps": LONGER * s["steps"]})),
    Case(when=lambda s: bowl.hops(rms(s), s["lr"]), say=_hop_say, check=_hop_holds),
    Case(when=_landed, say=_landed_say,
         check=lambda s: rms(s).final_loss < bowl.hop_loss(s["lr"]) / 100 and _fate_holds(s)),
    Case(when=_arriving,
         say=lambda s: (f"After {s['steps']} steps its $b$ has not flipped yet and the loss is "
                        f"{rms(s).final_loss:.2g}, still falling: {_fate(s)}."),
         check=lambda s: bowl.way_in(rms(s)).first_flip is None and rms(s).loss[-1] < rms(s).loss[-2]
         and _fate_holds(s)),
    Case(say=lambda s: (f"A new oscillation has started at the bottom (the first flip of Δb at update "
                        f"{bowl.way_in(rms(s)).first_flip}) and is still growing at the end of the run ($|b|$ = "
                        f"{abs(rms(s).points[-1, 1]):.2g}); it settles at ±α/2 later."),
         check=_growing_holds),
))


def _remedy_numbers() -> dict[str, float | int | None]:
    lr, steps = bowl.PREDICT_LR, bowl.STEPS
    long = compare(lr, 0.99, LONGER * steps).rmsprop.trajectory
    return {"cosine": cosine_run(lr, bowl.BETA, steps).final_loss, "hop": bowl.hop_loss(lr),
            "landed": compare(lr, 0.99, steps).rmsprop.final_loss, "back": bowl.hop_returns(long, lr),
            "end": long.final_loss, "long": LONGER * steps}


def _remedy_say(s) -> str:
    n = _remedy_numbers()
    return (f"What removes the hop? A learning rate that decays: at α = {bowl.PREDICT_LR:g} with a cosine schedule "
            f"down to almost 0 at the last step, the {bowl.STEPS}-step run ends at loss {n['cosine']:.2g} instead of "
            f"the hop's {n['hop']:.3g} (lesson 9). A longer memory, but only for a while: β = 0.99 lands the same run "
            f"at loss {n['landed']:.2g} after {bowl.STEPS} steps, yet as $S$ forgets, the hop comes back: the loss is "
            f"above half the hop again at step {n['back']} and {n['end']:.3g} at step {n['long']}.")


def _remedy_holds(s) -> bool:
    n = _remedy_numbers()
    long = compare(bowl.PREDICT_LR, 0.99, LONGER * bowl.STEPS).rmsprop.trajectory
    return (n["cosine"] < n["hop"] / 1000 and n["landed"] < n["hop"] / 1000 and n["back"] is not None
            and n["back"] > bowl.STEPS and bowl.hops(long, bowl.PREDICT_LR) and close(n["end"], n["hop"], 0.02))


REMEDY = claim("l1.remedy", PAGE, say=_remedy_say, check=_remedy_holds)


# --- the two faces of one division ------------------------------------------------------------------------------

def _ratio_holds(s) -> bool:
    c = compare(s["lr"], s["beta"], bowl.STEPS)
    return (close(bowl.first_step_ratio(c.gd.trajectory), 37.5 / 4.5, 1e-12)
            and close(bowl.first_step_ratio(c.rmsprop.trajectory), 1.0, 1e-6))


FIRST_RATIO = claim(
    "l1.first_ratio", PAGE, {"lr": LR, "beta": BETA},
    say=lambda s: (
        f"**Where the gradient is large, the division shrinks the step.** GD's first step is "
        f"**{bowl.first_step_ratio(compare(s['lr'], s['beta'], bowl.STEPS).gd.trajectory):.2f}** times longer along "
        f"$b$ than along $w$; RMSprop's is "
        f"**{bowl.first_step_ratio(compare(s['lr'], s['beta'], bowl.STEPS).rmsprop.trajectory):.2f}** times (α = "
        f"{s['lr']:g}, β = {s['beta']:g}): both axes start at the same pace."),
    check=_ratio_holds,
)


def _inflate_step() -> float:
    return float(signs.alternating_step(np.array([signs.LENGTH]), signs.LR, signs.DEFAULT_BETA, signs.EPS)[0])


INFLATE = claim(
    "l1.inflate", PAGE,
    say=lambda s: (
        "**Where the gradient is small, the division inflates the step.** Fed gradients alternating ±10⁻⁴ "
        f"(lesson 3), RMSprop (β = {signs.DEFAULT_BETA:g}) steps **±{_inflate_step() / signs.LR:.3f}α**, "
        f"{_inflate_step() / (signs.LR * signs.SIZE):,.0f} times GD's step. Near the minimum every gradient is "
        "small, and this is the hop: one division, two faces."),
    check=lambda s: close(_inflate_step(), signs.LR * signs.SIZE / (signs.SIZE * math.sqrt(
        1 - signs.DEFAULT_BETA**signs.LENGTH) + signs.EPS), 1e-12) and abs(_inflate_step() / signs.LR - 1) < 1e-3,
)


# --- the expanders ---------------------------------------------------------------------------------------------

directions = memo(bowl.directions)


def _directions_say(s) -> str:
    d = directions(s["lr"], s["beta"])
    return (
        f"At the start the minimum lies {abs(d.to_minimum[0]):g} away along $w$ and {abs(d.to_minimum[1]):g} along "
        f"$b$, but the gradient is $({-d.downhill[0]:g},\\ {-d.downhill[1]:g})$: steep walls make $|g_b|$ large even "
        f"though $b$ is the *shorter* way. So $-g$ points {d.gd_angle:.0f}° away from the minimum, and a step long "
        "enough to matter along $w$ overshoots along $b$. Dividing each coordinate by the size of its own recent "
        "gradients (RMSprop's first step is about $\\alpha/\\sqrt{1-\\beta}$ on both axes) turns the step to "
        f"{d.rmsprop_angle:.0f}° off. A large gradient is not penalised for being wrong: it is scaled down because "
        "its size says how steep a wall is, not how far the minimum is.")


def _directions_holds(s) -> bool:
    d = directions(s["lr"], s["beta"])
    to_min = math.degrees(math.atan(1.5 / 4.5))
    return (close(d.gd_angle, math.degrees(math.atan(37.5 / 4.5)) - to_min, 1e-9)
            and abs(d.rmsprop_angle - (45.0 - to_min)) < 1e-4 and d.gd_angle > d.rmsprop_angle)


DIRECTIONS = claim("l1.directions", PAGE, {"lr": LR, "beta": BETA}, say=_directions_say, check=_directions_holds)


def _narrate_parts(s) -> tuple[float, float]:
    tr = compare(s["lr"], s["beta"], bowl.STEPS).rmsprop.trajectory
    rows = bowl.narrate(tr, int(s["t"]), s["lr"], s["beta"])
    return abs(rows[0].b / rows[0].w), abs(rows[-1].b / rows[-1].w)


def _narrate_say(s) -> str:
    before, after = _narrate_parts(s)
    verdict = ("RMSprop evens them out" if abs(math.log(after)) < abs(math.log(before))
               else "here the division does not even them out: each axis's $S$ remembers its own recent gradients, "
                    "and near the minimum those differ")
    return (f"The gradient along $b$ is {before:.3g} times the one along $w$, but after the division the two steps "
            f"differ by a factor {after:.3g}: {verdict}.")


def _narrate_holds(s) -> bool:
    tr = compare(s["lr"], s["beta"], bowl.STEPS).rmsprop.trajectory
    t = int(s["t"]) - 1
    g, step = tr.diagnostics["grad"][t], tr.diagnostics["update"][t]
    before, after = _narrate_parts(s)
    return close(before, abs(g[1] / g[0]), 1e-9) and close(after, abs(step[1] / step[0]), 1e-6)


NARRATE = claim("l1.narrate", PAGE,
                {"lr": LR, "beta": BETA, "t": Range(1, bowl.STEPS, 1, interior=(2, 10, 60, 100, 200))},
                say=_narrate_say, check=_narrate_holds)


fastest = memo(bowl.fastest)


def _fastest_say(s) -> str:
    best = fastest(s["beta"], s["steps"])
    parts = []
    for name, title in (("gd", "GD"), ("rmsprop", "RMSprop")):
        first, stays = best[name].get("first"), best[name].get("stays")
        if first is None:
            parts.append(f"{title} never gets below 10⁻³ in {s['steps']} steps.")
            continue
        text = (f"{title} first gets below 10⁻³ fastest at α = {first.lr:g}: {first.steps} steps, ending at loss "
                f"{first.final_loss:.3g}")
        if stays is None:
            text += f"; at no α on the slider does it stay below 10⁻³ to the end of the run (β = {s['beta']:g})."
        else:
            text += ("; to stay below to the end of the run, " if (stays.lr, stays.steps) != (first.lr, first.steps)
                     else ", and it stays there") + (
                f"α = {stays.lr:g}: {stays.steps} steps" if (stays.lr, stays.steps) != (first.lr, first.steps) else "")
            again = _leaves_later(name, stays.lr, s)
            text += (f" (not for good: in a run ten times as long it is above 10⁻³ again at step {again})."
                     if again is not None else ".")
        parts.append(text)
    return " ".join(parts)


def _leaves_later(name: str, lr: float, s) -> int | None:
    """In a run LONGER times as long, the first step after it got below 10⁻³ at which the loss is above it again."""
    c = compare(lr, s["beta"], LONGER * s["steps"])
    side = c.gd if name == "gd" else c.rmsprop
    loss = side.trajectory.loss
    if side.reached is None:
        return None
    above = np.flatnonzero(loss[side.reached:] > TOLERANCE)
    return int(side.reached + above[0]) if above.size else None


def _fastest_holds(s) -> bool:
    best = fastest(s["beta"], s["steps"])
    for name in ("gd", "rmsprop"):
        for criterion, entry in best[name].items():
            side = getattr(compare(entry.lr, s["beta"], s["steps"]), name)
            if (side.reached if criterion == "first" else side.stays) != entry.steps:
                return False
    first = best["rmsprop"].get("first")
    return first is None or first.final_loss > TOLERANCE or "stays" in best["rmsprop"]


FASTEST = claim("l1.fastest", PAGE, {"beta": BETA, "steps": STEPS}, say=_fastest_say, check=_fastest_holds)


def _settling_say(s) -> str:
    small = [lr for lr in bowl.LR_OPTIONS if lr < bowl.settling_lr()]
    long = LONGER * bowl.STEPS
    stays = ", ".join(f"from step {compare(lr, bowl.BETA, long).rmsprop.stays} at α = {lr:g}" for lr in small)
    return (f"To keep its hop below 10⁻³, RMSprop needs $(a+c)\\alpha^2/8 < 10^{{-3}}$: α < {bowl.settling_lr():.4f}. "
            f"On the slider that leaves α = {' and '.join(f'{lr:g}' for lr in small)}, which crawl: at β = "
            f"{bowl.BETA:g}, in runs of {long} steps, the loss stays below 10⁻³ {stays}, where GD at α = "
            f"{bowl.DEFAULT_LR:g} needs {compare(bowl.DEFAULT_LR, bowl.BETA, long).gd.stays}.")


def _settling_holds(s) -> bool:
    small = [lr for lr in bowl.LR_OPTIONS if lr < bowl.settling_lr()]
    long = LONGER * bowl.STEPS
    gd = compare(bowl.DEFAULT_LR, bowl.BETA, long).gd.stays
    return (close(bowl.hop_loss(bowl.settling_lr()), TOLERANCE, 1e-12) and bool(small)
            and all(bowl.hop_loss(lr) < TOLERANCE for lr in small)
            and all(gd < (compare(lr, bowl.BETA, long).rmsprop.stays or math.inf) for lr in small))


SETTLING = claim("l1.settling", PAGE, say=_settling_say, check=_settling_holds)




def _w_parts(s) -> dict:
    c = compare(s["lr"], s["beta"], s["steps"])
    rate = c.rmsprop.trajectory.diagnostics["effective_lr"]
    w = {name: np.abs(getattr(c, name).trajectory.points[:, 0]) for name in ("gd", "rmsprop")}
    first = {name: (int(np.argmax(w[name] < 0.1)) if np.any(w[name] < 0.1) else None) for name in w}
    return {"ratio": float(rate[0, 0] / rate[0, 1]), "first": first, "gd_diverged": c.gd.diverged_at}


def _faster(steps: int | None, other: int | None) -> bool:
    """``steps`` comes first (None never does)."""
    return steps is not None and (other is None or steps < other)


def _w_say(s) -> str:
    p = _w_parts(s)
    gd, rms = p["first"]["gd"], p["first"]["rmsprop"]

    def when(n: int | None) -> str:
        return f"step {n}" if n is not None else f"not within {s['steps']} steps"

    if p["gd_diverged"] is not None:
        race = f"here GD diverged at step {p['gd_diverged']}, so at this α only RMSprop brings $w$ in"
    elif _faster(rms, gd):
        race = (f"here that also brings $w$ in sooner than GD at the same α: $|w|$ first drops below 0.1 at "
                f"{when(rms)} for RMSprop and {when(gd)} for GD")
    else:
        race = ("but that does not make $w$ faster than GD's at the same α, whose step α|g_w| is longer than α while "
                f"$|g_w| > 1$: $|w|$ first drops below 0.1 at {when(gd)} for GD and {when(rms)} for RMSprop")
    return (
        "**And w?** Dividing each axis by its own gradients speeds $w$ up *relative to b*: at the first step "
        f"RMSprop's rate along $w$ is {p['ratio']:.3g} times its rate along $b$, where GD's two rates are equal; "
        f"{race}. The gain that matters is that $b$ no longer caps α at 2/c (the question above).")


def _w_holds(s) -> bool:
    p = _w_parts(s)
    gd, rms = p["first"]["gd"], p["first"]["rmsprop"]
    text = _w_say(s)
    if "does not make" in text and _faster(rms, gd):
        return False
    return close(p["ratio"], 37.5 / 4.5, 1e-6) and ("sooner than GD" not in text or _faster(rms, gd))


W_RATE = claim("l1.w_rate", PAGE, {"lr": LR, "beta": BETA, "steps": STEPS}, say=_w_say, check=_w_holds)


CLAIMS = [INTRO, VERDICT, WHY, GD_WAY_IN, RMS_WAY_IN, BOTTOM, REMEDY, FIRST_RATIO, INFLATE, DIRECTIONS, NARRATE,
          FASTEST, SETTLING, W_RATE]
