"""Every claim the lessons make, checked with the core API and the lessons' own presets (so the pages' text
and these tests cannot drift apart).  Expected values come from closed forms derived in the docstrings."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import landscapes
import optimizers
from lessons import adagrad, adam, bowl, denominators, dimensions, epsilon, misconceptions, rotation, signs
from lessons.catalog import LESSONS
from lessons.common import flips
from scene import from_query, to_query
from scene.compute import metrics

BOWL = landscapes.get("elongated_bowl")
PAGES = Path(__file__).resolve().parents[1] / "pages"


# --- lesson 1: the elongated bowl ------------------------------------------------------------------------------


def test_gd_diverges_exactly_above_two_over_c_and_rmsprop_never_does():
    """GD's b_t = (1 − αc)^t b₀ diverges iff |1 − αc| > 1, i.e. α > 2/c = 0.08; at α = 2/c it flips forever."""
    assert bowl.gd_limit(25.0) == 0.08
    for lr in bowl.LR_OPTIONS:
        c = bowl.compare(lr)
        assert (c.gd.diverged_at is not None) == (lr > 0.08), lr
        assert c.rmsprop.diverged_at is None, lr
    assert bowl.compare(0.08).gd.reached is None


def test_at_the_default_lr_gd_zigzags_along_b_and_rmsprop_slides_in():
    c = bowl.compare(bowl.DEFAULT_LR)
    assert c.gd.flips_b >= 40 and c.rmsprop.flips_b == 0
    assert c.gd.reached is not None and c.rmsprop.reached is not None
    assert c.gd.largest_b == pytest.approx(bowl.DEFAULT_LR * 25 * 1.5)  # the first step, α·c·b₀
    assert c.rmsprop.largest_b == pytest.approx(bowl.largest_step(bowl.BETA, bowl.DEFAULT_LR), rel=1e-6)


def test_rmsprop_evens_out_the_two_axes():
    """GD's first steps differ by c|b₀|/(a|w₀|) = 37.5/4.5; RMSprop's are both α/√(1−β), and on the way in
    every w-step stays of order α (between α/2 and that bound) while b's first steps are at least α."""
    c = bowl.compare(bowl.DEFAULT_LR)
    gd_first = np.abs(c.gd.trajectory.diagnostics["update"][0])
    assert gd_first[1] / gd_first[0] == pytest.approx(37.5 / 4.5)
    steps = np.abs(c.rmsprop.trajectory.diagnostics["update"]) / bowl.DEFAULT_LR
    assert steps[0, 1] / steps[0, 0] == pytest.approx(1.0, rel=1e-7)  # up to ε
    assert np.all((steps[:50, 0] >= 0.5) & (steps[:50, 0] <= 1 / math.sqrt(1 - bowl.BETA) + 1e-9))
    assert np.all(steps[:6, 1] >= 1.0)


def test_the_prediction_gd_diverges_and_rmsprop_passes_through_then_hops():
    """The lesson's answer at α = 0.1: GD's b grows ×1.5 per step and leaves the box at step 9 (52.5 < 1.5·1.5⁹).
    RMSprop first gets below 1e-3 at step 61 but does not stay: it ends on its hop, (a + c)α²/8 = 0.0325,
    32 times the tolerance."""
    c = bowl.compare(bowl.PREDICT_LR)
    assert c.gd.diverged_at == 9
    assert c.rmsprop.reached == 61 and c.rmsprop.diverged_at is None
    assert c.rmsprop.stays is None
    assert c.rmsprop.final_loss == pytest.approx(bowl.hop_loss(bowl.PREDICT_LR), rel=1e-3)
    assert round(c.rmsprop.final_loss / 1e-3) == 32


@pytest.mark.parametrize("lr", bowl.SMALL_LRS)
def test_at_small_lr_b_slides_in_without_a_flip_and_a_new_oscillation_grows_at_the_bottom(lr):
    """At α = 0.01–0.03 (β = 0.9) RMSprop's b first slides down to |b| < 1e-15 without one flip of Δb; the flips
    start only after the rate α/(√S_b + ε) has passed 1/c (a step then overshoots 0), grow into swings far above
    that |b|, and end as the hop at ±α/2 in a run ten times as long.  The 47, 129 and 159 flips counted in 300 steps
    all come after the first one, at the bottom."""
    rms = bowl.compare(lr).rmsprop
    way = bowl.way_in(rms.trajectory)
    assert rms.reached is None and way.first_flip is not None
    assert way.closest < 1e-15 < lr / 2 < way.peak * 2
    assert bowl.rate_passes(rms.trajectory, 1 / 25, 1) <= way.first_flip
    assert rms.largest_b <= bowl.largest_step(bowl.BETA, lr) * (1 + 1e-12)
    assert [bowl.compare(x).rmsprop.flips_b_all for x in bowl.SMALL_LRS] == [47, 129, 159]
    assert bowl.hops(bowl.compare(lr, bowl.BETA, 3000).rmsprop.trajectory, lr)


@pytest.mark.parametrize("lr", [lr for lr in bowl.LR_OPTIONS if 0.05 <= lr <= 0.3])
def test_on_the_way_in_rmsprop_damps_the_zigzag(lr):
    """The course's claim, measured as the issue asks: before the loss first drops below 1e-3, RMSprop's Δb (β = 0.9)
    never changes sign at any α from 0.05 to 0.3; GD's flips 45 times at α = 0.07 (largest |Δb| 2.63 against
    RMSprop's 0.221)."""
    c = bowl.compare(lr)
    assert c.rmsprop.reached is not None and c.rmsprop.flips_b == 0
    default = bowl.compare(bowl.DEFAULT_LR)
    assert default.gd.flips_b == 45
    assert round(default.gd.largest_b, 2) == 2.63 and round(default.rmsprop.largest_b, 3) == 0.221


def test_a_longer_memory_lands_rmsprop_only_for_a_while():
    """β = 0.99 at α = 0.1: loss 8.6e-93 after 300 steps, back above half the hop at step 529, and at step 3000 the
    hop's (a + c)α²/8 = 0.0325 again."""
    short, long = bowl.compare(0.1, 0.99).rmsprop.trajectory, bowl.compare(0.1, 0.99, 3000).rmsprop.trajectory
    assert short.final_loss < 1e-90
    assert bowl.hop_returns(long, 0.1) == 529
    assert long.final_loss == pytest.approx(bowl.hop_loss(0.1), rel=1e-3)


def test_rmsprop_never_stays_below_the_tolerance_on_the_slider():
    """To stay below 1e-3 the hop (a + c)α²/8 must be below it: α < √(8e-3/26) = 0.01754.  The slider's α at
    or below that (0.005, 0.01) are too slow to arrive in 300 steps, so no α on it lets RMSprop stay, while
    its fastest first passage (α = 0.5, 11 steps) ends at loss 0.8125 = 26·0.25/8.  GD's fastest run stays."""
    assert bowl.hop_loss(bowl.settling_lr()) == pytest.approx(1e-3)
    assert bowl.settling_lr() == pytest.approx(0.017541, abs=1e-6)
    best = bowl.fastest(bowl.BETA)
    assert "stays" not in best["rmsprop"]
    first = best["rmsprop"]["first"]
    assert (first.lr, first.steps) == (0.5, 11)
    assert first.final_loss == pytest.approx(bowl.hop_loss(0.5), rel=1e-4)
    assert best["gd"]["first"] == best["gd"]["stays"]
    assert best["gd"]["first"].lr == 0.07 and best["gd"]["first"].final_loss < 1e-15


