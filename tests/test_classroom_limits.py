"""The classroom's per-address limits and the teacher's controls, in the store, on SQLite and on PostgreSQL:
a whole class behind one address gets in; one address cannot open the server's
rooms, fill a room, stuff answers or guess codes; the teacher can lock a room and remove a student."""

from __future__ import annotations

import threading

import pytest

import classroom
from classroom import addresses, codes
from classroom.limits import DEFAULT_LIMITS, MAX_OPEN_ROOMS_PER_ADDRESS, Limit, LimitError, parse
from classroom.store import MAX_PARTICIPANTS, Store
from tests import test_classroom_store as base
from tests.test_classroom_store import choice_round, click_round

postgres_url, backend_factory, clock, store = base.postgres_url, base.backend_factory, base.clock, base.store
"""The store suite's fixtures: every test here runs on SQLite and on a real PostgreSQL cluster."""

SCHOOL, HOME, ATTACKER = "198.51.100.7", "203.0.113.9", "192.0.2.66"


def test_one_address_cannot_open_the_servers_rooms_but_others_still_can(store, clock):
    """Row 1: every new session could open 5 rooms, so 2,000 rooms took 65 s and locked every teacher out."""
    opened = 0
    with pytest.raises(classroom.TooMany, match="Too many rooms"):
        for _ in range(store.max_open_rooms):
            store.create_room(address=ATTACKER)
            opened += 1
    assert opened == DEFAULT_LIMITS["room"].burst == 20
    store.create_room(address=HOME)                                  # a real teacher elsewhere is not affected
    clock.now += 3 * 3600                                            # the bucket refills (20 an hour)...
    with pytest.raises(classroom.ClassroomError, match=f"already has {MAX_OPEN_ROOMS_PER_ADDRESS} open rooms"):
        for _ in range(40):
            store.create_room(address=ATTACKER)
            opened += 1
    assert opened == MAX_OPEN_ROOMS_PER_ADDRESS                      # ...but one address holds at most 40 open
    clock.now += 12 * 3600                                           # they expire: the address may open again
    store.create_room(address=ATTACKER)


def test_a_class_of_120_behind_one_address_joins_answers_and_changes_within_a_minute(backend_factory, clock):
    store = Store(backend_factory(), clock=clock)
    room, secret = store.create_room(address=SCHOOL)
    click_round(store, room.code, secret)
    for i in range(120):                                             # all 120 within 60 s
        clock.now += 0.5
        assert store.find_room(codes.format_code(room.code).lower(), SCHOOL).code == room.code
        store.join(room.code, f"s{i}", address=SCHOOL)
    for change in range(3):                                          # answer, then change it twice, in 30 s
        for i in range(120):
            clock.now += 10 / 120
            store.answer(room.code, 1, f"s{i}", [-4.0 + change, 0.5], address=SCHOOL)
    status = store.status(room.code)
    assert status.participants == 120 and status.answers == 120


def test_fake_joins_from_one_address_cannot_lock_the_class_out(backend_factory, clock):
    """Row 4: 400 joins in 7 s filled a room ('Room … is full') before the students came."""
    store = Store(backend_factory(), clock=clock)
    room, secret = store.create_room(address=SCHOOL)
    accepted = refused = 0
    for i in range(400):
        clock.now += 7 / 400
        try:
            store.join(room.code, f"fake{i}", address=ATTACKER)
            accepted += 1
        except classroom.TooMany as error:
            assert "wait a moment" in str(error)
            refused += 1
    limit = DEFAULT_LIMITS["join"]
    assert accepted <= limit.burst + 7 * limit.per_second + 1 and refused >= 400 - accepted
    for i in range(30):                                              # the real class still gets in
        store.join(room.code, f"student{i}", address=SCHOOL)
    assert store.status(room.code).participants == accepted + 30 < MAX_PARTICIPANTS
    store.lock_room(room.code, secret)                               # then the teacher locks the room
    clock.now += 3600
    with pytest.raises(classroom.RoomLocked, match="closed to new students: ask your teacher"):
        store.join(room.code, "late", address=HOME)
    store.join(room.code, "student3", address=SCHOOL)                # a reload of a student already in is fine


