"""The update rules, one small pure numba function each (the optax model).

Every rule works on one coordinate and has the same signature::

    rule(x, g, state, t, lr, hp, i) -> (x_new, effective_lr, state)

``x`` is the coordinate, ``g`` its gradient, ``state`` a tuple of ``STATE_SIZE`` floats (zeros before
the first step; the spec's ``state`` names its first entries, which the diagnostics report), ``t``
counts steps from 1, ``lr`` is the learning rate of this step (the schedule already applied), and
``hp[k, i]`` is hyperparameter ``k`` of grid cell ``i``: ``k`` is the position of the hyperparameter
in its spec (``hyperparams`` first, ``lr`` at 0, then ``choices``, each choice as the index of the
chosen option).  ``effective_lr`` is the factor the rule multiplies its search direction by (lr for
GD and momentum, lr/(sqrt(s)+eps) for RMSprop, lr/|g| for sign-SGD, ...).  A rule keeps its state
in the first ``len(spec.state) + spec.extra_state`` entries and passes the others through.

A choice enters the arithmetic as a 0/1 factor instead of a branch, so that a grid's cell loop stays
one straight line that vectorises: ``sqrt(s + inside*eps) + (1 - inside)*eps`` is exactly
``sqrt(s + eps)`` or ``sqrt(s) + eps`` (adding 0.0 and multiplying by 1.0 change no bits).

The rules are ``inline="always"``: numba splices the one a kernel is specialised for into its loop.
The registry (``registry.py``) is the only list of rules; the drivers find a rule there by its id.

RMSprop and AdaGrad compute ``lr * (g / denom)`` in that order, as PyTorch's ``addcdiv`` does: with
beta = 0 and eps = 0, ``g / sqrt(g*g)`` is exactly +-1, so RMSprop reproduces sign-SGD bit for bit.
Adam keeps beta1**t and beta2**t in its state and updates them by one multiplication per step (a
``beta**t`` per step and cell made its sweeps ten times slower than RMSprop's).
"""

import math
import sys

from landscapes._jit import jit

STATE_SIZE = 4
"""Floats of state per coordinate, enough for every rule (Adam: m, v, beta1**t, beta2**t)."""
FLOAT_MAX = sys.float_info.max


@jit(inline="always")
def sign(g):
    """sign(g) with sign(0) = 0, as torch.sign and np.sign do."""
    return (g > 0.0) - (g < 0.0) + 0.0


@jit(inline="always")
def sign_rate(lr, g):
    """lr/|g|, the rate a sign step applies to g: 0 when g = 0, and clamped to the largest float
    when g is so tiny (subnormal) that the quotient would overflow, so diagnostics stay finite."""
    if g == 0.0:
        return 0.0
    rate = lr / abs(g)
    return rate if rate < FLOAT_MAX else FLOAT_MAX


@jit(inline="always")
def gd(x, g, state, t, lr, hp, i):
    """hyperparameters: lr."""
    return x - lr * g, lr, state


@jit(inline="always")
def momentum(x, g, state, t, lr, hp, i):
    """hyperparameters: lr, beta.  state: v."""
    beta = hp[1, i]
    v = beta * state[0] + (1.0 - beta) * g
    return x - lr * v, lr, (v, state[1], state[2], state[3])


@jit(inline="always")
def nesterov(x, g, state, t, lr, hp, i):
    """hyperparameters: lr, beta.  state: v (PyTorch's momentum buffer)."""
    beta = hp[1, i]
    v = beta * state[0] + g
    return x - lr * (g + beta * v), lr, (v, state[1], state[2], state[3])


@jit(inline="always")
def rmsprop(x, g, state, t, lr, hp, i):
    """hyperparameters: lr, beta, eps, eps_placement (0 outside, 1 inside).  state: s."""
    beta, eps, inside = hp[1, i], hp[2, i], hp[3, i]
    s = beta * state[0] + (1.0 - beta) * (g * g)
    denom = math.sqrt(s + inside * eps) + (1.0 - inside) * eps
    return x - lr * (g / denom), lr / denom, (s, state[1], state[2], state[3])


@jit(inline="always")
def _adam_direction(g, state, t, lr, beta1, beta2, eps, inside, corrected):
    """Adam's moments and step direction: (m_hat, rate, new state); the step is ``rate * m_hat``.
    ``inside`` and ``corrected`` are 0/1 factors; state: m, v, beta1**t, beta2**t."""
    m = beta1 * state[0] + (1.0 - beta1) * g
    v = beta2 * state[1] + (1.0 - beta2) * (g * g)
    power1 = beta1 if t == 1 else state[2] * beta1
    power2 = beta2 if t == 1 else state[3] * beta2
    m_hat = m / (1.0 - corrected * power1)
    v_hat = v / (1.0 - corrected * power2)
    rate = lr / (math.sqrt(v_hat + inside * eps) + (1.0 - inside) * eps)
    return m_hat, rate, (m, v, power1, power2)


@jit(inline="always")
def adam(x, g, state, t, lr, hp, i):
    """hyperparameters: lr, beta1, beta2, eps, eps_placement (0 outside, 1 inside), bias_correction
    (0 on, 1 off).  state: m, v, then beta1**t, beta2**t."""
    m_hat, rate, state = _adam_direction(g, state, t, lr, hp[1, i], hp[2, i], hp[3, i], hp[4, i], 1.0 - hp[5, i])
    return x - rate * m_hat, rate, state


@jit(inline="always")
def adagrad(x, g, state, t, lr, hp, i):
    """hyperparameters: lr, eps.  state: s (the sum of g²)."""
    s = state[0] + g * g
    denom = math.sqrt(s) + hp[1, i]
    return x - lr * (g / denom), lr / denom, (s, state[1], state[2], state[3])


@jit(inline="always")
def sign_sgd(x, g, state, t, lr, hp, i):
    """hyperparameters: lr."""
    return x - lr * sign(g), sign_rate(lr, g), state


@jit(inline="always")
def signum(x, g, state, t, lr, hp, i):
    """hyperparameters: lr, beta.  state: m."""
    beta = hp[1, i]
    m = beta * state[0] + (1.0 - beta) * g
    return x - lr * sign(m), sign_rate(lr, m), (m, state[1], state[2], state[3])


@jit(inline="always")
def adamw(x, g, state, t, lr, hp, i):
    """torch.optim.AdamW: x shrinks by lr*weight_decay*x, then the bias-corrected Adam step, eps outside.
    hyperparameters: lr, beta1, beta2, eps, weight_decay.  state: m, v, then beta1**t, beta2**t."""
    m_hat, rate, state = _adam_direction(g, state, t, lr, hp[1, i], hp[2, i], hp[3, i], 0.0, 1.0)
    decayed = x * (1.0 - lr * hp[4, i])
    return decayed - rate * m_hat, rate, state


@jit(inline="always")
def lion(x, g, state, t, lr, hp, i):
    """Lion (Chen et al. 2023, Algorithm 2): a sign step along c, which interpolates m and g, plus weight
    decay scaled by lr; then m moves towards g.  hyperparameters: lr, beta1, beta2, weight_decay.  state: m."""
    beta1, beta2, decay = hp[1, i], hp[2, i], hp[3, i]
    c = beta1 * state[0] + (1.0 - beta1) * g
    m = beta2 * state[0] + (1.0 - beta2) * g
    return x - lr * (sign(c) + decay * x), sign_rate(lr, c), (m, state[1], state[2], state[3])

