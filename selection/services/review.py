"""Step 3: assignment, conflict declarations, independent scoring with reasons.

A member declares, for each proposal assigned, whether they have a conflict
of interest before they may score it; a declared conflict is final and puts
their scores out of every figure. Scores are saved as a draft, then
submitted; a score changed after submission needs a reason and keeps the old
value in the audit trail. Once a selection is recorded on a slot the proposal
applied to, its reviews are locked (the review table of ``selection.states``);
the secretariat's corrections, each with a reason, are reopening a review and
withdrawing a conflict declared by mistake.
"""

from __future__ import annotations

import sqlite_utils

from selection import audit, clock, states, words
from selection.bundle import score_problems
from selection.errors import Invalid
from selection.i18n import N_, _
from selection.models import Role, Scale
from selection.permissions import (
    User,
    assignment,
    has_submitted_review,
    is_member,
    may_manage_call,
    may_score,
    may_see_panel_scores,
    require,
    reviewer_id,
)
from selection.services.common import call_row, criteria_rows, free_id, proposal_row, required_text
from selection.store import transaction

SCORABLE = ("submitted", "eligible")
# Why a proposal is not assessed, one sentence per status.
NOT_ASSESSED = {"draft": N_("a draft proposal is not assessed"), "ineligible": N_("an ineligible proposal is not assessed"),
                "withdrawn": N_("a withdrawn proposal is not assessed")}


def reviewer_for(db: sqlite_utils.Database, call_id: int, account: dict) -> str:
    """The member's reviewer row in this call, created on first assignment (call it inside the write's transaction)."""
    row = db.execute("SELECT id FROM reviewers WHERE call_id = ? AND account_id = ?", [call_id, account["id"]]).fetchone()
    if row:
        return row[0]
    rid = free_id(db, "reviewers", call_id, f"m-{account['username']}")
    position = db.execute("SELECT count(*) FROM reviewers WHERE call_id = ?", [call_id]).fetchone()[0]
    db["reviewers"].insert({"call_id": call_id, "id": rid, "position": position, "name": account["display_name"],
                            "account_id": account["id"]})
    return rid


def assign(db: sqlite_utils.Database, *, user: User, call_id: int, proposal_id: str, member_id: int) -> None:
    require(may_manage_call(user), _("Only the secretariat assigns proposals."))
    call = call_row(db, call_id)
    p = proposal_row(db, call_id, proposal_id)
    if p["status"] not in SCORABLE:
        raise Invalid("proposal", _(NOT_ASSESSED.get(p["status"], NOT_ASSESSED["draft"])))
    rows = list(db.query("SELECT * FROM accounts WHERE id = ? AND role = ?", [member_id, Role.MEMBER.value]))
    if not rows:
        raise Invalid("member", _("not an advisory group member"))
    with transaction(db):
        rid = reviewer_for(db, call_id, rows[0])
        if db.execute("SELECT 1 FROM assignments WHERE call_id = ? AND reviewer_id = ? AND proposal_id = ?",
                      [call_id, rid, proposal_id]).fetchone():
            return
        db["assignments"].insert({"call_id": call_id, "reviewer_id": rid, "proposal_id": proposal_id,
                                  "assigned_at": clock.stamp()})
        audit.record(db, actor=user.actor, call=call["reference"], action="review.assigned",
                     target=f"proposal:{proposal_id}", new={"reviewer": rid})


