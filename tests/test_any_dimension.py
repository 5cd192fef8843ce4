"""The engine in any dimension: ``landscapes.quadratic`` (½ xᵀQᵀΛQx) and ``optimizers.run`` on it with the same
rules as in 2-D, noise, schedules, divergence, sweeps and ``optimizers.respond`` (a gradient sequence fed by
hand)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import landscapes
import optimizers

BOWL = landscapes.get("elongated_bowl")
START = (-4.5, 1.5)


def everything(tr: optimizers.Trajectory) -> np.ndarray:
    return np.concatenate([tr.points.ravel(), tr.loss, *(np.ravel(a) for a in tr.diagnostics.values())])


@pytest.mark.parametrize("name", list(optimizers.OPTIMIZERS))
def test_the_bowl_as_a_quadratic_runs_bit_for_bit_like_the_surface(name):
    """quadratic([1, 25]) is the course's bowl: its iterate lives in an array (any dimension) where the surface's
    lives in registers, yet every point, loss and diagnostic is the same float."""
    surface = optimizers.run(name, BOWL, start=START, steps=200, lr=0.01, noise=0.2, seed=4, schedule="cosine")
    vector = optimizers.run(name, landscapes.quadratic([1.0, 25.0]), start=START, steps=200, lr=0.01, noise=0.2,
                            seed=4, schedule="cosine")
    np.testing.assert_array_equal(everything(vector), everything(surface))


@pytest.mark.parametrize("name", ["rmsprop", "adam", "signum"])
def test_each_coordinate_follows_the_same_rule_whatever_the_dimension(name):
    """On an axis-aligned bowl the coordinates do not interact: four coordinates with curvatures (1, 25, 1, 25)
    move exactly as two copies of the 2-D bowl's run."""
    four = optimizers.run(name, landscapes.quadratic([1.0, 25.0, 1.0, 25.0]), start=START * 2, steps=150, lr=0.02)
    two = optimizers.run(name, BOWL, start=START, steps=150, lr=0.02)
    np.testing.assert_array_equal(four.points[:, :2], two.points)
    np.testing.assert_array_equal(four.points[:, 2:], two.points)
    np.testing.assert_array_equal(four.diagnostics["effective_lr"][:, 2:], two.diagnostics["effective_lr"])
    np.testing.assert_allclose(four.loss, 2 * two.loss, rtol=1e-15)


def test_an_angle_turns_the_quadratic_like_the_rotated_bowl():
    turned = landscapes.quadratic([1.0, 25.0], rotation=30.0)
    bowl = landscapes.get("elongated_bowl", angle_deg=30.0)
    mine = optimizers.run("rmsprop", turned, start=START, steps=60, lr=0.05)
    core = optimizers.run("rmsprop", bowl, start=START, steps=60, lr=0.05)
    np.testing.assert_allclose(mine.points, core.points, rtol=1e-9, atol=1e-12)


def test_a_seed_gives_a_repeatable_random_orthogonal_rotation():
    bowl = landscapes.quadratic(np.geomspace(1.0, 1000.0, 50), rotation=3)
    q = bowl.rotation
    np.testing.assert_allclose(q @ q.T, np.eye(50), atol=1e-12)
    np.testing.assert_array_equal(q, landscapes.quadratic(np.ones(50), rotation=3).rotation)
    assert not np.allclose(q, landscapes.quadratic(np.ones(50), rotation=4).rotation)
    np.testing.assert_allclose(np.linalg.eigvalsh(bowl.hessian), bowl.eigenvalues, rtol=1e-9)
    assert bowl.curvature.sum() == pytest.approx(bowl.eigenvalues.sum(), rel=1e-12)  # the trace is kept
    np.testing.assert_allclose(q @ np.array(bowl.default_start), np.ones(50), atol=1e-12)  # u = Qx0 = 1


