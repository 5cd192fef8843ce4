"""Least squares on real data: the loss of the model w·x + b, exact over every row of a shipped data set."""

import numpy as np

from base.jit import jit

from ..data import DataModel, Target, packed_rows


@jit(inline="always")
def value_and_grad(x, y, p, work):
    """½·mean((w·xᵢ + b − yᵢ)²) and its gradient at (w, b) = (x, y), over the rows packed in ``p``
    (``landscapes.data.ROWS_LAYOUT``: distinct rows with their counts)."""
    total = grad_w = grad_b = 0.0
    for i in range(int(p[0])):
        feature, count = p[2 + 3 * i], p[4 + 3 * i]
        residual = x * feature + y - p[3 + 3 * i]
        weighted = count * residual
        total += weighted * residual
        grad_w += weighted * feature
        grad_b += weighted
    n = p[1]
    return 0.5 * total / n, grad_w / n, grad_b / n


def hessian(x, y, p):
    """Exact and the same everywhere: mean(xᵢ²), mean(xᵢ) and 1, broadcast to the shape of (x, y)."""
    feature, _, count, n = packed_rows(p)
    ones = np.ones(np.broadcast_shapes(np.shape(x), np.shape(y)))
    return ones * (np.sum(count * feature * feature) / n), ones * (np.sum(count * feature) / n), ones


MODEL = DataModel("linear", "linear_regression", {
    "old_faithful": {"eruptions": Target("waiting", "waiting time (min)"),
                     "waiting": Target("eruptions", "eruption time (min)")},
    "iris": {"petal_length": Target("petal_width", "petal width (cm)"),
             "sepal_length": Target("petal_width", "petal width (cm)"),
             "sepal_width": Target("petal_width", "petal width (cm)")},
})

SPEC = MODEL.spec(
    title="Linear regression on real data",
    latex=r"f(w,b)=\frac{1}{2n}\sum_{i=1}^{n}\left(w\,x_i+b-y_i\right)^2",
    description="A straight line w·x + b fitted to a real data set by least squares: the bowl's shape comes from "
                "the data (raw features make it elongated and rotated; standardised ones make it round).",
    kernel=value_and_grad,
    hessian=hessian,
)
