"""Step 1 for applicants: an organisation profile, an expression of interest, the detailed proposal.

A proposal stays a draft (never ranked, never exported) until the applicant
submits it, which is refused after the submission deadline. What the applicant
may do, and until when, is the proposal table of ``selection.states``. Files
are PDFs that a PDF reader can open, stored under a generated name
(``selection.files``); a file added to a submitted proposal renews its receipt.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from pathlib import Path

import pydantic
import sqlite_utils

from selection import audit, clock, files, states, words
from selection.errors import Invalid, from_pydantic
from selection.i18n import _
from selection.models import Entity
from selection.permissions import User, is_applicant, may_view_proposal, owns_proposal, require
from selection.services.common import call_row, criteria_rows, free_id, parse_date, required_text
from selection.store import transaction

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 10
PDF_MAGIC = files.PDF_MAGIC  # for the other upload services until they call files.pdf_problem


def _entity_for(db: sqlite_utils.Database, user: User, call_id: int) -> dict | None:
    rows = list(db.query("SELECT * FROM entities WHERE call_id = ? AND account_id = ?", [call_id, user.id]))
    return rows[0] if rows else None


def my_entity(db: sqlite_utils.Database, *, user: User, call_id: int) -> dict | None:
    """The applicant's own organisation in this call (its profile details as JSON text), or None."""
    return _entity_for(db, user, call_id)


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
    """The applicant's window (``states.applicant_window_open``), for what is not a move of the proposal."""
    if not call["published_at"]:
        raise Invalid("call", _("this call is not open for proposals"))
    if not states.applicant_window_open(call):
        deadline = parse_date(call["submission_deadline"], "submission_deadline")
        raise Invalid("call", _("the submission deadline ({date}) has passed; proposals can no longer be changed or "
                                "submitted", date=words.date(deadline)))


def save_profile(db: sqlite_utils.Database, *, user: User, call_id: int, profile: dict) -> str:
    """Create or update the applicant's organisation for this call; return its entity id."""
    require(is_applicant(user), _("Only applicants keep an organisation profile."))
    data = {k: (v.strip() if isinstance(v, str) else v) or None for k, v in profile.items() if k != "profile"}
    data["country"] = data["country"].upper() if data.get("country") else None
    data["name"] = required_text(data.get("name"), "name", 500)
    data["profile"] = _profile_details(profile.get("profile"))
    existing = _entity_for(db, user, call_id)
    try:
        entity = Entity.model_validate({**data, "id": existing["id"] if existing else f"e-{user.username}"},
                                       strict=False)
    except pydantic.ValidationError as e:
        raise from_pydantic(e) from None
    _require_open(call_row(db, call_id))
    with transaction(db):
        # an entity loaded from a bundle may already hold the id made from the username: take the next free one
        entity_id = existing["id"] if existing else free_id(db, "entities", call_id, entity.id)
        entity = entity.model_copy(update={"id": entity_id})
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


PHONE = re.compile(r"\+?[0-9 ()./-]{5,40}")


def _profile_details(details: dict | None) -> dict | None:
    """The profile's further details, trimmed: empty answers dropped, partners one per non-empty line."""
    if not details:
        return None
    out = {k: v.strip() for k, v in details.items() if k != "partners" and isinstance(v, str) and v.strip()}
    partners = details.get("partners") or []
    lines = partners.splitlines() if isinstance(partners, str) else partners
    out["partners"] = [line.strip() for line in lines if line.strip()]
    if out.get("contact_phone") and not PHONE.fullmatch(out["contact_phone"]):
        raise Invalid("profile.contact_phone", _("a telephone number: digits, spaces and an optional + "
                                                 "(e.g. +221 33 123 45 67)"))
    return out if any(out.values()) else None


def save_draft(db: sqlite_utils.Database, *, user: User, call_id: int, slots: list[str], statement: str,
               summary: str, sections: dict[str, str]) -> str:
    """Save the expression of interest and the proposal sections; nothing is checked for completeness yet."""
    require(is_applicant(user), _("Only applicants write proposals."))
    call = call_row(db, call_id)
    existing = my_proposal(db, user=user, call_id=call_id)
    states.check_proposal(call, existing["status"] if existing else "draft", "edit", by=states.APPLICANT)
    entity = _entity_for(db, user, call_id)
    if entity is None:
        raise Invalid("organisation", _("save your organisation's profile first"))
    known_slots = [r[0] for r in db.execute("SELECT id FROM slots WHERE call_id = ? ORDER BY position", [call_id])]
    for s in slots:
        if s not in known_slots:
            raise Invalid("slots", _("{slot} is not a slot of this call", slot=repr(s)))
    known_criteria = {c["id"] for c in criteria_rows(db, call_id)}
    for k, text in sections.items():
        if k not in known_criteria:
            raise Invalid(f"sections.{k}", _("not a criterion of this call"))
        if len(text or "") > 100_000:
            raise Invalid(f"sections.{k}", _("at most {n} characters", n=words.number(100_000, 0)))
    for name, text in (("statement", statement), ("summary", summary)):
        if len(text or "") > 20_000:
            raise Invalid(name, _("at most {n} characters", n=words.number(20_000, 0)))
    resubmission = existing is not None and existing["status"] == "submitted"
    receipt = None
    with transaction(db):
        proposal_id = existing["id"] if existing else free_id(db, "proposals", call_id, f"p-{user.username}")
        before = _texts(db, call_id, proposal_id) if existing else None  # read with the write lock held
        if resubmission:
            # A submitted proposal stays complete: its update is checked as a submission and gets a new receipt.
            receipt = complete_receipt(db, call_id, {
                "id": proposal_id, "slots": slots, "statement": (statement or "").strip() or None,
                "summary": (summary or "").strip() or None,
                "sections": {k: v.strip() for k, v in sections.items() if v and v.strip()}})
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
                     target=f"proposal:{proposal_id}", old=before,
                     new={**_texts(db, call_id, proposal_id), "receipt": receipt})
    return proposal_id


