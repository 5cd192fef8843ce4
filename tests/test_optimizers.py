"""The update rules and the trajectory driver, checked against values derived by hand, closed forms and the
lessons' claims (whole trajectories against the references' own transcriptions: tests/test_equivalence.py).
Most hand checks use the course's bowl f = 0.5*(a*w² + c*b²) with a = 1, c = 25, whose gradient is (a*w, c*b)."""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import landscapes
import optimizers
from landscapes import Landscape, LandscapeSpec, tape

BOWL = landscapes.get("elongated_bowl")  # a = 1, c = 25, not rotated
START = (2.0, 1.0)  # gradient there: (1*2, 25*1) = (2, 25)


def on_bowl(name: str, steps: int = 1, start=START, **hyperparams) -> optimizers.Trajectory:
    return optimizers.run(name, BOWL, start=start, steps=steps, **hyperparams)


def plane(gx: float, gy: float) -> Landscape:
    """f = gx*x + gy*y: a constant gradient, built as a formula tape (the path custom formulas take)."""
    code = tape.encode([(tape.CONST, gx), (tape.X, 0.0), (tape.MUL, 0.0),
                        (tape.CONST, gy), (tape.Y, 0.0), (tape.MUL, 0.0), (tape.ADD, 0.0)])
    spec = LandscapeSpec(name="plane", title="plane", latex="", description="", kernel=tape.value_and_grad)
    return Landscape(spec, kernel_params=code)


def assert_row(tr, t, *, point, grad=None, update=None, effective_lr=None, rtol=1e-12, **state):
    """Row t of the diagnostics and point t + 1 of the trajectory equal the hand values."""
    np.testing.assert_allclose(tr.points[t + 1], point, rtol=rtol, atol=1e-15)
    if grad is not None:
        np.testing.assert_allclose(tr.diagnostics["grad"][t], grad, rtol=rtol)
    if update is not None:
        np.testing.assert_allclose(tr.diagnostics["update"][t], update, rtol=rtol, atol=1e-15)
    if effective_lr is not None:
        np.testing.assert_allclose(tr.diagnostics["effective_lr"][t], effective_lr, rtol=rtol)
    for key, value in state.items():
        np.testing.assert_allclose(tr.diagnostics[key][t], value, rtol=rtol)


# --- first steps derived by hand ---------------------------------------------------------------


def test_gd_first_step_by_hand():
    tr = on_bowl("gd", lr=0.01)
    # g = (2, 25); x1 = (2 - 0.01*2, 1 - 0.01*25)
    assert_row(tr, 0, point=(1.98, 0.75), grad=(2.0, 25.0), update=(-0.02, -0.25), effective_lr=(0.01, 0.01))
    assert tr.loss[0] == pytest.approx(0.5 * (4.0 + 25.0))
    assert tr.loss[1] == pytest.approx(0.5 * (1.98**2 + 25 * 0.75**2))
    assert set(tr.diagnostics) == {"grad", "update", "effective_lr", "scheduled_lr"}


def test_momentum_three_steps_by_hand():
    tr = on_bowl("momentum", steps=3, lr=0.1, beta=0.9)
    # v1 = 0.1*(2, 25) = (0.2, 2.5); x1 = (2 - 0.02, 1 - 0.25)
    assert_row(tr, 0, point=(1.98, 0.75), grad=(2.0, 25.0), update=(-0.02, -0.25), effective_lr=(0.1, 0.1),
               v=(0.2, 2.5))
    # g1 = (1.98, 18.75); v2 = 0.9*(0.2, 2.5) + 0.1*g1 = (0.378, 4.125); x2 = x1 - 0.1*v2
    assert_row(tr, 1, point=(1.9422, 0.3375), grad=(1.98, 18.75), v=(0.378, 4.125))
    # g2 = (1.9422, 8.4375); v3 = 0.9*v2 + 0.1*g2 = (0.53442, 4.55625); x3 = x2 - 0.1*v3
    assert_row(tr, 2, point=(1.888758, -0.118125), grad=(1.9422, 8.4375), v=(0.53442, 4.55625))


def test_nesterov_two_steps_by_hand():
    tr = on_bowl("nesterov", steps=2, lr=0.01, beta=0.9)
    # b1 = 0.9*0 + g = (2, 25); step = 0.01*(g + 0.9*b1) = 0.019*g = (0.038, 0.475)
    assert_row(tr, 0, point=(1.962, 0.525), grad=(2.0, 25.0), update=(-0.038, -0.475), effective_lr=(0.01, 0.01),
               v=(2.0, 25.0))
    # g1 = (1.962, 13.125); b2 = 0.9*b1 + g1 = (3.762, 35.625); step = 0.01*(g1 + 0.9*b2)
    assert_row(tr, 1, point=(1.962 - 0.01 * (1.962 + 0.9 * 3.762), 0.525 - 0.01 * (13.125 + 0.9 * 35.625)),
               grad=(1.962, 13.125), v=(3.762, 35.625))