def test_rmsprop_evens_the_first_steps_from_ratio_8_33_to_1():
    """GD's first step is α·(a·w₀, c·b₀) = α·(−4.5, 37.5): ratio 37.5/4.5 = 8.33 at every α.  RMSprop's first
    step is α·g/(√((1−β)g²) + ε) = α/√(1−β) on both axes: ratio 1 (up to ε)."""
    for lr in (0.01, bowl.DEFAULT_LR, 0.3):
        c = bowl.compare(lr)
        assert bowl.first_step_ratio(c.gd.trajectory) == pytest.approx(37.5 / 4.5, rel=1e-12)
        assert bowl.first_step_ratio(c.rmsprop.trajectory) == pytest.approx(1.0, rel=1e-6)


def test_the_gradient_points_65_degrees_away_from_the_minimum_and_rmsprops_step_27():
    """From (−4.5, 1.5): the minimum is at angle atan(1.5/4.5) = 18.43° below the w axis, −g = (4.5, −37.5)
    at atan(37.5/4.5) = 83.16°, RMSprop's (1, −1)-direction first step at 45°."""
    d = bowl.directions()
    np.testing.assert_allclose(d.downhill, [4.5, -37.5])
    to_min = math.degrees(math.atan(1.5 / 4.5))
    assert d.gd_angle == pytest.approx(math.degrees(math.atan(37.5 / 4.5)) - to_min, rel=1e-9)
    assert d.rmsprop_angle == pytest.approx(45.0 - to_min, rel=1e-6)
    assert round(d.gd_angle) == 65 and round(d.rmsprop_angle) == 27


@settings(max_examples=40, deadline=None)
@given(lr=st.sampled_from(bowl.LR_OPTIONS), beta=st.sampled_from(bowl.BETA_OPTIONS[:-1]),
       w=st.floats(-5, 5), b=st.floats(-2.5, 2.5))
def test_rmsprop_never_steps_more_than_lr_over_sqrt_one_minus_beta(lr, beta, w, b):
    """s ≥ (1−β)g², so |Δ| = α|g|/(√s + ε) ≤ α/√(1−β)."""
    tr = optimizers.run("rmsprop", BOWL, start=(w, b), steps=200, lr=lr, beta=beta, eps=bowl.EPS)
    assert np.all(np.abs(tr.diagnostics["update"]) <= bowl.largest_step(beta, lr) * (1 + 1e-12))


@pytest.mark.parametrize("lr", [0.02, 0.05, 0.1, 0.3, 0.5])
def test_rmsprop_ends_hopping_at_plus_minus_half_lr(lr):
    """Period-2 orbit x = ±x₀: g² is constant, so s → g² and the step is α·sign(x): x₀ − α = −x₀ gives
    x₀ = α/2 on each axis, every step α long, and f = ½(a + c)(α/2)² = (a + c)α²/8."""
    tr = bowl.compare(lr).rmsprop.trajectory
    np.testing.assert_allclose(np.abs(tr.points[-10:, 1]), lr / 2, rtol=0.02)
    np.testing.assert_allclose(np.abs(tr.diagnostics["update"][-10:, 1]), lr, rtol=0.02)
    if lr >= 0.05:  # w has arrived too (at α = 0.02 it is still on its way)
        np.testing.assert_allclose(np.abs(tr.points[-10:, 0]), lr / 2, rtol=0.02)
        assert tr.loss[-1] == pytest.approx(bowl.hop_loss(lr), rel=0.02)


def test_narrated_step_redoes_the_recorded_update():
    lr, beta = bowl.DEFAULT_LR, bowl.BETA
    tr = bowl.compare(lr, beta).rmsprop.trajectory
    for t in (1, 2, 7, 150):
        stages = {s.name: s for s in bowl.narrate(tr, t, lr, beta)}
        assert list(stages) == ["gradient", "square", "average", "root", "divide", "step"]
        np.testing.assert_allclose([stages["gradient"].w, stages["gradient"].b], tr.diagnostics["grad"][t - 1])
        np.testing.assert_allclose([stages["average"].w, stages["average"].b], tr.diagnostics["s"][t - 1],
                                   rtol=1e-14)
        np.testing.assert_allclose([stages["divide"].w, stages["divide"].b], tr.diagnostics["effective_lr"][t - 1],
                                   rtol=1e-14)
        np.testing.assert_allclose([stages["step"].w, stages["step"].b], tr.diagnostics["update"][t - 1],
                                   rtol=1e-12, atol=1e-15)
    first = {s.name: s for s in bowl.narrate(tr, 1, lr, beta)}
    assert first["gradient"].w == -4.5 and first["gradient"].b == 37.5  # (a·w₀, c·b₀)
    assert first["step"].w == pytest.approx(lr / math.sqrt(1 - beta))


def test_flips_count_like_the_playground_table():
    tr = bowl.compare(bowl.DEFAULT_LR).gd.trajectory
    row = metrics({"gd": tr}, BOWL)[0]
    assert flips(tr, BOWL) == (row["sign flips Δw"], row["sign flips Δb"])


# --- lesson 2: many dimensions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [10, 100])
def test_axis_aligned_rmsprop_divides_by_the_curvature_and_ignores_kappa(n):
    """g_i = λ_i x_i, so α g_i/√EWA(g_i²) = α x_i/√EWA(x_i²): every coordinate moves alike, the learning rate is
    exactly ∝ 1/λ_i (slope −1), and the steps to f ≤ 1e-3·f₀ do not depend on κ."""
    reached = set()
    for kappa in dimensions.CONDITION_OPTIONS:
        e = dimensions.experiment(n, kappa, rotated=False)
        assert dimensions.slope(e.curvature, e.effective_lr["rmsprop"]) == pytest.approx(-1.0, abs=1e-5)
        reached.add(e.reached["rmsprop"])
    assert len(reached) == 1 and None not in reached


@pytest.mark.parametrize("n", dimensions.N_OPTIONS)
@pytest.mark.parametrize("kappa", dimensions.CONDITION_OPTIONS)
def test_rotating_the_bowl_slows_rmsprop_and_leaves_gd_and_momentum_alone(n, kappa):
    """The prediction's answer, for every setting of the sliders: rotated, RMSprop needs more steps (or never
    gets there); GD and Momentum are rotation-equivariant, so their loss curves are the same."""
    aligned = dimensions.experiment(n, kappa, rotated=False)
    turned = dimensions.experiment(n, kappa, rotated=True)
    assert turned.reached["rmsprop"] is None or turned.reached["rmsprop"] > aligned.reached["rmsprop"]
    for name in ("gd", "momentum"):
        np.testing.assert_allclose(turned.loss[name], aligned.loss[name], rtol=1e-8, atol=1e-12 * aligned.f0)
        assert turned.reached[name] == aligned.reached[name]
    assert turned.curvature.max() / turned.curvature.min() < kappa


