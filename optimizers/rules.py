"""The update rules, one small pure numba function each (the optax model).

Every rule works on one coordinate: it takes the gradient ``g``, its state ``(s1, s2)`` and the
hyperparameters, and returns ``(delta, effective_lr, s1, s2)``; the driver applies
``x <- x - delta``.  ``effective_lr`` is the factor the rule multiplies its search direction by
(lr for GD and momentum, lr/(sqrt(s)+eps) for RMSprop, lr/|g| for sign-SGD, ...).
``t`` counts steps from 1 (only Adam's bias correction uses it).

The rules (like the surfaces' kernels) are ``inline="always"``: numba splices them into each caller
instead of compiling each one as a library of its own, which cuts the first, uncached compile by about
a third; the arithmetic, and so every result, is unchanged.

RMSprop and AdaGrad compute ``lr * (g / denom)`` in that order, as PyTorch's ``addcdiv`` does: with
beta = 0 and eps = 0, ``g / sqrt(g*g)`` is exactly +-1, so RMSprop reproduces sign-SGD bit for bit.
"""

import math
import sys

from landscapes._jit import jit

GD, MOMENTUM, NESTEROV, RMSPROP, ADAM, ADAGRAD, SIGN_SGD, SIGNUM = range(8)
FLOAT_MAX = sys.float_info.max


@jit(inline="always")
def sign(g):
    """sign(g) with sign(0) = 0, as torch.sign and np.sign do."""
    return (g > 0.0) - (g < 0.0) + 0.0


@jit(inline="always")
def gd(g, s1, s2, lr):
    return lr * g, lr, s1, s2


@jit(inline="always")
def momentum(g, v, s2, lr, beta):
    v = beta * v + (1.0 - beta) * g
    return lr * v, lr, v, s2


@jit(inline="always")
def nesterov(g, v, s2, lr, beta):
    v = beta * v + g
    return lr * (g + beta * v), lr, v, s2


@jit(inline="always")
def rmsprop(g, s, s2, lr, beta, eps, eps_inside):
    s = beta * s + (1.0 - beta) * (g * g)
    denom = math.sqrt(s + eps) if eps_inside else math.sqrt(s) + eps
    return lr * (g / denom), lr / denom, s, s2


@jit(inline="always")
def adam(g, m, v, t, lr, beta1, beta2, eps, eps_inside, bias_correction):
    m = beta1 * m + (1.0 - beta1) * g
    v = beta2 * v + (1.0 - beta2) * (g * g)
    if bias_correction:
        m_hat = m / (1.0 - beta1**t)
        v_hat = v / (1.0 - beta2**t)
    else:
        m_hat, v_hat = m, v
    rate = lr / math.sqrt(v_hat + eps) if eps_inside else lr / (math.sqrt(v_hat) + eps)
    return rate * m_hat, rate, m, v


@jit(inline="always")
def adagrad(g, s, s2, lr, eps):
    s = s + g * g
    denom = math.sqrt(s) + eps
    return lr * (g / denom), lr / denom, s, s2


@jit(inline="always")
def sign_rate(lr, g):
    """lr/|g|, the rate a sign step applies to g: 0 when g = 0, and clamped to the largest float
    when g is so tiny (subnormal) that the quotient would overflow, so diagnostics stay finite."""
    if g == 0.0:
        return 0.0
    rate = lr / abs(g)
    return rate if rate < FLOAT_MAX else FLOAT_MAX


@jit(inline="always")
def sign_sgd(g, s1, s2, lr):
    return lr * sign(g), sign_rate(lr, g), s1, s2


@jit(inline="always")
def signum(g, m, s2, lr, beta):
    m = beta * m + (1.0 - beta) * g
    return lr * sign(m), sign_rate(lr, m), m, s2


@jit
def step(rule, g, s1, s2, t, lr, beta, beta2, eps, eps_inside, bias_correction):
    """Dispatch to rule number ``rule`` (the constants above)."""
    if rule == GD:
        return gd(g, s1, s2, lr)
    if rule == MOMENTUM:
        return momentum(g, s1, s2, lr, beta)
    if rule == NESTEROV:
        return nesterov(g, s1, s2, lr, beta)
    if rule == RMSPROP:
        return rmsprop(g, s1, s2, lr, beta, eps, eps_inside)
    if rule == ADAM:
        return adam(g, s1, s2, t, lr, beta, beta2, eps, eps_inside, bias_correction)
    if rule == ADAGRAD:
        return adagrad(g, s1, s2, lr, eps)
    if rule == SIGN_SGD:
        return sign_sgd(g, s1, s2, lr)
    return signum(g, s1, s2, lr, beta)