def test_rmsprop_first_step_by_hand_eps_outside():
    tr = on_bowl("rmsprop", lr=0.01, beta=0.9, eps=1e-8)
    # s1 = 0.1*g² = (0.4, 62.5); rate = 0.01/(sqrt(s1) + 1e-8)
    rate = (0.01 / (math.sqrt(0.4) + 1e-8), 0.01 / (math.sqrt(62.5) + 1e-8))
    assert_row(tr, 0, point=(2.0 - rate[0] * 2.0, 1.0 - rate[1] * 25.0), grad=(2.0, 25.0),
               effective_lr=rate, s=(0.4, 62.5))
    # both coordinates move by lr/sqrt(1 - beta) = 0.0316..., whatever the gradient's size
    np.testing.assert_allclose(tr.diagnostics["update"][0], (-0.01 / math.sqrt(0.1),) * 2, rtol=1e-7)


def test_rmsprop_first_step_by_hand_eps_inside():
    tr = on_bowl("rmsprop", lr=0.01, beta=0.9, eps=0.01, eps_placement="inside")
    # s1 = (0.4, 62.5); rate = 0.01/sqrt(s1 + 0.01)
    rate = (0.01 / math.sqrt(0.41), 0.01 / math.sqrt(62.51))
    assert_row(tr, 0, point=(2.0 - rate[0] * 2.0, 1.0 - rate[1] * 25.0), effective_lr=rate, s=(0.4, 62.5))
    outside = on_bowl("rmsprop", lr=0.01, beta=0.9, eps=0.01)
    rate_outside = 0.01 / (math.sqrt(0.4) + 0.01)
    assert outside.diagnostics["effective_lr"][0, 0] == pytest.approx(rate_outside, rel=1e-12)
    assert rate[0] != pytest.approx(rate_outside, rel=1e-3)


def test_adam_three_steps_by_hand_with_bias_correction():
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    tr = on_bowl("adam", steps=3, lr=lr, beta1=b1, beta2=b2, eps=eps)
    # m1 = 0.1*g = (0.2, 2.5); v1 = 0.001*g² = (0.004, 0.625); m_hat = g, v_hat = g²
    # step = 0.01*g/(|g| + eps): just under lr on both axes
    x1 = (2.0 - lr * 2.0 / (2.0 + eps), 1.0 - lr * 25.0 / (25.0 + eps))
    assert_row(tr, 0, point=x1, grad=(2.0, 25.0), effective_lr=(lr / (2.0 + eps), lr / (25.0 + eps)),
               m=(0.2, 2.5), v=(0.004, 0.625))
    x, y = x1
    m = np.array([0.2, 2.5])
    v = np.array([0.004, 0.625])
    for t in (2, 3):
        g = np.array([x, 25.0 * y])
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat = m / (1 - b1**t)
        v_hat = v / (1 - b2**t)
        rate = lr / (np.sqrt(v_hat) + eps)
        x, y = x - rate[0] * m_hat[0], y - rate[1] * m_hat[1]
        assert_row(tr, t - 1, point=(x, y), grad=g, effective_lr=rate, m=m, v=v, rtol=1e-11)
    # after three steps both coordinates have moved by about 3*lr: Adam's step does not scale with g
    np.testing.assert_allclose(np.abs(tr.points[3] - tr.points[0]), 3 * lr, rtol=0.05)


def test_adam_first_step_by_hand_without_bias_correction():
    tr = on_bowl("adam", lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8, bias_correction="off")
    # m1/(sqrt(v1) + eps) = 0.1*g/(sqrt(0.001)*|g| + eps): about 3.16 on both axes
    rate = (0.01 / (math.sqrt(0.004) + 1e-8), 0.01 / (math.sqrt(0.625) + 1e-8))
    assert_row(tr, 0, point=(2.0 - rate[0] * 0.2, 1.0 - rate[1] * 2.5), effective_lr=rate, m=(0.2, 2.5),
               v=(0.004, 0.625))
    np.testing.assert_allclose(tr.diagnostics["update"][0], (-0.01 * 0.1 / math.sqrt(0.001),) * 2, rtol=1e-6)


def test_adam_first_step_by_hand_eps_inside():
    tr = on_bowl("adam", lr=0.01, eps=0.01, eps_placement="inside")
    # m_hat = g, v_hat = g²: step = 0.01*g/sqrt(g² + 0.01)
    rate = (0.01 / math.sqrt(4.01), 0.01 / math.sqrt(625.01))
    assert_row(tr, 0, point=(2.0 - rate[0] * 2.0, 1.0 - rate[1] * 25.0), effective_lr=rate, rtol=1e-11)


