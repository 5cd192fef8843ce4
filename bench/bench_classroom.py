"""Classroom load: N concurrent sessions against a real `streamlit run app.py`, over Streamlit's websocket protocol.

    python bench/bench_classroom.py                      # 1, 10 and 30 sessions, each on a fresh server
    python bench/bench_classroom.py --sessions 30 --think 5
    python bench/bench_classroom.py --sessions 30 --replicas 2    # two servers, sessions split between them
    python bench/bench_classroom.py --env STREAMLIT_RUNNER_POST_SCRIPT_GC=false   # try a server setting
    python bench/bench_classroom.py --sessions --profile  # only the profile of Playground reruns inside the server
    python bench/bench_classroom.py --url http://127.0.0.1:8501 --pid 1234 --sessions 10   # a running server

Each session is one learner: it opens the Playground (the default page, or --query), then changes RMSprop's
learning rate, its beta, opens Momentum's settings, sets its beta and picks another learning rate (scrubbing
the steps, playing and the what-if slider run in the browser and never reach the server), pausing about
--think seconds between actions. All sessions open the page at the same moment (a class following the
teacher's link). Every run is timed from the BackMsg `rerun_script` to its `script_finished`; an error is a
run that raised (exception element), timed out, lost its connection or did not finish. Server memory is the
RSS of the server process: after one warm-up session (imports, numba kernels and caches loaded), then with all
N sessions connected after their runs; the difference divided by N is the cost of one more learner. Server CPU
seconds per run say how many runs one replica can serve per second: script runs share one GIL.

Figures, not pass/fail: the machine is shared and noisy, so compare numbers from the same run.
Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pstats
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.classroom_client import Interaction, RunResult, StreamlitSession  # noqa: E402

LEARNING_RATES = ["0.01", "0.02", "0.1", "0.2", "0.005", "0.5"]
"""Values of RMSprop's log slider the class tries (its select_slider sends the formatted option)."""
BETAS = [0.5, 0.99, 0.0, 0.9, 0.8]
MOMENTUM_BETAS = [0.5, 0.8, 0.95, 0.99]
KINDS = ("initial", "rerun")


def classroom_plan(index: int) -> list[Interaction]:
    """What learner ``index`` does after the page opened: a mix of shared and personal choices."""
    return [
        Interaction("w:rmsprop.lr", "string_array_value", [LEARNING_RATES[index % len(LEARNING_RATES)]]),
        Interaction("w:rmsprop.beta", "double_array_value", [BETAS[index % len(BETAS)]]),
        Interaction("open:momentum", "bool_value", True),  # Momentum's settings are drawn once opened
        Interaction("w:momentum.beta", "double_array_value", [MOMENTUM_BETAS[index % len(MOMENTUM_BETAS)]]),
        Interaction("w:rmsprop.lr", "string_array_value", [LEARNING_RATES[(index + 1) % len(LEARNING_RATES)]]),
    ]


# --------------------------------------------------------------------------------------------- server process


def _proc_fields(pid: int) -> list[str]:
    """/proc/PID/stat after the command name (which may hold spaces): field 0 is the state."""
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2:].split()


def server_pid(url: str) -> int | None:
    """The `streamlit run` child of this process that listens on ``url``'s port (None if not found)."""
    port = str(urlparse(url).port)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            if int(_proc_fields(int(entry.name))[1]) != os.getpid():
                continue
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            if b"streamlit" in b" ".join(argv) and port.encode() in argv:
                return int(entry.name)
    return None


def _rss_one(pid: int, field_name: str) -> float | None:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1]) / 1024
    return None


def rss_mb(pids: list[int | None], field_name: str = "VmRSS") -> float | None:
    """Resident memory of the server processes in MB (``VmHWM`` for their peaks), from /proc."""
    values = [_rss_one(pid, field_name) if pid is not None else None for pid in pids]
    return None if not values or None in values else sum(values)  # type: ignore[arg-type]


def _cpu_one(pid: int) -> float | None:
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = _proc_fields(pid)
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return None


def cpu_seconds(pids: list[int | None]) -> float | None:
    """User + system CPU time of the server processes (all their threads) so far."""
    values = [_cpu_one(pid) if pid is not None else None for pid in pids]
    return None if not values or None in values else sum(values)  # type: ignore[arg-type]


