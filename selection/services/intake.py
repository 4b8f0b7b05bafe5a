"""Step 1 for applicants: an organisation profile, an expression of interest, the detailed proposal.

A proposal stays a draft (never ranked, never exported) until the applicant
submits it, which is refused after the submission deadline. Files are PDFs,
checked by their content, and stored under a generated name.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path

import pydantic
import sqlite_utils

from selection import audit, clock
from selection.errors import Invalid, from_pydantic
from selection.models import Entity
from selection.permissions import User, is_applicant, may_view_proposal, owns_proposal, require
from selection.services.common import call_row, criteria_rows, parse_date, required_text
from selection.store import files_dir, transaction

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 10
PDF_MAGIC = b"%PDF-"


def _entity_for(db: sqlite_utils.Database, user: User, call_id: int) -> dict | None:
    rows = list(db.query("SELECT * FROM entities WHERE call_id = ? AND account_id = ?", [call_id, user.id]))
    return rows[0] if rows else None


def my_proposal(db: sqlite_utils.Database, *, user: User, call_id: int) -> dict | None:
    """The applicant's own proposal in this call (with its slots and sections), or None."""
    entity = _entity_for(db, user, call_id)
    if entity is None:
        return None
    rows = list(db.query("SELECT * FROM proposals WHERE call_id = ? AND entity_id = ?", [call_id, entity["id"]]))
    if not rows:
        return None
    p = rows[0]
    p["slots"] = [r[0] for r in db.execute(
        "SELECT slot_id FROM proposal_slots WHERE call_id = ? AND proposal_id = ? ORDER BY position", [call_id, p["id"]])]
    p["sections"] = {r[0]: r[1] for r in db.execute(
        "SELECT criterion_id, text FROM sections WHERE call_id = ? AND proposal_id = ?", [call_id, p["id"]])}
    p["attachments"] = list(db.query(
        "SELECT id, filename, size, uploaded_at FROM attachments WHERE call_id = ? AND proposal_id = ? ORDER BY id",
        [call_id, p["id"]]))
    return p


def _require_open(call: dict) -> None:
    if not call["published_at"]:
        raise Invalid("call", "this call is not open for proposals")
    deadline = parse_date(call["submission_deadline"], "submission_deadline")
    if deadline and clock.today() > deadline:
        raise Invalid("call", f"the submission deadline ({deadline.day} {deadline:%B %Y}) has passed; "
                              "proposals can no longer be changed or submitted")


def save_profile(db: sqlite_utils.Database, *, user: User, call_id: int, profile: dict) -> str:
    """Create or update the applicant's organisation for this call; return its entity id."""
    require(is_applicant(user), "Only applicants keep an organisation profile.")
    data = {k: (v.strip() if isinstance(v, str) else v) or None for k, v in profile.items()}
    data["country"] = data["country"].upper() if data.get("country") else None
    existing = _entity_for(db, user, call_id)
    entity_id = existing["id"] if existing else f"e-{user.username}"
    try:
        entity = Entity.model_validate({**data, "id": entity_id}, strict=False)
    except pydantic.ValidationError as e:
        raise from_pydantic(e) from None
    _require_open(call_row(db, call_id))
    with transaction(db):
        row = {"call_id": call_id, **entity.model_dump(mode="json"), "account_id": user.id}
        if existing:
            db["entities"].update((call_id, entity_id), row)
        else:
            position = db.execute("SELECT count(*) FROM entities WHERE call_id = ?", [call_id]).fetchone()[0]
            db["entities"].insert({**row, "position": position})
        audit.record(db, actor=user.actor, call=call_row(db, call_id)["reference"], action="entity.saved",
                     target=f"entity:{entity_id}", old=existing and {k: existing[k] for k in entity.model_dump()
                                                                       if k in existing},
                     new=entity.model_dump(mode="json"))
    return entity_id


