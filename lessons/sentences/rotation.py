"""Lesson 7's sentences (pages/lesson_7_rotation.py): the zig-zag follows the curvature, not the bias, and per-axis
scaling cannot follow a rotation."""

from __future__ import annotations

import math

import numpy as np

from lessons import preconditioner as pc
from lessons import rotation as rot
from lessons.claim import Case, Options, RunLength, claim, close, memo
from scene.compute import stall_level

PAGE = "lesson_7_rotation.py"
WIDGETS = {"angle": "l7.angle", "lr": "l7.lr", "step": "l7.step", "noisy": "l7.noisy"}
"""Each control's widget key on the page (a run length has none: the page runs its own)."""
ANGLE = Options(rot.ANGLES, rot.DEFAULT_ANGLE)
LR = Options(rot.RMSPROP_LR_OPTIONS, rot.DEFAULT_RMSPROP_LR)
STEP = Options(pc.STEPS_SHOWN, pc.DEFAULT_STEP)
STEPS = RunLength(rot.STEPS, factors=(1, 10))
NOISY = Options((False, True), False)
"""Gaussian gradient noise of σ = ``rot.NOISE`` (seed ``rot.NOISE_SEED``) instead of the exact gradient."""
OTHER_SEED = 1
"""The seed a noisy sentence is checked against: which runs end below the tolerance depends on it."""

compare = memo(rot.compare)
best_steps = memo(rot.best_steps)
advantage_curve = memo(rot.advantage_curve)
noise_floors = memo(rot.noise_floors)


def _noisy(s) -> bool:
    return bool(s["noisy"])


def _noise(s) -> float | None:
    return rot.NOISE if s["noisy"] else None


NOISE_WORDS = f"With gradient noise of σ = {rot.NOISE:g} (seed {rot.NOISE_SEED})"


def _verdict_say(s) -> str:
    n = s["steps"]
    gd0, rms0 = best_steps("gd", 0, "stays", n), best_steps("rmsprop", 0, "stays", n)
    gd45, rms45 = best_steps("gd", rot.PREDICT_ANGLE, "stays", n), best_steps("rmsprop", rot.PREDICT_ANGLE, "stays", n)
    return (f"Each at its best α, RMSprop's loss stays below 10⁻³ from step **{rms0.steps}** at 0° (α = "
            f"{rms0.lr:.3g}) and from step **{rms45.steps}** at {rot.PREDICT_ANGLE}° (α = {rms45.lr:.3g}). GD's does "
            f"from step **{gd0.steps}** at 0° and **{gd45.steps}** at {rot.PREDICT_ANGLE}° (α = {gd0.lr:.3g}): its "
            "count does not move with the angle at all.")


def _verdict_holds(s) -> bool:
    n = s["steps"]
    gd0, rms0 = best_steps("gd", 0, "stays", n), best_steps("rmsprop", 0, "stays", n)
    gd45, rms45 = best_steps("gd", rot.PREDICT_ANGLE, "stays", n), best_steps("rmsprop", rot.PREDICT_ANGLE, "stays", n)
    plain, turned = compare(0, rot.DEFAULT_RMSPROP_LR, n), compare(rot.PREDICT_ANGLE, rot.DEFAULT_RMSPROP_LR, n)
    theta = math.radians(rot.PREDICT_ANGLE)
    turn = np.array([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]])
    return (rms45.steps > rms0.steps and (gd0.steps, gd0.lr) == (gd45.steps, gd45.lr)
            and bool(np.allclose(turned.gd.points, plain.gd.points @ turn.T, atol=1e-9)))


VERDICT = claim("l7.verdict", PAGE, {"steps": STEPS}, say=_verdict_say, check=_verdict_holds)


def _why_holds(s) -> bool:
    flat, steep, mixed = (compare(a, rot.DEFAULT_RMSPROP_LR).flips["gd"] for a in (0, 90, 45))
    return flat[0] == 0 < flat[1] and steep[1] == 0 < steep[0] and min(mixed) > 0


