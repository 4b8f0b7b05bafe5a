"""Screening: the secretariat marks each submitted proposal eligible or ineligible, with a reason."""

from __future__ import annotations

import sqlite_utils

from selection import audit
from selection.errors import Invalid
from selection.permissions import User, may_manage_call, require
from selection.services.common import call_row, proposal_row, required_text
from selection.store import transaction

SCREENING = ("submitted", "eligible", "ineligible", "withdrawn")


def set_status(db: sqlite_utils.Database, *, user: User, call_id: int, proposal_id: str, status: str,
               reason: str | None = None) -> None:
    require(may_manage_call(user), "Only the secretariat screens proposals.")
    if status not in SCREENING:
        raise Invalid("status", f"choose one of {', '.join(SCREENING)}")
    p = proposal_row(db, call_id, proposal_id)
    if p["status"] == "draft":
        raise Invalid("status", "a draft has not been submitted and cannot be screened")
    if status in ("ineligible", "withdrawn"):
        reason = required_text(reason, "reason", 5_000)
    with transaction(db):
        db["proposals"].update((call_id, proposal_id), {"status": status, "status_reason": (reason or "").strip() or None})
        audit.record(db, actor=user.actor, call=call_row(db, call_id)["reference"], action="proposal.screened",
                     target=f"proposal:{proposal_id}", old={"status": p["status"], "reason": p["status_reason"]},
                     new={"status": status, "reason": reason})
