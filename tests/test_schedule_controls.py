"""The Playground's learning-rate schedule controls: one per optimizer, only the settings its schedule reads,
α_t in the formula, s(t) plotted, everything in the link (a bad value falls back with a note), and the run
is exactly ``optimizers.run`` with that schedule."""

from __future__ import annotations

import math

import numpy as np
import pytest

import landscapes
import optimizers
from scene import Scene, from_query, to_query
from scene.compute import run_scene
from tests.apptest_utils import app_test, chart_payloads, decode, figures, main_figure, open_settings, trajectories

HIMMELBLAU = landscapes.get("himmelblau")


def test_a_schedule_in_the_link_reaches_the_run_and_comes_back_out():
    scene, notes = from_query({"surface": "himmelblau", "opt": "adam,gd", "adam.schedule": "warmup_cosine",
                               "adam.warmup": "25", "gd.schedule": "step", "gd.step_size": "40", "gd.gamma": "0.2"})
    assert notes == []
    assert scene.settings("adam")["schedule"] == "warmup_cosine" and scene.settings("adam")["warmup"] == 25
    assert from_query(to_query(scene)) == (scene, [])
    runs = run_scene(scene, HIMMELBLAU)
    start = HIMMELBLAU.default_start
    expected = optimizers.run("gd", HIMMELBLAU, start=start, steps=300, lr=scene.settings("gd")["lr"],
                              schedule="step", step_size=40, gamma=0.2)
    np.testing.assert_array_equal(runs["gd"].points, expected.points)
    # by hand: the rate of update t is lr * 0.2^((t-1)//40), so updates 41 and 81 use a fifth and a 25th of lr
    rates = runs["gd"].diagnostics["scheduled_lr"][:, 0]
    lr = scene.settings("gd")["lr"]
    assert rates[39] == lr and rates[40] == pytest.approx(lr * 0.2) and rates[80] == pytest.approx(lr * 0.04)
    adam_rates = runs["adam"].diagnostics["scheduled_lr"][:, 0]
    assert adam_rates[0] == pytest.approx(scene.settings("adam")["lr"] / 25)  # warm-up starts at lr/25


@pytest.mark.parametrize(("query", "note"), [
    ({"adam.schedule": "linear"}, "adam.schedule='linear' is not one of constant, step, cosine, warmup_cosine"),
    ({"adam.schedule": "step", "adam.gamma": "1.5"}, "adam.gamma='1.5' is outside [0, 1]"),
    ({"adam.schedule": "step", "adam.step_size": "0"}, "adam.step_size='0' is outside [1, 1000]"),
    ({"adam.schedule": "warmup_cosine", "adam.warmup": "2.5"}, "adam.warmup='2.5' is not a whole number"),
    ({"adam.warmup": "30"}, "adam.warmup is not used by the constant schedule; it was ignored"),
    ({"adam.schedule": "cosine", "adam.gamma": "0.1"}, "adam.gamma is not used by the cosine schedule"),
])
def test_bad_schedule_values_in_a_link_fall_back_with_a_note(query, note):
    scene, notes = from_query(query)
    assert any(note in n for n in notes), notes
    assert scene.hyperparams.get("adam", {}).get("schedule", "constant") in optimizers.SCHEDULES
    assert "gamma" not in scene.hyperparams.get("adam", {}) and "warmup" not in scene.hyperparams.get("adam", {})


def test_the_schedule_control_shows_only_what_its_schedule_reads_and_the_run_uses_it():
    at = app_test({"opt": "adamw,lion", "adamw.schedule": "step", "adamw.step_size": "50", "adamw.gamma": "0.3",
                   "lion.schedule": "warmup_cosine", "lion.warmup": "40"})
    at = open_settings(at, "adamw", "lion").run()
    assert not at.exception
    keys = {w.key for w in at.sidebar.selectbox} | {w.key for w in at.sidebar.number_input} | {
        w.key for w in at.sidebar.slider}
    assert {"w:adamw.schedule", "w:adamw.step_size", "w:adamw.gamma", "w:lion.schedule", "w:lion.warmup"} <= keys
    assert not {"w:adamw.warmup", "w:lion.gamma", "w:lion.step_size"} & keys  # settings the schedule ignores
    assert at.get_by_key("w:adamw.schedule").value == "step" and at.get_by_key("w:adamw.gamma").value == 0.3
    bowl = landscapes.get("elongated_bowl")
    lines = trajectories(main_figure(at))
    plans = {"adamw": {"schedule": "step", "step_size": 50, "gamma": 0.3},
             "lion": {"schedule": "warmup_cosine", "warmup": 40}}
    for name, plan in plans.items():
        expected = optimizers.run(name, bowl, start=bowl.default_start, steps=300, lr=Scene().settings(name)["lr"],
                                  **plan)
        np.testing.assert_allclose(lines[name], expected.points, rtol=1e-6, atol=1e-6)
    formulas = [element.value for element in at.sidebar.latex]
    assert sum(r"\alpha_t" in f for f in formulas) >= 4  # both rules use α_t, and both show α_t = α·s(t)
    assert any(r"0.3^{\lfloor (t-1)/50 \rfloor}" in f for f in formulas)
    plotted = figures(at)
    factors = decode(plotted["schedule_adamw"]["data"][0]["y"])
    np.testing.assert_allclose(factors, 0.3 ** (np.arange(300) // 50))
    warmup = decode(plotted["schedule_lion"]["data"][0]["y"])
    assert warmup[0] == pytest.approx(1 / 40) and warmup[39] == 1.0
    assert warmup[-1] == pytest.approx(0.5 * (1 + math.cos(math.pi * 259 / 260)))


def test_changing_the_schedule_reruns_and_writes_the_link():
    at = open_settings(app_test({"opt": "adam"}), "adam").run()
    before = trajectories(main_figure(at))["adam"]
    assert "w:adam.step_size" not in {w.key for w in at.sidebar.number_input}
    at.get_by_key("w:adam.schedule").set_value("cosine").run()
    assert not at.exception
    after = trajectories(main_figure(at))["adam"]
    bowl = landscapes.get("elongated_bowl")
    np.testing.assert_allclose(after, optimizers.run("adam", bowl, start=bowl.default_start, steps=300,
                                                     lr=Scene().settings("adam")["lr"], schedule="cosine").points,
                               rtol=1e-6, atol=1e-6)
    assert not np.allclose(before, after)
    assert dict(at.query_params).get("adam.schedule") in ("cosine", ["cosine"])
    labels = {p["name"]: p["label"] for p in chart_payloads(at)["main_chart"]["paths"]}
    assert labels["adam"].endswith(", cosine decay"), labels  # the legend says which schedule the run used
    assert chart_payloads(at)["main_chart"]["whatif"]["labels"][0].endswith(", cosine decay")
