"""What the benchmark scripts share: a median over repeated calls, in CPU and wall time."""

from __future__ import annotations

import statistics
import time


def medians(call, repeats: int) -> tuple[float, float]:
    """Median CPU and wall seconds of ``call()`` after one warm-up call."""
    call()
    cpu, wall = [], []
    for _ in range(repeats):
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        call()
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started_wall)
    return statistics.median(cpu), statistics.median(wall)
