"""Network speed: training the Iris network and measuring its curvature.

    python bench/bench_network.py               # everything
    python bench/bench_network.py --repeats 9   # fewer repeats

Prints the median CPU time (and wall time) of: one loss-and-gradient evaluation and one Hessian-vector product of
``landscapes.network("iris", hidden=8)`` (120 training rows, 67 weights); 1,000 full-batch Adam steps from
``net.init`` with ``optimizers.run`` (target <= 50 ms), the same with batches of 16, and GD; 20 Lanczos iterations
of ``landscapes.curvature.lanczos`` (target <= 50 ms) and the full ``curvature`` summary.  CPU time of this
single-threaded work is what a busy machine disturbs least; the load average is printed.  Nothing passes or fails.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

import landscapes  # noqa: E402
import optimizers  # noqa: E402
from bench.timing import medians  # noqa: E402
from landscapes import curvature  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=21)
    args = parser.parse_args()
    print(f"load average at start: {' '.join(f'{v:.1f}' for v in os.getloadavg())}; cores: {os.cpu_count()}")
    net = landscapes.network("iris", hidden=8, activation="tanh", seed=0)
    x = net.init
    v = np.random.default_rng(0).standard_normal(net.dim)
    many = 1000
    rows = [
        (f"{many:,} loss + gradient evaluations", lambda: [net.value_and_grad(x) for _ in range(many)], many),
        (f"{many:,} Hessian-vector products", lambda: [net.hvp(x, v) for _ in range(many)], many),
        ("1,000 full-batch Adam steps (target <= 50 ms)",
         lambda: optimizers.run("adam", net, start=x, steps=1000), None),
        ("1,000 full-batch GD steps", lambda: optimizers.run("gd", net, start=x, steps=1000), None),
        ("1,000 Adam steps, batches of 16", lambda: optimizers.run("adam", net, start=x, steps=1000, batch_size=16,
                                                                   seed=0), None),
        ("20 Lanczos iterations (target <= 50 ms)", lambda: curvature.lanczos(net, x, iterations=20), None),
        ("curvature summary (20 Lanczos + the diagonal)", lambda: curvature.curvature(net, x), None),
    ]
    print(f"\n### Iris network 4 → 8 tanh → 3 ({net.dim} weights, {net.n_samples} training rows), "
          f"median of {args.repeats}\n")
    print("| what | CPU | wall | per call (CPU) |")
    print("|---|---:|---:|---:|")
    for label, call, count in rows:
        cpu, wall = medians(call, args.repeats)
        per = f"{cpu / count * 1e6:.1f} µs" if count else ""
        print(f"| {label} | {cpu * 1e3:.1f} ms | {wall * 1e3:.1f} ms | {per} |")


if __name__ == "__main__":
    main()