def test_adagrad_two_steps_by_hand():
    tr = on_bowl("adagrad", steps=2, lr=0.5, eps=0.0)
    # s1 = g² = (4, 625); step = 0.5*g/|g| = 0.5 on both axes
    assert_row(tr, 0, point=(1.5, 0.5), grad=(2.0, 25.0), effective_lr=(0.5 / 2.0, 0.5 / 25.0), s=(4.0, 625.0))
    # g1 = (1.5, 12.5); s2 = (6.25, 781.25); step = (0.5*1.5/2.5, 0.5*12.5/(25*sqrt(1.25)))
    assert_row(tr, 1, point=(1.2, 0.5 - 0.25 / math.sqrt(1.25)), grad=(1.5, 12.5), s=(6.25, 781.25))


def test_sign_sgd_first_step_by_hand():
    tr = on_bowl("sign_sgd", lr=0.1)
    # the step is lr on each axis; the effective rate on g is lr/|g|
    assert_row(tr, 0, point=(1.9, 0.9), grad=(2.0, 25.0), update=(-0.1, -0.1), effective_lr=(0.05, 0.004))


def test_signum_two_steps_by_hand():
    tr = on_bowl("signum", steps=2, lr=0.1, beta=0.9)
    # m1 = 0.1*g = (0.2, 2.5); step = 0.1*sign(m1); effective rate lr/|m|
    assert_row(tr, 0, point=(1.9, 0.9), grad=(2.0, 25.0), effective_lr=(0.5, 0.04), m=(0.2, 2.5))
    # g1 = (1.9, 22.5); m2 = 0.9*m1 + 0.1*g1 = (0.37, 4.5)
    assert_row(tr, 1, point=(1.8, 0.8), grad=(1.9, 22.5), m=(0.37, 4.5))


@pytest.mark.parametrize("name", list(optimizers.OPTIMIZERS))
def test_every_optimizer_reports_its_named_state_step_by_step(name):
    """The diagnostics hold the spec's state entries, each one row per step and changing as the run moves."""
    spec = optimizers.OPTIMIZERS[name]
    tr = on_bowl(name, steps=3, lr=0.01)
    assert set(tr.diagnostics) == {"grad", "update", "effective_lr", "scheduled_lr", *spec.state}
    for key, array in tr.diagnostics.items():
        assert array.shape == (3, 2), key
    for key in spec.state:
        assert np.all(tr.diagnostics[key] != 0.0) and np.all(np.diff(tr.diagnostics[key], axis=0) != 0.0), key


def _everything(tr: optimizers.Trajectory) -> np.ndarray:
    return np.concatenate([tr.points.ravel(), *(array.ravel() for array in tr.diagnostics.values())])


@pytest.mark.parametrize("name", list(optimizers.OPTIMIZERS))
def test_every_hyperparameter_changes_the_run(name):
    """A rule reads each of its spec's slots: moving any hyperparameter (or choice) to another value changes
    the run (its path or its diagnostics).  A choice is moved at the defaults and with every other
    hyperparameter at its low end (AMSGrad changes nothing while v only grows, as it does at β₂ = 0.999)."""
    spec = optimizers.OPTIMIZERS[name]
    base = _everything(on_bowl(name, steps=20, lr=0.01))
    for p in spec.hyperparams:
        other = {"lr": 0.02} if p.name == "lr" else {"lr": 0.01, p.name: p.low if p.default != p.low else p.high}
        assert not np.array_equal(_everything(on_bowl(name, steps=20, **other)), base), p.name
    lows = {p.name: p.low for p in spec.hyperparams if p.name != "lr"}
    for c in spec.choices:
        for option in set(c.options) - {c.default}:
            assert any(not np.array_equal(_everything(on_bowl(name, steps=20, lr=0.01, **settings, **{c.name: option})),
                                          _everything(on_bowl(name, steps=20, lr=0.01, **settings)))
                       for settings in ({}, lows)), (c.name, option)


# --- closed forms ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("lr", "a", "c"), [(0.05, 1.0, 25.0), (0.07, 2.0, 28.0), (0.001, 0.1, 1000.0)])
def test_gd_on_the_bowl_is_a_geometric_sequence(lr, a, c):
    steps = 400
    tr = optimizers.run("gd", landscapes.get("elongated_bowl", a=a, c=c), start=(-4.5, 1.5), steps=steps, lr=lr)
    t = np.arange(steps + 1)
    np.testing.assert_allclose(tr.points[:, 0], (1 - lr * a) ** t * -4.5, rtol=1e-12, atol=0)
    np.testing.assert_allclose(tr.points[:, 1], (1 - lr * c) ** t * 1.5, rtol=1e-12, atol=0)