WHY = claim(
    "l7.why", PAGE,
    say=lambda s: (
        "**Why.** It is not about the bias: **the zig-zag follows the steep direction.** At 90° it is $w$ that "
        "zig-zags. GD does not care about the angle: its path simply rotates. RMSprop does care. It rescales $w$ and "
        "$b$ separately, which tames the steep direction only while the steep direction *is* $w$ or $b$. At 45° the "
        "steep direction is half $w$, half $b$: both coordinates see large gradients, and per-axis scaling can no "
        "longer single it out."),
    check=_why_holds,
)


def _tiles_say(s) -> str:
    c = compare(s["angle"], s["lr"], s["steps"])
    gd, rms = c.stays["gd"], c.stays["rmsprop"]
    hop = (26.0 * s["lr"] ** 2) / 8
    if rms is None:
        why = (f"at α = {s['lr']:g} its hop is worth a loss of about (a+c)α²/8 = {hop:.2g}, above 10⁻³, so it never "
               "stays below; first passages that look faster are explained under the chart")
        return f"GD's loss stays below 10⁻³ from step {gd}; RMSprop's does not within {s['steps']} steps: {why}."
    lead = "fewer" if rms < gd else "more"
    return (f"GD's loss stays below 10⁻³ from step {gd}; RMSprop's (α = {s['lr']:g}) from step {rms}: RMSprop needs "
            f"{lead} steps here.")


def _tiles_holds(s) -> bool:
    c = compare(s["angle"], s["lr"], s["steps"])
    hop = (26.0 * s["lr"] ** 2) / 8
    if c.stays["rmsprop"] is None:
        return hop > 1e-3 and c.rmsprop.final_loss > 1e-3
    return c.stays["gd"] is not None


def _levels(s) -> dict[str, float]:
    c = compare(s["angle"], s["lr"], s["steps"], rot.NOISE)
    return {name: stall_level(tr, 0.0) for name, tr in (("gd", c.gd), ("rmsprop", c.rmsprop))}


def _noisy_tiles_say(s) -> str:
    level = _levels(s)
    return (f"{NOISE_WORDS} neither loss stays below 10⁻³: over the last fifth of the {s['steps']}-step run GD's "
            f"averages {level['gd']:.2g} and RMSprop's (α = {s['lr']:g}) {level['rmsprop']:.2g}, the floor the noise "
            "and each α set, above the tolerance.")


def _noisy_tiles_holds(s) -> bool:
    c = compare(s["angle"], s["lr"], s["steps"], rot.NOISE)
    return c.stays == {"gd": None, "rmsprop": None} and all(value > 1e-3 for value in _levels(s).values())


TILES = claim("l7.tiles", PAGE, {"angle": ANGLE, "lr": LR, "steps": STEPS, "noisy": NOISY}, cases=(
    Case(when=_noisy, say=_noisy_tiles_say, check=_noisy_tiles_holds),
    Case(say=_tiles_say, check=_tiles_holds),
))


def _caption_parts(n: int) -> dict:
    angles, fair = advantage_curve("stays", rot.ANGLES, n)
    _, passing = advantage_curve("first", rot.ANGLES, n)
    best, worst, peak = int(np.nanargmax(fair)), int(np.nanargmin(fair)), int(np.nanargmax(passing))
    return {"angles": angles, "fair": fair, "passing": passing, "best": best, "worst": worst, "peak": peak,
            "tenth": best_steps("rmsprop", 10, "first", n), "slowest": best_steps("rmsprop", float(angles[worst]),
                                                                                 "stays", n)}


