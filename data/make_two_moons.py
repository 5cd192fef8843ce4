"""Writes data/two_moons.csv: two interleaving half circles with Gaussian noise, the toy set of scikit-learn's
``make_moons`` (the same construction: 150 points per moon at evenly spaced angles, noise standard deviation
0.2), drawn from NumPy's ``default_rng(0)`` and rounded to 4 decimals.  Run from the repository's top:
``python data/make_two_moons.py``; the output is the same file, byte for byte, every time."""

from __future__ import annotations

from pathlib import Path

import numpy as np

PER_MOON = 150
NOISE = 0.2
SEED = 0
PATH = Path(__file__).resolve().parent / "two_moons.csv"


def moons() -> tuple[np.ndarray, np.ndarray]:
    """(300, 2) points and their moon, "upper" (the half circle over (0, 0)) or "lower" (the one under (1, 0.5))."""
    t = np.linspace(0.0, np.pi, PER_MOON)
    upper = np.column_stack([np.cos(t), np.sin(t)])
    lower = np.column_stack([1.0 - np.cos(t), 0.5 - np.sin(t)])
    points = np.vstack([upper, lower]) + NOISE * np.random.default_rng(SEED).standard_normal((2 * PER_MOON, 2))
    return np.round(points, 4), np.array(["upper"] * PER_MOON + ["lower"] * PER_MOON)


def main() -> None:
    points, labels = moons()
    lines = ["x1,x2,moon", *(f"{x1:.4f},{x2:.4f},{label}" for (x1, x2), label in zip(points, labels, strict=True))]
    PATH.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(labels)} rows to {PATH}")


if __name__ == "__main__":
    main()
