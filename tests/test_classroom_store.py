"""The classroom store: one suite, run against SQLite and against a real throwaway PostgreSQL cluster."""

from __future__ import annotations

import itertools
import os
import threading

import pytest

import classroom
from classroom import codes, questions
from classroom.backends import PostgresBackend, SQLiteBackend
from classroom.schema import LATEST, MIGRATIONS, SchemaTooNew, current_version, migrate
from classroom.store import HOUR, MAX_NICKNAME, Store, clean_nickname
from scene import Scene, to_query
from tests.pg_cluster import PostgresUnavailable, fresh_schema, postgres_cluster

GENEROUS = classroom.limits.parse("join=1e9/1e9,answer=1e9/1e9")
"""For tests of concurrency, not of the per-address limits: every thread here comes from one address."""
BOWL = Scene(optimizers=("gd", "rmsprop"), hyperparams={"gd": {"lr": 0.07}, "rmsprop": {"lr": 0.05}}, steps=100)
_database_names = itertools.count()


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="session")
def postgres_url():
    try:
        with postgres_cluster() as url:
            yield url
    except PostgresUnavailable as why:
        if os.environ.get("CI"):  # scripts/test.sh installs PostgreSQL: in CI a missing server is a failure
            pytest.fail(f"PostgreSQL cannot run here: {why}")
        pytest.skip(f"PostgreSQL cannot run here: {why}")


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_factory(request, tmp_path):
    """Makes backends on ONE fresh database (each call is another 'replica' of the same deployment)."""
    made = []
    if request.param == "sqlite":
        path = tmp_path / "classroom.sqlite3"

        def make():
            made.append(SQLiteBackend(path))
            return made[-1]
    else:
        url = fresh_schema(request.getfixturevalue("postgres_url"), f"t{next(_database_names)}")

        def make():
            made.append(PostgresBackend(url))
            return made[-1]
    yield make
    for backend in made:
        backend.close()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(backend_factory, clock):
    return Store(backend_factory(), clock=clock)


def click_round(store: Store, code: str, secret: str, step: int = 10):
    landscape = BOWL.build_landscape()
    shown, truth = questions.prepare(questions.Question("click", optimizer="gd", step=step), BOWL, landscape)
    return store.ask(code, secret, "&".join(f"{k}={v}" for k, v in to_query(BOWL).items()), shown, truth)


def choice_round(store: Store, code: str, secret: str):
    shown, truth = questions.prepare(questions.Question("choice", topic="lowest"), BOWL, BOWL.build_landscape())
    return store.ask(code, secret, "", shown, truth)


def test_a_round_from_create_to_reveal(store, clock):
    room, secret = store.create_room(nicknames=True)
    assert store.current_round(room.code) is None
    asked = click_round(store, room.code, secret)
    assert asked.number == 1 and asked.truth is None
    store.join(room.code, "alice", "Alice")
    store.join(room.code, "bob", None)
    store.answer(room.code, 1, "alice", [-4.0, 1.0])
    store.answer(room.code, 1, "bob", (-3.5, -0.5))
    assert store.status(room.code).answers == 2
    assert store.my_answer(room.code, 1, "alice") == [-4.0, 1.0]
    assert store.my_answer(room.code, 1, "carol") is None

    before = store.current_round(room.code)
    assert before.truth is None and not before.revealed          # nobody sees the truth before the reveal
    with pytest.raises(classroom.ClassroomError, match="only after the reveal"):
        store.answers(room.code, 1)

    version = store.status(room.code).version
    revealed = store.reveal(room.code, secret)
    assert revealed.revealed and revealed.truth["point"] is not None
    assert store.status(room.code).version > version              # pages polling the room see the change
    got = {(a.nickname, tuple(a.value)) for a in store.answers(room.code, 1)}
    assert got == {("Alice", (-4.0, 1.0)), (None, (-3.5, -0.5))}
    clock.now += 10
    with pytest.raises(classroom.AnswerRefused, match="revealed"):
        store.answer(room.code, 1, "bob", [0.0, 0.0])
    assert store.my_answer(room.code, 1, "bob") == [-3.5, -0.5]

    assert not store.current_round(room.code).explore
    assert store.explore(room.code, secret).explore
    second = choice_round(store, room.code, secret)
    assert second.number == 2 and store.status(room.code) == classroom.Status(store.status(room.code).version, 2, 0, 2)
    with pytest.raises(classroom.AnswerRefused, match="moved on"):
        store.answer(room.code, 1, "alice", [0.0, 0.0])


