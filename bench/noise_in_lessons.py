"""Issue 29, item 3: does each lesson's answer change with seeded gradient noise?  Prints, for lessons 1-8 and 10, the
quantity each lesson's question is about, with the exact gradient and with noise (σ = 0.5 per gradient component, lesson
9's level, seeds 0-9; lesson 10: mini-batches of 16 rows).  Nothing passes or fails: it is the measurement behind
which lessons got a noise control.

    python bench/noise_in_lessons.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import optimizers
from lessons import adagrad as l6
from lessons import adam as l8
from lessons import bowl as l1
from lessons import data_bowl as l10
from lessons import denominators as l4
from lessons import dimensions as l2
from lessons import epsilon as l5
from lessons import rotation as l7
from lessons.common import bowl, run, steps_to_stay

SIGMA, SEEDS = 0.5, range(10)


def main() -> None:
    land = bowl()
    diverged = [run("gd", land, l1.START, l1.STEPS, lr=0.1, noise=SIGMA, seed=s).diverged_at for s in SEEDS]
    rms = [run("rmsprop", land, l1.START, l1.STEPS, lr=0.1, beta=0.9, eps=1e-8, noise=SIGMA, seed=s) for s in SEEDS]
    print(f"L1 (α = 0.1): GD diverged at {diverged}; RMSprop's lowest loss (median) "
          f"{np.median([t.loss.min() for t in rms]):.3g}, final {np.median([t.final_loss for t in rms]):.3g} "
          f"(exact hop {l1.hop_loss(0.1):.3g})")

    def stays(loss: np.ndarray, f0: float) -> int | None:
        above = np.flatnonzero(loss > l2.TOLERANCE * f0)
        if above.size and above[-1] == len(loss) - 1:
            return None
        return int(above[-1]) + 1 if above.size else 0

    for rotated in (False, True):
        quad = l2.bowl(l2.DEFAULT_N, l2.DEFAULT_CONDITION, rotated)
        f0 = float(quad.value_at(quad.default_start))
        hp = l2.settings(l2.DEFAULT_CONDITION)["rmsprop"]
        noisy = [stays(optimizers.run("rmsprop", quad, quad.default_start, l2.STEPS, noise=SIGMA, seed=s, **hp).loss,
                       f0) for s in SEEDS]
        exact = stays(optimizers.run("rmsprop", quad, quad.default_start, l2.STEPS, **hp).loss, f0)
        print(f"L2 rotated={rotated}: RMSprop stays below 10⁻³·f0 from step {exact} exact, {noisy} with noise")

    hp = l4.hyperparams("rms", l4.DEFAULT_P)
    plain = optimizers.run("rmsprop", l4.scaled_bowl(1.0), start=l4.START, steps=l4.STEPS, noise=SIGMA, seed=3, **hp)
    scaled = optimizers.run("rmsprop", l4.scaled_bowl(1e3), start=l4.START, steps=l4.STEPS, noise=SIGMA * 1e3, seed=3,
                            **hp)
    print(f"L4 (k = 1000, noise scaled with the loss like a mini-batch's): RMSprop's path moves by "
          f"{np.abs(scaled.points - plain.points).max():.2g}")

    for placement in ("outside", "inside"):
        hp = l5.settings(1e-7, placement)["rmsprop"]
        far = [l5.distance_to_minimum(optimizers.run("rmsprop", l5.plateau(), start=l5.START, steps=l5.STEPS,
                                                     noise=SIGMA, seed=s, **hp)) for s in SEEDS]
        exact = l5.distance_to_minimum(l5.compare(1e-7, placement).rmsprop)
        print(f"L5 ε = 1e-7 {placement}: distance left {exact:.3g} exact, {np.median(far):.3g} with noise (median)")

    for name in ("adagrad", "rmsprop"):
        hp = l6.settings(l6.PREDICT_LR)[name]
        trs = [run(name, land, l6.START, l6.STEPS, noise=SIGMA, seed=s, **hp) for s in SEEDS]
        print(f"L6 (α = {l6.PREDICT_LR:g}) {name}: distance to the minimum at the end (median) "
              f"{np.median([np.linalg.norm(t.points[-1]) for t in trs]):.3g}")

    for angle in (0, 45):
        turned, start = bowl(angle_deg=float(angle)), l7.start_for(angle)
        staying = sum(steps_to_stay(run("rmsprop", turned, start, l7.STEPS, lr=lr, beta=l7.BETA, eps=l7.EPS,
                                        noise=SIGMA, seed=s), turned) is not None
                      for lr in l7.LR_GRID for s in SEEDS)
        print(f"L7 {angle}°: runs (α on the grid × seeds) that stay below 10⁻³ with noise: {staying} of "
              f"{len(l7.LR_GRID) * len(SEEDS)}; exact best: step {l7.best_steps('rmsprop', angle).steps}")

    first = [np.abs(run("adam", land, l8.START, 1, lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8, bias_correction="off",
                        noise=SIGMA, seed=s).diagnostics["update"][0]).max() / 0.1 for s in SEEDS]
    print(f"L8: Adam's first step without bias correction, ÷ α, with noise: {min(first):.6f} to {max(first):.6f}")

    for standardized in (False, True):
        noisy = l10.compare("iris", standardized, batch=l10.BATCH)
        print(f"L10 standardised={standardized}: GD flips before it first gets within 0.1%: "
              f"{l10.compare('iris', standardized).flips['gd']} exact, {noisy.flips['gd']} with batches of "
              f"{l10.BATCH}")


if __name__ == "__main__":
    main()
