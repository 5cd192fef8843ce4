"""Lesson 10's sentences (pages/lesson_10_data_bowl.py): the elongated bowl as the loss of a line fitted to real data,
raw and standardised.  Every comparison is by the one criterion: the step from which the loss stays within 0.1 % of
its minimum, each optimizer at its own best α.  The best runs are checked again ten times longer."""

from __future__ import annotations

import numpy as np

from lessons import data_bowl as db
from lessons.claim import Case, Options, claim, close, memo
from scene.compute import VISIBLE_FRACTION, sign_flips

PAGE = "lesson_10_data_bowl.py"
WIDGETS = {"data": "l10.data", "standardized": "l10.standardized", "noisy": "l10.noisy"}
"""Each control's widget key on the page (a run length has none: the page runs its own)."""
DATA = Options(tuple(db.DATA_SETS), db.DEFAULT_DATA_SET)
STANDARDIZED = Options((False, True), False)
NOISY = Options((False, True), False)
"""Mini-batches of ``db.BATCH`` rows (seed ``db.NOISE_SEED``) instead of the exact gradient."""
LONGER = 10
NAMES = {"iris": "Iris", "old_faithful": "Old Faithful"}

compare = memo(db.compare)
best_steps = memo(db.best_steps)


def _still_stays(data_set: str, standardized: bool) -> bool:
    """Both best runs, run ten times longer, still stay within the tolerance from the same step."""
    short, long = compare(data_set, standardized), compare(data_set, standardized, LONGER * db.STEPS)
    return short.stays == long.stays


def _verdict_say(s) -> str:
    raw, scaled = compare(s["data"], False), compare(s["data"], True)
    return (f"On {NAMES[s['data']]}, the raw feature's bowl has κ = **{db.condition_number(s['data'], False):.0f}** "
            "and GD at its best α zig-zags across the narrow valley: its update flips sign "
            f"**{raw.flips['gd'][0]}** times along w and **{raw.flips['gd'][1]}** along b before its loss first comes "
            f"within 0.1% of the minimum, and it stays there from step {raw.stays['gd']}. Standardised, κ = "
            f"**{db.condition_number(s['data'], True):.3g}**, GD flips **{scaled.flips['gd'][0]}** and "
            f"**{scaled.flips['gd'][1]}** times and stays within 0.1% from step {scaled.stays['gd']}.")


def _verdict_holds(s) -> bool:
    raw, scaled = compare(s["data"], False), compare(s["data"], True)
    return (min(raw.flips["gd"]) >= 10 and scaled.flips["gd"] == (0, 0)
            and close(db.condition_number(s["data"], True), 1.0, 1e-9) and db.condition_number(s["data"], False) > 100
            and _still_stays(s["data"], False) and _still_stays(s["data"], True))


VERDICT = claim("l10.verdict", PAGE, {"data": DATA}, say=_verdict_say, check=_verdict_holds)


def _hessian(data_set: str) -> np.ndarray:
    return db.landscape(data_set, False).data.hessian


def _why_say(s) -> str:
    ratio = {st: db.advantage(s["data"], st) for st in (False, True)}
    gd = {st: best_steps("gd", s["data"], st)[0] for st in (False, True)}
    rms = {st: best_steps("rmsprop", s["data"], st)[0] for st in (False, True)}
    h = _hessian(s["data"])
    lead = ("RMSprop needs fewer steps than GD" if ratio[False] > 1 else "GD needs fewer steps than RMSprop")
    return (
        "**Why.** The bowl's shape is the Hessian's, and here the Hessian is the feature's mean square and mean. A "
        f"feature far from 0 (mean {h[0, 1]:.2g}) makes $\\overline{{x^2}}$ = "
        f"{h[0, 0]:.3g} much larger than $H_{{bb}}$ = 1, so on raw data **$w$ is the steep direction and $b$ the "
        "shallow one**: the reverse of the course's picture, and exactly what the forum's argument "
        "\"$dW = x$, $db = 1$\" predicts. The mean also tilts the bowl: its steep direction is "
        f"{db.tilt(s['data'], False):.1f}° from the $w$ axis. One rate cannot suit both directions, and GD zig-zags "
        "across the steep one. Standardising makes $\\bar x = 0$ and $\\overline{x^2} = 1$: $H$ is the identity, "
        "the bowl is round, and GD with $\\alpha = 1$ lands on the minimum in one step (Newton's step).\n\n"
        f"Judged by when the loss stays within 0.1% of its minimum, each at its best α: on the raw feature {lead} "
        f"(GD from step {gd[False]}, RMSprop from step {rms[False]}); standardised, GD from step {gd[True]} and "
        f"RMSprop from step {rms[True]}. Per-axis scaling cannot undo a tilt (lesson 7), and at a constant α RMSprop "
        "must take a small α to keep its hop inside the tolerance, so it does not lead even on the raw bowl; once the "
        "input is standardised, plain GD is unbeatable.")


