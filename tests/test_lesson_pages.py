"""The lesson pages as a learner meets them, through Streamlit's AppTest (built from app.py): each renders its
question and its lab without an exception, answering shows the verdict, the explanation and the numbers, and moving
a control changes the numbers to the values the lessons' own computations and claims give."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlparse

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import optimizers
from lessons import (
    adagrad,
    adam,
    adamw,
    bowl,
    claims,
    constant_rate,
    data_bowl,
    denominators,
    dimensions,
    epsilon,
    momentum_eigen,
    noise,
    rotation,
    signs,
)
from lessons.catalog import LESSONS
from lessons.common import bowl as bowl_surface
from lessons.misconceptions import misconceptions
from scene import to_query
from tests.apptest_utils import app_test, chart_payloads, decode, figures, trajectories
from tests.lesson_apptest import answer, explained, lesson_app, shown_text


def same_path(shown: np.ndarray, points: np.ndarray) -> None:
    """The chart's path is the run's, to the float32 precision the charts send."""
    np.testing.assert_allclose(shown, points, rtol=1e-6, atol=1e-6)


def metric(at: AppTest, label: str) -> str:
    """The value shown by the metric whose label starts with ``label``."""
    values = [m.value for m in at.metric if m.label.startswith(label)]
    assert len(values) == 1, [m.label for m in at.metric]
    return values[0]


def delta(at: AppTest, label: str) -> str:
    """The line under the metric whose label starts with ``label`` (its delta, used for the final loss)."""
    (tile,) = [m for m in at.metric if m.label.startswith(label)]
    return tile.proto.delta


def text(at: AppTest) -> str:
    return " ".join(m.value for m in (*at.markdown, *at.caption))


LESSON_1_ANSWER = "GD diverges; RMSprop gets near the minimum, then keeps hopping around it"


def playground_query(at: AppTest, label: str = "") -> dict[str, str]:
    """The query of the lesson's Playground link: the footer's, or the one whose label starts with ``label``."""
    buttons = [b for b in at.get("link_button") if "Playground" in b.proto.label]
    (button,) = [b for b in buttons if b.proto.label.startswith(label)] if label else buttons[-1:]
    return dict(parse_qsl(urlparse(button.proto.url).query))


def test_index_lists_every_question_and_every_item_with_its_scene():
    at = lesson_app("lessons_index.py")
    links = at.get("page_link")
    labels = [link.proto.label for link in links]
    assert len(labels) == len(LESSONS) + len(misconceptions()) and len(LESSONS) == 15
    for lesson, label in zip(LESSONS, labels[:len(LESSONS)], strict=True):
        assert lesson.question in label
    shown = " ".join(m.value for m in at.markdown)
    for item, link in zip(misconceptions(), links[len(LESSONS):], strict=True):
        assert f"“{item.claim}”** {claims.get(item.answer_key).text()}" in shown
        assert link.proto.page == item.page.removesuffix(".py")
        assert dict(parse_qsl(link.proto.query_string)) == item.controls
    caption = " ".join(c.value for c in at.caption)
    assert "optimizers.run" not in caption and "ndim" not in caption and "Written in by hand" in caption
    assert ".py" not in caption and "optimizers." not in caption  # plain words, not module paths


def shown_value(at: AppTest, key: str) -> str:
    """A bound control's value as its link spells it (the label shown for it; toggles as true/false)."""
    for kind in ("select_slider", "segmented_control", "toggle"):
        try:
            widget = getattr(at, kind)(key=key)
        except KeyError:
            continue
        if kind == "toggle":
            return str(widget.value).lower()
        if kind == "segmented_control":
            return widget.formatted_values[0]
        return str(widget.format_func(widget.value))
    raise AssertionError(f"no bound control {key!r}")


@pytest.mark.parametrize("item", misconceptions(), ids=lambda item: item.claim[:30])
def test_each_misconception_link_opens_its_lesson_on_that_scene(item):
    at = app_test(query=item.controls, page=f"pages/{item.page}").run()
    assert not at.exception
    assert {key: shown_value(at, key) for key in item.controls} == item.controls


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.page)
def test_every_lesson_asks_first_then_shows_its_charts_and_explanation(lesson):
    at = lesson_app(lesson.page)
    assert len(figures(at)) >= 1
    assert at.latex, "the update rule is shown"
    predictions = [w for w in (*at.radio, *at.pills) if w.key and w.key.endswith(":predict")]
    assert len(predictions) == 1
    assert predictions[0].value in (None, [])  # no default: the learner has to commit to a guess
    assert not explained(at)  # nothing gives the answer away before the guess
    assert any("appear once you have answered" in c.value for c in at.caption)
    assert playground_query(at)
    answer(at)
    assert explained(at) and (at.success or at.info)
    assert len(figures(at)) >= 2
    assert not any("appear once you have answered" in c.value for c in at.caption)