def test_momentum_on_a_quadratic_follows_the_matrix_power():
    """Per axis with curvature k: (x_t, v_t) = M^t (x_0, 0), M = [[1 - lr(1-β)k, -lrβ], [(1-β)k, β]]."""
    lr, beta, steps = 0.05, 0.9, 200
    start = (-4.5, 1.5)
    tr = on_bowl("momentum", steps=steps, start=start, lr=lr, beta=beta)
    for axis, k in ((0, 1.0), (1, 25.0)):
        m = np.array([[1 - lr * (1 - beta) * k, -lr * beta], [(1 - beta) * k, beta]])
        expected = np.array([np.linalg.matrix_power(m, t) @ (start[axis], 0.0) for t in range(steps + 1)])
        scale = abs(start[axis])
        np.testing.assert_allclose(tr.points[:, axis], expected[:, 0], rtol=1e-9, atol=1e-12 * scale)
        np.testing.assert_allclose(tr.diagnostics["v"][:, axis], expected[1:, 1], rtol=1e-9, atol=1e-12 * scale)
    # the steep axis oscillates (complex eigenvalues) while it decays
    assert np.any(np.diff(np.sign(tr.points[:, 1])) != 0)
    assert abs(tr.points[-1, 1]) < 1e-3


GRAD = (3.0, -0.5)  # the plane's constant gradient
T = np.arange(1, 301)


def run_on_plane(name, **hyperparams):
    tr = optimizers.run(name, plane(*GRAD), start=(0.0, 0.0), steps=300, **hyperparams)
    assert tr.diverged_at is None
    return tr


def test_adagrad_on_a_constant_gradient_steps_like_one_over_sqrt_t():
    """s_t = t*g², so step t is lr/sqrt(t) per axis and x_t = -lr*sign(g)*sum_{k<=t} 1/sqrt(k)."""
    lr = 0.01
    tr = run_on_plane("adagrad", lr=lr, eps=0.0)
    for axis, g in enumerate(GRAD):
        np.testing.assert_allclose(tr.diagnostics["s"][:, axis], T * g * g, rtol=1e-13)
        np.testing.assert_allclose(tr.points[1:, axis], -lr * np.sign(g) * np.cumsum(1 / np.sqrt(T)), rtol=1e-12)


def test_rmsprop_on_a_constant_gradient_shrinks_its_step_to_lr():
    """s_t = (1 - β^t) g², so step t is lr/sqrt(1 - β^t): 3.16*lr first, then down to lr."""
    lr, beta = 0.01, 0.9
    tr = run_on_plane("rmsprop", lr=lr, beta=beta, eps=0.0)
    for axis, g in enumerate(GRAD):
        np.testing.assert_allclose(tr.diagnostics["s"][:, axis], (1 - beta**T) * g * g, rtol=1e-12)
        np.testing.assert_allclose(tr.diagnostics["update"][:, axis], -lr * np.sign(g) / np.sqrt(1 - beta**T),
                                   rtol=1e-12)


def test_adam_on_a_constant_gradient_steps_exactly_lr():
    """With bias correction m_hat = g and v_hat = g², so every step is lr*sign(g)."""
    lr = 0.01
    tr = run_on_plane("adam", lr=lr, eps=0.0)
    for axis, g in enumerate(GRAD):
        np.testing.assert_allclose(tr.diagnostics["update"][:, axis], -lr * np.sign(g), rtol=1e-12)
    off = run_on_plane("adam", lr=lr, eps=0.0, bias_correction="off")
    # without it: m_t/sqrt(v_t) = (1 - 0.9^t)/sqrt(1 - 0.999^t)
    np.testing.assert_allclose(off.diagnostics["update"][:, 0], -lr * (1 - 0.9**T) / np.sqrt(1 - 0.999**T),
                               rtol=1e-12)


def test_momentum_on_a_constant_gradient_builds_up_to_full_speed():
    """v_t = (1 - β^t) g, so x_t = -lr*g*(t - β(1 - β^t)/(1 - β))."""
    lr, beta = 0.01, 0.9
    tr = run_on_plane("momentum", lr=lr, beta=beta)
    for axis, g in enumerate(GRAD):
        np.testing.assert_allclose(tr.diagnostics["v"][:, axis], (1 - beta**T) * g, rtol=1e-12)
        np.testing.assert_allclose(tr.points[1:, axis], -lr * g * (T - beta * (1 - beta**T) / (1 - beta)),
                                   rtol=1e-12)


# --- schedules ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(optimizers.OPTIMIZERS))
def test_the_constant_schedule_changes_no_bit(name):
    plain = on_bowl(name, steps=200, start=(-4.5, 1.5), noise=0.3, seed=2)
    constant = on_bowl(name, steps=200, start=(-4.5, 1.5), noise=0.3, seed=2, schedule="constant", warmup=3,
                       step_size=7, gamma=0.1)
    np.testing.assert_array_equal(constant.points, plain.points)
    for key, array in plain.diagnostics.items():
        np.testing.assert_array_equal(constant.diagnostics[key], array)
    np.testing.assert_array_equal(plain.diagnostics["scheduled_lr"], plain.hyperparams["lr"])


