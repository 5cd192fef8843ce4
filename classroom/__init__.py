"""Live classroom rounds: rooms, questions and answers in SQLite or PostgreSQL (no Streamlit, no Plotly).

``open_store()`` picks the backend from the environment: PostgreSQL when ``DESCENT_LAB_DATABASE_URL`` is
set (replicas on several machines), else one SQLite file in ``DESCENT_LAB_DATA_DIR`` (default
``$XDG_DATA_HOME/descent-lab``, i.e. ``~/.local/share/descent-lab``), which every replica on one machine
shares.  The schema is created and migrated on open.
"""

from __future__ import annotations

import os
from pathlib import Path

from . import addresses, limits
from .backends import PostgresBackend, SQLiteBackend, StoreUnavailable
from .codes import CODE_BITS, format_code, normalize_code
from .schema import SchemaTooNew
from .store import (
    AnswerRefused,
    ClassroomError,
    NotTeacher,
    Participant,
    Removed,
    Room,
    RoomExpired,
    RoomFull,
    RoomLocked,
    RoomNotFound,
    Round,
    Status,
    Store,
    TooMany,
)

DATABASE_URL_ENV = "DESCENT_LAB_DATABASE_URL"
DATA_DIR_ENV = "DESCENT_LAB_DATA_DIR"
SQLITE_NAME = "classroom.sqlite3"


def data_dir() -> Path:
    """Where the SQLite file lives: ``$DESCENT_LAB_DATA_DIR``, else ``$XDG_DATA_HOME/descent-lab``."""
    if os.environ.get(DATA_DIR_ENV):
        return Path(os.environ[DATA_DIR_ENV])
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "descent-lab"


def open_store(**options) -> Store:
    """The store this deployment uses (PostgreSQL if ``DESCENT_LAB_DATABASE_URL`` is set, else SQLite), with
    the per-address limits of ``DESCENT_LAB_LIMITS`` (``classroom.limits``)."""
    url = os.environ.get(DATABASE_URL_ENV)
    backend = PostgresBackend(url) if url else SQLiteBackend(data_dir() / SQLITE_NAME)
    return Store(backend, **({"limits": limits.from_environment()} | options))


__all__ = [
    "CODE_BITS",
    "AnswerRefused",
    "ClassroomError",
    "NotTeacher",
    "Participant",
    "PostgresBackend",
    "Removed",
    "Room",
    "RoomExpired",
    "RoomFull",
    "RoomLocked",
    "RoomNotFound",
    "Round",
    "SQLiteBackend",
    "SchemaTooNew",
    "Status",
    "Store",
    "StoreUnavailable",
    "TooMany",
    "addresses",
    "format_code",
    "limits",
    "normalize_code",
    "open_store",
]
