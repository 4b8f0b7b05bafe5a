"""Who may do what: every predicate answered for each role, and the services that lean on them.

The cast is made through the real services: a secretariat officer, a Bureau member, an
applicant who owns a submitted proposal (``applicant``), a rival applicant with a proposal of
its own, and members who are assigned to the owner's proposal (declared no conflict; declared
a conflict; declared nothing yet) or not assigned at all.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from criteria.sets import default_criteria
from selection import accounts, clock, permissions, store
from selection.errors import Forbidden
from selection.models import Role
from selection.permissions import User
from selection.services import calls, intake, review
from tests.pdf_samples import PDF

PASSWORD = "a long enough password"
ROLES = ["secretariat", "member", "bureau", "applicant", None]
SECTIONS = {c["id"]: f"Evidence on {c['id']}." for c in default_criteria()}


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))


def _applicant(db, call_id, username):
    user = accounts.register_applicant(db, username=username, display_name=username, password=PASSWORD)
    intake.save_profile(db, user=user, call_id=call_id, profile={"name": f"Institute {username}", "country": "KE"})
    pid = intake.save_draft(db, user=user, call_id=call_id, slots=["africa"], statement="We apply.", summary="",
                            sections=SECTIONS)
    intake.submit(db, user=user, call_id=call_id)
    return user, pid


@pytest.fixture
def cast(tmp_path):
    db = store.connect(tmp_path / "perm.db")
    sec = accounts.create_first_secretariat(db, username="sec", display_name="Officer", password=PASSWORD)
    call_id = calls.create_call(db, user=sec, data={
        "reference": "TSC-P", "title": "Permissions", "min_reviews": 1,
        "dates": {"submission_deadline": "2026-05-31"},
        "slots": [{"id": "africa", "name": "Africa", "level": "regional"}],
        "criteria": default_criteria(),
    })
    calls.publish_call(db, user=sec, call_id=call_id)

    def invited(username, role):
        code = accounts.invite(db, user=sec, role=role, display_name=username.title())
        return accounts.accept_invitation(db, code=code, username=username, password=PASSWORD)

    owner, pid = _applicant(db, call_id, "owner")
    rival, rival_pid = _applicant(db, call_id, "rival")
    member, conflicted, undeclared, unassigned = (invited(n, Role.MEMBER)
                                                  for n in ("amina", "carlos", "dina", "erik"))
    for m in (member, conflicted, undeclared):
        review.assign(db, user=sec, call_id=call_id, proposal_id=pid, member_id=m.id)
    review.declare(db, user=member, call_id=call_id, proposal_id=pid, conflict=False)
    review.declare(db, user=conflicted, call_id=call_id, proposal_id=pid, conflict=True, reason="My employer.")
    people = {"secretariat": sec, "member": member, "bureau": invited("bureau1", Role.BUREAU), "applicant": owner,
              None: None}
    yield SimpleNamespace(db=db, call_id=call_id, pid=pid, rival_pid=rival_pid, people=people, rival=rival,
                          conflicted=conflicted, undeclared=undeclared, unassigned=unassigned)
    db.conn.close()


def _full_scores(value=4):
    return {c: (value, "Reasons.") for c in SECTIONS}


def _submit_member_review(c):
    member = c.people["member"]
    review.save_scores(c.db, user=member, call_id=c.call_id, proposal_id=c.pid, scores=_full_scores())
    review.submit_review(c.db, user=member, call_id=c.call_id, proposal_id=c.pid)


# --------------------------------------------------------------------------- role-only predicates


def _user(role):
    return None if role is None else User(id=1, username="x", display_name="X", role=Role(role))


ROLE_TABLE = {
    #                    secretariat member bureau applicant None
    "is_secretariat":   (True, False, False, False, False),
    "is_member":        (False, True, False, False, False),
    "is_bureau":        (False, False, True, False, False),
    "is_applicant":     (False, False, False, True, False),
    "may_manage_call":  (True, False, False, False, False),
    "may_read_report":  (True, False, True, False, False),
    "may_give_advice":  (False, False, True, False, False),
}


@pytest.mark.parametrize(
    ("predicate", "role", "expected"),
    [pytest.param(p, r, row[i], id=f"{p}-{r}") for p, row in ROLE_TABLE.items() for i, r in enumerate(ROLES)],
)
def test_role_predicates(predicate, role, expected):
    assert getattr(permissions, predicate)(_user(role)) is expected


def test_actor_names_role_and_username():
    assert User(id=3, username="amina", display_name="Amina", role=Role.MEMBER).actor == "member:amina"


def test_require_raises_forbidden_with_the_message():
    permissions.require(True, "never shown")
    with pytest.raises(Forbidden, match="Only the secretariat"):
        permissions.require(False, "Only the secretariat does this.")


# --------------------------------------------------------------------------- predicates about one proposal


RECORD_TABLE = {
    #                        secretariat member bureau applicant None
    "owns_proposal":        (False, False, False, True, False),
    "may_view_proposal":    (True, True, False, True, False),
    "may_score":            (False, True, False, False, False),
    "has_submitted_review": (False, False, False, False, False),
    "may_see_panel_scores": (True, False, False, False, False),
}


@pytest.mark.parametrize(
    ("predicate", "role", "expected"),
    [pytest.param(p, r, row[i], id=f"{p}-{r}") for p, row in RECORD_TABLE.items() for i, r in enumerate(ROLES)],
)
def test_record_predicates_before_any_review_is_submitted(cast, predicate, role, expected):
    assert getattr(permissions, predicate)(cast.db, cast.people[role], cast.call_id, cast.pid) is expected


AFTER_SUBMISSION = {
    "has_submitted_review": (False, True, False, False, False),
    "may_see_panel_scores": (True, True, False, False, False),
}


@pytest.mark.parametrize(
    ("predicate", "role", "expected"),
    [pytest.param(p, r, row[i], id=f"{p}-{r}") for p, row in AFTER_SUBMISSION.items() for i, r in enumerate(ROLES)],
)
def test_record_predicates_after_the_member_submits(cast, predicate, role, expected):
    _submit_member_review(cast)
    assert getattr(permissions, predicate)(cast.db, cast.people[role], cast.call_id, cast.pid) is expected


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_reviewer_id_and_assignment(cast, role):
    user = cast.people[role]
    rid = permissions.reviewer_id(cast.db, user, cast.call_id)
    a = permissions.assignment(cast.db, user, cast.call_id, cast.pid)
    if role == "member":
        assert rid == "m-amina"
        assert a["proposal_id"] == cast.pid and a["conflict"] == 0 and a["declared_at"]
    else:
        assert rid is None and a is None


# --------------------------------------------------------------------------- applicants between themselves


def test_an_applicant_cannot_reach_another_applicants_proposal(cast):
    owner, rival = cast.people["applicant"], cast.rival
    assert permissions.owns_proposal(cast.db, rival, cast.call_id, cast.pid) is False
    assert permissions.may_view_proposal(cast.db, rival, cast.call_id, cast.pid) is False
    assert permissions.owns_proposal(cast.db, owner, cast.call_id, cast.rival_pid) is False
    assert permissions.owns_proposal(cast.db, rival, cast.call_id, cast.rival_pid) is True

    aid = intake.add_attachment(cast.db, user=owner, call_id=cast.call_id, filename="letters.pdf", data=PDF)
    with pytest.raises(Forbidden):
        intake.attachment_bytes(cast.db, user=rival, call_id=cast.call_id, attachment_id=aid)
    assert intake.attachment_bytes(cast.db, user=owner, call_id=cast.call_id, attachment_id=aid)[1] == PDF


def test_ownership_does_not_cross_calls(cast):
    owner = cast.people["applicant"]
    assert permissions.owns_proposal(cast.db, owner, cast.call_id + 1, cast.pid) is False


# --------------------------------------------------------------------------- members


def test_a_member_not_assigned_sees_and_scores_nothing(cast):
    m = cast.unassigned
    assert permissions.reviewer_id(cast.db, m, cast.call_id) is None
    assert permissions.assignment(cast.db, m, cast.call_id, cast.pid) is None
    assert permissions.may_view_proposal(cast.db, m, cast.call_id, cast.pid) is False
    assert permissions.may_score(cast.db, m, cast.call_id, cast.pid) is False
    with pytest.raises(Forbidden):
        review.save_scores(cast.db, user=m, call_id=cast.call_id, proposal_id=cast.pid, scores=_full_scores())
    with pytest.raises(Forbidden):
        review.panel_scores(cast.db, user=m, call_id=cast.call_id, proposal_id=cast.pid)


def test_a_member_assigned_to_one_proposal_does_not_see_another(cast):
    member = cast.people["member"]
    assert permissions.may_view_proposal(cast.db, member, cast.call_id, cast.rival_pid) is False
    assert permissions.may_score(cast.db, member, cast.call_id, cast.rival_pid) is False


def test_a_member_who_has_not_declared_cannot_score(cast):
    m = cast.undeclared
    assert permissions.assignment(cast.db, m, cast.call_id, cast.pid) is not None
    assert permissions.may_score(cast.db, m, cast.call_id, cast.pid) is False
    with pytest.raises(Forbidden):
        review.save_scores(cast.db, user=m, call_id=cast.call_id, proposal_id=cast.pid, scores=_full_scores())


def test_a_conflicted_member_cannot_score(cast):
    m = cast.conflicted
    assert permissions.may_score(cast.db, m, cast.call_id, cast.pid) is False
    with pytest.raises(Forbidden):
        review.save_scores(cast.db, user=m, call_id=cast.call_id, proposal_id=cast.pid, scores=_full_scores())
    with pytest.raises(Forbidden):
        review.submit_review(cast.db, user=m, call_id=cast.call_id, proposal_id=cast.pid)
    assert cast.db.execute("SELECT count(*) FROM scores").fetchone()[0] == 0


def test_members_see_panel_scores_only_after_submitting_their_own(cast):
    member = cast.people["member"]
    review.save_scores(cast.db, user=member, call_id=cast.call_id, proposal_id=cast.pid, scores=_full_scores())
    with pytest.raises(Forbidden):
        review.panel_scores(cast.db, user=member, call_id=cast.call_id, proposal_id=cast.pid)
    review.submit_review(cast.db, user=member, call_id=cast.call_id, proposal_id=cast.pid)
    rows = review.panel_scores(cast.db, user=member, call_id=cast.call_id, proposal_id=cast.pid)
    assert len(rows) == 4 and {r["member"] for r in rows} == {"Amina"}
    # another member who has not submitted is still kept out
    with pytest.raises(Forbidden):
        review.panel_scores(cast.db, user=cast.undeclared, call_id=cast.call_id, proposal_id=cast.pid)


def test_a_conflicted_member_does_not_read_the_proposal(cast):
    assert permissions.may_view_proposal(cast.db, cast.conflicted, cast.call_id, cast.pid) is False
    assert permissions.may_view_proposal(cast.db, cast.people["member"], cast.call_id, cast.pid) is True


def test_a_member_on_two_calls_has_the_reviewer_id_and_assignments_of_each_call(cast):
    """One account, two panels: each call's own reviewer id, and an assignment in one call is not one in the other."""
    db, sec, member = cast.db, cast.people["secretariat"], cast.people["member"]
    other = calls.create_call(db, user=sec, data={
        "reference": "TSC-P2", "title": "A second call", "min_reviews": 1,
        "dates": {"submission_deadline": "2026-05-31"},
        "slots": [{"id": "africa", "name": "Africa", "level": "regional"}],
        "criteria": default_criteria(),
    })
    db.execute("INSERT INTO reviewers (call_id, id, position, name, account_id) VALUES (?, 'r9', 1, 'Amina', ?)",
               [other, member.id])
    assert permissions.reviewer_id(db, member, cast.call_id) == "m-amina"
    assert permissions.reviewer_id(db, member, other) == "r9"
    assert permissions.assignment(db, member, other, cast.pid) is None
    assert permissions.may_view_proposal(db, member, other, cast.pid) is False
    assert permissions.may_score(db, member, other, cast.pid) is False
    assert permissions.assignment(db, member, cast.call_id, cast.pid)["reviewer_id"] == "m-amina"
