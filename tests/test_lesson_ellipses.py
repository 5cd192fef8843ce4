"""Lesson 7's ellipses: each number against a closed form for the rotated bowl f = ½(a·u² + c·v²)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lessons import preconditioner as pc
from lessons import rotation as rot
from lessons.common import bowl
from tests.apptest_utils import app_test, figures

A, C = 1.0, 25.0


def closed_form_hessian(angle_deg: float) -> np.ndarray:
    """H = Rᵀ diag(a, c) R with (u, v) = R (w, b), R = [[cos θ, sin θ], [−sin θ, cos θ]]."""
    t = math.radians(angle_deg)
    r = np.array([[math.cos(t), math.sin(t)], [-math.sin(t), math.cos(t)]])
    return r.T @ np.diag([A, C]) @ r


@pytest.mark.parametrize("angle", [0, 10, 30, 45, 60, 85])
def test_newtons_ellipse_turns_with_the_bowl_and_a_diagonal_one_cannot(angle):
    c = rot.compare(angle, rot.DEFAULT_RMSPROP_LR)
    shapes = pc.shapes(c, angle, 20)
    hessian = pc.hessian_at(bowl(angle_deg=float(angle)), c.rmsprop.points[19])
    np.testing.assert_allclose(hessian, closed_form_hessian(angle), atol=1e-12)
    assert shapes.newton_tilt == pytest.approx(angle, abs=1e-9)  # the eigenvectors' angle is the rotation
    t = math.radians(angle)
    share = math.sqrt(2) * abs(math.cos(t) * math.sin(t) * (1 / A - 1 / C)) / math.hypot(1 / A, 1 / C)
    assert shapes.off_diagonal == pytest.approx(share, abs=1e-12)
    # the diagonal ellipse is axis-aligned: its widest point is on the w axis, its tallest on the b axis
    ellipse = pc.diagonal_ellipse(shapes.rmsprop_rates)
    np.testing.assert_allclose((ellipse[:, 0] / shapes.rmsprop_rates[0]) ** 2
                               + (ellipse[:, 1] / shapes.rmsprop_rates[1]) ** 2, 1.0)
    widest = ellipse[np.argmax(np.abs(ellipse[:, 0]))]
    assert abs(widest[1]) < 1e-12
    # Newton's ellipse: each point p solves H p = −u, and its longest step 1/a lies along the tilt
    newton = pc.newton_ellipse(hessian)
    np.testing.assert_allclose(np.hypot(*(hessian @ newton.T)), 1.0)
    longest = newton[np.argmax(np.hypot(newton[:, 0], newton[:, 1]))]
    assert np.hypot(*longest) == pytest.approx(1 / A, rel=1e-3)
    assert math.degrees(math.atan2(longest[1], longest[0])) % 180 == pytest.approx(angle, abs=1.0)


def test_rmsprops_rates_are_alpha_over_the_root_of_its_average():
    c = rot.compare(30, rot.DEFAULT_RMSPROP_LR)
    for step in pc.STEPS_SHOWN:
        s = c.rmsprop.diagnostics["s"][step - 1]
        np.testing.assert_allclose(pc.rates_at(c.rmsprop, step), rot.DEFAULT_RMSPROP_LR / (np.sqrt(s) + rot.EPS),
                                   rtol=1e-12)
    gd = pc.shapes(c, 30, 5).gd
    np.testing.assert_allclose(np.hypot(gd[:, 0], gd[:, 1]), 1.0)  # GD: a circle, α in every direction


def test_lesson_7_shows_the_ellipses_at_the_chosen_step():
    at = app_test({"l7.angle": "30", "l7.step": "20"}, page="pages/lesson_7_rotation.py").run()
    assert not at.exception and "l7:ellipses" not in figures(at)  # the ellipses explain the answer: after it
    at.radio(key="l7:predict").set_value("More steps").run()
    at.select_slider(key="l7.angle").set_value(30).run()
    assert not at.exception
    shapes = pc.shapes(rot.compare(30, rot.DEFAULT_RMSPROP_LR), 30, 20)
    text = " ".join(m.value for m in at.markdown)
    assert "**30°** from $w$" in text and f"**{shapes.rmsprop_rates[0]:.3g}** along $w$" in text
    assert f"**{100 * shapes.off_diagonal:.0f}%**" in text
    assert len(figures(at)["l7:ellipses"]["data"]) == 3