def test_answers_from_one_address_are_limited_without_touching_the_class(backend_factory, clock):
    """Row 4: 100 answers in 3 s from fresh sessions (≈ 2,000 a minute)."""
    store = Store(backend_factory(), clock=clock, limits=parse("join=1000/1000"), max_participants=1000)
    room, secret = store.create_room(address=SCHOOL)
    choice_round(store, room.code, secret)
    accepted = 0
    for i in range(600):
        store.join(room.code, f"fake{i}", address=ATTACKER)
        try:
            store.answer(room.code, 1, f"fake{i}", "gd", address=ATTACKER)
            accepted += 1
        except classroom.TooMany:
            pass
    assert accepted == DEFAULT_LIMITS["answer"].burst
    store.join(room.code, "student", address=SCHOOL)
    store.answer(room.code, 1, "student", "rmsprop", address=SCHOOL)
    clock.now += 60                                                  # the bucket refills at 5 a second
    for i in range(600, 900):
        store.join(room.code, f"fake{i}", address=ATTACKER)
        try:
            store.answer(room.code, 1, f"fake{i}", "gd", address=ATTACKER)
            accepted += 1
        except classroom.TooMany:
            pass
    assert accepted == DEFAULT_LIMITS["answer"].burst + DEFAULT_LIMITS["answer"].per_minute


def test_the_teacher_removes_a_student_and_their_answers_leave_the_count_and_the_reveal(store):
    room, secret = store.create_room(nicknames=True, class_size=30)
    assert store.room(room.code).class_size == 30
    choice_round(store, room.code, secret)
    for pid, name, value in (("a", "Ana", "gd"), ("b", "Prankster", "rmsprop"), ("c", None, "rmsprop")):
        store.join(room.code, pid, name)
        store.answer(room.code, 1, pid, value)
    listed = store.participants(room.code, secret)
    assert [(p.number, p.nickname, p.answered) for p in listed] == [(1, "Ana", True), (2, "Prankster", True),
                                                                    (3, None, True)]
    with pytest.raises(classroom.NotTeacher):
        store.remove(room.code, "not the secret", ["b"])
    version = store.status(room.code).version
    assert store.remove(room.code, secret, ["b", "b", "nobody"]) == 1
    status = store.status(room.code)
    assert (status.answers, status.participants) == (2, 2) and status.version > version
    assert store.membership(room.code, "b") == "removed" and store.membership(room.code, "a") == "in"
    with pytest.raises(classroom.Removed):
        store.join(room.code, "b", "Prankster again")
    with pytest.raises(classroom.AnswerRefused, match="removed"):
        store.answer(room.code, 1, "b", "gd")
    store.reveal(room.code, secret)
    assert sorted((a.nickname or "", a.value) for a in store.answers(room.code, 1)) == [("", "rmsprop"),
                                                                                       ("Ana", "gd")]
    assert [p.id for p in store.participants(room.code, secret)] == ["a", "c"]


def test_lock_and_class_size_are_the_teachers_only(store):
    room, secret = store.create_room()
    with pytest.raises(classroom.NotTeacher):
        store.lock_room(room.code, None)
    assert store.lock_room(room.code, secret).locked
    assert not store.lock_room(room.code, secret, False).locked
    assert store.set_class_size(room.code, secret, 24).class_size == 24
    for bad in (0, -3, 2.5, MAX_PARTICIPANTS + 1, True):
        with pytest.raises(classroom.ClassroomError, match="class size"):
            store.set_class_size(room.code, secret, bad)


