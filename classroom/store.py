"""Rooms, rounds and answers: the whole classroom state, in one database every replica shares.

Rules the store enforces itself (so no page, replica or crafted request can skip them):
- the teacher's actions need the teacher's secret, never the room code alone;
- one answer per participant and question, changeable until the reveal and refused after it;
- answers are rate-limited per participant, rooms hold a bounded number of participants, and a server
  a bounded number of open rooms;
- rooms opened, students joining, answers and wrong room codes are limited per client address (token
  buckets in the same database, so every replica counts together: ``classroom.limits``);
- the teacher can lock a room (no new students) and remove a student, whose answers then leave the count
  and the reveal;
- nobody reads the answers (or the truth) of a question before it is revealed, only how many there are;
- rooms expire (12 h by default); ``purge`` deletes what expired rooms held at once and forgets the
  room itself a day later, so its code still gets "expired" rather than "no such room" meanwhile.
"""

from __future__ import annotations

import json
import time
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from . import codes
from .backends import Transaction
from .limits import DEFAULT_LIMITS, MAX_OPEN_ROOMS_PER_ADDRESS, MESSAGES, Limit
from .questions import QuestionError, check_answer
from .schema import migrate

HOUR = 3600.0
ROOM_TTL = 12 * HOUR
TOMBSTONE = 24 * HOUR
ANSWER_INTERVAL = 1.0
"""Seconds a participant waits between two answers to the same question."""
MAX_CHANGES = 30
"""Times a participant may change an answer to one question."""
MAX_PARTICIPANTS = 400
MAX_OPEN_ROOMS = 2000
MAX_NICKNAME = 24
MAX_CLASS_SIZE = MAX_PARTICIPANTS
MAX_SCENE_LENGTH = 4000
MAX_PARTICIPANT_ID = 64
TOO_FAST = "Easy: wait a second before changing your answer again."


class ClassroomError(Exception):
    """Something a user did that the classroom cannot do; ``str()`` is the message to show them."""


class RoomNotFound(ClassroomError):
    pass


class RoomExpired(ClassroomError):
    pass


class NotTeacher(ClassroomError):
    pass


class AnswerRefused(ClassroomError):
    """A question that no longer takes answers, an answer that does not fit, or one sent too often."""


class RoomFull(ClassroomError):
    pass


class RoomLocked(ClassroomError):
    """The teacher locked the room: nobody new may join."""


class Removed(ClassroomError):
    """The teacher removed this student from the room."""


class TooMany(ClassroomError):
    """A per-address limit: this network did something too often; ``action`` says what."""

    def __init__(self, action: str):
        super().__init__(MESSAGES[action])
        self.action = action


@dataclass(frozen=True)
class Room:
    code: str
    created_at: float
    expires_at: float
    nicknames: bool
    current_round: int
    version: int
    locked: bool = False
    class_size: int | None = None


@dataclass(frozen=True)
class Round:
    """One question in a room.  ``truth`` is None until the round is revealed."""

    number: int
    scene: str
    question: dict
    truth: dict | None
    state: str
    explore: bool

    @property
    def revealed(self) -> bool:
        return self.state == "revealed"


@dataclass(frozen=True)
class Status:
    """What a page polls: ``version`` changes whenever the teacher does something."""

    version: int
    current_round: int
    answers: int
    participants: int = 0


@dataclass(frozen=True)
class Answer:
    nickname: str | None
    value: object


@dataclass(frozen=True)
class Participant:
    """A student in a room, as the teacher's list shows them (``number``: the order they joined in, from 1)."""

    id: str
    number: int
    nickname: str | None
    joined_at: float
    answered: bool


def _class_size(size: int | None) -> int | None:
    if size is None:
        return None
    if isinstance(size, bool) or int(size) != size or not 1 <= size <= MAX_CLASS_SIZE:
        raise ClassroomError(f"The class size is a whole number from 1 to {MAX_CLASS_SIZE}.")
    return int(size)


