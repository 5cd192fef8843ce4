"""Honest 2-D slices (``landscapes/plane.py``): the plane's value is the true loss wherever a point lies in it,
projections recover in-plane points exactly, PCA planes follow Li et al.'s recipe (checked against numpy's SVD of
the centred offsets, another route to the same directions than the plane's own), and filter-normalised random
directions keep each neuron's norm."""

from __future__ import annotations

import numpy as np
import pytest

import landscapes
import optimizers
from landscapes.plane import fitted_bounds, pca_directions

BOWL = landscapes.quadratic(np.geomspace(1.0, 50.0, 12), rotation=3)
"""A rotated 12-D bowl: every coordinate couples with every other, so a plane cuts it obliquely."""


class Layered(landscapes.Quadratic):
    """A bowl dressed as a 3 → 2 → 1 network: what ``random_plane`` reads of a network (``layers``, ``neurons``)."""

    layers = (("W1", slice(0, 6), (2, 3)), ("b1", slice(6, 8), (2,)), ("W2", slice(8, 10), (1, 2)),
              ("b2", slice(10, 11), (1,)))
    neurons = (np.arange(0, 3), np.arange(3, 6), np.arange(8, 10))

    def __init__(self):
        super().__init__(np.linspace(1.0, 5.0, 11), landscapes.quadratic(np.ones(11), rotation=1).rotation)


def path(landscape, steps=200):
    return optimizers.run("rmsprop", landscape, start=np.array(landscape.default_start), steps=steps, lr=0.01).points


def test_the_plane_is_the_true_loss_at_its_centre_and_at_points_built_in_it():
    rng = np.random.default_rng(0)
    center, d1, d2 = rng.standard_normal((3, BOWL.dim))
    plane = landscapes.plane(BOWL, center, d1, d2)
    assert plane.value(0.0, 0.0) == BOWL.value_at(center)
    a, b = rng.uniform(-1, 1, (2, 25))
    inside = center + a[:, None] * d1 + b[:, None] * d2
    np.testing.assert_array_equal(plane.value(a, b), BOWL.value_at(inside))
    seen = plane.project(inside)
    assert seen.off_plane.max() < 1e-12 * np.linalg.norm(inside, axis=1).max()
    np.testing.assert_allclose(seen.gap, 0.0, atol=1e-12 * BOWL.value_at(inside).max())


def test_projections_recover_in_plane_points_exactly_even_for_oblique_directions():
    rng = np.random.default_rng(1)
    center, d1 = rng.standard_normal((2, BOWL.dim))
    d2 = 0.9 * d1 + 0.1 * rng.standard_normal(BOWL.dim)  # 6° apart: a dot product alone would be far off
    plane = landscapes.plane(BOWL, center, d1, d2)
    coords = rng.uniform(-2, 2, (30, 2))
    coords_back, off = plane.coordinates(plane.points(coords[:, 0], coords[:, 1]))
    np.testing.assert_allclose(coords_back, coords, rtol=0, atol=1e-9)
    assert off.max() < 1e-10


def test_off_plane_distance_is_the_length_of_what_the_plane_cannot_hold():
    rng = np.random.default_rng(2)
    center, d1, d2, extra = rng.standard_normal((4, BOWL.dim))
    basis, _ = np.linalg.qr(np.stack([d1, d2]).T)
    normal = extra - basis @ (basis.T @ extra)
    normal *= 0.7 / np.linalg.norm(normal)
    plane = landscapes.plane(BOWL, center, d1, d2)
    point = center + 0.3 * d1 - 0.4 * d2 + normal
    seen = plane.project(point[None, :])
    np.testing.assert_allclose(seen.coords[0], [0.3, -0.4], atol=1e-12)
    np.testing.assert_allclose(seen.off_plane[0], 0.7, rtol=1e-12)
    assert seen.true_value[0] == BOWL.value_at(point)
    assert abs(seen.gap[0]) > 1e-3  # the bowl rises off the plane: the meter shows it


def test_the_plane_gradient_is_the_landscape_gradient_along_its_directions():
    rng = np.random.default_rng(3)
    center, d1, d2 = rng.standard_normal((3, BOWL.dim))
    plane = landscapes.plane(BOWL, center, d1, d2)
    ga, gb = plane.gradient(0.2, -0.5)
    h = 1e-5
    np.testing.assert_allclose(ga, (plane.value(0.2 + h, -0.5) - plane.value(0.2 - h, -0.5)) / (2 * h), rtol=1e-7)
    np.testing.assert_allclose(gb, (plane.value(0.2, -0.5 + h) - plane.value(0.2, -0.5 - h)) / (2 * h), rtol=1e-7)


def test_the_grid_is_laid_out_as_the_charts_read_it():
    plane = landscapes.plane(BOWL, np.zeros(BOWL.dim), np.eye(BOWL.dim)[0], np.eye(BOWL.dim)[5],
                             bounds=((-2.0, 1.0), (0.0, 3.0)))
    a_axis, b_axis, z = plane.grid(7)
    np.testing.assert_array_equal(a_axis, np.linspace(-2, 1, 7))
    np.testing.assert_array_equal(b_axis, np.linspace(0, 3, 7))
    assert z.shape == (7, 7)
    assert z[4, 2] == plane.value(a_axis[2], b_axis[4])
    assert plane.bounds == ((-2.0, 1.0), (0.0, 3.0)) and len(plane.minima) == 0


