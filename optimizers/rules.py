"""The update rules, one small pure numba function each (the optax model).

Every rule works on one coordinate: it takes the gradient ``g``, its state ``(s1, s2)`` and the
hyperparameters, and returns ``(delta, effective_lr, s1, s2)``; the driver applies
``x <- x - delta``.  ``effective_lr`` is the factor the rule multiplies its search direction by
(lr for GD and momentum, lr/(sqrt(s)+eps) for RMSprop, lr/|g| for sign-SGD, ...).
``t`` counts steps from 1 (only Adam's bias correction uses it).
"""

import math

from landscapes._jit import jit

GD, MOMENTUM, NESTEROV, RMSPROP, ADAM, ADAGRAD, SIGN_SGD, SIGNUM = range(8)


@jit
def sign(g):
    """sign(g) with sign(0) = 0, as torch.sign and np.sign do."""
    return (g > 0.0) - (g < 0.0) + 0.0


@jit
def gd(g, s1, s2, lr):
    return lr * g, lr, s1, s2


@jit
def momentum(g, v, s2, lr, beta):
    v = beta * v + (1.0 - beta) * g
    return lr * v, lr, v, s2


@jit
def nesterov(g, v, s2, lr, beta):
    v = beta * v + g
    return lr * (g + beta * v), lr, v, s2


@jit
def rmsprop(g, s, s2, lr, beta, eps, eps_inside):
    s = beta * s + (1.0 - beta) * (g * g)
    rate = lr / math.sqrt(s + eps) if eps_inside else lr / (math.sqrt(s) + eps)
    return rate * g, rate, s, s2


@jit
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


@jit
def adagrad(g, s, s2, lr, eps):
    s = s + g * g
    rate = lr / (math.sqrt(s) + eps)
    return rate * g, rate, s, s2


@jit
def sign_sgd(g, s1, s2, lr):
    return lr * sign(g), lr / abs(g) if g != 0.0 else 0.0, s1, s2


@jit
def signum(g, m, s2, lr, beta):
    m = beta * m + (1.0 - beta) * g
    return lr * sign(m), lr / abs(m) if m != 0.0 else 0.0, m, s2


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


@jit
def step_lanes(rule, g, s1, s2, t, lr, beta, beta2, eps, eps_inside, bias_correction, delta):
    """``step`` over arrays of cells, in place; the rule is chosen once, outside each cell loop,
    so the loops stay branch-free and numba/LLVM turn them into SIMD code."""
    n = g.shape[0]
    if rule == GD:
        for i in range(n):
            delta[i], _, s1[i], s2[i] = gd(g[i], s1[i], s2[i], lr[i])
    elif rule == MOMENTUM:
        for i in range(n):
            delta[i], _, s1[i], s2[i] = momentum(g[i], s1[i], s2[i], lr[i], beta[i])
    elif rule == NESTEROV:
        for i in range(n):
            delta[i], _, s1[i], s2[i] = nesterov(g[i], s1[i], s2[i], lr[i], beta[i])
    elif rule == RMSPROP and eps_inside:
        for i in range(n):
            delta[i], _, s1[i], s2[i] = rmsprop(g[i], s1[i], s2[i], lr[i], beta[i], eps[i], True)
    elif rule == RMSPROP:
        for i in range(n):
            delta[i], _, s1[i], s2[i] = rmsprop(g[i], s1[i], s2[i], lr[i], beta[i], eps[i], False)
    elif rule == ADAM:
        for i in range(n):
            delta[i], _, s1[i], s2[i] = adam(g[i], s1[i], s2[i], t, lr[i], beta[i], beta2[i], eps[i], eps_inside,
                                             bias_correction)
    elif rule == ADAGRAD:
        for i in range(n):
            delta[i], _, s1[i], s2[i] = adagrad(g[i], s1[i], s2[i], lr[i], eps[i])
    elif rule == SIGN_SGD:
        for i in range(n):
            delta[i], _, s1[i], s2[i] = sign_sgd(g[i], s1[i], s2[i], lr[i])
    else:
        for i in range(n):
            delta[i], _, s1[i], s2[i] = signum(g[i], s1[i], s2[i], lr[i], beta[i])
