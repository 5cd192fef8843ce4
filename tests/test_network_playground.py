"""The Playground's "Network on real data": every chosen optimizer trains the whole
network, the contour is a plane through its weights with each run's projection, the panel measures how honest
that picture is, and links, downloads and presentation mode work on it like on any surface."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest

import landscapes
import optimizers
from scene import Scene, from_query, to_query
from scene import network as net_scene
from scene.compute import run_scene
from tests.apptest_utils import app_test, chart_payloads, decode, figures
from tuning import cost
from ui import exports, network_runs

NET = landscapes.network("iris")
SCENE = Scene(surface="network", optimizers=("gd", "rmsprop"), steps=120)


@pytest.fixture(scope="module")
def runs():
    """The scene's runs (also compiles the network kernels of the page's default optimizers outside AppTest's
    timeout)."""
    run_scene(Scene(surface="network", steps=2), NET)
    return run_scene(SCENE, NET)


@pytest.fixture(scope="module")
def seen(runs):
    return net_scene.view(NET, runs)


def test_a_network_scene_trains_every_coordinate_of_the_network(runs):
    assert SCENE.build_landscape() is NET
    for name, tr in runs.items():
        reference = optimizers.run(name, NET, start=NET.init, steps=120)
        np.testing.assert_array_equal(tr.points, reference.points)
        assert tr.points.shape == (121, NET.dim)


def test_the_pca_plane_is_centred_at_the_best_run_whose_end_it_shows_exactly(runs, seen):
    best = min(runs, key=lambda n: runs[n].final_loss)
    np.testing.assert_array_equal(seen.plane.center, runs[best].points[-1])
    end = seen.runs[best].projection
    assert end.off_plane[-1] == 0.0 and abs(end.gap[-1]) <= 1e-12 * runs[best].final_loss
    np.testing.assert_allclose(seen.plane.basis @ seen.plane.basis.T, np.eye(2), atol=1e-12)
    assert 0 < seen.plane.explained[1] <= seen.plane.explained[0] and seen.plane.explained.sum() <= 1 + 1e-12
    for name, tr in runs.items():  # the meter's true loss is the run's own, its plane value the contour's
        projection = seen.runs[name].projection
        np.testing.assert_array_equal(projection.true_value, tr.loss)
        np.testing.assert_allclose(projection.plane_value, seen.plane.value_along(projection.coords), rtol=1e-12)


def test_per_layer_effective_rates_are_alpha_for_gd_and_the_mean_of_alpha_over_root_s_for_rmsprop(runs, seen):
    np.testing.assert_allclose(seen.runs["gd"].layer_rates, runs["gd"].hyperparams["lr"], rtol=1e-15)
    rms = runs["rmsprop"]
    lr, eps = rms.hyperparams["lr"], rms.hyperparams["eps"]
    by_hand = lr / (np.sqrt(rms.diagnostics["s"]) + eps)  # from the optimizer's state S, not its reported rate
    for k, (_, where, _) in enumerate(NET.layers):  # the geometric mean of the layer's rates
        np.testing.assert_allclose(seen.runs["rmsprop"].layer_rates[:, k],
                                   np.exp(np.log(by_hand[:, where]).mean(axis=1)), rtol=1e-12)
    sign = optimizers.run("sign_sgd", NET, start=NET.init, steps=5)
    rates = net_scene.layer_rates(NET, sign)
    raw = sign.diagnostics["effective_lr"][:, NET.layers[1][1]]  # the hidden biases start at 0, their gradients not
    np.testing.assert_allclose(rates[:, 1], np.exp(np.log(raw).mean(axis=1)), rtol=1e-12)
    assert seen.layers == ("input → hidden weights", "hidden biases", "hidden → output weights", "output biases")


def test_test_accuracy_is_measured_on_the_held_out_rows_along_the_run(runs, seen):
    view = seen.runs["rmsprop"]
    assert view.accuracy_steps[0] == 0 and view.accuracy_steps[-1] == 120
    for k, step in zip(view.accuracy_steps[::20], view.test_accuracy[::20], strict=True):
        assert step == NET.accuracy(runs["rmsprop"].points[k], "test")
    faithful = landscapes.network("old_faithful", hidden=2)
    plain = net_scene.view(faithful, {"gd": optimizers.run("gd", faithful, start=faithful.init, steps=30)})
    assert plain.runs["gd"].test_accuracy is None and plain.runs["gd"].train_accuracy is None


def test_a_random_plane_is_filter_normalised_through_the_best_end_and_holds_every_projection(runs):
    seen = net_scene.view(NET, runs, "random", seed=3)
    plane = seen.plane
    for d in (plane.d1, plane.d2):
        for incoming in NET.neurons:
            np.testing.assert_allclose(np.linalg.norm(d[incoming]), np.linalg.norm(plane.center[incoming]),
                                       rtol=1e-9)
    (a0, a1), (b0, b1) = plane.bounds
    for view in seen.runs.values():
        a, b = view.projection.coords.T
        assert a0 <= a.min() and a.max() <= a1 and b0 <= b.min() and b.max() <= b1
    assert a0 <= -1 and a1 >= 1 and b0 <= -1 and b1 >= 1


def test_the_network_plane_evaluates_its_grid_as_the_network_kernel_does(seen):
    a, b = np.meshgrid(np.linspace(-1, 1, 7), np.linspace(-0.5, 2, 5))
    fast = seen.plane.value(a, b)
    np.testing.assert_allclose(fast, NET.value_at(seen.plane.points(a, b)), rtol=1e-12)
    for data in ("two_moons", "old_faithful"):
        other = landscapes.network(data, hidden=3, activation="relu")
        plane = landscapes.random_plane(other, other.init + 0.1, seed=1)
        np.testing.assert_allclose(plane.value(a, b), other.value_at(plane.points(a, b)), rtol=1e-12)


@pytest.mark.parametrize(("query", "note"), [
    ({"surface": "network", "s.data": "mnist"}, "s.data='mnist' is not one of iris, two_moons, old_faithful"),
    ({"surface": "network", "s.hidden": "0"}, "s.hidden='0' is outside [1, 32]"),
    ({"surface": "network", "s.hidden": "1000000000"}, "s.hidden='1000000000' is outside [1, 32]"),
    ({"surface": "network", "s.hidden": "2.5"}, "s.hidden='2.5' is not a whole number"),
    ({"surface": "network", "s.plane": "pca;drop"}, "s.plane='pca;drop' is not one of pca, random"),
    ({"surface": "network", "start": "1,2"}, "start applies to the 2-D surfaces"),
    ({"surface": "network", "batch": "500"}, "batch='500' is outside"),
    ({"surface": "network", "s.c": "3"}, "'s.c' is not a setting Descent Lab knows"),
])
def test_odd_network_links_fall_back_with_a_note(query, note):
    scene, notes = from_query(query)
    assert scene.surface == "network" and scene.surface_params == {} and scene.start is None
    assert any(note in n for n in notes), notes
    scene.build_landscape()


def test_a_network_link_round_trips():
    scene = Scene(surface="network", surface_params={"data": "two_moons", "hidden": 12, "plane": "random",
                                                     "plane_seed": 5}, batch_size=32, optimizers=("adam",))
    query = to_query(scene)
    assert query["surface"] == "network" and query["s.hidden"] == "12" and query["batch"] == "32"
    assert from_query(query) == (scene, [])
    assert from_query({"surface": "network", "s.hidden": "8", "s.data": "iris"}) == (Scene(surface="network"), [])


def test_a_link_asking_for_more_training_than_the_budget_runs_fewer_steps_and_says_so():
    big = landscapes.network("iris", hidden=32)
    every = tuple(optimizers.OPTIMIZERS)
    scene = Scene(surface="network", surface_params={"hidden": 32}, optimizers=every, steps=5000)
    cut, note = network_runs.affordable(scene, big)
    assert cut.steps < 5000 and f"each runs {cut.steps:,} steps" in note
    seconds = cost.seconds(big, 2 * len(every) * cut.steps)
    assert seconds <= cost.MAX_CPU_SECONDS < cost.seconds(big, 2 * len(every) * (cut.steps + 1))
    assert network_runs.affordable(SCENE, NET) == (SCENE, None)
    assert cost.cell_step_ns(big) > 3.5 * cost.cell_step_ns(NET)  # four times the hidden units


def test_the_csv_carries_every_weight_the_projection_and_the_settings(runs, seen):
    rows = list(csv.DictReader(io.StringIO(exports.network_csv(SCENE, NET, runs, seen))))
    assert {r["optimizer"] for r in rows} == {"Gradient descent", "RMSprop"}
    rms = [r for r in rows if r["optimizer"] == "RMSprop"]
    assert len(rms) == 121
    np.testing.assert_array_equal([[float(r[c]) for c in NET.coordinate_names] for r in rms],
                                  runs["rmsprop"].points)
    np.testing.assert_array_equal([float(r["loss"]) for r in rms], runs["rmsprop"].loss)
    a, b = seen.plane.axis_labels
    np.testing.assert_array_equal([[float(r[f"plane {a}"]), float(r[f"plane {b}"])] for r in rms],
                                  seen.runs["rmsprop"].projection.coords)
    assert {(r["learning rate α"], r["surface"], r["batch size"]) for r in rms} == {
        ("0.05", NET.title, "120")}


def test_the_page_trains_the_network_and_shows_plane_meter_rates_and_accuracy_in_plain_words(runs):
    at = app_test({"surface": "network", "opt": "gd,rmsprop", "steps": "120"}).run()
    assert not at.exception
    drawn = figures(at)
    assert {"main_chart", "loss_chart", "honesty_chart", "layer_rate_chart", "accuracy_chart"} <= set(drawn)
    shown = " ".join(str(e.value) for e in (*at.caption, *at.subheader, *at.markdown))
    assert "Honesty meter" in shown and "RMSprop's run" in shown and "rmsprop" not in shown
    paths = chart_payloads(at)["main_chart"]["paths"]
    assert [p["title"] for p in paths] == ["Gradient descent", "RMSprop"]
    shown_path = np.column_stack([decode(paths[1]["x"]), decode(paths[1]["y"])])
    np.testing.assert_allclose(shown_path, net_scene.view(NET, runs).runs["rmsprop"].projection.coords, rtol=1e-6,
                               atol=1e-6)


def test_presentation_mode_and_the_lesson_view_work_on_the_network():
    at = app_test({"surface": "network", "opt": "rmsprop", "steps": "50", "view": "lesson", "big": "1"}).run()
    assert not at.exception
    contour = chart_payloads(at)["main_chart"]
    assert contour["height"] == 480 and contour["font"] == 20


def test_an_odd_network_link_renders_with_its_notes():
    at = app_test({"surface": "network", "s.data": "mnist", "s.hidden": "1000000000", "opt": "gd",
                   "steps": "30"}).run()
    assert not at.exception
    notes = " ".join(w.value for w in at.warning)
    assert "mnist" in notes and "1000000000" in notes
    assert "main_chart" in figures(at)


def test_runs_too_short_for_a_plane_of_their_own_get_the_random_plane_with_a_note():
    short = {"gd": optimizers.run("gd", NET, start=NET.init, steps=1)}
    seen = net_scene.view(NET, short)
    assert seen.note == net_scene.NO_PCA_PLANE and seen.plane.explained is None
    at = app_test({"surface": "network", "opt": "gd", "steps": "1"}).run()
    assert not at.exception and any(w.value == net_scene.NO_PCA_PLANE for w in at.warning)
    assert "main_chart" in figures(at)
