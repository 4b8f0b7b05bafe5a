"""Screening: the secretariat marks each submitted proposal eligible or ineligible, with a reason.

The moves allowed are the proposal table of ``selection.states``: a changed
screening decision needs a reason, and after the deadline a withdrawal is the
secretariat's to record. A proposal a selection rests on is not re-screened
(the selection is cancelled first).
"""

from __future__ import annotations

import sqlite_utils

from selection import audit, states
from selection.errors import Invalid
from selection.permissions import User, may_manage_call, require
from selection.services.common import call_row, proposal_row
from selection.store import transaction

SCREENING = ("submitted", "eligible", "ineligible", "withdrawn")


def set_status(db: sqlite_utils.Database, *, user: User, call_id: int, proposal_id: str, status: str,
               reason: str | None = None) -> None:
    require(may_manage_call(user), "Only the secretariat screens proposals.")
    if status not in states.SCREENING_MOVES:
        raise Invalid("status", "choose eligible, ineligible or withdrawn")
    call = call_row(db, call_id)
    with transaction(db):
        p = proposal_row(db, call_id, proposal_id)
        if p["status"] == "draft":
            raise Invalid("status", "a draft has not been submitted and cannot be screened")
        if p["status"] == status and (reason or "").strip() == (p["status_reason"] or ""):
            return
        states.refuse_after_selection(db, call_id, proposal_id, "its screening")
        reason = states.check_screening(call, p["status"], status, reason=reason)
        db["proposals"].update((call_id, proposal_id), {"status": status, "status_reason": reason})
        audit.record(db, actor=user.actor, call=call["reference"], action="proposal.screened",
                     target=f"proposal:{proposal_id}", old={"status": p["status"], "reason": p["status_reason"]},
                     new={"status": status, "reason": reason}, reason=reason)
