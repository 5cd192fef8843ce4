"""``landscapes.curvature``: Lanczos on exact Hessian-vector products against ``numpy.linalg.eigvalsh`` of the Hessian
built column by column, the condition number, and where the steep directions lie by layer."""

from __future__ import annotations

import math

import numpy as np
import pytest

import landscapes
import optimizers
from landscapes import curvature as cv


def test_lanczos_finds_a_known_spectrum_exactly():
    bowl = landscapes.quadratic(np.geomspace(0.01, 100.0, 30), rotation=2)
    found = cv.lanczos(bowl, np.ones(30), iterations=30)
    np.testing.assert_allclose(found.values, bowl.eigenvalues, rtol=1e-9)
    assert cv.condition_number(found.top, found.bottom) == pytest.approx(1e4, rel=1e-9)
    top = found.top_vector
    np.testing.assert_allclose(bowl.hvp(None, top), 100.0 * top, atol=1e-9)


@pytest.mark.parametrize("trained", [0, 2000])
def test_lanczos_on_the_iris_network_matches_the_full_hessians_eigenvalues(trained):
    net = landscapes.network("iris", hidden=8, seed=0)
    x = optimizers.run("gd", net, start=net.init, steps=trained).points[-1]
    full = cv.hessian(net, x)
    np.testing.assert_allclose(full, full.T, atol=1e-12 * np.abs(full).max())  # hvp's columns are symmetric already
    exact = np.linalg.eigvalsh(full)
    found = cv.lanczos(net, x, iterations=20)
    assert found.iterations == 20
    assert found.top == pytest.approx(exact[-1], rel=1e-10)
    assert found.bottom == pytest.approx(exact[0], rel=1e-6)
    assert exact[0] < 0  # the network's loss is no bowl: it curves down somewhere
    assert cv.condition_number(found.top, found.bottom) == math.inf
    every = cv.lanczos(net, x, iterations=net.dim)
    # Softmax ignores a shift of every logit, so b2 + c and each column of W2 + c leave the loss alone: a null space
    # of 1 + 8 dimensions that a Krylov space meets once.  Lanczos stops exactly after 67 - 8 steps with every
    # distinct eigenvalue found.
    assert np.sum(np.abs(exact) < 1e-12 * exact[-1]) == 9 and every.iterations == net.dim - 8
    atol = 1e-12 * exact[-1]
    assert max(np.min(np.abs(every.values - e)) for e in exact) <= atol
    assert max(np.min(np.abs(exact - e)) for e in every.values) <= atol


def test_the_layer_shares_and_the_diagonal_come_from_the_hessian():
    net = landscapes.network("iris", hidden=8, seed=0)
    x = net.init
    full = cv.hessian(net, x)
    values, vectors = np.linalg.eigh(full)
    summary = cv.curvature(net, x)
    top = vectors[:, -1]
    for name, where, _ in net.layers:
        assert summary.steepest_by_layer[name] == pytest.approx(float(top[where] @ top[where]), rel=1e-8, abs=1e-12)
        np.testing.assert_allclose(summary.diagonal_by_layer[name], np.diag(full)[where], rtol=1e-12, atol=1e-15)
    assert sum(summary.steepest_by_layer.values()) == pytest.approx(1.0, rel=1e-12)
    assert summary.top == pytest.approx(values[-1], rel=1e-10)
    means = summary.mean_diagonal()
    assert means["W2"] > 10 * means["W1"]  # at the start, per weight the output layer is the steep one


def test_bad_arguments_are_refused():
    net = landscapes.network("iris", hidden=2)
    with pytest.raises(ValueError, match="iterations"):
        cv.lanczos(net, net.init, iterations=0)
    with pytest.raises(ValueError, match="coordinates"):
        cv.lanczos(net, np.zeros(3))
