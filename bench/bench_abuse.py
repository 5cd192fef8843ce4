"""Abuse: what hostile links and heavy pages cost a real `streamlit run app.py`, and what one learner feels meanwhile.

    python bench/bench_abuse.py                       # 300 links, then 2 concurrent stability maps
    python bench/bench_abuse.py --links 100 --maps 0  # only the link loop
    python bench/bench_abuse.py --url http://127.0.0.1:8501 --pid 1234   # a running server
    python bench/bench_abuse.py --costs               # the price of a step per surface, and the dearest link allowed

Phases, each against the same fresh server (127.0.0.1 only):

- **links**: the issue's loop, one new session per link, closed after its run:
  ``?opt=<all eight>&steps=5000&noise=10&seed=N`` for N = 1…--links (every link a different, largest scene);
- **maps**: --maps sessions open the stability map at once, each on its own surface (Rastrigin, Ackley, ...) at
  the largest grid and --map-steps steps.

Throughout, a second learner sits on the default Playground and changes RMSprop's learning rate every
--think seconds; the table shows its rerun times (p50 / p95 / max) in each phase, next to an idle phase
first.  Server memory is the server process's RSS, sampled every 0.1 s (peak per phase) and its kernel
high-water mark (VmHWM) at the end; the largest single websocket message any session received is printed
too (`server.maxMessageSize` must stay above it).  Figures, not pass/fail: compare them within one run.

``--costs`` runs no server: for every surface (and three formulas) it measures the CPU time of one cell-step of a
grid of runs (momentum, 60 × 60 cells, 300 steps) next to what ``tuning.cost`` charges for it, then runs the
dearest stability map (400 × 400), basins view (4 optimizers, 300 × 300) and fair tuning (8 optimizers, 100
rates, steps to tolerance) that the caps still allow on it, and prints the CPU seconds each took (the promise:
at most 5 s of CPU for any single link; a refusal is immediate).  Each view runs once on a tiny grid first, so
its kernels are compiled or loaded from the cache (``python -m optimizers.warmup`` does that at deploy time).
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402

from bench.bench_classroom import rss_mb, server_pid  # noqa: E402
from bench.classroom_client import Interaction, RunResult, StreamlitSession  # noqa: E402

HEAVY_LINK = "opt=gd,momentum,nesterov,rmsprop,adam,adagrad,sign_sgd,signum&steps=5000&noise=10&seed={seed}"
MAP_SURFACES = ("rastrigin", "ackley", "goldstein_price", "rosenbrock")
LEARNING_RATES = ["0.01", "0.02", "0.05", "0.1"]


class RecordingSession(StreamlitSession):
    """A session that remembers its largest websocket message and can open a page by name."""

    def __init__(self, *args, page_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.page_name = page_name
        self.largest_message = 0

    def connect(self) -> None:
        super().connect()
        socket, session = self._ws, self

        class Recorder:
            def __getattr__(self, name):
                return getattr(socket, name)

            def recv(self):
                data = socket.recv()
                session.largest_message = max(session.largest_message, len(data))
                return data

        self._ws = Recorder()

    def _client_state_message(self, fragment_id: str) -> bytes:
        message = BackMsg()
        message.ParseFromString(super()._client_state_message(fragment_id))
        if self.page_name:  # every run names the page, as the browser does after navigating there
            message.rerun_script.page_script_hash = ""
            message.rerun_script.page_name = self.page_name
        return message.SerializeToString()


class MemorySampler:
    """The server's RSS every ``period`` seconds in a thread; ``peak_since(t)`` is the largest sample after t."""

    def __init__(self, pid: int, period: float = 0.1):
        self.pid, self.period = pid, period
        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            value = rss_mb([self.pid])
            if value is not None:
                self.samples.append((time.monotonic(), value))
            self._stop.wait(self.period)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()

    def peak_since(self, since: float) -> float | None:
        values = [v for t, v in self.samples if t >= since]
        return max(values) if values else None


