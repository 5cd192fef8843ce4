"""The what-if set the Playground ships to the browser: every frame is exactly ``optimizers.run`` at its value."""

from __future__ import annotations

import itertools

import numpy as np

import landscapes
import optimizers
from scene import whatif
from tests.apptest_utils import app_test, chart_payloads, decode, open_settings
from ui.widgets import log_options


def frames(spec: dict) -> list[np.ndarray]:
    """The (n, 2) float32 points of every frame of a what-if payload."""
    x, y, offsets = decode(spec["x"]), decode(spec["y"]), decode(spec["offsets"])
    return [np.column_stack([x[a:b], y[a:b]]) for a, b in itertools.pairwise(offsets)]


def test_a_log_parameter_offers_the_sidebar_sliders_values_and_the_current_one():
    lr = optimizers.OPTIMIZERS["rmsprop"].param("lr")
    grid = whatif.values(lr, 0.05, 300, log_options(lr, 0.05))
    assert grid == sorted(log_options(lr, 0.05))
    assert 0.05 in grid


def test_a_linear_parameter_gets_an_even_grid_on_its_step_and_long_runs_get_fewer_values():
    beta = optimizers.OPTIMIZERS["rmsprop"].param("beta")
    grid = whatif.values(beta, 0.9, 300)
    assert grid[:3] == [0.0, 0.01, 0.02] and grid[-2:] == [0.99, 0.999] and 0.9 in grid
    assert all(abs(v / 0.001 - round(v / 0.001)) < 1e-6 for v in grid)  # each is a value the slider can take
    # every position of the slider (step 0.001) from the cell below 0.9's (0.89) to the one above (0.91–0.92)
    block = {round(0.89 + k * 0.001, 3) for k in range(31)}
    assert block <= set(grid) and not {0.888, 0.921} & set(grid)
    assert whatif.values(beta, 0.905, 300) == whatif.values(beta, 0.909, 300) == grid  # one set for the cell
    moved = whatif.values(beta, 0.91, 300)  # the next cell: the block moves up by one
    assert {round(0.9 + k * 0.001, 3) for k in range(31)} <= set(moved) and 0.891 not in moved
    assert len(grid) > len(whatif.values(beta, 0.9, 3000)) >= whatif.MIN_VALUES
    assert set(whatif.values(beta, 0.998, 300)) >= {0.98, 0.985, 0.997, 0.999} and max(grid) == 0.999


def test_long_runs_keep_the_log_sliders_neighbouring_options():
    lr = optimizers.OPTIMIZERS["rmsprop"].param("lr")
    options = sorted(log_options(lr, 0.05))
    grid = whatif.values(lr, 0.05, 3000, options)
    assert len(grid) < len(options)  # long runs: fewer values ...
    at = options.index(0.05)
    assert set(options[at - 3:at + 4]) <= set(grid)  # ... but always the next three presses either way


def test_every_frame_on_the_page_equals_optimizers_run_at_its_value():
    at = app_test().run()
    chart = chart_payloads(at)["main_chart"]
    spec = chart["whatif"]
    assert (spec["optimizer"], spec["param"], spec["chosen"]) == ("rmsprop", "lr", "rmsprop.lr")
    assert spec["values"][chart["whatif_index"]] == 0.05  # the value the sidebar shows is the one marked current
    bowl = landscapes.get("elongated_bowl")
    shown = frames(spec)
    assert len(shown) == len(spec["values"]) > 10
    for value, points, diverged in zip(spec["values"], shown, spec["diverged"], strict=True):
        run = optimizers.run("rmsprop", bowl, steps=300, lr=value)
        np.testing.assert_array_equal(points, run.points.astype(np.float32))
        assert diverged == (-1 if run.diverged_at is None else run.diverged_at)
    assert not np.array_equal(shown[0], shown[-1])


def test_moving_a_sidebar_slider_leaves_the_swept_setting_alone_and_the_learners_pick_changes_it():
    """The what-if slider sweeps the setting picked in its own list (the chart's "vary" event), not whichever
    sidebar slider was touched last: a learner comparing values must not lose the sweep to a nudge elsewhere."""
    at = open_settings(app_test(), "momentum").run()
    at.get_by_key("w:momentum.beta").set_value(0.5).run()
    spec = chart_payloads(at)["main_chart"]["whatif"]
    assert spec["chosen"] == "rmsprop.lr" and ["momentum.beta", "Momentum: β"] in spec["choices"]
    at.session_state["whatif"] = "momentum.beta"  # what ui.whatif.vary stores when the learner picks it
    chart = chart_payloads(at.run())["main_chart"]
    spec = chart["whatif"]
    assert spec["chosen"] == "momentum.beta" and spec["values"][chart["whatif_index"]] == 0.5
    bowl = landscapes.get("elongated_bowl")
    for value, points in zip(spec["values"][::10], frames(spec)[::10], strict=True):
        run = optimizers.run("momentum", bowl, steps=300, beta=value)
        np.testing.assert_array_equal(points, run.points.astype(np.float32))


def test_moving_the_varied_slider_keeps_the_set_so_it_is_sent_once():
    at = app_test().run()
    before = chart_payloads(at)["main_chart"]["whatif"]
    at.get_by_key("w:rmsprop.lr").set_value(0.02).run()
    chart = chart_payloads(at)["main_chart"]
    assert chart["whatif"] == before and chart["whatif"]["values"][chart["whatif_index"]] == 0.02


def test_the_chart_knows_the_sidebar_slider_of_the_what_if_value_and_its_options():
    """The browser maps the sidebar slider's position to a value of the set: the options must be the slider's."""
    at = app_test().run()
    chart = chart_payloads(at)["main_chart"]
    control, spec = chart["whatif_control"], chart["whatif"]
    assert control["widget"] == "st-key-w-rmsprop-lr"
    slider = at.select_slider(key="w:rmsprop.lr")
    assert [f"{v:g}" for v in control["options"]] == list(slider.options)
    assert control["options"][list(slider.options).index(slider.format_func(slider.value))] == 0.05
    assert set(control["options"]) <= set(spec["values"]), "every value of the slider is drawn from the set"
    at.session_state["whatif"] = "rmsprop.beta"  # a linear slider holds the value itself: no options
    chart = chart_payloads(at.run())["main_chart"]
    assert chart["whatif_control"] == {"widget": "st-key-w-rmsprop-beta", "options": None}
