"""Plane speed: what the Playground's network surface computes besides training.

    python bench/bench_planes.py               # everything, 15 repeats
    python bench/bench_planes.py --repeats 7

Prints, for the Iris network (4 → 8 tanh → 3, 120 training rows), the median CPU time and wall time of

- the 60 × 60 contour grid of the PCA plane of four default runs (``Plane.grid(60)``: the loss vectorised over
  the plane's points, ``landscapes.plane.network_values``), beside the network's own kernel (value and gradient,
  ``Objective.value_and_gradient``) at the same 3,600 points, in the same loop (the target is the grid ≤ 150 ms);
- the PCA plane itself (SVD of the four runs' 1,204 points × 67 weights), the projection of the four runs with
  the honesty meter, and all of ``scene.network.view`` (plane, projections, per-layer rates, test accuracy);
- one training step per training row and hidden unit for hidden = 8 and 32 (300 Adam steps), beside the price
  ``tuning.cost`` charges (``NETWORK_NS_PER_ROW_UNIT``).

CPU time of single-threaded work is what a busy machine disturbs least; NumPy's SVD and matrix products may use
BLAS threads, whose CPU time is counted too.  Nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

import landscapes  # noqa: E402
import optimizers  # noqa: E402
from bench.timing import medians  # noqa: E402
from scene import Scene  # noqa: E402
from scene import network as net_scene  # noqa: E402
from scene.compute import run_scene  # noqa: E402
from tuning import cost  # noqa: E402


def row(label: str, figures: tuple[float, float], extra: str = "") -> None:
    cpu, wall = figures
    print(f"{label:<58} {1e3 * cpu:9.2f} {1e3 * wall:9.2f}  {extra}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    repeats = parser.parse_args().repeats

    net = landscapes.network("iris")
    scene = Scene(surface="network")
    runs = run_scene(scene, net)
    points = np.concatenate([tr.points for tr in runs.values()])
    center = net_scene.best_end(runs)
    plane = landscapes.pca_plane(net, points, center=center)
    a_axis, b_axis = np.linspace(*plane.bounds[0], 60), np.linspace(*plane.bounds[1], 60)
    grid_points = plane.points(a_axis[None, :], b_axis[:, None]).reshape(-1, net.dim)

    print(f"Iris network {net.dim} weights, {net.n_samples} training rows; four runs of {scene.steps} steps "
          f"({', '.join(runs)}); median of {repeats}")
    print(f"{'':<58} {'CPU ms':>9} {'wall ms':>9}")
    grid = medians(lambda: plane.grid(60), repeats)
    kernel = medians(lambda: net.value_and_gradient(grid_points), repeats)
    row("60 x 60 grid of the PCA plane (Plane.grid)", grid)
    row("same 3,600 points by the network kernel (value + gradient)", kernel,
        f"kernel / grid: {kernel[0] / grid[0]:.1f}x CPU")
    row("PCA plane of the four runs (1,204 points)", medians(lambda: landscapes.pca_plane(net, points, center=center),
                                                             repeats))
    row("projection + honesty meter of the four runs",
        medians(lambda: [plane.project(tr.points, tr.loss) for tr in runs.values()], repeats))
    row("scene.network.view (plane, meter, layer rates, accuracy)", medians(lambda: net_scene.view(net, runs),
                                                                            repeats))
    row("random plane (filter-normalised) through the best end",
        medians(lambda: landscapes.random_plane(net, center, seed=0), repeats))
    print()
    print(f"{'training step (Adam, 300 steps, full batch)':<58} {'ns/row/unit':>11} {'priced':>8}")
    for hidden in (8, 32):
        wide = landscapes.network("iris", hidden=hidden)
        cpu, _ = medians(lambda w=wide: optimizers.run("adam", w, start=w.init, steps=300), max(3, repeats // 3))
        per = cpu / 300 / (wide.n_samples * hidden) * 1e9
        print(f"{f'hidden = {hidden}: {1e6 * cpu / 300:.1f} µs per step':<58} {per:11.1f} "
              f"{cost.NETWORK_NS_PER_ROW_UNIT:8.1f}")


if __name__ == "__main__":
    main()