def declare(db: sqlite_utils.Database, *, user: User, call_id: int, proposal_id: str, conflict: bool | None,
            reason: str | None = None) -> None:
    """A member's declaration, chosen, never assumed: ``conflict`` None is refused."""
    require(is_member(user), _("Only advisory group members declare conflicts."))
    if conflict is None:
        raise Invalid("conflict", _("choose whether you have a conflict of interest"))
    a = assignment(db, user, call_id, proposal_id)
    require(a is not None, _("This proposal is not assigned to you."))
    call = call_row(db, call_id)
    with transaction(db):
        state = states.review_state(db, call_id, a["reviewer_id"], proposal_id)
        if state == "conflict":
            raise Invalid("conflict", _("a declared conflict cannot be withdrawn; ask the secretariat"))
        states.check(states.REVIEW, "declare", state, by=states.MEMBER, field="review")
        if conflict:
            reason = required_text(reason, "reason", 5_000)
        db.execute("UPDATE assignments SET declared_at = ?, conflict = ? WHERE call_id = ? AND reviewer_id = ? "
                   "AND proposal_id = ?", [clock.stamp(), int(conflict), call_id, a["reviewer_id"], proposal_id])
        if conflict:
            db["conflicts"].insert({"call_id": call_id, "reviewer_id": a["reviewer_id"], "proposal_id": proposal_id,
                                    "reason": reason, "declared_at": clock.stamp()})
        audit.record(db, actor=user.actor, call=call["reference"], action="conflict.declared",
                     target=f"proposal:{proposal_id}", old={"state": state},
                     new={"conflict": conflict, "reason": reason})


def _scale(call: dict) -> Scale:
    return Scale(min=call["scale_min"], max=call["scale_max"], step=call["scale_step"])


def my_scores(db: sqlite_utils.Database, *, user: User, call_id: int, proposal_id: str) -> dict[str, dict]:
    rid = reviewer_id(db, user, call_id)
    return {r["criterion_id"]: r for r in db.query(
        "SELECT criterion_id, score, justification FROM scores WHERE call_id = ? AND reviewer_id = ? AND proposal_id = ?",
        [call_id, rid, proposal_id])}


def save_scores(db: sqlite_utils.Database, *, user: User, call_id: int, proposal_id: str,
                scores: dict[str, tuple[float | None, str]], reason: str | None = None) -> int:
    """Save a member's scores on one proposal (criterion -> (score, justification)); return how many changed.

    After the review was submitted, a change needs ``reason`` and is kept in
    the audit trail with the old value.
    """
    require(may_score(db, user, call_id, proposal_id),
            _("You may score only proposals assigned to you on which you declared no conflict."))
    call = call_row(db, call_id)
    scale = _scale(call)
    criteria = {c["id"]: c["name"] for c in criteria_rows(db, call_id)}
    rid = reviewer_id(db, user, call_id)
    state = states.review_state(db, call_id, rid, proposal_id)
    states.check(states.REVIEW, "score", state, by=states.MEMBER, field="review")
    submitted = has_submitted_review(db, user, call_id, proposal_id)
    before = my_scores(db, user=user, call_id=call_id, proposal_id=proposal_id)
    changes, refused = [], []  # every criterion's problem at once, so the form shows each under its field
    for crit, (value, justification) in scores.items():
        text = (justification or "").strip()
        if crit not in criteria:
            refused.append((f"scores.{crit}", _("not a criterion of this call")))
            continue
        if len(text) > 20_000:
            refused.append((f"justification.{crit}", _("at most {n} characters", n=words.number(20_000, 0))))
        if value is None:
            if text:  # reasons typed with no score are refused, never dropped
                refused.append((f"scores.{crit}", _("choose a score for “{criterion}” to go with its reasons", criterion=criteria[crit])))
            continue
        problems = score_problems(float(value), scale, f"scores.{crit}")
        if problems:
            refused.append((f"scores.{crit}", problems[0].split(": ", 1)[1]))
            continue
        old = before.get(crit)
        if old is None or old["score"] != float(value) or (old["justification"] or "") != text:
            changes.append((crit, float(value), text, old))
    if refused:
        raise Invalid.all(refused)
    if submitted and changes:
        reason = required_text(reason, "reason", 5_000)
    with transaction(db):
        now = states.review_state(db, call_id, rid, proposal_id)  # another tab or a selection may have come between
        states.check(states.REVIEW, "score", now, by=states.MEMBER, field="review")
        if (now == "submitted") != submitted:
            raise Invalid("review", _("this review was submitted or reopened meanwhile; open it again"))
        current = my_scores(db, user=user, call_id=call_id, proposal_id=proposal_id)  # read with the write lock held
        changes = [(crit, value, text, current.get(crit)) for crit, value, text, _ in changes
                   if current.get(crit) is None or current[crit]["score"] != value
                   or (current[crit]["justification"] or "") != text]
        for crit, value, text, old in changes:
            db["scores"].upsert({"call_id": call_id, "reviewer_id": rid, "proposal_id": proposal_id,
                                 "criterion_id": crit, "score": value, "justification": text or None,
                                 "updated_at": clock.stamp()}, pk=("call_id", "reviewer_id", "proposal_id", "criterion_id"))
            audit.record(db, actor=user.actor, call=call["reference"],
                         action="score.revised" if submitted else "score.saved",
                         target=f"score:{proposal_id}/{rid}/{crit}",
                         old=old and {"score": old["score"], "justification": old["justification"]},
                         new={"score": value, "justification": text}, reason=reason if submitted else None)
    return len(changes)


