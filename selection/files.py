"""Applicants' files on disk: what counts as a PDF, and writing or removing one so that a crash leaves no trace.

The database row is the truth and the folder follows it. Every file operation
that can race another one happens while the caller holds the store's write
lock (inside ``store.transaction``), in a staging folder of its own per
database:

* adding: the bytes go to ``<staging>/<name>.part`` and are fsynced; the row is
  inserted; after the commit the file is renamed into place. A crash before the
  commit leaves a ``.part`` with no row (deleted by the next :func:`recover`),
  after it a ``.part`` with its row (renamed into place by :func:`recover`, or
  by the first read).
* removing: the file is moved to ``<staging>/<name>.removed`` and the row
  deleted; after the commit the file is unlinked. A crash before the commit
  leaves a ``.removed`` with its row (put back), after it one with no row
  (deleted).

:func:`recover` runs inside the write lock at the start of every add and
remove, when no other writer can be half-way, so whatever it finds is the
remains of a crash. No order of crash leaves a file without its row for good,
nor a row without its file.
"""

from __future__ import annotations

import concurrent.futures
import io
import logging
import os
from pathlib import Path

import sqlite_utils

from selection.i18n import N_, _
from selection.store import database_file, files_dir

PDF_MAGIC = b"%PDF-"  # how every PDF starts: necessary, far from sufficient
PARSE_SECONDS = 5.0
_parser = concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="pdf-check")
logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged file is refused with our own words


def _open_pdf(data: bytes) -> str | None:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return N_("this PDF is protected by a password; send it without one")
        if len(reader.pages) < 1:
            return N_("this PDF has no pages")
        reader.pages[0].mediabox  # noqa: B018 - reading the first page is what a reader does first
    except Exception:  # noqa: BLE001 - any failure of the reader means a reader cannot open it
        return N_("only PDF files are accepted (a PDF reader cannot open this file)")
    return None


def pdf_problem(data: bytes, *, seconds: float = PARSE_SECONDS) -> str | None:
    """Why a PDF reader cannot open ``data`` (None when it can), given at most ``seconds`` to try.

    The size is bounded by the caller before this is asked; a file that takes
    longer than the bound is refused (the reader may go on in its own thread).
    """
    if not data.startswith(PDF_MAGIC):
        return _("only PDF files are accepted (this file is not a PDF)")
    try:
        problem = _parser.submit(_open_pdf, data).result(timeout=seconds)  # N_-marked, read in a worker
        return _(problem) if problem else None
    except concurrent.futures.TimeoutError:
        return _("this PDF takes too long to open; save it again from its program and send that copy")


def staging_dir(db: sqlite_utils.Database) -> Path:
    """Half-written and half-removed files of this database (never shared with another database's)."""
    path = database_file(db)
    return files_dir(db) / f".staging-{path.name if path else 'memory'}"


def _stored_names(db: sqlite_utils.Database, names: list[str]) -> set[str]:
    if not names:
        return set()
    marks = ", ".join("?" for _ in names)
    return {r[0] for r in db.execute(f"SELECT stored_name FROM attachments WHERE stored_name IN ({marks}) UNION "
                                     f"SELECT stored_name FROM clarifications WHERE stored_name IN ({marks})",
                                     names + names)}


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def recover(db: sqlite_utils.Database) -> None:
    """Finish or undo what a crash interrupted. Call it holding the write lock."""
    staging = staging_dir(db)
    if not staging.is_dir():
        return
    found = [p for p in staging.iterdir() if p.suffix in (".part", ".removed")]
    rows = _stored_names(db, [p.stem for p in found])
    for p in found:
        if p.stem in rows:
            os.replace(p, files_dir(db) / p.stem)
        else:
            p.unlink(missing_ok=True)


def stage(db: sqlite_utils.Database, stored: str, data: bytes) -> Path:
    """Write the bytes under their staging name, durably; the row is inserted next, in the same transaction."""
    staging = staging_dir(db)
    staging.mkdir(parents=True, exist_ok=True)
    part = staging / f"{stored}.part"
    with open(part, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    _fsync_dir(staging)
    return part


def place(db: sqlite_utils.Database, stored: str) -> None:
    """After the commit: move a staged file into place (done already if :func:`recover` got there first)."""
    try:
        os.replace(staging_dir(db) / f"{stored}.part", files_dir(db) / stored)
    except FileNotFoundError:
        return
    _fsync_dir(files_dir(db))


def unstage(db: sqlite_utils.Database, stored: str) -> None:
    """The transaction rolled back: the staged bytes go."""
    (staging_dir(db) / f"{stored}.part").unlink(missing_ok=True)


def set_aside(db: sqlite_utils.Database, stored: str) -> None:
    """Before the row is deleted, in the same transaction: move the file to the staging folder."""
    staging = staging_dir(db)
    staging.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(files_dir(db) / stored, staging / f"{stored}.removed")
    except FileNotFoundError:
        return
    _fsync_dir(staging)


def put_back(db: sqlite_utils.Database, stored: str) -> None:
    """The removal rolled back: the file returns."""
    try:
        os.replace(staging_dir(db) / f"{stored}.removed", files_dir(db) / stored)
    except FileNotFoundError:
        return


def discard(db: sqlite_utils.Database, stored: str) -> None:
    """After the commit of a removal."""
    (staging_dir(db) / f"{stored}.removed").unlink(missing_ok=True)


def read(db: sqlite_utils.Database, stored: str) -> bytes:
    """A stored file's bytes, finishing its placement if a crash came between the commit and the rename."""
    path = files_dir(db) / stored
    if not path.exists():
        place(db, stored)
    return path.read_bytes()