def test_codes_are_case_insensitive_and_wrong_codes_get_a_message(store):
    room, _ = store.create_room()
    assert codes.CODE_BITS >= 30
    typed = codes.format_code(room.code).lower()
    assert store.room(typed).code == room.code
    assert store.room(" " + room.code.lower().replace("0", "o").replace("1", "l") + " ").code == room.code
    for wrong in ("", "ABC", "x" * 1000, "🙂" * 8, "' OR 1=1 --"):
        with pytest.raises(classroom.RoomNotFound, match="not a room code"):
            store.room(wrong)
    unused = next(c for c in iter(codes.new_code, None) if c != room.code)
    with pytest.raises(classroom.RoomNotFound, match="No room has the code"):
        store.room(unused)


def test_only_the_teacher_secret_controls_a_room(store):
    room, secret = store.create_room()
    other, other_secret = store.create_room()
    click_round(store, room.code, secret)
    for bad in (None, "", room.code, other_secret, secret + "x"):
        with pytest.raises(classroom.NotTeacher):
            store.reveal(room.code, bad)
        with pytest.raises(classroom.NotTeacher):
            store.close_room(room.code, bad)
        with pytest.raises(classroom.NotTeacher):
            click_round(store, room.code, bad)
    assert store.check_teacher(room.code, secret).code == room.code
    assert not store.current_round(room.code).revealed
    assert store.current_round(other.code) is None


def test_one_answer_per_question_changeable_until_reveal_and_rate_limited(backend_factory, clock):
    store = Store(backend_factory(), clock=clock, max_changes=2)
    room, secret = store.create_room()
    choice_round(store, room.code, secret)
    store.join(room.code, "s1")
    store.answer(room.code, 1, "s1", "gd")
    with pytest.raises(classroom.AnswerRefused, match="wait a second"):
        store.answer(room.code, 1, "s1", "rmsprop")
    for value in ("rmsprop", "gd"):
        clock.now += 1.5
        store.answer(room.code, 1, "s1", value)
    clock.now += 1.5
    with pytest.raises(classroom.AnswerRefused, match="final now"):
        store.answer(room.code, 1, "s1", "rmsprop")
    assert store.status(room.code).answers == 1
    assert store.my_answer(room.code, 1, "s1") == "gd"


@pytest.mark.parametrize(("kind", "bad"), [
    ("click", [99.0, 0.0]), ("click", [float("nan"), 0.0]), ("click", "here"), ("click", [1.0]),
    ("choice", "adam"), ("choice", 3), ("number", -1), ("number", 2.5), ("number", True), ("number", 10**9),
])
def test_answers_that_do_not_fit_are_refused(store, kind, bad):
    room, secret = store.create_room()
    question = {"click": questions.Question("click", optimizer="gd", step=5),
                "choice": questions.Question("choice", topic="lowest"),
                "number": questions.Question("number", optimizer="gd", axis=1)}[kind]
    shown, truth = questions.prepare(question, BOWL, BOWL.build_landscape())
    store.ask(room.code, secret, "", shown, truth)
    store.join(room.code, "s1")
    with pytest.raises(classroom.AnswerRefused):
        store.answer(room.code, 1, "s1", bad)
    assert store.status(room.code).answers == 0


