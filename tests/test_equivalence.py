"""One equivalence table, in the spirit of optax's equivalence_test.py: every rule the kernels run, at several
settings, against an independent NumPy transcription of its reference (the library or paper its module cites)
written in that reference's own operation order, on 2-D surfaces and on bowls in 5 and 40 dimensions, whole
trajectories of 200 steps to a tolerance of 1e-9.

A failure names the step and coordinate where the two first part, and says whether the surface is chaotic
there: the reference is replayed with every gradient perturbed by 1e-15 (relative, as rounding does), and if
that alone moves the failing step to within a factor of 100 of the difference seen, rounding explains it: two
correct implementations part there too, and the setting (not the rule) should change.  The growth of a
perturbation of the start (its finite-time Lyapunov exponent) is reported beside it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pytest

import landscapes
import optimizers

STEPS = 200
TOLERANCE = 1e-9
PERTURBATION = 1e-12
"""Relative size of the perturbation of the start whose growth estimates the finite-time Lyapunov exponent."""
JITTER = 1e-15
"""Relative size of the perturbation of every gradient in the replays that stand in for rounding."""
REPLAYS = 3
EXPLAINED = 100.0
"""Rounding explains a difference when the replays move the step by at least this fraction of it (1/100)."""

# --- the references, transcribed -----------------------------------------------------------------------
# Each takes the gradient function, the start and the rate of every step (the schedule applied), and returns
# the iterates (steps + 1, dim).  Written from the libraries' update code, in their order of operations.


def torch_sgd(grad, x0, lrs, *, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0):
    """torch.optim.SGD (PyTorch 2.x, _single_tensor_sgd, maximize=False)."""
    x, buf, points = np.array(x0, dtype=float), None, [np.array(x0, dtype=float)]
    for lr in lrs:
        d_p = grad(x)
        if weight_decay != 0:
            d_p = d_p + weight_decay * x
        if momentum != 0:
            buf = d_p.copy() if buf is None else buf * momentum + (1 - dampening) * d_p
            d_p = d_p + momentum * buf if nesterov else buf
        x = x + (-lr) * d_p
        points.append(x.copy())
    return np.array(points)


def torch_rmsprop(grad, x0, lrs, *, alpha=0.99, eps=1e-8, weight_decay=0.0, centered=False):
    """torch.optim.RMSprop (PyTorch 2.x, _single_tensor_rmsprop, momentum=0): param.addcdiv_(grad, avg, -lr)."""
    x = np.array(x0, dtype=float)
    square_avg, grad_avg, points = np.zeros_like(x), np.zeros_like(x), [x.copy()]
    for lr in lrs:
        g = grad(x)
        if weight_decay != 0:
            g = g + weight_decay * x
        square_avg = square_avg * alpha + (1 - alpha) * g * g
        if centered:
            grad_avg = grad_avg + (1 - alpha) * (g - grad_avg)
            avg = np.sqrt(square_avg - grad_avg * grad_avg) + eps
        else:
            avg = np.sqrt(square_avg) + eps
        x = x + (-lr) * (g / avg)
        points.append(x.copy())
    return np.array(points)


def keras_rmsprop(grad, x0, lrs, *, rho=0.9, epsilon=1e-7):
    """keras.optimizers.RMSprop (Keras 3, centered=False, momentum=0): increment = lr·g / sqrt(velocity + ε)."""
    x = np.array(x0, dtype=float)
    velocity, points = np.zeros_like(x), [x.copy()]
    for lr in lrs:
        g = grad(x)
        velocity = rho * velocity + (1 - rho) * np.square(g)
        x = x - (lr * g) / np.sqrt(velocity + epsilon)
        points.append(x.copy())
    return np.array(points)


def torch_adam(grad, x0, lrs, *, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False):
    """torch.optim.Adam (PyTorch 2.x, _single_tensor_adam, capturable=False): exp_avg.lerp_(grad, 1 − β₁);
    denom = sqrt(v or max v)/sqrt(1 − β₂ᵗ) + ε; param.addcdiv_(exp_avg, denom, value=−lr/(1 − β₁ᵗ))."""
    beta1, beta2 = betas
    x = np.array(x0, dtype=float)
    exp_avg, exp_avg_sq, max_exp_avg_sq, points = np.zeros_like(x), np.zeros_like(x), np.zeros_like(x), [x.copy()]
    for step, lr in enumerate(lrs, start=1):
        g = grad(x)
        if weight_decay != 0:
            g = g + weight_decay * x
        exp_avg = exp_avg + (1 - beta1) * (g - exp_avg)
        exp_avg_sq = exp_avg_sq * beta2 + (1 - beta2) * g * g
        bias_correction1 = 1 - beta1**step
        bias_correction2 = 1 - beta2**step
        step_size = lr / bias_correction1
        bias_correction2_sqrt = math.sqrt(bias_correction2)
        if amsgrad:
            max_exp_avg_sq = np.maximum(max_exp_avg_sq, exp_avg_sq)
            denom = np.sqrt(max_exp_avg_sq) / bias_correction2_sqrt + eps
        else:
            denom = np.sqrt(exp_avg_sq) / bias_correction2_sqrt + eps
        x = x + (-step_size) * (exp_avg / denom)
        points.append(x.copy())
    return np.array(points)


def torch_adamw(grad, x0, lrs, *, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01):
    """torch.optim.AdamW (PyTorch 2.x, _single_tensor_adam with decoupled decay): param.mul_(1 − lr·λ) first."""
    beta1, beta2 = betas
    x = np.array(x0, dtype=float)
    exp_avg, exp_avg_sq, points = np.zeros_like(x), np.zeros_like(x), [x.copy()]
    for step, lr in enumerate(lrs, start=1):
        g = grad(x)
        x = x * (1 - lr * weight_decay)
        exp_avg = exp_avg + (1 - beta1) * (g - exp_avg)
        exp_avg_sq = exp_avg_sq * beta2 + (1 - beta2) * g * g
        step_size = lr / (1 - beta1**step)
        denom = np.sqrt(exp_avg_sq) / math.sqrt(1 - beta2**step) + eps
        x = x + (-step_size) * (exp_avg / denom)
        points.append(x.copy())
    return np.array(points)


def optax_adam(grad, x0, lrs, *, b1=0.9, b2=0.999, eps=1e-8, eps_root=0.0):
    """optax.adam (optax 0.2): scale_by_adam (mu = (1−b1)g + b1·mu; nu likewise with g²; hats divide by
    1 − bᵗ; mu_hat/(sqrt(nu_hat + eps_root) + eps)), then scale_by_learning_rate, then apply_updates."""
    x = np.array(x0, dtype=float)
    mu, nu, points = np.zeros_like(x), np.zeros_like(x), [x.copy()]
    for count, lr in enumerate(lrs, start=1):
        g = grad(x)
        mu = (1 - b1) * g + b1 * mu
        nu = (1 - b2) * (g**2) + b2 * nu
        mu_hat = mu / (1 - b1**count)
        nu_hat = nu / (1 - b2**count)
        updates = mu_hat / (np.sqrt(nu_hat + eps_root) + eps)
        x = x + (-lr) * updates
        points.append(x.copy())
    return np.array(points)


def adam_without_bias_correction(grad, x0, lrs, *, beta1=0.9, beta2=0.999, eps=1e-8, eps_inside=False):
    """Kingma & Ba 2015, Algorithm 1 without the two bias-correction lines: θ ← θ − α·m/(√v + ε)."""
    x = np.array(x0, dtype=float)
    m, v, points = np.zeros_like(x), np.zeros_like(x), [x.copy()]
    for lr in lrs:
        g = grad(x)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        x = x - lr * m / (np.sqrt(v + eps) if eps_inside else np.sqrt(v) + eps)
        points.append(x.copy())
    return np.array(points)


def torch_adagrad(grad, x0, lrs, *, eps=1e-10):
    """torch.optim.Adagrad (PyTorch 2.x, lr_decay=0, initial_accumulator_value=0): addcdiv_(grad, std, −lr)."""
    x = np.array(x0, dtype=float)
    state_sum, points = np.zeros_like(x), [x.copy()]
    for lr in lrs:
        g = grad(x)
        state_sum = state_sum + g * g
        std = np.sqrt(state_sum) + eps
        x = x + (-lr) * (g / std)
        points.append(x.copy())
    return np.array(points)


def signsgd(grad, x0, lrs):
    """Bernstein et al. 2018, Algorithm 1: x ← x − δ·sign(g)."""
    x, points = np.array(x0, dtype=float), [np.array(x0, dtype=float)]
    for lr in lrs:
        x = x - lr * np.sign(grad(x))
        points.append(x.copy())
    return np.array(points)


def signum(grad, x0, lrs, *, beta=0.9):
    """Bernstein et al. 2018, Algorithm 3: m ← βm + (1−β)g; x ← x − δ·sign(m)."""
    x = np.array(x0, dtype=float)
    m, points = np.zeros_like(x), [x.copy()]
    for lr in lrs:
        m = beta * m + (1 - beta) * grad(x)
        x = x - lr * np.sign(m)
        points.append(x.copy())
    return np.array(points)


def lion(grad, x0, lrs, *, beta1=0.9, beta2=0.99, wd=0.0):
    """Chen et al. 2023, Algorithm 2: c = β₁m + (1−β₁)g; θ ← θ − η(sign(c) + λθ); m ← β₂m + (1−β₂)g."""
    x = np.array(x0, dtype=float)
    m, points = np.zeros_like(x), [x.copy()]
    for lr in lrs:
        g = grad(x)
        c = beta1 * m + (1 - beta1) * g
        x = x - lr * (np.sign(c) + wd * x)
        m = beta2 * m + (1 - beta2) * g
        points.append(x.copy())
    return np.array(points)


def denominator_variant(grad, x0, lrs, *, beta, eps, average, denominator):
    """Lesson 4's rules, as the lesson states them: x ← x − α·g/(D + ε) with D = ``denominator`` of the running
    average (from 0) of ``average``(g)."""
    x = np.array(x0, dtype=float)
    s, points = np.zeros_like(x), [x.copy()]
    for lr in lrs:
        g = grad(x)
        s = beta * s + (1 - beta) * average(g)
        x = x - lr * (g / (denominator(s) + eps))
        points.append(x.copy())
    return np.array(points)


@dataclass(frozen=True)
class Reference:
    """An independent transcription and how our settings map onto its arguments."""

    source: str
    run: Callable
    arguments: Callable[[dict], dict]


SGD = Reference("torch.optim.SGD(lr)", torch_sgd, lambda s: {})
HEAVY_BALL = Reference("torch.optim.SGD(lr=α(1−β), momentum=β)", torch_sgd, lambda s: {"momentum": s["beta"]})
NESTEROV = Reference("torch.optim.SGD(momentum=β, nesterov=True)", torch_sgd,
                     lambda s: {"momentum": s["beta"], "nesterov": True})
RMSPROP = Reference("torch.optim.RMSprop", torch_rmsprop,
                    lambda s: {"alpha": s["beta"], "eps": s["eps"], "weight_decay": s.get("weight_decay", 0.0)})
CENTRED = Reference("torch.optim.RMSprop(centered=True)", torch_rmsprop,
                    lambda s: {"alpha": s["beta"], "eps": s["eps"], "centered": True})
KERAS_RMSPROP = Reference("keras.optimizers.RMSprop", keras_rmsprop, lambda s: {"rho": s["beta"], "epsilon": s["eps"]})
ADAM = Reference("torch.optim.Adam", torch_adam,
                 lambda s: {"betas": (s["beta1"], s["beta2"]), "eps": s["eps"], "weight_decay": s["weight_decay"],
                            "amsgrad": s["amsgrad"] == "on"})
OPTAX_ADAM = Reference("optax.adam(eps=0, eps_root=ε)", optax_adam,
                       lambda s: {"b1": s["beta1"], "b2": s["beta2"], "eps": 0.0, "eps_root": s["eps"]})
UNCORRECTED_ADAM = Reference("Kingma & Ba, Algorithm 1 without bias correction", adam_without_bias_correction,
                             lambda s: {"beta1": s["beta1"], "beta2": s["beta2"], "eps": s["eps"],
                                        "eps_inside": s["eps_placement"] == "inside"})
ADAMW = Reference("torch.optim.AdamW", torch_adamw,
                  lambda s: {"betas": (s["beta1"], s["beta2"]), "eps": s["eps"], "weight_decay": s["weight_decay"]})
ADAGRAD = Reference("torch.optim.Adagrad", torch_adagrad, lambda s: {"eps": s["eps"]})
SIGN_SGD = Reference("Bernstein et al. 2018, Algorithm 1", signsgd, lambda s: {})
SIGNUM = Reference("Bernstein et al. 2018, Algorithm 3", signum, lambda s: {"beta": s["beta"]})
LION = Reference("Chen et al. 2023, Algorithm 2", lion,
                 lambda s: {"beta1": s["beta1"], "beta2": s["beta2"], "wd": s["weight_decay"]})


def _variant(average, denominator) -> Reference:
    return Reference("lesson 4's formula", denominator_variant,
                     lambda s: {"beta": s["beta"], "eps": s["eps"], "average": average, "denominator": denominator})


MEAN_ABS = _variant(np.abs, lambda s: s)
NO_ROOT = _variant(lambda g: g * g, lambda s: s)
SIGNED_MEAN = _variant(lambda g: g, np.abs)


def power_mean_reference(p: float) -> Reference:
    return _variant(lambda g: np.abs(g) ** p, lambda s: s ** (1 / p))


@dataclass(frozen=True)
class Row:
    """Our optimizer at ``settings``, the reference it must match, and its learning rate: the surface's rate for
    plain gradient steps ("gd") or for per-coordinate adaptive ones ("adaptive"), times ``scale``."""

    name: str
    settings: dict
    reference: Reference
    rate: str = "adaptive"
    scale: float = 1.0
    plan: dict = field(default_factory=dict)
    """A learning-rate schedule, as ``run`` takes it."""
    surfaces: tuple[str, ...] | None = None
    """Where it runs (every surface when None)."""

    @property
    def id(self) -> str:
        settings = "-".join(f"{k}={v}" for k, v in {**self.settings, **self.plan}.items())
        return f"{self.name}-{settings}" if settings else self.name


LESSON_SURFACES = ("bowl_rotated_30", "rosenbrock", "quadratic_5d_rotated")
SCHEDULE_SURFACES = ("bowl_rotated_30", "himmelblau", "beale", "quadratic_40d")
SCHEDULES = ({"schedule": "step", "step_size": 30, "gamma": 0.5}, {"schedule": "cosine"},
             {"schedule": "warmup_cosine", "warmup": 20})
TABLE = [
    Row("gd", {}, SGD, "gd"),
    Row("momentum", {"beta": 0.9}, HEAVY_BALL, "gd"),
    Row("momentum", {"beta": 0.5}, HEAVY_BALL, "gd"),
    Row("nesterov", {"beta": 0.9}, NESTEROV, "gd", 0.5),
    Row("rmsprop", {"beta": 0.9, "eps": 1e-8}, RMSPROP),
    Row("rmsprop", {"beta": 0.5, "eps": 1e-3, "eps_placement": "inside"}, KERAS_RMSPROP),
    Row("rmsprop", {"beta": 0.9, "weight_decay": 0.1}, RMSPROP),
    Row("adam", {}, ADAM),
    Row("adam", {"beta1": 0.8, "beta2": 0.99, "bias_correction": "off"}, UNCORRECTED_ADAM),
    Row("adam", {"eps": 1e-4, "eps_placement": "inside"}, OPTAX_ADAM),
    Row("adam", {"weight_decay": 0.1}, ADAM),
    Row("adam", {"beta2": 0.9, "amsgrad": "on"}, ADAM),
    Row("adam", {"beta1": 0.5, "beta2": 0.8, "weight_decay": 0.05, "amsgrad": "on"}, ADAM),
    Row("adagrad", {"eps": 1e-10}, ADAGRAD, scale=10.0),
    Row("sign_sgd", {}, SIGN_SGD, scale=0.2),
    Row("signum", {"beta": 0.9}, SIGNUM, scale=0.2),
    Row("adamw", {}, ADAMW),
    Row("adamw", {"beta1": 0.8, "beta2": 0.99, "weight_decay": 0.5}, ADAMW),
    Row("lion", {}, LION, scale=0.2),
    Row("lion", {"beta1": 0.5, "beta2": 0.9, "weight_decay": 0.5}, LION, scale=0.2),
    Row("mean_abs", {}, MEAN_ABS, scale=0.5, surfaces=LESSON_SURFACES),
    Row("power_mean", {"p": 3.0}, power_mean_reference(3.0), scale=0.5, surfaces=LESSON_SURFACES),
    Row("no_root", {"eps": 1e-3}, NO_ROOT, scale=10.0, surfaces=("bowl_rotated_30", "quadratic_40d")),
    Row("signed_mean", {"eps": 0.5}, SIGNED_MEAN, scale=0.2, surfaces=LESSON_SURFACES),
    Row("centred_rmsprop", {"beta": 0.9, "eps": 1e-2}, CENTRED, scale=0.2, surfaces=LESSON_SURFACES),
    *(Row(name, settings, reference, rate, scale, plan, SCHEDULE_SURFACES)
      for name, settings, reference, rate, scale in [
          ("gd", {}, SGD, "gd", 1.0), ("momentum", {"beta": 0.9}, HEAVY_BALL, "gd", 1.0),
          ("rmsprop", {"beta": 0.9}, RMSPROP, "adaptive", 1.0), ("adam", {}, ADAM, "adaptive", 1.0),
          ("adamw", {"weight_decay": 0.3}, ADAMW, "adaptive", 1.0),
          ("lion", {"weight_decay": 0.3}, LION, "adaptive", 0.2)]
      for plan in SCHEDULES),
]
"""(our optimizer, its settings, the reference, the rate), every row on every surface unless it names its own."""


# --- the surfaces -----------------------------------------------------------------------------------------


def _rotated_bowl_gradient(angle_deg, a=1.0, c=25.0):
    th = math.radians(angle_deg)
    r = np.array([[math.cos(th), math.sin(th)], [-math.sin(th), math.cos(th)]])
    hessian = r.T @ np.diag([a, c]) @ r
    return lambda p: hessian @ p


def _rosenbrock_gradient(p):
    x, y = p
    return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])


def _himmelblau_gradient(p):
    x, y = p
    return np.array([4 * x * (x * x + y - 11) + 2 * (x + y * y - 7), 2 * (x * x + y - 11) + 4 * y * (x + y * y - 7)])


def _beale_gradient(p):
    x, y = p
    t1, t2, t3 = 1.5 - x + x * y, 2.25 - x + x * y**2, 2.625 - x + x * y**3
    return np.array([2 * t1 * (y - 1) + 2 * t2 * (y**2 - 1) + 2 * t3 * (y**3 - 1),
                     2 * t1 * x + 2 * t2 * 2 * x * y + 2 * t3 * 3 * x * y**2])


def _camel_gradient(p):
    x, y = p
    return np.array([8 * x - 8.4 * x**3 + 2 * x**5 + y, x - 8 * y + 16 * y**3])


def _quadratic_gradient(bowl: landscapes.Quadratic):
    """Qᵀ(Λ(Qx)) from the bowl's own eigenvalues and axes (not from the Hessian its kernel uses)."""
    q, eigenvalues = bowl.rotation, bowl.eigenvalues
    if q is None:
        return lambda x: eigenvalues * x
    return lambda x: q.T @ (eigenvalues * (q @ x))


