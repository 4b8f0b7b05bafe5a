"""Step 3: assignment, conflict declarations, independent scoring with reasons, revisions on record."""

from __future__ import annotations

import pytest

from selection import queries
from selection.errors import Forbidden, Invalid
from selection.services import review


@pytest.fixture
def scene(world):
    """A submitted proposal and a member assigned to it who has declared nothing yet."""
    _, pid = world.submitted("lakes")
    member = world.member("amina")
    world.assign(member, pid, declare=None)
    return world, member, pid


def _scores(world, member, pid, scores, reason=None):
    return review.save_scores(world.db, user=member, call_id=world.call_id, proposal_id=pid, scores=scores,
                              reason=reason)


def _full(value, text="Well documented."):
    return {c: (value, text) for c in ("networks", "expertise", "tsc_experience", "capacity")}


# --------------------------------------------------------------------------- assignment


def test_assign_creates_the_reviewer_row_once(world, audit_events):
    _, p1 = world.submitted("lakes")
    _, p2 = world.submitted("coast", country="TZ")
    member = world.member("amina")
    world.assign(member, p1, declare=None)
    world.assign(member, p2, declare=None)
    world.assign(member, p1, declare=None)  # again: nothing new

    reviewers = list(world.db.query("SELECT id, name, account_id FROM reviewers WHERE call_id = ?", [world.call_id]))
    assert reviewers == [{"id": "m-amina", "name": "Amina Person", "account_id": member.id}]
    rows = list(world.db.query("SELECT reviewer_id, proposal_id, declared_at, conflict FROM assignments "
                               "ORDER BY proposal_id"))
    assert rows == [{"reviewer_id": "m-amina", "proposal_id": p2, "declared_at": None, "conflict": None},
                    {"reviewer_id": "m-amina", "proposal_id": p1, "declared_at": None, "conflict": None}]
    assert len(audit_events(world.db, "review.assigned")) == 2
    assert [a["proposal_id"] for a in review.my_assignments(world.db, user=member, call_id=world.call_id)] == [p1, p2]


def test_only_members_can_be_assigned(world):
    user, pid = world.submitted("lakes")
    for account in (user, world.sec, world.bureau()):
        with pytest.raises(Invalid) as e:
            review.assign(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid, member_id=account.id)
        assert e.value.field == "member"
    assert world.db.execute("SELECT count(*) FROM assignments").fetchone()[0] == 0


def test_only_the_secretariat_assigns(world):
    user, pid = world.submitted("lakes")
    member = world.member("amina")
    for who in (member, user, world.bureau(), None):
        with pytest.raises(Forbidden):
            review.assign(world.db, user=who, call_id=world.call_id, proposal_id=pid, member_id=member.id)
    assert world.db.execute("SELECT count(*) FROM assignments").fetchone()[0] == 0


def test_an_ineligible_proposal_is_not_assigned(world):
    from selection.services import screening

    _, pid = world.submitted("lakes")
    screening.set_status(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid, status="ineligible",
                         reason="Outside the region.")
    with pytest.raises(Invalid) as e:
        review.assign(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid,
                      member_id=world.member("amina").id)
    assert e.value.field == "proposal"


# --------------------------------------------------------------------------- conflicts


def test_scoring_needs_a_declaration_first(scene):
    world, member, pid = scene
    with pytest.raises(Forbidden):
        _scores(world, member, pid, _full(4))
    review.declare(world.db, user=member, call_id=world.call_id, proposal_id=pid, conflict=False)
    assert _scores(world, member, pid, _full(4)) == 4


def test_declaring_a_conflict_records_it_and_bars_scoring(scene, audit_events):
    world, member, pid = scene
    review.declare(world.db, user=member, call_id=world.call_id, proposal_id=pid, conflict=True,
                   reason="I sit on their board.")
    [c] = list(world.db.query("SELECT reviewer_id, proposal_id, reason FROM conflicts"))
    assert c == {"reviewer_id": "m-amina", "proposal_id": pid, "reason": "I sit on their board."}
    a = next(world.db.query("SELECT conflict, declared_at FROM assignments"))
    assert a["conflict"] == 1 and a["declared_at"]
    with pytest.raises(Forbidden):
        _scores(world, member, pid, _full(4))
    with pytest.raises(Forbidden):
        review.submit_review(world.db, user=member, call_id=world.call_id, proposal_id=pid)
    assert world.db.execute("SELECT count(*) FROM scores").fetchone()[0] == 0
    assert audit_events(world.db, "conflict.declared")[0]["new"] == {"conflict": True,
                                                                     "reason": "I sit on their board."}


def test_a_conflict_needs_a_reason(scene):
    world, member, pid = scene
    with pytest.raises(Invalid) as e:
        review.declare(world.db, user=member, call_id=world.call_id, proposal_id=pid, conflict=True, reason=" ")
    assert e.value.field == "reason"
    assert world.db.execute("SELECT count(*) FROM conflicts").fetchone()[0] == 0