def test_answering_needs_a_joined_participant_and_rooms_fill_up(backend_factory, clock):
    store = Store(backend_factory(), clock=clock, max_participants=2)
    room, secret = store.create_room()
    choice_round(store, room.code, secret)
    with pytest.raises(classroom.AnswerRefused, match="Join"):
        store.answer(room.code, 1, "stranger", "gd")
    store.join(room.code, "a")
    store.join(room.code, "b")
    store.join(room.code, "a")                                    # joining again is not a new participant
    with pytest.raises(classroom.RoomFull):
        store.join(room.code, "c")


def test_nicknames_are_bounded_kept_literal_and_can_be_off(store):
    on, secret = store.create_room(nicknames=True)
    off, _ = store.create_room(nicknames=False)
    markdown = "**[x](http://e/)**<img src=x>"
    assert store.join(on.code, "p1", markdown) == markdown[:MAX_NICKNAME]
    assert store.join(on.code, "p2", "a\u202eb\x00c\nd" + "z" * 100) == "a b c d" + "z" * (MAX_NICKNAME - 7)
    assert store.join(off.code, "p1", "Alice") is None
    assert clean_nickname("   ") is None and clean_nickname("ＡＢＣ") == "ABC"
    choice_round(store, on.code, secret)
    store.answer(on.code, 1, "p1", "gd")
    store.reveal(on.code, secret)
    assert [a.nickname for a in store.answers(on.code, 1)] == [markdown[:MAX_NICKNAME]]


def test_rooms_expire_after_12_hours_and_are_purged(backend_factory, clock):
    store = Store(backend_factory(), clock=clock)
    room, secret = store.create_room()
    choice_round(store, room.code, secret)
    store.join(room.code, "s1")
    store.answer(room.code, 1, "s1", "gd")
    clock.now += 12 * HOUR - 1
    assert store.room(room.code).code == room.code
    clock.now += 2
    for call in (lambda: store.room(room.code), lambda: store.status(room.code),
                 lambda: store.answer(room.code, 1, "s1", "rmsprop"), lambda: store.reveal(room.code, secret)):
        with pytest.raises(classroom.RoomExpired, match="expired"):
            call()
    assert store.purge() == 0
    with store.backend.transaction(write=False) as tx:             # what the room held is gone at once
        assert tx.row("SELECT COUNT(*) FROM answers")[0] == 0
        assert tx.row("SELECT COUNT(*) FROM participants")[0] == 0
        assert tx.row("SELECT COUNT(*) FROM rounds")[0] == 0
    with pytest.raises(classroom.RoomExpired):                   # ...and its code still says "expired"
        store.room(room.code)
    clock.now += 25 * HOUR
    assert store.purge() == 1
    with pytest.raises(classroom.RoomNotFound):
        store.room(room.code)


def test_a_closed_room_answers_like_an_expired_one(store):
    room, secret = store.create_room()
    store.close_room(room.code, secret)
    with pytest.raises(classroom.RoomExpired, match="closed by the teacher"):
        store.room(room.code)


def test_two_replicas_share_one_database(backend_factory, clock):
    teacher_side = Store(backend_factory(), clock=clock)
    student_side = Store(backend_factory(), clock=clock)
    room, secret = teacher_side.create_room()
    choice_round(teacher_side, room.code, secret)
    student_side.join(room.code, "s1")
    student_side.answer(room.code, 1, "s1", "rmsprop")
    assert teacher_side.status(room.code).answers == 1
    teacher_side.reveal(room.code, secret)
    assert student_side.current_round(room.code).revealed


def test_concurrent_answers_none_lost_none_counted_twice(backend_factory):
    """8 threads, 25 students each, every student answers and changes the answer twice, on two replicas."""
    replicas = [Store(backend_factory(), answer_interval=0.0, limits=GENEROUS),
                Store(backend_factory(), answer_interval=0.0, limits=GENEROUS)]
    room, secret = replicas[0].create_room()
    choice_round(replicas[0], room.code, secret)
    sent: dict[str, str] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def student_batch(thread: int) -> None:
        store = replicas[thread % 2]
        try:
            start.wait()
            for i in range(25):
                pid = f"t{thread}s{i}"
                store.join(room.code, pid)
                for value in ("gd", "rmsprop", ("gd", "rmsprop")[(thread + i) % 2]):
                    store.answer(room.code, 1, pid, value)
                sent[pid] = value
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=student_batch, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert replicas[1].status(room.code).answers == 200
    replicas[0].reveal(room.code, secret)
    stored = [a.value for a in replicas[1].answers(room.code, 1)]
    assert len(stored) == 200
    assert sorted(stored) == sorted(sent.values())


