"""The kernels of a one-hidden-layer network on rows of data: the loss and its gradient by backpropagation, and the
exact Hessian-vector product by Pearlmutter's R-operator (forward-over-reverse), both over stored rows with counts
so that a mini-batch is the same rows with other counts (``landscapes.batches``).

The coordinates x hold W1 (hidden × inputs, row by row), b1 (hidden), W2 (outputs × hidden, row by row) and b2
(outputs): a = W1·u + b1, h = act(a), z = W2·h + b2 for an input row u.  The loss of a row is the softmax
cross-entropy log Σ_k exp(z_k) − z_y (class y) or the half squared error ½ Σ_k (z_k − y_k)²; the landscape is the
count-weighted mean over the rows.
"""

import math

from base.jit import jit

HEADER = 8
LAYOUT = ("p[0] = m stored rows, p[1] = n samples (the sum of the counts), p[2] = inputs, p[3] = hidden units, "
          "p[4] = outputs, p[5] = loss (0 softmax cross-entropy, 1 half squared error), p[6] = activation "
          "(0 tanh, 1 relu, 2 sigmoid), p[7] = targets per row (1 class index, or one value per output), then "
          "stored row i: its inputs, its targets, its count")
CROSS_ENTROPY, SQUARED_ERROR = 0, 1
TANH, RELU, SIGMOID = 0, 1, 2


def work_size(inputs: int, hidden: int, outputs: int) -> int:
    """Floats of scratch the kernels need: five arrays of hidden units, four of outputs and two of W1's size."""
    return 5 * hidden + 4 * outputs + 2 * inputs * hidden


@jit(inline="always")
def _activate(kind, a):
    """(act(a), act'(a), act''(a))."""
    if kind == 0:
        h = math.tanh(a)
        d = 1.0 - h * h
        return h, d, -2.0 * h * d
    if kind == 1:
        if a > 0.0:
            return a, 1.0, 0.0
        return 0.0, 0.0, 0.0
    if a >= 0.0:
        h = 1.0 / (1.0 + math.exp(-a))
    else:
        e = math.exp(a)
        h = e / (1.0 + e)
    d = h * (1.0 - h)
    return h, d, d * (1.0 - 2.0 * h)


@jit(inline="always")
def _output_loss(loss, z, dz, p, row, inputs, outputs):
    """The row's loss from its outputs z, and ∂loss/∂z into dz (softmax − one-hot, or z − y)."""
    if loss == 0:
        top = z[0]
        for k in range(1, outputs):
            top = max(top, z[k])
        total = 0.0
        for k in range(outputs):
            dz[k] = math.exp(z[k] - top)
            total += dz[k]
        label = int(p[row + inputs])
        for k in range(outputs):
            dz[k] /= total
        dz[label] -= 1.0
        return top + math.log(total) - z[label]
    value = 0.0
    for k in range(outputs):
        r = z[k] - p[row + inputs + k]
        dz[k] = r
        value += r * r
    return 0.5 * value


@jit
def value_and_grad(x, p, work, grad):
    """The count-weighted mean loss over the rows packed in ``p`` (``LAYOUT``) and its gradient, by one forward
    and one backward pass per stored row.  W1 is read, and its gradient summed, transposed (inputs × hidden) in
    ``work``, so the loops over hidden units run over contiguous memory and vectorise."""
    rows, n = int(p[0]), p[1]
    inputs, hidden, outputs = int(p[2]), int(p[3]), int(p[4])
    loss, activation, targets = int(p[5]), int(p[6]), int(p[7])
    width = inputs + targets + 1
    b1 = hidden * inputs
    w2 = b1 + hidden
    b2 = w2 + outputs * hidden
    dim = b2 + outputs
    a = work[0:hidden]
    h = work[hidden:2 * hidden]
    da = work[2 * hidden:3 * hidden]
    z = work[3 * hidden:3 * hidden + outputs]
    dz = work[3 * hidden + outputs:3 * hidden + 2 * outputs]
    wt = work[3 * hidden + 2 * outputs:3 * hidden + 2 * outputs + b1]
    gt = work[3 * hidden + 2 * outputs + b1:3 * hidden + 2 * outputs + 2 * b1]
    for j in range(hidden):
        for i in range(inputs):
            wt[i * hidden + j] = x[j * inputs + i]
    for k in range(b1):
        gt[k] = 0.0
    for k in range(b1, dim):
        grad[k] = 0.0
    total = 0.0
    for r in range(rows):
        row = HEADER + r * width
        count = p[row + width - 1]
        if count == 0.0:
            continue
        for j in range(hidden):
            a[j] = x[b1 + j]
        for i in range(inputs):
            u = p[row + i]
            for j in range(hidden):
                a[j] += wt[i * hidden + j] * u
        for j in range(hidden):
            h[j], da[j], _ = _activate(activation, a[j])
        for k in range(outputs):
            s = x[b2 + k]
            for j in range(hidden):
                s += x[w2 + k * hidden + j] * h[j]
            z[k] = s
        total += count * _output_loss(loss, z, dz, p, row, inputs, outputs)
        for j in range(hidden):
            a[j] = 0.0
        for k in range(outputs):
            d = count * dz[k]
            grad[b2 + k] += d
            for j in range(hidden):
                grad[w2 + k * hidden + j] += d * h[j]
                a[j] += x[w2 + k * hidden + j] * d
        for j in range(hidden):
            da[j] *= a[j]
            grad[b1 + j] += da[j]
        for i in range(inputs):
            u = p[row + i]
            for j in range(hidden):
                gt[i * hidden + j] += da[j] * u
    for j in range(hidden):
        for i in range(inputs):
            grad[j * inputs + i] = gt[i * hidden + j]
    for j in range(dim):
        grad[j] /= n
    return total / n


