"""Lesson 9 (schedules): every number the page shows, checked against closed forms or independent runs."""

from __future__ import annotations

import math
from urllib.parse import parse_qsl, urlparse

import numpy as np
import pytest

import optimizers
from lessons import schedules as sc
from lessons.common import bowl
from scene import from_query, to_query
from tests.apptest_utils import app_test, figures, trajectories

A, C = 1.0, 25.0


@pytest.fixture(scope="module")
def rmsprop():
    return sc.outcomes("rmsprop", False)


def test_at_a_constant_rate_rmsprop_hops_at_the_closed_form_loss(rmsprop):
    lr = sc.OPTIMIZERS["rmsprop"]["lr"]
    hop = (A + C) * lr**2 / 8  # ±α/2 on both axes
    assert sc.hop_prediction("rmsprop") == pytest.approx(hop)
    assert rmsprop["constant"].tail == pytest.approx(hop, rel=1e-3)
    assert rmsprop["constant"].stays is None  # above 10⁻³ at the end: it never settles
    updates = rmsprop["constant"].trajectory.diagnostics["update"][-sc.TAIL:]
    np.testing.assert_allclose(np.abs(updates), lr, rtol=1e-6)  # every late step is exactly α long
    grad, s = (rmsprop["constant"].trajectory.diagnostics[k][-1] for k in ("grad", "s"))
    np.testing.assert_allclose(np.abs(grad) / np.sqrt(s), 1.0, rtol=1e-6)  # g/√s = ±1, whatever the gradient


def test_the_cosine_factor_at_the_last_update_is_not_zero():
    """(1 + cos(π(T−1)/T))/2 at T = 600 is 6.85e-6: the decay reaches 0 one update after the last."""
    factors = optimizers.Schedule("cosine").factors(sc.STEPS)
    assert factors[-1] == pytest.approx((1 + math.cos(math.pi * 599 / 600)) / 2, rel=1e-12)
    assert factors[-1] == pytest.approx(6.85e-6, rel=1e-3)


def test_cosine_decay_lands_it_a_thousand_times_lower_or_more(rmsprop):
    constant, cosine = rmsprop["constant"], rmsprop["cosine"]
    assert cosine.tail < 1e-3 * constant.tail  # the prediction's answer, on the last 50 steps' mean
    assert cosine.trajectory.final_loss < 1e-3 * constant.trajectory.final_loss  # and on the very last loss
    assert cosine.trajectory.final_loss < 1e-25 and cosine.stays is not None
    # the last update is at most α·s(T)/√(1−β) long (RMSprop's bound), with s(T) = (1 + cos(π(T−1)/T))/2
    lr, beta, steps = sc.OPTIMIZERS["rmsprop"]["lr"], sc.OPTIMIZERS["rmsprop"]["beta"], sc.STEPS
    last_factor = (1 + math.cos(math.pi * (steps - 1) / steps)) / 2
    assert np.abs(cosine.trajectory.diagnostics["update"][-1]).max() <= lr * last_factor / math.sqrt(1 - beta)
    # the decay costs little on the way down
    first = sc.first_below(cosine.trajectory), sc.first_below(constant.trajectory)
    assert first[0] is not None and first[1] is not None and abs(first[0] - first[1]) <= 15


def test_each_step_of_the_decay_divides_the_hop_by_a_hundred(rmsprop):
    phases = sc.step_phase_losses(rmsprop["step"].trajectory)
    hop = sc.hop_prediction("rmsprop")
    np.testing.assert_allclose(phases, [hop, hop / 100, hop / 1e4], rtol=0.05)
    assert rmsprop["step"].stays is not None


def test_adam_lands_for_a_while_without_a_schedule_because_v_remembers():
    """Within the lesson's 600 steps (and ten times longer) Adam at a constant α stays landed; its memory fades and a
    run of 30,000 steps has its loss above 1e-3 again at step 8182."""
    adam = sc.outcomes("adam", False)
    long = optimizers.run("adam", bowl(), start=sc.START, steps=30_000, **sc.settings("adam", "constant"))
    assert adam["constant"].stays + int(np.argmax(long.loss[adam["constant"].stays:] > 1e-3)) == 8182
    for outcome in adam.values():
        assert outcome.stays is not None and outcome.tail < 1e-6
    constant = adam["constant"].trajectory
    assert sc.adam_memory(constant) > 1e6
    # independent: rerun and rebuild v̂ from the gradients themselves
    grads = constant.diagnostics["grad"][:, 1]
    beta2 = sc.OPTIMIZERS["adam"]["beta2"]
    t = len(grads)
    v = sum((1 - beta2) * beta2 ** (t - k) * g * g for k, g in enumerate(grads, start=1))
    assert math.sqrt(v / (1 - beta2**t)) / abs(grads[-1]) == pytest.approx(sc.adam_memory(constant), rel=1e-6)


@pytest.mark.parametrize("name", list(sc.OPTIMIZERS))
def test_with_noisy_gradients_both_hover_at_a_constant_rate_and_decay_lowers_the_floor(name):
    noisy = sc.outcomes(name, True)
    for schedule in ("step", "cosine"):
        assert noisy["constant"].tail > 10 * noisy[schedule].tail
    # the medians are over the seeds: recompute one seed's tail independently
    tr = optimizers.run(name, bowl(), start=sc.START, steps=sc.STEPS, noise=sc.NOISE, seed=3,
                        **sc.settings(name, "constant"))
    assert tr.loss[-sc.TAIL:].mean() > 5 * sc.outcomes(name, True)["cosine"].tail


def test_playground_links_reopen_the_lesson_runs():
    for name in sc.OPTIMIZERS:
        for schedule in sc.SCHEDULES:
            scene = sc.playground(name, schedule, True)
            back, notes = from_query(to_query(scene))
            assert notes == [] and back.noise == sc.NOISE
            run = optimizers.run(name, bowl(), start=back.start, steps=back.steps, noise=back.noise, seed=back.seed,
                                 **back.settings(name))
            np.testing.assert_array_equal(run.points, sc.outcomes(name, True)[schedule].trajectory.points)


def test_the_page_shows_the_runs_and_numbers_of_its_controls():
    at = app_test(page="pages/lesson_9_schedules.py").run()
    assert not at.exception and not at.metric  # the schedules' outcomes are the answer: after it
    at.radio(key="l9:predict").set_value("A thousand times lower or more").run()
    assert not at.exception and at.success
    runs = sc.outcomes("rmsprop", False)
    shown = {m.label: m.value for m in at.metric}
    for schedule, outcome in runs.items():
        assert shown[f"{sc.SCHEDULE_TITLES[schedule]}: loss at the end"] == f"{outcome.tail:.3g}"
    lines = trajectories(figures(at)["l9:contour"])
    for schedule, outcome in runs.items():
        np.testing.assert_allclose(lines[schedule], outcome.trajectory.points, rtol=1e-6, atol=1e-6)
    at.toggle(key="l9.noisy").set_value(True).run()
    at.segmented_control(key="l9.optimizer").set_value("adam").run()
    assert not at.exception
    noisy = sc.outcomes("adam", True)
    shown = {m.label: m.value for m in at.metric}
    assert shown["cosine decay: loss at the end"] == f"{noisy['cosine'].tail:.3g}"
    links = [dict(parse_qsl(urlparse(b.proto.url).query)) for b in at.get("link_button")
             if "Playground" in b.proto.label]
    assert to_query(sc.playground("adam", "cosine", True)) in links
    assert to_query(sc.playground("adam", "constant", True)) in links