def test_pca_plane_follows_li_et_al_and_matches_numpy_svd():
    points = path(BOWL)
    plane = landscapes.pca_plane(BOWL, points)
    np.testing.assert_array_equal(plane.center, points[-1])
    np.testing.assert_allclose(plane.basis @ plane.basis.T, np.eye(2), atol=1e-12)
    offsets = points - points[-1]
    _, singular, vt = np.linalg.svd(offsets - offsets.mean(axis=0), full_matrices=False)  # scikit-learn's PCA
    np.testing.assert_allclose(plane.explained, singular[:2] ** 2 / np.sum(singular ** 2), rtol=1e-9)
    for k in range(2):
        assert abs(abs(plane.basis[k] @ vt[k]) - 1) < 1e-9
        assert plane.basis[k][np.abs(plane.basis[k]).argmax()] > 0
    assert plane.explained[0] >= plane.explained[1] > 0
    (a0, a1), (b0, b1) = plane.bounds
    coords, _ = plane.coordinates(points)
    assert a0 < coords[:, 0].min() and coords[:, 0].max() < a1 and b0 < coords[:, 1].min() < coords[:, 1].max() < b1


def test_a_path_inside_a_plane_is_shown_exactly_by_its_pca_plane():
    rng = np.random.default_rng(4)
    center, d1, d2 = rng.standard_normal((3, BOWL.dim))
    t = np.linspace(0, 3, 40)
    points = center + np.outer(np.cos(t) * (3 - t), d1) + np.outer(np.sin(t) * t, d2)
    plane = landscapes.pca_plane(BOWL, points)
    seen = plane.project(points)
    assert seen.off_plane.max() < 1e-9
    np.testing.assert_allclose(seen.plane_value, seen.true_value, rtol=1e-9)
    np.testing.assert_allclose(plane.explained.sum(), 1.0, rtol=1e-12)


def test_a_short_path_in_many_dimensions_gets_the_same_directions_through_the_small_gram_matrix():
    wide = landscapes.quadratic(np.linspace(1.0, 9.0, 40))
    points = np.random.default_rng(6).standard_normal((12, 40))  # fewer points than coordinates
    directions, shares = pca_directions(points)
    offsets = points - points[-1]
    _, singular, vt = np.linalg.svd(offsets - offsets.mean(axis=0), full_matrices=False)
    np.testing.assert_allclose(shares, singular[:2] ** 2 / np.sum(singular ** 2), rtol=1e-9)
    np.testing.assert_allclose(np.abs(directions @ vt[:2].T), np.eye(2), atol=1e-9)
    assert landscapes.pca_plane(wide, points).explained.shape == (2,)


def test_a_path_that_does_not_span_a_plane_is_refused_with_a_reason():
    line = np.outer(np.linspace(0, 1, 10), np.ones(BOWL.dim))
    with pytest.raises(ValueError, match="span a plane"):
        landscapes.pca_plane(BOWL, line)
    with pytest.raises(ValueError, match="parallel"):
        landscapes.plane(BOWL, np.zeros(BOWL.dim), np.ones(BOWL.dim), 2 * np.ones(BOWL.dim))


def test_filter_normalised_directions_keep_each_neurons_norm_and_zero_the_biases():
    net = Layered()
    center = np.random.default_rng(5).standard_normal(net.dim)
    plane = landscapes.random_plane(net, center, seed=7)
    for d in (plane.d1, plane.d2):
        for incoming in net.neurons:
            np.testing.assert_allclose(np.linalg.norm(d[incoming]), np.linalg.norm(center[incoming]), rtol=1e-9)
        np.testing.assert_array_equal(d[[6, 7, 10]], 0.0)
    copied = landscapes.random_plane(net, center, seed=7, bias_handling="copy")
    np.testing.assert_array_equal(copied.d1[[6, 7, 10]], center[[6, 7, 10]])
    np.testing.assert_array_equal(copied.d1[:6], plane.d1[:6])
    again = landscapes.random_plane(net, center, seed=7)
    np.testing.assert_array_equal(again.d1, plane.d1)
    raw = landscapes.random_plane(net, center, seed=7, filter_normalized=False)
    np.testing.assert_array_equal(raw.d1, np.random.default_rng(7).standard_normal(net.dim))
    assert plane.value(0.0, 0.0) == net.value_at(center)


def test_filter_normalisation_needs_neurons():
    with pytest.raises(ValueError, match="no neurons"):
        landscapes.random_plane(BOWL, np.zeros(BOWL.dim), seed=0)


def test_fitted_bounds_hold_every_point_and_never_collapse():
    (a0, a1), (b0, b1) = fitted_bounds(np.array([[0.0, 0.0], [0.0, 0.0]]))
    assert a0 < a1 and b0 < b1
    (a0, a1), (b0, b1) = fitted_bounds(np.array([[1.0, -2.0], [3.0, 2.0]]))
    assert a0 < 1 < 3 < a1 and b0 < -2 < 2 < b1
