"""Applicants' files on a real disk and a real SQLite file: the limit under concurrent uploads, no orphan
and no dangling row after a crash at any point, and "a PDF" meaning a file a PDF reader opens."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from selection import files, store
from selection.errors import Invalid
from selection.services import intake
from selection.store import files_dir
from tests.pdf_samples import FAKE_PDF, PDF, real_pdf

ROOT = Path(__file__).resolve().parents[3]


def _on_disk(db) -> list[str]:
    folder = files_dir(db)
    return sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.exists() else []


def _staged(db) -> list[str]:
    staging = files.staging_dir(db)
    return sorted(p.name for p in staging.iterdir()) if staging.exists() else []


def _rows(db) -> list[str]:
    return sorted(r[0] for r in db.execute("SELECT stored_name FROM attachments"))


# --------------------------------------------------------------------------- what a PDF is


@pytest.mark.parametrize("data", [FAKE_PDF, PDF[: len(PDF) // 2], b"%PDF-1.7\n" + os.urandom(2000)],
                         ids=["magic-bytes-only", "truncated", "garbage-after-header"])
def test_a_file_a_pdf_reader_cannot_open_is_refused(world, data):
    user = world.applicant("lakes")
    world.draft(user)
    with pytest.raises(Invalid) as e:
        intake.add_attachment(world.db, user=user, call_id=world.call_id, filename="scan.pdf", data=data)
    assert e.value.field == "attachment" and "PDF" in e.value.message
    assert _rows(world.db) == [] and _on_disk(world.db) == [] and _staged(world.db) == []


def test_a_password_protected_pdf_is_refused():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(PDF)))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    assert "password" in files.pdf_problem(out.getvalue())


def test_reading_a_pdf_is_bounded_in_time():
    big = real_pdf(400)
    assert files.pdf_problem(big) is None
    assert "too long" in files.pdf_problem(big + b" " * (8 * 1024 * 1024), seconds=0.001)


# --------------------------------------------------------------------------- the limit under concurrency


def test_sixteen_concurrent_uploads_store_ten(world):
    """Today 16 at once store 16: the count and the insert are now one transaction holding the write lock."""
    user = world.applicant("lakes")
    world.draft(user)
    path = store.database_file(world.db)
    start = threading.Barrier(16)
    outcomes: list[str] = []

    def upload(i: int) -> None:
        db = store.connect(path)
        start.wait()
        try:
            intake.add_attachment(db, user=user, call_id=world.call_id, filename=f"annex {i}.pdf", data=PDF)
            outcomes.append("stored")
        except Invalid as e:
            outcomes.append(e.message)
        finally:
            db.conn.close()

    threads = [threading.Thread(target=upload, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("stored") == intake.MAX_ATTACHMENTS
    assert outcomes.count(f"at most {intake.MAX_ATTACHMENTS} files per proposal") == 16 - intake.MAX_ATTACHMENTS
    assert len(_rows(world.db)) == intake.MAX_ATTACHMENTS
    assert _on_disk(world.db) == _rows(world.db)
    assert _staged(world.db) == []


# --------------------------------------------------------------------------- crashes


CRASH = """
import datetime as dt, os, sys
from selection import accounts, clock, files, store
from selection.services import intake
clock.now = lambda: dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # the tests' clock, before the deadline
db = store.connect(sys.argv[1])
user = accounts.get_user(db, int(sys.argv[2]))
point, kind = sys.argv[3], sys.argv[4]
real = getattr(files, point)
def crash(*args, **kwargs):
    if point in ("stage", "set_aside"):
        real(*args, **kwargs)  # the file is staged or set aside, then the process dies before the commit
    os._exit(9)
setattr(files, point, crash)
if kind == "add":
    intake.add_attachment(db, user=user, call_id=1, filename="annex.pdf", data=open(sys.argv[5], "rb").read())
else:
    intake.remove_attachment(db, user=user, call_id=1, attachment_id=int(sys.argv[5]))
"""


def _crash(world, user, point: str, kind: str, arg) -> None:
    proc = subprocess.run([sys.executable, "-c", CRASH, str(store.database_file(world.db)), str(user.id), point, kind,
                           str(arg)], env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 9, proc.stderr


@pytest.mark.parametrize(("point", "row_kept"), [("stage", False), ("place", True)],
                         ids=["killed-before-the-commit", "killed-after-the-commit"])
def test_a_crash_while_adding_leaves_neither_an_orphan_nor_a_dangling_row(world, tmp_path, point, row_kept):
    user = world.applicant("lakes")
    world.draft(user)
    pdf = tmp_path / "annex.pdf"
    pdf.write_bytes(PDF)
    _crash(world, user, point, "add", pdf)
    assert len(_rows(world.db)) == int(row_kept)
    if row_kept:  # the file is readable: its placement is finished on the first read
        [aid] = [r[0] for r in world.db.execute("SELECT id FROM attachments")]
        assert intake.attachment_bytes(world.db, user=user, call_id=world.call_id, attachment_id=aid)[1] == PDF
    # the next upload tidies whatever the crash left
    intake.add_attachment(world.db, user=user, call_id=world.call_id, filename="next.pdf", data=PDF)
    assert _on_disk(world.db) == _rows(world.db) and len(_rows(world.db)) == 1 + int(row_kept)
    assert _staged(world.db) == []


@pytest.mark.parametrize(("point", "row_kept"), [("set_aside", True), ("discard", False)],
                         ids=["killed-before-the-commit", "killed-after-the-commit"])
def test_a_crash_while_removing_leaves_neither_an_orphan_nor_a_dangling_row(world, point, row_kept):
    user = world.applicant("lakes")
    world.draft(user)
    aid = intake.add_attachment(world.db, user=user, call_id=world.call_id, filename="annex.pdf", data=PDF)
    _crash(world, user, point, "remove", aid)
    intake.add_attachment(world.db, user=user, call_id=world.call_id, filename="next.pdf", data=real_pdf(2))
    assert len(_rows(world.db)) == 1 + int(row_kept)
    assert _on_disk(world.db) == _rows(world.db)
    assert _staged(world.db) == []
    if row_kept:
        assert intake.attachment_bytes(world.db, user=user, call_id=world.call_id, attachment_id=aid)[1] == PDF