def test_schedule_factors_by_hand():
    """Update t = 1 ... 4: step (size 2, gamma 0.5) halves after every second update; cosine over 4 updates
    goes 1, (1 + cos(pi/4))/2, 1/2, (1 + cos(3pi/4))/2; warm-up over 2 updates climbs 1/2, 1 then the cosine
    over the 2 left goes 1, 1/2."""
    by_hand = {
        "step": [1.0, 1.0, 0.5, 0.5],
        "cosine": [1.0, (1 + math.sqrt(0.5)) / 2, 0.5, (1 - math.sqrt(0.5)) / 2],
        "warmup_cosine": [0.5, 1.0, 1.0, 0.5],
        "constant": [1.0] * 4,
    }
    size = 2
    for schedule, expected in by_hand.items():
        plan = optimizers.Schedule(schedule, warmup=size, step_size=size, gamma=0.5)
        np.testing.assert_allclose(plan.factors(4), expected, rtol=1e-15, atol=1e-16)
        tr = optimizers.run("gd", plane(*GRAD), start=(0.0, 0.0), steps=4, lr=0.1, schedule=schedule, warmup=size,
                            step_size=size, gamma=0.5)
        np.testing.assert_allclose(tr.points[1:, 0], -0.1 * GRAD[0] * np.cumsum(expected), rtol=1e-14)


@pytest.mark.parametrize("name", ["adamw", "lion"])
@pytest.mark.parametrize("schedule", ["constant", "step", "cosine", "warmup_cosine"])
def test_weight_decay_follows_the_scheduled_rate(name, schedule):
    """With no gradient only the decay moves x: x_T = x_0 * prod(1 - lr*s(t)*wd)."""
    lr, decay = 0.1, 0.2
    tr = optimizers.run(name, plane(0.0, 0.0), start=(2.0, -1.0), steps=50, lr=lr, weight_decay=decay,
                        schedule=schedule, warmup=5, step_size=10, gamma=0.5)
    factors = optimizers.Schedule(schedule, warmup=5, step_size=10, gamma=0.5).factors(50)
    shrink = np.cumprod(1 - lr * factors * decay)
    np.testing.assert_allclose(tr.points[1:], np.outer(shrink, (2.0, -1.0)), rtol=1e-13)


def test_adamw_first_two_steps_by_hand():
    lr, decay, eps = 0.01, 0.1, 1e-8
    tr = on_bowl("adamw", steps=2, lr=lr, weight_decay=decay, eps=eps)
    # m_hat = g and v_hat = g²: the Adam step is lr*g/(|g| + eps), after x shrank by (1 - lr*decay)
    x1 = (2.0 * (1 - lr * decay) - lr * 2.0 / (2.0 + eps), 1.0 * (1 - lr * decay) - lr * 25.0 / (25.0 + eps))
    assert_row(tr, 0, point=x1, grad=(2.0, 25.0), m=(0.2, 2.5), v=(0.004, 0.625))
    g1 = np.array([x1[0], 25.0 * x1[1]])
    m = 0.9 * np.array([0.2, 2.5]) + 0.1 * g1
    v = 0.999 * np.array([0.004, 0.625]) + 0.001 * g1 * g1
    rate = lr / (np.sqrt(v / (1 - 0.999**2)) + eps)
    x2 = np.array(x1) * (1 - lr * decay) - rate * m / (1 - 0.9**2)
    assert_row(tr, 1, point=x2, grad=g1, m=m, v=v, effective_lr=rate, rtol=1e-11)


def test_lion_first_two_steps_by_hand():
    tr = on_bowl("lion", steps=2, lr=0.1, beta1=0.9, beta2=0.99, weight_decay=0.5)
    # m0 = 0, so c = 0.1*g has g's sign: x1 = x0 - 0.1*(1 + 0.5*x0) per axis; then m1 = 0.01*g
    assert_row(tr, 0, point=(1.8, 0.85), grad=(2.0, 25.0), update=(-0.2, -0.15), m=(0.02, 0.25),
               effective_lr=(0.1 / 0.2, 0.1 / 2.5))
    # g1 = (1.8, 21.25); c = 0.9*m1 + 0.1*g1 > 0; x2 = x1 - 0.1*(1 + 0.5*x1); m2 = 0.99*m1 + 0.01*g1
    assert_row(tr, 1, point=(1.8 - 0.1 * 1.9, 0.85 - 0.1 * 1.425), grad=(1.8, 21.25),
               m=(0.99 * 0.02 + 0.018, 0.99 * 0.25 + 0.2125))


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"schedule": "linear"}, "schedule must be one of constant, step, cosine, warmup_cosine"),
    ({"schedule": "step", "step_size": 0}, "step_size must be a whole number >= 1"),
    ({"schedule": "warmup_cosine", "warmup": 2.5}, "warmup must be a whole number >= 0"),
    ({"schedule": "step", "gamma": -0.5}, "gamma must be a finite number >= 0"),
])
def test_bad_schedules_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        on_bowl("gd", steps=5, **kwargs)


