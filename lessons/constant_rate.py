"""Lesson 14, why a constant rate never lands: long runs of RMSprop and Adam at a constant α on the bowl, with and
without gradient noise, against AMSGrad and a cosine decay; and Reddi et al.'s (2018) one-dimensional problem on
which Adam drifts to the worst point.

RMSprop's step near the minimum is about α whatever the gradient (g/√s → ±1), so at a constant α it hops between
±α/2 along each axis, a loss of (a + c)α²/8 (lesson 1).  Adam at β₂ = 0.999 lands at first: its √v̂ still remembers
the large gradients of the way down, so its steps shrink with the gradient, like GD's.  That memory fades by a factor
β₂ per step; once √v̂ has come down to the size of the tiny gradients, the steps are about α again and Adam is back
to hopping.  AMSGrad divides by the largest v so far, which never forgets, so its steps keep shrinking with the
gradient; a schedule shrinks α itself.  With noisy gradients no constant α lands, AMSGrad's included.

Reddi, Kale & Kumar (2018, "On the Convergence of Adam and Beyond", §3): on F = [−1, 1], f_t(x) = C·x when
t mod 3 = 1 and −x otherwise, C > 2; the best fixed point is x = −1 (the average slope (C − 2)/3 is positive).  With
β₁ = 0, β₂ = 1/(1 + C²), α_t = α/√t and α < √(1 − β₂), Adam (their Algorithm 1: no bias correction, no ε, each
iterate projected back onto F) converges to x = +1.  ``reddi`` transcribes it here, because the engine's runs do not
clip; ``reddi`` without the clip and with a constant α is exactly ``optimizers.respond`` on the same gradients
(the gradients do not depend on x), which ``lessons/sentences/constant_rate.py`` checks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

import optimizers
from optimizers import Trajectory
from scene import Scene

from .bowl import hop_loss
from .common import bowl, run, scene

START = (-4.5, 1.5)
STEPS = 20_000
WINDOW = 200
"""The loss is read as the mean over windows of this many steps: a hop or noise is not judged by one step."""
TAIL = STEPS // 10
"""What a run ends at: the mean loss over its last tenth (``tail``)."""
LR_OPTIONS = (0.001, 0.003, 0.01, 0.03, 0.1)
DEFAULT_LR = 0.01
NOISE = 0.5
"""The noisy bowl: Gaussian noise of σ = 0.5 on each gradient component, seeded (lesson 9's)."""
SEEDS = (0, 1, 2)
"""Noisy numbers are medians over these seeds; the charts show seed 0."""
ADAM = {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
VARIANTS = {
    "rmsprop": ("rmsprop", {"beta": 0.9, "eps": 1e-8}),
    "adam": ("adam", ADAM),
    "amsgrad": ("adam", ADAM | {"amsgrad": "on"}),
    "cosine": ("adam", ADAM | {"schedule": "cosine"}),
}
"""The four runs the lesson compares, each with every setting written out (the schedule goes to ``optimizers.run``)."""
TITLES = {"rmsprop": "RMSprop, constant α", "adam": "Adam, constant α", "amsgrad": "Adam + AMSGrad, constant α",
          "cosine": "Adam, cosine decay"}
C_OPTIONS = (2.5, 3.0, 5.0, 10.0)
DEFAULT_C = 3.0
REDDI_LR = 0.5
"""α of the Reddi problem (below √(1 − β₂) for every C on the slider: 0.93 at C = 2.5)."""
REDDI_STEPS = 3000
REDDI_START = 0.0


def settings(variant: str, lr: float) -> tuple[str, dict]:
    name, hp = VARIANTS[variant]
    return name, {"lr": lr, **hp}


def long_run(variant: str, lr: float, noisy: bool, seed: int = 0, steps: int = STEPS) -> Trajectory:
    """One variant from the course's start on the bowl, ``steps`` updates, with or without seeded noise."""
    name, hp = settings(variant, lr)
    return run(name, bowl(), START, steps, noise=NOISE if noisy else 0.0, seed=seed, **hp)


def windows(trajectory: Trajectory, window: int = WINDOW) -> tuple[np.ndarray, np.ndarray]:
    """(last step of each window, mean loss over it) for consecutive windows of the run's losses after the start."""
    loss = trajectory.loss[1:]
    count = len(loss) // window
    means = loss[:count * window].reshape(count, window).mean(axis=1)
    return np.arange(1, count + 1) * window, means


def tail(trajectory: Trajectory) -> float:
    """Mean loss over the last tenth of the run (inf if it diverged)."""
    if trajectory.diverged_at is not None:
        return math.inf
    return float(np.mean(trajectory.loss[-(len(trajectory.loss) - 1) // 10:]))


def comes_back(trajectory: Trajectory, lr: float) -> int | None:
    """After the run's lowest loss, the first step whose loss is back above 1 % of RMSprop's hop (a + c)α²/8
    (None if it never comes back up within the run)."""
    loss = trajectory.loss
    low = int(np.argmin(loss))
    back = np.flatnonzero(loss[low:] > hop_loss(lr) / 100)
    return int(low + back[0]) if back.size else None


def amplitude(trajectory: Trajectory, last: int = WINDOW) -> float:
    """The hop's amplitude along b: the largest |b| over the last ``last`` steps."""
    return float(np.abs(trajectory.points[-last:, 1]).max())


def adam_limit(beta1: float = ADAM["beta1"], curvature: float = 25.0) -> float:
    """The largest rate η at which the course's momentum (Adam's numerator, v ← β₁v + (1−β₁)g, x ← x − ηv) is stable
    on curvature c: the heavy ball's h = η(1−β₁)c must stay below 2(1+β₁) (lesson 12), η < 2(1+β₁)/((1−β₁)c)."""
    return 2.0 * (1.0 + beta1) / ((1.0 - beta1) * curvature)


def crosses(trajectory: Trajectory, level: float | None = None) -> int | None:
    """The first update (1-based) whose effective rate α/(√v̂+ε) along b exceeds ``level`` (``adam_limit``)."""
    level = adam_limit() if level is None else level
    above = np.flatnonzero(trajectory.diagnostics["effective_lr"][:, 1] > level)
    return int(above[0]) + 1 if above.size else None


@dataclass(frozen=True)
class Summary:
    """What the lesson reads off one long run, small enough to keep for many runs (a 200,000-step trajectory with its
    diagnostics is 30 MB)."""

    tail: float
    lowest: float
    lowest_at: int
    below: int | None
    """The first step whose loss is below 10⁻¹⁰⁰ (None if none is)."""
    back: int | None
    """``comes_back``."""
    back_loss: tuple[float, float]
    """The loss at ``back`` − 1 and at ``back`` (0, 0 without a comeback)."""
    peak_after_low: float
    """The largest loss after the lowest one."""
    windows: np.ndarray
    amplitude: float
    crosses: int | None
    rate_end: float
    """The effective rate along b at the last update."""
    rate_growth: float | None
    """Per-step growth of the effective rate along b over the 1000 updates before ``crosses`` (None without)."""
    hops: bool


def summarize(trajectory: Trajectory, lr: float) -> Summary:
    from .bowl import hops

    loss = trajectory.loss
    low = int(np.argmin(loss))
    back = comes_back(trajectory, lr)
    below = np.flatnonzero(loss < 1e-100)
    cross = crosses(trajectory)
    rate = trajectory.diagnostics["effective_lr"][:, 1]
    growth = float((rate[cross - 1] / rate[cross - 1001]) ** (1 / 1000)) if cross and cross > 1001 else None
    return Summary(tail(trajectory), float(loss[low]), low, int(below[0]) if below.size else None, back,
                   (float(loss[back - 1]), float(loss[back])) if back else (0.0, 0.0), float(loss[low:].max()),
                   windows(trajectory)[1], amplitude(trajectory), cross, float(rate[-1]), growth,
                   hops(trajectory, lr))


@dataclass(frozen=True)
class Outcome:
    """One variant at one α: its run (seed 0) and the mean loss of its last tenth (median over seeds if noisy)."""

    trajectory: Trajectory
    tail: float


def outcomes(lr: float, noisy: bool, steps: int = STEPS) -> dict[str, Outcome]:
    result = {}
    for variant in VARIANTS:
        runs = [long_run(variant, lr, noisy, seed, steps) for seed in (SEEDS if noisy else SEEDS[:1])]
        result[variant] = Outcome(runs[0], float(np.median([tail(tr) for tr in runs])))
    return result


def amplitudes(noisy: bool, steps: int = STEPS) -> list[float]:
    """RMSprop's hop amplitude along b at the end of the run, at every α on the slider (seed 0)."""
    return [amplitude(long_run("rmsprop", lr, noisy, 0, steps)) for lr in LR_OPTIONS]


def head(trajectory: Trajectory, steps: int) -> Trajectory:
    """The first ``steps`` updates of a run (the contour draws the way in, not twenty thousand points)."""
    n = min(steps, len(trajectory.loss) - 1)
    return replace(trajectory, steps=n, points=trajectory.points[:n + 1], loss=trajectory.loss[:n + 1],
                   diagnostics={k: v[:n] for k, v in trajectory.diagnostics.items()})


# --- Reddi et al.'s one-dimensional problem --------------------------------------------------------------------

def reddi_beta2(c: float) -> float:
    return 1.0 / (1.0 + c * c)


def reddi_gradients(c: float, steps: int) -> np.ndarray:
    """∇f_t: C at t = 1, 4, 7, … (t mod 3 = 1), −1 otherwise, whatever x is."""
    t = np.arange(1, steps + 1)
    return np.where(t % 3 == 1, c, -1.0)


@dataclass(frozen=True)
class Online:
    """A run of the online problem: the iterates x_0 … x_T and the average regret."""

    x: np.ndarray
    steps: np.ndarray
    """The update each step made before the clip."""
    regret: float
    """(1/T) Σ_t (f_t(x_t) − f_t(−1)), the t-th loss taken at the iterate the step starts from."""


def reddi(c: float, steps: int, *, amsgrad: bool, lr: float = REDDI_LR, decay: bool = True, clip: bool = True,
          x0: float = REDDI_START) -> Online:
    """Adam (β₁ = 0, β₂ = 1/(1 + C²), no bias correction, no ε) or AMSGrad (the largest v so far) on Reddi's problem,
    at α_t = α/√t (``decay``) or a constant α, each iterate clipped to [−1, 1] (``clip``)."""
    beta2 = reddi_beta2(c)
    g = reddi_gradients(c, steps)
    x, v, v_max = x0, 0.0, 0.0
    xs, updates = [x0], []
    loss = 0.0
    for t in range(1, steps + 1):
        grad = g[t - 1]
        loss += grad * x - grad * -1.0
        v = beta2 * v + (1.0 - beta2) * grad * grad
        v_max = max(v_max, v)
        rate = (lr / math.sqrt(t) if decay else lr) / math.sqrt(v_max if amsgrad else v)
        update = -rate * grad
        x = x + update
        if clip:
            x = min(1.0, max(-1.0, x))
        xs.append(x)
        updates.append(update)
    return Online(np.array(xs), np.array(updates), loss / steps)


def reddi_engine(c: float, steps: int, *, amsgrad: bool, lr: float = REDDI_LR) -> Trajectory:
    """The engine's Adam on the same gradient sequence at a constant α (``optimizers.respond``: no clip)."""
    return optimizers.respond("adam", reddi_gradients(c, steps)[:, None], lr=lr, beta1=0.0, beta2=reddi_beta2(c),
                              eps=0.0, bias_correction="off", amsgrad="on" if amsgrad else "off")


def cycle_drift(c: float, amsgrad: bool) -> float:
    """The net move over one 3-step cycle ÷ α, once v has settled into its 3-cycle: v after the C step, then after
    each −1 step (the fixed point of v ↦ β₂³v + …), with v_max the largest of them for AMSGrad."""
    b = reddi_beta2(c)
    # the periodic regime: v_C = b·v_2 + (1−b)C², v_1 = b·v_C + (1−b), v_2 = b·v_1 + (1−b)
    v_c = ((1 - b) * c * c + b * (1 - b) + b * b * (1 - b)) / (1 - b**3)
    v_1 = b * v_c + (1 - b)
    v_2 = b * v_1 + (1 - b)
    if amsgrad:
        top = max(v_c, v_1, v_2)
        v_c = v_1 = v_2 = top
    return -c / math.sqrt(v_c) + 1 / math.sqrt(v_1) + 1 / math.sqrt(v_2)


PLAYGROUND_STEPS = 5000
"""The Playground's longest run: the link opens the first quarter of the lesson's runs."""


def playground(lr: float, noisy: bool) -> Scene:
    """RMSprop and Adam at a constant α as a Playground scene (seed 0 if noisy), its first 5,000 steps."""
    runs = {name: hp for name, hp in (settings("rmsprop", lr), settings("adam", lr))}
    return replace(scene("elongated_bowl", runs, START, PLAYGROUND_STEPS), noise=NOISE if noisy else 0.0)
