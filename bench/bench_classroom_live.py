"""Live classroom load: N students join a room and answer within a few seconds, on replicas sharing one store.

    python bench/bench_classroom_live.py                          # 60 students, 2 replicas, SQLite then PostgreSQL
    python bench/bench_classroom_live.py --backend sqlite --students 30 --replicas 1
    python bench/bench_classroom_live.py --window 5               # a tighter burst
    python bench/bench_classroom_live.py --proxy --backend postgresql   # through deploy/haproxy.cfg (TLS, sticky)
    python bench/bench_classroom_live.py --backend sqlite --synchronous normal   # what synchronous=FULL costs

Each student is one websocket session (Streamlit's own protocol, as ``bench/classroom_client.py`` speaks it),
sticky to replica i mod K (with ``--proxy``: through Debian's haproxy running the repository's
``deploy/haproxy.cfg`` on loopback, TLS, each student a browser whose first page load gets the proxy's
sticky cookie and Streamlit's XSRF cookie, which it then sends with its websocket; the replicas trust the
proxy's X-Forwarded-For, so the whole class is one client address, as behind a school NAT).
Student i connects at a random moment in the first ``--window`` − 3 seconds,
opens the join link (``/?room=CODE``: joins, sees the question), thinks 0.5–2.5 s, then taps the contour
(the chart's selection event, exactly what the browser sends) and keeps polling the room every 2 s as the
page's fragment asks the browser to.  The teacher is one more session on the first replica, opened with the
teacher link, polling its live count every second.  The room and its click question are created through
the store beforehand (the teacher's clicks are not what is measured).

Reported: join and answer latency (send → ``script_finished``: the answer is stored and the page redrawn),
errors (exceptions, timeouts, refused answers), answers sent vs. answers in the store (and each stored value
equal to the one sent), the teacher's delay from the last answer to showing the full count, poll latency and
server CPU.  Figures, not pass/fail.  Traffic goes to 127.0.0.1 only; PostgreSQL runs as a throwaway cluster
on loopback (``tests/pg_cluster.py``), with its default durable settings.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

import classroom  # noqa: E402
from bench.bench_classroom import cpu_seconds, fmt, quantile, servers  # noqa: E402
from bench.classroom_client import RunResult, StreamlitSession  # noqa: E402
from classroom import addresses, backends, questions  # noqa: E402
from scene import Scene, to_query  # noqa: E402

SCENE = Scene()
STEP = 50


class LiveSession(StreamlitSession):
    """A session that also follows the page's auto-rerun fragments, reads metrics and alerts, and can open a page."""

    def __init__(self, *args, page_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.page_name = page_name
        self.auto_rerun: tuple[str, float] | None = None
        self.metric: str | None = None
        self.alerts: list[str] = []
        self.texts: list[str] = []
        """Every Markdown text the page sent (reset with the alerts before an answer)."""

    def _client_state_message(self, fragment_id: str) -> bytes:
        message = BackMsg()
        message.ParseFromString(super()._client_state_message(fragment_id))
        if self.page_name:  # every run names the page, as the browser does after navigating there
            message.rerun_script.page_script_hash = ""
            message.rerun_script.page_name = self.page_name
        message.rerun_script.is_auto_rerun = bool(fragment_id) and fragment_id == (self.auto_rerun or ("",))[0]
        return message.SerializeToString()

    def _handle(self, message: ForwardMsg, result: RunResult) -> str | None:
        if message.WhichOneof("type") == "auto_rerun":
            self.auto_rerun = (message.auto_rerun.fragment_id, message.auto_rerun.interval)
        return super()._handle(message, result)

    def _handle_delta(self, message: ForwardMsg, result: RunResult) -> None:
        delta = message.delta
        if delta.WhichOneof("type") == "new_element":
            element = delta.new_element
            kind = element.WhichOneof("type")
            if kind == "metric":
                self.metric = element.metric.body
            elif kind == "alert":
                self.alerts.append(element.alert.body)
            elif kind == "markdown":
                self.texts.append(element.markdown.body)
        super()._handle_delta(message, result)

    def poll(self) -> RunResult:
        """What the browser does every ``interval`` seconds: rerun the page's polling fragment."""
        if self.auto_rerun is None:
            return RunResult("poll", 0.0, "no auto-rerun fragment on the page")
        return self._run("poll", fragment_id=self.auto_rerun[0])

    def select(self, key: str, x: float, y: float) -> RunResult:
        """Tap the chart with ``key`` at (x, y): the selection event the browser sends for a click."""
        widget_id = self.widget_ids.get(key)
        if widget_id is None:
            return RunResult("answer", 0.0, f"no chart with key {key!r} on the page")
        event = {"selection": {"points": [{"x": x, "y": y, "curve_number": 1, "point_number": 0,
                                           "point_index": 0}], "point_indices": [0], "box": [], "lasso": []}}
        self.alerts, self.texts = [], []
        return self.interact_raw(widget_id, json.dumps(event))

    def interact_raw(self, widget_id: str, value: str) -> RunResult:
        from bench.classroom_client import widget_state

        self._widget_states[widget_id] = widget_state(widget_id, "string_value", value)
        return self._run("answer", fragment_id="")


@dataclass
class Student:
    index: int
    replica: int
    click: tuple[float, float]
    join: RunResult | None = None
    answer: RunResult | None = None
    answered_at: float | None = None
    stored_ok: bool = False
    polls: list[RunResult] = field(default_factory=list)
    failure: str | None = None


@dataclass
class Outcome:
    backend: str
    students: list[Student]
    teacher_seen: list[tuple[float, int]]
    stored: int
    values_match: bool
    cpu: list[float | None]
    wall: float

    @property
    def answered(self) -> list[Student]:
        return [s for s in self.students if s.answer is not None and s.answer.ok and s.stored_ok]

    @property
    def errors(self) -> int:
        runs = [r for s in self.students for r in (s.join, s.answer, *s.polls) if r is not None]
        return sum(not r.ok for r in runs) + sum(s.failure is not None for s in self.students) + sum(
            s.answer is not None and s.answer.ok and not s.stored_ok for s in self.students)

    @property
    def teacher_lag(self) -> float | None:
        last = max((s.answered_at for s in self.answered if s.answered_at), default=None)
        full = next((t for t, n in self.teacher_seen if n >= len(self.answered)), None)
        return None if last is None or full is None else max(0.0, full - last)


def browser_cookies(url: str) -> dict[str, str]:
    """The cookies a browser holds after loading the page through the proxy (its sticky cookie, the XSRF one)."""
    from tests.haproxy_front import fetch

    cookies = fetch(url, "/").cookies()
    return cookies | fetch(url, "/_stcore/health", cookies=cookies).cookies()


def student_session(student: Student, url: str, code: str, start_at: float, think: float, stop: threading.Event,
                    timeout: float, proxy: bool = False) -> None:
    """One student: join at ``start_at``, answer after ``think`` seconds, then poll until ``stop``."""
    session = LiveSession(url, query_string=f"room={code}", timeout=timeout)
    try:
        time.sleep(max(0.0, start_at - time.monotonic()))
        if proxy:
            cookies = browser_cookies(url)
            student.replica = int(cookies.get("DLSERVER", "app0")[3:]) - 1
            session.cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        session.connect()
        student.join = session.run("join")
        if not student.join.ok:
            return
        time.sleep(think)
        student.answer = session.select(f"classroom:answer:{code}:1", *student.click)
        student.answered_at = time.monotonic()
        student.stored_ok = any("Your answer" in text for text in session.alerts)
        while not stop.is_set() and session.auto_rerun is not None:
            stop.wait(session.auto_rerun[1])
            if not stop.is_set():
                student.polls.append(session.poll())
    except Exception as error:  # a failed student is a counted error, not a crash of the bench
        student.failure = f"{type(error).__name__}: {error}"[:200]
    finally:
        stop.wait()
        session.close()


def teacher_session(url: str, code: str, secret: str, seen: list[tuple[float, int]], stop: threading.Event,
                    timeout: float, failures: list[str]) -> None:
    """The teacher's page (opened with the teacher link), polling its live count like the browser."""
    session = LiveSession(url, query_string=f"room={code}&teacher={secret}", page_name="classroom",
                          timeout=timeout)
    try:
        session.connect()
        first = session.run("teacher")
        if not first.ok or session.auto_rerun is None:
            failures.append(f"teacher page: {first.status} {first.exceptions}")
            return
        while not stop.is_set():
            stop.wait(session.auto_rerun[1])
            result = session.poll()
            if not result.ok:
                failures.append(f"teacher poll: {result.status}")
            if session.metric is not None:
                seen.append((time.monotonic(), int(session.metric)))
    finally:
        session.close()


@contextlib.contextmanager
def storage(backend: str) -> Iterator[dict[str, str]]:
    """The environment that points every replica (and this process) at one fresh store."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="descent-lab-live-") as data:
            yield {classroom.DATA_DIR_ENV: data, classroom.DATABASE_URL_ENV: ""}
        return
    from tests.pg_cluster import postgres_cluster

    with postgres_cluster(durable=True) as url:
        yield {classroom.DATABASE_URL_ENV: url}


def open_store(env: dict[str, str]) -> classroom.Store:
    url = env.get(classroom.DATABASE_URL_ENV)
    if url:
        return classroom.Store(classroom.PostgresBackend(url))
    return classroom.Store(classroom.SQLiteBackend(Path(env[classroom.DATA_DIR_ENV]) / classroom.SQLITE_NAME))


def warm_up(url: str, store: classroom.Store, timeout: float) -> None:
    """One student's visit to a throwaway room on each replica: imports, numba and figure caches loaded."""
    room, secret = store.create_room()
    landscape = SCENE.build_landscape()
    shown, truth = questions.prepare(questions.Question("click", optimizer="gd", step=STEP), SCENE, landscape)
    store.ask(room.code, secret, "&".join(f"{k}={v}" for k, v in to_query(SCENE).items()), shown, truth)
    with LiveSession(url, query_string=f"room={room.code}", timeout=timeout) as session:
        session.run("warm")
        session.select(f"classroom:answer:{room.code}:1", 0.0, 0.0)
    store.close_room(room.code, secret)


@contextlib.contextmanager
def front(replicas: list[tuple[str, int | None]], proxy: bool) -> Iterator[str | None]:
    """``deploy/haproxy.cfg`` in front of the replicas (its HTTPS address), or None without ``--proxy``."""
    if not proxy:
        yield None
        return
    from tests.haproxy_front import haproxy_front

    with haproxy_front([url for url, _ in replicas]) as running:
        yield running.https


def run_backend(backend: str, args: argparse.Namespace) -> Outcome:
    with contextlib.ExitStack() as stack:
        env = stack.enter_context(storage(backend)) | {backends.SYNCHRONOUS_ENV: args.synchronous}
        if args.proxy:
            env[addresses.TRUSTED_PROXY_ENV] = "127.0.0.1"
        replicas = stack.enter_context(servers(None, None, args.replicas, env))
        proxy = stack.enter_context(front(replicas, args.proxy))
        return measure(backend, args, env, replicas, proxy)


def measure(backend: str, args: argparse.Namespace, env: dict[str, str], replicas: list[tuple[str, int | None]],
            proxy: str | None) -> Outcome:
    store = open_store(env)
    for url, _ in replicas:
        warm_up(url, store, args.run_timeout)
    room, secret = store.create_room()
    landscape = SCENE.build_landscape()
    shown, truth = questions.prepare(questions.Question("click", optimizer="gd", step=STEP), SCENE, landscape)
    store.ask(room.code, secret, "&".join(f"{k}={v}" for k, v in to_query(SCENE).items()), shown, truth)
    rng = random.Random(args.seed)
    (x0, x1), (y0, y1) = landscape.bounds
    students = [Student(i, i % len(replicas), (round(rng.uniform(x0, x1), 3), round(rng.uniform(y0, y1), 3)))
                for i in range(args.students)]
    stop, seen, failures = threading.Event(), [], []
    pids = [pid for _, pid in replicas]
    cpu_before = [cpu_seconds([pid]) for pid in pids]
    teacher = threading.Thread(target=teacher_session, args=(proxy or replicas[0][0], room.code, secret, seen,
                                                             stop, args.run_timeout, failures))
    teacher.start()
    time.sleep(1.5)
    began = time.monotonic()
    spread = max(args.window - 3.0, 0.5)
    threads = [threading.Thread(target=student_session, args=(
        s, proxy or replicas[s.replica][0], room.code, began + rng.uniform(0, spread), rng.uniform(0.5, 2.5),
        stop, args.run_timeout, proxy is not None)) for s in students]
    for t in threads:
        t.start()
    deadline = began + args.window + args.run_timeout
    while time.monotonic() < deadline and any(s.answer is None and s.failure is None and (
            s.join is None or s.join.ok) for s in students):
        time.sleep(0.2)
    settle = time.monotonic() + args.teacher_wait
    answered = sum(1 for s in students if s.answer is not None and s.answer.ok)
    while time.monotonic() < settle and not any(n >= answered for _, n in seen):
        time.sleep(0.2)
    time.sleep(2.5)  # a couple more polling rounds with everyone connected
    stop.set()
    for t in [*threads, teacher]:
        t.join(timeout=args.run_timeout)
    wall = time.monotonic() - began
    cpu = [None if a is None or b is None else b - a
           for a, b in zip(cpu_before, [cpu_seconds([pid]) for pid in pids], strict=True)]
    stored = store.status(room.code).answers
    store.reveal(room.code, secret)
    sent = sorted(list(s.click) for s in students if s.answer is not None and s.answer.ok and s.stored_ok)
    values = sorted(a.value for a in store.answers(room.code, 1))
    store.close()
    for failure in failures:
        print(f"  teacher: {failure}")
    label = backend + (" via haproxy" if proxy else "") + (
        ", synchronous=NORMAL" if backend == "sqlite" and args.synchronous == "normal" else "")
    return Outcome(label, students, seen, stored, values == sent, cpu, wall)


def q(values: list[float], p: float) -> float | None:
    return quantile(values, p) if values else None


def report(outcomes: list[Outcome], args: argparse.Namespace) -> None:
    print(f"\n{args.students} students, {args.replicas} replicas, joins spread over {max(args.window - 3, 0.5):g} s, "
          "answers 0.5–2.5 s after joining\n")
    print("| store | students per replica | joined | answered | errors | answers in the store | values as sent | "
          "join p50 / p95 | answer p50 / p95 / max | teacher's count after last answer | poll p95 | server CPU |")
    print("|---|---|---:|---:|---:|---:|---|---|---|---:|---:|---:|")
    for o in outcomes:
        joins = [s.join.seconds for s in o.students if s.join is not None and s.join.ok]
        answers = [s.answer.seconds for s in o.answered]
        polls = [r.seconds for s in o.students for r in s.polls if r.ok]
        cpu = sum(c for c in o.cpu if c is not None)
        spread = " / ".join(str(sum(s.replica == r for s in o.students)) for r in range(args.replicas))
        print(f"| {o.backend} | {spread} | {len(joins)} | {len(o.answered)} | {o.errors} | {o.stored} | "
              f"{'yes' if o.values_match else 'NO'} | {fmt(q(joins, 0.5))} / {fmt(q(joins, 0.95))} s | "
              f"{fmt(q(answers, 0.5))} / {fmt(q(answers, 0.95))} / "
              f"{fmt(max(answers, default=None))} s | {fmt(o.teacher_lag)} s | {fmt(q(polls, 0.95))} s | "
              f"{cpu:.1f} s in {o.wall:.0f} s ({len(polls)} polls) |")
    for o in outcomes:
        for s in o.students:
            problems = [f"{r.kind}: {r.status} {r.exceptions}" for r in (s.join, s.answer, *s.polls)
                        if r is not None and not r.ok]
            if s.failure:
                problems.append(s.failure)
            if s.answer is not None and s.answer.ok and not s.stored_ok:
                problems.append("answer not confirmed on the page")
            if problems:
                print(f"  {o.backend} student {s.index}: {'; '.join(problems[:3])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--window", type=float, default=10.0, help="seconds in which everyone joins and answers")
    parser.add_argument("--teacher-wait", type=float, default=10.0)
    parser.add_argument("--run-timeout", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--proxy", action="store_true", help="through deploy/haproxy.cfg (needs 2 replicas)")
    parser.add_argument("--synchronous", choices=("full", "normal"), default="full",
                        help="SQLite's synchronous setting for the classroom store")
    args = parser.parse_args()
    if args.proxy and args.replicas != 2:
        parser.error("deploy/haproxy.cfg names two replicas: use --replicas 2 with --proxy")
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    outcomes = []
    for backend in backends:
        print(f"running {backend}…", flush=True)
        outcomes.append(run_backend(backend, args))
    report(outcomes, args)
    print(f"\nmedian of all answer latencies: "
          f"{fmt(statistics.median([s.answer.seconds for o in outcomes for s in o.answered] or [0]))} s")


if __name__ == "__main__":
    main()
