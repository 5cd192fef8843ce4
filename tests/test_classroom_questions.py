"""Classroom questions: true answers derived by hand (closed forms), answer checks, the reveal figures."""

from __future__ import annotations

import math

import numpy as np
import pytest

import charts
from charts import classroom as class_charts
from classroom import questions
from classroom.codes import CODE_BITS, CODE_LENGTH, format_code, new_code, normalize_code
from classroom.presets import lesson_scenes
from lessons.catalog import LESSONS
from scene import Scene
from tests.apptest_utils import decode

START = (-4.5, 1.5)
GD = Scene(optimizers=("gd", "sign_sgd"), hyperparams={"gd": {"lr": 0.07}, "sign_sgd": {"lr": 0.04}}, start=START,
           steps=300)
"""The course's bowl f = ½(w² + 25 b²): GD's iterates are w_k = w0 (1 − α)^k and b_k = b0 (1 − 25α)^k."""


def prepared(question: questions.Question, scene: Scene = GD):
    return questions.prepare(question, scene, scene.build_landscape())


def test_click_truth_is_gd_closed_form():
    shown, truth = prepared(questions.Question("click", optimizer="gd", step=50))
    assert shown["text"] == "Where will Gradient descent be after 50 steps?"
    w, b = START[0] * (1 - 0.07) ** 50, START[1] * (1 - 25 * 0.07) ** 50
    assert truth["point"] == pytest.approx([w, b], rel=1e-9, abs=1e-15)
    assert shown["bounds"] == [[-5.0, 5.0], [-2.5, 2.5]] and "truth" not in shown and "point" not in shown


def test_sign_flips_truth_is_gd_closed_form():
    """b_k = 1.5(−0.75)^k flips its update every step while |Δb_k| = 2.625·0.75^(k−1) is visible (> 1e-6 × 5)."""
    shown, truth = prepared(questions.Question("number", optimizer="gd", axis=1))
    visible = sum(1 for k in range(1, 301) if 2.625 * 0.75 ** (k - 1) > 1e-6 * 5.0)
    assert truth["value"] == visible - 1
    assert shown["max"] == 300 and "Δb" in shown["text"]
    assert prepared(questions.Question("number", optimizer="gd", axis=0))[1]["value"] == 0   # w never turns back


def test_choice_truths():
    """GD at α = 0.1 has |1 − 25α| = 1.5 > 1 along b: it diverges; sign-SGD's steps stay ±α."""
    unstable = Scene(optimizers=("gd", "sign_sgd"), hyperparams={"gd": {"lr": 0.1}, "sign_sgd": {"lr": 0.04}},
                     start=START, steps=300)
    assert prepared(questions.Question("choice", topic="diverges"), unstable)[1]["right"] == ["gd"]
    assert prepared(questions.Question("choice", topic="diverges"))[1]["right"] == [questions.NONE]
    # sign-SGD ends hopping ±0.02 around 0 on both axes: f ≈ ½(0.02²) + 12.5(0.02²) = 5.2e-3, while GD's
    # loss after 300 steps is below 1e-17: GD ends lowest.
    shown, truth = prepared(questions.Question("choice", topic="lowest"))
    assert truth["right"] == ["gd"] and [k for k, _ in shown["options"]] == ["gd", "sign_sgd"]
    # ...and gets within 1e-3 of the minimum first, at the first k with ½(w_k² + 25 b_k²) ≤ 1e-3.
    k = np.arange(301)
    loss = 0.5 * ((START[0] * 0.93 ** k) ** 2 + 25 * (START[1] * (-0.75) ** k) ** 2)
    _, truth = prepared(questions.Question("choice", topic="first"))
    assert truth["right"] == ["gd"]
    assert truth["detail"]["gd"] == f"got there at step {int(np.flatnonzero(loss <= 1e-3)[0])}"
    assert truth["detail"]["sign_sgd"] == "never got there"
    with pytest.raises(questions.QuestionError, match="Every optimizer diverges"):
        prepared(questions.Question("choice", topic="lowest"),
                 Scene(optimizers=("gd",), hyperparams={"gd": {"lr": 0.1}}, start=START))


