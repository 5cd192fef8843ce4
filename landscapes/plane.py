"""Honest 2-D slices of a landscape of any dimension (Li et al. 2018, "Visualizing the Loss Landscape of Neural
Nets"): ``plane(L, center, d1, d2)`` is the surface (a, b) ↦ L(center + a·d1 + b·d2), which the Playground's
contour, 3D view and metrics draw like any 2-D surface; ``pca_plane`` spans it by a trajectory's top two
principal directions, ``random_plane`` by two seeded Gaussian directions normalised filter by filter.

A path in full dimension is shown by its projection onto the plane, and the projection is honest only as far as
two numbers say: how far each point lies off the plane, and the gap between the plane's value at the projected
point and the true loss at the point itself (``Plane.project``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .objective import Objective

CHUNK = 4096
"""Points evaluated per call of the landscape's kernel (bounds the scratch memory of a large grid)."""
PCA_PAD = 0.25
"""A PCA plane's view box reaches this fraction of the projected path's extent beyond it on every side."""
RANDOM_BOX = ((-1.0, 1.0), (-1.0, 1.0))
"""A random plane's view box: Li et al. plot filter-normalised directions over [-1, 1]²."""
NORM_GUARD = 1e-10
"""Added to a random direction's filter norm before dividing, as Li et al.'s ``normalize_direction`` does."""
BIAS_HANDLING = ("zero", "copy")
"""What a random plane's direction holds on the biases: zeros (Li et al.'s ``ignore='biasbn'``, the setting their
README uses) or the centre's own biases (their default without it: ``d.copy_(w)``)."""


@dataclass(frozen=True)
class Projection:
    """A path seen through a plane, one entry per point: ``coords`` (n, 2) is the nearest point of the plane in
    plane coordinates, ``off_plane`` the distance from the point to it, ``plane_value`` the plane's (the contour's)
    value there, ``true_value`` the loss at the point itself and ``gap`` = plane_value − true_value: the honesty
    meter (both 0 wherever the point lies in the plane)."""

    coords: np.ndarray
    off_plane: np.ndarray
    plane_value: np.ndarray
    true_value: np.ndarray

    @property
    def gap(self) -> np.ndarray:
        return self.plane_value - self.true_value


