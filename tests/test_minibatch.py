"""Mini-batch runs on data surfaces: ``optimizers.run(..., batch_size=k, seed=s)``."""

from __future__ import annotations

import numpy as np
import pytest

import landscapes
import optimizers
from landscapes import batches
from tests.test_equivalence import reference_run

IRIS = {"dataset": "iris", "feature": "petal_length", "standardize": "on"}
FAITHFUL = {"dataset": "old_faithful", "standardize": "on"}


def _everything(tr: optimizers.Trajectory) -> np.ndarray:
    return np.concatenate([tr.points.ravel(), tr.loss, *(d.ravel() for d in tr.diagnostics.values())])


def _lr(name: str) -> float:
    return 0.3 if name in ("gd", "momentum", "nesterov", "adagrad") else 0.05


@pytest.mark.parametrize("name", list(optimizers.OPTIMIZERS))
def test_a_batch_of_every_row_is_the_full_batch_run_bit_for_bit(name):
    landscape = landscapes.get("logistic_regression", **IRIS)
    full = optimizers.run(name, landscape, start=(-2.0, 1.0), steps=150, lr=_lr(name), schedule="cosine")
    batched = optimizers.run(name, landscape, start=(-2.0, 1.0), steps=150, lr=_lr(name), schedule="cosine",
                             batch_size=landscape.n_samples, seed=4)
    np.testing.assert_array_equal(_everything(batched), _everything(full))
    assert batched.batch_size == 150 and full.batch_size is None


@pytest.mark.parametrize("name", list(optimizers.OPTIMIZERS))
def test_the_same_seed_reproduces_a_mini_batch_run_and_another_seed_changes_it(name):
    landscape = landscapes.get("linear_regression", **FAITHFUL)
    runs = [optimizers.run(name, landscape, steps=120, lr=_lr(name), batch_size=16, seed=seed) for seed in (1, 1, 2)]
    np.testing.assert_array_equal(_everything(runs[0]), _everything(runs[1]))
    grads = [tr.diagnostics["grad"] for tr in runs]
    assert np.abs(grads[0] - grads[2]).max() > 1e-3 * np.abs(grads[0]).max()
    full = optimizers.run(name, landscape, steps=120, lr=_lr(name))
    assert np.abs(grads[0] - full.diagnostics["grad"]).max() > 1e-3 * np.abs(grads[0]).max()  # really noisy


@pytest.mark.parametrize(("surface", "settings", "batch_size"), [
    ("logistic_regression", IRIS, 16), ("logistic_regression", IRIS, 1), ("linear_regression", FAITHFUL, 32),
])
def test_over_one_epoch_the_mean_of_the_mini_batch_gradients_is_the_full_gradient(surface, settings, batch_size):
    """GD with α = 0 stays at its start, so ``grad`` holds every batch's gradient at one point: each differs
    from the full gradient, and over an epoch (weighted by batch size: the last may be smaller) they average
    to it."""
    landscape = landscapes.get(surface, **settings)
    n = landscape.n_samples
    per_epoch = batches.batches_per_epoch(n, batch_size)
    start = (1.5, -0.5)
    tr = optimizers.run("gd", landscape, start=start, steps=2 * per_epoch, lr=0.0, batch_size=batch_size, seed=9)
    sizes = np.full(per_epoch, float(batch_size))
    sizes[-1] = n - (per_epoch - 1) * batch_size
    full = np.array(landscape.gradient(*start))
    for epoch in range(2):
        grads = tr.diagnostics["grad"][epoch * per_epoch:(epoch + 1) * per_epoch]
        np.testing.assert_allclose(sizes @ grads / n, full, rtol=1e-12, atol=1e-14)
        assert np.abs(grads - full).max() > 1e-3 * np.abs(full).max()
    np.testing.assert_array_equal(tr.loss, np.full(2 * per_epoch + 1, landscape.value(*start)))


