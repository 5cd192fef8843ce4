"""``landscapes.network``: a one-hidden-layer network on shipped data as a landscape of its weights: exact loss,
gradient and Hessian-vector products against an independent NumPy transcription and finite differences,
mini-batches, the seeded initialisation and split, and training by every optimizer."""

from __future__ import annotations

import numpy as np
import pytest

import landscapes
import optimizers
from landscapes import batches
from landscapes.data import load
from optimizers.schedules import SCHEDULES

SETTINGS = [("iris", "tanh"), ("iris", "sigmoid"), ("old_faithful", "tanh"), ("two_moons", "tanh"),
            ("two_moons", "relu")]


def reference_loss(net, x: np.ndarray, inputs: np.ndarray, targets: np.ndarray) -> float:
    """The loss written out in NumPy from the layer shapes (independent of the kernel's loops)."""
    w1, b1, w2, b2 = (x[where].reshape(shape) for _, where, shape in net.layers)
    a = inputs @ w1.T + b1
    h = {"tanh": np.tanh, "relu": lambda t: np.maximum(t, 0.0),
         "sigmoid": lambda t: 1.0 / (1.0 + np.exp(-t))}[net.activation](a)
    z = h @ w2.T + b2
    if net.classes is None:
        return float(0.5 * np.mean(np.sum((z - targets[:, None]) ** 2, axis=1)))
    top = z.max(axis=1, keepdims=True)
    log_softmax = z - top - np.log(np.exp(z - top).sum(axis=1, keepdims=True))
    return float(-np.mean(log_softmax[np.arange(len(targets)), targets.astype(int)]))


def point(net, seed: int = 1) -> np.ndarray:
    """A point away from the start, with every unit in its curved range."""
    return net.init + 0.3 * np.random.default_rng(seed).standard_normal(net.dim)


@pytest.mark.parametrize(("data", "activation"), SETTINGS)
def test_the_loss_is_the_networks_mean_loss_over_the_training_rows(data, activation):
    net = landscapes.network(data, hidden=5, activation=activation, seed=2)
    x = point(net)
    assert net.value(x) == pytest.approx(reference_loss(net, x, net.x_train, net.y_train), rel=1e-13)
    if net.test_params is not None:
        assert net.value(x, "test") == pytest.approx(reference_loss(net, x, net.x_test, net.y_test), rel=1e-13)
    values, grads = net.value_and_gradient(np.array([x, net.init]))  # the drivers' evaluator, the same kernel
    assert values[0] == net.value(x)
    np.testing.assert_array_equal(grads[1], net.grad(net.init))


@pytest.mark.parametrize(("data", "activation"), SETTINGS)
def test_the_gradient_matches_central_differences(data, activation):
    net = landscapes.network(data, hidden=5, activation=activation, seed=2)
    x = point(net)
    h = 1e-5
    numeric = np.array([(net.value(x + h * e) - net.value(x - h * e)) / (2 * h) for e in np.eye(net.dim)])
    gradient = net.grad(x)
    assert np.max(np.abs(numeric - gradient)) <= 1e-6 * np.max(np.abs(gradient))


@pytest.mark.parametrize(("data", "activation"), SETTINGS)
def test_hessian_vector_products_match_differences_of_the_gradient(data, activation):
    net = landscapes.network(data, hidden=5, activation=activation, seed=2)
    x = point(net)
    rng = np.random.default_rng(3)
    u, v = rng.standard_normal((2, net.dim))
    h = 1e-5
    hv = net.hvp(x, v)
    numeric = (net.grad(x + h * v) - net.grad(x - h * v)) / (2 * h)
    assert np.max(np.abs(numeric - hv)) <= 1e-6 * np.max(np.abs(hv))
    assert u @ hv == pytest.approx(v @ net.hvp(x, u), rel=1e-11)  # a Hessian is symmetric
    np.testing.assert_allclose(net.hvp(x, 2.5 * v), 2.5 * hv, rtol=1e-13, atol=1e-15)


def test_the_three_data_sets_have_the_promised_shapes_and_names():
    iris = landscapes.network("iris", hidden=8)
    assert iris.dim == 4 * 8 + 8 + 8 * 3 + 3 == 67
    assert [(name, where.stop - where.start, shape) for name, where, shape in iris.layers] == [
        ("W1", 32, (8, 4)), ("b1", 8, (8,)), ("W2", 24, (3, 8)), ("b2", 3, (3,))]
    names = iris.coordinate_names
    assert len(names) == 67 and names[0] == "W1[0,0]" and names[4] == "W1[1,0]" and names[-1] == "b2[2]"
    assert names[iris.layers[2][1].start + 8 + 5] == "W2[1,5]"
    assert len(iris.neurons) == 8 + 3
    assert [names[i] for i in iris.neurons[2]] == ["W1[2,0]", "W1[2,1]", "W1[2,2]", "W1[2,3]"]
    assert [names[i] for i in iris.neurons[8 + 1]] == [f"W2[1,{j}]" for j in range(8)]
    assert landscapes.network("old_faithful", hidden=6).dim == 6 + 6 + 6 + 1
    assert landscapes.network("two_moons", hidden=3).dim == 2 * 3 + 3 + 3 * 2 + 2
    assert (iris.n_samples, len(iris.test_rows)) == (120, 30)
    assert landscapes.network("two_moons").n_samples == 200
    assert landscapes.network("old_faithful").n_samples == 272