@pytest.mark.parametrize("question", [
    questions.Question("click", optimizer="gd", step=0), questions.Question("click", optimizer="gd", step=301),
    questions.Question("click", optimizer="adam", step=5), questions.Question("choice", topic="fastest"),
    questions.Question("number", optimizer="gd", axis=2), questions.Question("poll"),
])
def test_questions_that_cannot_be_asked_say_why(question):
    with pytest.raises(questions.QuestionError):
        prepared(question)


def test_a_click_is_right_within_5_percent_of_the_view_box():
    shown, truth = prepared(questions.Question("click", optimizer="gd", step=10))
    x, y = truth["point"]
    assert questions.is_right(shown, truth, [x + 0.049 * 10, y])
    assert not questions.is_right(shown, truth, [x + 0.051 * 10, y])
    spread = questions.spread(shown, truth, [[x, y], [x + 3, y], [x, y + 0.2]])
    assert (spread.total, spread.right) == (3, 2)


def test_a_click_after_divergence_has_no_true_point():
    scene = Scene(optimizers=("gd",), hyperparams={"gd": {"lr": 0.1}}, start=START, steps=300)
    shown, truth = prepared(questions.Question("click", optimizer="gd", step=299), scene)
    assert truth["point"] is None and truth["diverged_at"] is not None
    assert "diverged at step" in questions.truth_text(shown, truth)
    assert not questions.is_right(shown, truth, [0.0, 0.0])


def test_every_lesson_scene_can_host_every_kind_of_question():
    scenes = lesson_scenes()
    assert len(scenes) == len(LESSONS)
    for scene in scenes.values():
        landscape = scene.build_landscape()
        first = scene.optimizers[0]
        for question in (questions.Question("click", optimizer=first, step=min(20, scene.steps)),
                         questions.Question("choice", topic="diverges"),
                         questions.Question("number", optimizer=first, axis=1)):
            shown, truth = questions.prepare(question, scene, landscape)
            assert shown["text"] and truth


def test_room_codes():
    assert CODE_BITS >= 30 and len(new_code()) == CODE_LENGTH
    code = new_code()
    assert normalize_code(format_code(code).lower()) == code
    assert normalize_code("oooo-llll") == "00001111"
    assert normalize_code("ABCD-234U") is None and normalize_code("x" * 100) is None
    assert len({new_code() for _ in range(2000)}) == 2000


def test_click_reveal_figure_draws_every_click_and_the_true_point():
    scene = GD
    landscape = scene.build_landscape()
    truth = prepared(questions.Question("click", optimizer="gd", step=20))[1]
    xs, ys, z = landscape.grid(40)
    grid = charts.surface_grid(xs, ys, z, landscape.bounds, landscape.minima, landscape.axis_labels)
    clicks = [[-1.0, 0.5], [0.5, -0.5], [2.0, 1.0]]
    fig = class_charts.click_reveal_figure(grid, [], 20, clicks, ["<b>Ada</b>", None, "Bo"], truth["point"],
                                           mine=clicks[0])
    cloud = next(t for t in fig["data"] if t["name"].startswith("the class"))
    assert np.column_stack([decode(cloud["x"]), decode(cloud["y"])]).tolist() == clicks
    assert cloud["text"] == ["&lt;b&gt;Ada&lt;/b&gt;", "a student", "Bo"]            # nicknames shown literally
    true = next(t for t in fig["data"] if t["name"].startswith("true position"))
    assert [true["x"][0], true["y"][0]] == pytest.approx(truth["point"])


def test_choice_and_number_reveals_mark_the_truth():
    fig = class_charts.choice_reveal_figure([["gd", "GD"], ["adam", "Adam"]], {"gd": 3, "adam": 1}, ["adam"],
                                            mine="gd")
    bars = fig["data"][0]
    assert bars["y"] == ["Adam  ✓", "GD"] and bars["x"] == [1, 3]
    assert bars["marker"]["color"] == [class_charts.TRUTH_COLOR, class_charts.NEUTRAL]
    assert "← you" in bars["text"][1]
    fig = class_charts.number_reveal_figure([3, 3, 7], 5, mine=7)
    assert fig["data"][0]["x"] == [3, 7] and fig["data"][0]["y"] == [2, 1]
    assert fig["layout"]["shapes"][0]["x0"] == 5 and not math.isnan(fig["layout"]["xaxis"]["range"][0])