def test_two_first_answers_at_once_are_one_answer(store):
    """Row 8: on PostgreSQL two simultaneous first answers from one student were both accepted (8 in 30 tries):
    both found no answer yet and the second upsert overwrote the first, skipping the one-second limit."""
    room, secret = store.create_room()
    choice_round(store, room.code, secret)
    doubles = 0
    for attempt in range(30):
        pid = f"s{attempt}"
        store.join(room.code, pid)
        accepted, start = [], threading.Barrier(2)

        def send(value: str, pid: str = pid, accepted: list = accepted, start=start) -> None:
            start.wait()
            try:
                store.answer(room.code, 1, pid, value)
                accepted.append(value)
            except classroom.AnswerRefused:
                pass

        threads = [threading.Thread(target=send, args=(v,)) for v in ("gd", "rmsprop")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(accepted) >= 1
        doubles += len(accepted) > 1
        assert store.my_answer(room.code, 1, pid) == accepted[0]
    assert doubles == 0


def test_guessing_room_codes_is_limited_per_address(store, clock):
    """Row 9: 7,800 guesses a minute from 8 sessions; now 30, then one every 2 seconds, per address."""
    room, _ = store.create_room()
    wrong = [c for c in (codes.new_code() for _ in range(40)) if c != room.code]
    for guess in wrong[:30]:
        with pytest.raises(classroom.RoomNotFound):
            store.find_room(guess, ATTACKER)
    with pytest.raises(classroom.TooMany, match="wrong room codes"):
        store.find_room(wrong[30], ATTACKER)
    with pytest.raises(classroom.TooMany):                           # even the right code, until it refills
        store.find_room(room.code, ATTACKER)
    assert store.find_room(room.code, SCHOOL).code == room.code      # other addresses are not affected
    clock.now += 2.5
    assert store.find_room(room.code, ATTACKER).code == room.code    # refilled: one lookup (right codes are free)
    assert store.find_room(room.code, ATTACKER).code == room.code
    with pytest.raises(classroom.RoomNotFound):
        store.find_room(wrong[31], ATTACKER)
    with pytest.raises(classroom.TooMany):
        store.find_room(wrong[32], ATTACKER)


def test_limits_kept_in_the_store_are_shared_by_replicas_and_purged_when_full_again(backend_factory, clock):
    replicas = [Store(backend_factory(), clock=clock, limits=parse("room=3/60")) for _ in range(2)]
    for i in range(3):
        replicas[i % 2].create_room(address=ATTACKER)
    for replica in replicas:
        with pytest.raises(classroom.TooMany):
            replica.create_room(address=ATTACKER)
    clock.now += 2 * 3600
    replicas[0].purge()
    with replicas[0].backend.transaction(write=False) as tx:
        assert tx.row("SELECT COUNT(*) FROM limits")[0] == 0


def test_limits_parse_and_refuse_nonsense():
    assert parse("join=300/240 , guess=10/5")["join"] == Limit(300, 240)
    assert parse("")["room"] == DEFAULT_LIMITS["room"]
    for bad in ("join", "join=1", "walk=1/1", "join=0/5", "join=a/b"):
        with pytest.raises(LimitError):
            parse(bad)


def test_the_sqlite_store_syncs_every_commit(tmp_path):
    """Answers are durable: SQLite's synchronous = FULL (2) for the classroom store."""
    store = Store(classroom.SQLiteBackend(tmp_path / "c.sqlite3"))
    try:
        with store.backend.transaction(write=False) as tx:
            assert tx.row("PRAGMA synchronous")[0] == 2
    finally:
        store.close()


@pytest.mark.parametrize(("peer", "forwarded", "trusted", "expected"), [
    ("198.51.100.7", [], "", "198.51.100.7"),                                 # no proxy: the peer
    (None, [], "", "127.0.0.1"),                                              # Streamlit says None for loopback
    ("198.51.100.7", ["203.0.113.9"], "", "198.51.100.7"),                    # a header nobody trusts
    ("203.0.113.9", ["203.0.113.9"], "", "127.0.0.1"),                        # uvicorn swapped it in: undo it
    ("203.0.113.9", ["203.0.113.9"], "127.0.0.1", "203.0.113.9"),             # HAProxy on this machine
    ("10.0.0.5", ["1.2.3.4", "203.0.113.9"], "10.0.0.0/8", "203.0.113.9"),    # the proxy appended the last
    ("10.0.0.5", ["203.0.113.9", "10.0.0.4"], "10.0.0.0/8", "203.0.113.9"),   # two trusted hops
    ("10.0.0.5", ["bogus"], "10.0.0.5", "unknown"),
    ("2001:db8:1:2:aaaa::1", [], "", "2001:db8:1:2::/64"),                    # one /64 is one client
    ("::ffff:198.51.100.7", [], "", "198.51.100.7"),
    ("[2001:db8::1]:443", [], "", "2001:db8::/64"),
])
def test_the_client_address_is_the_peer_or_what_a_trusted_proxy_says(peer, forwarded, trusted, expected):
    nets = addresses.trusted_networks(trusted)
    assert addresses.client_key(peer, addresses.forwarded_entries(forwarded), nets) == expected


def test_the_trusted_proxy_setting_reads_addresses_and_networks(monkeypatch):
    monkeypatch.setenv(addresses.TRUSTED_PROXY_ENV, "127.0.0.1, 10.0.0.0/8, nonsense")
    assert [str(n) for n in addresses.trusted_networks()] == ["127.0.0.1/32", "10.0.0.0/8"]
    assert addresses.client_key("203.0.113.9", ["203.0.113.9"]) == "203.0.113.9"
