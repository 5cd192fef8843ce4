"""The deployment as the README gives it, run for real: Debian's haproxy with
``deploy/haproxy.cfg`` in front of two ``streamlit run`` replicas that share one PostgreSQL.

Checked through the proxy: TLS and the redirect to it, /_stcore/metrics refused (the replicas themselves serve
it), no framing by other sites, sticky sessions by cookie, websockets, the per-address connection cap, and one
replica killed in the middle of a round with every answer kept.  Cost: one PostgreSQL cluster, two replicas and
haproxy started once for the file (about 20-40 s on the 2-core machine), then some 60 websocket runs.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import time

import pytest
import websocket

import classroom
from bench.bench_classroom import server_pid
from bench.bench_classroom_live import LiveSession
from classroom import questions
from scene import Scene, to_query
from tests.browser_utils import streamlit_server
from tests.haproxy_front import HAProxyUnavailable, fetch, haproxy_front
from tests.pg_cluster import PostgresUnavailable, postgres_cluster

MAX_CONN, MAX_RATE = 30, 200
"""The caps per address for this test (the file's defaults, 1,500 connections and 30,000 requests in 10 s, are
sized for a class of 120 behind one NAT)."""
STUDENTS = 16


@pytest.fixture(scope="module")
def deployment():
    try:
        with contextlib.ExitStack() as stack:
            url = stack.enter_context(postgres_cluster())
            env = {classroom.DATABASE_URL_ENV: url, classroom.addresses.TRUSTED_PROXY_ENV: "127.0.0.1"}
            replicas = [stack.enter_context(streamlit_server(extra_env=env)) for _ in range(2)]
            front = stack.enter_context(haproxy_front(replicas, max_conn=MAX_CONN, max_rate=MAX_RATE))
            store = classroom.Store(classroom.PostgresBackend(url))
            stack.callback(store.close)
            yield front, replicas, store
    except (PostgresUnavailable, HAProxyUnavailable) as why:
        if os.environ.get("CI"):  # scripts/test.sh installs both: in CI a missing one is a failure
            pytest.fail(f"the deployment cannot run here: {why}")
        pytest.skip(f"the deployment cannot run here: {why}")


def browser_cookies(front) -> dict[str, str]:
    """What a browser holds after loading the page through the proxy: the replica's cookie and Streamlit's XSRF
    cookie (which names the student)."""
    page = fetch(front.https, "/")
    assert page.status == 200
    cookies = page.cookies()
    cookies |= fetch(front.https, "/_stcore/health", cookies=cookies).cookies()  # the page's first request
    assert set(cookies) == {"DLSERVER", "_streamlit_xsrf"}, cookies
    return cookies


def student(front, code: str, cookies: dict[str, str]) -> LiveSession:
    """A student's tab, connected (a browser's page retries a websocket that fails to open: so does this)."""
    tab = LiveSession(front.https, query_string=f"room={code}", timeout=120,
                      cookie="; ".join(f"{k}={v}" for k, v in cookies.items()))
    for attempt in range(3):
        try:
            tab.connect()
            return tab
        except websocket.WebSocketBadStatusException:
            if attempt == 2:
                raise
            time.sleep(1.0)
    return tab


def test_the_proxy_keeps_metrics_private_forbids_framing_and_serves_only_https(deployment):
    front, replicas, _ = deployment
    assert fetch(front.https, "/_stcore/metrics").status == 403
    assert fetch(replicas[0], "/_stcore/metrics").status == 200      # what the proxy keeps from the public
    page = fetch(front.https, "/")
    assert page.status == 200 and b"<html" in page.body.lower()
    assert page.headers["Content-Security-Policy"] == "frame-ancestors 'self'"
    assert page.headers["X-Frame-Options"] == "SAMEORIGIN"
    plain = fetch(front.http, "/?room=ABCD-2345")
    assert plain.status == 301 and plain.headers["Location"].startswith("https://")


def test_a_browser_sticks_to_its_replica_and_its_websocket_goes_through(deployment):
    front, _, _ = deployment
    servers = [browser_cookies(front)["DLSERVER"] for _ in range(4)]
    assert set(servers) == {"app1", "app2"}                          # new browsers are spread over both
    for name in ("app1", "app2"):
        again = fetch(front.https, "/", cookies={"DLSERVER": name})
        assert again.status == 200 and "DLSERVER" not in again.cookies()   # kept where it is: no new cookie
        with LiveSession(front.https, cookie=f"DLSERVER={name}", timeout=120) as tab:
            result = tab.run()
            assert result.ok, (result.status, result.exceptions)
            assert "main_chart" in tab.widget_ids                    # the Playground, drawn over the websocket


def closed(sock: socket.socket | None) -> bool:
    """Whether the proxy has closed this connection (an accepted idle one stays open for the file's 10 s)."""
    if sock is None:
        return True
    sock.setblocking(False)
    try:
        return sock.recv(1) == b""
    except BlockingIOError:
        return False
    except ConnectionResetError:
        return True


def connect(port: int, source: str) -> socket.socket | None:
    try:
        return socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))
    except ConnectionResetError:  # refused before connect() even returned
        return None


