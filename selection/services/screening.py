"""Screening: the secretariat marks each submitted proposal eligible or ineligible, with a reason,
directly or by checking it against the call's eligibility conditions.

The moves allowed are the proposal table of ``selection.states``: a changed
screening decision needs a reason (undoing one too, back to "not yet screened"), and after the deadline a withdrawal is the
secretariat's to record. A proposal a selection rests on is not re-screened
(the selection is cancelled first).
"""

from __future__ import annotations

import sqlite_utils

from selection import audit, clock, states
from selection.i18n import _
from selection.errors import Invalid
from selection.permissions import User, may_manage_call, require
from selection.services import eligibility
from selection.services.common import call_row, proposal_row, required_text
from selection.store import transaction

SCREENING = ("submitted", "eligible", "ineligible", "withdrawn")


def set_status(db: sqlite_utils.Database, *, user: User, call_id: int, proposal_id: str, status: str,
               reason: str | None = None) -> None:
    require(may_manage_call(user), _("Only the secretariat screens proposals."))
    if status not in states.SCREENING_MOVES:
        raise Invalid("status", _("choose eligible, not eligible, withdrawn, or not yet screened to undo a screening"))
    call = call_row(db, call_id)
    with transaction(db):
        p = proposal_row(db, call_id, proposal_id)
        if p["status"] == "draft":
            raise Invalid("status", _("a draft has not been submitted and cannot be screened"))
        if p["status"] == status and (reason or "").strip() == (p["status_reason"] or ""):
            return
        states.refuse_after_selection(db, call_id, proposal_id, "its screening")
        reason = states.check_screening(call, p["status"], status, reason=reason)
        db["proposals"].update((call_id, proposal_id), {"status": status, "status_reason": reason})
        audit.record(db, actor=user.actor, call=call["reference"], action="proposal.screened",
                     target=f"proposal:{proposal_id}", old={"status": p["status"], "reason": p["status_reason"]},
                     new={"status": status, "reason": reason}, reason=reason)


def checks(db: sqlite_utils.Database, call_id: int, proposal_id: str) -> dict[int, dict]:
    """The last screening answers of a proposal: condition id -> {met, reason, checked_at, checked_by}."""
    return {r["condition_id"]: r for r in db.query(
        "SELECT condition_id, met, reason, checked_at, checked_by FROM eligibility_checks "
        "WHERE call_id = ? AND proposal_id = ?", [call_id, proposal_id])}


def screen_against_conditions(db: sqlite_utils.Database, *, user: User, call_id: int, proposal_ids: list[str],
                              answers: dict[int, tuple[bool, str | None]]) -> dict[str, str]:
    """Record, for one or many proposals at once, whether each of the call's conditions is met.

    Every condition needs an answer, and a condition not met needs the reason.
    All met makes a proposal eligible; any not met makes it ineligible, the
    reasons becoming its status reason. All proposals or none are changed.
    Returns each proposal's new status.
    """
    require(may_manage_call(user), _("Only the secretariat screens proposals."))
    if not proposal_ids:
        raise Invalid("proposals", _("choose at least one proposal to screen"))
    conditions = {c["id"]: c["text"] for c in eligibility.conditions(db, call_id)}
    if not conditions:
        raise Invalid("conditions", _("this call has no eligibility conditions: set them under Call set-up"))
    reasons, problems = {}, []  # every unanswered condition and missing reason at once
    for i, cid in enumerate(conditions, 1):
        if cid not in answers or answers[cid][0] is None:
            problems.append((f"condition {i}", _("choose Met or Not met")))
            continue
        met, reason = answers[cid]
        if not met:
            try:
                reasons[cid] = required_text(reason, f"reason {i}", 2_000)
            except Invalid as e:
                problems.append((e.field, _("say why this condition is not met") if not (reason or "").strip()
                                 else e.message))
    if problems:
        raise Invalid.all(problems)
    status = "ineligible" if reasons else "eligible"
    summary = "; ".join(f"{conditions[cid]}: {why}" for cid, why in reasons.items()) or None
    stamp = clock.stamp()
    with transaction(db):
        for pid in proposal_ids:
            db["eligibility_checks"].upsert_all(
                ({"call_id": call_id, "proposal_id": pid, "condition_id": cid, "met": int(answers[cid][0]),
                  "reason": reasons.get(cid) or (answers[cid][1] or "").strip() or None, "checked_at": stamp,
                  "checked_by": user.display_name} for cid in conditions),
                pk=("call_id", "proposal_id", "condition_id"))
            set_status(db, user=user, call_id=call_id, proposal_id=pid, status=status, reason=summary)
    return {pid: status for pid in proposal_ids}