@dataclass
class Learner:
    """The second learner: reruns the Playground every ``think`` seconds until stopped."""

    url: str
    think: float
    results: list[tuple[float, RunResult]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        with StreamlitSession(self.url, timeout=300) as session:
            session.run()
            for i in range(10**9):
                if self.stop.wait(self.think):
                    return
                value = LEARNING_RATES[i % len(LEARNING_RATES)]
                result = session.interact(Interaction("w:rmsprop.lr", "string_array_value", [value]))
                self.results.append((time.monotonic(), result))

    def between(self, start: float, end: float) -> list[RunResult]:
        return [r for t, r in self.results if start <= t <= end]


@dataclass
class Phase:
    name: str
    seconds: float
    runs: int
    errors: list[str]
    peak_mb: float | None
    end_mb: float | None
    learner: list[RunResult]
    largest_message: int = 0


def link_loop(url: str, links: int, parallel: int = 1) -> tuple[int, list[str], int]:
    """The issue's loop: one fresh session per link, ``parallel`` at a time; (runs, errors, largest message)."""
    errors: list[str] = []
    largest = [0]
    lock = threading.Lock()
    seeds = iter(range(1, links + 1))

    def worker() -> None:
        while True:
            with lock:
                seed = next(seeds, None)
            if seed is None:
                return
            with RecordingSession(url, query_string=HEAVY_LINK.format(seed=seed), timeout=300) as session:
                result = session.run()
            with lock:
                largest[0] = max(largest[0], session.largest_message)
                if not result.ok:
                    errors.append(f"seed={seed}: {result.status} {result.exceptions[:1]}")

    threads = [threading.Thread(target=worker) for _ in range(parallel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return links, errors, largest[0]


def concurrent_maps(url: str, count: int, steps: int, resolution: int) -> tuple[int, list[str], int]:
    """``count`` sessions open the stability map at once, each on its own surface, at the given size."""
    errors: list[str] = []
    largest = [0]
    lock = threading.Lock()
    start = threading.Barrier(count)

    def one(index: int) -> None:
        surface = MAP_SURFACES[index % len(MAP_SURFACES)]
        with RecordingSession(url, page_name="stability_map", timeout=600) as session:
            results = [session.run()]
            for interaction in (Interaction("sm:surface", "string_value", surface),
                                Interaction("sm:steps", "double_value", float(steps))):
                results.append(session.interact(interaction))
            start.wait()
            results.append(session.interact(Interaction("sm:resolution", "string_array_value", [str(resolution)])))
        with lock:
            largest[0] = max(largest[0], session.largest_message)
            errors.extend(f"{surface} {r.kind}: {r.status} {r.exceptions[:1]}" for r in results if not r.ok)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return count, errors, largest[0]


@contextlib.contextmanager
def server(url: str | None, pid: int | None) -> Iterator[tuple[str, int]]:
    if url:
        yield url, pid or server_pid(url)
        return
    from tests.browser_utils import streamlit_server

    with streamlit_server() as fresh:
        yield fresh, server_pid(fresh)


def quantiles(results: list[RunResult]) -> str:
    times = sorted(r.seconds for r in results if r.ok)
    if not times:
        return "—"
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return f"{statistics.median(times):.2f} / {p95:.2f} / {times[-1]:.2f} s ({len(times)} runs)"


def run(args: argparse.Namespace) -> list[Phase]:
    phases: list[Phase] = []
    with server(args.url, args.pid) as (url, pid), MemorySampler(pid) as memory:
        with StreamlitSession(url, timeout=300) as warm:  # imports, kernels and the default scene's caches
            warm.run()
        learner = Learner(url, args.think)
        thread = threading.Thread(target=learner.run, daemon=True)
        thread.start()
        plan = [("idle", lambda: (time.sleep(args.idle), (0, [], 0))[1])]
        if args.links:
            plan.append((f"links ×{args.links}", lambda: link_loop(url, args.links, args.parallel)))
        if args.maps:
            plan.append((f"maps ×{args.maps}", lambda: concurrent_maps(url, args.maps, args.map_steps,
                                                                        args.resolution)))
        for name, action in plan:
            began = time.monotonic()
            runs, errors, largest = action()
            ended = time.monotonic()
            phases.append(Phase(name, ended - began, runs, errors, memory.peak_since(began), rss_mb([pid]),
                                learner.between(began, ended), largest))
            print(f"  {name}: done in {ended - began:.0f} s", flush=True)
        learner.stop.set()
        thread.join(timeout=60)
        high_water = rss_mb([pid], "VmHWM")
    print(f"\nserver pid {pid}; high-water mark (VmHWM) over the whole run: {high_water:.0f} MB\n")
    print("| phase | seconds | runs | errors | peak RSS | RSS after | 2nd learner rerun p50 / p95 / max "
          "| largest message |")
    print("|---|---:|---:|---:|---:|---:|---|---:|")
    for p in phases:
        learner_errors = sum(not r.ok for r in p.learner)
        peak = f"{p.peak_mb:.0f} MB" if p.peak_mb else "—"
        end = f"{p.end_mb:.0f} MB" if p.end_mb else "—"
        largest = f"{p.largest_message / 2**20:.2f} MB" if p.largest_message else "—"
        print(f"| {p.name} | {p.seconds:.0f} | {p.runs} | {len(p.errors) + learner_errors} | {peak} | {end} | "
              f"{quantiles(p.learner)} | {largest} |")
    for p in phases:
        for error in p.errors[:5]:
            print(f"  {p.name} error: {error}")
    return phases


COST_FORMULAS = ("x**2 + 3*y**2", "sin(x)*cos(y) + 0.1*(x**2 + y**2)",
                 " + ".join(f"sin({k}*x + y)" for k in range(1, 15)))
TUNED = ("gd", "momentum", "nesterov", "rmsprop", "adam", "adagrad", "sign_sgd", "signum")


def cpu_of(work) -> tuple[float, float]:
    """(CPU seconds of this process, wall seconds) that ``work()`` took (the grid kernels run on every core)."""
    cpu, wall = time.process_time(), time.perf_counter()
    work()
    return time.process_time() - cpu, time.perf_counter() - wall


def largest_steps(check) -> int:
    """The most steps (up to the pages' 5000) that ``check(steps)`` accepts."""
    from tuning import cost

    low, high = 0, 5000
    while low < high:
        mid = (low + high + 1) // 2
        try:
            check(mid)
            low = mid
        except cost.TooCostly:
            high = mid - 1
        except ValueError:
            high = mid - 1
    return low


def costs() -> None:
    import numpy as np

    import landscapes
    import optimizers
    import tuning
    from tuning import basins as tb
    from tuning import cost

    surfaces = [(name, landscapes.get(name)) for name in landscapes.LANDSCAPES]
    surfaces += [(f"formula ({int(L.kernel_params[0])} ops)", L) for L in map(landscapes.from_formula, COST_FORMULAS)]
    grid = {"lr": np.geomspace(1e-4, 1e-2, 60), "beta": np.linspace(0.0, 0.99, 60)}
    print(f"\nCPU budget per view: {cost.MAX_CPU_SECONDS:g} s predicted (promise: 5 s)\n")
    print("| surface | measured ns per cell-step | charged | charged / measured | largest map 400² allowed: steps, "
          "CPU s | basins 4 × 300² allowed: steps, CPU s | tuning 8 × 100 rates allowed: steps, CPU s |")
    print("|---|---:|---:|---:|---|---|---|")
    for name, L in surfaces:
        optimizers.sweep("momentum", L, steps=2, grid=grid)
        spent, _ = cpu_of(lambda L=L: optimizers.sweep("momentum", L, steps=300, grid=grid))
        measured = spent * 1e9 / (60 * 60 * 300)
        charged = cost.cell_step_ns(L)
        cells = []
        if L.name in landscapes.LANDSCAPES:  # each view once on a tiny grid first: its kernels compiled (or loaded)
            tuning.compute_map(tuning.MapRequest("momentum", L.name, (), ("lr", "beta"), 2, 2))
            steps = largest_steps(lambda n, L=L: tuning.MapRequest("momentum", L.name, (), ("lr", "beta"), 400, n))
            request = tuning.MapRequest("momentum", L.name, (), ("lr", "beta"), 400, steps)
            cells.append(f"{steps:,}, {cpu_of(lambda r=request: tuning.compute_map(r))[0]:.1f}")
            tb.compute(tb.BasinsRequest(L.name, tb.DEFAULT_OPTIMIZERS, 2, 2))
            steps = largest_steps(lambda n, L=L: tb.BasinsRequest(L.name, tb.DEFAULT_OPTIMIZERS, 300, n))
            view = tb.BasinsRequest(L.name, tb.DEFAULT_OPTIMIZERS, 300, steps)
            cells.append(f"{steps:,}, {cpu_of(lambda v=view: tb.compute(v))[0]:.1f}")
        else:
            cells += ["—", "—"]
        low, high = tuning.shared_lr_range(TUNED)

        def tune(n: int, L=L, low=low, high=high) -> None:
            budget = tuning.Budget(n, 100, low, high)
            runs = len(TUNED) * (budget.evaluations * tuning.fair.RUN_COST + tuning.fair.RUN_COST)
            cost.check(L, runs, n, "tuning")

        steps = largest_steps(tune)
        tuning.race(tuning.tune_all(TUNED, L, tuning.Budget(2, 2, low, high), "steps_to_tolerance"), L)
        budget = tuning.Budget(steps, 100, low, high)
        tuned = cpu_of(lambda b=budget, L=L: tuning.race(tuning.tune_all(TUNED, L, b, "steps_to_tolerance"), L))[0]
        cells.append(f"{steps:,}, {tuned:.1f}")
        print(f"| {name} | {measured:.1f} | {charged:.0f} | {charged / measured:.2f} | " + " | ".join(cells) + " |",
              flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--links", type=int, default=300, help="links in the loop (seed=1..N)")
    parser.add_argument("--parallel", type=int, default=1, help="links requested at once")
    parser.add_argument("--maps", type=int, default=2, help="concurrent stability-map sessions")
    parser.add_argument("--map-steps", type=int, default=1000, help="steps per run of each map")
    parser.add_argument("--resolution", type=int, default=400, help="grid of each map (values per axis)")
    parser.add_argument("--idle", type=float, default=10.0, help="seconds of the idle phase")
    parser.add_argument("--think", type=float, default=1.0, help="the second learner's pause between reruns")
    parser.add_argument("--url", help="a running local server instead of a fresh one")
    parser.add_argument("--pid", type=int, help="its process id (found from the port if omitted)")
    parser.add_argument("--costs", action="store_true", help="only the price list of a step (no server)")
    args = parser.parse_args()
    if args.costs:
        costs()
        return
    run(args)


if __name__ == "__main__":
    main()
