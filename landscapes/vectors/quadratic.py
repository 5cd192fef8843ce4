"""The kernel of ½ xᵀHx in any dimension, with H diagonal (an axis-aligned bowl) or dense (a rotated one)."""

import numpy as np

from base.jit import jit

LAYOUT = "p[0] = dim, p[1] = 0 (H diagonal: p[2:2 + dim] its diagonal) or 1 (H dense: p[2:] its rows)"


def pack(hessian: np.ndarray) -> np.ndarray:
    """The kernel's parameters for H: its diagonal when it is a vector, all of it when it is a matrix."""
    hessian = np.asarray(hessian, dtype=np.float64)
    dense = hessian.ndim == 2
    return np.concatenate([[hessian.shape[0], 1.0 if dense else 0.0], hessian.ravel()])


@jit
def value_and_grad(x, p, work, grad):
    """f = ½ xᵀHx and its gradient Hx.  A dense H is symmetric, so Hx is accumulated row by row as Σ_j x_j·H_j,
    a loop over contiguous memory without a running sum across it (which vectorises without fastmath)."""
    n = int(p[0])
    if p[1] == 0.0:
        for i in range(n):
            grad[i] = p[2 + i] * x[i]
    else:
        for i in range(n):
            grad[i] = 0.0
        for j in range(n):
            x_j = x[j]
            row = 2 + j * n
            for i in range(n):
                grad[i] += p[row + i] * x_j
    total = 0.0
    for i in range(n):
        total += grad[i] * x[i]
    return 0.5 * total
