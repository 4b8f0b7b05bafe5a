"""Who may do what: named predicates, used by the services and never re-implemented in a page.

Each predicate answers for one person and, where it matters, one record. The
services call :func:`require`, so a hidden button is never the only guard.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from selection.errors import Forbidden
from selection.models import Role


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    role: Role
    email: str | None = None
    language: str | None = None

    @property
    def actor(self) -> str:
        return f"{self.role.value}:{self.username}"


def is_secretariat(user: User | None) -> bool:
    return user is not None and user.role is Role.SECRETARIAT


def is_member(user: User | None) -> bool:
    return user is not None and user.role is Role.MEMBER


def is_bureau(user: User | None) -> bool:
    return user is not None and user.role is Role.BUREAU


def is_applicant(user: User | None) -> bool:
    return user is not None and user.role is Role.APPLICANT


def may_manage_call(user: User | None) -> bool:
    return is_secretariat(user)


def may_manage_accounts(user: User | None) -> bool:
    """Invite, disable, enable, unlock, change a role, issue a reset code: the secretariat's care."""
    return is_secretariat(user)


def may_read_report(user: User | None) -> bool:
    return is_secretariat(user) or is_bureau(user)


def may_give_advice(user: User | None) -> bool:
    return is_bureau(user)


def may_record_advice(user: User | None) -> bool:
    """The Bureau gives advice; the secretariat may record advice the Bureau gave at a meeting or by letter."""
    return is_bureau(user) or is_secretariat(user)


def owns_proposal(db: sqlite_utils.Database, user: User | None, call_id: int, proposal_id: str) -> bool:
    if not is_applicant(user):
        return False
    row = db.execute(
        "SELECT 1 FROM proposals p JOIN entities e ON e.call_id = p.call_id AND e.id = p.entity_id "
        "WHERE p.call_id = ? AND p.id = ? AND e.account_id = ?",
        [call_id, proposal_id, user.id],
    ).fetchone()
    return row is not None


def reviewer_id(db: sqlite_utils.Database, user: User | None, call_id: int) -> str | None:
    """The advisory group member's reviewer id in this call, if they sit on its panel."""
    if not is_member(user):
        return None
    row = db.execute("SELECT id FROM reviewers WHERE call_id = ? AND account_id = ?", [call_id, user.id]).fetchone()
    return row[0] if row else None


def assignment(db: sqlite_utils.Database, user: User | None, call_id: int, proposal_id: str) -> dict | None:
    rid = reviewer_id(db, user, call_id)
    if rid is None:
        return None
    rows = list(
        db.query(
            "SELECT * FROM assignments WHERE call_id = ? AND reviewer_id = ? AND proposal_id = ?",
            [call_id, rid, proposal_id],
        )
    )
    return rows[0] if rows else None


def may_view_proposal(db: sqlite_utils.Database, user: User | None, call_id: int, proposal_id: str) -> bool:
    """The secretariat, the applicant who sent it, and an assigned member with no declared conflict."""
    a = assignment(db, user, call_id, proposal_id)
    return (
        is_secretariat(user)
        or owns_proposal(db, user, call_id, proposal_id)
        or (a is not None and not a["conflict"])
    )


def shortlisted(db: sqlite_utils.Database, call_id: int) -> set[str]:
    """The proposals on a shortlist of the call today, by the contract's ranking rules."""
    from selection import queries

    reference = db.execute("SELECT reference FROM calls WHERE id = ?", [call_id]).fetchone()
    if reference is None:
        return set()
    ranking = queries.ranking_inputs(db, reference[0]).rank()
    return {pid for slot in ranking.slots for pid in slot.shortlist}


def may_read_dossier(db: sqlite_utils.Database, user: User | None, call_id: int, proposal_id: str) -> bool:
    """Whoever may read the proposal, and the Bureau for a proposal on a shortlist it advises on."""
    if may_view_proposal(db, user, call_id, proposal_id):
        return True
    return is_bureau(user) and proposal_id in shortlisted(db, call_id)


def may_score(db: sqlite_utils.Database, user: User | None, call_id: int, proposal_id: str) -> bool:
    """An assigned member who has declared no conflict on this proposal."""
    a = assignment(db, user, call_id, proposal_id)
    return a is not None and a["declared_at"] is not None and not a["conflict"]


def has_submitted_review(db: sqlite_utils.Database, user: User | None, call_id: int, proposal_id: str) -> bool:
    rid = reviewer_id(db, user, call_id)
    return rid is not None and db.execute(
        "SELECT 1 FROM review_submissions WHERE call_id = ? AND reviewer_id = ? AND proposal_id = ?",
        [call_id, rid, proposal_id],
    ).fetchone() is not None


def may_see_panel_scores(db: sqlite_utils.Database, user: User | None, call_id: int, proposal_id: str) -> bool:
    """Members see the others' scores only after submitting their own, so none is anchored on another;
    a member who declared a conflict on the proposal never sees them, whatever they submitted before."""
    if is_secretariat(user):
        return True
    a = assignment(db, user, call_id, proposal_id)
    return a is not None and not a["conflict"] and has_submitted_review(db, user, call_id, proposal_id)


def decision_made_for(db: sqlite_utils.Database, call_id: int, proposal_id: str) -> bool:
    """A current selection (an offer awaiting its answer or accepted, not cancelled) is recorded on every
    slot the submitted proposal applied to: its outcome is known, so its evaluation summary may go out."""
    applied, decided = db.execute(
        "SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM selections s WHERE s.call_id = ps.call_id "
        "AND s.slot_id = ps.slot_id AND s.cancelled_at IS NULL AND s.acceptance IN ('pending', 'accepted'))), 0) "
        "FROM proposal_slots ps JOIN proposals p ON p.call_id = ps.call_id AND p.id = ps.proposal_id "
        "WHERE ps.call_id = ? AND ps.proposal_id = ? AND p.status <> 'draft'",
        [call_id, proposal_id]).fetchone()
    return applied > 0 and decided == applied


def may_read_summary(db: sqlite_utils.Database, user: User | None, call_id: int, proposal_id: str) -> bool:
    """The secretariat at any time; the applicant who sent the proposal once the decision is made."""
    return is_secretariat(user) or (owns_proposal(db, user, call_id, proposal_id)
                                    and decision_made_for(db, call_id, proposal_id))


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise Forbidden(message)