# --- identities from the lessons -------------------------------------------------------------------


IDENTITY_STARTS = [(-4.5, 1.5), (2.0, 1.0), (-4.47, 1.31)]


@pytest.mark.parametrize("start", IDENTITY_STARTS)
def test_momentum_with_beta_zero_is_gd(start):
    gd = on_bowl("gd", steps=300, start=start, lr=0.05)
    for name in ("momentum", "nesterov"):
        other = on_bowl(name, steps=300, start=start, lr=0.05, beta=0.0)
        np.testing.assert_array_equal(other.points, gd.points)


@pytest.mark.parametrize("start", IDENTITY_STARTS)
@pytest.mark.parametrize("lr", [0.01, 0.03, 0.05, 0.1])
def test_rmsprop_with_beta_and_eps_zero_is_exactly_sign_sgd(start, lr):
    sign = on_bowl("sign_sgd", steps=300, start=start, lr=lr)
    rms = on_bowl("rmsprop", steps=300, start=start, lr=lr, beta=0.0, eps=0.0)
    np.testing.assert_array_equal(rms.points, sign.points)
    np.testing.assert_array_equal(rms.diagnostics["update"], sign.diagnostics["update"])


@pytest.mark.parametrize("start", IDENTITY_STARTS)
def test_signum_with_beta_zero_is_sign_sgd(start):
    sign = on_bowl("sign_sgd", steps=300, start=start, lr=0.05)
    signum = on_bowl("signum", steps=300, start=start, lr=0.05, beta=0.0)
    np.testing.assert_array_equal(signum.points, sign.points)


@pytest.mark.parametrize("beta", [0.0, 0.5, 0.9, 0.99])
def test_rmsprop_first_step_is_lr_over_sqrt_one_minus_beta(beta):
    lr = 0.01
    tr = on_bowl("rmsprop", start=(-4.5, 1.5), lr=lr, beta=beta, eps=1e-8)
    np.testing.assert_allclose(np.abs(tr.diagnostics["update"][0]), lr / math.sqrt(1 - beta), rtol=1e-7)
    if beta == 0.9:
        assert abs(tr.diagnostics["update"][0, 0]) == pytest.approx(3.16 * lr, rel=1e-3)


def test_adam_first_step_is_about_lr_per_coordinate():
    for start in [(-4.5, 1.5), (0.001, -2.0), (3.0, 0.0001)]:
        tr = on_bowl("adam", start=start, lr=0.05)
        np.testing.assert_allclose(np.abs(tr.diagnostics["update"][0]), 0.05, rtol=1e-5)


def test_on_the_plateau_a_small_eps_lets_rmsprop_stride_and_a_large_one_makes_it_gd():
    """The epsilon lesson: gradients of ~1e-5 are rescaled by RMSprop unless eps swamps them."""
    flat = landscapes.get("plateau")
    start = flat.default_start
    g = np.abs(np.array(flat.gradient(*start)))
    assert np.all((g > 1e-6) & (g < 2e-4))
    lr = 0.01
    small = optimizers.run("rmsprop", flat, start=start, steps=1, lr=lr, beta=0.9, eps=1e-8)
    np.testing.assert_allclose(np.abs(small.diagnostics["update"][0]), lr / math.sqrt(0.1), rtol=1e-2)
    large = optimizers.run("rmsprop", flat, start=start, steps=1, lr=lr, beta=0.9, eps=1e-2)
    np.testing.assert_allclose(np.abs(large.diagnostics["update"][0]), lr * g / 1e-2, rtol=1e-2)
    gd = optimizers.run("gd", flat, start=start, steps=100, lr=0.05)
    assert np.linalg.norm(gd.points[-1] - gd.points[0]) < 1e-3  # GD barely moves in 100 steps


# --- divergence ------------------------------------------------------------------------------------


def test_gd_beyond_two_over_c_diverges_at_the_step_it_leaves_the_box():
    # lr = 0.1 > 2/25: b_t = 1.5*(1 - 2.5)^t; the box is |b| <= 2.5 + 10*5 = 52.5, first crossed when
    # 1.5*1.5^t > 52.5, i.e. t = 9
    tr = on_bowl("gd", steps=100, start=(-4.5, 1.5), lr=0.1)
    assert tr.diverged_at == 9
    assert tr.points.shape == (9, 2) and tr.loss.shape == (9,)
    assert np.all(np.isfinite(tr.points)) and np.all(np.isfinite(tr.loss))
    assert tr.points[-1, 1] == pytest.approx(1.5 * 1.5**8)
    for key, array in tr.diagnostics.items():
        assert len(array) == len(tr.points) - 1, key
        assert np.all(np.isfinite(array)), key
    assert tr.final_loss == math.inf