def save_draft(db: sqlite_utils.Database, *, user: User, call_id: int, slots: list[str], statement: str,
               summary: str, sections: dict[str, str]) -> str:
    """Save the expression of interest and the proposal sections; nothing is checked for completeness yet."""
    require(is_applicant(user), "Only applicants write proposals.")
    call = call_row(db, call_id)
    _require_open(call)
    entity = _entity_for(db, user, call_id)
    if entity is None:
        raise Invalid("organisation", "save your organisation's profile first")
    known_slots = [r[0] for r in db.execute("SELECT id FROM slots WHERE call_id = ? ORDER BY position", [call_id])]
    for s in slots:
        if s not in known_slots:
            raise Invalid("slots", f"{s!r} is not a slot of this call")
    known_criteria = {c["id"] for c in criteria_rows(db, call_id)}
    for k, text in sections.items():
        if k not in known_criteria:
            raise Invalid(f"sections.{k}", "not a criterion of this call")
        if len(text or "") > 100_000:
            raise Invalid(f"sections.{k}", "at most 100,000 characters")
    for name, text in (("statement", statement), ("summary", summary)):
        if len(text or "") > 20_000:
            raise Invalid(name, "at most 20,000 characters")
    existing = my_proposal(db, user=user, call_id=call_id)
    if existing and existing["status"] not in ("draft", "submitted"):
        raise Invalid("proposal", f"this proposal is {existing['status']} and can no longer be changed")
    proposal_id = existing["id"] if existing else f"p-{user.username}"
    resubmission = existing is not None and existing["status"] == "submitted"
    receipt = None
    if resubmission:
        # A submitted proposal stays complete: its update is checked as a submission and gets a new receipt.
        receipt = complete_receipt(db, call_id, {
            "id": proposal_id, "slots": slots, "statement": (statement or "").strip() or None,
            "summary": (summary or "").strip() or None,
            "sections": {k: v.strip() for k, v in sections.items() if v and v.strip()}})
    with transaction(db):
        fields = {"statement": (statement or "").strip() or None, "summary": (summary or "").strip() or None,
                  "updated_at": clock.stamp(), **({"receipt": receipt} if receipt else {})}
        if existing:
            db["proposals"].update((call_id, proposal_id), fields)
        else:
            position = db.execute("SELECT count(*) FROM proposals WHERE call_id = ?", [call_id]).fetchone()[0]
            db["proposals"].insert({"call_id": call_id, "id": proposal_id, "position": position,
                                    "entity_id": entity["id"], "status": "draft", **fields})
        db.execute("DELETE FROM proposal_slots WHERE call_id = ? AND proposal_id = ?", [call_id, proposal_id])
        db["proposal_slots"].insert_all({"call_id": call_id, "proposal_id": proposal_id, "slot_id": s, "position": i}
                                        for i, s in enumerate(slots))
        db.execute("DELETE FROM sections WHERE call_id = ? AND proposal_id = ?", [call_id, proposal_id])
        db["sections"].insert_all({"call_id": call_id, "proposal_id": proposal_id, "criterion_id": k, "text": v.strip()}
                                  for k, v in sections.items() if v and v.strip())
        audit.record(db, actor=user.actor, call=call["reference"],
                     action="proposal.resubmitted" if resubmission else "proposal.saved",
                     target=f"proposal:{proposal_id}",
                     new={"slots": slots, "sections": sorted(sections), "receipt": receipt})
    return proposal_id