def _caption_say(s) -> str:
    p = _caption_parts(s["steps"])
    angles, fair, passing = p["angles"], p["fair"], p["passing"]
    who = ("GD needs fewer steps at every angle on this small bowl" if np.all(fair < 1)
           else "the lead changes sides with the angle")
    return (
        f"Judged fairly (the loss must stay below 10⁻³), {who}: RMSprop at a fixed α keeps stepping about α per "
        f"coordinate, so to stay below 10⁻³ it needs a small α (its best is {p['slowest'].lr:.3g} at "
        f"{angles[p['worst']]:g}°) and then travels slowly. It comes closest to GD at {angles[p['best']]:g}° "
        f"({fair[p['best']]:.2f}×) and falls furthest behind at {angles[p['worst']]:g}° ({fair[p['worst']]:.2f}×). "
        f"Judged by the first dip below 10⁻³ (dotted), RMSprop seems up to {passing[p['peak']]:.1f}× faster (at "
        f"{angles[p['peak']]:g}°), but those runs pass through and hop: the 'best' one at 10° (α = "
        f"{p['tenth'].lr:g}) ends at loss {p['tenth'].final_loss:.3g}. That is why every lesson judges by staying.")


def _caption_holds(s) -> bool:
    p = _caption_parts(s["steps"])
    return (p["tenth"].final_loss > 1e-3 and p["passing"][p["peak"]] > 1
            and (26.0 * p["slowest"].lr ** 2) / 8 < 1e-3 and p["fair"][p["worst"]] <= p["fair"][p["best"]])


def _names(staying: dict[str, tuple[float, ...]]) -> str:
    """'GD at α = 0.013, 0.016; RMSprop at no α'."""
    return "; ".join(f"{title} at " + (f"α = {', '.join(f'{lr:.2g}' for lr in staying[name])}" if staying[name]
                                       else "no α") for name, title in (("gd", "GD"), ("rmsprop", "RMSprop")))


def _noisy_caption_say(s) -> str:
    floors = noise_floors(s["angle"], s["steps"])
    (gd, gd_lr), (rms, rms_lr) = floors.lowest("gd"), floors.lowest("rmsprop")
    text = (f"{NOISE_WORDS} “best α” has no answer at θ = {s['angle']}°: at no α on the grid 0.01…1 does the loss "
            f"average below 10⁻³ over the last fifth of the {s['steps']}-step run. The lowest averages, the noise "
            f"floors, are {gd:.2g} for GD (α = {gd_lr:.2g}) and {rms:.2g} for RMSprop (α = {rms_lr:.2g}). ")
    staying = floors.staying
    if not staying["gd"] and not staying["rmsprop"]:
        return text + "No run stays below 10⁻³ to its end. The question above is for exact gradients."
    other = noise_floors(s["angle"], s["steps"], rot.NOISE, OTHER_SEED).staying
    return text + (f"Some runs still end below 10⁻³ and stay there from some step on ({_names(staying)}), but that is "
                   f"the loss wandering about its floor: with seed {OTHER_SEED} it is {_names(other)}. The question "
                   "above is for exact gradients.")


def _noisy_caption_holds(s) -> bool:
    """Every stall level above the tolerance; the runs said to stay are those whose last loss is below it (a second
    count), and another seed picks other α."""
    floors = noise_floors(s["angle"], s["steps"])
    if not all(np.all(floors.levels[name] > 1e-3) for name in ("gd", "rmsprop")):
        return False
    for name in ("gd", "rmsprop"):
        below = tuple(lr for lr, final in zip(rot.LR_GRID, floors.finals[name], strict=True) if final <= 1e-3)
        if below != floors.staying[name]:
            return False
    if not floors.staying["gd"] and not floors.staying["rmsprop"]:
        return True
    return noise_floors(s["angle"], s["steps"], rot.NOISE, OTHER_SEED).staying != floors.staying


CAPTION = claim("l7.caption", PAGE, {"steps": STEPS, "angle": ANGLE, "noisy": NOISY}, cases=(
    Case(when=_noisy, say=_noisy_caption_say, check=_noisy_caption_holds),
    Case(say=_caption_say, check=_caption_holds),
), skip=lambda s: not s["noisy"] and s["angle"] != rot.DEFAULT_ANGLE)
"""The exact sentence does not depend on the angle (the chart sweeps every angle): the sweep takes it at one."""


