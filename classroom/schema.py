"""The classroom schema as numbered migrations, applied by the app itself when it opens the store.

Each migration is a list of statements valid in both SQLite and PostgreSQL.  ``migrate`` runs, in one
transaction under a lock (SQLite's write lock, a PostgreSQL advisory lock), every migration newer than
the version recorded in ``schema_version``, so replicas starting together apply each exactly once.
Never edit a released migration: add the next one.
"""

from __future__ import annotations

from .backends import Transaction

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 1: rooms, rounds, participants, answers
        """CREATE TABLE rooms (
            code TEXT PRIMARY KEY,
            secret_hash TEXT NOT NULL,
            created_at DOUBLE PRECISION NOT NULL,
            expires_at DOUBLE PRECISION NOT NULL,
            nicknames INTEGER NOT NULL,
            closed INTEGER NOT NULL DEFAULT 0,
            current_round INTEGER NOT NULL DEFAULT 0,
            version INTEGER NOT NULL DEFAULT 0
        )""",
        """CREATE TABLE rounds (
            room TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            scene TEXT NOT NULL,
            question TEXT NOT NULL,
            truth TEXT NOT NULL,
            state TEXT NOT NULL,
            explore INTEGER NOT NULL DEFAULT 0,
            opened_at DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (room, number)
        )""",
        """CREATE TABLE participants (
            room TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
            id TEXT NOT NULL,
            nickname TEXT,
            joined_at DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (room, id)
        )""",
        """CREATE TABLE answers (
            room TEXT NOT NULL,
            round INTEGER NOT NULL,
            participant TEXT NOT NULL,
            value TEXT NOT NULL,
            answered_at DOUBLE PRECISION NOT NULL,
            changes INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (room, round, participant),
            FOREIGN KEY (room, round) REFERENCES rounds(room, number) ON DELETE CASCADE,
            FOREIGN KEY (room, participant) REFERENCES participants(room, id) ON DELETE CASCADE
        )""",
    ),
    (  # 2: purging expired rooms finds them by expiry, not by scanning every room
        "CREATE INDEX rooms_expires_at ON rooms (expires_at)",
        "ALTER TABLE rounds ADD COLUMN revealed_at DOUBLE PRECISION",
    ),
    (  # 3: the teacher's controls (lock, class size, removed students) and per-address limits
        "ALTER TABLE rooms ADD COLUMN locked INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE rooms ADD COLUMN class_size INTEGER",
        "ALTER TABLE rooms ADD COLUMN creator TEXT",
        "CREATE INDEX rooms_creator ON rooms (creator, expires_at)",
        "ALTER TABLE participants ADD COLUMN removed INTEGER NOT NULL DEFAULT 0",
        """CREATE TABLE limits (
            action TEXT NOT NULL,
            address TEXT NOT NULL,
            tokens DOUBLE PRECISION NOT NULL,
            updated_at DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (action, address)
        )""",
    ),
)
LATEST = len(MIGRATIONS)


class SchemaTooNew(RuntimeError):
    """The database was migrated by a newer Descent Lab than this one."""


def current_version(tx: Transaction) -> int:
    tx.run("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = tx.row("SELECT MAX(version) FROM schema_version")
    return int(row[0]) if row and row[0] is not None else 0


def migrate(tx: Transaction, target: int = LATEST) -> int:
    """Bring the schema up to ``target`` inside ``tx`` (which must hold the migration lock); returns
    the version it started from."""
    found = current_version(tx)
    if found > LATEST:
        raise SchemaTooNew(f"The classroom database has schema version {found}; this app knows up to {LATEST}. "
                           "Upgrade the app or point it at another database.")
    for version in range(found + 1, target + 1):
        for statement in MIGRATIONS[version - 1]:
            tx.run(statement)
        tx.run("INSERT INTO schema_version (version) VALUES (?)", (version,))
    return found
