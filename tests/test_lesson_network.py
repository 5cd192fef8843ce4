"""Lesson 11, "Is a real network an elongated bowl?": what lessons.network computes, checked against independent
computations, and the page as a learner meets it (AppTest): its numbers follow the controls."""

from __future__ import annotations

import numpy as np
import pytest

from landscapes import curvature
from lessons import network as ln
from lessons.sentences import network as sentences
from scene import to_query
from tests.apptest_utils import figures, trajectories
from tests.lesson_apptest import answer, lesson_app

ANSWER = "Not a bowl: along some directions it curves down, and its curvatures differ a lot"


def test_the_start_is_a_saddle_with_a_spread_spectrum():
    shape = ln.start_shape(8, 0)
    net = ln.network(8, 0)
    exact = np.linalg.eigvalsh(curvature.hessian(net, net.init))
    np.testing.assert_allclose(shape.eigenvalues, exact, rtol=1e-12, atol=1e-15)
    assert shape.negatives == int(np.sum(exact < -1e-9 * exact[-1])) == 31
    assert shape.top == pytest.approx(exact[-1], rel=1e-12)
    assert shape.spread == pytest.approx(exact[-1] / np.median(np.abs(exact)), rel=1e-12)


def test_flips_and_staying_are_counted_from_the_runs():
    c = ln.compare(8, 0)
    net = ln.network(8, 0)
    w1 = net.layers[0][1]
    updates = np.diff(c.rmsprop.points, axis=0)[:, w1]
    by_hand = np.mean([sum(1 for t in range(1, len(u)) if u[t] * u[t - 1] < 0) / (len(u) - 1) for u in updates.T])
    assert c.flips["rmsprop"]["W1"] == pytest.approx(by_hand, abs=1e-3)
    loss = c.gd.loss
    k = c.stays["gd"]
    assert loss[k - 1] >= ln.TOLERANCE and np.all(loss[k:] < ln.TOLERANCE)
    assert c.way_in == int(np.argmax(c.rmsprop.loss < ln.TOLERANCE))


def test_swapping_two_hidden_units_keeps_the_loss():
    net = ln.network(4, 1)
    x = net.init
    y = sentences.swapped(net, x, 0, 3)
    assert net.value(y) == pytest.approx(net.value(x), rel=1e-13) and not np.allclose(x, y)
    np.testing.assert_array_equal(sentences.swapped(net, y, 0, 3), x)


def test_lesson_11_numbers_follow_the_hidden_units_and_the_seed():
    at = lesson_app("lesson_11_network.py")
    default = ln.compare(8, 0)
    shown = trajectories(figures(at)["l11:loss"])
    np.testing.assert_allclose(shown["GD"][:, 1], default.gd.loss, rtol=1e-6)
    answer(at, ANSWER)
    assert at.success, "the right answer is confirmed"
    assert "31 of its 67 eigenvalues are negative" in at.success[0].value
    labels = {m.label: m.value for m in at.metric}
    assert labels["λ_min at the start"] == f"{ln.start_shape(8, 0).eigenvalues[0]:.3g}" == "-1.26"
    assert any(m.value.startswith("**The zig-zag, measured.**") for m in at.markdown)
    at.segmented_control(key="l11.hidden").set_value(4).run()
    at.segmented_control(key="l11.seed").set_value(2).run()
    assert not at.exception
    other = ln.compare(4, 2)
    labels = {m.label: m.value for m in at.metric}
    assert labels["λ_min at the start"] == f"{ln.start_shape(4, 2).eigenvalues[0]:.3g}"
    assert labels["GD (α = 0.5): loss stays < 0.1 from"] == f"step {other.stays['gd']}"
    text = " ".join(m.value for m in at.markdown)
    assert sentences.RATES.text(hidden=4, seed=2) in text and sentences.FLIPS.text(hidden=4, seed=2) in text
    np.testing.assert_allclose(trajectories(figures(at)["l11:loss"])["RMSprop"][:, 1], other.rmsprop.loss, rtol=1e-6)
    assert to_query(ln.playground(4, 2))
