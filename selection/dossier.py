"""What a proposal's dossier holds, for those who may read it: read only, the PDF is made in ``reports.dossier``.

The dossier is the reading copy a member or a Bureau member takes to a meeting:
the organisation's profile, its expression of interest, every section under the
criterion it answers, the clarifications asked and answered, and the files the
applicant sent. Who may have it is ``permissions.may_read_dossier``, checked here
so that no page or document can skip it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import sqlite_utils

from selection import files, report_queries
from selection.permissions import User, may_read_dossier, require
from selection.services import clarifications
from selection.services.common import call_row, criteria_rows, proposal_row


@dataclass(frozen=True)
class StoredFile:
    """A PDF to append: its name as the applicant gave it, and where it came from."""

    name: str
    size: int
    stored_name: str
    received_on: dt.date | None
    source: str  # "proposal" or "clarification"


@dataclass(frozen=True)
class Dossier:
    call: dict
    entity: dict  # the entities row, country as its name, ``details`` the profile's further answers
    proposal: dict  # the proposals row
    slots: list[str]  # names of the centres applied for, in the applicant's order
    sections: list[tuple[dict, str | None]]  # (criterion row, the section's text) in the call's order
    clarifications: list[dict]  # ``clarifications.on_proposal`` rows
    files: list[StoredFile] = field(default_factory=list)


def _day(stamp: str | None) -> dt.date | None:
    return dt.date.fromisoformat(stamp[:10]) if stamp else None


def contents(db: sqlite_utils.Database, *, user: User, call_id: int, proposal_id: str) -> Dossier:
    """Everything the dossier shows, once ``may_read_dossier`` allows the person."""
    require(may_read_dossier(db, user, call_id, proposal_id), "You may not read this proposal's dossier.")
    call = call_row(db, call_id)
    proposal = proposal_row(db, call_id, proposal_id)
    entity = next(db.query("SELECT * FROM entities WHERE call_id = ? AND id = ?", [call_id, proposal["entity_id"]]))
    entity = {**entity, "country": report_queries.country_name(entity.get("country")),
              "details": json.loads(entity["profile"]) if entity.get("profile") else {}}
    slots = [r[0] for r in db.execute(
        "SELECT s.name FROM proposal_slots ps JOIN slots s ON s.call_id = ps.call_id AND s.id = ps.slot_id "
        "WHERE ps.call_id = ? AND ps.proposal_id = ? ORDER BY ps.position", [call_id, proposal_id])]
    texts = {r[0]: r[1] for r in db.execute(
        "SELECT criterion_id, text FROM sections WHERE call_id = ? AND proposal_id = ?", [call_id, proposal_id])}
    asked = clarifications.on_proposal(db, call_id, proposal_id)
    attached = [StoredFile(r["filename"], r["size"], r["stored_name"], _day(r["uploaded_at"]), "proposal")
                for r in db.query("SELECT filename, size, stored_name, uploaded_at FROM attachments "
                                  "WHERE call_id = ? AND proposal_id = ? ORDER BY id", [call_id, proposal_id])]
    attached += [StoredFile(r["file_name"], r["file_size"] or 0, r["stored_name"], _day(r["answered_at"]),
                            "clarification") for r in asked if r["stored_name"]]
    return Dossier(call=call, entity=entity, proposal=proposal, slots=slots,
                   sections=[(c, texts.get(c["id"])) for c in criteria_rows(db, call_id)],
                   clarifications=asked, files=attached)


def file_bytes(db: sqlite_utils.Database, stored: StoredFile) -> bytes:
    """A file of the dossier as stored (``OSError`` when it is gone from the disk)."""
    return files.read(db, stored.stored_name)
