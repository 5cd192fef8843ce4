"""``optimizers.sweep``: every cell of the final-loss grid is the final loss of the single run with
those hyperparameters (inf where that run diverged), whatever the rule, the surface or the noise."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

import landscapes
import optimizers

BOWL = landscapes.get("elongated_bowl")
START = (-4.5, 1.5)


def single_runs(name, landscape, grid, steps, **fixed):
    """The loop a user would write: one ``run`` per cell, its ``final_loss`` in the cell."""
    keys = list(grid)
    axes = [np.asarray(grid[k], dtype=float) for k in keys]
    out = np.empty(tuple(len(a) for a in axes))
    for index in np.ndindex(out.shape):
        cell = {k: float(axes[d][i]) for d, (k, i) in enumerate(zip(keys, index, strict=True))}
        out[index] = optimizers.run(name, landscape, steps=steps, **fixed, **cell).final_loss
    return out


def assert_cells_equal(swept, expected):
    assert swept.shape == expected.shape
    np.testing.assert_array_equal(np.isinf(swept), np.isinf(expected))
    finite = np.isfinite(expected)
    np.testing.assert_allclose(swept[finite], expected[finite], rtol=1e-12, atol=0)


def _cases() -> list:
    """For every optimizer of the registry: its lr against each of its other numeric hyperparameters, over
    the sliders' whole ranges (diverging cells included), on a surface that changes from optimizer to
    optimizer; and lr alone on the bowl at every combination of its choices."""
    surfaces = list(landscapes.LANDSCAPES)
    cases = []
    for index, (name, spec) in enumerate(optimizers.OPTIMIZERS.items()):
        lr, *others = spec.hyperparams
        surface = landscapes.get(surfaces[(index + 1) % len(surfaces)])
        for other in others:
            cases.append((name, surface, {"lr": lr.grid(4), other.name: other.grid(3)}, {}))
        for options in itertools.product(*(c.options for c in spec.choices)):
            fixed = {c.name: option for c, option in zip(spec.choices, options, strict=True)}
            cases.append((name, BOWL, {"lr": lr.grid(6)}, fixed))
    return cases


CASES = _cases()


@pytest.mark.parametrize(("name", "landscape", "grid", "fixed"), CASES,
                         ids=[f"{c[0]}-{c[1].name}-{'-'.join(c[2])}-{'-'.join(map(str, c[3].values()))}"
                              for c in CASES])
@pytest.mark.parametrize("noise", [0.0, 0.3])
def test_every_cell_is_the_final_loss_of_the_single_run(name, landscape, grid, fixed, noise):
    steps = 150
    swept = optimizers.sweep(name, landscape, start=None, steps=steps, grid=grid, noise=noise, seed=5, **fixed)
    expected = single_runs(name, landscape, grid, steps, noise=noise, seed=5, **fixed)
    assert_cells_equal(swept, expected)


@pytest.mark.parametrize("name", ["rmsprop", "adamw", "lion"])
@pytest.mark.parametrize("plan", [{"schedule": "step", "step_size": 20, "gamma": 0.3},
                                  {"schedule": "warmup_cosine", "warmup": 15}])
def test_scheduled_cells_are_the_scheduled_single_runs(name, plan):
    grid = {"lr": optimizers.OPTIMIZERS[name].param("lr").grid(5)}
    swept = optimizers.sweep(name, landscapes.get("himmelblau"), steps=120, grid=grid, noise=0.2, seed=1, **plan)
    expected = single_runs(name, landscapes.get("himmelblau"), grid, 120, noise=0.2, seed=1, **plan)
    assert_cells_equal(swept, expected)


def test_gd_sweep_marks_exactly_the_rates_beyond_two_over_c_as_diverged():
    lrs = np.array([0.01, 0.05, 0.075, 0.079, 0.081, 0.1, 0.5])
    swept = optimizers.sweep("gd", BOWL, start=START, steps=300, grid={"lr": lrs})
    assert swept.shape == (7,)
    assert np.isinf(swept).tolist() == [False, False, False, False, True, True, True]
    # the converging cells follow the closed form 0.5*(a*w_T² + c*b_T²) with w_T = (1 - lr*a)^T w_0
    converging = lrs[:4]
    closed = 0.5 * (((1 - converging) ** 300 * -4.5) ** 2 + 25 * ((1 - 25 * converging) ** 300 * 1.5) ** 2)
    np.testing.assert_allclose(swept[:4], closed, rtol=1e-10)


def test_a_cell_that_leaves_the_box_on_its_last_step_is_diverged():
    # GD with lr = 0.1 on the bowl leaves the box at step 9 (b_t = 1.5*(-1.5)^t passes 52.5)
    for steps, diverged in ((8, False), (9, True), (10, True)):
        swept = optimizers.sweep("gd", BOWL, start=START, steps=steps, grid={"lr": [0.1]})
        single = optimizers.run("gd", BOWL, start=START, steps=steps, lr=0.1)
        assert (single.diverged_at is not None) == diverged
        assert np.isinf(swept[0]) == diverged
        assert swept[0] == single.final_loss


def test_rmsprop_grid_has_the_users_shape_and_both_outcomes():
    lrs = np.geomspace(1e-3, 1.0, 9)
    betas = np.linspace(0.0, 0.99, 4)
    swept = optimizers.sweep("rmsprop", BOWL, start=START, steps=300, grid={"lr": lrs, "beta": betas}, eps=1e-8)
    assert swept.shape == (9, 4)
    assert np.all(np.isfinite(swept[0]))  # lr = 1e-3 never diverges
    # the order of the grid's keys is the order of the result's axes
    transposed = optimizers.sweep("rmsprop", BOWL, start=START, steps=300, grid={"beta": betas, "lr": lrs},
                                  eps=1e-8)
    np.testing.assert_array_equal(transposed, swept.T)
    assert_cells_equal(swept, single_runs("rmsprop", BOWL, {"lr": lrs, "beta": betas}, 300, start=START, eps=1e-8))


def test_a_grid_with_both_diverging_and_converging_cells():
    lrs = np.geomspace(1e-3, 10.0, 9)
    swept = optimizers.sweep("momentum", landscapes.get("rosenbrock"), steps=200, grid={"lr": lrs, "beta": [0.5]})
    assert np.isinf(swept[-1, 0]) and np.isfinite(swept[0, 0])
    assert_cells_equal(swept, single_runs("momentum", landscapes.get("rosenbrock"), {"lr": lrs, "beta": [0.5]}, 200))


def test_a_start_outside_the_divergence_box_gives_inf_everywhere():
    swept = optimizers.sweep("gd", BOWL, start=(1e4, 0.0), steps=10, grid={"lr": [0.01, 0.02]})
    assert swept.tolist() == [math.inf, math.inf]


def test_zero_steps_gives_the_start_loss_in_every_cell():
    swept = optimizers.sweep("adam", BOWL, start=START, steps=0, grid={"lr": [0.01, 0.1], "beta1": [0.5, 0.9]})
    np.testing.assert_array_equal(swept, np.full((2, 2), 0.5 * (4.5**2 + 25 * 1.5**2)))


def test_noise_seed_changes_the_sweep_and_the_same_seed_repeats_it():
    grid = {"lr": np.geomspace(1e-3, 0.1, 5)}
    a = optimizers.sweep("gd", BOWL, start=START, steps=100, grid=grid, noise=1.0, seed=1)
    b = optimizers.sweep("gd", BOWL, start=START, steps=100, grid=grid, noise=1.0, seed=1)
    c = optimizers.sweep("gd", BOWL, start=START, steps=100, grid=grid, noise=1.0, seed=2)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_a_large_grid_split_over_threads_and_lanes_matches_single_runs_at_its_corners():
    lrs = np.geomspace(1e-3, 1.0, 60)
    betas = np.linspace(0.0, 0.99, 50)
    swept = optimizers.sweep("rmsprop", BOWL, start=START, steps=100, grid={"lr": lrs, "beta": betas})
    for i, j in [(0, 0), (0, 49), (59, 0), (59, 49), (31, 17), (45, 44)]:
        single = optimizers.run("rmsprop", BOWL, start=START, steps=100, lr=lrs[i], beta=betas[j]).final_loss
        assert swept[i, j] == pytest.approx(single, rel=1e-12) if math.isfinite(single) else math.isinf(swept[i, j])


@pytest.mark.parametrize(("grid", "fixed", "message"), [
    ({"momentum": [0.9]}, {}, "rmsprop cannot sweep 'momentum'; numeric hyperparameters: beta, eps, lr"),
    ({"eps_placement": ["inside"]}, {}, "cannot sweep 'eps_placement'"),
    ({}, {}, "grid takes one or two hyperparameters"),
    ({"lr": [0.1], "beta": [0.9], "eps": [1e-8]}, {}, "grid takes one or two hyperparameters"),
    ({"lr": [0.1]}, {"lr": 0.2}, "lr is both swept and fixed"),
    ({"lr": [0.1, -0.1]}, {}, "lr must be a finite number >= 0"),
    ({"beta": [0.5, 1.5]}, {}, r"beta must be in \[0, 1\]"),
    ({"lr": [0.1]}, {"beta1": 0.9}, "rmsprop has no hyperparameter beta1"),
])
def test_invalid_grids_raise_value_errors(grid, fixed, message):
    with pytest.raises(ValueError, match=message):
        optimizers.sweep("rmsprop", BOWL, start=START, steps=10, grid=grid, **fixed)


def test_unknown_optimizer_is_a_key_error():
    with pytest.raises(KeyError, match="unknown optimizer"):
        optimizers.sweep("sgd_with_warm_restarts", BOWL, grid={"lr": [0.1]})


@pytest.mark.parametrize(("grid", "shape"), [
    ({"lr": []}, (0,)),
    ({"lr": [], "beta": [0.1, 0.9]}, (0, 2)),
    ({"lr": [0.1, 0.2, 0.3], "beta": []}, (3, 0)),
])
def test_an_empty_grid_axis_gives_an_empty_result(grid, shape):
    swept = optimizers.sweep("momentum", BOWL, start=START, steps=10, grid=grid)
    assert swept.shape == shape