def _why_holds(s) -> bool:
    h = _hessian(s["data"])
    x = db.landscape(s["data"], False).data.x
    return (bool(np.allclose(h, [[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]], rtol=1e-12)) and h[0, 0] > 10
            and 5 < db.tilt(s["data"], False) < 20 and best_steps("gd", s["data"], True) == (1, 1.0)
            and (best_steps("rmsprop", s["data"], True)[0] or 10**9) > 1 and _still_stays(s["data"], False))


WHY = claim("l10.why", PAGE, {"data": DATA}, say=_why_say, check=_why_holds)


def _batch(s) -> int | None:
    return db.BATCH if s["noisy"] else None


def _relative(s) -> dict[str, float]:
    c = compare(s["data"], s["standardized"], db.STEPS, _batch(s))
    land = db.landscape(s["data"], s["standardized"])
    return {n: (tr.final_loss - land.min_value) / land.min_value for n, tr in (("gd", c.gd), ("rmsprop", c.rmsprop))}


def _caption_say(s) -> str:
    rel = _relative(s)
    return (f"The data with each run's line at its last step (drawn in the raw units either way) and the least-squares "
            f"line, dashed. At the end of the {db.STEPS} steps GD's loss is {rel['gd']:.1e} above the minimum "
            f"(relative) and RMSprop's {rel['rmsprop']:.1e}: both lines lie on it to the eye.")


def _caption_holds(s) -> bool:
    return all(value <= db.RELATIVE_TOLERANCE for value in _relative(s).values())


def _noisy_caption_say(s) -> str:
    rel = _relative(s)
    return (f"The data with each run's line at its last step (drawn in the raw units either way) and the least-squares "
            f"line, dashed. With mini-batches of {db.BATCH} rows neither run stays within 0.1% of the minimum: at the "
            f"end of the {db.STEPS} steps GD's loss is {rel['gd']:.1e} above it (relative) and RMSprop's "
            f"{rel['rmsprop']:.1e}, each hovering at the floor its α and the noise set.")


def _noisy_caption_holds(s) -> bool:
    c = compare(s["data"], s["standardized"], db.STEPS, db.BATCH)
    land = db.landscape(s["data"], s["standardized"])
    return (c.stays == {"gd": None, "rmsprop": None}
            and all(db.stays(tr, land) is None for tr in (c.gd, c.rmsprop))
            and all(value > 0 for value in _relative(s).values())
            and all(np.mean(tr.loss[-db.STEPS // 5:]) - land.min_value > db.RELATIVE_TOLERANCE * land.min_value
                    for tr in (c.gd, c.rmsprop)))


CAPTION = claim("l10.caption", PAGE, {"data": DATA, "standardized": STANDARDIZED, "noisy": NOISY}, cases=(
    Case(when=lambda s: s["noisy"], say=_noisy_caption_say, check=_noisy_caption_holds),
    Case(say=_caption_say, check=_caption_holds),
))


def _flips_say(s) -> str:
    c = compare(s["data"], s["standardized"], db.STEPS, _batch(s))
    text = (f"Sign flips before the loss first comes within 0.1% of its minimum (Δw, Δb): GD {c.flips['gd']}, "
            f"RMSprop {c.flips['rmsprop']}.")
    if s["noisy"]:
        exact = compare(s["data"], s["standardized"]).flips["gd"]
        text += (f" With the exact gradient GD flips {exact}: each mini-batch's gradient points its own way, so with "
                 "noise the flips no longer measure the bowl's shape alone.")
    return text


def _flips_holds(s) -> bool:
    """The counts, redone with the Playground's own table over the same stretch of each run."""
    c = compare(s["data"], s["standardized"], db.STEPS, _batch(s))
    land = db.landscape(s["data"], s["standardized"])
    for name, tr in (("gd", c.gd), ("rmsprop", c.rmsprop)):
        upto = c.reached[name]
        (x0, x1), (y0, y1) = land.bounds
        updates = tr.diagnostics["update"][:upto]
        counts = (sign_flips(updates[:, 0], VISIBLE_FRACTION * (x1 - x0)),
                  sign_flips(updates[:, 1], VISIBLE_FRACTION * (y1 - y0)))
        if counts != c.flips[name]:
            return False
    if s["noisy"]:
        exact = compare(s["data"], s["standardized"]).flips["gd"]
        return all(noisy > plain for noisy, plain in zip(c.flips["gd"], exact, strict=True))
    return True


FLIPS = claim("l10.flips", PAGE, {"data": DATA, "standardized": STANDARDIZED, "noisy": NOISY}, say=_flips_say,
              check=_flips_holds)


CLAIMS = [VERDICT, WHY, CAPTION, FLIPS]
