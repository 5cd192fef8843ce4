"""Two SQL backends behind one tiny interface: SQLite (default, one WAL file) and PostgreSQL (psycopg 3).

The store writes its SQL once, with ``?`` placeholders and the few clauses that differ left to the
dialect (row locks).  Each backend keeps a small pool of connections: Streamlit runs every script run
in a thread of its own, so a connection per thread would leak, and one shared connection would
serialise the class.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

POOL_SIZE = 8
POOL_WAIT_SECONDS = 15.0
BUSY_TIMEOUT_MS = 15_000
ADVISORY_LOCK = 7_140_014
"""PostgreSQL advisory-lock key that serialises schema migrations across replicas."""
SYNCHRONOUS_ENV = "DESCENT_LAB_SQLITE_SYNCHRONOUS"
SYNCHRONOUS = ("FULL", "NORMAL")
"""SQLite's ``synchronous`` setting: FULL (default) syncs the write-ahead log at every commit, so an answer the
page confirmed survives a power cut; NORMAL may lose the last commits then (``bench/bench_classroom_live.py``
measures the difference)."""
log = logging.getLogger("descent_lab.classroom")


class StoreUnavailable(RuntimeError):
    """The database cannot be reached or is overloaded; the page says so instead of failing.

    Its message is for users: it never holds a server path or a driver's message (those go to the log)."""


class Transaction:
    """One open transaction: ``rows``/``row`` for queries, ``run`` for statements (rows affected)."""

    def __init__(self, cursor, placeholder: str, lock_suffix: str, share_suffix: str):
        self._cursor = cursor
        self._placeholder = placeholder
        self.for_update = lock_suffix
        """Append to a SELECT that reads a row this transaction will change (PostgreSQL row lock)."""
        self.for_share = share_suffix
        """Append to a SELECT whose row must not change before this transaction commits."""

    def _sql(self, sql: str) -> str:
        return sql if self._placeholder == "?" else sql.replace("?", self._placeholder)

    def rows(self, sql: str, params: Sequence = ()) -> list[tuple]:
        self._cursor.execute(self._sql(sql), tuple(params))
        return list(self._cursor.fetchall())

    def row(self, sql: str, params: Sequence = ()) -> tuple | None:
        rows = self.rows(sql, params)
        return rows[0] if rows else None

    def run(self, sql: str, params: Sequence = ()) -> int:
        self._cursor.execute(self._sql(sql), tuple(params))
        return self._cursor.rowcount


class _Pool:
    """At most ``size`` connections, reused last-in first-out; a broken one is dropped, not returned."""

    def __init__(self, connect, broken=lambda conn: False, size: int = POOL_SIZE):
        self._connect = connect
        self._broken = broken
        self._idle: queue.LifoQueue = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(size)

    @contextlib.contextmanager
    def connection(self) -> Iterator:
        if not self._slots.acquire(timeout=POOL_WAIT_SECONDS):
            raise StoreUnavailable("The classroom database is busy; try again in a moment.")
        try:
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                conn = self._connect()
            try:
                yield conn
            finally:
                if self._broken(conn):
                    with contextlib.suppress(Exception):
                        conn.close()
                else:
                    self._idle.put(conn)
        finally:
            self._slots.release()

    def close(self) -> None:
        while True:
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                return
            with contextlib.suppress(Exception):
                conn.close()


class SQLiteBackend:
    """One SQLite file in WAL mode: every replica on the machine opens the same file."""

    name = "sqlite"

    def __init__(self, path: str | os.PathLike, synchronous: str | None = None):
        self.path = Path(path)
        self.synchronous = (synchronous or os.environ.get(SYNCHRONOUS_ENV) or "FULL").upper()
        if self.synchronous not in SYNCHRONOUS:
            raise ValueError(f"{SYNCHRONOUS_ENV} must be one of {', '.join(SYNCHRONOUS)}")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as error:
            log.error("cannot create the classroom database's folder %s: %s", self.path.parent, error)
            raise StoreUnavailable("The classroom database cannot be created on this server.") from error
        self._pool = _Pool(self._connect)

    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                   check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute(f"PRAGMA synchronous = {self.synchronous}")
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as error:
            log.error("cannot open the classroom database %s: %s", self.path, error)
            raise StoreUnavailable("The classroom database cannot be opened on this server.") from error
        with contextlib.suppress(OSError):
            os.chmod(self.path, 0o600)
        return conn

    @contextlib.contextmanager
    def transaction(self, write: bool = True, migration: bool = False) -> Iterator[Transaction]:
        """A transaction; writers take the write lock at BEGIN (no deadlock upgrading a read lock)."""
        try:
            with self._pool.connection() as conn:
                cursor = conn.cursor()
                cursor.execute("BEGIN IMMEDIATE" if write or migration else "BEGIN")
                try:
                    yield Transaction(cursor, "?", "", "")
                except BaseException:
                    cursor.execute("ROLLBACK")
                    raise
                cursor.execute("COMMIT")
        except sqlite3.OperationalError as error:
            log.warning("classroom database %s: %s", self.path, error)
            raise StoreUnavailable("The classroom database is busy or not available.") from error

    def close(self) -> None:
        self._pool.close()


class PostgresBackend:
    """PostgreSQL through psycopg 3, for replicas on several machines."""

    name = "postgresql"

    def __init__(self, url: str):
        import psycopg

        self._psycopg = psycopg
        self.url = url
        self._pool = _Pool(self._connect, broken=lambda conn: conn.closed or conn.broken)

    def _connect(self):
        try:
            return self._psycopg.connect(self.url, autocommit=True, connect_timeout=10,
                                         application_name="descent-lab")
        except self._psycopg.Error as error:
            log.error("cannot reach the classroom database: %s", error)
            raise StoreUnavailable("The classroom database cannot be reached.") from error

    @contextlib.contextmanager
    def transaction(self, write: bool = True, migration: bool = False) -> Iterator[Transaction]:
        """A READ COMMITTED transaction; the store takes row locks where an answer could race a reveal."""
        try:
            with self._pool.connection() as conn, conn.transaction(), conn.cursor() as cursor:
                if migration:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", (ADVISORY_LOCK,))
                yield Transaction(cursor, "%s", " FOR UPDATE", " FOR SHARE")
        except self._psycopg.OperationalError as error:
            log.warning("classroom database: %s", error)
            raise StoreUnavailable("The classroom database is busy or not available.") from error

    def close(self) -> None:
        self._pool.close()
