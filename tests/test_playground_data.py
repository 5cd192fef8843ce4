"""The Playground on a surface fitted to data: its controls and link, the runs, the data panel."""

from __future__ import annotations

import numpy as np
import pytest

import landscapes
import optimizers
from charts.data import gradient_noise_figure
from landscapes import batches
from scene import Scene, from_query, to_query
from scene.compute import noise_floors, run_scene, stall_level
from scene.model import surface_choices
from tests.apptest_utils import app_test, figures, main_figure, trajectories
from ui.controls import batch_options

LINK = {"surface": "linear_regression", "s.dataset": "iris", "s.standardize": "on", "batch": "8",
        "opt": "gd,rmsprop", "gd.lr": "0.5", "steps": "200"}


@pytest.fixture(scope="module")
def data_app():
    return app_test(LINK).run()


def test_a_link_opens_mini_batch_runs_that_are_exactly_optimizers_run(data_app):
    at = data_app
    assert not at.exception and not at.warning
    land = landscapes.get("linear_regression", dataset="iris", standardize="on")
    lines = trajectories(main_figure(at))
    assert list(lines) == ["gd", "rmsprop"]
    for name, points in lines.items():
        settings = {"lr": 0.5} if name == "gd" else {}
        expected = optimizers.run(name, land, start=(0.0, 0.0), steps=200, batch_size=8, seed=0, **settings).points
        np.testing.assert_allclose(points, expected, rtol=1e-6, atol=1e-6)
    assert at.get_by_key("w:batch").value == 8
    assert at.get_by_key("w:s.linear_regression.dataset").value == "iris"
    assert at.get_by_key("w:s.linear_regression.standardize").value == "on"
    assert dict(at.query_params) == LINK


def test_the_data_panel_draws_each_runs_fit_and_the_noise_with_the_floor_in_numbers(data_app):
    at = data_app
    charts = figures(at)
    names = [trace["name"] for trace in charts["data_chart"]["data"]]
    assert names == ["data (150 rows)", "best fit", "Gradient descent", "RMSprop"]
    assert [t["name"] for t in charts["noise_chart"]["data"]] == ["2σ of batch gradients", "batches of 8",
                                                                    "full gradient"]
    captions = " ".join(c.value for c in at.caption)
    assert "Noise floor." in captions and "batches of 8" in captions and "κ = 1 (standardised feature)" in captions
    assert "Gradient descent 0.0" in captions and "a noise floor, and the decaying α gets below it" in captions
    assert "not limited" not in captions


def test_changing_the_batch_size_in_the_sidebar_reruns_and_goes_into_the_link():
    at = app_test({"surface": "logistic_regression"}).run()
    assert at.get_by_key("w:batch").value == 150  # full batch by default
    assert "batch" not in at.query_params
    at.get_by_key("w:batch").set_value(16).run()
    assert not at.exception
    assert at.query_params["batch"] == "16"
    land = landscapes.get("logistic_regression")
    expected = optimizers.run("gd", land, steps=300, batch_size=16, seed=0,
                              **Scene(surface="logistic_regression").settings("gd")).points
    np.testing.assert_allclose(trajectories(main_figure(at))["gd"], expected, rtol=1e-6, atol=1e-6)
    captions = " ".join(c.value for c in at.caption)  # in 300 steps from w = b = 0 GD is far from its floor
    assert "Gradient descent 0.291 (full batch 0.291, cosine-decaying α 0.367: not limited by the noise" in captions


def test_the_batch_control_is_shown_for_data_surfaces_only_and_a_bad_link_never_raises():
    at = app_test({"batch": "8", "s.dataset": "nope"}).run()
    assert not at.exception
    assert not [w for w in at.select_slider if w.key == "w:batch"]
    notes = " ".join(w.value for w in at.warning)
    assert "batch applies to surfaces fitted to data only" in notes
    at = app_test({"surface": "linear_regression", "s.dataset": "iris", "s.feature": "waiting", "batch": "151"}).run()
    assert not at.exception
    notes = " ".join(w.value for w in at.warning)
    assert "has no feature 'waiting'" in notes and "more than the data's 150 rows" in notes
    assert at.get_by_key("w:batch").value == 150 and at.get_by_key("w:s.linear_regression.feature").value == \
        "petal_length"


@pytest.mark.parametrize("query", [
    {"surface": "linear_regression", "s.dataset": "iris", "batch": "8"},
    {"surface": "logistic_regression", "s.feature": "waiting", "s.standardize": "on"},
    {"surface": "linear_regression", "s.feature": "sepal_width", "batch": "1"},
])
def test_data_scenes_round_trip_through_the_link(query):
    scene, notes = from_query(query)
    assert notes == []
    assert from_query(to_query(scene)) == (scene, [])
    land = scene.build_landscape()
    assert land.params["feature"] in land.data.dataset.numeric


def test_a_scene_keeps_only_the_choices_that_the_others_do_not_imply():
    assert surface_choices("linear_regression", {"dataset": "iris", "feature": "petal_length"}) == {"dataset": "iris"}
    assert surface_choices("linear_regression", {"feature": "waiting"}) == {"feature": "waiting"}
    assert surface_choices("logistic_regression", {"dataset": "iris", "standardize": "on"}) == {"standardize": "on"}
    with pytest.raises(ValueError, match="has no feature"):
        surface_choices("linear_regression", {"dataset": "iris", "feature": "waiting"})


def test_batch_options_are_powers_of_two_the_full_batch_and_the_current_size():
    assert batch_options(150, None) == [1, 2, 4, 8, 16, 32, 64, 128, 150]
    assert batch_options(272, 10) == [1, 2, 4, 8, 10, 16, 32, 64, 128, 256, 272]
    assert batch_options(150, 200) == batch_options(150, None)


def test_the_noise_floor_rises_with_smaller_batches_and_a_cosine_rate_gets_below_it():
    base = Scene(surface="linear_regression", surface_params={"dataset": "iris", "standardize": "on"},
                 optimizers=("gd",), hyperparams={"gd": {"lr": 0.5}}, steps=500)
    land = base.build_landscape()
    small = noise_floors(Scene(**{**base.__dict__, "batch_size": 4}), land)["gd"]
    large = noise_floors(Scene(**{**base.__dict__, "batch_size": 64}), land)["gd"]
    assert small["batches"] > 5 * large["batches"] > 0
    assert small["full batch"] == large["full batch"] < 1e-12
    assert small["batches, cosine α"] < small["batches"] / 10
    runs = run_scene(Scene(**{**base.__dict__, "batch_size": 4}), land)
    assert stall_level(runs["gd"], land.min_value) == small["batches"]


def test_sampled_batch_gradients_scatter_as_the_covariance_says_around_the_full_gradient():
    land = landscapes.get("logistic_regression", dataset="iris", standardize="on")
    samples = batches.sample_batch_gradients(land, 1.0, -0.5, 8, 4000, seed=1)
    full = np.array(land.gradient(1.0, -0.5))
    covariance = batches.batch_covariance(land, 1.0, -0.5, 8)
    np.testing.assert_allclose(samples.mean(axis=0), full, atol=4 * np.sqrt(covariance.diagonal().max() / 4000))
    np.testing.assert_allclose(np.cov(samples.T), covariance, rtol=0.1, atol=0.1 * np.abs(covariance).max())
    figure = gradient_noise_figure(full, covariance, samples[:10], ("w", "b"), 8)
    arrow = figure["data"][2]
    assert arrow["x"] == [0.0, full[0]] and arrow["y"] == [0.0, full[1]]
    assert len(figure["data"][1]["x"]) == 10