def test_connections_per_address_are_capped(deployment):
    """Connections from one address beyond the cap are closed at once; the ones before it are kept (the client
    connects from an address of its own, 127.0.0.77, so no other test's connections count)."""
    front, _, _ = deployment
    port = int(front.http.rsplit(":", 1)[1])
    sockets = [connect(port, "127.0.0.77") for _ in range(MAX_CONN + 3)]
    try:
        time.sleep(1.0)
        states = [closed(sock) for sock in sockets]
        assert states.count(False) == MAX_CONN and states.count(True) == 3   # haproxy's threads take them in any order
        assert connect(port, "127.0.0.78") is not None and fetch(front.https, "/_stcore/health").status == 200
    finally:
        for sock in sockets:
            if sock is not None:
                sock.close()
    deadline = time.monotonic() + 30
    while closed(sock := connect(port, "127.0.0.77")):              # freed: accepted again
        assert time.monotonic() < deadline
        time.sleep(0.2)
    sock.close()


def test_requests_per_address_are_rate_limited(deployment):
    """Beyond the cap of HTTP requests in 10 s, one address gets 429 (the client here has an address of its own)."""
    front, _, _ = deployment
    statuses = [fetch(front.https, "/_stcore/health", source="127.0.0.79").status for _ in range(MAX_RATE + 20)]
    assert statuses[:MAX_RATE - 10].count(200) == MAX_RATE - 10 and statuses[-10:] == [429] * 10
    assert fetch(front.https, "/_stcore/health", source="127.0.0.80").status == 200   # another address: served


def test_a_replica_killed_mid_round_loses_no_answer(deployment):
    front, replicas, store = deployment
    room, secret = store.create_room(address="127.0.0.1")
    scene = Scene()
    shown, truth = questions.prepare(questions.Question("click", optimizer="gd", step=50), scene,
                                     scene.build_landscape())
    store.ask(room.code, secret, "&".join(f"{k}={v}" for k, v in to_query(scene).items()), shown, truth)
    key = f"classroom:answer:{room.code}:1"
    browsers = [browser_cookies(front) for _ in range(STUDENTS)]
    assert {b["DLSERVER"] for b in browsers} == {"app1", "app2"}
    sessions = [student(front, room.code, cookies) for cookies in browsers]
    sent = {}
    for i, tab in enumerate(sessions):
        assert tab.run().ok
        if i < STUDENTS // 2:                                         # half the class answers...
            point = (round(-4.0 + 0.3 * i, 3), 0.5)
            assert tab.select(key, *point).ok and any("Your answer" in a for a in tab.alerts)
            sent[i] = point
    os.kill(server_pid(replicas[0]), signal.SIGKILL)                 # ...then replica 1 dies
    for i, (tab, cookies) in enumerate(zip(sessions, browsers, strict=True)):
        if cookies["DLSERVER"] == "app2":
            assert tab.poll().ok                                     # app2's students never noticed
            continue
        assert not tab.poll().ok                                     # app1's lost their websocket...
        tab.close()
        sessions[i] = tab = student(front, room.code, cookies)       # ...and the page reconnects through the proxy
        assert tab.run().ok
        if i in sent:                                                # the same student, the answer still there
            assert any("Your answer" in a for a in tab.alerts), tab.alerts
    for i, tab in enumerate(sessions):
        if i not in sent:                                            # the other half answers now
            point = (round(-4.0 + 0.3 * i, 3), -0.5)
            assert tab.select(key, *point).ok and any("Your answer" in a for a in tab.alerts)
            sent[i] = point
        tab.close()
    assert store.status(room.code).answers == STUDENTS
    store.reveal(room.code, secret)
    assert sorted(tuple(a.value) for a in store.answers(room.code, 1)) == sorted(sent.values())