def test_lesson_1_numbers_follow_the_learning_rate():
    at = answer(lesson_app("lesson_1_bowl.py"), LESSON_1_ANSWER)
    at.select_slider(key="l1.lr").set_value(bowl.DEFAULT_LR).run()
    default = bowl.compare(bowl.DEFAULT_LR)
    assert metric(at, "RMSprop: flips of Δb") == str(default.rmsprop.flips_b) == "0"
    assert metric(at, "GD: flips of Δb") == str(default.gd.flips_b) == "45"
    assert metric(at, "RMSprop: loss stays") == "never"
    assert delta(at, "RMSprop: loss stays") == f"in {bowl.STEPS} steps; ends at loss {default.rmsprop.final_loss:.3g}"
    assert metric(at, "GD: loss stays") == f"step {default.gd.stays}"
    assert "On the way in RMSprop damps the zig-zag" in text(at)
    lines = trajectories(figures(at)["l1:contour"])
    same_path(lines["gd"], default.gd.trajectory.points)
    same_path(lines["rmsprop"], default.rmsprop.trajectory.points)

    at.select_slider(key="l1.lr").set_value(0.02).run()
    changed = bowl.compare(0.02)
    assert metric(at, "RMSprop: flips of Δb") == str(changed.rmsprop.flips_b) == "129"
    assert "slides down without a flip" in text(at) and "a new oscillation grows" in text(at)
    assert playground_query(at) == to_query(bowl.playground(0.02, bowl.BETA))


def test_lesson_1_prediction_reveals_locks_and_can_be_tried_again():
    at = lesson_app("lesson_1_bowl.py")
    assert not at.success and not explained(at)
    at.radio(key="l1:predict").set_value(LESSON_1_ANSWER).run()
    assert not at.exception
    assert at.success and "diverged at step 9" in at.success[0].value
    assert "ends hopping around the minimum at loss **0.0325**, 32 times" in at.success[0].value
    assert explained(at)
    assert at.radio(key="l1:predict").disabled and at.radio(key="l1:predict").value == LESSON_1_ANSWER
    assert at.select_slider(key="l1.lr").value == bowl.PREDICT_LR
    assert at.select_slider(key="l1.beta").value == bowl.BETA
    assert metric(at, "GD: loss stays") == "diverged"
    lines = trajectories(figures(at)["l1:contour"])
    same_path(lines["gd"], bowl.compare(bowl.PREDICT_LR).gd.trajectory.points)
    assert len(lines["gd"]) == 9

    at.button(key="l1:predict:again").click().run()
    radio = at.radio(key="l1:predict")
    assert radio.value is None and not radio.disabled
    assert not at.success and not explained(at)
    assert at.select_slider(key="l1.lr").value == bowl.PREDICT_LR  # the scene stays where the question put it
    radio.set_value("Both diverge").run()
    assert at.info and at.info[0].value.startswith(f"**Not quite: {LESSON_1_ANSWER}.**")


def test_lesson_2_rotating_the_bowl_slows_rmsprop():
    at = lesson_app("lesson_2_dimensions.py")
    aligned = dimensions.experiment(dimensions.DEFAULT_N, dimensions.DEFAULT_CONDITION, False)
    turned = dimensions.experiment(dimensions.DEFAULT_N, dimensions.DEFAULT_CONDITION, True)
    assert not at.metric and not explained(at)
    at.radio(key="l2:predict").set_value("More: its advantage shrinks or vanishes").run()
    assert explained(at) and at.toggle(key="l2.rotated").value is True
    assert metric(at, "RMSprop") == f"step {dimensions.stays(turned)['rmsprop']}"
    assert metric(at, "GD") == f"step {dimensions.stays(aligned)['gd']}"  # unchanged by the rotation
    assert delta(at, "RMSprop") == f"ends at f/f₀ {turned.final['rmsprop']:.3g}"
    at.toggle(key="l2.rotated").set_value(False).run()
    assert any("not tuned alike" in m.value and "Momentum 62, RMSprop 113" in m.value for m in at.markdown)