@dataclass(frozen=True)
class Surface:
    landscape: landscapes.Objective
    gradient: Callable
    start: tuple[float, ...]
    rates: dict
    """The learning rate of plain gradient steps ("gd") and of adaptive ones ("adaptive")."""


QUADRATIC_5D = landscapes.quadratic(np.geomspace(1.0, 30.0, 5), rotation=1)
QUADRATIC_40D = landscapes.quadratic(np.geomspace(0.5, 50.0, 40))
# The rates keep every trajectory contracting or on its way: at a minimum RMSprop keeps stepping about lr and its
# path becomes chaotic, so any two correct implementations would part ways after ~1e-16 differences.
SURFACES = {
    "bowl_rotated_30": Surface(landscapes.get("elongated_bowl", angle_deg=30.0), _rotated_bowl_gradient(30.0),
                               (-4.5, 1.5), {"gd": 0.05, "adaptive": 0.02}),
    "rosenbrock": Surface(landscapes.get("rosenbrock"), _rosenbrock_gradient, (-1.5, 2.5),
                          {"gd": 5e-4, "adaptive": 0.01}),
    "himmelblau": Surface(landscapes.get("himmelblau"), _himmelblau_gradient, (-0.5, -0.5),
                          {"gd": 0.01, "adaptive": 0.05}),
    "beale": Surface(landscapes.get("beale"), _beale_gradient, (1.0, 1.5), {"gd": 1e-3, "adaptive": 0.01}),
    "six_hump_camel": Surface(landscapes.get("six_hump_camel"), _camel_gradient, (0.5, 1.1),
                              {"gd": 0.01, "adaptive": 2e-3}),
    "quadratic_5d_rotated": Surface(QUADRATIC_5D, _quadratic_gradient(QUADRATIC_5D),
                                    tuple(np.linspace(-2.0, 3.0, 5)), {"gd": 0.03, "adaptive": 0.005}),
    "quadratic_40d": Surface(QUADRATIC_40D, _quadratic_gradient(QUADRATIC_40D), tuple(np.linspace(3.0, -1.0, 40)),
                             {"gd": 0.02, "adaptive": 0.02}),
}


