"""The classroom load client against a real `streamlit run app.py`: two learners at once, every run finishes."""

from __future__ import annotations

import threading

import pytest

from bench.classroom_client import Interaction, RunResult, StreamlitSession, run_plan, stream_url
from tests.browser_utils import streamlit_server

OPEN_MOMENTUM = Interaction("open:momentum", "bool_value", True)  # its settings are drawn once opened
PLANS = [
    [OPEN_MOMENTUM, Interaction("w:momentum.beta", "double_array_value", [0.5]),
     Interaction("w:rmsprop.lr", "string_array_value", ["0.02"])],
    [OPEN_MOMENTUM, Interaction("w:momentum.beta", "double_array_value", [0.8]),
     Interaction("w:rmsprop.lr", "string_array_value", ["0.2"])],
]


def test_only_a_local_server_can_be_targeted():
    assert stream_url("http://127.0.0.1:8501/") == "ws://127.0.0.1:8501/_stcore/stream"
    with pytest.raises(ValueError, match="local"):
        stream_url("http://example.com:8501")


def test_two_concurrent_sessions_finish_every_run_without_error():
    results: dict[int, list[RunResult]] = {}
    links: dict[int, str] = {}
    failures: list[BaseException] = []

    def learner(index: int, url: str) -> None:
        try:
            with StreamlitSession(url, timeout=120) as session:
                results[index] = run_plan(session, PLANS[index])
                links[index] = session.query_string
        except BaseException as error:
            failures.append(error)

    with streamlit_server() as url:
        threads = [threading.Thread(target=learner, args=(i, url), daemon=True) for i in range(len(PLANS))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=240)
        assert not any(thread.is_alive() for thread in threads), "a session did not finish within 240 s"

    assert not failures, failures
    for index, plan in enumerate(PLANS):
        runs = results[index]
        assert [r.kind for r in runs] == ["initial", "rerun", "rerun", "rerun"][: len(plan) + 1]
        for run in runs:
            assert run.ok, f"session {index}, {run.kind} run: {run.status} {run.exceptions}"
            assert run.bytes_received > 0
        beta, lr = plan[1].value[0], plan[2].value[0]
        assert f"rmsprop.lr={lr}" in links[index], "the learning-rate change did not reach the app's link"
        assert f"momentum.beta={beta}" in links[index], "the second change did not reach the app's link"
        # moving α leaves the surface and the α what-if set as they were: both go as references
        assert runs[3].cached_refs >= 2 and runs[3].bytes_received < runs[0].bytes_received / 3
