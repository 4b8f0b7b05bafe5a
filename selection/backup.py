"""Backups while the app runs, and a checked restore.

``VACUUM INTO`` writes a consistent copy in one read transaction while other
connections keep reading and writing (WAL), so the secretariat need not stop
the app. (SQLite's page-wise online backup restarts whenever another
connection writes, and under a steady trickle of saves it never ends.) A
restore first checks the file (``PRAGMA integrity_check``, a schema this
program knows, an intact audit trail), keeps the current database aside, then
copies the backup in through SQLite's backup API in one step, so that open
readers never see a torn file.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import sqlite_utils

from selection import audit, clock
from selection.i18n import _
from selection.migrations import MIGRATIONS

class BackupInvalid(ValueError):
    """The file is not a sound backup of a host-selection database."""


def _counts(conn: sqlite3.Connection) -> dict:
    tables = ("calls", "proposals", "scores", "audit")
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def _trail(conn: sqlite3.Connection) -> dict:
    """Whether the copy's audit trail is intact (a schema from before the seals has none to check)."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(audit)")}
    if "hash" not in columns:
        return {"trail_ok": True, "trail": _("The audit trail predates seals: nothing to check.")}
    result = audit.verify_chain(sqlite_utils.Database(conn))
    return {"trail_ok": result.ok, "trail": result.sentence()}


def check(path: Path) -> dict:
    """What a backup holds, or :class:`BackupInvalid` saying what is wrong with it."""
    if not path.is_file():
        raise BackupInvalid(f"{path}: no such file")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if result != "ok":
                raise BackupInvalid(f"{path}: integrity check failed: {result}")
            if not 1 <= version <= len(MIGRATIONS):
                raise BackupInvalid(f"{path}: schema version {version} is not one this program knows "
                                    f"(1..{len(MIGRATIONS)})")
            return {"schema_version": version, **_counts(conn), **_trail(conn)}
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise BackupInvalid(f"{path}: not a host-selection database ({e})") from None


def backup(db_path: Path, out: Path) -> dict:
    """Copy the live database to ``out`` (online, consistent) and check the copy."""
    if not Path(db_path).is_file():
        raise BackupInvalid(f"{db_path}: no such database")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    tmp.unlink(missing_ok=True)
    source = sqlite3.connect(str(db_path), timeout=30)
    try:
        source.execute("VACUUM INTO ?", [str(tmp)])
    finally:
        source.close()
    facts = check(tmp)
    tmp.replace(out)
    return facts


def restore(backup_file: Path, db_path: Path) -> dict:
    """Put a checked backup in place of the database; the current one is kept beside it first."""
    facts = check(backup_file)
    if not facts["trail_ok"]:
        raise BackupInvalid(f"{backup_file}: {facts['trail']}")
    db_path = Path(db_path)
    kept = None
    if db_path.is_file():
        kept = db_path.with_name(f"{db_path.name}.before-restore-{clock.now():%Y%m%dT%H%M%S}")
        backup(db_path, kept)
    source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    target = sqlite3.connect(str(db_path), timeout=30)
    try:
        source.backup(target)  # all pages in one step
    finally:
        target.close()
        source.close()
    facts["kept"] = str(kept) if kept else None
    return facts


def copy_attachments(db_path: Path, out: Path) -> Path | None:
    """Applicants' files live beside the database; a backup copies them beside the backup."""
    folder = Path(db_path).parent / "attachments"
    if not folder.is_dir():
        return None
    target = out.parent / f"{out.stem}-attachments"
    shutil.copytree(folder, target, dirs_exist_ok=True)
    return target