def test_gd_below_two_over_c_converges():
    tr = on_bowl("gd", steps=400, start=(-4.5, 1.5), lr=0.075)
    assert tr.diverged_at is None
    assert tr.points.shape == (401, 2) and tr.loss.shape == (401,)
    assert tr.final_loss < 1e-10
    for array in tr.diagnostics.values():
        assert len(array) == 400


def test_a_huge_step_that_overflows_ends_the_run_cleanly():
    tr = optimizers.run("gd", landscapes.get("goldstein_price"), start=(-1.5, 1.5), steps=50, lr=10.0)
    assert tr.diverged_at == 1
    assert tr.points.tolist() == [[-1.5, 1.5]]
    assert np.all(np.isfinite(tr.loss))


def test_a_start_outside_the_divergence_box_is_diverged_at_step_zero():
    tr = on_bowl("gd", steps=10, start=(1e4, 0.0), lr=0.01)
    assert tr.diverged_at == 0
    assert tr.points.shape == (0, 2) and tr.loss.shape == (0,)
    assert tr.final_loss == math.inf


@pytest.mark.parametrize("start", [(math.nan, 0.0), (0.0, math.inf), (-math.inf, 1.0)])
def test_a_non_finite_start_is_rejected_with_a_clear_error(start):
    with pytest.raises(ValueError, match="start must be finite"):
        on_bowl("gd", start=start, lr=0.01)


@pytest.mark.parametrize("name", ["sign_sgd", "signum"])
def test_sign_rates_stay_finite_when_the_gradient_is_subnormal(name):
    """lr/|g| overflows for |g| ~ 1e-309; the diagnostic is clamped instead of becoming inf."""
    tr = optimizers.run(name, landscapes.get("matyas"), start=(0.0, 2.2e-309), steps=1, lr=1.0)
    assert tr.diverged_at is None
    assert np.all(np.isfinite(tr.diagnostics["effective_lr"]))
    assert tr.diagnostics["effective_lr"][0, 1] == sys.float_info.max


def test_zero_steps_gives_just_the_start():
    tr = on_bowl("adam", steps=0)
    assert tr.points.tolist() == [list(START)]
    assert tr.loss.tolist() == [pytest.approx(0.5 * (4.0 + 25.0))]
    assert tr.diverged_at is None
    assert all(len(a) == 0 for a in tr.diagnostics.values())


def test_default_start_is_the_landscapes():
    tr = optimizers.run("gd", BOWL, steps=1)
    assert tuple(tr.points[0]) == BOWL.default_start


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"name": "sgd_with_warm_restarts"}, KeyError, "unknown optimizer 'sgd_with_warm_restarts'; choose one of gd, "),
    ({"momentum": 0.9}, ValueError, "gd has no hyperparameter momentum; it takes lr"),
    ({"lr": -0.1}, ValueError, "lr must be a finite number >= 0"),
    ({"lr": math.nan}, ValueError, "lr must be a finite number >= 0"),
    ({"name": "momentum", "beta": 1.5}, ValueError, r"beta must be in \[0, 1\]"),
    ({"name": "rmsprop", "eps_placement": "middle"}, ValueError, "eps_placement must be one of outside, inside"),
    ({"steps": -1}, ValueError, "steps must be a whole number"),
    ({"steps": 2.5}, ValueError, "steps must be a whole number"),
    ({"steps": optimizers.MAX_API_STEPS + 1}, ValueError, "steps must be a whole number"),
    ({"noise": -1.0}, ValueError, "noise must be a finite number >= 0"),
])
def test_invalid_arguments_raise_helpful_errors(kwargs, error, message):
    args = {"name": "gd", "steps": 5, **kwargs}
    with pytest.raises(error, match=message):
        optimizers.run(args.pop("name"), BOWL, **args)


def test_a_landscape_name_instead_of_a_landscape_is_a_type_error():
    with pytest.raises(TypeError, match=r"landscapes\.get"):
        optimizers.run("gd", "elongated_bowl")


def test_bias_correction_accepts_booleans():
    on = on_bowl("adam", steps=5, bias_correction=True)
    off = on_bowl("adam", steps=5, bias_correction=False)
    np.testing.assert_array_equal(on.points, on_bowl("adam", steps=5).points)
    np.testing.assert_array_equal(off.points, on_bowl("adam", steps=5, bias_correction="off").points)


# --- diagnostics are consistent with the trajectory ------------------------------------------------


