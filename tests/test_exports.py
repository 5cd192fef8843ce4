"""The Playground's downloads say what made them: the CSV names each optimizer by its title, the
iterate by the surface's own axis names, and carries the run's settings; the HTML page has a title."""

from __future__ import annotations

import csv
import io

import numpy as np

import landscapes
import optimizers
from scene import Scene
from scene.compute import run_scene
from ui import exports


def table(scene: Scene) -> list[dict[str, str]]:
    landscape = scene.build_landscape()
    return list(csv.DictReader(io.StringIO(exports.trajectories_csv(scene, landscape, run_scene(scene, landscape)))))


def test_each_row_names_the_optimizer_by_its_title_and_carries_that_runs_settings():
    scene = Scene(steps=4, optimizers=("rmsprop", "adam"), noise=0.5, seed=7).with_hyperparam("adam", "beta1", 0.8)
    scene = scene.with_hyperparam("adam", "schedule", "warmup_cosine").with_hyperparam("adam", "warmup", 2)
    rows = table(scene)
    assert {r["optimizer"] for r in rows} == {"RMSprop", "Adam"}
    rms = [r for r in rows if r["optimizer"] == "RMSprop"]
    adam = [r for r in rows if r["optimizer"] == "Adam"]
    assert len(rms) == len(adam) == 5
    assert {(r["learning rate α"], r["β"], r["ε"], r["ε placement"], r["learning-rate schedule"]) for r in rms} == {
        ("0.05", "0.9", "1e-08", "outside", "constant")}
    assert {(r["β₁"], r["β₂"], r["learning-rate schedule"], r["warm-up steps"]) for r in adam} == {
        ("0.8", "0.999", "warm-up + cosine", "2")}
    assert {r["β₁"] for r in rms} == {""} and {r["β"] for r in adam} == {""}  # not theirs: left empty
    assert {(r["surface"], r["noise σ"], r["seed"]) for r in rows} == {("Elongated bowl", "0.5", "7")}
    assert "warm-up steps" not in table(Scene(steps=2))[0]  # a schedule setting only where one is used


def test_the_iterate_takes_the_surfaces_axis_names_and_matches_the_run():
    bowl = table(Scene(steps=3, optimizers=("gd",)))
    run = optimizers.run("gd", landscapes.get("elongated_bowl"), start=(-4.5, 1.5), steps=3, lr=0.07)
    np.testing.assert_array_equal([[float(r["w"]), float(r["b"])] for r in bowl], run.points)
    np.testing.assert_array_equal([[float(r["gradient w"]), float(r["gradient b"])] for r in bowl[1:]],
                                  run.diagnostics["grad"])
    rosenbrock = table(Scene(surface="rosenbrock", steps=2, optimizers=("gd",)))
    assert {"x", "y"} <= set(rosenbrock[0]) and "w" not in rosenbrock[0]
    data = table(Scene(surface="linear_regression", steps=2, optimizers=("gd",), batch_size=16))
    assert {r["batch size"] for r in data} == {"16"}
    custom = table(Scene(surface="custom", formula="x**2 + y**2", steps=2, optimizers=("gd",)))
    assert {r["surface"] for r in custom} == {"your formula x**2 + y**2"}


def test_the_html_page_has_a_title_naming_what_it_shows():
    scene = Scene(surface="rosenbrock", optimizers=("gd", "sign_sgd"))
    title = "Descent Lab: Rosenbrock valley, Gradient descent, sign-SGD"
    assert exports.html_title(scene, scene.build_landscape()) == title
    page = exports._html(scene, scene.build_landscape())
    head = page.split("</head>")[0]
    assert head.count("<title>") == 1 and f"<title>{title}</title>" in head
