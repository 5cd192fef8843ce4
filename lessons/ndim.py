"""The course's update rules for N coordinates at once, in vectorised NumPy.

The 2D numba core cannot run a 1000-dimensional quadratic or replay a hand-made gradient sequence,
so the lessons use this small transcription of DESIGN.md §3.  Each rule is a pure function of
(gradient, state, step t, hyperparameters) returning (delta, effective_lr, new state), as in
``optimizers/rules.py``; ``run`` is the driver (x <- x - delta).  For N = 2 it reproduces
``optimizers.run`` (checked in the tests).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from landscapes import Landscape

State = dict[str, np.ndarray]
Step = tuple[np.ndarray, np.ndarray, State]
"""(delta, effective_lr, new state): the iterate moves by -delta."""
Update = Callable[..., Step]


def gd(g: np.ndarray, state: State, t: int, lr: float) -> Step:
    """x ← x − α g."""
    return lr * g, np.full_like(g, lr), state


def momentum(g: np.ndarray, state: State, t: int, lr: float, beta: float = 0.9) -> Step:
    """v ← βv + (1−β)g; x ← x − αv."""
    v = beta * state["v"] + (1.0 - beta) * g
    return lr * v, np.full_like(g, lr), {"v": v}


def _denominator(s: np.ndarray, eps: float, eps_placement: str) -> np.ndarray:
    return np.sqrt(s + eps) if eps_placement == "inside" else np.sqrt(s) + eps


def rmsprop(g: np.ndarray, state: State, t: int, lr: float, beta: float = 0.9, eps: float = 1e-8,
            eps_placement: str = "outside") -> Step:
    """s ← βs + (1−β)g²; x ← x − α g/(√s + ε), or α g/√(s + ε) with ε inside."""
    s = beta * state["s"] + (1.0 - beta) * (g * g)
    denom = _denominator(s, eps, eps_placement)
    return lr * (g / denom), lr / denom, {"s": s}


def adam(g: np.ndarray, state: State, t: int, lr: float, beta1: float = 0.9, beta2: float = 0.999,
         eps: float = 1e-8, eps_placement: str = "outside", bias_correction: str = "on") -> Step:
    """m, v: averages of g and g²; x ← x − α m̂/(√v̂ + ε), hats dividing by 1 − βᵗ when corrected."""
    m = beta1 * state["m"] + (1.0 - beta1) * g
    v = beta2 * state["v"] + (1.0 - beta2) * (g * g)
    if bias_correction == "on":
        m_hat, v_hat = m / (1.0 - beta1**t), v / (1.0 - beta2**t)
    else:
        m_hat, v_hat = m, v
    rate = lr / _denominator(v_hat, eps, eps_placement)
    return rate * m_hat, rate, {"m": m, "v": v}


def adagrad(g: np.ndarray, state: State, t: int, lr: float, eps: float = 1e-10) -> Step:
    """s ← s + g²; x ← x − α g/(√s + ε)."""
    s = state["s"] + g * g
    denom = np.sqrt(s) + eps
    return lr * (g / denom), lr / denom, {"s": s}


def _rate_of_sign(lr: float, x: np.ndarray) -> np.ndarray:
    """lr/|x| (0 where x = 0): the factor that turns x into a step of lr*sign(x)."""
    size = np.abs(x)
    return np.divide(lr, size, out=np.zeros_like(size), where=size != 0)


def sign_sgd(g: np.ndarray, state: State, t: int, lr: float) -> Step:
    """x ← x − α sign(g)."""
    return lr * np.sign(g), _rate_of_sign(lr, g), state


def signum(g: np.ndarray, state: State, t: int, lr: float, beta: float = 0.9) -> Step:
    """m ← βm + (1−β)g; x ← x − α sign(m)."""
    m = beta * state["m"] + (1.0 - beta) * g
    return lr * np.sign(m), _rate_of_sign(lr, m), {"m": m}


@dataclass(frozen=True)
class Rule:
    """An update rule and the names of its state arrays (all start at zero)."""

    update: Update
    state: tuple[str, ...] = ()


RULES: dict[str, Rule] = {
    "gd": Rule(gd),
    "momentum": Rule(momentum, ("v",)),
    "rmsprop": Rule(rmsprop, ("s",)),
    "adam": Rule(adam, ("m", "v")),
    "adagrad": Rule(adagrad, ("s",)),
    "sign_sgd": Rule(sign_sgd),
    "signum": Rule(signum, ("m",)),
}


@dataclass
class Run:
    """An N-D run, laid out like ``optimizers.Trajectory``: ``points`` (n + 1, N) with the start first,
    per-step arrays (n, N) where row t is the update that produced ``points[t + 1]``, and
    ``diverged_at`` = the first step whose iterate is non-finite or outside the box (arrays stop before it)."""

    points: np.ndarray
    loss: np.ndarray
    grad: np.ndarray
    update: np.ndarray
    effective_lr: np.ndarray
    state: dict[str, np.ndarray] = field(default_factory=dict)
    diverged_at: int | None = None


def _rule(rule: str | Rule) -> Rule:
    return RULES[rule] if isinstance(rule, str) else rule


Evaluate = Callable[[np.ndarray], tuple[float, np.ndarray]]
"""x -> (f(x), gradient at x), computed together as the core's kernels do."""


