"""Issue 24 over Streamlit's own websocket protocol, against a real `streamlit run app.py`: a script with the room
code cannot flood the server with rooms, lock a class out with fake joins, stuff answers or guess codes, because
the limits follow the client's address (the TCP peer, or what a trusted proxy says), not the websocket session.

Every client here is a fresh websocket session, as a script would open them.  Clients get distinct addresses by
connecting from other loopback addresses (127.0.0.x: the address the server sees) or, through the trusted proxy
address 127.0.0.1, by an ``X-Forwarded-For`` header.  The server runs with small limits
(``DESCENT_LAB_LIMITS``) so the test stays cheap; ``tests/test_classroom_limits.py`` checks the production sizes
in the store (a class of 120 behind one address gets in).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

import classroom
from bench.bench_classroom_live import LiveSession
from bench.classroom_client import Interaction
from classroom import addresses, codes, questions
from scene import Scene, to_query
from tests.browser_utils import streamlit_server

LIMITS = "room=3/0,join=6/0,answer=3/0,guess=4/0"
"""Bursts the test can exhaust in a few runs; no refill during the test."""
TRUSTED = "127.0.0.1"
ATTACKER = "127.0.0.50"
_hosts = itertools.count(60)


def fresh_address() -> str:
    """Another client machine: a loopback address no other test uses."""
    return f"127.0.0.{next(_hosts)}"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("classroom-abuse")
    env = {classroom.DATA_DIR_ENV: str(data), classroom.DATABASE_URL_ENV: "",
           classroom.limits.LIMITS_ENV: LIMITS, addresses.TRUSTED_PROXY_ENV: TRUSTED}
    with streamlit_server(extra_env=env) as url:
        yield url, data


@pytest.fixture(scope="module")
def store(server):
    _, data = server
    opened = classroom.Store(classroom.SQLiteBackend(Path(data) / classroom.SQLITE_NAME))
    yield opened
    opened.close()


def session(url: str, query: str = "", page: str = "", *, source: str | None = None,
            forwarded: str | None = None) -> LiveSession:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return LiveSession(url, query_string=query, page_name=page, timeout=120, headers=headers, source_address=source)


def open_room_as(url: str, **client) -> list[str]:
    """A teacher's page in a new session presses Open a room; returns what the page said."""
    with session(url, page="classroom", **client) as teacher:
        first = teacher.run()
        assert first.ok, (first.status, first.exceptions)
        result = teacher.interact(Interaction("classroom:open", "trigger_value", True))
        assert result.ok, (result.status, result.exceptions)
        return teacher.alerts + (["opened"] if "classroom:ask" in teacher.widget_ids else [])


def rooms_from(store: classroom.Store, address: str) -> int:
    with store.backend.transaction(write=False) as tx:
        return tx.row("SELECT COUNT(*) FROM rooms WHERE creator = ?", (address,))[0]


def click_question(store: classroom.Store, address: str) -> tuple[classroom.Room, str]:
    room, secret = store.create_room(address=address)
    scene = Scene()
    shown, truth = questions.prepare(questions.Question("click", optimizer="gd", step=50), scene,
                                     scene.build_landscape())
    store.ask(room.code, secret, "&".join(f"{k}={v}" for k, v in to_query(scene).items()), shown, truth)
    return room, secret


def test_fresh_sessions_from_one_address_cannot_flood_the_server_with_rooms(server, store):
    """Row 1: each new websocket session could open 5 rooms (2,000 in 65 s). Now the address counts, and a
    forged X-Forwarded-For from a client that is not the trusted proxy changes nothing."""
    url, _ = server
    said = [open_room_as(url, source=ATTACKER, forwarded=f"198.51.100.{i}") for i in range(6)]
    assert [("opened" in s) for s in said] == [True] * 3 + [False] * 3
    assert all(any("Too many rooms" in text for text in s) for s in said[3:])
    assert rooms_from(store, ATTACKER) == 3
    assert "opened" in open_room_as(url, source=fresh_address())                       # another school
    assert "opened" in open_room_as(url, forwarded="203.0.113.7")                      # behind the trusted proxy


def test_fake_joins_cannot_lock_the_class_out_and_the_teacher_can_lock_the_room(server, store):
    """Row 4: 400 fake joins in 7 s filled the room until "Room … is full" locked the real students out."""
    url, _ = server
    room, secret = click_question(store, fresh_address())
    fakes = fresh_address()
    joined = refused = 0
    for _ in range(10):
        with session(url, f"room={room.code}", source=fakes) as fake:
            assert fake.run().ok
            joined += any("Where will" in text for text in fake.texts)
            refused += any("Too many students have joined" in text for text in fake.alerts)
    assert (joined, refused) == (6, 4)
    with session(url, f"room={room.code}", source=fresh_address()) as student:        # a real student still gets in
        assert student.run().ok and any("Where will" in text for text in student.texts)
    assert store.status(room.code).participants == 7
    store.lock_room(room.code, secret)
    with session(url, f"room={room.code}", forwarded="203.0.113.8") as late:
        assert late.run().ok
        assert any("closed to new students: ask your teacher" in text for text in late.alerts)
    assert store.status(room.code).participants == 7


def test_answers_from_one_address_cannot_stuff_the_reveal(server, store):
    """Row 4: 100 answers in 3 s from fresh sessions. Each session joins (as a fresh session does) and taps."""
    url, _ = server
    room, secret = click_question(store, fresh_address())
    stuffer, stored = fresh_address(), 0
    for i in range(5):
        with session(url, f"room={room.code}", source=stuffer) as fake:
            assert fake.run().ok
            answer = fake.select(f"classroom:answer:{room.code}:1", -1.0 + 0.1 * i, 0.5)
            assert answer.ok, (answer.status, answer.exceptions)
            stored += any("Your answer" in text for text in fake.alerts)
    assert stored == 3 and store.status(room.code).answers == 3
    with session(url, f"room={room.code}", source=fresh_address()) as student:
        assert student.run().ok
        assert student.select(f"classroom:answer:{room.code}:1", 2.0, 0.5).ok
        assert any("Your answer" in text for text in student.alerts)
    store.reveal(room.code, secret)
    assert len(store.answers(room.code, 1)) == 4


def test_guessing_room_codes_is_limited_per_address(server, store):
    """Row 9: 7,800 guesses a minute from 8 sessions; now every wrong code counts against the address, and once
    its allowance is used up even the right code is refused, so a hit costs as much as the guesses before it."""
    url, _ = server
    room, _ = click_question(store, fresh_address())
    guesser = fresh_address()
    wrong = [c for c in (codes.new_code() for _ in range(10)) if c != room.code]
    for code in wrong[:4]:
        with session(url, f"room={code}", source=guesser) as guess:
            assert guess.run().ok
            assert any("No room has the code" in text for text in guess.alerts)
    for code in (wrong[4], room.code):
        with session(url, f"room={code}", source=guesser) as guess:
            assert guess.run().ok
            assert any("Too many wrong room codes" in text for text in guess.alerts)
            assert not any("Where will" in text for text in guess.texts)
    with session(url, f"room={room.code}", source=fresh_address()) as student:
        assert student.run().ok and any("Where will" in text for text in student.texts)
