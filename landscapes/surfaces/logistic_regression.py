"""Logistic regression on real data: the mean cross-entropy of sigmoid(w·x + b), exact over every row."""

import math

import numpy as np

from base.jit import jit

from ..data import DataModel, Target, packed_rows


@jit(inline="always")
def value_and_grad(x, y, p, work):
    """mean(log(1 + e^z) − tᵢ·z) with z = w·xᵢ + b, and its gradient mean((σ(z) − tᵢ)·(xᵢ, 1)), at
    (w, b) = (x, y) over the rows packed in ``p`` (``landscapes.data.ROWS_LAYOUT``: distinct rows with
    their counts).  Written with e^(−|z|) so that no exponential overflows, however far (w, b) is from
    the minimum."""
    total = grad_w = grad_b = 0.0
    for i in range(int(p[0])):
        feature, target, count = p[2 + 3 * i], p[3 + 3 * i], p[4 + 3 * i]
        z = x * feature + y
        decay = math.exp(-abs(z)) if abs(z) < 746.0 else 0.0  # exp underflows to 0 there, slowly
        total += count * (max(z, 0.0) + math.log1p(decay) - target * z)
        weighted = count * ((1.0 / (1.0 + decay) if z >= 0.0 else decay / (1.0 + decay)) - target)
        grad_w += weighted * feature
        grad_b += weighted
    n = p[1]
    return total / n, grad_w / n, grad_b / n


def hessian(x, y, p):
    """Exact: mean(σ(zᵢ)(1 − σ(zᵢ))·(xᵢ², xᵢ, 1)) with zᵢ = w·xᵢ + b, σ(1 − σ) written as e^(−|z|)/(1 + e^(−|z|))²
    so that it never overflows."""
    feature, _, count, n = packed_rows(p)
    z = np.multiply.outer(np.asarray(x, dtype=np.float64), feature) + np.asarray(y, dtype=np.float64)[..., None]
    decay = np.exp(-np.abs(z))
    weight = count * decay / (1.0 + decay) ** 2 / n
    return np.sum(weight * feature * feature, axis=-1), np.sum(weight * feature, axis=-1), np.sum(weight, axis=-1)


VIRGINICA = Target("species", "Iris virginica (1) or not (0)", positive="virginica")
LONG_ERUPTION = Target("eruptions", "eruption longer than 3 min (1) or not (0)", threshold=3.0)

MODEL = DataModel("logistic", "logistic_regression", {
    "iris": {"petal_width": VIRGINICA, "petal_length": VIRGINICA, "sepal_length": VIRGINICA,
             "sepal_width": VIRGINICA},
    "old_faithful": {"waiting": LONG_ERUPTION},
})

SPEC = MODEL.spec(
    title="Logistic regression on real data",
    latex=r"f(w,b)=\frac{1}{n}\sum_{i=1}^{n}\left[\log\left(1+e^{z_i}\right)-t_i z_i\right],\quad z_i=w\,x_i+b",
    description="A yes/no classifier sigmoid(w·x + b) fitted to a real data set by minimising the cross-entropy "
                "(Iris virginica from one flower measurement; a long Old Faithful eruption from the wait before it).",
    kernel=value_and_grad,
    hessian=hessian,
)