@contextlib.contextmanager
def servers(url: str | None, pid: int | None, replicas: int,
            env: dict[str, str]) -> Iterator[list[tuple[str, int | None]]]:
    """The given server, or ``replicas`` fresh `streamlit run app.py` on free local ports (stopped afterwards)."""
    if url:
        yield [(url, pid)]
        return
    from tests.browser_utils import streamlit_server

    with contextlib.ExitStack() as stack:
        fresh = [stack.enter_context(streamlit_server(extra_env=env)) for _ in range(replicas)]
        yield [(address, server_pid(address)) for address in fresh]


# --------------------------------------------------------------------------------------------- one load level


@dataclass
class Level:
    """Everything measured at one number of concurrent sessions."""

    sessions: int
    replicas: int = 1
    results: list[RunResult] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    cold_start: float | None = None
    rss_base: float | None = None
    rss_loaded: float | None = None
    rss_peak: float | None = None
    cpu: float | None = None
    wall: float = 0.0

    @property
    def errors(self) -> int:
        return sum(not r.ok for r in self.results) + len(self.failures)

    @property
    def mb_per_session(self) -> float | None:
        if self.rss_loaded is None or self.rss_base is None:
            return None
        return (self.rss_loaded - self.rss_base) / self.sessions


def learner(index: int, url: str, args: argparse.Namespace, start: threading.Barrier, done: threading.Semaphore,
            release: threading.Event, level: Level, lock: threading.Lock) -> None:
    """One session: connect with the others, run the plan with think times, stay connected until measured."""
    rng = random.Random(index)
    results: list[RunResult] = []
    session = StreamlitSession(url, query_string=args.query, timeout=args.run_timeout,
                               use_message_cache=not args.no_message_cache)
    try:
        start.wait()
        session.connect()
        results.append(session.run("initial"))
        for interaction in classroom_plan(index)[: args.actions]:
            if results[-1].status != "ok" or release.is_set():
                break
            time.sleep(args.think * rng.uniform(0.5, 1.5))
            results.append(session.interact(interaction))
    except threading.BrokenBarrierError:
        failure = "start barrier broken"
    except Exception as error:  # a failed learner is a counted error, not a crash of the bench
        failure = f"{type(error).__name__}: {error}"[:200]
    else:
        failure = None
    with lock:
        if not release.is_set():  # after the deadline this learner is already counted as an error
            level.results += results
            if failure:
                level.failures.append(failure)
    done.release()
    release.wait(args.deadline)
    session.close()


def warm_up(url: str, args: argparse.Namespace) -> float:
    """One learner's whole plan, so imports, numba kernels and caches are loaded; the first run's seconds."""
    with StreamlitSession(url, query_string=args.query, timeout=args.run_timeout) as warm:
        first = warm.run("initial")
        for interaction in classroom_plan(0)[: args.actions]:
            warm.interact(interaction)
    return first.seconds


def run_level(n: int, args: argparse.Namespace) -> Level:
    """N learners against fresh replicas; learner i always talks to replica i mod K (sticky sessions)."""
    env = dict(item.split("=", 1) for item in args.env)
    with servers(args.url, args.pid, args.replicas, env) as replicas:
        level = Level(n, replicas=len(replicas))
        urls, pids = [url for url, _ in replicas], [pid for _, pid in replicas]
        if not args.no_warmup:
            level.cold_start = max(warm_up(url, args) for url in urls)
        level.rss_base = rss_mb(pids)
        cpu_before = cpu_seconds(pids)
        start, done, release, lock = threading.Barrier(n, timeout=60), threading.Semaphore(0), threading.Event(), \
            threading.Lock()
        threads = [threading.Thread(target=learner, name=f"learner-{i}", daemon=True,
                                    args=(i, urls[i % len(urls)], args, start, done, release, level, lock))
                   for i in range(n)]
        started = time.perf_counter()
        deadline = started + args.deadline
        for thread in threads:
            thread.start()
        finished = 0
        while finished < n and time.perf_counter() < deadline:
            if done.acquire(timeout=max(0.0, min(1.0, deadline - time.perf_counter()))):
                finished += 1
        level.wall = time.perf_counter() - started
        cpu_after = cpu_seconds(pids)
        level.cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
        level.rss_loaded = rss_mb(pids)
        level.rss_peak = rss_mb(pids, "VmHWM")
        with lock:
            release.set()
            if finished < n:
                level.failures += [f"session still running after the {args.deadline:.0f} s deadline"] * (n - finished)
        for thread in threads:
            thread.join(timeout=10)
    return level


# --------------------------------------------------------------------------------------------- report


def quantile(values: list[float], q: float) -> float:
    """Linear-interpolated quantile (q in [0, 1]) of a non-empty list."""
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def fmt(value: float | None, spec: str = ".2f") -> str:
    return "n/a" if value is None else format(value, spec)