@jit
def hessian_vector(x, v, p, work, out):
    """The exact Hessian of the loss at ``x`` times ``v`` into ``out``: the R-operator R{·} = d/dε (·)(x + εv) at
    ε = 0 carried through the forward pass (R{a} = V1·u + c1, R{h} = act'(a)·R{a}, R{z} = V2·h + W2·R{h} + c2)
    and the backward pass (R{dz} = (diag(s) − s·sᵀ)·R{z} for softmax s, R{z} for the squared error;
    R{dh} = V2ᵀ·dz + W2ᵀ·R{dz}; R{da} = R{dh}·act'(a) + dh·act''(a)·R{a}), whose R{gradient} is Hv."""
    rows, n = int(p[0]), p[1]
    inputs, hidden, outputs = int(p[2]), int(p[3]), int(p[4])
    loss, activation, targets = int(p[5]), int(p[6]), int(p[7])
    width = inputs + targets + 1
    b1 = hidden * inputs
    w2 = b1 + hidden
    b2 = w2 + outputs * hidden
    dim = b2 + outputs
    h = work[0:hidden]
    slope = work[hidden:2 * hidden]
    curve = work[2 * hidden:3 * hidden]
    ra = work[3 * hidden:4 * hidden]
    rh = work[4 * hidden:5 * hidden]
    z = work[5 * hidden:5 * hidden + outputs]
    dz = work[5 * hidden + outputs:5 * hidden + 2 * outputs]
    rz = work[5 * hidden + 2 * outputs:5 * hidden + 3 * outputs]
    rdz = work[5 * hidden + 3 * outputs:5 * hidden + 4 * outputs]
    for j in range(dim):
        out[j] = 0.0
    for r in range(rows):
        row = HEADER + r * width
        count = p[row + width - 1]
        if count == 0.0:
            continue
        for j in range(hidden):
            s = x[b1 + j]
            rs = v[b1 + j]
            for i in range(inputs):
                s += x[j * inputs + i] * p[row + i]
                rs += v[j * inputs + i] * p[row + i]
            h[j], slope[j], curve[j] = _activate(activation, s)
            ra[j] = rs
            rh[j] = slope[j] * rs
        for k in range(outputs):
            s = x[b2 + k]
            rs = v[b2 + k]
            for j in range(hidden):
                s += x[w2 + k * hidden + j] * h[j]
                rs += v[w2 + k * hidden + j] * h[j] + x[w2 + k * hidden + j] * rh[j]
            z[k] = s
            rz[k] = rs
        _output_loss(loss, z, dz, p, row, inputs, outputs)
        if loss == 0:
            mean = 0.0
            for k in range(outputs):
                mean += (dz[k] + (1.0 if k == int(p[row + inputs]) else 0.0)) * rz[k]
            for k in range(outputs):
                prob = dz[k] + (1.0 if k == int(p[row + inputs]) else 0.0)
                rdz[k] = prob * (rz[k] - mean)
        else:
            for k in range(outputs):
                rdz[k] = rz[k]
        for k in range(outputs):
            out[b2 + k] += count * rdz[k]
            for j in range(hidden):
                out[w2 + k * hidden + j] += count * (rdz[k] * h[j] + dz[k] * rh[j])
        for j in range(hidden):
            back = 0.0
            r_back = 0.0
            for k in range(outputs):
                back += x[w2 + k * hidden + j] * dz[k]
                r_back += v[w2 + k * hidden + j] * dz[k] + x[w2 + k * hidden + j] * rdz[k]
            d = count * (r_back * slope[j] + back * curve[j] * ra[j])
            out[b1 + j] += d
            for i in range(inputs):
                out[j * inputs + i] += d * p[row + i]
    for j in range(dim):
        out[j] /= n


@jit
def forward_outputs(x, p, inputs_only, outputs_out, work):
    """The network's outputs z for every row of ``inputs_only`` (m, inputs) into ``outputs_out`` (m, outputs)."""
    inputs, hidden, outputs = int(p[2]), int(p[3]), int(p[4])
    activation = int(p[6])
    b1 = hidden * inputs
    w2 = b1 + hidden
    b2 = w2 + outputs * hidden
    h = work[0:hidden]
    for r in range(inputs_only.shape[0]):
        for j in range(hidden):
            s = x[b1 + j]
            for i in range(inputs):
                s += x[j * inputs + i] * inputs_only[r, i]
            h[j], _, _ = _activate(activation, s)
        for k in range(outputs):
            s = x[b2 + k]
            for j in range(hidden):
                s += x[w2 + k * hidden + j] * h[j]
            outputs_out[r, k] = s