def submit_review(db: sqlite_utils.Database, *, user: User, call_id: int, proposal_id: str) -> None:
    """Submit: every criterion scored with a written reason. Only then are the others' scores shown."""
    require(may_score(db, user, call_id, proposal_id), _("You may not score this proposal."))
    rid = reviewer_id(db, user, call_id)
    states.check(states.REVIEW, "submit", states.review_state(db, call_id, rid, proposal_id), by=states.MEMBER,
                 field="review")
    mine = my_scores(db, user=user, call_id=call_id, proposal_id=proposal_id)
    missing = []
    for c in criteria_rows(db, call_id):
        if c["id"] not in mine:
            missing.append((f"scores.{c['id']}", _("choose a score for “{criterion}” before submitting", criterion=c["name"])))
        if not (mine.get(c["id"], {}).get("justification") or "").strip():
            missing.append((f"justification.{c['id']}", _("give the reasons for this score before submitting")))
    if missing:
        raise Invalid.all(missing)
    with transaction(db):
        states.check(states.REVIEW, "submit", states.review_state(db, call_id, rid, proposal_id), by=states.MEMBER,
                     field="review")
        db["review_submissions"].upsert({"call_id": call_id, "reviewer_id": rid, "proposal_id": proposal_id,
                                         "submitted_at": clock.stamp()}, pk=("call_id", "reviewer_id", "proposal_id"))
        db.execute("UPDATE assignments SET reopened_at = NULL WHERE call_id = ? AND reviewer_id = ? AND proposal_id = ?",
                   [call_id, rid, proposal_id])
        audit.record(db, actor=user.actor, call=call_row(db, call_id)["reference"], action="review.submitted",
                     target=f"proposal:{proposal_id}", new={"reviewer": rid})


def my_assignments(db: sqlite_utils.Database, *, user: User, call_id: int) -> list[dict]:
    """The member's proposals with their declaration and progress."""
    rid = reviewer_id(db, user, call_id)
    if rid is None:
        return []
    return list(db.query(
        """SELECT a.proposal_id, e.name, e.acronym, e.country, a.declared_at, a.conflict,
                  (SELECT count(*) FROM scores s WHERE s.call_id = a.call_id AND s.reviewer_id = a.reviewer_id
                     AND s.proposal_id = a.proposal_id) AS scored,
                  (SELECT submitted_at FROM review_submissions r WHERE r.call_id = a.call_id
                     AND r.reviewer_id = a.reviewer_id AND r.proposal_id = a.proposal_id) AS submitted_at
           FROM assignments a JOIN proposals p ON p.call_id = a.call_id AND p.id = a.proposal_id
           JOIN entities e ON e.call_id = p.call_id AND e.id = p.entity_id
           WHERE a.call_id = ? AND a.reviewer_id = ? ORDER BY p.position""", [call_id, rid]))


def panel_scores(db: sqlite_utils.Database, *, user: User, call_id: int, proposal_id: str) -> list[dict]:
    """Every member's scores on a proposal, for those allowed to see them."""
    require(may_see_panel_scores(db, user, call_id, proposal_id),
            _("Submit your own scores before you see the other members' scores."))
    return list(db.query(
        """SELECT r.name AS member, s.criterion_id, s.score, s.justification,
                  EXISTS (SELECT 1 FROM conflicts c WHERE c.call_id = s.call_id AND c.reviewer_id = s.reviewer_id
                          AND c.proposal_id = s.proposal_id) AS conflicted
           FROM scores s JOIN reviewers r ON r.call_id = s.call_id AND r.id = s.reviewer_id
           WHERE s.call_id = ? AND s.proposal_id = ? ORDER BY r.position""", [call_id, proposal_id]))