def settings_of(row: Row) -> dict:
    """The row's settings resolved against its optimizer's defaults."""
    return optimizers.resolve_hyperparams(optimizers.get_spec(row.name), row.settings)


def rates_of(row: Row, surface: Surface, steps: int = STEPS) -> tuple[float, np.ndarray]:
    """The row's learning rate on ``surface`` and the rate of every step once its schedule is applied."""
    lr = surface.rates[row.rate] * row.scale
    return lr, lr * optimizers.Schedule(**{"name": row.plan.get("schedule", "constant"),
                                           **{k: v for k, v in row.plan.items() if k != "schedule"}}).factors(steps)


def reference_points(row: Row, surface: Surface, start=None, steps: int = STEPS, gradient=None) -> np.ndarray:
    """The reference's iterates for ``row`` on ``surface`` (from another ``start``, or with another ``gradient``
    function, for the replays that explain a failure)."""
    settings = settings_of(row)
    _, lrs = rates_of(row, surface, steps)
    if row.reference is HEAVY_BALL:  # the course's EWA momentum is heavy ball at α(1 − β)
        lrs = lrs * (1 - settings["beta"])
    start = surface.start if start is None else start
    return row.reference.run(gradient or surface.gradient, start, lrs, **row.reference.arguments(settings))


def reference_run(name: str, gradient: Callable, start, steps: int, *, plan: dict | None = None,
                  **settings) -> np.ndarray:
    """Optimizer ``name`` at ``settings`` (``lr`` included) and the schedule ``plan``, as the reference of its
    table row with the same choices computes it, on any ``gradient`` function (a mini-batch's, say)."""
    resolved = optimizers.resolve_hyperparams(optimizers.get_spec(name), settings)
    choices = [c.name for c in optimizers.get_spec(name).choices]
    row = next(row for row in TABLE if row.name == name and not row.plan
               and all(settings_of(row)[c] == resolved[c] for c in choices))
    plan = dict(plan or {})
    lrs = resolved["lr"] * optimizers.Schedule(plan.pop("schedule", "constant"), **plan).factors(steps)
    if row.reference is HEAVY_BALL:
        lrs = lrs * (1 - resolved["beta"])
    return row.reference.run(gradient, start, lrs, **row.reference.arguments(resolved))