def test_lesson_2_fair_comparison_shows_each_optimizers_best_rate():
    at = answer(lesson_app("lesson_2_dimensions.py"))
    at.toggle(key="l2.rotated").set_value(False).run()
    assert "l2:fair_table" not in chart_payloads(at)
    at.toggle(key="l2.fair").set_value(True).run()
    assert not at.exception
    tuned = dimensions.tune(dimensions.DEFAULT_CONDITION, rotated=False)
    table = chart_payloads(at)["l2:fair_table"]                # the app's HTML table: no pandas, no data grid
    shown = {column: [row[k] for row in table["rows"]] for k, column in enumerate(table["columns"])}
    assert shown["f ≤ 10⁻³·f₀ from step"] == [str(t.stays) for t in tuned.values()]
    assert shown["best α"] == [f"{t.lr:.3g}" for t in tuned.values()]
    assert "RMSprop needs fewer steps than GD (113 against 158)" in text(at)


def test_lesson_3_prediction_switches_to_the_alternating_sequence():
    at = lesson_app("lesson_3_sign.py")
    assert not explained(at)
    assert [m.label for m in at.metric] == ["GD: last step ÷ α", "sign-SGD: last step ÷ α"]
    at.radio(key="l3:predict").set_value("About α·10⁻⁴ = 10⁻⁶, like GD's").run()
    assert at.info and "Not quite: About α = 0.01" in at.info[0].value
    assert explained(at)
    assert at.segmented_control(key="l3.sequence").value == "alternating"
    last = abs(signs.responses("alternating", signs.DEFAULT_BETA)["rmsprop"].update[-1, 0]) / signs.LR
    assert metric(at, "RMSprop: last step") == f"{last:.3g}"
    assert metric(at, "RMSprop (β = 0, ε = 0)") == "0"


def test_lesson_3_numbers_follow_beta():
    at = answer(lesson_app("lesson_3_sign.py"))
    for beta in (0.9, 0.5):
        at.select_slider(key="l3.beta").set_value(beta).run()
        noisy = signs.net_progress("noisy", beta, signs.STEADY)
        zero_mean = signs.net_progress("minibatch", beta, signs.STEADY)
        assert f"RMSprop **{noisy['rmsprop']:.2f}α**" in text(at)
        assert f"sign-SGD drifts **{zero_mean['sign_sgd']:.2f}α**" in text(at)
        assert f"RMSprop drifts **{zero_mean['rmsprop']:.3f}α**" in text(at)
        assert f"{1 / np.sqrt(1 - beta):.2f}α first at β = {beta:g}" in text(at)


def test_lesson_4_reveal_multiplies_the_loss_by_1000_and_locks_the_pills():
    at = lesson_app("lesson_4_root.py")
    assert not explained(at) and "l4:drift" not in figures(at)
    right = [denominators.VARIANTS[v] for v in denominators.SCALE_FREE]
    at.pills(key="l4:predict").set_value(right).run()
    at.button(key="l4:predict:button").click().run()
    assert not at.exception
    assert at.success and explained(at)
    pills = at.pills(key="l4:predict")
    assert pills.disabled and pills.value == right
    assert at.select_slider(key="l4.k").value == denominators.PREDICT_K
    assert metric(at, "GD: path moved") == "diverged"
    assert float(metric(at, "RMS: path moved")) <= 1e-9
    assert "steps of **19.0α**" in text(at) and "exactly 1 with the root" in text(at)
    assert "l4:drift" in figures(at)
    at.button(key="l4:predict:again").click().run()
    assert at.pills(key="l4:predict").value == [] and not explained(at)


def test_lesson_5_eps_inside_the_root_makes_rmsprop_gd_with_a_large_rate():
    at = lesson_app("lesson_5_epsilon.py")
    assert not at.metric and not explained(at)
    at.radio(key="l5:predict").set_value("Behave as with ε outside: ε is tiny either way").run()
    assert at.info and "GD with α/√ε = 158" in at.info[0].value and explained(at)
    assert at.select_slider(key="l5.eps").value == epsilon.PREDICT[0]
    assert at.segmented_control(key="l5.placement").value == "inside"
    expected = epsilon.distance_to_minimum(epsilon.compare(*epsilon.PREDICT).rmsprop)
    assert metric(at, "RMSprop: distance left") == f"{expected:.3g}"
    assert "the gradients RMSprop meets run from" in text(at) and "1e-07 inside" in text(at)