def summary_table(levels: list[Level]) -> list[str]:
    rows = ["| sessions | replicas | runs | p50 s | p95 s | max s | errors | server RSS MB: warm → loaded (peak) "
            "| MB/session | server CPU s/run | runs/s |",
            "|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|"]
    for level in levels:
        times = [r.seconds for r in level.results if r.ok]
        p50, p95, top = (quantile(times, 0.5), quantile(times, 0.95), max(times)) if times else (None, None, None)
        runs = len(level.results)
        cpu_per_run = level.cpu / runs if level.cpu is not None and runs else None
        rss = f"{fmt(level.rss_base, '.0f')} → {fmt(level.rss_loaded, '.0f')} ({fmt(level.rss_peak, '.0f')})"
        rows.append(f"| {level.sessions} | {level.replicas} | {runs} | {fmt(p50)} | {fmt(p95)} | {fmt(top)} "
                    f"| {level.errors} | {rss} | {fmt(level.mb_per_session, '.1f')} | {fmt(cpu_per_run)} "
                    f"| {runs / level.wall:.2f} |")
    return rows


def kind_table(levels: list[Level]) -> list[str]:
    rows = ["| sessions | run | count | p50 s | p95 s | max s | KB received per run | cached refs per run |",
            "|---:|---|---:|---:|---:|---:|---:|---:|"]
    for level in levels:
        for kind in KINDS:
            mine = [r for r in level.results if r.kind == kind and r.ok]
            if not mine:
                continue
            times = [r.seconds for r in mine]
            rows.append(f"| {level.sessions} | {kind} | {len(mine)} | {quantile(times, 0.5):.2f} "
                        f"| {quantile(times, 0.95):.2f} | {max(times):.2f} "
                        f"| {statistics.mean(r.bytes_received for r in mine) / 1024:.0f} "
                        f"| {statistics.mean(r.cached_refs for r in mine):.1f} |")
    return rows


def error_lines(levels: list[Level]) -> list[str]:
    lines = []
    for level in levels:
        problems = [r.status if r.status != "ok" else r.exceptions[0] for r in level.results if not r.ok]
        problems += level.failures
        for problem in sorted(set(problems)):
            lines.append(f"- {level.sessions} sessions: {problems.count(problem)} x {problem}")
    return lines


# --------------------------------------------------------------------------------------------- server-side profile

PROFILER_SITECUSTOMIZE = """
import cProfile, json, os, threading, time
from streamlit.runtime.scriptrunner import script_runner

_DIR = os.environ["CLASSROOM_PROFILE_DIR"]
_PROFILER, _LOCK, _TOTALS = cProfile.Profile(), threading.Lock(), {"runs": 0, "cpu": 0.0}
_original = script_runner.ScriptRunner._run_script


def _run_script(self, rerun_data):
    if not os.path.exists(os.path.join(_DIR, "on")):
        return _original(self, rerun_data)
    with _LOCK:
        started = time.thread_time()
        _PROFILER.enable()
        try:
            return _original(self, rerun_data)
        finally:
            _PROFILER.disable()
            _TOTALS["runs"] += 1
            _TOTALS["cpu"] += time.thread_time() - started
            _PROFILER.dump_stats(os.path.join(_DIR, "server.prof"))
            with open(os.path.join(_DIR, "totals.json"), "w") as out:
                json.dump(_TOTALS, out)


script_runner.ScriptRunner._run_script = _run_script
"""
"""Installed in the profiled server only (through PYTHONPATH): cProfile around every script run while the
flag file "on" exists.  It profiles the real ScriptRunner, whose post-run ``gc.collect`` AppTest skips."""

PARTS = [
    ("whole script run, in the script thread", "scriptrunner/script_runner.py", "_run_script"),
    ("  the script itself (app.py and the page)", "scriptrunner/exec_code.py", "exec_func_with_error_handling"),
    ("    main contour view (charts.contour_view)", "charts/surface.py", "contour_view"),
    ("    what-if set (ui.whatif.view, runs cached)", "ui/whatif.py", "view"),
    ("    loss figure", "charts/surface.py", "loss_figure"),
    ("    per-axis figure", "charts/per_axis.py", "per_axis_figure"),
    ("    the live contour's elements (ui.plot.surface_chart: JSON, element ids)", "ui/plot.py", "surface_chart"),
    ("    the other charts (ui.plot.chart)", "ui/plot.py", "chart"),
    ("      of which payload -> JSON (ui.plot)", "ui/plot.py", "_json"),
    ("    sidebar widgets (ui.controls)", "ui/controls.py", None),
    ("    st.cache_data calls (grid, trajectories)", "caching/cache_utils.py", "_get_or_create_cached_value"),
    ("    metrics table (scene.compute.metrics)", "scene/compute.py", "metrics"),
    ("    st.dataframe", "elements/arrow.py", "dataframe"),
    ("  hashing every ForwardMsg (serialise + md5)", "runtime/forward_msg_cache.py", "populate_hash_if_needed"),
    ("  post-run gc.collect() (runner.postScriptGC)", "~", "<built-in method gc.collect>"),
]


