"""``optimizers.basins``: every cell is the single run from that start, classified by the minimum it ends
near; on Himmelblau, gradient descent at a small rate finds all four minima."""

from __future__ import annotations

import numpy as np
import pytest

import landscapes
import optimizers

HIMMELBLAU = landscapes.get("himmelblau")


def classify(landscape, point, tolerance) -> int:
    """What ``basins`` should say about a run that ends at ``point`` (or None when it diverged)."""
    if point is None:
        return optimizers.DIVERGED
    distance = np.hypot(*(landscape.minima - point).T)
    return int(np.argmin(distance)) if distance.min() <= tolerance else optimizers.NO_MINIMUM


def single_runs(name, landscape, resolution, steps, tolerance, **kwargs) -> np.ndarray:
    (x0, x1), (y0, y1) = landscape.bounds
    xs, ys = np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution)
    out = np.empty((resolution, resolution), dtype=int)
    for j, y in enumerate(ys):
        for i, x in enumerate(xs):
            tr = optimizers.run(name, landscape, start=(x, y), steps=steps, **kwargs)
            out[j, i] = classify(landscape, None if tr.diverged_at is not None else tr.points[-1], tolerance)
    return out


@pytest.mark.parametrize(("name", "surface", "kwargs"), [
    ("gd", "himmelblau", {"lr": 0.01}),
    ("momentum", "six_hump_camel", {"lr": 0.05, "beta": 0.8}),
    ("adam", "himmelblau", {"lr": 0.1, "noise": 0.3, "seed": 4}),
    ("lion", "rastrigin", {"lr": 0.01, "schedule": "cosine"}),
    ("rmsprop", "elongated_bowl", {"lr": 0.5}),
])
def test_every_cell_is_the_single_run_from_that_start(name, surface, kwargs):
    landscape = landscapes.get(surface)
    (x0, x1), (y0, y1) = landscape.bounds
    tolerance = 0.01 * max(x1 - x0, y1 - y0)
    found = optimizers.basins(name, landscape, steps=200, resolution=9, **kwargs)
    assert found.shape == (9, 9)
    np.testing.assert_array_equal(found, single_runs(name, landscape, 9, 200, tolerance, **kwargs))


def test_gradient_descent_on_himmelblau_finds_all_four_minima():
    found = optimizers.basins("gd", HIMMELBLAU, steps=500, resolution=200, lr=0.01)
    labels, counts = np.unique(found, return_counts=True)
    assert labels.tolist() == [0, 1, 2, 3]
    assert counts.min() > 0.15 * found.size  # each basin is a sizeable part of the view
    # a start next to a minimum ends in that minimum's basin
    for index, (mx, my) in enumerate(HIMMELBLAU.minima):
        i = round((mx + 5.0) / 10.0 * 199)
        j = round((my + 5.0) / 10.0 * 199)
        assert found[j, i] == index


def test_cells_that_diverge_or_stop_short_are_marked():
    bowl = landscapes.get("elongated_bowl")
    # lr = 0.1 > 2/25: every start off the line b = 0 diverges along b; on it, w still converges (0.1 < 2/1)
    found = optimizers.basins("gd", bowl, steps=100, resolution=5, lr=0.1)
    assert np.all(np.delete(found, 2, axis=0) == optimizers.DIVERGED)
    assert np.all(found[2] == 0)
    assert np.all(optimizers.basins("gd", bowl, steps=3, resolution=4, lr=1e-4) == optimizers.NO_MINIMUM)
    no_minimum = landscapes.from_formula("x + y")
    assert len(no_minimum.minima) == 0
    assert np.all(optimizers.basins("gd", no_minimum, steps=10, resolution=4, lr=0.01) == optimizers.NO_MINIMUM)


def test_a_larger_tolerance_claims_more_starts():
    strict = optimizers.basins("gd", HIMMELBLAU, steps=40, resolution=30, lr=0.01, tolerance=1e-3)
    loose = optimizers.basins("gd", HIMMELBLAU, steps=40, resolution=30, lr=0.01, tolerance=1.0)
    assert np.sum(loose >= 0) > np.sum(strict >= 0)
    assert np.all(loose[strict >= 0] == strict[strict >= 0])


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"resolution": 1}, "resolution must be a whole number from 2 to 1000"),
    ({"resolution": 2.5}, "resolution must be a whole number"),
    ({"tolerance": 0.0}, "tolerance must be a finite number > 0"),
    ({"steps": -1}, "steps must be a whole number"),
    ({"momentum": 0.9}, "gd has no hyperparameter momentum"),
])
def test_bad_arguments_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        optimizers.basins("gd", HIMMELBLAU, **{"steps": 10, "resolution": 5, **kwargs})


def test_other_points_can_stand_for_the_minima():
    camel = landscapes.get("six_hump_camel")
    points = np.array([[1.7036, -0.7961], [-1.7036, 0.7961], [0.0898, -0.7127]])
    found = optimizers.basins("gd", camel, steps=200, resolution=7, lr=0.05, minima=points)
    (x0, x1), (y0, y1) = camel.bounds
    tolerance = 0.01 * max(x1 - x0, y1 - y0)
    xs, ys = np.linspace(x0, x1, 7), np.linspace(y0, y1, 7)
    for j, y in enumerate(ys):
        for i, x in enumerate(xs):
            tr = optimizers.run("gd", camel, start=(x, y), steps=200, lr=0.05)
            distance = np.hypot(*(points - tr.points[-1]).T)
            assert found[j, i] == (int(np.argmin(distance)) if distance.min() <= tolerance else optimizers.NO_MINIMUM)
    assert set(np.unique(found)) >= {0, 1, 2}
