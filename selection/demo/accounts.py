"""Demo sign-ins, one per role, wired to the demo call so every page has something to show.

The demo's members are linked to the demo reviewers, their scored proposals
assigned and declared, complete reviews marked submitted; the applicant owns
one demo proposal. Everyone shares one password: this is a demo, never a
real call.
"""

from __future__ import annotations

import datetime as dt

import sqlite_utils

from selection import accounts
from selection.i18n import N_
from selection.models import Role
from selection.store import transaction

PASSWORD = "demo-password"


def _account(db, username: str, name: str, role: Role) -> int:
    row = db.execute("SELECT id FROM accounts WHERE username = ?", [username]).fetchone()
    if row:
        return row[0]
    form = accounts.NewAccount(username=username, display_name=name, password=PASSWORD)
    return accounts.add_account(db, form, role, actor="demo").id


def _at(day: str, days_after: int, hour: int) -> str:
    """A time of day ``days_after`` one of the call's dates, as the store keeps it."""
    moment = dt.datetime.combine(dt.date.fromisoformat(day) + dt.timedelta(days=days_after), dt.time(hour),
                                 tzinfo=dt.UTC)
    return moment.isoformat(timespec="seconds")


def create(db: sqlite_utils.Database, call_id: int) -> list[tuple[str, str, str]]:
    """Create (or reuse) the demo accounts; return (role, username, password) for each (the role in English words,
    marked for translation where it is shown).

    The call is published on its notification date; members were assigned three days after the
    deadline for proposals, and submitted their reviews a week before the meeting."""
    made = []
    call = db.execute("SELECT notified_on, submission_deadline, advisory_meeting_on FROM calls WHERE id = ?",
                      [call_id]).fetchone()
    published, assigned, reviewed = _at(call[0], 0, 9), _at(call[1], 3, 10), _at(call[2], -7, 16)
    with transaction(db):
        db["calls"].update(call_id, {"published_at": published, "secretariat_name":
                                     "Secretariat of the Convention on Biological Diversity"})
        made.append((N_("secretariat"), "secretariat", _account(db, "secretariat", "Demo Secretariat Officer",
                                                            Role.SECRETARIAT)))
        made.append((N_("Bureau member"), "bureau", _account(db, "bureau", "Demo Bureau Member", Role.BUREAU)))
        for i, (rid, name) in enumerate(db.execute(
                "SELECT id, name FROM reviewers WHERE call_id = ? ORDER BY position", [call_id]).fetchall(), 1):
            account_id = _account(db, f"member{i}", name, Role.MEMBER)
            db.execute("UPDATE reviewers SET account_id = ? WHERE call_id = ? AND id = ?", [account_id, call_id, rid])
            if i == 1:
                made.append((N_("advisory group member"), f"member{i}", account_id))
            db.execute(
                """INSERT OR IGNORE INTO assignments (call_id, reviewer_id, proposal_id, assigned_at, declared_at, conflict)
                   SELECT DISTINCT s.call_id, s.reviewer_id, s.proposal_id, ?, ?,
                          EXISTS (SELECT 1 FROM conflicts c WHERE c.call_id = s.call_id
                                  AND c.reviewer_id = s.reviewer_id AND c.proposal_id = s.proposal_id)
                   FROM scores s WHERE s.call_id = ? AND s.reviewer_id = ?""", [assigned, assigned, call_id, rid])
        db.execute(
            """INSERT OR IGNORE INTO review_submissions (call_id, reviewer_id, proposal_id, submitted_at)
               SELECT call_id, reviewer_id, proposal_id, ? FROM scores WHERE call_id = ?
               GROUP BY reviewer_id, proposal_id
               HAVING count(*) = (SELECT count(*) FROM criteria WHERE call_id = ?)""", [reviewed, call_id, call_id])
        applicant = _account(db, "applicant", "Demo Applicant", Role.APPLICANT)
        first = db.execute("SELECT id FROM entities WHERE call_id = ? ORDER BY position LIMIT 1", [call_id]).fetchone()
        db.execute("UPDATE entities SET account_id = ? WHERE call_id = ? AND id = ?", [applicant, call_id, first[0]])
        made.append((N_("applicant"), "applicant", applicant))
    return [(role, username, PASSWORD) for role, username, _ in made]