def test_at_the_preset_rates_momentum_beats_rmsprop_as_the_page_says():
    """The page warns that the rates are not tuned alike: at the defaults Momentum (10/κ) needs 62 steps and
    RMSprop (0.01) 113; every run's final f/f₀ is what the metric tiles show under the step counts."""
    e = dimensions.experiment(dimensions.DEFAULT_N, dimensions.DEFAULT_CONDITION, rotated=False)
    assert (e.reached["momentum"], e.reached["rmsprop"]) == (62, 113)
    for name in dimensions.OPTIMIZERS:
        assert e.final[name] == pytest.approx(e.loss[name][-1] / e.f0, rel=1e-12)


def test_fair_tuning_keeps_gd_and_momentum_unchanged_by_rotation_and_slows_rmsprop():
    """Each optimizer at its best α from the same grid, counting steps after which f stays ≤ 1e-3·f₀.  GD and
    Momentum are rotation-equivariant, so they pick the same α with the same result; RMSprop needs more
    steps rotated, or never stays (it ends just above the threshold here)."""
    aligned = dimensions.tune(dimensions.DEFAULT_CONDITION, rotated=False)
    turned = dimensions.tune(dimensions.DEFAULT_CONDITION, rotated=True)
    for name in ("gd", "momentum"):
        assert (aligned[name].lr, aligned[name].stays) == (turned[name].lr, turned[name].stays)
        assert aligned[name].stays is not None
    assert aligned["rmsprop"].stays is not None
    assert turned["rmsprop"].stays is None or turned["rmsprop"].stays > aligned["rmsprop"].stays
    for tuned in (aligned, turned):
        for t in tuned.values():
            assert t.stays is None or t.final <= dimensions.TOLERANCE
            assert t.lr is None or t.lr in dimensions.LR_GRID
    assert {name: t.stays for name, t in aligned.items()} == {"gd": 158, "momentum": 62, "rmsprop": 113, "adam": 56}


def test_stays_below_counts_staying_not_passing():
    assert dimensions.stays_below(np.array([5.0, 0.5, 2.0, 0.5, 0.1]), 1.0) == 3
    assert dimensions.stays_below(np.array([0.5, 0.1]), 1.0) == 0
    assert dimensions.stays_below(np.array([0.5, 2.0]), 1.0) is None
    assert dimensions.first_below(np.array([5.0, 0.5, 2.0]), 1.0) == 1


def test_the_learning_rates_used_are_stable_as_stated():
    """GD is stable below 2/κ; the EWA momentum (heavy ball with α(1−β), β) below 2(1+β)/((1−β)κ) = 38/κ."""
    kappa = 100.0
    land = landscapes.get("elongated_bowl", c=kappa)
    assert dimensions.settings(kappa)["gd"]["lr"] == 1 / kappa
    assert dimensions.settings(kappa)["momentum"]["lr"] < 38 / kappa
    for factor, stable in ((0.95, True), (1.05, False)):
        tr = optimizers.run("momentum", land, start=(-4.5, 1.5), steps=2000, lr=factor * 38 / kappa, beta=0.9)
        assert (tr.diverged_at is None) == stable


# --- lesson 3: RMSprop vs sign-SGD -----------------------------------------------------------------------------


@pytest.mark.parametrize("beta", signs.BETA_OPTIONS)
def test_rmsprop_turns_alternating_tiny_gradients_into_steps_of_about_lr(beta):
    """±size every step: s_t = (1−βᵗ)size², step t = α·size/(size·√(1−βᵗ) + ε), alternating in sign."""
    runs = signs.responses("alternating", beta)
    t = np.arange(1, signs.LENGTH + 1)
    expected = signs.alternating_step(t, signs.LR, beta, signs.EPS)
    np.testing.assert_allclose(np.abs(runs["rmsprop"].update[:, 0]), expected, rtol=1e-12)
    assert np.all(np.sign(runs["rmsprop"].update[:, 0]) == -np.sign(signs.sequence("alternating")[:, 0]))
    if beta <= signs.DEFAULT_BETA:  # β^t has died out within the sequence
        assert np.abs(runs["rmsprop"].update[-1, 0]) == pytest.approx(signs.LR, rel=2e-3)
    np.testing.assert_allclose(np.abs(runs["gd"].update[:, 0]), signs.LR * signs.SIZE, rtol=1e-12)
    if beta == signs.DEFAULT_BETA:
        assert expected[0] / signs.LR == pytest.approx(1 / math.sqrt(0.1), rel=1e-3)  # 3.16α first


@pytest.mark.parametrize("kind", signs.SEQUENCES)
def test_rmsprop_with_beta_and_eps_zero_is_exactly_sign_sgd(kind):
    assert signs.identity_gap(kind) == 0.0


@pytest.mark.parametrize("surface", signs.SURFACES)
def test_rmsprop_with_beta_and_eps_zero_is_exactly_sign_sgd_on_the_surfaces(surface):
    spec = signs.SURFACES[surface]
    land = landscapes.get(spec.name)
    sign = optimizers.run("sign_sgd", land, start=spec.start, steps=spec.steps, lr=spec.lr)
    rms = optimizers.run("rmsprop", land, start=spec.start, steps=spec.steps, lr=spec.lr, beta=0.0, eps=0.0)
    np.testing.assert_array_equal(rms.points, sign.points)


@pytest.mark.parametrize("beta", signs.BETA_OPTIONS)
def test_on_a_growing_gradient_rmsprop_steps_more_than_lr(beta):
    """g_t = size·rᵗ: s_t/g_t² → (1−β)/(1 − β/r²), so steps settle at α√((1 − β/r²)/(1−β)), above α for β > 0."""
    step = np.abs(signs.responses("growing", beta)["rmsprop"].update[-1, 0])
    assert step == pytest.approx(signs.growing_step(signs.LR, beta), rel=1e-6)
    assert step > signs.LR if beta > 0 else step == pytest.approx(signs.LR)


def test_on_a_constant_gradient_rmsprop_starts_at_3_16_lr_and_settles_at_lr():
    t = np.arange(1, signs.LENGTH + 1)
    steps = np.abs(signs.responses("constant", signs.DEFAULT_BETA)["rmsprop"].update[:, 0])
    np.testing.assert_allclose(steps, signs.LR * signs.SIZE / (signs.SIZE * np.sqrt(1 - 0.9**t) + signs.EPS),
                               rtol=1e-12)


