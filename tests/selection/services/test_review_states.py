"""The review's states: declared, scored, submitted, revised with a reason, locked by the selection; the
secretariat's corrections (reopen a review, withdraw a conflict declared by mistake); what a conflicted
member may see; and the behaviours mutation testing found unpinned."""

from __future__ import annotations

import pytest

from selection import queries
from selection.errors import Forbidden, Invalid
from selection.services import decision, meeting, review


def _full(value, text="Well documented."):
    return {c: (value, text) for c in ("networks", "expertise", "tsc_experience", "capacity")}


def _save(w, member, pid, scores, reason=None):
    return review.save_scores(w.db, user=member, call_id=w.call_id, proposal_id=pid, scores=scores, reason=reason)


def _rid(w, member) -> str:
    return w.db.execute("SELECT id FROM reviewers WHERE account_id = ?", [member.id]).fetchone()[0]


@pytest.fixture
def reviewed(world):
    """Lakes (Africa), scored and submitted by Amina; a consensus ranks it, and it is screened eligible."""
    _, pid = world.submitted("lakes")
    amina = world.member("amina")
    world.assign(amina, pid)
    world.score(amina, pid, 4.0)
    world.eligible(pid)
    for c in world.CRITERIA:
        meeting.record_consensus(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid, criterion_id=c,
                                 score=4.0, note="Agreed.")
    world.pid, world.amina = pid, amina
    return world


def _select(w) -> int:
    return decision.record_selection(w.db, user=w.sec, call_id=w.call_id, slot_id="africa", proposal_id=w.pid,
                                     rationale="First on the shortlist.")


# --------------------------------------------------------------------------- locked by the selection


def test_a_review_is_locked_once_a_selection_is_recorded_on_its_slot(reviewed):
    w = reviewed
    _select(w)
    with pytest.raises(Invalid) as e:
        _save(w, w.amina, w.pid, _full(1.0), reason="Second thoughts.")
    assert e.value.field == "review" and "locked" in e.value.message
    with pytest.raises(Invalid):
        review.submit_review(w.db, user=w.amina, call_id=w.call_id, proposal_id=w.pid)
    with pytest.raises(Invalid):
        review.declare(w.db, user=w.amina, call_id=w.call_id, proposal_id=w.pid, conflict=True, reason="Late.")
    assert {r["score"] for r in review.my_scores(w.db, user=w.amina, call_id=w.call_id, proposal_id=w.pid).values()} \
        == {4.0}


def test_a_cancelled_selection_unlocks_the_review(reviewed):
    w = reviewed
    sid = _select(w)
    decision.cancel_selection(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, reason="Wrong slot chosen.")
    assert _save(w, w.amina, w.pid, {"networks": (3.5, "Fewer networks.")}, reason="Checked again.") == 1


def test_the_secretariat_reopens_a_locked_review_with_a_reason(reviewed, audit_events):
    w = reviewed
    _select(w)
    rid = _rid(w, w.amina)
    for who in (w.amina, w.bureau(), None):
        with pytest.raises(Forbidden):
            review.reopen_review(w.db, user=who, call_id=w.call_id, proposal_id=w.pid, reviewer=rid, reason="Why.")
    with pytest.raises(Invalid) as e:
        review.reopen_review(w.db, user=w.sec, call_id=w.call_id, proposal_id=w.pid, reviewer=rid, reason=" ")
    assert e.value.field == "reason"
    review.reopen_review(w.db, user=w.sec, call_id=w.call_id, proposal_id=w.pid, reviewer=rid,
                         reason="The member scored the wrong file.")
    [event] = audit_events(w.db, "review.reopened")
    assert event["old"]["submitted_at"] and event["new"]["reopened_at"] and event["reason"]
    # reopened: a change needs no revision reason and the review is submitted again, which locks it again
    _save(w, w.amina, w.pid, {"networks": (3.0, "The right file has two networks.")})
    review.submit_review(w.db, user=w.amina, call_id=w.call_id, proposal_id=w.pid)
    with pytest.raises(Invalid):
        _save(w, w.amina, w.pid, {"networks": (2.0, "Again.")}, reason="Again.")


def test_only_a_submitted_review_is_reopened(world):
    _, pid = world.submitted("lakes")
    amina = world.member("amina")
    world.assign(amina, pid)
    with pytest.raises(Invalid) as e:
        review.reopen_review(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid,
                             reviewer=_rid(world, amina), reason="Nothing to reopen.")
    assert e.value.field == "review"


