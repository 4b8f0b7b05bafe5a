"""The SQLite store: one file, opened the same way everywhere.

WAL lets readers (the app's pages) go on while one writer saves; foreign keys
keep every score attached to a proposal that exists; the busy timeout makes a
second writer wait its turn instead of showing "database is locked". Writes go
through :func:`transaction`, which takes the write lock up front (``BEGIN
IMMEDIATE``) so that two writers queue rather than fail half-way.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from selection.migrations import MIGRATIONS, migrate

DEFAULT_DB = Path("data") / "selection.db"
BUSY_TIMEOUT_MS = 30_000


def default_path() -> Path:
    """``SELECTION_DB`` when set, else ``data/selection.db``."""
    return Path(os.environ.get("SELECTION_DB") or DEFAULT_DB)


def connect(path: str | Path | None = None, *, upgrade: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) the store at ``path`` and bring its schema up to date."""
    path = Path(path) if path is not None else default_path()
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(
        str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    # no sqlite-utils plugins: the store wants none on its connections, and looking for them reads every
    # installed package's entry points (some 50 ms of each command's start-up)
    db = sqlite_utils.Database(conn, execute_plugins=False)
    if upgrade:
        migrate(db)
    return db


@contextlib.contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """All or nothing: commit when the block ends, roll back if it raises.

    Nested blocks become savepoints (through sqlite-utils' ``atomic``), so a
    service may call another service inside its own transaction.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    else:
        db.conn.execute("COMMIT")


def schema_version(db: sqlite_utils.Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def latest_version() -> int:
    return len(MIGRATIONS)


def database_file(db: sqlite_utils.Database) -> Path | None:
    """The file behind a connection (None for an in-memory database)."""
    row = db.execute("PRAGMA database_list").fetchone()
    return Path(row[2]) if row and row[2] else None


def files_dir(db: sqlite_utils.Database) -> Path:
    """Where applicants' files live: beside the database, under generated names."""
    path = database_file(db)
    return (path.parent if path else Path("data")) / "attachments"