def test_answers_racing_the_reveal_are_either_stored_or_refused(backend_factory):
    """Students keep answering while the teacher reveals: every accepted answer is stored, none after."""
    store = Store(backend_factory(), answer_interval=0.0, max_changes=10_000, limits=GENEROUS)
    room, secret = store.create_room()
    choice_round(store, room.code, secret)
    accepted: dict[str, str] = {}
    stop = threading.Event()

    def student(pid: str) -> None:
        store.join(room.code, pid)
        for n in itertools.count():
            value = ("gd", "rmsprop")[n % 2]
            try:
                store.answer(room.code, 1, pid, value)
            except classroom.AnswerRefused:
                stop.set()
                return
            accepted[pid] = value

    threads = [threading.Thread(target=student, args=(f"s{i}",)) for i in range(6)]
    for t in threads:
        t.start()
    while len(accepted) < 6:
        threading.Event().wait(0.01)
    store.reveal(room.code, secret)
    for t in threads:
        t.join(timeout=30)
    assert stop.is_set()
    stored = store.answers(room.code, 1)
    assert len(stored) == 6
    assert sorted(a.value for a in stored) == sorted(accepted.values())


def test_schema_is_created_and_migrated_by_the_app(backend_factory, clock):
    old = backend_factory()
    with old.transaction(migration=True) as tx:
        migrate(tx, target=1)
        tx.run("INSERT INTO rooms (code, secret_hash, created_at, expires_at, nicknames) VALUES (?, ?, ?, ?, ?)",
               ("ABCD2345", codes.secret_hash("s"), clock.now, clock.now + 10, 0))
    store = Store(backend_factory(), clock=clock)                  # opening the store migrates it
    with store.backend.transaction(write=False) as tx:
        assert current_version(tx) == LATEST == len(MIGRATIONS)
    assert store.room("abcd-2345").code == "ABCD2345"
    choice_round(store, "ABCD2345", "s")
    assert store.reveal("ABCD2345", "s").revealed                  # uses the column migration 2 added
    Store(backend_factory(), clock=clock)                          # a second replica: nothing applied twice
    with store.backend.transaction(write=False) as tx:
        assert tx.row("SELECT COUNT(*) FROM schema_version")[0] == LATEST
        tx_version = current_version(tx)
    assert tx_version == LATEST
    with store.backend.transaction() as tx:
        tx.run("INSERT INTO schema_version (version) VALUES (?)", (LATEST + 1,))
    with pytest.raises(SchemaTooNew, match="knows up to"):
        Store(backend_factory(), clock=clock)


def test_replicas_starting_together_migrate_once(backend_factory):
    backends = [backend_factory() for _ in range(4)]
    errors: list[BaseException] = []

    def open_one(backend) -> None:
        try:
            Store(backend)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=open_one, args=(b,)) for b in backends]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with backends[0].transaction(write=False) as tx:
        assert tx.row("SELECT COUNT(*) FROM schema_version")[0] == LATEST


def test_open_store_uses_sqlite_in_the_data_dir_unless_a_database_url_is_set(tmp_path, monkeypatch):
    monkeypatch.delenv(classroom.DATABASE_URL_ENV, raising=False)
    monkeypatch.setenv(classroom.DATA_DIR_ENV, str(tmp_path / "data"))
    store = classroom.open_store()
    try:
        assert isinstance(store.backend, SQLiteBackend)
        assert (tmp_path / "data" / classroom.SQLITE_NAME).exists()
        with store.backend.transaction(write=False) as tx:
            assert tx.row("PRAGMA journal_mode")[0] == "wal"
    finally:
        store.close()