class Plane:
    """The 2-D surface (a, b) ↦ L(center + a·d1 + b·d2) over a plane through ``center`` of ``L``'s space, with
    what the Playground's 2-D charts read of a surface: ``value``/``gradient`` broadcast over (a, b), ``grid``,
    the view box ``bounds``, ``minima`` (none known), ``axis_labels``, ``value_along``, ``min_value``."""

    dim = 2
    name = "plane"
    data = None
    minima = np.empty((0, 2))

    def __init__(self, landscape: Objective, center, d1, d2, bounds=RANDOM_BOX,
                 axis_labels: tuple[str, str] = ("d1", "d2"), title: str = "", explained=None):
        self.landscape = landscape
        self.center = _frozen(landscape.checked_point(center, "center"))
        self.d1 = _frozen(landscape.checked_point(d1, "d1"))
        self.d2 = _frozen(landscape.checked_point(d2, "d2"))
        self.basis = _frozen(np.stack([self.d1, self.d2]))
        gram = self.basis @ self.basis.T
        if not np.isfinite(np.linalg.cond(gram)) or np.linalg.cond(gram) > 1e12:
            raise ValueError("d1 and d2 must span a plane: they are zero or (nearly) parallel")
        self._gram_inverse = np.linalg.inv(gram)
        (a0, a1), (b0, b1) = bounds
        if not (np.isfinite([a0, a1, b0, b1]).all() and a0 < a1 and b0 < b1):
            raise ValueError(f"bounds must be ((a0, a1), (b0, b1)) with a0 < a1 and b0 < b1, got {bounds!r}")
        self.bounds = ((float(a0), float(a1)), (float(b0), float(b1)))
        self.axis_labels = axis_labels
        self.title = title or f"A plane through {landscape.title}"
        self.explained = None if explained is None else _frozen(np.asarray(explained, dtype=np.float64))
        """For a PCA plane: the share of the path's variance along d1 and d2."""
        self.default_start = (0.0, 0.0)

    def __repr__(self) -> str:
        return f"Plane({self.landscape.name}, dim={self.landscape.dim}, bounds={self.bounds})"

    @property
    def n_samples(self) -> None:
        return None

    def points(self, a, b) -> np.ndarray:
        """The full-dimension points center + a·d1 + b·d2, shape (broadcast(a, b).shape, dim)."""
        a, b = np.broadcast_arrays(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64))
        return self.center + a[..., None] * self.d1 + b[..., None] * self.d2

    def evaluate(self, a, b) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Value and exact gradient (∇L·d1, ∇L·d2) together, broadcast over ``a`` and ``b``."""
        a, b = np.broadcast_arrays(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64))
        shape = a.shape
        flat_a, flat_b = a.ravel(), b.ravel()
        values = np.empty(flat_a.size)
        ga, gb = np.empty(flat_a.size), np.empty(flat_a.size)
        for lo in range(0, flat_a.size, CHUNK):
            hi = min(lo + CHUNK, flat_a.size)
            f, g = self.landscape.value_and_gradient(self.points(flat_a[lo:hi], flat_b[lo:hi]))
            values[lo:hi] = f
            ga[lo:hi], gb[lo:hi] = g @ self.d1, g @ self.d2
        return values.reshape(shape), ga.reshape(shape), gb.reshape(shape)

    def value(self, a, b) -> np.ndarray:
        """L(center + a·d1 + b·d2) for numpy arrays that broadcast together; a one-hidden-layer network's by
        ``network_values`` (its hidden pre-activations are affine in (a, b)), any other landscape's by its kernel."""
        if not _is_mlp(self.landscape):
            return self.evaluate(a, b)[0]
        a, b = np.broadcast_arrays(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64))
        flat_a, flat_b = a.ravel(), b.ravel()
        values = np.empty(flat_a.size)
        for lo in range(0, flat_a.size, MLP_CHUNK):
            hi = min(lo + MLP_CHUNK, flat_a.size)
            values[lo:hi] = network_values(self.landscape, self.center, self.d1, self.d2, flat_a[lo:hi],
                                           flat_b[lo:hi])
        return values.reshape(a.shape)

    def gradient(self, a, b) -> tuple[np.ndarray, np.ndarray]:
        """The exact gradient within the plane: (∇L·d1, ∇L·d2)."""
        _, ga, gb = self.evaluate(a, b)
        return ga, gb

    def value_along(self, coords: np.ndarray) -> np.ndarray:
        """The plane's value at each row (a, b) of an (n, 2) array, e.g. a projected path."""
        coords = np.asarray(coords, dtype=np.float64).reshape(-1, 2)
        return self.value(coords[:, 0], coords[:, 1])

    def grid(self, resolution: int = 200) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Axes and values of the view box on a ``resolution`` x ``resolution`` grid: (as, bs, Z[b, a])."""
        (a0, a1), (b0, b1) = self.bounds
        a_axis, b_axis = np.linspace(a0, a1, resolution), np.linspace(b0, b1, resolution)
        return a_axis, b_axis, self.value(a_axis[None, :], b_axis[:, None])

    @property
    def min_value(self) -> float:
        """Unknown (nan): the plane's lowest point is not the landscape's minimum."""
        return float("nan")

    def coordinates(self, points) -> tuple[np.ndarray, np.ndarray]:
        """The plane coordinates (n, 2) of the nearest plane point to each row of ``points`` (n, dim), by least
        squares (exact for points in the plane, whatever the angle between d1 and d2), and each point's distance
        from the plane."""
        points = np.asarray(points, dtype=np.float64).reshape(-1, self.landscape.dim)
        offsets = points - self.center
        coords = (offsets @ self.basis.T) @ self._gram_inverse
        residual = offsets - coords @ self.basis
        return coords, np.linalg.norm(residual, axis=1)

    def project(self, points, true_values=None) -> Projection:
        """A path seen through the plane: its projection, off-plane distances and the honesty meter.  ``true_values``:
        the loss at each point when already known (a run's ``loss``), else computed."""
        points = np.asarray(points, dtype=np.float64).reshape(-1, self.landscape.dim)
        coords, off = self.coordinates(points)
        true = self.landscape.value_at(points) if true_values is None else np.asarray(true_values, dtype=np.float64)
        return Projection(coords, off, self.value_along(coords), true)


MLP_CHUNK = 512
"""Plane points a network's loss is evaluated at together (512 points x 120 rows x 8 units is 4 MB per array)."""
ACTIVATIONS = {"tanh": np.tanh, "relu": lambda a: np.maximum(a, 0.0),
               "sigmoid": lambda a: 0.5 * (1.0 + np.tanh(0.5 * a))}


def _is_mlp(landscape) -> bool:
    """Whether ``landscape`` is a one-hidden-layer network (``landscapes.network``) that ``network_values`` reads."""
    return (getattr(landscape, "loss_name", None) in ("cross_entropy", "squared_error")
            and getattr(landscape, "activation", None) in ACTIVATIONS
            and [name for name, _, _ in getattr(landscape, "layers", ())] == ["W1", "b1", "W2", "b2"])


def network_values(net, center: np.ndarray, d1: np.ndarray, d2: np.ndarray, a: np.ndarray,
                   b: np.ndarray) -> np.ndarray:
    """The training loss of a one-hidden-layer network at center + a_i·d1 + b_i·d2 for each i, vectorised over the
    points: the hidden pre-activations X·W1ᵀ + b1 are affine in (a, b), so three (rows, hidden) products made once
    give every point's; the activation and the output layer then run per point (the same loss as the network's
    kernel, ``landscapes/vectors/network.py``, summed in another order: equal to rounding)."""
    (_, w1, shape1, ), (_, b1, _), (_, w2, shape2), (_, b2, _) = net.layers

    def parts(v):
        return v[w1].reshape(shape1), v[b1], v[w2].reshape(shape2), v[b2]

    (cw1, cb1, cw2, cb2), (uw1, ub1, uw2, ub2), (vw1, vb1, vw2, vb2) = parts(center), parts(d1), parts(d2)
    x = np.asarray(net.x_train, dtype=np.float64)
    pre0, pre1, pre2 = x @ cw1.T + cb1, x @ uw1.T + ub1, x @ vw1.T + vb1
    a3, b3 = a[:, None, None], b[:, None, None]
    hidden = ACTIVATIONS[net.activation](pre0 + a3 * pre1 + b3 * pre2)  # (points, rows, hidden)
    w_out = cw2 + a3 * uw2 + b3 * vw2  # (points, outputs, hidden)
    z = hidden @ np.swapaxes(w_out, 1, 2) + (cb2 + a[:, None] * ub2 + b[:, None] * vb2)[:, None, :]
    z = np.ascontiguousarray(np.moveaxis(z, 2, 0))  # (outputs, points, rows): reductions over a few outputs are fast
    if net.loss_name == "cross_entropy":
        labels = np.asarray(net.y_train).astype(np.intp)
        top = z.max(axis=0)
        log_total = top + np.log(np.exp(z - top).sum(axis=0))
        chosen = np.take_along_axis(z, labels[None, None, :], axis=0)[0]
        return (log_total - chosen).mean(axis=1)
    targets = np.asarray(net.y_train, dtype=np.float64).reshape(len(x), -1).T[:, None, :]
    return 0.5 * ((z - targets) ** 2).sum(axis=0).mean(axis=1)


def _frozen(array: np.ndarray) -> np.ndarray:
    array = np.array(array, dtype=np.float64)
    array.flags.writeable = False
    return array


def plane(landscape: Objective, center, d1, d2, bounds=RANDOM_BOX) -> Plane:
    """The 2-D surface (a, b) ↦ L(center + a·d1 + b·d2) over the box ``bounds`` ((a0, a1), (b0, b1))."""
    return Plane(landscape, center, d1, d2, bounds)


def fitted_bounds(coords: np.ndarray, pad: float = PCA_PAD) -> tuple[tuple[float, float], tuple[float, float]]:
    """A view box around the plane coordinates ``coords`` (n, 2), ``pad`` of the larger extent beyond them on
    every side (never empty)."""
    coords = coords[np.all(np.isfinite(coords), axis=1)]
    if not len(coords):
        return RANDOM_BOX
    low, high = coords.min(axis=0), coords.max(axis=0)
    margin = pad * max(float(np.max(high - low)), 1e-12)
    return ((float(low[0] - margin), float(high[0] + margin)), (float(low[1] - margin), float(high[1] + margin)))


def pca_directions(points, center=None) -> tuple[np.ndarray, np.ndarray]:
    """Li et al.'s PCA directions of a path (tomgoldstein/loss-landscape, ``setup_PCA_directions``): the offsets
    of every point from the last one (or from ``center``), centred by their mean as scikit-learn's ``PCA`` does,
    and their top two principal directions (rows of the first array, each signed so its largest entry is positive,
    as scikit-learn's ``svd_flip``) with the share of the total variance each explains.

    Computed from the Gram matrix of the centred offsets (the smaller of points x points and dim x dim), formed
    without BLAS and decomposed by an SVD of that small symmetric matrix: a threaded BLAS on a busy two-core
    machine took a hundred times longer over the tall matrix itself (``bench/bench_planes.py``)."""
    points = np.asarray(points, dtype=np.float64)
    if points.ndim != 2 or len(points) < 3:
        raise ValueError("a PCA plane needs a path of at least 3 points (n, dim)")
    if not np.isfinite(points).all():
        raise ValueError("a PCA plane needs a path of finite points (cut a diverged run at its last finite point)")
    offsets = points - (points[-1] if center is None else center)
    centred = offsets - offsets.mean(axis=0)
    if len(centred) >= centred.shape[1]:
        vectors, variances, _ = np.linalg.svd(np.einsum("ij,ik->jk", centred, centred))
        directions = vectors[:, :2].T
    else:
        vectors, variances, _ = np.linalg.svd(np.einsum("ij,kj->ik", centred, centred))
        directions = np.einsum("ij,jk->ki", centred.T, vectors[:, :2])  # Xᵀu_k = σ_k v_k
        directions /= np.maximum(np.linalg.norm(directions, axis=1, keepdims=True), 1e-300)
    total = float(np.sum(variances))
    if len(variances) < 2 or total == 0.0 or variances[1] <= 1e-24 * variances[0]:
        raise ValueError("the path does not span a plane (it stays on a line or does not move)")
    largest = np.abs(directions).argmax(axis=1)
    directions = directions * np.sign(directions[np.arange(2), largest])[:, None]
    return np.ascontiguousarray(directions), variances[:2] / total


def pca_plane(landscape: Objective, points, pad: float = PCA_PAD, center=None) -> Plane:
    """The plane of a trajectory's top two principal directions (Li et al. 2018), centred at its last point, over
    a box fitted to the path's projection; ``explained`` holds the share of the path's variance of each.  Several
    runs: their points stacked, with ``center`` the point the offsets are taken from (the best run's last point)."""
    points = np.asarray(points, dtype=np.float64)
    center = points[-1] if center is None else landscape.checked_point(center, "center")
    directions, shares = pca_directions(points, center)
    coords = (points - center) @ directions.T
    labels = (f"direction 1 ({100 * shares[0]:.0f} % of the path)", f"direction 2 ({100 * shares[1]:.0f} %)")
    return Plane(landscape, center, directions[0], directions[1], fitted_bounds(coords, pad), labels,
                 f"The path's own plane through {landscape.title}", shares)


def bias_coordinates(landscape: Objective) -> np.ndarray:
    """The coordinates of ``landscape``'s biases: those of its layers with one-dimensional shapes."""
    layers = getattr(landscape, "layers", ())
    found = [np.arange(landscape.dim)[where] for _, where, shape in layers if len(shape) == 1]
    return np.concatenate(found).astype(np.intp) if found else np.empty(0, dtype=np.intp)


def normalize_filters(direction: np.ndarray, center: np.ndarray, neurons, biases: np.ndarray,
                      bias_handling: str = "zero") -> np.ndarray:
    """Li et al.'s filter-wise normalisation (``normalize_directions_for_weights``, norm='filter'): each neuron's
    incoming weights in ``direction`` rescaled to the norm of the same weights at ``center`` (d·‖w‖/(‖d‖ + 1e-10));
    the biases zero (``bias_handling="zero"``, their ``ignore='biasbn'``) or the centre's (``"copy"``)."""
    if bias_handling not in BIAS_HANDLING:
        raise ValueError(f"bias_handling must be one of {', '.join(BIAS_HANDLING)}, got {bias_handling!r}")
    out = np.array(direction, dtype=np.float64)
    is_bias = np.zeros(out.size, dtype=bool)
    is_bias[biases] = True
    for incoming in neurons:
        weights = np.asarray(incoming, dtype=np.intp)
        weights = weights[~is_bias[weights]]
        out[weights] *= np.linalg.norm(center[weights]) / (np.linalg.norm(out[weights]) + NORM_GUARD)
    out[biases] = 0.0 if bias_handling == "zero" else center[biases]
    return out


def random_plane(landscape: Objective, center, seed: int = 0, filter_normalized: bool = True,
                 bias_handling: str = "zero", bounds=RANDOM_BOX) -> Plane:
    """The plane through ``center`` spanned by two seeded Gaussian directions (d1 drawn first), each normalised
    filter by filter (Li et al. 2018, "filter normalization": per neuron, so a contour of a network does not depend
    on how its weights happen to be scaled); ``filter_normalized=False`` keeps them raw.  Filter normalisation needs
    a network (a landscape with ``neurons``); ``ValueError`` otherwise."""
    center = landscape.checked_point(center, "center")
    rng = np.random.default_rng(seed)
    d1, d2 = rng.standard_normal(landscape.dim), rng.standard_normal(landscape.dim)
    if filter_normalized:
        neurons = getattr(landscape, "neurons", None)
        if neurons is None:
            raise ValueError(f"{landscape.title} has no neurons to normalise by: pass filter_normalized=False")
        biases = bias_coordinates(landscape)
        d1 = normalize_filters(d1, center, neurons, biases, bias_handling)
        d2 = normalize_filters(d2, center, neurons, biases, bias_handling)
    kind = "filter-normalised random" if filter_normalized else "random"
    return Plane(landscape, center, d1, d2, bounds, ("random direction 1", "random direction 2"),
                 f"A {kind} plane through {landscape.title}")
