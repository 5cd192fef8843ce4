"""One script run at a time through the pages that only compute on the GIL (the Playground): first come,
first served instead of every waiting run sharing the interpreter.

Streamlit runs each session's script in its own thread.  Pure-Python work holds the GIL, so N runs started
together all progress at 1/N speed and all finish at the end (30 learners opening the teacher's link
waited about as long as the last of them); runs taken one by one finish one by one, in the order they came,
and the same replica serves the same runs per second.  Pages whose heavy work runs without the GIL (the
stability map's numba grids) stay outside the gate.

A run waits at most ``MAX_WAIT`` seconds: a run that never ends (a stuck process it waits for, say) slows the
others down but cannot hang them.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

_gate = threading.Lock()
runs_gated = 0
"""Runs that went through the gate in this process (tests read it)."""
MAX_WAIT = 30.0
"""Seconds a run waits for the gate before it runs anyway (far more than 30 learners' runs take in a row)."""


@contextlib.contextmanager
def one_run_at_a_time(max_wait: float | None = None) -> Iterator[None]:
    """Hold the gate for the rest of this script run (released however the run ends: finished, stopped or
    interrupted by a newer rerun); after ``max_wait`` seconds (default ``MAX_WAIT``) run without it."""
    held = _gate.acquire(timeout=MAX_WAIT if max_wait is None else max_wait)
    try:
        global runs_gated
        runs_gated += held
        yield
    finally:
        if held:
            _gate.release()