def _texts(db: sqlite_utils.Database, call_id: int, proposal_id: str) -> dict:
    """What an applicant wrote, as stored: the audit trail keeps it whole before and after each save."""
    row = db.execute("SELECT statement, summary FROM proposals WHERE call_id = ? AND id = ?",
                     [call_id, proposal_id]).fetchone()
    return {"statement": row[0], "summary": row[1],
            "slots": [r[0] for r in db.execute("SELECT slot_id FROM proposal_slots WHERE call_id = ? AND "
                                               "proposal_id = ? ORDER BY position", [call_id, proposal_id])],
            "sections": dict(db.execute("SELECT criterion_id, text FROM sections WHERE call_id = ? AND proposal_id = ? "
                                        "ORDER BY criterion_id", [call_id, proposal_id]).fetchall())}


def complete_receipt(db: sqlite_utils.Database, call_id: int, p: dict) -> str:
    """Refuse an incomplete proposal; otherwise the receipt, a digest of exactly what is sent, files included."""
    if not p["slots"]:
        raise Invalid("slots", _("choose at least one centre to apply for"))
    required_text(p["statement"], "statement")
    for c in criteria_rows(db, call_id):
        required_text(p["sections"].get(c["id"]), f"sections.{c['id']}")
    sent = {k: p[k] for k in ("id", "slots", "statement", "summary", "sections")}
    attached = [r[0] for r in db.execute("SELECT sha256 FROM attachments WHERE call_id = ? AND proposal_id = ? "
                                         "ORDER BY id", [call_id, p["id"]])]
    if attached:
        sent["files"] = attached
    content = json.dumps(sent, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(content.encode()).hexdigest()[:16].upper()


def submit(db: sqlite_utils.Database, *, user: User, call_id: int) -> str:
    """Send the proposal; return the receipt (a digest of what was sent)."""
    call = call_row(db, call_id)
    p = my_proposal(db, user=user, call_id=call_id)
    if p is None:
        _require_open(call)
        raise Invalid("proposal", _("write and save your proposal first"))
    require(owns_proposal(db, user, call_id, p["id"]), _("This is not your proposal."))
    states.check_proposal(call, p["status"], "submit", by=states.APPLICANT)
    stamp = clock.stamp()
    with transaction(db):
        receipt = complete_receipt(db, call_id, my_proposal(db, user=user, call_id=call_id))
        db["proposals"].update((call_id, p["id"]), {"status": "submitted", "submitted_at": stamp, "receipt": receipt})
        audit.record(db, actor=user.actor, call=call["reference"], action="proposal.submitted",
                     target=f"proposal:{p['id']}", old={"status": p["status"]},
                     new={"status": "submitted", "receipt": receipt})
    return receipt


def withdraw(db: sqlite_utils.Database, *, user: User, call_id: int, reason: str) -> None:
    """The applicant withdraws a draft or a submitted proposal, before the deadline only (then the secretariat)."""
    require(is_applicant(user), _("Only applicants withdraw their proposal."))
    call = call_row(db, call_id)
    p = my_proposal(db, user=user, call_id=call_id)
    if p is None:
        raise Invalid("proposal", _("there is no proposal to withdraw"))
    reason = states.check_proposal(call, p["status"], "withdraw", by=states.APPLICANT, reason=reason)
    with transaction(db):
        db["proposals"].update((call_id, p["id"]), {"status": "withdrawn", "status_reason": reason})
        audit.record(db, actor=user.actor, call=call["reference"], action="proposal.withdrawn",
                     target=f"proposal:{p['id']}", old={"status": p["status"], "reason": p["status_reason"]},
                     new={"status": "withdrawn", "reason": reason}, reason=reason)


def _renew_receipt(db: sqlite_utils.Database, user: User, call_id: int) -> str | None:
    """A submitted proposal whose files changed gets a receipt that covers them; a draft has none yet."""
    p = my_proposal(db, user=user, call_id=call_id)
    if p["status"] != "submitted":
        return None
    receipt = complete_receipt(db, call_id, p)
    db["proposals"].update((call_id, p["id"]), {"receipt": receipt, "updated_at": clock.stamp()})
    return receipt


def _editable_proposal(db: sqlite_utils.Database, user: User, call: dict) -> dict:
    """The applicant's proposal, read inside the write lock, refused unless they may still change it."""
    p = my_proposal(db, user=user, call_id=call["id"])
    if p is None:
        _require_open(call)
        raise Invalid("attachment", _("save your proposal before adding files"))
    states.check_proposal(call, p["status"], "edit", by=states.APPLICANT)
    return p


def add_attachment(db: sqlite_utils.Database, *, user: User, call_id: int, filename: str, data: bytes) -> int:
    """Keep a PDF for the applicant's proposal; the name typed by the user is only ever displayed."""
    require(is_applicant(user), _("Only applicants add files to their proposal."))
    call = call_row(db, call_id)
    _editable_proposal(db, user, call)
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise Invalid("attachment", _("files are limited to {size} MB", size=MAX_ATTACHMENT_BYTES // (1024 * 1024)))
    problem = files.pdf_problem(data)
    if problem:
        raise Invalid("attachment", problem)
    shown = Path((filename or "document.pdf").replace("\\", "/")).name[:200] or "document.pdf"
    stored = f"{uuid.uuid4().hex}.pdf"
    try:
        with transaction(db):
            files.recover(db)
            p = _editable_proposal(db, user, call)  # again, inside the lock: the count and the state are current
            if len(p["attachments"]) >= MAX_ATTACHMENTS:
                raise Invalid("attachment", _("at most {n} files per proposal", n=MAX_ATTACHMENTS))
            files.stage(db, stored, data)
            attachment_id = db["attachments"].insert(
                {"call_id": call_id, "proposal_id": p["id"], "filename": shown, "stored_name": stored,
                 "size": len(data), "sha256": hashlib.sha256(data).hexdigest(), "uploaded_at": clock.stamp()}
            ).last_pk
            receipt = _renew_receipt(db, user, call_id)
            audit.record(db, actor=user.actor, call=call["reference"], action="attachment.added",
                         target=f"proposal:{p['id']}", old={"receipt": p["receipt"]} if receipt else None,
                         new={"filename": shown, "size": len(data), "receipt": receipt})
    except BaseException:
        files.unstage(db, stored)
        raise
    files.place(db, stored)
    return attachment_id


def remove_attachment(db: sqlite_utils.Database, *, user: User, call_id: int, attachment_id: int) -> str:
    """Take a file off the applicant's own proposal while they may still change it (a new receipt if submitted);
    return the file's name."""
    require(is_applicant(user), _("Only applicants remove files from their proposal."))
    call = call_row(db, call_id)
    rows = list(db.query("SELECT * FROM attachments WHERE id = ? AND call_id = ?", [attachment_id, call_id]))
    if not rows:
        raise Invalid("attachment", _("no such file"))
    a = rows[0]
    require(owns_proposal(db, user, call_id, a["proposal_id"]), _("This is not your file."))
    try:
        with transaction(db):
            files.recover(db)
            p = _editable_proposal(db, user, call)
            files.set_aside(db, a["stored_name"])
            db.execute("DELETE FROM attachments WHERE id = ?", [attachment_id])
            receipt = _renew_receipt(db, user, call_id)
            audit.record(db, actor=user.actor, call=call["reference"], action="attachment.removed",
                         target=f"proposal:{p['id']}",
                         old={"filename": a["filename"], "size": a["size"], "sha256": a["sha256"],
                              "receipt": p["receipt"]},
                         new={"receipt": receipt} if receipt else None)
    except BaseException:
        files.put_back(db, a["stored_name"])
        raise
    files.discard(db, a["stored_name"])
    return a["filename"]


def attachment_bytes(db: sqlite_utils.Database, *, user: User, call_id: int, attachment_id: int) -> tuple[str, bytes]:
    rows = list(db.query("SELECT * FROM attachments WHERE id = ? AND call_id = ?", [attachment_id, call_id]))
    if not rows:
        raise Invalid("attachment", _("no such file"))
    a = rows[0]
    require(may_view_proposal(db, user, call_id, a["proposal_id"]), _("You may not read this file."))
    return a["filename"], files.read(db, a["stored_name"])


def read_proposal(db: sqlite_utils.Database, *, user: User, call_id: int, proposal_id: str) -> dict:
    """A proposal with its sections and files, for those who may read it (see ``may_view_proposal``)."""
    require(may_view_proposal(db, user, call_id, proposal_id), _("You may not read this proposal."))
    p = next(db.query("SELECT id, status, status_reason, statement, summary, submitted_at, receipt FROM proposals "
                      "WHERE call_id = ? AND id = ?", [call_id, proposal_id]))
    p["sections"] = {r[0]: r[1] for r in db.execute(
        "SELECT criterion_id, text FROM sections WHERE call_id = ? AND proposal_id = ?", [call_id, proposal_id])}
    p["attachments"] = list(db.query("SELECT id, filename, size FROM attachments WHERE call_id = ? AND proposal_id = ? "
                                     "ORDER BY id", [call_id, proposal_id]))
    return p