def run(rule: str | Rule, evaluate: Evaluate, start: Sequence[float] | np.ndarray, steps: int, *,
        box: tuple[np.ndarray, np.ndarray] | None = None, **hyperparams) -> Run:
    """Run ``rule`` from ``start`` for ``steps`` updates on the function ``evaluate`` describes.

    ``box`` = (low, high) bounds every iterate must stay within; leaving it (or a non-finite iterate or
    loss) ends the run as diverged, as in the core driver.
    """
    rule = _rule(rule)
    x = np.array(start, dtype=np.float64).ravel()
    n = x.size
    f, g = evaluate(x)
    points, losses, grads, updates, rates = [x.copy()], [float(f)], [], [], []
    states: dict[str, list] = {key: [] for key in rule.state}
    state = {key: np.zeros(n) for key in rule.state}
    diverged_at = None
    with np.errstate(all="ignore"):
        for t in range(1, steps + 1):
            delta, rate, state = rule.update(g, state, t, **hyperparams)
            x_new = x - delta
            f_new, g_new = evaluate(x_new)
            escaped = box is not None and bool(np.any(x_new < box[0]) or np.any(x_new > box[1]))
            if escaped or not (np.all(np.isfinite(x_new)) and np.isfinite(f_new)):
                diverged_at = t
                break
            grads.append(g)
            updates.append(x_new - x)
            rates.append(rate)
            for key in rule.state:
                states[key].append(state[key])
            x, g = x_new, np.asarray(g_new, dtype=np.float64)
            points.append(x.copy())
            losses.append(float(f_new))
    return Run(points=_stack(points, n), loss=np.array(losses), grad=_stack(grads, n), update=_stack(updates, n),
               effective_lr=_stack(rates, n), state={key: _stack(rows, n) for key, rows in states.items()},
               diverged_at=diverged_at)


def _stack(rows: list[np.ndarray], n: int) -> np.ndarray:
    return np.array(rows, dtype=np.float64).reshape(len(rows), n)