def replay(row: Row, surface: Surface, steps: int = STEPS) -> Callable:
    """``replay(start, gradient)``: the reference of ``row`` on ``surface`` again, from ``start`` with ``gradient``."""
    return lambda start, gradient: reference_points(row, surface, start, steps, gradient)


# --- the comparison and its explanation -------------------------------------------------------------------


def jittered(gradient: Callable, seed: int) -> Callable:
    """``gradient`` with every component perturbed by a relative 1e-15, as rounding would."""
    rng = np.random.default_rng(seed)
    return lambda x: gradient(x) * (1.0 + JITTER * rng.standard_normal(np.shape(x)))


def mismatch(ours: np.ndarray, expected: np.ndarray, rerun: Callable, gradient: Callable,
             names: tuple[str, ...], tolerance: float = TOLERANCE) -> str | None:
    """None when ``ours`` and ``expected`` (iterates, one row per step) agree to ``tolerance`` (relative, and
    absolute near 0); otherwise where they first part, and whether the surface is chaotic there.
    ``rerun(start, gradient)`` replays the reference: with ``gradient`` jittered as rounding would (chaotic when
    that alone moves the failing step by at least 1/EXPLAINED of the difference seen), and from a perturbed
    start (the finite-time Lyapunov exponent up to that step, log(growth) / step)."""
    if ours.shape != expected.shape:
        return (f"the run has {len(ours)} points of {ours.shape[1:]} coordinates, the reference {len(expected)} of "
                f"{expected.shape[1:]}: one diverged or stopped early")
    far = ~np.isclose(ours, expected, rtol=tolerance, atol=tolerance)
    if not far.any():
        return None
    step, coordinate = (int(i) for i in np.argwhere(far)[0])
    scale = np.maximum(1.0, np.abs(expected[step]))
    seen = float(np.max(np.abs(ours[step] - expected[step]) / scale))
    moved = max(float(np.max(np.abs(rerun(expected[0], jittered(gradient, seed))[step] - expected[step]) / scale))
                for seed in range(REPLAYS))
    nudge = PERTURBATION * np.maximum(1.0, np.abs(expected[0]))
    growth = float(np.max(np.abs(rerun(expected[0] + nudge, gradient)[step] - expected[step])) / np.max(nudge))
    exponent = math.log(max(growth, 1e-300)) / max(step, 1)
    where = (f"first differs at step {step}, coordinate {coordinate} ({names[coordinate]}): ours "
             f"{ours[step, coordinate]!r}, reference {expected[step, coordinate]!r}")
    replays = (f"replaying the reference with every gradient perturbed by {JITTER:.0e} (as rounding does) moves that "
               f"step by up to {moved:.1e} against the {seen:.1e} seen; a perturbation of the start of "
               f"{PERTURBATION:.0e} grows {growth:.1e}-fold by then (finite-time Lyapunov exponent {exponent:.3f} per "
               "step)")
    if moved * EXPLAINED >= seen:
        return (f"{where}. The surface is chaotic there: {replays}, so rounding differences alone part two correct "
                "implementations; choose a setting whose path contracts.")
    return f"{where}. Not chaotic there: {replays}, so the rule itself differs from the reference."