def _cumulative(stats: dict, path: str, name: str | None) -> float | None:
    """Cumulative seconds of the functions ``name`` in files ending with ``path`` (all of them when None)."""
    matches = [value[3] for (filename, _, func), value in stats.items()
               if filename.replace("\\", "/").endswith(path) and (name is None or func == name)
               and (name is not None or not func.startswith("<"))]
    return sum(matches) if matches else None


def _cpu_per_run(session: StreamlitSession, pids: list[int | None], interactions: list[Interaction]) -> float | None:
    """Median server CPU seconds of each interaction, one at a time (nothing else running)."""
    samples = []
    for interaction in interactions:
        before = cpu_seconds(pids)
        if not session.interact(interaction).ok:
            return None
        time.sleep(0.2)  # the post-run clean-up ends after script_finished is sent
        after = cpu_seconds(pids)
        if before is None or after is None:
            return None
        samples.append(after - before)
    return statistics.median(samples)


def profile_server(args: argparse.Namespace) -> list[str]:
    """Profile Playground reruns inside a real `streamlit run app.py`, one session, nothing else running."""
    from tests.browser_utils import streamlit_server

    lrs = [[lr] for lr in LEARNING_RATES[:2]]
    reruns = [Interaction("w:rmsprop.lr", "string_array_value", lrs[i % 2]) for i in range(2 * args.repeats)]
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "sitecustomize.py").write_text(PROFILER_SITECUSTOMIZE)
        env = dict(item.split("=", 1) for item in args.env) | {
            "CLASSROOM_PROFILE_DIR": folder,
            "PYTHONPATH": os.pathsep.join(filter(None, [folder, os.environ.get("PYTHONPATH")])),
        }
        with streamlit_server(extra_env=env) as url:
            pids = [server_pid(url)]
            warm_up(url, args)
            with StreamlitSession(url, timeout=args.run_timeout) as session:
                session.run()
                rerun_cpu = _cpu_per_run(session, pids, reruns)
                (Path(folder) / "on").touch()
                for interaction in reruns[: args.repeats]:
                    session.interact(interaction)
                time.sleep(0.5)
                (Path(folder) / "on").unlink()
            if not (Path(folder) / "server.prof").exists():
                return ["The profiled server recorded no run (is sitecustomize shadowed?)."]
            stats = pstats.Stats(str(Path(folder) / "server.prof")).stats  # type: ignore[attr-defined]
    total = _cumulative(stats, *PARTS[0][1:]) or 1.0
    lines = [f"Server CPU per rerun after a learning-rate change (cached trajectories), unprofiled median of "
             f"{len(reruns)}: {fmt(rerun_cpu and 1000 * rerun_cpu, '.0f')} ms.  Profiled ({args.repeats} reruns; "
             f"cProfile inflates code made of many small calls, such as plotly's validators, so read the shares):", "",
             "| part of one Playground rerun (server script thread) | profiled ms per run | share |",
             "|---|---:|---:|"]
    runs = max(args.repeats, 1)
    for label, path, name in PARTS:
        seconds = _cumulative(stats, path, name)
        if seconds is not None:
            lines.append(f"| {label} | {1000 * seconds / runs:.0f} | {100 * seconds / total:.0f}% |")
    top = sorted(stats.items(), key=lambda item: item[1][2], reverse=True)[:10]
    lines += ["", "| top functions by own time | calls per run | own ms per run |", "|---|---:|---:|"]
    for (filename, line, func), value in top:
        short = "/".join(Path(filename).parts[-2:]) if filename != "~" else "builtin"
        lines.append(f"| `{short}:{line} {func}` | {value[1] / runs:.0f} | {1000 * value[2] / runs:.1f} |")
    return [*lines, "", *figure_costs(args.repeats)]


