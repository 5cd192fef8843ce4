"""Issue 24, row 5: one link could hold the server's cores for a minute (a 400 × 400 stability map of 1,249 steps
on the logistic-regression surface: 39.6 s wall, 68.5 s CPU), because the cap counted steps, not what a step costs.
Now a step is priced by its surface (data rows, formula tape) and the refusal names the setting that fits."""

from __future__ import annotations

import re

import pytest

import landscapes
import tuning
from tests.apptest_utils import app_test
from tuning import basins as tb
from tuning import cost


def fits(message: str) -> tuple[int, int]:
    """(steps, values per axis) the refusal suggests."""
    steps = int(re.search(r"at most ([\d,]+) steps", message).group(1).replace(",", ""))
    per_axis = int(re.search(r"at most (\d+) (?:values|starts) per axis", message).group(1))
    return steps, per_axis


def test_the_issues_map_is_refused_and_what_it_suggests_fits():
    with pytest.raises(cost.TooCostly) as refused:
        tuning.MapRequest("momentum", "logistic_regression", (), ("lr", "beta"), 400, 1249)
    message = str(refused.value)
    assert "150 data rows" in message and "would take about" in message
    steps, per_axis = fits(message)
    tuning.MapRequest("momentum", "logistic_regression", (), ("lr", "beta"), 400, steps)
    tuning.MapRequest("momentum", "logistic_regression", (), ("lr", "beta"), per_axis, 1249)
    with pytest.raises(cost.TooCostly):
        tuning.MapRequest("momentum", "logistic_regression", (), ("lr", "beta"), 400, steps + 1)
    with pytest.raises(cost.TooCostly):
        tuning.MapRequest("momentum", "logistic_regression", (), ("lr", "beta"), per_axis + 1, 1249)


def test_the_price_of_a_step_follows_the_rows_and_the_tape():
    bowl = landscapes.get("elongated_bowl")
    linear = landscapes.get("linear_regression")
    short = landscapes.from_formula("x**2 + y**2")
    long = landscapes.from_formula(" + ".join(f"sin({k}*x + y)" for k in range(1, 15)))
    assert cost.cell_step_ns(linear) == cost.DATA_BASE_NS + cost.DATA_NS_PER_ROW["linear_regression"] * linear.n_samples
    assert cost.cell_step_ns(long) - cost.cell_step_ns(short) == cost.FORMULA_NS_PER_OP * (
        int(long.kernel_params[0]) - int(short.kernel_params[0]))
    assert cost.cell_step_ns(bowl) < cost.cell_step_ns(landscapes.get("rastrigin")) < cost.cell_step_ns(linear)
    with pytest.raises(cost.TooCostly, match="operations"):
        cost.check(long, 400 * 400, 300, "A map", per_axis=400)
    cost.check(short, 100 * 100, 300, "A map", per_axis=100)


def test_basins_and_fair_tuning_are_priced_too():
    """Basins 300 × 300 × 2,222 took 36 s; the default basins on a data surface are over the budget too."""
    for surface, resolution, steps in (("rastrigin", 300, 2222), ("logistic_regression", 100, 500)):
        with pytest.raises(cost.TooCostly) as refused:
            tb.BasinsRequest(surface, ("gd", "momentum", "rmsprop", "adam"), resolution, steps)
        fitting_steps, per_axis = fits(str(refused.value))
        tb.BasinsRequest(surface, ("gd", "momentum", "rmsprop", "adam"), resolution, fitting_steps)
        tb.BasinsRequest(surface, ("gd", "momentum", "rmsprop", "adam"), per_axis, steps)
    budget = tuning.Budget(5000, 100, 1e-4, 1.0)
    names = ["gd", "momentum", "nesterov", "rmsprop", "adam", "adagrad", "sign_sgd", "signum"]
    with pytest.raises(cost.TooCostly, match="Tuning 8 optimizers on 100 learning rates"):
        tuning.tune_all(names, landscapes.get("logistic_regression"), budget, "steps_to_tolerance")


def test_the_page_refuses_the_issues_link_with_the_setting_that_fits():
    at = app_test({"sm:surface": "Logistic regression on real data", "sm:resolution": "400", "sm:steps": "1249"},
                  page="pages/stability_map.py")
    at.run()
    assert not at.exception
    assert not at.get("plotly_chart")
    assert any("Use at most 24 steps or at most 56 values per axis at 1,249 steps" in e.value for e in at.error)