# --------------------------------------------------------------------------- conflicts


def test_a_conflict_declared_by_mistake_is_withdrawn_only_by_the_secretariat(world, audit_events):
    _, pid = world.submitted("lakes")
    amina = world.member("amina")
    world.assign(amina, pid, declare=True)
    rid = _rid(world, amina)
    with pytest.raises(Forbidden):
        review.withdraw_conflict(world.db, user=amina, call_id=world.call_id, proposal_id=pid, reviewer=rid,
                                 reason="I clicked the wrong box.")
    review.withdraw_conflict(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid, reviewer=rid,
                             reason="She clicked the wrong box; confirmed by e-mail.")
    assert queries.ranking_inputs(world.db).conflicts.empty
    [event] = audit_events(world.db, "conflict.withdrawn")
    assert event["old"]["conflict"] is True and event["old"]["declared"]["reason"]
    # the member declares again, then scores
    review.declare(world.db, user=amina, call_id=world.call_id, proposal_id=pid, conflict=False)
    world.score(amina, pid, 4.0)
    assert world.row(pid)["reviews"] == 1
    with pytest.raises(Invalid):  # nothing left to withdraw
        review.withdraw_conflict(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid, reviewer=rid,
                                 reason="Again.")


def test_a_member_who_declared_a_conflict_never_gets_the_panel_scores(world):
    """Today panel_scores returns them to a member who submitted before declaring (the page hid them)."""
    _, pid = world.submitted("lakes")
    amina, ben = world.member("amina"), world.member("ben")
    world.assign(amina, pid)
    world.assign(ben, pid)
    world.score(amina, pid, 4.0)
    world.score(ben, pid, 2.0)
    review.declare(world.db, user=amina, call_id=world.call_id, proposal_id=pid, conflict=True,
                   reason="I learnt that my institute is a partner.")
    with pytest.raises(Forbidden):
        review.panel_scores(world.db, user=amina, call_id=world.call_id, proposal_id=pid)
    assert {r["member"] for r in review.panel_scores(world.db, user=ben, call_id=world.call_id, proposal_id=pid)} \
        == {"Amina Person", "Ben Person"}


def test_the_panel_view_marks_a_member_conflicted_only_on_the_proposal_concerned(world):
    _, lakes = world.submitted("lakes")
    _, coast = world.submitted("coast")
    amina = world.member("amina")
    world.assign(amina, lakes)
    world.score(amina, lakes, 4.0)
    world.assign(amina, coast, declare=True)
    lakes_rows = review.panel_scores(world.db, user=world.sec, call_id=world.call_id, proposal_id=lakes)
    assert lakes_rows and not any(r["conflicted"] for r in lakes_rows)
    world.db.execute("INSERT INTO scores (call_id, reviewer_id, proposal_id, criterion_id, score) "
                     "VALUES (?, ?, ?, 'networks', 3)", [world.call_id, _rid(world, amina), coast])
    coast_rows = review.panel_scores(world.db, user=world.sec, call_id=world.call_id, proposal_id=coast)
    assert [bool(r["conflicted"]) for r in coast_rows] == [True]


# --------------------------------------------------------------------------- pinned behaviours


@pytest.fixture
def declared(world):
    _, pid = world.submitted("lakes")
    amina = world.member("amina")
    world.assign(amina, pid)
    return world, amina, pid


def test_reasons_of_exactly_20000_characters_are_kept_and_one_more_is_refused(declared):
    w, amina, pid = declared
    assert _save(w, amina, pid, {"networks": (3.0, "x" * 20_000)}) == 1
    with pytest.raises(Invalid) as e:
        _save(w, amina, pid, {"networks": (3.0, "y" * 20_001)})
    assert e.value.field == "justification.networks" and "20,000" in e.value.message
    assert review.my_scores(w.db, user=amina, call_id=w.call_id, proposal_id=pid)["networks"]["justification"] \
        == "x" * 20_000


def test_a_change_to_the_reasons_alone_is_saved(declared):
    w, amina, pid = declared
    _save(w, amina, pid, {"networks": (3.0, "Two networks.")})
    assert _save(w, amina, pid, {"networks": (3.0, "Two networks and a partnership.")}) == 1
    assert review.my_scores(w.db, user=amina, call_id=w.call_id, proposal_id=pid)["networks"]["justification"] \
        == "Two networks and a partnership."
    assert _save(w, amina, pid, {"networks": (3.0, "Two networks and a partnership.")}) == 0