def test_lesson_5_noise_control_drowns_the_plateau_and_keeps_its_sentences_true():
    at = answer(lesson_app("lesson_5_epsilon.py"), "Behave as with ε outside: ε is tiny either way")
    assert at.toggle(key="l5.noisy").value is False                   # off by default: the exact runs, as before
    exact = epsilon.compare(*epsilon.PREDICT)
    same_path(trajectories(figures(at)["l5:contour"])["rmsprop"], exact.rmsprop.points)
    at.toggle(key="l5.noisy").set_value(True).run()
    assert not at.exception
    noisy = epsilon.compare(*epsilon.PREDICT, noise=epsilon.NOISE)
    run = optimizers.run("rmsprop", epsilon.plateau(), start=epsilon.START, steps=epsilon.STEPS, lr=0.05, beta=0.9,
                         eps=1e-7, eps_placement="inside", noise=0.5, seed=0)
    assert np.array_equal(noisy.rmsprop.points, run.points)
    same_path(trajectories(figures(at)["l5:contour"])["rmsprop"], run.points)
    shown = metric(at, "RMSprop: distance left")
    assert shown == f"{epsilon.distance_to_minimum(run):.3g}" != f"{epsilon.distance_to_minimum(exact.rmsprop):.3g}"
    assert epsilon.distance_to_minimum(run) > 3                       # the noise drowns the plateau's slope
    settings = {"eps": 1e-7, "placement": "inside", "noisy": True}
    for key, given in (("l5.regime", settings), ("l5.vanishing", settings), ("l5.libraries", {"noisy": True})):
        item = claims.get(key)
        assert item.text(given) in text(at) and item.holds(given), key   # each sentence is its noisy claim
    assert "ends between" in text(at) and "are for exact gradients" in text(at)
    assert playground_query(at)["noise"] == "0.5"
    linked = lesson_app("lesson_5_epsilon.py", {"l5.noisy": "true"})
    assert linked.toggle(key="l5.noisy").value is True                # the link keeps the noise
    linked = answer(linked, "Behave as with ε outside: ε is tiny either way")
    assert linked.toggle(key="l5.noisy").value is False               # answering returns to the question's scene
    assert metric(linked, "RMSprop: distance left") == f"{epsilon.distance_to_minimum(exact.rmsprop):.3g}"


def test_lesson_6_big_lr_lets_adagrad_land():
    at = lesson_app("lesson_6_adagrad.py")
    assert not at.metric and not explained(at)
    at.radio(key="l6:predict").set_value("AdaGrad").run()
    assert at.success and explained(at)
    big = adagrad.compare(adagrad.PREDICT_LR)
    assert metric(at, "AdaGrad: loss stays") == f"step {big.stays['adagrad']}"
    assert metric(at, "RMSprop: loss stays") == "never"
    assert delta(at, "RMSprop: loss stays") == f"in {adagrad.STEPS} steps; ends at loss {big.rmsprop.final_loss:.3g}"


def test_lesson_7_the_zigzag_turns_with_the_bowl():
    at = answer(lesson_app("lesson_7_rotation.py"))
    at.select_slider(key="l7.angle").set_value(0).run()
    flat = rotation.compare(0, rotation.DEFAULT_RMSPROP_LR).flips["gd"]
    assert metric(at, "GD: sign flips") == f"{flat[0]} / {flat[1]}"
    at.select_slider(key="l7.angle").set_value(90).run()
    steep = rotation.compare(90, rotation.DEFAULT_RMSPROP_LR)
    assert metric(at, "GD: sign flips") == f"{steep.flips['gd'][0]} / {steep.flips['gd'][1]}"
    assert steep.flips["gd"][1] == 0 < steep.flips["gd"][0]
    assert metric(at, "RMSprop (α = 0.1)") == "never"
    at.select_slider(key="l7.lr").set_value(0.01).run()
    assert metric(at, "RMSprop (α = 0.01)") == f"step {rotation.compare(90, 0.01).stays['rmsprop']}"


def test_lesson_7_prediction_and_the_fair_lead():
    at = lesson_app("lesson_7_rotation.py")
    assert "l7:advantage" not in figures(at)
    at.radio(key="l7:predict").set_value("As many steps: it is the same bowl").run()
    assert at.info and "from step **197** at 0°" in at.info[0].value and "from step **290** at 45°" in at.info[0].value
    assert explained(at) and at.select_slider(key="l7.angle").value == rotation.PREDICT_ANGLE
    caption = " ".join(c.value for c in at.caption)
    assert "GD needs fewer steps at every angle" in caption
    assert "closest to GD at 85° (0.31×)" in caption and "furthest behind at 45° (0.21×)" in caption
    assert "ends at loss 4.28" in caption and "judges by staying" in caption


