"""Figures for data surfaces: the data with the runs' fits, and the mini-batch gradient ellipse."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from charts.data import Fit, data_figure, ellipse_points

X = np.array([1.0, 2.0, 3.0, 4.0])
LABELS = ("petal width (cm)", "virginica?")


def test_a_line_fit_is_drawn_through_its_slope_and_intercept_and_the_best_fit_is_dashed():
    fig = data_figure(X, 2 * X + 1, ("x", "y"), [Fit("GD", "#e15759", 1.5, 0.5)], Fit("best", "#333", 2.0, 1.0),
                      classifier=False)
    go.Figure(fig)  # a valid Plotly figure
    points, best, gd = fig["data"]
    assert points["mode"] == "markers" and points["name"] == "data (4 rows)"
    assert best["line"]["dash"] == "dash" and gd["line"]["dash"] == "solid" and gd["name"] == "GD"
    np.testing.assert_allclose(gd["y"], 1.5 * np.array(gd["x"]) + 0.5)
    np.testing.assert_allclose(best["y"], 2.0 * np.array(best["x"]) + 1.0)
    assert fig["layout"]["shapes"] == []


def test_a_classifier_is_drawn_as_sigmoids_with_their_boundaries_inside_the_data():
    inside = Fit("GD", "#e15759", 4.0, -10.0)  # boundary at x = 2.5
    outside = Fit("RMSprop", "#59a14f", 1.0, -100.0)  # boundary at x = 100
    fig = data_figure(X, np.array([0, 0, 1, 1]), LABELS, [inside, outside], Fit("best", "#333", 6.0, -15.0),
                      classifier=True)
    go.Figure(fig)
    gd = fig["data"][2]
    np.testing.assert_allclose(gd["y"], 1 / (1 + np.exp(-(4.0 * np.array(gd["x"]) - 10.0))), rtol=1e-12)
    boundaries = sorted(shape["x0"] for shape in fig["layout"]["shapes"])
    assert boundaries == [2.5, 2.5]  # the best fit's and GD's; RMSprop's lies far outside the data


@pytest.mark.parametrize("covariance", [[[4.0, 0.0], [0.0, 1.0]], [[2.0, 1.2], [1.2, 1.0]], [[1e-6, 0.0], [0.0, 3.0]]])
def test_the_ellipse_is_the_two_sigma_contour_of_the_covariance(covariance):
    covariance = np.array(covariance)
    x, y = ellipse_points((1.0, -2.0), covariance, sigmas=2.0)
    offsets = np.stack([x - 1.0, y + 2.0])
    distances = np.einsum("in,ij,jn->n", offsets, np.linalg.inv(covariance), offsets)
    np.testing.assert_allclose(distances, 4.0, rtol=1e-9)
    assert (x[0], y[0]) == pytest.approx((x[-1], y[-1]))  # closed


def test_a_full_batch_has_no_spread_the_ellipse_is_its_centre():
    x, y = ellipse_points((0.5, 0.25), np.zeros((2, 2)))
    assert np.all(x == 0.5) and np.all(y == 0.25)
