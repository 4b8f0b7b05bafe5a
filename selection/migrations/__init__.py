"""Numbered schema migrations: ``NNNN_name.sql``, applied in order, each once.

``PRAGMA user_version`` records how many have run. Each migration runs in one
transaction together with the version bump, so a crash leaves the database at
the old version or the new one, never between.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

HERE = Path(__file__).parent
MIGRATIONS: list[Path] = sorted(HERE.glob("[0-9][0-9][0-9][0-9]_*.sql"))


class SchemaTooNew(RuntimeError):
    """The database was written by a newer version of the program."""


def statements(script: str) -> list[str]:
    """Split a script into complete statements (triggers keep their inner ';')."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--") and not buf.strip():
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        raise ValueError(f"incomplete SQL statement at the end of a migration: {buf[:80]!r}")
    return out


def migrate(db: sqlite_utils.Database, *, upto: int | None = None) -> int:
    """Apply the migrations the database has not seen yet; return the new version."""
    target = len(MIGRATIONS) if upto is None else upto
    current = db.execute("PRAGMA user_version").fetchone()[0]
    if current > len(MIGRATIONS):
        raise SchemaTooNew(
            f"the database is at schema version {current}; this program knows {len(MIGRATIONS)}"
        )
    for number in range(current + 1, target + 1):
        path = MIGRATIONS[number - 1]
        db.conn.execute("BEGIN IMMEDIATE")
        if db.execute("PRAGMA user_version").fetchone()[0] >= number:
            db.conn.execute("ROLLBACK")  # another process applied it meanwhile
            continue
        try:
            for sql in statements(path.read_text(encoding="utf-8")):
                db.conn.execute(sql)
            db.conn.execute(f"PRAGMA user_version = {number}")
        except BaseException:
            db.conn.execute("ROLLBACK")
            raise
        db.conn.execute("COMMIT")
    return max(current, target)