def test_a_declaration_is_chosen_never_assumed(scene):
    world, member, pid = scene
    with pytest.raises(Invalid) as e:
        review.declare(world.db, user=member, call_id=world.call_id, proposal_id=pid, conflict=None)
    assert e.value.field == "conflict"
    assert next(world.db.query("SELECT declared_at FROM assignments"))["declared_at"] is None


def test_a_declared_conflict_cannot_be_withdrawn(scene):
    world, member, pid = scene
    review.declare(world.db, user=member, call_id=world.call_id, proposal_id=pid, conflict=True,
                   reason="Former employer.")
    with pytest.raises(Invalid) as e:
        review.declare(world.db, user=member, call_id=world.call_id, proposal_id=pid, conflict=False)
    assert e.value.field == "conflict"
    assert next(world.db.query("SELECT conflict FROM assignments"))["conflict"] == 1
    with pytest.raises(Forbidden):
        _scores(world, member, pid, _full(4))


def test_only_an_assigned_member_declares(scene):
    world, _, pid = scene
    with pytest.raises(Forbidden):
        review.declare(world.db, user=world.member("bongani"), call_id=world.call_id, proposal_id=pid, conflict=False)
    with pytest.raises(Forbidden):
        review.declare(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid, conflict=False)


def test_scores_of_a_conflicted_member_are_left_out_of_the_ranking(world):
    _, pid = world.submitted("lakes")
    first, second = world.member("amina"), world.member("bongani")
    for member, value in ((first, 5), (second, 1)):
        world.assign(member, pid)
        world.score(member, pid, value)
    assert world.row(pid)["criteria"]["networks"] == 3  # mean of 5 and 1

    # amina learns of a conflict after scoring and declares it
    review.declare(world.db, user=first, call_id=world.call_id, proposal_id=pid, conflict=True,
                   reason="My spouse was just hired there.")
    row = world.row(pid)
    assert row["criteria"] == {c: 1 for c in world.CRITERIA}
    assert row["reviews"] == 1
    excluded = queries.ranking_inputs(world.db).rank().excluded
    assert excluded[["reviewer", "proposal", "reason"]].values.tolist() == [["m-amina", pid, "conflict"]]


# --------------------------------------------------------------------------- scores


@pytest.mark.parametrize(
    ("value", "words"),
    [(2.25, "step"), (5.5, "above the scale maximum 5"), (-0.5, "below the scale minimum 0"), (7, "above")],
    ids=["off-grid", "above-max", "below-min", "far-above"],
)
def test_a_score_off_the_scale_is_refused_naming_the_criterion(scene, value, words):
    world, member, pid = scene
    review.declare(world.db, user=member, call_id=world.call_id, proposal_id=pid, conflict=False)
    scores = {"networks": (4, "Fine."), "expertise": (value, "Hmm.")}
    with pytest.raises(Invalid) as e:
        _scores(world, member, pid, scores)
    assert e.value.field == "scores.expertise"
    assert words in e.value.message
    assert world.db.execute("SELECT count(*) FROM scores").fetchone()[0] == 0  # all or nothing


def test_a_score_for_an_unknown_criterion_is_refused(scene):
    world, member, pid = scene
    review.declare(world.db, user=member, call_id=world.call_id, proposal_id=pid, conflict=False)
    with pytest.raises(Invalid) as e:
        _scores(world, member, pid, {"budget": (4, "Cheap.")})
    assert e.value.field == "scores.budget"


def test_scores_are_saved_as_a_draft_a_criterion_at_a_time(scene):
    world, member, pid = scene
    review.declare(world.db, user=member, call_id=world.call_id, proposal_id=pid, conflict=False)
    assert _scores(world, member, pid, {"networks": (3.5, "Three networks."), "expertise": (None, "")}) == 1
    assert _scores(world, member, pid, {"networks": (3.5, "Three networks.")}) == 0  # unchanged
    mine = review.my_scores(world.db, user=member, call_id=world.call_id, proposal_id=pid)
    assert {k: (v["score"], v["justification"]) for k, v in mine.items()} == {"networks": (3.5, "Three networks.")}
    [a] = review.my_assignments(world.db, user=member, call_id=world.call_id)
    assert a["scored"] == 1 and a["submitted_at"] is None


def test_submit_needs_every_criterion(scene):
    world, member, pid = scene
    review.declare(world.db, user=member, call_id=world.call_id, proposal_id=pid, conflict=False)
    scores = _full(4)
    del scores["capacity"]
    _scores(world, member, pid, scores)
    with pytest.raises(Invalid) as e:
        review.submit_review(world.db, user=member, call_id=world.call_id, proposal_id=pid)
    assert e.value.field == "scores.capacity"
    assert world.db.execute("SELECT count(*) FROM review_submissions").fetchone()[0] == 0


