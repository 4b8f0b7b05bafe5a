"""The advisory group's meeting: divergent scores are discussed and consensus scores recorded.

A consensus score replaces the mean of the reviews for that proposal and
criterion (contract rule 3); its note says what the group agreed and why.
Once a selection is recorded on a slot the proposal applied to, its consensus
scores are locked like its reviews (``selection.states``).
"""

from __future__ import annotations

import sqlite_utils

from selection import audit, states
from selection.bundle import score_problems
from selection.errors import Invalid
from selection.i18n import _
from selection.models import Scale
from selection.permissions import User, may_manage_call, require
from selection.services.common import call_row, criteria_rows, proposal_row, required_text
from selection.store import transaction


def record_consensus(db: sqlite_utils.Database, *, user: User, call_id: int, proposal_id: str, criterion_id: str,
                     score: float | None, note: str) -> None:
    require(may_manage_call(user), _("The secretariat records the advisory group's consensus."))
    call = call_row(db, call_id)
    if proposal_row(db, call_id, proposal_id)["status"] == "draft":
        raise Invalid("proposal", _("a draft has not been submitted and is not assessed"))
    if criterion_id not in {c["id"] for c in criteria_rows(db, call_id)}:
        raise Invalid("criterion", _("not a criterion of this call"))
    if score is None:
        raise Invalid("score", _("choose the score the group agreed"))
    scale = Scale(min=call["scale_min"], max=call["scale_max"], step=call["scale_step"])
    problems = score_problems(float(score), scale, "score")
    if problems:
        raise Invalid("score", problems[0].split(": ", 1)[1])
    note = required_text(note, "note", 20_000)
    with transaction(db):
        states.refuse_after_selection(db, call_id, proposal_id, "its consensus score")
        old = list(db.query("SELECT score, note FROM consensus WHERE call_id = ? AND proposal_id = ? "
                            "AND criterion_id = ?", [call_id, proposal_id, criterion_id]))
        db["consensus"].upsert({"call_id": call_id, "proposal_id": proposal_id, "criterion_id": criterion_id,
                                "score": float(score), "note": note}, pk=("call_id", "proposal_id", "criterion_id"))
        audit.record(db, actor=user.actor, call=call["reference"], action="consensus.recorded",
                     target=f"consensus:{proposal_id}/{criterion_id}", old=old[0] if old else None,
                     new={"score": float(score), "note": note})


def clear_consensus(db: sqlite_utils.Database, *, user: User, call_id: int, proposal_id: str, criterion_id: str,
                    reason: str) -> None:
    require(may_manage_call(user), _("The secretariat records the advisory group's consensus."))
    reason = required_text(reason, "reason", 5_000)
    with transaction(db):
        states.refuse_after_selection(db, call_id, proposal_id, "its consensus score")
        old = list(db.query("SELECT score, note FROM consensus WHERE call_id = ? AND proposal_id = ? "
                            "AND criterion_id = ?", [call_id, proposal_id, criterion_id]))
        if not old:
            raise Invalid("criterion", _("there is no consensus score to remove"))
        db.execute("DELETE FROM consensus WHERE call_id = ? AND proposal_id = ? AND criterion_id = ?",
                   [call_id, proposal_id, criterion_id])
        audit.record(db, actor=user.actor, call=call_row(db, call_id)["reference"], action="consensus.cleared",
                     target=f"consensus:{proposal_id}/{criterion_id}", old=old[0], reason=reason)
