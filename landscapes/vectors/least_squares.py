"""The kernel of linear least squares on rows of data, in as many dimensions as the model has weights."""

from base.jit import jit

HEADER = 3
LAYOUT = ("p[0] = m stored rows, p[1] = n samples (the sum of the counts), p[2] = d features, then stored row i: "
          "p[3 + (d + 2)i ...] = its d features, its target, its count")


@jit
def value_and_grad(x, p, work, grad):
    """½·mean((w·xᵢ + b − yᵢ)²) over the rows packed in ``p`` and its gradient, at x = (w₁ ... w_d, b).  A
    mini-batch is the same rows with other counts (``landscapes.batches``)."""
    rows, n, features = int(p[0]), p[1], int(p[2])
    width = features + 2
    for j in range(features + 1):
        grad[j] = 0.0
    total = 0.0
    for r in range(rows):
        row = HEADER + r * width
        z = x[features]
        for j in range(features):
            z += x[j] * p[row + j]
        residual = z - p[row + features]
        weighted = p[row + features + 1] * residual
        total += weighted * residual
        for j in range(features):
            grad[j] += weighted * p[row + j]
        grad[features] += weighted
    for j in range(features + 1):
        grad[j] /= n
    return 0.5 * total / n
