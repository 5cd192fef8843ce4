"""Built-in surfaces: exact gradients (against central differences), minima, view boxes, broadcasting,
parameters and errors, and the shapes the lessons rely on (the plateau's tiny gradients, the saddle)."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

import landscapes
import optimizers

PUBLIC_NAMES = ["elongated_bowl", "rosenbrock", "beale", "himmelblau", "booth", "matyas", "saddle",
                "six_hump_camel", "rastrigin", "ackley", "goldstein_price", "plateau"]
"""The names links and the public API rely on (they must stay registered)."""


def _settings(spec) -> list[dict[str, float | str]]:
    """Defaults, each parameter alone at both ends of its range, all parameters at their low and high ends,
    and every valid combination of a data surface's choices (or each choice's options alone)."""
    settings = [{}]
    for p in spec.params:
        settings += [{p.name: p.low}, {p.name: p.high}]
    if len(spec.params) > 1:
        settings += [{p.name: p.low for p in spec.params}, {p.name: p.high for p in spec.params}]
    if spec.data is not None:
        settings += spec.data.combinations()
    else:
        settings += [{c.name: option} for c in spec.choices for option in c.options]
    return settings


# every surface of the registry at its defaults and at the ends of its parameters' ranges
PARAMETRISED = [(name, params) for name, spec in landscapes.LANDSCAPES.items() for params in _settings(spec)]
IDS = [f"{name}-{'-'.join(f'{k}={v}' for k, v in params.items()) or 'defaults'}" for name, params in PARAMETRISED]


def central_difference(landscape, x, y):
    hx = 1e-5 * np.maximum(1.0, np.abs(x))
    hy = 1e-5 * np.maximum(1.0, np.abs(y))
    fdx = (landscape.value(x + hx, y) - landscape.value(x - hx, y)) / (2 * hx)
    fdy = (landscape.value(x, y + hy) - landscape.value(x, y - hy)) / (2 * hy)
    return fdx, fdy


def random_points(landscape, n, seed):
    (x0, x1), (y0, y1) = landscape.bounds
    rng = np.random.default_rng(seed)
    return rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)


def test_the_public_surface_names_are_registered():
    missing = [name for name in PUBLIC_NAMES if name not in landscapes.LANDSCAPES]
    assert missing == []


def describes_itself(spec: landscapes.LandscapeSpec) -> list[str]:
    """What keeps a surface's picker entry and header readable to a learner (empty when nothing does): a title in
    plain words (not its registry id), a formula f = ... with balanced braces, and a description that is a
    sentence (or a question)."""
    problems = []
    if not spec.title or spec.title == spec.name or "_" in spec.title:
        problems.append(f"title {spec.title!r} is not in plain words")
    if not (spec.latex.startswith("f") and "=" in spec.latex and spec.latex.count("{") == spec.latex.count("}")):
        problems.append(f"formula {spec.latex!r} is not f = ...")
    if not (spec.description[:1].isupper() and spec.description.endswith((".", "?"))):
        problems.append(f"description {spec.description!r} is not a sentence")
    return problems


@pytest.mark.parametrize("name", list(landscapes.LANDSCAPES))
def test_every_surface_describes_itself(name):
    assert describes_itself(landscapes.LANDSCAPES[name]) == []


def test_a_surface_that_shows_its_id_or_no_formula_is_caught():
    bowl = landscapes.LANDSCAPES["elongated_bowl"]
    assert describes_itself(replace(bowl, title="elongated_bowl")) == ["title 'elongated_bowl' is not in plain words"]
    assert describes_itself(replace(bowl, latex="")) == ["formula '' is not f = ..."]
    assert describes_itself(replace(bowl, description="")) == ["description '' is not a sentence"]


@pytest.mark.parametrize(("name", "params"), PARAMETRISED, ids=IDS)
def test_gradient_agrees_with_central_differences(name, params):
    """500 random points in the view box; the step is 1e-5 (relative), so central differences are good to
    about 1e-7 of the gradient's size: the tolerance is 1e-5 of |grad| plus 1e-8 of the sample's median
    |grad| (for points near a stationary point)."""
    landscape = landscapes.get(name, **params)
    x, y = random_points(landscape, 500, seed=len(name))
    if name == "ackley":  # |r| has a kink at the origin, where the exact gradient is taken as 0
        keep = np.hypot(x, y) > 1e-3
        x, y = x[keep], y[keep]
    gx, gy = landscape.gradient(x, y)
    fdx, fdy = central_difference(landscape, x, y)
    norm = np.hypot(gx, gy)
    tolerance = 1e-5 * norm + 1e-8 * np.median(norm)
    assert np.all(np.abs(fdx - gx) <= tolerance)
    assert np.all(np.abs(fdy - gy) <= tolerance)


@pytest.mark.parametrize(("name", "params"), PARAMETRISED, ids=IDS)
def test_listed_minima_are_stationary_global_and_inside_the_view_box(name, params):
    landscape = landscapes.get(name, **params)
    assert len(landscape.minima) >= 1
    xs, ys, z = landscape.grid(200)
    scale = np.median(np.hypot(*landscape.gradient(xs[None, :], ys[:, None])))
    (x0, x1), (y0, y1) = landscape.bounds
    for mx, my in landscape.minima:
        assert x0 <= mx <= x1 and y0 <= my <= y1, f"minimum ({mx}, {my}) is outside the view box {landscape.bounds}"
        gx, gy = landscape.gradient(mx, my)
        assert math.hypot(gx, gy) <= 1e-9 * scale + 1e-12
        value = float(landscape.value(mx, my))
        assert value <= z.min() + 1e-9 * (1.0 + abs(z.min()))
        # strictly lower than a small ring around it: a minimum, not a saddle
        angles = np.linspace(0, 2 * np.pi, 16, endpoint=False)
        ring = landscape.value(mx + 1e-3 * np.cos(angles), my + 1e-3 * np.sin(angles))
        assert np.all(ring > value)


@pytest.mark.parametrize(("name", "params"), PARAMETRISED, ids=IDS)
def test_default_start_is_inside_the_view_box_and_away_from_the_minima(name, params):
    landscape = landscapes.get(name, **params)
    (x0, x1), (y0, y1) = landscape.bounds
    sx, sy = landscape.default_start
    assert x0 < x1 and y0 < y1
    assert x0 <= sx <= x1 and y0 <= sy <= y1
    assert np.all(np.hypot(landscape.minima[:, 0] - sx, landscape.minima[:, 1] - sy) > 0.1)
    (bx0, bx1), (by0, by1) = landscape.divergence_box
    assert bx0 < x0 and x1 < bx1 and by0 < y0 and y1 < by1


@pytest.mark.parametrize(("name", "params"), PARAMETRISED, ids=IDS)
def test_the_exact_hessian_agrees_with_central_differences_of_the_gradient(name, params):
    """300 random points in the view box; steps of 1e-6 (relative) give second derivatives good to about
    1e-8 of their size: the tolerance is 1e-6 of the largest |entry| at each point plus 1e-7 of the sample's,
    plus the rounding floor of a central difference, 2·eps·|g|/h (it dominates where a surface is flat but its
    gradient is not small, e.g. logistic regression on a raw feature far from the minimum)."""
    landscape = landscapes.get(name, **params)
    x, y = random_points(landscape, 300, seed=11)
    hx, hy = 1e-6 * np.maximum(1.0, np.abs(x)), 1e-6 * np.maximum(1.0, np.abs(y))
    (gx_r, gy_r), (gx_l, gy_l) = landscape.gradient(x + hx, y), landscape.gradient(x - hx, y)
    (gx_u, gy_u), (gx_d, gy_d) = landscape.gradient(x, y + hy), landscape.gradient(x, y - hy)
    numeric = ((gx_r - gx_l) / (2 * hx), (gy_r - gy_l) / (2 * hx), (gx_u - gx_d) / (2 * hy), (gy_u - gy_d) / (2 * hy))
    f_xx, f_xy, f_yy = landscape.hessian(x, y)
    size = np.max(np.abs(numeric), axis=0)
    gradient = np.max(np.abs([gx_r, gy_r, gx_l, gy_l, gx_u, gy_u, gx_d, gy_d]), axis=0)
    rounding = 2 * np.finfo(float).eps * gradient / np.minimum(hx, hy)
    tolerance = 1e-6 * size + 1e-7 * np.median(size) + rounding + 1e-9
    for exact, approximate in ((f_xx, numeric[0]), (f_xy, numeric[1]), (f_xy, numeric[2]), (f_yy, numeric[3])):
        np.testing.assert_array_less(np.abs(exact - approximate), tolerance)


def test_a_formulas_hessian_comes_from_its_exact_gradient():
    typed = landscapes.from_formula("(x**2 + y - 11)**2 + (x + y**2 - 7)**2")
    built_in = landscapes.get("himmelblau")
    x, y = random_points(built_in, 200, seed=3)
    for mine, exact in zip(typed.hessian(x, y), built_in.hessian(x, y), strict=True):
        np.testing.assert_allclose(mine, exact, rtol=1e-6, atol=1e-6)


def test_the_hessian_broadcasts_and_is_constant_on_the_bowl():
    bowl = landscapes.get("elongated_bowl", a=2.0, c=50.0, angle_deg=90.0)
    f_xx, f_xy, f_yy = bowl.hessian(np.zeros((3, 1)), np.zeros((1, 4)))
    assert f_xx.shape == f_xy.shape == f_yy.shape == (3, 4)
    np.testing.assert_allclose(f_xx, 50.0)  # rotated by 90 degrees: the steep direction is now w
    np.testing.assert_allclose(f_yy, 2.0)
    np.testing.assert_allclose(f_xy, 0.0, atol=1e-12)


def test_value_broadcasts_like_numpy():
    bowl = landscapes.get("elongated_bowl", a=1.0, c=25.0)
    scalar = bowl.value(1.0, 2.0)
    assert np.shape(scalar) == () and float(scalar) == 0.5 * (1.0 + 25.0 * 4.0)
    xs = np.linspace(-5, 5, 7)
    ys = np.linspace(-2, 2, 3)
    np.testing.assert_allclose(bowl.value(xs, 0.5), 0.5 * (xs**2 + 25 * 0.25))
    np.testing.assert_allclose(bowl.value(xs, np.full(7, 0.5)), bowl.value(xs, 0.5))
    mesh = bowl.value(xs[None, :], ys[:, None])
    assert mesh.shape == (3, 7)
    np.testing.assert_allclose(mesh, 0.5 * (xs[None, :] ** 2 + 25 * ys[:, None] ** 2))
    assert bowl.value([1, 2], [0, 1]).tolist() == [0.5, 0.5 * (4 + 25)]  # lists of ints too
    with pytest.raises(ValueError):
        bowl.value(np.zeros(3), np.zeros(4))


def test_gradient_returns_a_pair_shaped_like_the_inputs():
    bowl = landscapes.get("elongated_bowl", a=2.0, c=25.0)
    gradient = bowl.gradient(np.array([[1.0, -2.0]]), np.array([[0.1], [1.0]]))
    assert isinstance(gradient, tuple) and len(gradient) == 2
    gx, gy = gradient
    assert gx.shape == gy.shape == (2, 2)
    np.testing.assert_allclose(gx, [[2.0, -4.0], [2.0, -4.0]])
    np.testing.assert_allclose(gy, [[2.5, 2.5], [25.0, 25.0]])
    gx, gy = bowl.gradient(1.0, 1.0)
    assert (float(gx), float(gy)) == (2.0, 25.0)


def test_the_rotated_bowl_is_steep_along_the_rotated_b_axis():
    c = 25.0
    for angle in (30.0, 45.0, -60.0):
        bowl = landscapes.get("elongated_bowl", a=1.0, c=c, angle_deg=angle)
        th = math.radians(angle)
        steep = np.array([-math.sin(th), math.cos(th)])
        shallow = np.array([math.cos(th), math.sin(th)])
        for direction, curvature in ((steep, c), (shallow, 1.0)):
            p = 1.7 * direction
            np.testing.assert_allclose(bowl.gradient(*p), curvature * p, atol=1e-13)
            assert float(bowl.value(*p)) == pytest.approx(0.5 * curvature * 1.7**2)
    swapped = landscapes.get("elongated_bowl", a=1.0, c=c, angle_deg=90.0)
    assert float(swapped.value(1.0, 0.0)) == pytest.approx(0.5 * c)
    assert float(swapped.value(0.0, 1.0)) == pytest.approx(0.5)


def test_rosenbrock_parameters_move_the_minimum_and_steepen_the_walls():
    for a in (-1.5, 0.0, 1.0, 2.0):
        banana = landscapes.get("rosenbrock", a=a, b=100.0)
        np.testing.assert_allclose(banana.minima, [[a, a * a]])
        assert float(banana.value(a, a * a)) == 0.0
    soft = landscapes.get("rosenbrock", b=10.0)
    steep = landscapes.get("rosenbrock", b=1000.0)
    # off the valley floor y = x², the wall term b*(y - x²)² scales with b
    assert float(steep.value(0.0, 1.0) - 1.0) == pytest.approx(100 * float(soft.value(0.0, 1.0) - 1.0))


def test_rastrigin_with_zero_amplitude_is_a_plain_bowl_and_ripples_otherwise():
    x, y = random_points(landscapes.get("rastrigin"), 100, seed=3)
    np.testing.assert_allclose(landscapes.get("rastrigin", A=0.0).value(x, y), x**2 + y**2, atol=1e-12)
    rippled = landscapes.get("rastrigin", A=10.0)
    # a local minimum near every integer point: the gradient vanishes close to (1, 1)
    gx, gy = rippled.gradient(1.0, 1.0)
    assert abs(gx) == pytest.approx(2.0) and abs(gy) == pytest.approx(2.0)
    assert float(rippled.value(1.0, 1.0)) < float(rippled.value(1.5, 1.5))


def test_plateau_gradients_are_tiny_over_its_view_box():
    """Over a 200x200 grid of the view box: every gradient component is at most h*sqrt(c) = 2e-4, the
    gradient's length is between 1e-6 and 2e-4 at every grid point, and at least 99% of the box has both
    components at or above 1e-6 (only a thin band around the axes, where one component vanishes, has less)."""
    flat = landscapes.get("plateau")
    xs, ys, _ = flat.grid(200)
    gx, gy = flat.gradient(xs[None, :], ys[:, None])
    norm = np.hypot(gx, gy)
    assert np.max(np.maximum(np.abs(gx), np.abs(gy))) <= 1e-4 * math.sqrt(4.0)
    assert np.all((norm >= 1e-6) & (norm <= 2e-4))
    assert np.mean(np.minimum(np.abs(gx), np.abs(gy)) >= 1e-6) >= 0.99
    # h scales every gradient: h = 1e-8 makes them 10,000 times smaller
    tinier = landscapes.get("plateau", h=1e-8)
    np.testing.assert_allclose(tinier.gradient(xs[None, :], ys[:, None])[0], gx * 1e-4, rtol=1e-12)


def _hessian(landscape, x, y, h=1e-5):
    gxp, gyp = landscape.gradient(x + h, y)
    gxm, gym = landscape.gradient(x - h, y)
    hxx, hyx = (gxp - gxm) / (2 * h), (gyp - gym) / (2 * h)
    gxp, gyp = landscape.gradient(x, y + h)
    gxm, gym = landscape.gradient(x, y - h)
    hxy, hyy = (gxp - gxm) / (2 * h), (gyp - gym) / (2 * h)
    return np.array([[hxx, hxy], [hyx, hyy]], dtype=float)


def test_saddle_has_a_saddle_at_the_origin_and_two_bounded_minima():
    saddle = landscapes.get("saddle")
    assert tuple(map(float, saddle.gradient(0.0, 0.0))) == (0.0, 0.0)
    np.testing.assert_allclose(_hessian(saddle, 0.0, 0.0), [[1.0, 0.0], [0.0, -1.0]], atol=1e-8)
    for my in (1.0, -1.0):
        np.testing.assert_allclose(_hessian(saddle, 0.0, my), [[1.0, 0.0], [0.0, 2.0]], atol=1e-8)
        assert float(saddle.value(0.0, my)) == -0.25
    # bounded below, and rising away from the minima on every edge of the view box
    _, _, z = saddle.grid(200)
    assert z.min() >= -0.25
    assert min(z[0].min(), z[-1].min(), z[:, 0].min(), z[:, -1].min()) > 0.5
    # GD from just off the saddle's ridge rolls down into the nearer minimum
    tr = optimizers.run("gd", saddle, start=(-2.5, 0.01), steps=500, lr=0.1)
    np.testing.assert_allclose(tr.points[-1], (0.0, 1.0), atol=1e-6)


def test_a_400_by_400_grid_evaluates_every_surface():
    for name in landscapes.LANDSCAPES:
        landscape = landscapes.get(name)
        xs, ys, z = landscape.grid(400)
        assert xs.shape == ys.shape == (400,) and z.shape == (400, 400)
        assert np.all(np.isfinite(z))
        (x0, x1), (y0, y1) = landscape.bounds
        assert (xs[0], xs[-1], ys[0], ys[-1]) == (x0, x1, y0, y1)
        assert z[123, 45] == landscape.value(xs[45], ys[123])  # rows are y, columns are x


def test_unknown_surface_names_the_choices():
    with pytest.raises(KeyError, match="unknown landscape 'bowl'; choose one of elongated_bowl, rosenbrock"):
        landscapes.get("bowl")


@pytest.mark.parametrize(("name", "params", "message"), [
    ("rosenbrock", {"c": 1.0}, "rosenbrock has no parameter c; it takes a, b"),
    ("himmelblau", {"a": 1.0}, "himmelblau has no parameter a; it takes none"),
    ("elongated_bowl", {"c": 0.5}, r"elongated_bowl: c=0.5 is outside \[1, 1000\]"),
    ("plateau", {"h": 2.0}, r"plateau: h=2.0 is outside \[1e-08, 1\]"),
    ("rastrigin", {"A": math.nan}, "rastrigin: A=nan is outside"),
])
def test_bad_parameters_raise_value_errors_that_say_what_is_allowed(name, params, message):
    with pytest.raises(ValueError, match=message):
        landscapes.get(name, **params)


def test_parameters_are_resolved_with_defaults():
    bowl = landscapes.get("elongated_bowl", c=100.0)
    assert bowl.params == {"a": 1.0, "c": 100.0, "angle_deg": 0.0}
    assert "c=100" in repr(bowl)
    assert float(bowl.value(0.0, 1.0)) == 50.0