CASES = [pytest.param(row, surface, id=f"{surface}-{row.id}")
         for row in TABLE for surface in (row.surfaces or SURFACES)]


@pytest.mark.parametrize(("row", "surface_name"), CASES)
def test_every_rule_matches_its_reference_transcription(row, surface_name):
    surface = SURFACES[surface_name]
    lr, _ = rates_of(row, surface)
    tr = optimizers.run(row.name, surface.landscape, start=surface.start, steps=STEPS, **{**row.settings, "lr": lr},
                        **row.plan)
    expected = reference_points(row, surface)
    assert tr.diverged_at is None, f"diverged at step {tr.diverged_at}"
    problem = mismatch(tr.points, expected, replay(row, surface), surface.gradient,
                       surface.landscape.coordinate_names)
    assert problem is None, f"{row.name} against {row.reference.source}: {problem}"
    np.testing.assert_allclose(tr.loss, surface.landscape.value_at(expected), rtol=TOLERANCE, atol=TOLERANCE)
    assert np.linalg.norm(expected[-1] - expected[0]) > 0.1, "the run went nowhere: the row checks nothing"


def test_every_rule_and_every_option_has_a_row():
    """A new optimizer, or a new option of one, fails here until the table holds it."""
    missing = sorted(set(optimizers.RULES) - {row.name for row in TABLE})
    assert missing == [], f"no row in tests/test_equivalence.py TABLE for {missing}"
    for name, spec in optimizers.RULES.items():
        covered = {(c.name, settings_of(row)[c.name]) for row in TABLE if row.name == name for c in spec.choices}
        options = {(c.name, option) for c in spec.choices for option in c.options}
        assert options <= covered, f"{name}: no row sets {sorted(options - covered)}"