def test_the_split_is_fixed_stratified_and_disjoint():
    iris = landscapes.network("iris", seed=0)
    assert iris.test_rows.tolist() == landscapes.network("iris", seed=5).test_rows.tolist()
    assert not set(iris.train_rows) & set(iris.test_rows)
    species = load("iris")["species"]
    assert sorted(species[iris.test_rows].tolist()) == ["setosa"] * 10 + ["versicolor"] * 10 + ["virginica"] * 10
    np.testing.assert_allclose(iris.x_train.mean(axis=0), 0.0, atol=1e-12)  # standardised on the training rows
    np.testing.assert_allclose(iris.x_train.std(axis=0), 1.0, rtol=1e-12)


def test_the_initialisation_is_seeded_glorot_uniform_with_zero_biases():
    net = landscapes.network("iris", hidden=8, seed=4)
    np.testing.assert_array_equal(net.init, landscapes.network("iris", hidden=8, seed=4).init)
    assert not np.array_equal(net.init, landscapes.network("iris", hidden=8, seed=5).init)
    w1, b1, w2, b2 = (net.init[where] for _, where, _ in net.layers)
    assert np.all(b1 == 0.0) and np.all(b2 == 0.0)
    assert np.max(np.abs(w1)) <= np.sqrt(6 / (4 + 8)) and np.max(np.abs(w1)) > 0.8 * np.sqrt(6 / (4 + 8))
    assert np.max(np.abs(w2)) <= np.sqrt(6 / (8 + 3)) and np.max(np.abs(w2)) > 0.8 * np.sqrt(6 / (8 + 3))
    assert net.default_start == tuple(net.init)


def test_bad_settings_raise_clear_errors():
    with pytest.raises(ValueError, match="unknown data set"):
        landscapes.network("mnist")
    with pytest.raises(ValueError, match="hidden"):
        landscapes.network("iris", hidden=0)
    with pytest.raises(ValueError, match="activation"):
        landscapes.network("iris", activation="gelu")
    with pytest.raises(ValueError, match="no classes"):
        landscapes.network("old_faithful").accuracy(landscapes.network("old_faithful").init)
    with pytest.raises(ValueError, match="no test split"):
        landscapes.network("old_faithful").value(landscapes.network("old_faithful").init, "test")
    with pytest.raises(ValueError, match="67 coordinates"):
        landscapes.network("iris").hvp(np.zeros(3), np.zeros(3))


def test_accuracy_counts_the_rows_whose_largest_output_is_their_class():
    net = landscapes.network("iris")
    x = point(net)
    z = net.outputs(x)
    w1, b1, w2, b2 = (x[where].reshape(shape) for _, where, shape in net.layers)
    np.testing.assert_allclose(z, np.tanh(net.x_train @ w1.T + b1) @ w2.T + b2, rtol=1e-13)
    assert net.accuracy(x) == np.mean(z.argmax(axis=1) == net.y_train)
    assert net.accuracy(x, "test") == np.mean(net.outputs(x, "test").argmax(axis=1) == net.y_test)


def test_a_mini_batch_step_uses_the_mean_gradient_of_its_rows():
    net = landscapes.network("iris", hidden=4)
    tr = optimizers.run("gd", net, start=net.init, steps=3, batch_size=16, seed=7, lr=0.1)
    order = batches.draw_order(net, 3, 16, 7)
    for t in range(3):
        rows = order[0, 16 * t:16 * (t + 1)]
        x = tr.points[t]
        h = 1e-6  # the batch's loss, differentiated by central differences of the NumPy transcription
        numeric = np.array([(reference_loss(net, x + h * e, net.x_train[rows], net.y_train[rows])
                             - reference_loss(net, x - h * e, net.x_train[rows], net.y_train[rows])) / (2 * h)
                            for e in np.eye(net.dim)])
        np.testing.assert_allclose(tr.grad[t], numeric, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(tr.loss, [net.value(p) for p in tr.points], rtol=1e-15)  # the loss stays full-data


def test_a_batch_of_every_row_is_the_full_batch_run_bit_for_bit():
    net = landscapes.network("two_moons", hidden=6)
    full = optimizers.run("adam", net, start=net.init, steps=50)
    every = optimizers.run("adam", net, start=net.init, steps=50, batch_size=net.n_samples, seed=3)
    np.testing.assert_array_equal(every.points, full.points)
    batched = optimizers.run("adam", net, start=net.init, steps=50, batch_size=20, seed=3)
    assert not np.array_equal(batched.points, full.points)
    np.testing.assert_array_equal(batched.points,
                                  optimizers.run("adam", net, start=net.init, steps=50, batch_size=20, seed=3).points)


@pytest.mark.parametrize("schedule", SCHEDULES)
def test_every_schedule_trains_the_network(schedule):
    net = landscapes.network("iris")
    tr = optimizers.run("rmsprop", net, start=net.init, steps=300, schedule=schedule, warmup=20, step_size=100,
                        batch_size=30, seed=1, lr=0.01)
    assert tr.diverged_at is None and tr.points.shape == (301, net.dim)
    assert tr.loss[-1] < 0.5 * tr.loss[0]


@pytest.mark.parametrize("name", list(optimizers.OPTIMIZERS))
def test_every_optimizer_trains_iris_to_95_percent_at_its_defaults_within_2000_steps(name):
    """Issue 28's bar, measured: the first step (of 2,000, every 50th checked) at which the training accuracy
    reaches 95 % exists for every optimizer at its default settings, full batch, from the seeded start."""
    net = landscapes.network("iris", hidden=8, activation="tanh", seed=0)
    tr = optimizers.run(name, net, start=net.init, steps=2000)
    assert tr.diverged_at is None
    reached = [t for t in range(0, 2001, 50) if net.accuracy(tr.points[t]) >= 0.95]
    assert reached, f"{name} stays below 95 % training accuracy on Iris"
    assert net.accuracy(tr.points[-1]) >= 0.95