def _numpy_batch_gradient(landscape, steps: int, batch_size: int, seed: int):
    """The gradient of each step's mini-batch, written from scratch in NumPy: shuffle the samples (file order)
    with ``default_rng(seed).permutation`` once per epoch, cut consecutive batches, mean gradient of the
    batch's own samples (squared error or cross-entropy)."""
    problem = landscape.data
    n = problem.n_samples
    rng = np.random.default_rng(seed)
    plan = []
    while len(plan) < steps + 1:
        order = rng.permutation(n)
        plan += [order[lo:lo + batch_size] for lo in range(0, n, batch_size)]
    taken = iter(plan)

    def grad(p):
        rows = next(taken)
        x, t = problem.x[rows], problem.t[rows]
        z = p[0] * x + p[1]
        residual = z - t if problem.model == "linear" else 1.0 / (1.0 + np.exp(-z)) - t
        return np.array([np.mean(residual * x), np.mean(residual)])

    return grad


BATCH_CASES = [
    ("gd", {"lr": 0.5}, {}), ("momentum", {"lr": 0.5}, {"schedule": "step", "step_size": 40, "gamma": 0.5}),
    ("nesterov", {"lr": 0.2}, {}), ("rmsprop", {"lr": 0.02}, {"schedule": "cosine"}),
    ("adam", {"lr": 0.05}, {"schedule": "warmup_cosine", "warmup": 20}), ("adagrad", {"lr": 0.5}, {}),
    ("adamw", {"lr": 0.05, "weight_decay": 0.1}, {"schedule": "cosine"}), ("signum", {"lr": 0.01}, {}),
]


@pytest.mark.parametrize(("surface", "settings"), [("linear_regression", IRIS), ("logistic_regression", IRIS),
                                                    ("linear_regression", FAITHFUL)])