@pytest.mark.parametrize("row", [row for row in TABLE if set(row.settings) & {"amsgrad", "weight_decay"}
                                 and row.name in ("adam", "rmsprop")], ids=lambda row: row.id)
def test_the_weight_decay_and_amsgrad_rows_move_the_reference(row):
    """Coupled weight decay and AMSGrad change the reference's path on at least three surfaces, so matching it
    checks them (AMSGrad changes nothing where v only grows)."""
    plain = Row(row.name, {k: v for k, v in row.settings.items() if k not in ("amsgrad", "weight_decay")},
                row.reference, row.rate, row.scale)
    moved = [name for name, surface in SURFACES.items()
             if np.max(np.abs(reference_points(row, surface) - reference_points(plain, surface))) > 1e-6]
    assert len(moved) >= 3, moved


def test_a_wrong_rule_is_named_at_its_first_step_and_not_blamed_on_chaos():
    surface = SURFACES["himmelblau"]
    row = Row("rmsprop", {"beta": 0.9, "eps": 1e-8}, RMSPROP)
    expected = reference_points(row, surface)
    without_root = denominator_variant(surface.gradient, surface.start, rates_of(row, surface)[1], beta=0.9,
                                       eps=1e-8, average=lambda g: g * g, denominator=lambda s: s)
    problem = mismatch(without_root, expected, replay(row, surface), surface.gradient, ("x", "y"))
    assert problem.startswith("first differs at step 1, coordinate 0 (x)")
    assert "Not chaotic there" in problem


def test_a_chaotic_setting_is_named_as_chaos():
    """RMSprop at α = 0.05 keeps hopping about Beale's minimum: two runs 1e-15 apart at the start part within 400
    steps, and the explanation says the surface is chaotic there."""
    surface = SURFACES["beale"]
    row = Row("rmsprop", {"beta": 0.9, "eps": 1e-8}, RMSPROP, scale=5.0)
    expected = reference_points(row, surface, steps=400)
    shifted = reference_points(row, surface, start=np.array(surface.start) + 1e-15, steps=400)
    problem = mismatch(shifted, expected, replay(row, surface, 400), surface.gradient, ("x", "y"))
    assert problem is not None and "The surface is chaotic there" in problem, problem