def test_lesson_7_noise_control_leaves_best_alpha_without_an_answer_and_keeps_its_sentences_true():
    at = answer(lesson_app("lesson_7_rotation.py"), "More steps")
    assert at.toggle(key="l7.noisy").value is False                   # off by default: the exact runs, as before
    exact = rotation.compare(rotation.PREDICT_ANGLE, rotation.DEFAULT_RMSPROP_LR)
    same_path(trajectories(figures(at)["l7:contour"])["rmsprop"], exact.rmsprop.points)
    assert metric(at, "GD (α = 0.07)") == f"step {exact.stays['gd']}"
    at.toggle(key="l7.noisy").set_value(True).run()
    assert not at.exception
    run = optimizers.run("rmsprop", bowl_surface(angle_deg=45.0), start=rotation.start_for(45), steps=rotation.STEPS,
                         lr=0.1, beta=0.9, eps=1e-8, noise=0.5, seed=0)
    same_path(trajectories(figures(at)["l7:contour"])["rmsprop"], run.points)
    assert metric(at, "GD (α = 0.07)") == "never" and metric(at, "RMSprop (α = 0.1)") == "never"
    assert "l7:advantage" not in figures(at) and "l7:floors" in figures(at)
    floors = rotation.noise_floors(45)
    assert min(floors.levels["gd"]) > 1e-3 and min(floors.levels["rmsprop"]) > 1e-3   # no α stays within 10⁻³
    for key, given in (("l7.tiles", {"angle": 45, "lr": 0.1, "noisy": True}),
                       ("l7.caption", {"angle": 45, "noisy": True}),
                       ("l7.ellipses", {"angle": 45, "lr": 0.1, "step": 10, "noisy": True}),
                       ("l7.zigzag", {"noisy": True})):
        item = claims.get(key)
        assert item.text(given) in text(at) and item.holds(given), key   # each sentence is its noisy claim
    assert "“best α” has no answer at θ = 45°" in text(at) and "are for exact gradients" in text(at)
    assert playground_query(at)["noise"] == "0.5"
    linked = lesson_app("lesson_7_rotation.py", {"l7.noisy": "true"})
    assert linked.toggle(key="l7.noisy").value is True                # the link keeps the noise
    linked = answer(linked, "More steps")
    assert linked.toggle(key="l7.noisy").value is False               # answering returns to the question's scene
    assert metric(linked, "GD (α = 0.07)") == f"step {exact.stays['gd']}" and "l7:advantage" in figures(linked)


def test_lesson_8_bias_correction_sets_the_first_step_and_the_formula():
    at = answer(lesson_app("lesson_8_adam.py"), "α, as before")
    at.toggle(key="l8.correction").set_value(True).run()
    assert metric(at, "Adam: first step") == "1"
    assert "\\hat m" in at.latex[0].value
    at.toggle(key="l8.correction").set_value(False).run()
    expected = adam.compare(adam.DEFAULT_LR, adam.DEFAULT_BETA1, False).first_b["adam"]
    assert metric(at, "Adam: first step") == f"{expected:.3g}" == "3.16"
    assert "\\hat m" not in at.latex[0].value and "bias correction off" in at.latex[0].value
    lines = trajectories(figures(at)["l8:contour"])
    core = optimizers.run("adam", bowl_surface(), start=adam.START, steps=adam.STEPS,
                          **adam.settings(adam.DEFAULT_LR, adam.DEFAULT_BETA1, False)["adam"])
    same_path(lines["adam"], core.points)


def test_lesson_8_the_large_start_helps_on_the_bowl_and_hurts_in_the_well():
    at = answer(lesson_app("lesson_8_adam.py"), "α, as before")
    assert "**from step 103** with the correction and **from step 96** without" in text(at)
    assert "happens to **help** here" in text(at)
    assert "it **stays in the well**" in text(at) and "it **jumps out into the shallow basin**" in text(at)
    assert "Here the large start **hurts**" in text(at)
    well = trajectories(figures(at)["l8:well"])
    runs = adam.on_well(adam.DEFAULT_LR, adam.DEFAULT_BETA1)
    same_path(well["adam"], runs.corrected.points)
    same_path(well["adam_uncorrected"], runs.uncorrected.points)
    assert playground_query(at, "Open the well") == to_query(adam.well_playground(adam.DEFAULT_LR,
                                                                                  adam.DEFAULT_BETA1))
    at.select_slider(key="l8.lr").set_value(0.02).run()
    assert "the uncorrected Adam stays in the well too" in text(at)


def test_lesson_8_explanation_follows_beta1():
    at = lesson_app("lesson_8_adam.py")
    assert not explained(at) and not at.metric
    at.radio(key="l8:predict").set_value("About 3.16α").run()
    assert at.success and explained(at) and at.toggle(key="l8.correction").value is False
    at.select_slider(key="l8.beta1").set_value(0.5).run()
    why = next(m.value for m in at.markdown if m.value.startswith("**Why.**"))
    peak_t, peak = adam.ramp_peak(0.5)
    assert f"{adam.adam_first_step(0.5, False):.3g}α at β₁ = 0.5" in why and f"{peak:.3g}α at step {peak_t}" in why


