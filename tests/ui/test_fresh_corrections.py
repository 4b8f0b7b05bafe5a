"""The decision page keeps the reviews its corrections pick from across reruns, and shows each correction at once."""

from __future__ import annotations

from selection import accounts, queries
from selection.services import review
from tests.ui.conftest import account_id

REF = "TSC-HOST-DEMO-2027"


def picker(at, label: str) -> list[str]:
    return list(next(s for s in at.selectbox if s.label == label).options)


def test_a_reopened_review_and_a_withdrawn_conflict_leave_the_decision_page_s_pickers(open_as, demo_db):
    call_id = queries.resolve_call(demo_db, REF)["id"]
    staff = accounts.get_user(demo_db, account_id(demo_db, "secretariat"))
    at = open_as("secretariat", "decision")
    submitted, conflicts = picker(at, "Submitted review"), picker(at, "Declared conflict")
    at.run()  # a rerun with nothing changed shows the kept list
    assert picker(at, "Submitted review") == submitted

    pid, reviewer = demo_db.execute(
        "SELECT s.proposal_id, s.reviewer_id FROM review_submissions s JOIN assignments a USING "
        "(call_id, reviewer_id, proposal_id) WHERE s.call_id = ? AND NOT a.conflict ORDER BY 1, 2 LIMIT 1",
        [call_id]).fetchone()
    review.reopen_review(demo_db, user=staff, call_id=call_id, proposal_id=pid, reviewer=reviewer,
                         reason="The member asked to correct a typing error.")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(picker(at, "Submitted review")) == len(submitted) - 1

    pid, reviewer = demo_db.execute("SELECT proposal_id, reviewer_id FROM assignments WHERE call_id = ? AND conflict "
                                    "ORDER BY 1, 2 LIMIT 1", [call_id]).fetchone()
    review.withdraw_conflict(demo_db, user=staff, call_id=call_id, proposal_id=pid, reviewer=reviewer,
                             reason="Declared on the wrong proposal.")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(picker(at, "Declared conflict")) == len(conflicts) - 1  # the demo has several conflicts