def _assigned(db: sqlite_utils.Database, call_id: int, proposal_id: str, reviewer: str) -> dict:
    rows = list(db.query("SELECT a.*, r.name FROM assignments a JOIN reviewers r ON r.call_id = a.call_id "
                         "AND r.id = a.reviewer_id WHERE a.call_id = ? AND a.reviewer_id = ? AND a.proposal_id = ?",
                         [call_id, reviewer, proposal_id]))
    if not rows:
        raise Invalid("review", _("this member is not assigned this proposal"))
    return rows[0]


def reopen_review(db: sqlite_utils.Database, *, user: User, call_id: int, proposal_id: str, reviewer: str,
                  reason: str) -> None:
    """Correction: a submitted (or locked) review goes back to the member, who changes it and submits again."""
    require(may_manage_call(user), _("Only the secretariat reopens a review."))
    call = call_row(db, call_id)
    with transaction(db):
        a = _assigned(db, call_id, proposal_id, reviewer)
        _state, reason = states.check_review(db, call_id, reviewer, proposal_id, "reopen", by=states.SECRETARIAT,
                                        reason=reason)
        sub = db.execute("SELECT submitted_at FROM review_submissions WHERE call_id = ? AND reviewer_id = ? "
                         "AND proposal_id = ?", [call_id, reviewer, proposal_id]).fetchone()
        stamp = clock.stamp()
        db.execute("DELETE FROM review_submissions WHERE call_id = ? AND reviewer_id = ? AND proposal_id = ?",
                   [call_id, reviewer, proposal_id])
        db.execute("UPDATE assignments SET reopened_at = ? WHERE call_id = ? AND reviewer_id = ? AND proposal_id = ?",
                   [stamp, call_id, reviewer, proposal_id])
        audit.record(db, actor=user.actor, call=call["reference"], action="review.reopened",
                     target=f"proposal:{proposal_id}",
                     old={"reviewer": reviewer, "member": a["name"], "submitted_at": sub[0] if sub else None},
                     new={"reviewer": reviewer, "member": a["name"], "reopened_at": stamp}, reason=reason)


def withdraw_conflict(db: sqlite_utils.Database, *, user: User, call_id: int, proposal_id: str, reviewer: str,
                      reason: str) -> None:
    """Correction: a conflict declared by mistake is withdrawn on the secretariat's approval; the member declares
    again, and any scores they gave count again."""
    require(may_manage_call(user), _("Only the secretariat approves withdrawing a declared conflict."))
    call = call_row(db, call_id)
    with transaction(db):
        a = _assigned(db, call_id, proposal_id, reviewer)
        _state, reason = states.check_review(db, call_id, reviewer, proposal_id, "withdraw_conflict",
                                        by=states.SECRETARIAT, reason=reason)
        declared = list(db.query("SELECT reason, declared_at FROM conflicts WHERE call_id = ? AND reviewer_id = ? "
                                 "AND proposal_id = ?", [call_id, reviewer, proposal_id]))
        db.execute("DELETE FROM conflicts WHERE call_id = ? AND reviewer_id = ? AND proposal_id = ?",
                   [call_id, reviewer, proposal_id])
        db.execute("UPDATE assignments SET declared_at = NULL, conflict = NULL WHERE call_id = ? AND reviewer_id = ? "
                   "AND proposal_id = ?", [call_id, reviewer, proposal_id])
        audit.record(db, actor=user.actor, call=call["reference"], action="conflict.withdrawn",
                     target=f"proposal:{proposal_id}",
                     old={"reviewer": reviewer, "member": a["name"], "conflict": True,
                          "declared": declared[0] if declared else None},
                     new={"reviewer": reviewer, "member": a["name"], "conflict": None}, reason=reason)
