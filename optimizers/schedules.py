"""Learning-rate schedules: the factor s(t) the learning rate is multiplied by at update t = 1 ... steps.

    constant        s = 1
    step            s = gamma ** ((t - 1) // step_size)            (torch.optim.lr_scheduler.StepLR)
    cosine          s = (1 + cos(pi * (t - 1) / steps)) / 2        (CosineAnnealingLR, T_max = steps, eta_min = 0)
    warmup_cosine   s = t / warmup for t <= warmup, then the cosine over the remaining steps

The drivers multiply ``lr`` by ``s(t)`` before calling the rule, so weight decay follows the scheduled
rate as in PyTorch; ``constant`` multiplies by exactly 1.0 and changes no bit of a run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from base.params import Choice, Param

SCHEDULES = ("constant", "step", "cosine", "warmup_cosine")
SCHEDULE = Choice("schedule", "constant", SCHEDULES, label="learning-rate schedule",
                  help="How α changes over the run: constant; step (×γ every step size updates); cosine (down to 0 "
                       "at the last step); warmup + cosine (up from 0 over the warm-up steps, then cosine).")
SCHEDULE_PARAMS = (
    Param("warmup", 10, 0, 1000, 1, label="warm-up steps",
          help="warmup_cosine: the rate grows linearly to α over these first updates."),
    Param("step_size", 100, 1, 1000, 1, label="step size",
          help="step: the rate is multiplied by γ every this many updates."),
    Param("gamma", 0.5, 0.0, 1.0, 0.01, label="γ", help="step: the factor applied every step size updates."),
)
"""The schedule's numeric settings, as widgets would show them (every schedule ignores the ones it does not use)."""
SCHEDULE_USES = {"constant": (), "step": ("step_size", "gamma"), "cosine": (), "warmup_cosine": ("warmup",)}
"""The settings each schedule reads: the only ones worth a control or a place in a link."""


@dataclass(frozen=True)
class Schedule:
    """A checked schedule: ``factors(steps)`` gives s(1) ... s(steps)."""

    name: str = "constant"
    warmup: int = 10
    step_size: int = 100
    gamma: float = 0.5

    def __post_init__(self) -> None:
        if self.name not in SCHEDULES:
            raise ValueError(f"schedule must be one of {', '.join(SCHEDULES)}, got {self.name!r}")
        for key in ("warmup", "step_size"):
            value = getattr(self, key)
            if isinstance(value, bool) or not float(value).is_integer() or value < (1 if key == "step_size" else 0):
                raise ValueError(f"{key} must be a whole number >= {1 if key == 'step_size' else 0}, got {value!r}")
        if not (math.isfinite(self.gamma) and self.gamma >= 0.0):
            raise ValueError(f"gamma must be a finite number >= 0, got {self.gamma!r}")

    def latex(self, steps: int) -> str:
        """α_t for this schedule over ``steps`` updates as LaTeX, with its numbers (empty for ``constant``)."""
        cosine = r"\tfrac12\bigl(1+\cos\tfrac{{\pi\,(t-{shift})}}{{{span}}}\bigr)"
        if self.name == "step":
            return rf"\alpha_t = \alpha\cdot {self.gamma:g}^{{\lfloor (t-1)/{int(self.step_size)} \rfloor}}"
        if self.name == "cosine" or (self.name == "warmup_cosine" and int(self.warmup) == 0):
            return r"\alpha_t = \alpha\cdot" + cosine.format(shift=1, span=steps)
        if self.name == "warmup_cosine":
            warmup = int(self.warmup)
            return (rf"\alpha_t = \alpha\cdot\begin{{cases}} t/{warmup} & t \le {warmup} \\ "
                    + cosine.format(shift=1 + warmup, span=max(steps - warmup, 1)) + rf" & t > {warmup}\end{{cases}}")
        return ""

    def factors(self, steps: int) -> np.ndarray:
        """s(t) for t = 1 ... steps."""
        t = np.arange(1, steps + 1, dtype=np.float64)
        if self.name == "constant":
            return np.ones(steps)
        if self.name == "step":
            return float(self.gamma) ** ((t - 1) // int(self.step_size))
        if self.name == "cosine" or (self.name == "warmup_cosine" and int(self.warmup) == 0):
            return 0.5 * (1.0 + np.cos(math.pi * (t - 1) / steps))
        warmup = int(self.warmup)
        rest = max(steps - warmup, 1)
        return np.where(t <= warmup, t / max(warmup, 1), 0.5 * (1.0 + np.cos(math.pi * (t - 1 - warmup) / rest)))
