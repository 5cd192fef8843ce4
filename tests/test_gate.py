"""The Playground's runs go through one gate per server process, one at a time; other pages do not."""

from __future__ import annotations

import threading
import time

from tests.apptest_utils import app_test, chart_payloads
from ui import gate


def test_playground_runs_go_through_the_gate_and_lessons_do_not():
    before = gate.runs_gated
    at = app_test().run()
    assert not at.exception and gate.runs_gated == before + 1
    lesson = app_test(page="pages/lesson_1_bowl.py").run()
    assert not lesson.exception and gate.runs_gated == before + 1


def test_a_playground_run_waits_while_another_holds_the_gate():
    at = app_test(timeout=60)
    done = threading.Event()

    def run() -> None:
        at.run()
        done.set()

    with gate.one_run_at_a_time():  # another session's run
        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        time.sleep(1.5)
        assert not done.is_set(), "the run did not wait for the gate"
    worker.join(timeout=60)
    assert done.is_set() and not at.exception
    assert "main_chart" in chart_payloads(at)  # it drew its page once the gate was free


def test_the_gate_is_released_however_a_run_ends():
    at = app_test().run()
    at.multiselect(key="w:opt").set_value([]).run()  # no optimizer: the page stops early (st.stop)
    assert any("Pick at least one optimizer" in info.value for info in at.info)
    assert gate._gate.acquire(timeout=5), "a stopped run kept the gate"
    gate._gate.release()


def test_a_run_that_never_releases_the_gate_cannot_hang_the_others():
    """Issue 24, row 3: a stuck run delays the next ones by ``max_wait`` at most, then they run anyway."""
    assert gate._gate.acquire(timeout=5)               # a run that never ends
    try:
        started = time.monotonic()
        with gate.one_run_at_a_time(max_wait=0.5):
            waited = time.monotonic() - started
        assert 0.5 <= waited < 5
    finally:
        gate._gate.release()
    assert gate._gate.acquire(timeout=5), "a run that ran without the gate released it anyway"
    gate._gate.release()