def test_submit_needs_a_justification_for_every_score(scene):
    world, member, pid = scene
    review.declare(world.db, user=member, call_id=world.call_id, proposal_id=pid, conflict=False)
    scores = _full(4)
    scores["tsc_experience"] = (4, "   ")
    _scores(world, member, pid, scores)
    with pytest.raises(Invalid) as e:
        review.submit_review(world.db, user=member, call_id=world.call_id, proposal_id=pid)
    assert e.value.field == "justification.tsc_experience"
    assert world.db.execute("SELECT count(*) FROM review_submissions").fetchone()[0] == 0


def test_submit_records_the_review(scene, audit_events):
    world, member, pid = scene
    review.declare(world.db, user=member, call_id=world.call_id, proposal_id=pid, conflict=False)
    _scores(world, member, pid, _full(4))
    review.submit_review(world.db, user=member, call_id=world.call_id, proposal_id=pid)
    [a] = review.my_assignments(world.db, user=member, call_id=world.call_id)
    assert a["scored"] == 4 and a["submitted_at"].startswith("2026-03-02")
    assert audit_events(world.db, "review.submitted")[0]["new"] == {"reviewer": "m-amina"}


def test_revising_after_submission_needs_a_reason_and_is_audited(scene, audit_events, set_clock):
    world, member, pid = scene
    review.declare(world.db, user=member, call_id=world.call_id, proposal_id=pid, conflict=False)
    _scores(world, member, pid, _full(4, "Strong."))
    review.submit_review(world.db, user=member, call_id=world.call_id, proposal_id=pid)
    assert audit_events(world.db, "score.revised") == []

    set_clock("2026-06-10T10:00")
    with pytest.raises(Invalid) as e:
        _scores(world, member, pid, {"capacity": (2.5, "Staff numbers were overstated.")})
    assert e.value.field == "reason"
    assert review.my_scores(world.db, user=member, call_id=world.call_id, proposal_id=pid)["capacity"]["score"] == 4

    # saving the same values again changes nothing and needs no reason
    assert _scores(world, member, pid, _full(4, "Strong.")) == 0

    assert _scores(world, member, pid, {"capacity": (2.5, "Staff numbers were overstated.")},
                   reason="Discussed at the meeting: the annual report shows 12 staff, not 40.") == 1
    mine = review.my_scores(world.db, user=member, call_id=world.call_id, proposal_id=pid)
    assert (mine["capacity"]["score"], mine["capacity"]["justification"]) == (2.5, "Staff numbers were overstated.")
    [event] = audit_events(world.db, "score.revised")
    assert event["old"] == {"score": 4, "justification": "Strong."}
    assert event["new"] == {"score": 2.5, "justification": "Staff numbers were overstated."}
    assert event["reason"] == "Discussed at the meeting: the annual report shows 12 staff, not 40."
    assert event["target"] == f"score:{pid}/m-amina/capacity"
    assert event["actor"] == "member:amina"


def test_saving_before_submission_is_not_a_revision(scene, audit_events):
    world, member, pid = scene
    review.declare(world.db, user=member, call_id=world.call_id, proposal_id=pid, conflict=False)
    _scores(world, member, pid, {"networks": (3, "First read.")})
    _scores(world, member, pid, {"networks": (3.5, "Second read.")})
    assert audit_events(world.db, "score.revised") == []
    saved = audit_events(world.db, "score.saved")
    assert [e["new"]["score"] for e in saved] == [3, 3.5]
    assert saved[1]["old"] == {"score": 3, "justification": "First read."}


# --------------------------------------------------------------------------- the panel's scores


def test_members_see_the_panel_scores_only_after_submitting_their_own(world):
    _, pid = world.submitted("lakes")
    first, second = world.member("amina"), world.member("bongani")
    world.assign(first, pid)
    world.assign(second, pid)
    world.score(first, pid, 4.5)

    world.score(second, pid, 2, submit=False)
    with pytest.raises(Forbidden):
        review.panel_scores(world.db, user=second, call_id=world.call_id, proposal_id=pid)
    review.submit_review(world.db, user=second, call_id=world.call_id, proposal_id=pid)
    seen = review.panel_scores(world.db, user=second, call_id=world.call_id, proposal_id=pid)
    assert {(r["member"], r["criterion_id"], r["score"]) for r in seen if r["criterion_id"] == "networks"} == {
        ("Amina Person", "networks", 4.5), ("Bongani Person", "networks", 2)}
    assert not any(r["conflicted"] for r in seen)


def test_the_secretariat_sees_the_panel_scores_with_conflicts_marked(world):
    _, pid = world.submitted("lakes")
    member = world.member("amina")
    world.assign(member, pid)
    world.score(member, pid, 4)
    review.declare(world.db, user=member, call_id=world.call_id, proposal_id=pid, conflict=True, reason="Co-author.")
    seen = review.panel_scores(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid)
    assert len(seen) == 4 and all(r["conflicted"] for r in seen)


def test_applicants_and_the_bureau_do_not_see_the_panel_scores(world):
    user, pid = world.submitted("lakes")
    for who in (user, world.bureau(), world.member("bongani"), None):
        with pytest.raises(Forbidden):
            review.panel_scores(world.db, user=who, call_id=world.call_id, proposal_id=pid)