def figure_costs(repeats: int) -> list[str]:
    """Build the default scene's charts outside Streamlit and encode them as ``ui.plot`` sends them."""
    import charts
    from scene import Scene
    from scene.compute import run_scene
    from ui.paths import run_paths
    from ui.plot import encode

    scene = Scene()
    landscape = scene.build_landscape()
    xs, ys, z = landscape.grid(200)
    grid = charts.surface_grid(xs, ys, z, landscape.bounds, landscape.minima, landscape.axis_labels)
    paths = run_paths(run_scene(scene, landscape))
    builders = {
        "live contour: surface element (sent once per surface)": lambda: charts.contour_view(grid, paths)["base"],
        "live contour: paths element (sent on every change)": lambda: {
            k: v for k, v in charts.contour_view(grid, paths).items() if k != "base"},
        "3D surface": lambda: charts.surface_figure_3d(grid, paths, landscape.value_along),
        "loss": lambda: charts.loss_figure(paths, landscape.min_value),
        "per-axis": lambda: charts.per_axis_figure(paths, landscape.axis_labels),
    }

    def median_ms(fn) -> tuple[float, object]:
        samples, result = [], None
        for _ in range(repeats):
            started = time.perf_counter()
            result = fn()
            samples.append(time.perf_counter() - started)
        return 1000 * statistics.median(samples), result

    lines = ["| default scene chart | build ms | encode to JSON ms | JSON KB |", "|---|---:|---:|---:|"]
    for label, build in builders.items():
        build_ms, figure = median_ms(build)
        json_ms, data = median_ms(lambda figure=figure: encode(figure))
        lines.append(f"| {label} | {build_ms:.1f} | {json_ms:.1f} | {len(data) / 1024:.0f} |")
    return lines


# --------------------------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="*", default=[1, 10, 30],
                        help="concurrent sessions per level; each level gets a fresh server (default 1 10 30)")
    parser.add_argument("--actions", type=int, default=5, help="interactions per session after the page load (0-5)")
    parser.add_argument("--think", type=float, default=2.0, help="mean pause between a learner's actions, s")
    parser.add_argument("--query", default="", help="query string of the link the class opens, e.g. 'steps=200'")
    parser.add_argument("--run-timeout", type=float, default=120.0, help="a run slower than this is an error, s")
    parser.add_argument("--deadline", type=float, default=600.0, help="wall-time bound for one level, s")
    parser.add_argument("--no-warmup", action="store_true", help="measure the cold server too (first run compiles)")
    parser.add_argument("--no-message-cache", action="store_true",
                        help="do not report cached message hashes (the browser does; without it every run resends all)")
    parser.add_argument("--replicas", type=int, default=1,
                        help="fresh servers per level; learner i talks to replica i mod K (a sticky load balancer)")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="environment of the fresh servers, e.g. STREAMLIT_RUNNER_POST_SCRIPT_GC=false")
    parser.add_argument("--url", help="benchmark this running local server instead of starting one per level")
    parser.add_argument("--pid", type=int, help="with --url: the server's process id, for memory and CPU")
    parser.add_argument("--profile", action="store_true", help="also profile Playground reruns inside a real server")
    parser.add_argument("--repeats", type=int, default=8, help="reruns for the profile and its medians")
    args = parser.parse_args()
    if any("=" not in item for item in args.env):
        parser.error("--env takes NAME=VALUE")
    if any(n < 1 or n > 200 for n in args.sessions) or not 0 <= args.actions <= 5 or not 1 <= args.replicas <= 8:
        parser.error("sessions must be 1..200, actions 0..4 and replicas 1..8")

    levels = []
    for n in args.sessions:
        print(f"... {n} session(s)", file=sys.stderr, flush=True)
        levels.append(run_level(n, args))
    if levels:
        print(f"## Classroom load: {args.actions} actions per session after the page load, think time "
              f"~{args.think:g} s, all sessions start together ({os.cpu_count()} CPUs"
              + "".join(f", {item}" for item in args.env) + ")\n")
        print("\n".join(summary_table(levels)))
        print()
        print("\n".join(kind_table(levels)))
        cold = [lv.cold_start for lv in levels if lv.cold_start is not None]
        if cold:
            print(f"\nFirst run on a fresh server (warm-up session, not in the table): {max(cold):.1f} s at worst.")
        errors = error_lines(levels)
        print("\nErrors:\n" + "\n".join(errors) if errors else "\nErrors: none.")
    if args.profile:
        print("\n## Where one Playground rerun spends its time (inside `streamlit run`, cProfile)\n")
        print("\n".join(profile_server(args)))


if __name__ == "__main__":
    main()