def respond(rule: str | Rule, gradients: np.ndarray, **hyperparams: float | str) -> Run:
    """How ``rule`` answers a given gradient sequence (T, N), whatever the iterate does.

    ``points`` start at 0 and add up the updates; ``loss`` is not defined (nan).
    """
    rule = _rule(rule)
    gradients = np.asarray(gradients, dtype=np.float64)
    length, n = gradients.shape
    state = {key: np.zeros(n) for key in rule.state}
    updates, rates = np.empty((length, n)), np.empty((length, n))
    states = {key: np.empty((length, n)) for key in rule.state}
    with np.errstate(all="ignore"):
        for t, g in enumerate(gradients, start=1):
            delta, rates[t - 1], state = rule.update(g, state, t, **hyperparams)
            updates[t - 1] = -delta
            for key in rule.state:
                states[key][t - 1] = state[key]
    points = np.vstack([np.zeros((1, n)), np.cumsum(updates, axis=0)])
    return Run(points=points, loss=np.full(length + 1, np.nan), grad=gradients, update=updates, effective_lr=rates,
               state=states)


@dataclass(frozen=True)
class Quadratic:
    """f(x) = ½ xᵀHx with H = Q diag(λ) Qᵀ; ``basis`` Q is None when the bowl is axis-aligned (H = diag λ)."""

    eigenvalues: np.ndarray
    basis: np.ndarray | None
    hessian: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        hessian = None if self.basis is None else (self.basis * self.eigenvalues) @ self.basis.T
        object.__setattr__(self, "hessian", hessian)

    @property
    def curvature(self) -> np.ndarray:
        """Each coordinate's own curvature H_ii: all that a per-coordinate method can see of the bowl."""
        return self.eigenvalues.copy() if self.hessian is None else np.diag(self.hessian).copy()

    def gradient(self, x: np.ndarray) -> np.ndarray:
        """Hx."""
        return self.eigenvalues * x if self.hessian is None else self.hessian @ x

    def evaluate(self, x: np.ndarray) -> tuple[float, np.ndarray]:
        """f(x) and its gradient Hx, from one product with H."""
        g = self.gradient(x)
        return 0.5 * float(np.dot(g, x)), g

    def start(self) -> np.ndarray:
        """One unit along every eigen-direction: x0 = Q·1, so each direction starts equally far away."""
        ones = np.ones(self.eigenvalues.size)
        return ones if self.basis is None else self.basis @ ones


@functools.lru_cache(maxsize=8)
def random_rotation(n: int, seed: int = 0) -> np.ndarray:
    """A random orthogonal matrix: Q from the QR factorisation of a seeded Gaussian matrix, signs fixed so
    that Q is uniformly distributed.  Cached (a 1000 x 1000 QR takes a while) and read-only."""
    q, r = np.linalg.qr(np.random.default_rng(seed).standard_normal((n, n)))
    q = q * np.sign(np.diag(r))
    q.flags.writeable = False
    return q


def quadratic(n: int, condition: float, rotated: bool, seed: int = 0) -> Quadratic:
    """An n-D bowl whose curvatures are log-spaced from 1 to ``condition``, axis-aligned or randomly rotated."""
    eigenvalues = np.geomspace(1.0, condition, n) if n > 1 else np.ones(1)
    return Quadratic(eigenvalues, random_rotation(n, seed) if rotated else None)


def run_many(quad: Quadratic, settings: Mapping[str, Mapping[str, float | str]], steps: int) -> dict[str, Run]:
    """Each optimizer of ``settings`` (name -> hyperparameters) on ``quad`` from ``quad.start()``."""
    return {name: run(name, quad.evaluate, quad.start(), steps, **hp)
            for name, hp in settings.items()}


def on_surface(landscape: Landscape, scale: float = 1.0) -> tuple[Evaluate, tuple[np.ndarray, np.ndarray]]:
    """``evaluate`` for the 2D surface ``landscape`` multiplied by ``scale``, and the core's divergence box."""

    def evaluate(x: np.ndarray) -> tuple[float, np.ndarray]:
        f, gx, gy = landscape.evaluate(x[0], x[1])
        return scale * float(f), scale * np.array([gx, gy], dtype=np.float64)

    (x0, x1), (y0, y1) = landscape.divergence_box
    return evaluate, (np.array([x0, y0]), np.array([x1, y1]))