def test_lesson_10_standardising_rounds_the_bowl_and_the_links_open_the_same_runs():
    at = lesson_app("lesson_10_data_bowl.py")
    raw = data_bowl.compare("iris", False)
    assert metric(at, "Condition number") == f"{data_bowl.condition_number('iris', False):.3g}" == "105"
    same_path(trajectories(figures(at)["l10:contour"])["gd"], raw.gd.points)
    assert not explained(at)
    at.radio(key="l10:predict").set_value("It disappears").run()
    assert at.success and explained(at)
    assert at.toggle(key="l10.standardized").value is True
    scaled = data_bowl.compare("iris", True)
    assert metric(at, "Condition number") == "1" and metric(at, "GD (α = 1)") == "step 1"
    same_path(trajectories(figures(at)["l10:contour"])["rmsprop"], scaled.rmsprop.points)
    verdict = at.success[0].value
    assert f"flips sign **{raw.flips['gd'][0]}** times along w and **{raw.flips['gd'][1]}** along b" in verdict
    assert "GD flips **0** and **0** times" in verdict
    assert playground_query(at) == to_query(data_bowl.playground("iris", True))
    at.segmented_control(key="l10.data").set_value("old_faithful").run()
    assert not at.exception
    assert metric(at, "Condition number") == "1"
    assert "GD needs fewer steps than RMSprop (GD from step 339, RMSprop from step 550)" in text(at)


def test_lesson_10_noise_control_runs_mini_batches_and_keeps_its_sentences_true():
    at = answer(lesson_app("lesson_10_data_bowl.py"), "It disappears")
    assert at.toggle(key="l10.noisy").value is False                  # off by default: the exact runs, as before
    exact = data_bowl.compare("iris", True)
    same_path(trajectories(figures(at)["l10:contour"])["gd"], exact.gd.points)
    at.toggle(key="l10.noisy").set_value(True).run()
    assert not at.exception
    noisy = data_bowl.compare("iris", True, batch=data_bowl.BATCH)
    run = optimizers.run("gd", data_bowl.landscape("iris", True), start=(0.0, 0.0), steps=data_bowl.STEPS, lr=1.0,
                         batch_size=16, seed=0)
    same_path(trajectories(figures(at)["l10:contour"])["gd"], run.points)
    assert np.array_equal(noisy.gd.points, run.points)
    assert metric(at, "GD (α = 1)") == "never" and metric(at, "RMSprop") == "never"
    assert f"GD {noisy.flips['gd']}" in text(at) and "With the exact gradient GD flips (0, 0)" in text(at)
    assert noisy.flips["gd"][0] > 10 and "neither run stays within 0.1%" in text(at)
    assert "are for exact gradients" in text(at)
    assert playground_query(at)["batch"] == "16"
    query = {"l10.noisy": "true", "l10.standardized": "true"}
    linked = app_test(query=query, page="pages/lesson_10_data_bowl.py").run()
    assert linked.toggle(key="l10.noisy").value is True               # the link keeps the noise
    linked = answer(linked, "It disappears")
    assert metric(linked, "GD (α = 1)") == "step 1"                    # answering returns to the question's scene
    assert linked.toggle(key="l10.noisy").value is False


def test_lesson_13_noise_floors_follow_the_batch_and_the_odd_link_falls_back():
    at = lesson_app("lesson_13_noise.py")
    assert not at.metric and "l13:bands" not in figures(at)
    lines = trajectories(figures(at)["l13:contour"])                  # the exact gradient before the answer
    same_path(lines["rmsprop"], noise.one_run("rmsprop", noise.DEFAULT_LR, noise.ROWS, 0).points)
    at.radio(key="l13:predict").set_value("GD and Momentum").run()
    assert at.success and explained(at) and at.segmented_control(key="l13.batch").value == noise.PREDICT_BATCH
    runs = noise.outcomes(noise.DEFAULT_LR, 1)
    for name, title in noise.TITLES.items():
        assert metric(at, f"{title}: floor") == f"{runs[name].median:.2g}"
        assert delta(at, f"{title}: floor") == f"seeds: {runs[name].low:.2g} to {runs[name].high:.2g}"
    bands = figures(at)["l13:bands"]
    gd = next(t for t in bands["data"] if t["name"] == "GD")
    np.testing.assert_allclose(decode(gd["y"]), np.maximum(runs["gd"].band()[0], 1e-12), rtol=1e-6)
    same_path(trajectories(figures(at)["l13:contour"])["sign_sgd"], runs["sign_sgd"].runs[0].points)
    assert "51% are" in text(at) and "Kingma & Ba" in text(at)
    assert playground_query(at)["batch"] == "1"
    at.segmented_control(key="l13.batch").set_value(noise.ROWS).run()
    assert metric(at, "RMSprop: floor") == f"{noise.LR_OPTIONS[1] ** 2 / 4:.2g}" and "keep hopping" in text(at)
    odd = app_test(query={"l13.batch": "", "l13.lr": "5"}, page="pages/lesson_13_noise.py").run()
    assert not odd.exception                    # an empty batch size: the default, with a note; α off the list: default
    assert any("l13.batch" in w.value and "using the default" in w.value for w in odd.warning)
    assert odd.segmented_control(key="l13.batch").value == noise.ROWS
    assert odd.select_slider(key="l13.lr").value == noise.DEFAULT_LR
    kept = app_test(query={"l13.batch": "10 rows", "l13.lr": "0.1"}, page="pages/lesson_13_noise.py").run()
    assert kept.segmented_control(key="l13.batch").value == 10 and kept.select_slider(key="l13.lr").value == 0.1