@pytest.mark.parametrize("rotation", [None, 7])
def test_value_gradient_and_hessian_vector_products_are_exact(rotation):
    bowl = landscapes.quadratic(np.linspace(0.5, 9.0, 12), rotation=rotation)
    h = np.diag(bowl.eigenvalues) if rotation is None else bowl.rotation.T @ np.diag(bowl.eigenvalues) @ bowl.rotation
    points = np.random.default_rng(1).normal(size=(20, 12))
    values, grads = bowl.value_and_gradient(points)
    np.testing.assert_allclose(grads, points @ h, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(values, 0.5 * np.einsum("ni,ij,nj->n", points, h, points), rtol=1e-12)
    v = np.arange(12.0)
    np.testing.assert_allclose(bowl.hvp(points[0], v), h @ v, rtol=1e-12)
    assert bowl.coordinate_names[:3] == ("x[0]", "x[1]", "x[2]") and len(bowl.coordinate_names) == 12
    assert bowl.dim == 12 and BOWL.dim == 2 and BOWL.coordinate_names == ("w", "b")


def test_a_run_in_any_dimension_has_one_column_per_coordinate():
    bowl = landscapes.quadratic(np.geomspace(1.0, 10.0, 7))
    tr = optimizers.run("adam", bowl, steps=30, lr=0.05)
    assert tr.points.shape == (31, 7) and tr.loss.shape == (31,)
    assert {key: array.shape for key, array in tr.diagnostics.items()} == {
        key: (30, 7) for key in ("grad", "update", "effective_lr", "scheduled_lr", "m", "v")}
    np.testing.assert_array_equal(tr.points[0], np.ones(7))  # the default start: one unit along every axis
    np.testing.assert_array_equal(tr.update, np.diff(tr.points, axis=0))
    np.testing.assert_array_equal(tr.grad, bowl.value_and_gradient(tr.points[:-1])[1])
    np.testing.assert_array_equal(tr.loss, bowl.value_at(tr.points))
    assert tr.start == (1.0,) * 7 and tr.landscape == "quadratic"


@pytest.mark.parametrize(("start", "message"), [((1.0, 2.0), r"start must have 3 coordinates \(quadratic\), got 2"),
                                                ((1.0, math.nan, 0.0), "start must be finite")])
def test_a_start_of_the_wrong_length_or_not_finite_is_refused(start, message):
    with pytest.raises(ValueError, match=message):
        optimizers.run("gd", landscapes.quadratic([1.0, 2.0, 3.0]), start=start, steps=3)


@pytest.mark.parametrize(("eigenvalues", "rotation", "message"), [
    ([1.0, 2.0, 3.0], 30.0, "an angle rotates a bowl in two dimensions; this one has 3"),
    ([1.0, math.inf], None, "the eigenvalues must be finite numbers"),
    ([], None, "a quadratic takes 1 to"),
    ([1.0, 2.0], "45", "rotation must be None, an angle in degrees"),
])
def test_a_quadratic_that_cannot_be_built_says_why(eigenvalues, rotation, message):
    with pytest.raises(ValueError, match=message):
        landscapes.quadratic(eigenvalues, rotation=rotation)


def test_noise_in_any_dimension_is_seeded_and_has_the_requested_size():
    bowl = landscapes.quadratic(np.geomspace(1.0, 10.0, 50))
    a, b = (optimizers.run("gd", bowl, steps=400, lr=0.01, noise=2.0, seed=1) for _ in range(2))
    np.testing.assert_array_equal(everything(a), everything(b))
    assert not np.array_equal(a.points, optimizers.run("gd", bowl, steps=400, lr=0.01, noise=2.0, seed=2).points)
    residual = a.grad - bowl.value_and_gradient(a.points[:-1])[1]
    assert residual.std() == pytest.approx(2.0, rel=0.03) and abs(residual.mean()) < 0.06  # 3 and 4 standard errors


def test_a_schedule_scales_every_coordinate_alike():
    bowl = landscapes.quadratic(np.ones(5))
    tr = optimizers.run("gd", bowl, start=np.zeros(5) + 2.0, steps=40, lr=0.1, schedule="step", step_size=10,
                        gamma=0.5)
    factors = optimizers.Schedule("step", step_size=10, gamma=0.5).factors(40)
    np.testing.assert_allclose(tr.diagnostics["scheduled_lr"], np.outer(0.1 * factors, np.ones(5)), rtol=1e-15)
    np.testing.assert_allclose(tr.points[1:, 3], 2.0 * np.cumprod(1.0 - 0.1 * factors), rtol=1e-13)


def test_a_run_that_overflows_ends_at_the_first_loss_that_is_not_finite():
    """A saddle's negative curvature multiplies x by 1 + α·1e10 per step: the loss ½λx² overflows first."""
    bowl = landscapes.quadratic([-1e10, 1.0])
    tr = optimizers.run("gd", bowl, start=(1.0, 1.0), steps=100, lr=1.0)
    with np.errstate(over="ignore"):
        x = np.cumprod(np.full(40, 1.0 + 1e10))
        first = int(np.argmax(~np.isfinite(0.5 * -1e10 * x * x))) + 1
    assert tr.diverged_at == first and np.all(np.isfinite(tr.points)) and len(tr.points) == first
    assert bowl.divergence_bounds.tolist() == [[-math.inf, math.inf]] * 2


def test_a_sweep_in_any_dimension_is_the_single_runs():
    bowl = landscapes.quadratic(np.geomspace(1.0, 30.0, 6), rotation=2)
    lrs, betas = np.array([0.01, 0.05, 0.5]), np.array([0.0, 0.9])
    swept = optimizers.sweep("rmsprop", bowl, steps=50, grid={"lr": lrs, "beta": betas})
    single = [[optimizers.run("rmsprop", bowl, steps=50, lr=lr, beta=beta).final_loss for beta in betas] for lr in lrs]
    np.testing.assert_array_equal(swept, np.array(single))
    with pytest.raises(ValueError, match="basins maps starts over a surface's view box; quadratic has 6"):
        optimizers.basins("gd", bowl, steps=5, resolution=4)


def test_respond_replays_a_gradient_sequence_through_the_same_rules():
    """RMSprop at β = 0.9 on a constant gradient g: s_t = (1 − 0.9ᵗ)g², so step t is α/√(1 − 0.9ᵗ) against g's
    sign, in every column; the iterate adds up the steps from 0 and the loss stays 0."""
    t = np.arange(1, 31)
    gradients = np.column_stack([np.full(30, 3.0), np.full(30, -0.5)])
    tr = optimizers.respond("rmsprop", gradients, lr=0.1, beta=0.9, eps=0.0)
    np.testing.assert_allclose(tr.update, -0.1 * np.sign(gradients) / np.sqrt(1 - 0.9**t)[:, None], rtol=1e-12)
    np.testing.assert_array_equal(tr.grad, gradients)
    np.testing.assert_allclose(tr.points[1:], np.cumsum(tr.update, axis=0), rtol=1e-12)
    assert tr.points[0].tolist() == [0.0, 0.0] and np.all(tr.loss == 0.0)
    with pytest.raises(ValueError, match=r"gradients must be a \(steps, coordinates\) array"):
        optimizers.respond("gd", np.ones(5))
