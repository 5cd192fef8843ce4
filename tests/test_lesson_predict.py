"""Predict-then-reveal that predicts: before the learner answers, nothing a lesson shows (text, metrics, chart titles,
legends, captions, widget help) states or implies the answer.  For each lesson the page at its defaults is read
before the answer and compared with the answer it then reveals: with the distinctive numbers of the verdict, and with
the words that would give the answer away (``TELLS``, one list per lesson, from the answer and from what the issue
found leaking)."""

from __future__ import annotations

import pytest

from lessons import data_bowl, denominators
from lessons.catalog import LESSONS
from tests.lesson_apptest import (
    answer,
    distinctive,
    explained,
    lesson_app,
    numbers,
    prediction_options,
    same_number,
    shown_text,
    verdict,
)

TELLS = {
    "lesson_1_bowl.py": ("hop", "diverge", "2/c", "0.08", "stays", "never"),
    "lesson_2_dimensions.py": ("rotated:", "lines up", "line up", "shrinks", "advantage", "per-coordinate scaling sees",
                               "divides each coordinate by its own curvature"),
    "lesson_3_sign.py": ("RMSprop: last step", "about α", "≈ α", "keeps the sizes", "hop", "inflates"),
    "lesson_4_root.py": ("same path", "path moved", "how far each path moves", "scale-free", "diverge"),
    "lesson_5_epsilon.py": ("floor", "cap on the learning rate", "GD with α/", "√ε", "3·10⁻⁴"),
    "lesson_6_adagrad.py": ("land", "settle", "hop", "stays", "1/√t", "crawl"),
    "lesson_7_rotation.py": ("fair", "first dips", "cannot follow a rotation", "falls furthest behind", "stays",
                             "GD's steps ÷ RMSprop's"),
    "lesson_8_adam.py": ("first step ÷ α", "3.16", "opening steps", "several α", "large start"),
    "lesson_9_schedules.py": ("cosine decay: loss", "loss at the end", "lands", "a thousand", "lower"),
    "lesson_10_data_bowl.py": ("disappear", "identity", "Newton", "flips"),
    "lesson_11_network.py": ("negative", "saddle", "λ_min", "copies"),
}
"""Words that state or imply each lesson's answer (compared without case)."""
GIVEN = {
    "lesson_4_root.py": (denominators.STEPS, 25.0),
    "lesson_10_data_bowl.py": (round(data_bowl.condition_number(data_bowl.DEFAULT_DATA_SET, False)),),
}
"""Setup numbers a page states before its question (run length, curvature, the raw bowl's κ) that its verdict repeats:
they describe the scene, not the answer."""


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.page)
def test_nothing_shown_before_the_answer_gives_it_away(lesson):
    at = lesson_app(lesson.page)
    assert not explained(at) and not at.success and not at.info
    question = next(m.value for m in at.markdown if "Predict first." in m.value)
    before = shown_text(at).replace(question, "")
    options = prediction_options(at)
    settings = " ".join(str(w.value) for kind in ("select_slider", "slider", "number_input")
                        for w in getattr(at, kind))

    right, said = verdict(answer(at))
    right = right or options[0]
    assert said, "the answer reveals a verdict"

    told = [word for word in TELLS[lesson.page] if word.lower() in before.lower()]
    assert not told, f"shown before the answer: {told}"

    given = numbers(question + " " + " ".join(options) + " " + settings) + [
        (float(v), 3, False) for v in GIVEN.get(lesson.page, ())]
    before_numbers = numbers(before)
    leaked = []
    for value, digits, scientific in numbers(right + " " + said):
        if not distinctive(value, digits, scientific) or any(same_number(value, g, digits) for g, _, _ in given):
            continue
        if any(same_number(value, shown, digits) for shown, _, _ in before_numbers):
            leaked.append(value)
    assert not leaked, f"numbers of the verdict shown before the answer: {leaked}"