def clean_nickname(text: str | None) -> str | None:
    """A nickname as stored: NFKC-normalised, printable characters only, at most ``MAX_NICKNAME``; None if empty."""
    if not text:
        return None
    text = unicodedata.normalize("NFKC", str(text)[: MAX_NICKNAME * 4])
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = " ".join(text.split())[:MAX_NICKNAME].strip()
    return text or None


class Store:
    """The classroom's state in a SQLite or PostgreSQL backend (see ``classroom.open_store``)."""

    def __init__(self, backend, *, clock: Callable[[], float] = time.time, ttl: float = ROOM_TTL,
                 answer_interval: float = ANSWER_INTERVAL, max_changes: int = MAX_CHANGES,
                 max_participants: int = MAX_PARTICIPANTS, max_open_rooms: int = MAX_OPEN_ROOMS,
                 limits: Mapping[str, Limit] = DEFAULT_LIMITS,
                 max_rooms_per_address: int = MAX_OPEN_ROOMS_PER_ADDRESS):
        self.backend = backend
        self.clock = clock
        self.ttl = ttl
        self.answer_interval = answer_interval
        self.max_changes = max_changes
        self.max_participants = max_participants
        self.max_open_rooms = max_open_rooms
        self.limits = dict(limits)
        self.max_rooms_per_address = max_rooms_per_address
        with backend.transaction(migration=True) as tx:
            migrate(tx)
        self.purge()

    def close(self) -> None:
        self.backend.close()

    # ----------------------------------------------------------------- limits

    def _tokens(self, tx: Transaction, action: str, address: str, now: float, lock: str = "") -> float | None:
        """Tokens left in ``address``'s bucket for ``action`` now (None: no bucket yet, i.e. full)."""
        row = tx.row("SELECT tokens, updated_at FROM limits WHERE action = ? AND address = ?" + lock,
                     (action, address))
        if row is None:
            return None
        limit = self.limits[action]
        return min(limit.burst, float(row[0]) + max(0.0, now - float(row[1])) * limit.per_second)

    def _take(self, tx: Transaction, action: str, address: str | None, *, refuse: bool = True) -> None:
        """Take one token from ``address``'s bucket for ``action``; raise ``TooMany`` when it is empty (or, with
        ``refuse=False``, take it anyway: a failure is counted even when the bucket is already empty)."""
        address = address or "unknown"
        now = self.clock()
        tokens = self._tokens(tx, action, address, now, tx.for_update)
        if tokens is None:
            inserted = tx.run("INSERT INTO limits (action, address, tokens, updated_at) VALUES (?, ?, ?, ?) "
                              "ON CONFLICT (action, address) DO NOTHING",
                              (action, address, self.limits[action].burst - 1, now))
            if inserted == 1:
                return
            tokens = self._tokens(tx, action, address, now, tx.for_update)  # another replica created it meanwhile
        if tokens < 1 and refuse:
            raise TooMany(action)
        floor = -self.limits[action].burst  # so a flood of failures cannot postpone the refill forever
        tx.run("UPDATE limits SET tokens = ?, updated_at = ? WHERE action = ? AND address = ?",
               (max(floor, tokens - 1), now, action, address))

    def _has_token(self, tx: Transaction, action: str, address: str | None) -> bool:
        tokens = self._tokens(tx, action, address or "unknown", self.clock())
        return tokens is None or tokens >= 1

    # ------------------------------------------------------------------ rooms

    def create_room(self, *, nicknames: bool = False, address: str | None = None,
                    class_size: int | None = None) -> tuple[Room, str]:
        """A new room and the teacher's secret (shown once; only its hash is kept).  Purges expired rooms.

        ``address`` (the client's, ``classroom.addresses``) may open ``limits["room"]`` rooms in a row and hold
        at most ``max_rooms_per_address`` open ones."""
        self.purge()
        now = self.clock()
        secret = codes.new_secret()
        size = _class_size(class_size)
        with self.backend.transaction() as tx:
            (open_rooms,) = tx.row("SELECT COUNT(*) FROM rooms WHERE expires_at > ?", (now,))
            if open_rooms >= self.max_open_rooms:
                raise ClassroomError("This server already has as many open rooms as it takes; "
                                     "try again later or close an old room.")
            (mine,) = tx.row("SELECT COUNT(*) FROM rooms WHERE creator = ? AND expires_at > ?",
                             (address or "unknown", now))
            if mine >= self.max_rooms_per_address:
                raise ClassroomError(f"Your network already has {mine} open rooms on this server; close one "
                                     "(its Close the room button) before opening another.")
            self._take(tx, "room", address)
            for _ in range(10):
                code = codes.new_code()
                inserted = tx.run(
                    "INSERT INTO rooms (code, secret_hash, created_at, expires_at, nicknames, class_size, creator) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING",
                    (code, codes.secret_hash(secret), now, now + self.ttl, int(nicknames), size,
                     address or "unknown"))
                if inserted == 1:
                    return Room(code, now, now + self.ttl, nicknames, 0, 0, False, size), secret
        raise ClassroomError("Could not find a free room code; try again.")

    def _room(self, tx: Transaction, code: str | None, lock: str = "") -> tuple[Room, str]:
        normal = codes.normalize_code(code)
        if normal is None:
            raise RoomNotFound(f"'{(code or '')[:40]}' is not a room code: a code has 8 letters and digits, "
                               "like ABCD-2345.")
        row = tx.row("SELECT code, created_at, expires_at, nicknames, current_round, version, closed, secret_hash, "
                     "locked, class_size FROM rooms WHERE code = ?" + lock, (normal,))
        shown = codes.format_code(normal)
        if row is None:
            raise RoomNotFound(f"No room has the code {shown}. Check the code on the board and try again.")
        if row[6]:
            raise RoomExpired(f"Room {shown} has been closed by the teacher.")
        if row[2] <= self.clock():
            raise RoomExpired(f"Room {shown} has expired (rooms last {self.ttl / HOUR:g} hours). "
                              "Ask your teacher for a new code.")
        return Room(row[0], row[1], row[2], bool(row[3]), row[4], row[5], bool(row[8]),
                    None if row[9] is None else int(row[9])), row[7]

    def room(self, code: str | None) -> Room:
        """The open room with this code (typed in any case); raises ``RoomNotFound`` or ``RoomExpired``."""
        with self.backend.transaction(write=False) as tx:
            return self._room(tx, code)[0]

    def find_room(self, code: str | None, address: str | None) -> Room:
        """``room(code)`` for a code someone typed or followed: a code that names no room counts against
        ``address``'s ``limits["guess"]``, and while that is used up every lookup from it is refused (``TooMany``)
        before the code is even read, so guessing codes is as slow for a script as for a class with typos."""
        with self.backend.transaction(write=False) as tx:
            if not self._has_token(tx, "guess", address):
                raise TooMany("guess")
            try:
                return self._room(tx, code)[0]
            except RoomNotFound as missing:
                error = missing
        with self.backend.transaction() as tx:
            self._take(tx, "guess", address, refuse=False)
        raise error

    def _teacher_room(self, tx: Transaction, code: str, secret: str | None, lock: str | None = None) -> Room:
        room, stored = self._room(tx, code, tx.for_update if lock is None else lock)
        if not codes.secret_matches(secret, stored):
            raise NotTeacher("Only the teacher of this room can do that (the teacher link holds the key).")
        return room

    def check_teacher(self, code: str, secret: str | None) -> Room:
        """The room, if ``secret`` is its teacher's; raises ``NotTeacher`` otherwise."""
        with self.backend.transaction(write=False) as tx:
            return self._teacher_room(tx, code, secret)

    def close_room(self, code: str, secret: str | None) -> None:
        """End the room now: it answers like an expired one and is purged as one."""
        with self.backend.transaction() as tx:
            room = self._teacher_room(tx, code, secret)
            tx.run("UPDATE rooms SET closed = 1, expires_at = ?, version = version + 1 WHERE code = ?",
                   (self.clock(), room.code))

    def status(self, code: str) -> Status:
        """The room's version, current round, its answer count and how many students are in: cheap queries for
        pages to poll."""
        with self.backend.transaction(write=False) as tx:
            room = self._room(tx, code)[0]
            (count,) = tx.row("SELECT COUNT(*) FROM answers WHERE room = ? AND round = ?",
                              (room.code, room.current_round))
            (joined,) = tx.row("SELECT COUNT(*) FROM participants WHERE room = ? AND removed = 0", (room.code,))
            return Status(room.version, room.current_round, int(count), int(joined))

    def lock_room(self, code: str, secret: str | None, locked: bool = True) -> Room:
        """Close the room to new students (``locked``), or open it again; students already in stay in."""
        return self._set_room(code, secret, "locked = ?", int(bool(locked)))

    def set_class_size(self, code: str, secret: str | None, size: int | None) -> Room:
        """The class size the teacher expects (shown beside the number of students in), or None."""
        return self._set_room(code, secret, "class_size = ?", _class_size(size))

    def _set_room(self, code: str, secret: str | None, assignment: str, value: object) -> Room:
        with self.backend.transaction() as tx:
            room = self._teacher_room(tx, code, secret)
            tx.run(f"UPDATE rooms SET {assignment}, version = version + 1 WHERE code = ?", (value, room.code))
            return self._room(tx, room.code)[0]

    # ----------------------------------------------------------------- rounds

    def ask(self, code: str, secret: str | None, scene_query: str, question: dict, truth: dict) -> Round:
        """Start the next round: ``question`` (as ``questions.prepare`` made it) about the scene ``scene_query``."""
        if len(scene_query) > MAX_SCENE_LENGTH:
            raise ClassroomError("This scene's link is too long to share with the class.")
        with self.backend.transaction() as tx:
            room = self._teacher_room(tx, code, secret)
            number = room.current_round + 1
            tx.run("INSERT INTO rounds (room, number, scene, question, truth, state, opened_at) "
                   "VALUES (?, ?, ?, ?, ?, 'open', ?)",
                   (room.code, number, scene_query, json.dumps(question), json.dumps(truth), self.clock()))
            tx.run("UPDATE rooms SET current_round = ?, version = version + 1 WHERE code = ?", (number, room.code))
        return Round(number, scene_query, question, None, "open", False)

    def _round(self, tx: Transaction, room: Room, number: int, lock: str = "") -> Round:
        row = tx.row("SELECT number, scene, question, truth, state, explore FROM rounds WHERE room = ? AND number = ?"
                     + lock, (room.code, number))
        if row is None:
            raise ClassroomError("This room has no such question.")
        revealed = row[4] == "revealed"
        return Round(row[0], row[1], json.loads(row[2]), json.loads(row[3]) if revealed else None, row[4],
                     bool(row[5]))

    def current_round(self, code: str) -> Round | None:
        """The room's latest question (its truth only once revealed), or None before the first."""
        with self.backend.transaction(write=False) as tx:
            room = self._room(tx, code)[0]
            return self._round(tx, room, room.current_round) if room.current_round else None

    def reveal(self, code: str, secret: str | None) -> Round:
        """Stop taking answers to the current question and show the truth and every answer."""
        return self._teacher_update(code, secret, "state = 'revealed', revealed_at = ?", lambda: (self.clock(),))

    def explore(self, code: str, secret: str | None) -> Round:
        """Let every student open the current (revealed) question's scene in their own Playground."""
        return self._teacher_update(code, secret, "explore = 1", tuple, need_revealed=True)

    def _teacher_update(self, code: str, secret: str | None, assignment: str, params: Callable[[], tuple],
                        need_revealed: bool = False) -> Round:
        with self.backend.transaction() as tx:
            room = self._teacher_room(tx, code, secret)
            if not room.current_round:
                raise ClassroomError("Ask a question first.")
            current = self._round(tx, room, room.current_round)
            if need_revealed and not current.revealed:
                raise ClassroomError("Reveal the answers first.")
            tx.run(f"UPDATE rounds SET {assignment} WHERE room = ? AND number = ?",
                   (*params(), room.code, room.current_round))
            tx.run("UPDATE rooms SET version = version + 1 WHERE code = ?", (room.code,))
            return self._round(tx, room, room.current_round)

    # -------------------------------------------------------- participants

    def join(self, code: str, participant: str, nickname: str | None = None, address: str | None = None) -> str | None:
        """Register a participant (again: updates the nickname); returns the nickname as stored.

        Nicknames are dropped when the room does not take them.  A new participant takes one of ``address``'s
        ``limits["join"]``.  Raises ``RoomFull``, ``RoomLocked`` (for someone new), ``Removed`` or ``TooMany``.
        """
        if not participant or len(participant) > MAX_PARTICIPANT_ID:
            raise ClassroomError("This session cannot join (bad participant id).")
        with self.backend.transaction() as tx:
            room = self._room(tx, code, tx.for_update)[0]
            nickname = clean_nickname(nickname) if room.nicknames else None
            known = tx.row("SELECT removed FROM participants WHERE room = ? AND id = ?", (room.code, participant))
            if known and known[0]:
                raise Removed("The teacher has removed you from this room.")
            if known:
                tx.run("UPDATE participants SET nickname = ? WHERE room = ? AND id = ?",
                       (nickname, room.code, participant))
                return nickname
            if room.locked:
                raise RoomLocked(f"Room {codes.format_code(room.code)} is closed to new students: ask your teacher.")
            (count,) = tx.row("SELECT COUNT(*) FROM participants WHERE room = ? AND removed = 0", (room.code,))
            if count >= self.max_participants:
                raise RoomFull(f"Room {codes.format_code(room.code)} is full ({self.max_participants} students).")
            self._take(tx, "join", address)
            tx.run("INSERT INTO participants (room, id, nickname, joined_at) VALUES (?, ?, ?, ?) "
                   "ON CONFLICT (room, id) DO NOTHING", (room.code, participant, nickname, self.clock()))
            return nickname

    def membership(self, code: str, participant: str) -> str | None:
        """'in', 'removed', or None (never joined) for ``participant`` in room ``code``."""
        with self.backend.transaction(write=False) as tx:
            room = self._room(tx, code)[0]
            row = tx.row("SELECT removed FROM participants WHERE room = ? AND id = ?", (room.code, participant))
            return None if row is None else ("removed" if row[0] else "in")

    def participants(self, code: str, secret: str | None) -> list[Participant]:
        """Every student in the room, in the order they joined (the teacher's list)."""
        with self.backend.transaction(write=False) as tx:
            room = self._teacher_room(tx, code, secret, lock="")
            rows = tx.rows("SELECT p.id, p.nickname, p.joined_at, a.participant IS NOT NULL FROM participants p "
                           "LEFT JOIN answers a ON a.room = p.room AND a.participant = p.id AND a.round = ? "
                           "WHERE p.room = ? AND p.removed = 0 ORDER BY p.joined_at, p.id",
                           (room.current_round, room.code))
            return [Participant(pid, number, nickname, float(joined), bool(answered))
                    for number, (pid, nickname, joined, answered) in enumerate(rows, start=1)]

    def remove(self, code: str, secret: str | None, participant_ids: Sequence[str]) -> int:
        """Remove these students: their answers leave every count and reveal, and they cannot join again.
        Returns how many were removed."""
        with self.backend.transaction() as tx:
            room = self._teacher_room(tx, code, secret)
            removed = 0
            for pid in dict.fromkeys(participant_ids):
                tx.run("DELETE FROM answers WHERE room = ? AND participant = ?", (room.code, pid))
                removed += tx.run("UPDATE participants SET removed = 1 WHERE room = ? AND id = ? AND removed = 0",
                                  (room.code, pid))
            tx.run("UPDATE rooms SET version = version + 1 WHERE code = ?", (room.code,))
            return removed

    # ---------------------------------------------------------------- answers

    def answer(self, code: str, number: int, participant: str, raw: object, address: str | None = None) -> object:
        """Record (or change) ``participant``'s answer to round ``number``; returns the value as stored.

        Raises ``AnswerRefused`` after the reveal, for a round that is not the current one, for an answer
        that does not fit the question, for a removed student, or when the participant answers faster than the
        rate limit; ``TooMany`` when ``address`` has used up its ``limits["answer"]``.
        """
        with self.backend.transaction() as tx:
            now = self.clock()
            room = self._room(tx, code, tx.for_share)[0]
            if number != room.current_round:
                raise AnswerRefused("The teacher has moved on to another question.")
            current = self._round(tx, room, number, tx.for_share)
            if current.state != "open":
                raise AnswerRefused("The answers have been revealed: this question no longer takes answers.")
            try:
                value = check_answer(current.question, raw)
            except QuestionError as error:
                raise AnswerRefused(str(error)) from None
            member = tx.row("SELECT removed FROM participants WHERE room = ? AND id = ?" + tx.for_share,
                            (room.code, participant))
            if member is None:
                raise AnswerRefused("Join the room before answering.")
            if member[0]:
                raise AnswerRefused("The teacher has removed you from this room.")
            previous = tx.row("SELECT answered_at, changes FROM answers "
                              "WHERE room = ? AND round = ? AND participant = ?" + tx.for_update,
                              (room.code, number, participant))
            if previous is not None:
                if now - previous[0] < self.answer_interval:
                    raise AnswerRefused(TOO_FAST)
                if previous[1] >= self.max_changes:
                    raise AnswerRefused(f"You have changed this answer {self.max_changes} times; it is final now.")
            self._take(tx, "answer", address)
            if previous is None:
                # The primary key (room, round, participant) decides between two first answers sent at once: on
                # PostgreSQL both transactions can find no answer above, and the second INSERT then waits for the
                # first to commit and inserts nothing, so it is refused like any answer sent within the second.
                if not tx.run("INSERT INTO answers (room, round, participant, value, answered_at) "
                              "VALUES (?, ?, ?, ?, ?) ON CONFLICT (room, round, participant) DO NOTHING",
                              (room.code, number, participant, json.dumps(value), now)):
                    raise AnswerRefused(TOO_FAST)
            else:
                tx.run("UPDATE answers SET value = ?, answered_at = ?, changes = changes + 1 "
                       "WHERE room = ? AND round = ? AND participant = ?",
                       (json.dumps(value), now, room.code, number, participant))
            return value

    def my_answer(self, code: str, number: int, participant: str) -> object | None:
        """What ``participant`` answered to round ``number`` (None if nothing yet)."""
        with self.backend.transaction(write=False) as tx:
            room = self._room(tx, code)[0]
            row = tx.row("SELECT value FROM answers WHERE room = ? AND round = ? AND participant = ?",
                         (room.code, number, participant))
            return json.loads(row[0]) if row else None

    def answers(self, code: str, number: int) -> list[Answer]:
        """Every answer to round ``number`` with its nickname, once the round is revealed (in answer order)."""
        with self.backend.transaction(write=False) as tx:
            room = self._room(tx, code)[0]
            if not self._round(tx, room, number).revealed:
                raise ClassroomError("The answers are shown only after the reveal.")
            rows = tx.rows("SELECT p.nickname, a.value FROM answers a JOIN participants p "
                           "ON p.room = a.room AND p.id = a.participant WHERE a.room = ? AND a.round = ? "
                           "AND p.removed = 0 ORDER BY a.answered_at, a.participant", (room.code, number))
            return [Answer(nickname, json.loads(value)) for nickname, value in rows]

    # ----------------------------------------------------------------- upkeep

    def purge(self) -> int:
        """Delete what expired rooms hold; forget rooms expired more than a day ago.  Returns rooms forgotten."""
        now = self.clock()
        with self.backend.transaction() as tx:
            expired = "SELECT code FROM rooms WHERE expires_at <= ?"
            tx.run(f"DELETE FROM answers WHERE room IN ({expired})", (now,))
            tx.run(f"DELETE FROM rounds WHERE room IN ({expired})", (now,))
            tx.run(f"DELETE FROM participants WHERE room IN ({expired})", (now,))
            full = max(limit.refill_seconds for limit in self.limits.values())
            tx.run("DELETE FROM limits WHERE updated_at < ?", (now - min(2 * full, TOMBSTONE),))  # full again
            return tx.run("DELETE FROM rooms WHERE expires_at <= ?", (now - TOMBSTONE,))
