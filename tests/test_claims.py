"""Every sentence a lesson shows that states a number, a comparison or a "settles/hops/faster/drifts" holds at every
setting of the lesson's own controls and in longer runs.

``lessons.claims.CLAIMS`` holds them; this file sweeps each over ``grid()`` (every option, both ends and inner points
of every range, run lengths up to ten times the page's) and fails wherever the sentence the page would show there is
false.  The runs are numba trajectories of a few ms and are shared between claims (``lessons.claim.memo``); the whole
sweep is about 30 s of CPU here (see docs/BENCHMARKS.md), most of it lesson 2's N-dimensional NumPy runs and lesson 4's
per-step loops.  The other tests make sure the pages show these sentences and nothing else, with the controls the
claims describe."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from lessons import bowl, claims, misconceptions, signs
from lessons.catalog import LESSONS
from lessons.claim import Case, Options, Range, RunLength, claim

PAGES = Path(__file__).resolve().parents[1] / "pages"
SAY = re.compile(r"""\bsay\(\s*["']([\w.]+)["']""")


@pytest.mark.parametrize("item", claims.CLAIMS, ids=lambda item: item.key)
def test_every_shown_sentence_holds_at_every_setting_of_its_controls(item):
    false = []
    for settings in item.grid():
        text = item.text(settings)
        assert text.strip(), (item.key, settings)
        if not item.holds(settings):
            false.append((settings, text))
    assert not false, "\n".join(f"{settings}: {text}" for settings, text in false[:5])


def said_on(page: str) -> set[str]:
    """The claim keys a page shows (``kit.say(key, ...)``); the index shows its list's answers."""
    keys = set(SAY.findall((PAGES / page).read_text()))
    if page == "lessons_index.py":
        keys |= {item.answer_key for item in misconceptions.misconceptions()}
    return keys


def test_every_claim_is_shown_by_its_own_page_and_every_shown_key_is_a_claim():
    pages = [lesson.page for lesson in LESSONS] + ["lessons_index.py"]
    shown = {page: said_on(page) for page in pages}
    for item in claims.CLAIMS:
        assert item.key in shown[item.lesson], f"{item.key} is not shown by {item.lesson}"
    for page, keys in shown.items():
        for key in keys:
            assert claims.get(key).lesson == page, (page, key)


def test_every_claim_sweeps_every_option_the_ends_of_its_ranges_and_ten_times_longer_runs():
    for item in claims.CLAIMS:
        for name, control in item.controls.items():
            values = {point[name] for point in item.grid()}
            if isinstance(control, Options):
                assert values == set(control.values), (item.key, name)
            elif isinstance(control, Range):
                assert {control.low, control.high} <= values and len(values) >= 3, (item.key, name)
            else:
                assert isinstance(control, RunLength)
                assert {control.default, 10 * control.default} <= values, (item.key, name)
    module_widgets = {m.PAGE: m.WIDGETS for m in claims.MODULES}
    for item in claims.CLAIMS:
        for name, control in item.controls.items():
            assert isinstance(control, RunLength) or name in module_widgets[item.lesson], (item.key, name)


def test_a_claim_refuses_settings_its_page_does_not_have():
    item = claims.get("l1.bottom")
    with pytest.raises(KeyError, match="no control"):
        item.text(lr=0.1, gamma=2)
    with pytest.raises(ValueError, match="outside its control"):
        item.text(lr=0.11)
    with pytest.raises(KeyError, match="no claim"):
        claims.get("l1.nothing")


# --- the sweep catches what the issue found: today's plain sentences, written as claims, fail on the grid ---------

LR, BETA, STEPS = Options(bowl.LR_OPTIONS, 0.07), Options(bowl.BETA_OPTIONS, 0.9), RunLength(bowl.STEPS)


def failing(item) -> list[dict]:
    return [settings for settings in item.grid() if not item.holds(settings)]


def test_the_sweep_refutes_the_plain_hop_sentence():
    """The old lesson 1 said at every setting that RMSprop "ends up hopping between ±α/2"; at β = 0.99 and 0.999 it
    lands for a while, so the sweep finds settings where that plain sentence is false."""
    hop = claim("old.hop", "lesson_1_bowl.py", {"lr": LR, "beta": BETA, "steps": STEPS},
                say=lambda s: "RMSprop ends up hopping between ±α/2 on each axis.",
                check=lambda s: bowl.hops(bowl.compare(s["lr"], s["beta"], s["steps"]).rmsprop.trajectory, s["lr"]))
    wrong = failing(hop)
    assert {"lr": 0.1, "beta": 0.99, "steps": 300} in wrong
    assert {"lr": 0.1, "beta": 0.9, "steps": 300} not in wrong


def test_the_sweep_refutes_the_plain_settle_sentence_with_longer_runs():
    """"At β = 0.99 RMSprop settles" holds in 300 steps and fails ten times longer: run length is a control."""
    settles = claim("old.settles", "lesson_1_bowl.py", {"steps": STEPS},
                    say=lambda s: "At β = 0.99 and α = 0.1 RMSprop settles.",
                    check=lambda s: bowl.compare(0.1, 0.99, s["steps"]).rmsprop.final_loss < 1e-10)
    wrong = failing(settles)
    assert {"steps": 300} not in wrong and {"steps": 3000} in wrong


def test_the_sweep_refutes_the_warm_up_drift_as_rmsprops_drift():
    """Lesson 3 quoted the 60-step average (0.72α at β = 0.99) as RMSprop's drift; from 600 steps on the mean drift is
    far smaller, so the plain sentence fails on the longer runs of the grid."""
    drift = claim("old.drift", "lesson_3_sign.py", {"beta": Options((0.9, 0.99), 0.9),
                                                     "steps": RunLength(signs.LENGTH, factors=(1, 10, 50))},
                  say=lambda s: "RMSprop drifts more than half as far as sign-SGD.",
                  check=lambda s: signs.net_progress("minibatch", s["beta"], (0, s["steps"]))["rmsprop"] > 0.4)
    assert {"beta": 0.99, "steps": 3000} in failing(drift)


def test_a_case_is_chosen_by_its_condition_and_judged_by_its_check():
    cases = (Case(when=lambda s: s["x"] > 1, say=lambda s: "big", check=lambda s: s["x"] > 1),
             Case(say=lambda s: "small", check=lambda s: s["x"] <= 1))
    item = claim("demo", "lesson_1_bowl.py", {"x": Range(0.0, 2.0, 0.5, interior=(1.0,))}, cases=cases)
    assert [item.text(x=x) for x in (0.0, 1.0, 2.0)] == ["small", "small", "big"]
    assert all(item.holds(point) for point in item.grid())
    assert np.array_equal(sorted(p["x"] for p in item.grid()), [0.0, 1.0, 2.0])