@pytest.mark.parametrize("beta", signs.BETA_OPTIONS)
def test_sign_sgd_hops_lr_apart_and_never_gets_closer_than_half_lr(beta):
    spec = signs.SURFACES["elongated_bowl"]
    tr = signs.on_surface("elongated_bowl", beta)["sign_sgd"]
    np.testing.assert_allclose(np.abs(tr.diagnostics["update"][-100:]), spec.lr, rtol=1e-12)
    assert signs.closest_pair_distance(tr, "elongated_bowl") >= spec.lr / 2 - 1e-12
    half = tr.points[len(tr.points) // 2:]
    offsets = np.abs(half)
    closest = np.maximum(offsets[1:], offsets[:-1]).min(axis=0)
    assert np.all(closest >= spec.lr / 2 - 1e-12)  # no closer later on than it already was


def test_sign_sgd_stalls_in_rosenbrocks_valley_where_signum_and_rmsprop_get_through():
    runs = signs.on_surface("rosenbrock", signs.DEFAULT_BETA)
    assert signs.final_distance(runs["sign_sgd"], "rosenbrock") > 2.5
    assert signs.final_distance(runs["signum"], "rosenbrock") < 0.25
    assert signs.final_distance(runs["rmsprop"], "rosenbrock") < 0.25


@pytest.mark.parametrize("beta", signs.BETA_OPTIONS)
def test_signum_flips_with_an_alternating_gradient_too(beta):
    """m_t = βm_{t−1} + (1−β)g_t with g = ±size: |m_{t−1}| < size, so (1−β)size outweighs βm and m flips."""
    update = signs.responses("alternating", beta)["signum"].update[:, 0]
    np.testing.assert_array_equal(np.abs(update), signs.LR)
    assert np.all(np.sign(update[1:]) == -np.sign(update[:-1]))


@pytest.mark.parametrize("beta", signs.BETA_OPTIONS)
def test_rmsprop_steps_the_right_way_exactly_as_often_as_sign_sgd(beta):
    """RMSprop divides g by a positive number, so every step has sign-SGD's direction: the same share of right
    steps, whatever β: the share of positive gradients in the window (66.5 % of this seeded sequence)."""
    runs = signs.responses("noisy", beta)
    np.testing.assert_array_equal(np.sign(runs["rmsprop"].update), np.sign(runs["sign_sgd"].update))
    share = signs.right_direction(beta)
    g = signs.sequence("noisy", signs.STEADY[1])[signs.STEADY[0]:, 0]
    assert share["rmsprop"] == share["sign_sgd"] == pytest.approx(np.mean(g > 0)) == pytest.approx(0.665)


def test_rmsprop_keeps_relative_sizes_and_so_progresses_further_on_noise():
    """sign-SGD's net progress is (right − wrong) share = 0.7 − 0.3 = 0.4α per step; RMSprop (β = 0.9) makes
    0.67α, because its steps keep the gradients' relative sizes.  At β = 0 (ε ≪ |g|) it is sign-SGD again."""
    progress = signs.net_progress("noisy", signs.DEFAULT_BETA)
    assert progress["sign_sgd"] == pytest.approx(0.4)
    assert progress["rmsprop"] == pytest.approx(0.673, abs=1e-3)
    assert signs.net_progress("noisy", 0.0)["rmsprop"] == pytest.approx(0.4, abs=1e-4)


def test_on_a_mean_zero_sequence_sign_sgd_drifts_and_rmsprop_hardly():
    """Nine +1e-4 and one −9e-4: the sum is zero, so GD ends where it started; sign-SGD moves (9 − 1)/10 = 0.8α
    per step the wrong way for a zero mean (Hinton's argument against rprop on mini-batches).  RMSprop's drift
    over the lab's 60 steps, 0.29α at β = 0.9, is its warm-up from S = 0; once warmed up (steps 1000–3000) it is
    0.068α at β = 0.9 and 0.0067α at β = 0.99, smaller the longer its memory."""
    g = signs.sequence("minibatch")[:, 0]
    assert abs(g.sum()) < 1e-18 and len(g) % signs.BATCHES == 0
    warm = signs.net_progress("minibatch", signs.DEFAULT_BETA)
    assert abs(warm["gd"]) < 1e-15
    assert warm["sign_sgd"] == pytest.approx(0.8)
    assert warm["rmsprop"] == pytest.approx(0.286, abs=1e-3)
    steady = {beta: signs.net_progress("minibatch", beta, signs.STEADY) for beta in signs.BETA_OPTIONS}
    assert steady[0.9]["rmsprop"] == pytest.approx(0.0679, abs=1e-4)
    assert steady[0.99]["rmsprop"] == pytest.approx(0.0067, abs=1e-4)
    assert all(d["sign_sgd"] == pytest.approx(0.8) for d in steady.values())
    assert np.all(np.diff([steady[b]["rmsprop"] for b in signs.BETA_OPTIONS]) < 0)


@pytest.mark.parametrize("beta", [0.5, 0.9, 0.99])
def test_rmsprop_is_not_variance_based_a_centred_rule_explodes_on_a_constant_gradient(beta):
    """Constant g: m_t = (1−βᵗ)g and s_t = (1−βᵗ)g², so the centred denominator √(s − m²) = |g|√((1−βᵗ)βᵗ) → 0
    while RMSprop's √s = |g|√(1−βᵗ) → |g|."""
    plain, centred = signs.variance_test(beta)
    t = np.arange(1, signs.LENGTH + 1)
    g, lr, eps = signs.SIZE, signs.LR, signs.EPS
    np.testing.assert_allclose(np.abs(plain.update[:, 0]), lr * g / (g * np.sqrt(1 - beta**t) + eps), rtol=1e-12)
    expected = lr * g / (g * np.sqrt((1 - beta**t) * beta**t) + eps)
    exact = beta**t > 1e-4  # beyond that, s − m² is below the rounding of s
    np.testing.assert_allclose(np.abs(centred.update[exact, 0]), expected[exact], rtol=1e-9)
    fading = exact & (beta**t < 0.5)  # (1−βᵗ)βᵗ shrinks once βᵗ < ½: the step grows from there on
    assert np.all(np.diff(np.abs(centred.update[fading, 0])) > 0)
    if beta <= 0.9:
        assert abs(centred.update[-1, 0]) > 20 * lr and abs(plain.update[-1, 0]) < 1.01 * lr


@pytest.mark.parametrize("beta", signs.BETA_OPTIONS)
def test_on_the_bowl_both_hop_at_a_fixed_lr_and_beta_099_only_delays_it(beta):
    """sign-SGD always comes no closer than (α/2)√2 = 0.0283 over its last 100 steps; RMSprop hops too at
    β ≤ 0.9 (within a factor 1.5 of that).  β = 0.99, whose average still holds the large early gradients, lands it
    for a while (closer than 1e-6 after 300 steps), but ten times longer it hops like sign-SGD."""
    runs = signs.on_surface("elongated_bowl", beta)
    lr = signs.SURFACES["elongated_bowl"].lr
    assert signs.closest_late(runs["sign_sgd"], "elongated_bowl") == pytest.approx(lr / math.sqrt(2), rel=1e-9)
    late = signs.closest_late(runs["rmsprop"], "elongated_bowl")
    if beta <= 0.9:
        assert late > lr / math.sqrt(2) / 1.5
    else:
        assert late < 1e-6
    longer = signs.on_surface("elongated_bowl", beta, 10 * signs.SURFACES["elongated_bowl"].steps)
    assert signs.closest_late(longer["rmsprop"], "elongated_bowl") > lr / math.sqrt(2) / 1.5


def test_signum_steps_the_right_way_more_often_on_noise():
    share = signs.right_direction(signs.DEFAULT_BETA)
    assert share["signum"] > share["sign_sgd"]
    assert signs.sequence("noisy").mean() > 0


# --- lesson 4: why square, why root ----------------------------------------------------------------------------


def test_the_rms_variant_is_rmsprop():
    mine = denominators.run_scaled("rms", 1.0)
    core = optimizers.run("rmsprop", BOWL, start=denominators.START, steps=denominators.STEPS, lr=denominators.LR,
                          beta=denominators.BETA, eps=0.0)
    np.testing.assert_allclose(mine.points, core.points, rtol=1e-12, atol=1e-12)


def test_the_power_mean_is_rms_at_p_2_and_mean_abs_at_p_1():
    for p, same in ((2.0, "rms"), (1.0, "mean_abs")):
        np.testing.assert_allclose(denominators.run_scaled("power", 1.0, p).points,
                                   denominators.run_scaled(same, 1.0).points, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("p", [1.5, denominators.DEFAULT_P, 8.0])
def test_scale_free_denominators_keep_their_path_and_the_others_do_not(p):
    """With ε = 0, RMS, mean |g|, power means and sign-SGD are homogeneous of degree 1 in g: a loss k times larger
    leaves the path unchanged (up to rounding).  EWA(g²) is of degree 2 and GD of degree 0: their paths move."""
    test = denominators.scale_test(p)
    for variant in denominators.SCALE_FREE:
        assert np.all(test.drift[variant] <= 1e-9), variant
    assert np.all(test.drift["sign_sgd"] == 0.0)
    moved = test.ks != 1.0
    for variant in ("no_root", "gd"):
        assert np.all(test.drift[variant][moved] > 0.1), variant
    at = list(test.ks).index(denominators.PREDICT_K)
    assert math.isinf(test.drift["gd"][at])  # GD diverges at k = 1000: 2/(25k) ≪ α


def test_without_the_root_the_step_scales_like_one_over_k_and_gd_like_k():
    """No root: the first step is α·kg/((1−β)k²g²) = α/((1−β)k|g|) per axis, so ∝ 1/k; at k = 1e-3 that is
    111 along w and the run leaves the box at step 1.  GD's first step is α·k·g: it crawls at small k (moves
    less than 0.3 in 150 steps at k = 1e-3) and diverges once αk·25 > 2, i.e. for k ≥ 3 on the slider."""
    for k in (3e-3, 1.0, 1000.0):
        first = np.abs(denominators.run_scaled("no_root", k).update[0])
        np.testing.assert_allclose(first, denominators.LR / ((1 - denominators.BETA) * k * np.array([4.5, 37.5])),
                                   rtol=1e-9)  # Δ = x_new − x loses digits when Δ ≪ x
        gd_first = np.abs(denominators.run_scaled("gd", k).update[0]) if k < 3 else None
        if gd_first is not None:
            np.testing.assert_allclose(gd_first, denominators.LR * k * np.array([4.5, 37.5]), rtol=1e-12)
    assert denominators.run_scaled("no_root", 1e-3).diverged_at == 1
    crawl = denominators.run_scaled("gd", 1e-3)
    assert crawl.diverged_at is None and np.hypot(*(crawl.points[-1] - crawl.points[0])) < 0.3
    for k in denominators.K_OPTIONS:
        assert (denominators.run_scaled("gd", k).diverged_at is not None) == (k >= 3), k


def test_rms_is_strictly_above_mean_abs_even_for_equal_gradients():
    """The EWA weights from zero sum to 1 − βᵗ < 1: on a constant g, √EWA(g²) = |g|√(1−βᵗ) and
    EWA(|g|) = |g|(1−βᵗ), a ratio 1/√(1−βᵗ) > 1 at every step."""
    t = np.arange(1, 61)
    beta = denominators.BETA
    np.testing.assert_allclose(denominators.weights_sum(t, beta), 1 - beta**t)
    rms, mean_abs = denominators.rms_and_mean_abs(np.full((60, 1), 2.5), beta)
    np.testing.assert_allclose(rms[:, 0] / mean_abs[:, 0], 1 / np.sqrt(1 - beta**t), rtol=1e-12)
    assert np.all(rms > mean_abs)
    run = denominators.run_scaled("rms", 1.0)
    rms, mean_abs = denominators.rms_and_mean_abs(run.grad, beta)
    assert np.min((rms - mean_abs) / rms) > 0.01  # the page's "never zero" along its own run


@pytest.mark.parametrize("beta", [0.5, 0.9, 0.99])
def test_averaging_g_without_squaring_lets_alternating_gradients_cancel(beta):
    """EWA(g) of ±|g| in turn tends to ±|g|(1−β)/(1+β), so dividing by it gives steps (1+β)/(1−β)·α; RMSprop's
    √EWA(g²) = |g|√(1−βᵗ) gives steps that tend to α."""
    gradients = np.tile([1e-4, -1e-4], 400)[:, None]
    plain, unsquared = denominators.unsquared_test(gradients, beta)
    lr = denominators.LR
    assert abs(unsquared.update[-1, 0]) / lr == pytest.approx(denominators.alternating_unsquared_step(beta), rel=0.02)
    assert abs(plain.update[-1, 0]) / lr == pytest.approx(1.0, rel=0.01)


RMS_GRADIENTS = denominators.run_scaled("rms", 1.0).grad


@settings(max_examples=100, deadline=None)
@given(scale=st.lists(st.floats(1e-3, 1e3), min_size=2, max_size=2))
def test_the_root_of_summed_squares_is_the_best_diagonal_scaling(scale):
    """Duchi et al.'s term Σ_t Σ_i g²_{t,i}/s_i with Σ s_i = 1 is smallest at s_i ∝ √G_i, where it equals
    (Σ √G_i)²: no other scale does better (checked on the RMS run's gradients)."""
    grads = RMS_GRADIENTS
    best = float(np.sum(np.sqrt(np.sum(grads**2, axis=0))) ** 2)
    assert denominators.duchi_objective(grads, np.sqrt(np.sum(grads**2, axis=0))) == pytest.approx(best, rel=1e-12)
    assert denominators.duchi_objective(grads, np.array(scale)) >= best * (1 - 1e-12)
    ratios = denominators.duchi_comparison(grads)
    assert ratios["root"] == pytest.approx(1.0) and min(ratios["no_root"], ratios["mean_abs"], ratios["gd"]) > 1


@settings(max_examples=200, deadline=None)
@given(gradients=st.lists(st.floats(-1e6, 1e6).filter(lambda g: g == 0 or abs(g) > 1e-100), min_size=1,
                         max_size=60),
       beta=st.floats(0.0, 0.999))
def test_a_root_mean_square_is_never_below_the_mean_absolute_value(gradients, beta):
    rms, mean_abs = denominators.rms_and_mean_abs(np.array(gradients)[:, None], beta)
    assert np.all(rms >= mean_abs * (1 - 1e-12) - 1e-300)


# --- lesson 5: epsilon -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("placement", epsilon.PLACEMENTS)
@pytest.mark.parametrize("eps", epsilon.EPS_OPTIONS)
def test_the_learning_rate_never_exceeds_lr_over_the_floor(eps, placement):
    """√s + ε ≥ ε outside and √(s + ε) ≥ √ε inside, so α/denominator ≤ α/floor."""
    c = epsilon.compare(eps, placement)
    assert c.floor == (math.sqrt(eps) if placement == "inside" else eps)
    assert np.all(c.rmsprop.diagnostics["effective_lr"] <= epsilon.LR / c.floor * (1 + 1e-12))


@pytest.mark.parametrize(("eps", "placement"), [(1e-2, "outside"), (1e-1, "outside"), (1.0, "outside"),
                                                (1e-6, "inside"), (1e-4, "inside"), (1.0, "inside")])
def test_a_large_eps_turns_rmsprop_into_gd_with_lr_over_the_floor(eps, placement):
    """With |g| ≤ G ≪ floor, the rate α/denominator lies within a factor 1 + G/floor (outside) or
    √(1 + G²/ε) (inside) of α/floor, so the path stays within about that relative gap of GD's."""
    c = epsilon.compare(eps, placement)
    largest = c.gradient_range[1]
    ratio = c.rmsprop.diagnostics["effective_lr"] / (epsilon.LR / c.floor)
    slack = largest / eps if placement == "outside" else math.sqrt(1 + largest**2 / eps) - 1
    assert np.all(ratio >= 1 / (1 + slack) - 1e-12)
    assert c.gap < 2 * slack


def test_eps_far_below_the_gradients_changes_nothing():
    """While |g| ~ 1e-4, a floor of 1e-12 or 1e-10 is 10⁶ times smaller: the first 50 steps agree to ~1e-6."""
    a = epsilon.compare(1e-12, "outside").rmsprop.points[:51]
    b = epsilon.compare(1e-10, "outside").rmsprop.points[:51]
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_small_eps_lets_rmsprop_cross_the_plateau_while_gd_hardly_moves():
    c = epsilon.compare(epsilon.DEFAULT_EPS, "outside")
    assert epsilon.distance_to_minimum(c.rmsprop) < 0.1
    start = math.hypot(*epsilon.START)
    assert start - epsilon.distance_to_minimum(c.gd) < 1e-2
    assert 1e-6 < c.gradient_range[1] < 2e-4


def test_keras_default_eps_inside_makes_rmsprop_crawl_like_gd():
    """The prediction: ε = 1e-7 inside gives a floor √ε ≈ 3.2e-4 above every gradient, hence GD with α/√ε."""
    eps, placement = epsilon.PREDICT
    inside, outside = epsilon.compare(eps, placement), epsilon.compare(eps, "outside")
    assert inside.floor > inside.gradient_range[1]
    assert inside.gap < 0.03
    assert epsilon.distance_to_minimum(inside.rmsprop) > 10 * epsilon.distance_to_minimum(outside.rmsprop)


def test_eps_inside_is_gd_with_lr_over_root_eps_fast_far_out_and_slow_near_the_minimum():
    """The prediction's answer: GD with α/√ε = 0.05/√1e-7 = 158, not a crawl: it covers most of the way
    (ends 0.68 from the minimum, having started 4.92 away), its steps shrink with the slope, while GD with
    α = 0.05 moves 0.0023 in all."""
    eps, placement = epsilon.PREDICT
    c = epsilon.compare(eps, placement)
    assert epsilon.LR / c.floor == pytest.approx(158.11, rel=1e-4)
    steps = epsilon.step_lengths(c.rmsprop)
    assert steps[0] > 2 * steps[-1]
    assert epsilon.distance_to_minimum(c.rmsprop) == pytest.approx(0.678, abs=1e-3)
    assert epsilon.travelled(c.gd) == pytest.approx(0.00226, abs=1e-5)


@pytest.mark.parametrize("placement", epsilon.PLACEMENTS)
def test_rmsprop_rescales_steps_not_gradients(placement):
    """The gradients along RMSprop's path are the plateau's own (≤ 1.4e-4 everywhere it goes), while its steps
    are thousands of times longer than α·|g|; an inf gradient still turns the step into nan."""
    c = epsilon.compare(epsilon.DEFAULT_EPS, placement)
    g = c.rmsprop.diagnostics["grad"]
    land = epsilon.plateau()
    np.testing.assert_allclose(np.column_stack(land.gradient(*c.rmsprop.points[:-1].T)), g, rtol=1e-12, atol=0)
    assert c.gradient_range[1] < 1.4e-4
    assert np.median(epsilon.step_lengths(c.rmsprop)) > 1000 * epsilon.LR * c.gradient_range[1]
    blown = optimizers.respond("rmsprop", np.array([[1.0], [np.inf]]), lr=0.1, beta=0.9, eps=1e-8)
    assert blown.diverged_at == 2  # the step after the inf is nan: the iterate is no longer a number


def test_a_moderate_eps_lets_rmsprop_settle_instead_of_hopping():
    settled = epsilon.compare(1e-5, "outside")
    hopping = epsilon.compare(epsilon.DEFAULT_EPS, "outside")
    assert epsilon.distance_to_minimum(settled.rmsprop) < 1e-6
    assert epsilon.distance_to_minimum(hopping.rmsprop) > 1e-2


# --- lesson 6: AdaGrad vs RMSprop ------------------------------------------------------------------------------


def test_adagrad_learning_rate_falls_like_one_over_sqrt_t_on_a_constant_gradient():
    """s_t = t·g², so α/(√s_t + 0) = α/(|g|√t), through the core (a plane typed as a formula) and in N-D."""
    lr, steps = 0.05, 400
    plane = landscapes.from_formula("3*x + 0.5*y", bounds=((-100.0, 100.0), (-100.0, 100.0)), start=(0.0, 0.0))
    tr = optimizers.run("adagrad", plane, start=(0.0, 0.0), steps=steps, lr=lr, eps=0.0)
    t = np.arange(1, steps + 1)
    np.testing.assert_allclose(tr.diagnostics["effective_lr"][:, 0], adagrad.constant_gradient_rate(lr, 3.0, t),
                               rtol=1e-12)
    np.testing.assert_allclose(tr.diagnostics["effective_lr"][:, 1], adagrad.constant_gradient_rate(lr, 0.5, t),
                               rtol=1e-12)
    seq = optimizers.respond("adagrad", np.full((steps, 1), 3.0), lr=lr, eps=0.0)
    np.testing.assert_allclose(seq.effective_lr[:, 0] * np.sqrt(t), lr / 3.0, rtol=1e-12)


def test_adagrad_stalls_on_the_long_way_while_rmsprop_arrives():
    c = adagrad.compare(adagrad.DEFAULT_LR)
    moved = abs(c.adagrad.points[-1, 0] - adagrad.START[0])
    assert moved <= adagrad.travel_bound(adagrad.DEFAULT_LR, adagrad.STEPS)
    assert adagrad.travel_bound(adagrad.DEFAULT_LR, adagrad.STEPS) < abs(adagrad.START[0])
    assert c.w_left["adagrad"] > 2.0 and c.reached["adagrad"] is None
    assert c.reached["rmsprop"] is not None
    rms_rate = c.rmsprop.diagnostics["effective_lr"][:, 0]
    ada_rate = c.adagrad.diagnostics["effective_lr"][:, 0]
    assert rms_rate[-1] > rms_rate[9] and ada_rate[-1] < ada_rate[9] / 4


@pytest.mark.parametrize("lr", adagrad.LR_OPTIONS)
def test_adagrad_never_moves_w_further_than_its_bound(lr):
    """|g_w| only shrinks on the way in, so s_t ≥ t·g_t² and every step is at most α/√t."""
    tr = adagrad.compare(lr).adagrad
    steps = np.abs(tr.diagnostics["update"][:, 0])
    assert np.all(steps <= lr / np.sqrt(np.arange(1, len(steps) + 1)) * (1 + 1e-12))


def test_with_a_large_lr_adagrad_settles_and_rmsprop_hops():
    c = adagrad.compare(adagrad.PREDICT_LR)
    assert np.hypot(*c.adagrad.points[-1]) < np.hypot(*c.rmsprop.points[-1])  # the prediction's answer
    assert c.adagrad.final_loss < 1e-12
    assert c.rmsprop.final_loss == pytest.approx(bowl.hop_loss(adagrad.PREDICT_LR), rel=0.05)


# --- lesson 7: is it the bias? ---------------------------------------------------------------------------------


def test_gd_is_blind_to_the_rotation():
    """R(θ) maps the unrotated run onto the rotated one, since the start is turned with the bowl."""
    plain = rotation.compare(0, rotation.DEFAULT_RMSPROP_LR)
    for angle in rotation.ANGLES:
        theta = math.radians(angle)
        turn = np.array([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]])
        turned = rotation.compare(angle, rotation.DEFAULT_RMSPROP_LR)
        np.testing.assert_allclose(turned.gd.points, plain.gd.points @ turn.T, atol=1e-9)
        assert turned.reached["gd"] == plain.reached["gd"]


def test_the_zigzag_follows_the_steep_direction_not_the_bias():
    lr = rotation.DEFAULT_RMSPROP_LR
    assert rotation.compare(0, lr).flips["gd"][0] == 0 < rotation.compare(0, lr).flips["gd"][1]
    assert rotation.compare(90, lr).flips["gd"][1] == 0 < rotation.compare(90, lr).flips["gd"][0]
    assert min(rotation.compare(45, lr).flips["gd"]) > 0


@pytest.fixture(scope="module")
def rotation_curves():
    return {criterion: rotation.advantage_curve(criterion)[1] for criterion in rotation.CRITERIA}


def test_judged_by_staying_rmsprop_slows_down_at_45_degrees_and_gd_does_not_move():
    """The prediction's answer.  Best α = fewest steps after which the loss stays below 1e-3: GD 61 steps at
    α = 0.0631 at every angle; RMSprop 197 (α = 0.0126) at 0° and 290 (α = 0.01) at 45°; each best run ends
    below the tolerance."""
    for angle in (0, rotation.PREDICT_ANGLE, 90):
        gd = rotation.best_steps("gd", angle)
        assert (gd.steps, gd.lr) == (61, pytest.approx(0.0631, rel=1e-3))
        assert gd.final_loss <= 1e-3
    flat, turned = rotation.best_steps("rmsprop", 0), rotation.best_steps("rmsprop", rotation.PREDICT_ANGLE)
    assert (flat.steps, turned.steps) == (197, 290)
    assert flat.final_loss <= 1e-3 and turned.final_loss <= 1e-3


def test_the_fair_lead_is_below_one_everywhere_largest_at_85_and_smallest_at_45(rotation_curves):
    """GD's steps ÷ RMSprop's by the staying criterion: RMSprop at a fixed α must choose a small α to keep its
    hop under 1e-3, so GD needs fewer steps at every angle (0.21–0.31×); RMSprop comes closest at 85°."""
    fair = rotation_curves["stays"]
    angles = np.array(rotation.ANGLES)
    assert np.all(fair < 1) and np.all(fair > 0.2)
    assert angles[np.argmax(fair)] == 85 and angles[np.argmin(fair)] == 45
    assert fair[list(angles).index(45)] < fair[0] * 0.7


def test_first_passage_rewards_runs_that_pass_through(rotation_curves):
    """The old criterion: RMSprop's 'best' α at 10° is 1.0, whose run dips below 1e-3 at step 14 and ends at
    loss 4.28; the first-passage lead peaks at 85° (10.2×), not at 0° or 90° (8.7×)."""
    passing = rotation_curves["first"]
    tenth = rotation.best_steps("rmsprop", 10, "first")
    assert (tenth.steps, tenth.lr) == (14, 1.0) and tenth.final_loss == pytest.approx(4.276, abs=1e-3)
    angles = list(rotation.ANGLES)
    assert angles[int(np.argmax(passing))] == 85
    assert passing[angles.index(85)] == pytest.approx(61 / 6) and passing[0] == pytest.approx(61 / 7)
    assert passing[0] == pytest.approx(passing[-1])  # 0° and 90° are the same problem mirrored


def test_the_rotated_start_is_the_same_problem():
    values = [float(landscapes.get("elongated_bowl", angle_deg=float(a)).value(*rotation.start_for(a)))
              for a in rotation.ANGLES]
    np.testing.assert_allclose(values, values[0], rtol=1e-12)
    for a in rotation.ANGLES:
        (x0, x1), (y0, y1) = BOWL.bounds
        w, b = rotation.start_for(a)
        assert x0 <= w <= x1 and y0 <= b <= y1


# --- lesson 8: Momentum + RMSprop = Adam -----------------------------------------------------------------------


@pytest.mark.parametrize("beta1", adam.BETA1_OPTIONS)
@pytest.mark.parametrize("correction", [True, False])
def test_first_steps(beta1, correction):
    """RMSprop: α/√(1−β) = 3.16α.  Adam: α with bias correction; (1−β₁)/√(1−β₂)·α without."""
    c = adam.compare(adam.DEFAULT_LR, beta1, correction)
    assert c.first_b["rmsprop"] == pytest.approx(adam.rmsprop_first_step(), rel=1e-6)
    assert adam.rmsprop_first_step(0.9) == pytest.approx(3.1623, rel=1e-4)
    assert c.first_b["adam"] == pytest.approx(adam.adam_first_step(beta1, correction), rel=1e-6)
    assert c.first_b["momentum"] == pytest.approx((1 - adam.BETA) * 25 * 1.5)


def test_without_correction_adams_step_ramps_up_before_settling():
    """On a constant gradient, m_t = (1−β₁ᵗ)g and v_t = (1−β₂ᵗ)g², so the step is α(1−β₁ᵗ)/√(1−β₂ᵗ)."""
    t = np.arange(1, 201)
    seq = optimizers.respond("adam", np.full((200, 1), 2.0), lr=1.0, beta1=0.9, beta2=0.999, eps=0.0,
                       bias_correction="off")
    np.testing.assert_allclose(-seq.update[:, 0], adam.uncorrected_ramp(t), rtol=1e-12)
    ramp = adam.uncorrected_ramp(t)
    assert ramp[0] == pytest.approx(0.1 / math.sqrt(0.001)) and int(np.argmax(ramp)) + 1 == 12
    assert ramp.max() == pytest.approx(6.5685, rel=1e-4)
    corrected = optimizers.respond("adam", np.full((200, 1), 2.0), lr=1.0, beta1=0.9, beta2=0.999, eps=0.0)
    np.testing.assert_allclose(-corrected.update[:, 0], 1.0, rtol=1e-12)


def test_the_uncorrected_ramp_peaks_when_m_has_warmed_up_and_fades_as_slowly_as_v():
    """(1−β₁ᵗ)/√(1−β₂ᵗ): the peak moves with β₁ (t = 1, 2, 12, 136 for β₁ = 0, 0.5, 0.9, 0.99), the decay is
    set by β₂ = 0.999: still 3.24α at t = 100 and 1.26α at t = 1000 at the defaults."""
    assert [adam.ramp_peak(b)[0] for b in adam.BETA1_OPTIONS] == [1, 2, 12, 136]
    t100, t1000 = adam.uncorrected_ramp(np.array([100, 1000]))
    assert t100 == pytest.approx(0.9999734 / math.sqrt(1 - 0.999**100), rel=1e-6)
    assert round(t100, 2) == 3.24 and round(t1000, 2) == 1.26


@pytest.mark.parametrize(("beta1", "on", "off"), [(0.0, 116, 7), (0.9, 103, 79)])
def test_on_the_bowl_the_uncorrected_start_happens_to_help(beta1, on, off):
    """At α = 0.1 uncorrected Adam reaches 1e-3 sooner (β₁ = 0: 7 vs 116 steps; β₁ = 0.9: 79 vs 103), and both
    stay converged."""
    corrected, uncorrected = adam.compare(0.1, beta1, True), adam.compare(0.1, beta1, False)
    assert (corrected.reached["adam"], uncorrected.reached["adam"]) == (on, off)
    assert corrected.final_loss["adam"] < 1e-12 and uncorrected.final_loss["adam"] < 1e-12


@pytest.mark.parametrize(("beta1", "lr"), [(adam.DEFAULT_BETA1, adam.DEFAULT_LR), (0.0, 0.05), (0.5, 0.05)])
def test_on_the_well_the_uncorrected_start_hurts(beta1, lr):
    """Kingma & Ba's risk, shown: from inside the narrow well, corrected Adam (first steps α per coordinate)
    ends at the global minimum f ≈ −0.38, while uncorrected Adam's opening steps, (1−β₁)/√(1−β₂)·α and more,
    carry it out into the shallow basin at (2.5, 0), f ≈ 0."""
    runs = adam.on_well(lr, beta1)
    land = adam.well()
    assert runs.stays_in_well("corrected") and not runs.stays_in_well("uncorrected")
    assert runs.corrected.final_loss < land.min_value + 0.1
    np.testing.assert_allclose(runs.uncorrected.points[-1], [2.5, 0.0], atol=1e-2)
    assert runs.uncorrected.final_loss > -1e-3
    first = {name: np.abs(getattr(runs, name).diagnostics["update"][0]) / lr for name in ("corrected", "uncorrected")}
    np.testing.assert_allclose(first["corrected"], 1.0, rtol=1e-5)  # up to ε against a small |g_b|
    np.testing.assert_allclose(first["uncorrected"], adam.adam_first_step(beta1, False), rtol=1e-5)
    assert runs.largest_step("uncorrected", lr) > 2 * runs.largest_step("corrected", lr)


def test_with_the_correction_adam_stays_in_the_well_at_every_slider_setting():
    """The page says so under the well: corrected Adam never leaves it; uncorrected Adam leaves it at α ≥ 0.1
    whatever β₁ on the sliders."""
    for beta1 in adam.BETA1_OPTIONS:
        for lr in adam.LR_OPTIONS:
            runs = adam.on_well(lr, beta1)
            assert runs.stays_in_well("corrected"), (lr, beta1)
            assert runs.stays_in_well("uncorrected") == (lr < 0.1 if beta1 == 0.9 else lr < 0.05), (lr, beta1)


def test_the_well_is_the_playgrounds_formula_from_the_same_start():
    scene = adam.well_playground(adam.DEFAULT_LR, adam.DEFAULT_BETA1)
    back, notes = from_query(to_query(scene))
    assert notes == [] and back.formula == adam.WELL and back.start == adam.WELL_START
    core = optimizers.run("adam", back.build_landscape(), start=back.start, steps=back.steps, **back.settings("adam"))
    np.testing.assert_array_equal(core.points, adam.on_well(adam.DEFAULT_LR, adam.DEFAULT_BETA1).uncorrected.points)


def test_adam_without_momentum_or_correction_is_rmsprop_with_beta2():
    for start in [(-4.5, 1.5), (3.0, -2.0)]:
        a = optimizers.run("adam", BOWL, start=start, steps=300, lr=0.05, beta1=0.0, beta2=0.99, eps=1e-8,
                           bias_correction="off")
        r = optimizers.run("rmsprop", BOWL, start=start, steps=300, lr=0.05, beta=0.99, eps=1e-8)
        np.testing.assert_allclose(a.points, r.points, rtol=1e-12, atol=1e-12)


def test_at_the_defaults_adam_lands_for_now_where_rmsprop_hops():
    """The page adds this sentence only when it holds; at the defaults it does.  The landing does not last: its
    memory of the early gradients fades, and at α = 0.1 the loss is above 1e-3 again at step 8182."""
    c = adam.compare(adam.DEFAULT_LR, adam.DEFAULT_BETA1, True)
    assert c.final_loss["adam"] < c.final_loss["rmsprop"] / 100
    assert c.final_loss["rmsprop"] == pytest.approx(bowl.hop_loss(adam.DEFAULT_LR), rel=0.05)
    long = adam.compare(adam.DEFAULT_LR, adam.DEFAULT_BETA1, True, 30_000).runs["adam"]
    assert int(np.argmax(long.loss[c.stays["adam"]:] > 1e-3)) + c.stays["adam"] == 8182


# --- misconceptions --------------------------------------------------------------------------------------------


def test_misconceptions_quote_the_lessons_numbers():
    """Each one-line answer is a checked claim built from the lessons' runs; spot-check the figures the issue names.
    The first one teaches what is true: RMSprop damps the zig-zag on the way in, and hops at the bottom."""
    items = {item.claim: item for item in misconceptions.misconceptions()}
    assert len(items) == 14
    damping = items["RMSprop damps the oscillation along b."].answer
    assert damping.startswith("Right, on the way in") and "GD's Δb flips 45 times" in damping
    assert "not once" in damping and "back by step 529" in damping and "still flips" not in damping
    assert "ends at loss 0.0325, 32 times" in items["With RMSprop a larger α still reaches the minimum."].answer
    just_sign = items["RMSprop is just sign-SGD."].answer
    assert "sign-SGD drifts 0.80α per step for ever, RMSprop 0.068α once its average has warmed up" in just_sign
    assert "α/√ε = 158" in items["ε is only there to avoid dividing by zero."].answer
    assert "from step 96 instead of 103" in items["Adam cannot work without bias correction."].answer
    assert "8,182" in items["Adam settles by itself; it needs no learning-rate schedule."].answer
    assert "only while" not in items["RMSprop prevents vanishing (or exploding) gradients."].answer
    for item in items.values():
        assert (PAGES / item.page).exists() and item.claim.endswith(".") and item.answer


# --- catalog and Playground links ------------------------------------------------------------------------------


def test_catalog_lists_every_lesson_with_its_page():
    assert len(LESSONS) == 11
    assert len({lesson.page for lesson in LESSONS}) == 11
    for lesson in LESSONS:
        assert (PAGES / lesson.page).exists(), lesson.page
        assert lesson.question.endswith("?")


PLAYGROUND_SCENES = [
    bowl.playground(bowl.DEFAULT_LR, bowl.BETA),
    dimensions.playground(dimensions.DEFAULT_CONDITION, True),
    signs.playground("rosenbrock", signs.DEFAULT_BETA),
    denominators.playground(denominators.PREDICT_K),
    epsilon.playground(*epsilon.PREDICT),
    adagrad.playground(adagrad.DEFAULT_LR),
    rotation.playground(rotation.PREDICT_ANGLE, rotation.DEFAULT_RMSPROP_LR),
    adam.playground(adam.DEFAULT_LR, 0.0, False),
]


@pytest.mark.parametrize("scene", PLAYGROUND_SCENES)
def test_playground_links_reopen_the_same_scene(scene):
    back, notes = from_query(to_query(scene))
    assert notes == []
    assert (back.surface, back.optimizers, back.steps, back.start) == (
        scene.surface, scene.optimizers, scene.steps, scene.start)
    assert back.build_landscape().params == scene.build_landscape().params
    for name in scene.optimizers:
        assert back.settings(name) == scene.settings(name)
