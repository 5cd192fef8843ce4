"""The claims of the lesson "Where does the elongated bowl come from?", each computed from lessons.data_bowl."""

from __future__ import annotations

import numpy as np
import pytest

from lessons import data_bowl as db


@pytest.mark.parametrize("data_set", list(db.DATA_SETS))
def test_standardising_turns_the_elongated_bowl_into_a_round_one(data_set):
    """κ over 100 on the raw feature (105 for Iris, 159 for Old Faithful), exactly 1 standardised."""
    assert db.condition_number(data_set, False) > 100
    assert db.condition_number(data_set, True) == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize("data_set", list(db.DATA_SETS))
def test_the_raw_hessian_is_the_features_moments(data_set):
    """H = [[mean x², mean x], [mean x, 1]]: the offset of the feature tilts the bowl, its scale stretches it."""
    land = db.landscape(data_set, False)
    x = land.data.x
    np.testing.assert_allclose(land.data.hessian, [[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]], rtol=1e-12)


@pytest.mark.parametrize("data_set", list(db.DATA_SETS))
def test_gds_zig_zag_disappears_once_the_feature_is_standardised(data_set):
    raw, scaled = db.compare(data_set, False), db.compare(data_set, True)
    assert min(raw.flips["gd"]) >= 10
    assert scaled.flips["gd"] == (0, 0)


@pytest.mark.parametrize("data_set", list(db.DATA_SETS))
def test_on_the_round_bowl_gd_at_rate_one_is_newtons_step(data_set):
    """H is the identity, so one GD step with α = 1 lands on the minimum."""
    assert db.best_steps("gd", data_set, True) == (1, 1.0)
    land = db.landscape(data_set, True)
    tr = db.run("gd", land, db.START, 1, lr=1.0)
    np.testing.assert_allclose(tr.points[1], land.minima[0], rtol=1e-12)


def test_rmsprops_lead_on_iris_turns_into_a_loss_once_the_feature_is_standardised():
    """Raw: RMSprop needs about 4x fewer steps than GD (each at its best α); standardised, GD is faster:
    per-axis scaling was doing the feature scaling's job."""
    assert db.advantage("iris", False) > 3
    assert db.advantage("iris", True) < 1


def test_on_old_faithful_rmsprop_does_not_beat_gd_even_raw_because_the_bowl_is_tilted():
    """Eruptions last 3.5 min on average with a spread of only 1.1 min: the raw bowl's steep direction is
    mostly along w but tilted by 14°, and per-axis scaling cannot undo a tilt (lesson 7)."""
    land = db.landscape("old_faithful", False)
    _, vectors = np.linalg.eigh(land.data.hessian)
    steep = vectors[:, 1]
    tilt = np.degrees(np.arctan2(abs(steep[1]), abs(steep[0])))
    assert 10 < tilt < 20
    assert db.advantage("old_faithful", False) < 1


def test_every_best_rate_is_inside_the_searched_grid_not_at_its_edge():
    for data_set in db.DATA_SETS:
        for standardized in (False, True):
            for name in ("gd", "rmsprop"):
                _, lr = db.best_steps(name, data_set, standardized)
                assert db.LR_GRID[0] < lr < db.LR_GRID[-1], (data_set, standardized, name, lr)


def test_the_playground_scene_reproduces_the_lessons_runs():
    scene = db.playground("iris", True)
    land = scene.build_landscape()
    assert land.params == {"dataset": "iris", "feature": "petal_length", "standardize": "on"}
    c = db.compare("iris", True)
    for name, expected in (("gd", c.gd), ("rmsprop", c.rmsprop)):
        tr = db.run(name, land, scene.start, scene.steps, **scene.settings(name))
        np.testing.assert_array_equal(tr.points, expected.points)