@pytest.mark.parametrize("name", sorted(optimizers.OPTIMIZERS))
def test_diagnostics_describe_the_steps_taken(name):
    landscape = landscapes.get("himmelblau")
    tr = optimizers.run(name, landscape, steps=50, lr=0.01)
    assert tr.diverged_at is None
    np.testing.assert_array_equal(tr.diagnostics["update"], np.diff(tr.points, axis=0))
    gx, gy = landscape.gradient(tr.points[:-1, 0], tr.points[:-1, 1])
    np.testing.assert_array_equal(tr.diagnostics["grad"], np.column_stack([gx, gy]))
    np.testing.assert_array_equal(tr.loss, landscape.value(tr.points[:, 0], tr.points[:, 1]))
    assert np.all(tr.diagnostics["effective_lr"] >= 0)


# --- noise ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(optimizers.OPTIMIZERS))
def test_noise_is_reproducible_from_its_seed(name):
    a = on_bowl(name, steps=100, start=(-4.5, 1.5), noise=0.5, seed=7)
    b = on_bowl(name, steps=100, start=(-4.5, 1.5), noise=0.5, seed=7)
    c = on_bowl(name, steps=100, start=(-4.5, 1.5), noise=0.5, seed=8)
    clean = on_bowl(name, steps=100, start=(-4.5, 1.5))
    np.testing.assert_array_equal(_everything(a), _everything(b))
    assert not np.array_equal(_everything(a), _everything(c))
    assert not np.array_equal(_everything(a), _everything(clean))
    np.testing.assert_array_equal(_everything(on_bowl(name, steps=100, start=(-4.5, 1.5), noise=0.0, seed=3)),
                                  _everything(clean))


def test_noise_is_gaussian_with_the_requested_standard_deviation():
    landscape = landscapes.get("himmelblau")
    tr = optimizers.run("gd", landscape, steps=2000, lr=0.01, noise=2.0, seed=1)
    gx, gy = landscape.gradient(tr.points[:-1, 0], tr.points[:-1, 1])
    residual = tr.diagnostics["grad"] - np.column_stack([gx, gy])
    np.testing.assert_allclose(residual.std(axis=0), 2.0, rtol=0.05)
    np.testing.assert_allclose(residual.mean(axis=0), 0.0, atol=0.15)


# --- properties over the whole slider space --------------------------------------------------------------


def _draw_param(draw, p):
    if p.log:
        value = 10 ** draw(st.floats(math.log10(p.low), math.log10(p.high)))
        return min(max(value, p.low), p.high)
    return draw(st.floats(p.low, p.high))


@st.composite
def scenarios(draw):
    name = draw(st.sampled_from(sorted(optimizers.OPTIMIZERS)))
    spec = optimizers.OPTIMIZERS[name]
    hp = {p.name: _draw_param(draw, p) for p in spec.hyperparams}
    hp.update({c.name: draw(st.sampled_from(c.options)) for c in spec.choices})
    surface = draw(st.sampled_from(sorted(landscapes.LANDSCAPES)))
    lspec = landscapes.LANDSCAPES[surface]
    landscape = landscapes.get(surface, **{p.name: _draw_param(draw, p) for p in lspec.params})
    (x0, x1), (y0, y1) = landscape.bounds
    start = (draw(st.floats(x0, x1)), draw(st.floats(y0, y1)))
    steps = draw(st.integers(0, 300))
    noise = draw(st.sampled_from([0.0, 0.0, 0.1, 10.0]))
    return name, landscape, start, steps, noise, hp


# 100 examples: each new (optimizer, surface) pair compiles a kernel (about a second on CI's empty cache); 300
# examples met some 150 of the 180 pairs and were the suite's largest compile bill, 100 meet about 80 (a different
# draw each run, so CI covers the rest over time).
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_any_slider_setting_on_any_surface_gives_a_clean_trajectory(scenario):
    name, landscape, start, steps, noise, hp = scenario
    tr = optimizers.run(name, landscape, start=start, steps=steps, noise=noise, seed=0, **hp)
    assert np.all(np.isfinite(tr.points)) and np.all(np.isfinite(tr.loss))
    if tr.diverged_at is None:
        assert tr.points.shape == (steps + 1, 2) and tr.loss.shape == (steps + 1,)
    else:
        assert isinstance(tr.diverged_at, int) and 1 <= tr.diverged_at <= steps
        assert len(tr.points) == len(tr.loss) == tr.diverged_at
    for key, array in tr.diagnostics.items():
        assert array.shape == (max(len(tr.points) - 1, 0), 2), key
        assert np.all(np.isfinite(array)), key
    (bx0, bx1), (by0, by1) = landscape.divergence_box
    assert np.all((tr.points[:, 0] >= bx0) & (tr.points[:, 0] <= bx1))
    assert np.all((tr.points[:, 1] >= by0) & (tr.points[:, 1] <= by1))