def complete_receipt(db: sqlite_utils.Database, call_id: int, p: dict) -> str:
    """Refuse an incomplete proposal; otherwise the receipt, a digest of exactly what is sent."""
    if not p["slots"]:
        raise Invalid("slots", "choose at least one centre to apply for")
    required_text(p["statement"], "statement")
    for c in criteria_rows(db, call_id):
        required_text(p["sections"].get(c["id"]), f"sections.{c['id']}")
    content = json.dumps({k: p[k] for k in ("id", "slots", "statement", "summary", "sections")},
                         ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(content.encode()).hexdigest()[:16].upper()


def submit(db: sqlite_utils.Database, *, user: User, call_id: int) -> str:
    """Send the proposal; return the receipt (a digest of what was sent)."""
    call = call_row(db, call_id)
    _require_open(call)
    p = my_proposal(db, user=user, call_id=call_id)
    if p is None:
        raise Invalid("proposal", "write and save your proposal first")
    require(owns_proposal(db, user, call_id, p["id"]), "This is not your proposal.")
    if p["status"] not in ("draft", "submitted"):
        raise Invalid("proposal", f"this proposal is {p['status']}")
    receipt = complete_receipt(db, call_id, p)
    stamp = clock.stamp()
    with transaction(db):
        db["proposals"].update((call_id, p["id"]), {"status": "submitted", "submitted_at": stamp, "receipt": receipt})
        audit.record(db, actor=user.actor, call=call["reference"], action="proposal.submitted",
                     target=f"proposal:{p['id']}", old={"status": p["status"]},
                     new={"status": "submitted", "receipt": receipt})
    return receipt


def withdraw(db: sqlite_utils.Database, *, user: User, call_id: int, reason: str) -> None:
    p = my_proposal(db, user=user, call_id=call_id)
    if p is None or p["status"] == "withdrawn":
        raise Invalid("proposal", "there is no proposal to withdraw")
    reason = required_text(reason, "reason", 5_000)
    with transaction(db):
        db["proposals"].update((call_id, p["id"]), {"status": "withdrawn", "status_reason": reason})
        audit.record(db, actor=user.actor, call=call_row(db, call_id)["reference"], action="proposal.withdrawn",
                     target=f"proposal:{p['id']}", old={"status": p["status"]}, new={"status": "withdrawn"},
                     reason=reason)


def add_attachment(db: sqlite_utils.Database, *, user: User, call_id: int, filename: str, data: bytes) -> int:
    """Keep a PDF for the applicant's proposal; the name typed by the user is only ever displayed."""
    call = call_row(db, call_id)
    _require_open(call)
    p = my_proposal(db, user=user, call_id=call_id)
    if p is None:
        raise Invalid("attachment", "save your proposal before adding files")
    if not data.startswith(PDF_MAGIC):
        raise Invalid("attachment", "only PDF files are accepted (this file is not a PDF)")
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise Invalid("attachment", f"files are limited to {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB")
    if len(p["attachments"]) >= MAX_ATTACHMENTS:
        raise Invalid("attachment", f"at most {MAX_ATTACHMENTS} files per proposal")
    shown = Path((filename or "document.pdf").replace("\\", "/")).name[:200] or "document.pdf"
    stored = f"{uuid.uuid4().hex}.pdf"
    folder = files_dir(db)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / stored).write_bytes(data)
    try:
        with transaction(db):
            attachment_id = db["attachments"].insert(
                {"call_id": call_id, "proposal_id": p["id"], "filename": shown, "stored_name": stored,
                 "size": len(data), "sha256": hashlib.sha256(data).hexdigest(), "uploaded_at": clock.stamp()}
            ).last_pk
            audit.record(db, actor=user.actor, call=call["reference"], action="attachment.added",
                         target=f"proposal:{p['id']}", new={"filename": shown, "size": len(data)})
    except BaseException:
        (folder / stored).unlink(missing_ok=True)
        raise
    return attachment_id


def attachment_bytes(db: sqlite_utils.Database, *, user: User, call_id: int, attachment_id: int) -> tuple[str, bytes]:
    rows = list(db.query("SELECT * FROM attachments WHERE id = ? AND call_id = ?", [attachment_id, call_id]))
    if not rows:
        raise Invalid("attachment", "no such file")
    a = rows[0]
    require(may_view_proposal(db, user, call_id, a["proposal_id"]), "You may not read this file.")
    return a["filename"], (files_dir(db) / a["stored_name"]).read_bytes()


def read_proposal(db: sqlite_utils.Database, *, user: User, call_id: int, proposal_id: str) -> dict:
    """A proposal with its sections and files, for those who may read it (see ``may_view_proposal``)."""
    require(may_view_proposal(db, user, call_id, proposal_id), "You may not read this proposal.")
    p = next(db.query("SELECT id, status, status_reason, statement, summary, submitted_at, receipt FROM proposals "
                      "WHERE call_id = ? AND id = ?", [call_id, proposal_id]))
    p["sections"] = {r[0]: r[1] for r in db.execute(
        "SELECT criterion_id, text FROM sections WHERE call_id = ? AND proposal_id = ?", [call_id, proposal_id])}
    p["attachments"] = list(db.query("SELECT id, filename, size FROM attachments WHERE call_id = ? AND proposal_id = ? "
                                     "ORDER BY id", [call_id, proposal_id]))
    return p
