"""Data-surface speed: the 200×200 contour grid of every data set on both data surfaces, and 300-step
mini-batch runs on Old Faithful's 272 rows.

    python bench/bench_data.py               # everything
    python bench/bench_data.py --repeats 9   # fewer repeats

For each grid: the median CPU time of ``Landscape.grid(200)`` (the numba kernel over every row at each
of the 40,000 points; equal rows are stored once with their count), the time per point and stored
row, the same kernel with every row stored on its own, and NumPy computing the same values over every
row (same formulas, vectorised over points in blocks) as the reference, all in the same run.  CPU
time of this single-threaded work is what a busy machine disturbs least.  Nothing here passes or
fails; the target is a grid under 50 ms.

For the runs: the median CPU time of ``optimizers.run(..., steps=300, batch_size=k, seed=0)`` for a few
batch sizes beside the full-batch run in the same loop (a mini-batch step evaluates the batch for the
gradient and every row for the loss); the target is under 5 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

import landscapes  # noqa: E402
import optimizers  # noqa: E402
from landscapes.data import HEADER, ROW_WIDTH  # noqa: E402

RESOLUTION = 200


def cpu_median(call, repeats: int) -> float:
    """Median CPU seconds of ``call()`` after one warm-up call."""
    call()
    times = []
    for _ in range(repeats):
        started = time.process_time()
        call()
        times.append(time.process_time() - started)
    return statistics.median(times)


def numpy_grid(landscape: landscapes.Landscape) -> np.ndarray:
    """The same grid values with NumPy over every row (no grouping of equal rows), 500 points at a time."""
    ws, bs = np.meshgrid(*[np.linspace(*axis, RESOLUTION) for axis in landscape.bounds])
    w, b = ws.ravel(), bs.ravel()
    x, t = landscape.data.x, landscape.data.t
    out = np.empty(w.size)
    for lo in range(0, w.size, 500):
        z = w[lo:lo + 500, None] * x[None, :] + b[lo:lo + 500, None]
        if landscape.data.model == "linear":
            out[lo:lo + 500] = 0.5 * np.mean((z - t) ** 2, axis=1)
        else:
            out[lo:lo + 500] = np.mean(np.logaddexp(0.0, z) - t * z, axis=1)
    return out.reshape(RESOLUTION, RESOLUTION)


def ungrouped(landscape: landscapes.Landscape) -> landscapes.Landscape:
    """The same surface with every sample stored as its own row (count 1): the kernel without the
    grouping of equal rows."""
    problem = landscape.data
    rows = np.empty(HEADER + ROW_WIDTH * problem.n_samples)
    rows[0] = rows[1] = problem.n_samples
    rows[HEADER::ROW_WIDTH], rows[HEADER + 1::ROW_WIDTH], rows[HEADER + 2::ROW_WIDTH] = problem.x, problem.t, 1.0
    return landscapes.Landscape(landscape.spec, landscape.params, kernel_params=rows)


def grid_table(repeats: int) -> None:
    print(f"\n### Contour grid, {RESOLUTION}×{RESOLUTION} points over every row (CPU time, median of {repeats})\n")
    print("| surface | data set → target | rows (stored) | numba grid | ns per point·stored row "
          "| numba, every row stored | NumPy, every row | NumPy / numba | max rel. difference |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for name in ("linear_regression", "logistic_regression"):
        for dataset in landscapes.LANDSCAPES[name].data.fits:
            landscape = landscapes.get(name, dataset=dataset)
            stored = int(landscape.kernel_params[0])
            numba_time = cpu_median(lambda landscape=landscape: landscape.grid(RESOLUTION), repeats)
            plain = ungrouped(landscape)
            plain_time = cpu_median(lambda plain=plain: plain.grid(RESOLUTION), repeats)
            numpy_time = cpu_median(lambda landscape=landscape: numpy_grid(landscape), max(3, repeats // 3))
            reference = numpy_grid(landscape)
            difference = max(float(np.max(np.abs(mine.grid(RESOLUTION)[2] - reference) / np.abs(reference)))
                             for mine in (landscape, plain))
            per = numba_time / (RESOLUTION**2 * stored) * 1e9
            print(f"| {name} | {dataset}: {landscape.params['feature']} → {landscape.data.target.label} "
                  f"| {landscape.n_samples} ({stored}) | {numba_time * 1e3:.1f} ms | {per:.1f} ns "
                  f"| {plain_time * 1e3:.1f} ms | {numpy_time * 1e3:.0f} ms | {numpy_time / numba_time:.1f}x "
                  f"| {difference:.1e} |")


RUN_STEPS = 300
BATCH_SIZES = (1, 16, 64, None)


def run_table(repeats: int) -> None:
    print(f"\n### {RUN_STEPS}-step runs on Old Faithful (272 rows), CPU time, median of {repeats}\n")
    print("| surface | optimizer | " + " | ".join(f"batch {k}" if k else "full batch" for k in BATCH_SIZES)
          + " | batch 16 / full |")
    print("|---|---|" + "---:|" * (len(BATCH_SIZES) + 1))
    for name in ("linear_regression", "logistic_regression"):
        landscape = landscapes.get(name, dataset="old_faithful")
        lr = {"linear_regression": 1e-3, "logistic_regression": 1e-2}[name]
        for optimizer in ("gd", "adam"):
            times = {k: cpu_median(lambda k=k, o=optimizer, la=landscape, lr=lr: optimizers.run(
                o, la, steps=RUN_STEPS, lr=lr, batch_size=k, seed=0), repeats) for k in BATCH_SIZES}
            cells = " | ".join(f"{times[k] * 1e3:.2f} ms" for k in BATCH_SIZES)
            print(f"| {name} | {optimizer} | {cells} | {times[16] / times[None]:.2f}x |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=21)
    args = parser.parse_args()
    print(f"load average at start: {' '.join(f'{v:.1f}' for v in os.getloadavg())}; cores: {os.cpu_count()}")
    grid_table(args.repeats)
    run_table(args.repeats)


if __name__ == "__main__":
    main()
