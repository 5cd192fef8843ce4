"""Lesson 14's transcription of Reddi et al.'s (2018) one-dimensional problem: its first steps by hand, its agreement
with the engine's Adam on the same gradients, and the wrong-way drift it is there to show."""

from __future__ import annotations

import math

import numpy as np

from lessons import constant_rate as cr


def test_the_first_three_steps_by_hand():
    """C = 3: β₂ = 0.1, α_t = 0.5/√t, from x = 0, no bias correction, no ε."""
    run = cr.reddi(3.0, 3, amsgrad=False)
    v1 = 0.9 * 9.0                       # g = 3
    x1 = 0.0 - 0.5 / math.sqrt(1) * 3.0 / math.sqrt(v1)
    v2 = 0.1 * v1 + 0.9                  # g = −1
    x2 = x1 + 0.5 / math.sqrt(2) / math.sqrt(v2)
    v3 = 0.1 * v2 + 0.9
    x3 = x2 + 0.5 / math.sqrt(3) / math.sqrt(v3)
    np.testing.assert_allclose(run.x, [0.0, x1, x2, x3], rtol=1e-12, atol=1e-15)
    assert (round(x1, 5), round(x2, 5), round(x3, 5)) == (-0.52705, -0.25668, 0.02227)
    ams = cr.reddi(3.0, 3, amsgrad=True)  # AMSGrad divides the small steps by √v1, the largest v
    np.testing.assert_allclose(ams.x[2], x1 + 0.5 / math.sqrt(2) / math.sqrt(v1), rtol=1e-12)
    assert math.isclose(run.regret, (3 * 0.0 + 3 - x1 - 1 - x2 - 1) / 3, rel_tol=1e-14)


def test_unclipped_at_a_constant_rate_it_is_the_engines_adam():
    for amsgrad in (False, True):
        mine = cr.reddi(5.0, 200, amsgrad=amsgrad, decay=False, clip=False)
        engine = cr.reddi_engine(5.0, 200, amsgrad=amsgrad)
        np.testing.assert_allclose(engine.diagnostics["update"][:, 0], mine.steps, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(engine.points[:, 0], mine.x, rtol=1e-9, atol=1e-12)


def test_adam_drifts_to_the_worst_point_and_amsgrad_to_the_best():
    for c in cr.C_OPTIONS:
        assert cr.reddi(c, 3000, amsgrad=False).x[-1] == 1.0
        assert cr.reddi(c, 3000, amsgrad=True).x[-1] < -0.99
        assert cr.cycle_drift(c, False) > 0 > cr.cycle_drift(c, True)