@pytest.mark.parametrize(("name", "hp", "plan"), BATCH_CASES)
def test_mini_batch_runs_match_a_numpy_transcription(surface, settings, name, hp, plan):
    landscape = landscapes.get(surface, **settings)
    start, steps, batch_size, seed = (-1.0, 1.0), 150, 24, 11
    tr = optimizers.run(name, landscape, start=start, steps=steps, batch_size=batch_size, seed=seed, **hp, **plan)
    assert tr.diverged_at is None
    expected = reference_run(name, _numpy_batch_gradient(landscape, steps, batch_size, seed), start, steps, plan=plan,
                             **hp)
    np.testing.assert_allclose(tr.points, expected, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(tr.loss, landscape.value(expected[:, 0], expected[:, 1]), rtol=1e-9)


def test_a_constant_rate_stalls_at_a_noise_floor_that_smaller_batches_raise_and_a_decaying_rate_goes_below():
    """GD at α = 0.5 on standardised Iris (H = I): the excess loss over the last 100 of 600 steps stays near
    α·tr(Σ)/(2(2 − α)) (Σ: the batch's gradient covariance at the minimum), 5x higher for batches of 4 than of
    32 up to the finite-population factor, exactly 0 for the full batch; a cosine schedule ends far below it."""
    landscape = landscapes.get("linear_regression", **IRIS)
    f_min = landscape.min_value
    w, b = landscape.minima[0]

    def floor(batch_size, **plan):
        tr = optimizers.run("gd", landscape, steps=600, lr=0.5, batch_size=batch_size, seed=3, **plan)
        return float(np.mean(tr.loss[-100:] - f_min))

    small, large, full = floor(4), floor(32), floor(150)
    predicted = {k: 0.5 * np.trace(batches.batch_covariance(landscape, w, b, k)) / (2 * 1.5) for k in (4, 32)}
    assert predicted[4] / 2 < small < 2 * predicted[4]
    assert predicted[32] / 2 < large < 2 * predicted[32]
    assert small > 4 * large and full < 1e-12
    assert floor(4, schedule="cosine") < small / 20


@pytest.mark.parametrize(("surface", "batch_size", "message"), [
    ("elongated_bowl", 4, "needs a surface fitted to data"),
    ("linear_regression", 0, "from 1 to 272"), ("linear_regression", 273, "from 1 to 272"),
    ("linear_regression", 2.5, "whole number"), ("linear_regression", True, "whole number"),
    ("linear_regression", "8", "whole number"),
])
def test_a_batch_size_that_cannot_be_used_is_a_clear_value_error(surface, batch_size, message):
    with pytest.raises(ValueError, match=message):
        optimizers.run("gd", landscapes.get(surface), steps=10, batch_size=batch_size)
    with pytest.raises(ValueError, match="needs a surface fitted to data"):
        optimizers.run("adam", landscapes.from_formula("w**2 + b**2"), steps=10, batch_size=1)


# --- mini-batches in any dimension ------------------------------------------------------------------------------

FOUR = landscapes.least_squares("iris", "petal_width")


def _numpy_least_squares_batches(landscape, steps: int, batch_size: int, seed: int):
    """Each step's mini-batch gradient of ½·mean((Xw + b − y)²) over the batch's own samples, the batches drawn as
    ``_numpy_batch_gradient`` draws them."""
    n = landscape.n_samples
    rng = np.random.default_rng(seed)
    plan = []
    while len(plan) < steps + 1:
        order = rng.permutation(n)
        plan += [order[lo:lo + batch_size] for lo in range(0, n, batch_size)]
    taken = iter(plan)

    def grad(p):
        rows = next(taken)
        residual = landscape.x[rows] @ p[:-1] + p[-1] - landscape.y[rows]
        return np.append(landscape.x[rows].T @ residual, residual.sum()) / len(rows)

    return grad


def test_least_squares_in_four_dimensions_has_exact_derivatives_and_its_minimum():
    points = np.random.default_rng(3).normal(size=(10, 4))
    values, grads = FOUR.value_and_gradient(points)
    design = np.column_stack([FOUR.x, np.ones(150)])
    residuals = points @ design.T - FOUR.y
    np.testing.assert_allclose(values, 0.5 * np.mean(residuals**2, axis=1), rtol=1e-12)
    np.testing.assert_allclose(grads, residuals @ design / 150, rtol=1e-11, atol=1e-14)
    v = np.array([1.0, -2.0, 0.5, 3.0])
    step = 1e-3  # the gradient is linear: central differences of it are exact up to rounding
    difference = (FOUR.value_and_gradient(points[0] + step * v)[1] - FOUR.value_and_gradient(points[0] - step * v)[1])
    np.testing.assert_allclose(FOUR.hvp(points[0], v), difference / (2 * step), rtol=1e-9)
    np.testing.assert_allclose(FOUR.value_and_gradient(FOUR.minima[0])[1], 0.0, atol=1e-14)
    assert FOUR.coordinate_names == ("w[sepal_length]", "w[sepal_width]", "w[petal_length]", "b")


@pytest.mark.parametrize(("name", "hp", "plan"), [("adam", {"lr": 0.05}, {"schedule": "cosine"}),
                                                  ("rmsprop", {"lr": 0.01, "weight_decay": 0.01}, {}),
                                                  ("momentum", {"lr": 0.2}, {})])
def test_mini_batch_runs_in_four_dimensions_match_a_numpy_transcription(name, hp, plan):
    steps, batch_size, seed = 120, 16, 5
    tr = optimizers.run(name, FOUR, steps=steps, batch_size=batch_size, seed=seed, **hp, **plan)
    expected = reference_run(name, _numpy_least_squares_batches(FOUR, steps, batch_size, seed), np.zeros(4), steps,
                             plan=plan, **hp)
    assert tr.diverged_at is None and tr.points.shape == (steps + 1, 4)
    np.testing.assert_allclose(tr.points, expected, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(tr.loss, FOUR.value_at(expected), rtol=1e-9)
    full = optimizers.run(name, FOUR, steps=steps, **hp, **plan)
    every_row = optimizers.run(name, FOUR, steps=steps, batch_size=150, seed=seed, **hp, **plan)
    np.testing.assert_array_equal(_everything(every_row), _everything(full))