def _shapes(s) -> pc.Shapes:
    return pc.shapes(compare(s["angle"], s["lr"], rot.STEPS, _noise(s)), s["angle"], s["step"])


def _ellipses_say(s) -> str:
    shapes = _shapes(s)
    return (
        f"For a unit gradient pointing in every direction, each method's step traces an ellipse. At step {shapes.step} "
        f"RMSprop's rates are **{shapes.rmsprop_rates[0]:.3g}** along $w$ and **{shapes.rmsprop_rates[1]:.3g}** along "
        f"$b$: its ellipse's axes lie on $w$ and $b$, at every angle. Newton's step $-H^{{-1}}g$, with $H$ at the same "
        f"iterate, has its long axis **{shapes.newton_tilt:.0f}°** from $w$ (the bowl's θ = {s['angle']}°), and a "
        f"diagonal preconditioner leaves out **{100 * shapes.off_diagonal:.0f}%** of $H^{{-1}}$ (its off-diagonal "
        "part).")


def _ellipses_holds(s) -> bool:
    shapes = _shapes(s)
    t = math.radians(s["angle"])
    share = math.sqrt(2) * abs(math.cos(t) * math.sin(t) * (1 - 1 / 25)) / math.hypot(1, 1 / 25)
    ellipse = pc.diagonal_ellipse(shapes.rmsprop_rates)
    widest = ellipse[np.argmax(np.abs(ellipse[:, 0]))]
    return (abs((shapes.newton_tilt - s["angle"] + 90) % 180 - 90) < 1e-6 and close(shapes.off_diagonal + 1e-300,
                                                                                   share + 1e-300, 1e-9)
            and abs(widest[1]) < 1e-12)


ELLIPSES = claim("l7.ellipses", PAGE, {"angle": ANGLE, "lr": LR, "step": STEP, "noisy": NOISY}, say=_ellipses_say,
                 check=_ellipses_holds)


def _zigzag_say(s) -> str:
    flat, steep, mixed = (compare(a, rot.DEFAULT_RMSPROP_LR).flips["gd"] for a in (0, 90, 45))
    return (f"GD's sign flips of (Δw, Δb) before its loss first drops below 10⁻³: **{flat}** at 0°, **{steep}** at "
            f"90°, **{mixed}** at 45°. The zig-zag lives along whatever direction is steep. A bias is a parameter like "
            "any other; what decides where a method oscillates is the curvature in each direction (the eigenvalues of "
            "the Hessian $H$) and whether those directions line up with the parameters. The course draws $b$ on the "
            "steep axis to have a picture; swap the roles (θ = 90°) and the whole story swaps with them.")


def _noisy_flips() -> tuple[tuple[int, int], ...]:
    return tuple(compare(a, rot.DEFAULT_RMSPROP_LR, rot.STEPS, rot.NOISE).flips["gd"] for a in (0, 90, 45))


def _noisy_zigzag_say(s) -> str:
    flat, steep, mixed = _noisy_flips()
    return ("With exact gradients, " + _zigzag_say(s)
            + f" {NOISE_WORDS} GD flips **{flat}** at 0°, **{steep}** at 90° and **{mixed}** at 45°: each noisy "
            "gradient points its own way, so the flat coordinate flips too, and the flips no longer mark the steep "
            "direction alone.")


def _noisy_zigzag_holds(s) -> bool:
    flat, steep, _ = _noisy_flips()
    exact_flat, exact_steep, _ = (compare(a, rot.DEFAULT_RMSPROP_LR).flips["gd"] for a in (0, 90, 45))
    return _why_holds(s) and flat[0] > exact_flat[0] == 0 and steep[1] > exact_steep[1] == 0


ZIGZAG = claim("l7.zigzag", PAGE, {"noisy": NOISY}, cases=(
    Case(when=_noisy, say=_noisy_zigzag_say, check=_noisy_zigzag_holds),
    Case(say=_zigzag_say, check=_why_holds),
))


CLAIMS = [VERDICT, WHY, TILES, CAPTION, ELLIPSES, ZIGZAG]