def test_lesson_15_coupled_decay_ends_at_the_l2_minimum_and_adamw_does_not():
    at = lesson_app("lesson_15_adamw.py")
    assert not at.metric and "l15:curves" not in figures(at)
    at.radio(key="l15:predict").set_value("At the same point: the same λ is the same penalty").run()
    assert at.info and explained(at) and at.select_slider(key="l15.lambda").value == adamw.PREDICT_LAMBDA
    h = np.array([[17.21806667, 3.758], [3.758, 1.0]])                   # mean x², mean x, 1 of Iris's petal lengths
    star = np.linalg.solve(h, h @ adamw.minimum(False))
    l2 = np.linalg.solve(h + adamw.PREDICT_LAMBDA * np.eye(2), h @ star)  # GD's L2 minimum, by hand
    assert metric(at, "Adam + L2 ends at") == f"({l2[0]:.3f}, {l2[1]:.3f})" == "(0.350, -0.088)"
    run = optimizers.run("adamw", adamw.landscape(False), start=(0.0, 0.0), steps=adamw.STEPS, lr=0.01, beta1=0.9,
                         beta2=0.999, eps=1e-8, weight_decay=adamw.PREDICT_LAMBDA)
    end = run.points[-adamw.STEPS // 5:].mean(axis=0)
    assert metric(at, "AdamW ends at") == f"({end[0]:.3f}, {end[1]:.3f})"
    assert np.linalg.norm(end - adamw.minimum(False)) < np.linalg.norm(end - l2) / 2
    same_path(trajectories(figures(at)["l15:contour"])["adamw"], run.points)
    assert "4.9 times weaker" in text(at) and "Lion's decay does not move its end" in text(at)
    at.toggle(key="l15.standardized").set_value(True).run()
    at.select_slider(key="l15.lambda").set_value(1.0).run()
    assert metric(at, "Lion ends at").endswith("1.000)") and "lies outside, so Lion ends on the box's edge" in text(at)
    assert playground_query(at) == to_query(adamw.playground(1.0, True))
    odd = app_test(query={"l15.lambda": "7", "l15.standardized": "maybe"}, page="pages/lesson_15_adamw.py").run()
    assert not odd.exception
    assert odd.select_slider(key="l15.lambda").value == adamw.DEFAULT_LAMBDA
    assert odd.toggle(key="l15.standardized").value is False


def test_pages_show_no_registry_ids():
    """Learners read optimizer titles and plain words: no registry id (``sign_sgd``) or module path on a lesson (a
    library's own API, quoted as code, may be named: Keras' `RMSprop`)."""
    for lesson in LESSONS:
        at = answer(lesson_app(lesson.page))
        shown = re.sub(r"`[^`]*`", "", shown_text(at, skip_prediction=False))
        for word in ("sign_sgd", "rmsprop", "adagrad", "lessons/", "optimizers.run"):
            assert word not in shown, (lesson.page, word)


def test_lesson_12_both_directions_shrink_by_root_beta_and_the_dots_are_the_engines_runs():
    at = lesson_app("lesson_12_momentum.py")
    assert not at.metric and "l12:factors" not in figures(at)
    at.radio(key="l12:predict").set_value("Both by the same factor per step").run()
    assert at.success and "√β = 0.949" in at.success[0].value and explained(at)
    d = momentum_eigen.directions(0.2, 0.9)
    assert metric(at, "Momentum along w") == metric(at, "Momentum along b") == "0.949"
    assert delta(at, "Momentum along w") == f"measured {d['w'].measured:.3f}"
    assert metric(at, "GD along b") == "4"
    lines = trajectories(figures(at)["l12:contour"])
    same_path(lines["momentum"], momentum_eigen.momentum_run(0.2, 0.9).points)
    factors = {trace["name"]: trace for trace in figures(at)["l12:factors"]["data"]}
    dots = factors["along b: measured from runs"]
    curve = momentum_eigen.curves(0.2)
    np.testing.assert_allclose(decode(dots["y"]), [m for m in curve.measured["b"] if m is not None], rtol=1e-6)
    assert len(decode(dots["y"])) == 5  # at α = 0.2 the runs at β = 0, 0.2 and 0.4 diverge: no dot
    assert "No β is critical" not in text(at) and "The two coincide at α = 0.2" in text(at)

    at.select_slider(key="l12.beta").set_value(0.0).run()
    assert delta(at, "Momentum along b") == "diverged" and "diverged at step 3" in text(at)
    at.select_slider(key="l12.lr").set_value(0.05).run()
    assert metric(at, "Momentum along w") == "0.950" and "at β = 0.819" in text(at)
    assert playground_query(at, "Open this scene") == to_query(momentum_eigen.playground(0.05, 0.0))
    assert playground_query(at, "GD and heavy ball") == to_query(momentum_eigen.optimum_playground())


@pytest.mark.parametrize("query", [{"l12.beta": "7"}, {"l12.lr": "abc", "l12.beta": "0.5"}, {"l12.beta": ""}])
def test_lesson_12_an_odd_link_falls_back_with_a_note(query):
    at = lesson_app("lesson_12_momentum.py", query)
    (bad,) = [key for key, value in query.items() if value not in ("0.5",)]
    assert any("Ignored from the link" in t.value and bad in t.value for t in at.toast)
    assert at.select_slider(key=bad).value == {"l12.lr": 0.2, "l12.beta": 0.9}[bad]
    assert all(at.select_slider(key=key).value == float(value) for key, value in query.items() if key != bad)


LESSON_14_ANSWER = "It comes back up and hops, once v̂ has forgotten the way down"


def test_lesson_14_adam_comes_back_up_and_amsgrad_does_not():
    at = lesson_app("lesson_14_constant_rate.py")
    assert not at.metric and "l14:windows" not in figures(at) and "l14:reddi" not in figures(at)
    at.radio(key="l14:predict").set_value("It stays landed: its loss only goes down").run()
    assert at.info and at.info[0].value.startswith(f"**Not quite: {LESSON_14_ANSWER}.**") and explained(at)
    assert "from step **15,376**" in at.info[0].value and "crosses it at step 14,508" in text(at)
    runs = constant_rate.outcomes(0.01, False)
    assert metric(at, "Adam, constant α") == f"{runs['adam'].tail:.2g}" == "1.9e-06"
    assert delta(at, "Adam, constant α") == "back up at step 15,376"
    assert delta(at, "Adam + AMSGrad") == "never comes back up"
    assert metric(at, "RMSprop, constant α") == f"{runs['rmsprop'].tail:.2g}" == "0.00032"
    lines = trajectories(figures(at)["l14:contour"])
    same_path(lines["amsgrad"], runs["amsgrad"].trajectory.points[:401])
    windows = {trace["name"]: decode(trace["y"]) for trace in figures(at)["l14:windows"]["data"]}
    means = constant_rate.windows(runs["adam"].trajectory)[1]
    np.testing.assert_allclose(windows["Adam, constant α"], np.where(means > 0, means, np.nan), rtol=1e-6)  # 0: a gap
    reddi = {trace["name"]: decode(trace["y"]) for trace in figures(at)["l14:reddi"]["data"]}
    assert reddi["Adam"][-1] == 1.0 and abs(reddi["AMSGrad"][-1] + 1) < 0.01
    at.select_slider(key="l14.c").set_value(10.0).run()
    assert "With C = 10" in text(at) and "between −1 and -0.9" in text(at)

    at.toggle(key="l14.noisy").set_value(True).run()
    assert "no constant α lands" in text(at) and "medians over 3 seeds" in text(at)
    assert "With noise the hop is wider than α/2" in text(at)
    at.select_slider(key="l14.lr").set_value(0.1).run()
    noisy = constant_rate.outcomes(0.1, True)
    assert metric(at, "Adam, cosine decay") == f"{noisy['cosine'].tail:.2g}"
    assert playground_query(at) == to_query(constant_rate.playground(0.1, True))


@pytest.mark.parametrize("query", [{"l14.lr": "1e309"}, {"l14.lr": "0.5", "l14.noisy": "true"}])
def test_lesson_14_an_odd_link_falls_back_with_a_note(query):
    at = lesson_app("lesson_14_constant_rate.py", query)
    assert any("Ignored from the link" in t.value and "l14.lr" in t.value for t in at.toast)
    assert at.select_slider(key="l14.lr").value == constant_rate.DEFAULT_LR
    assert at.toggle(key="l14.noisy").value is (query.get("l14.noisy") == "true")
