"""The advisory group's meeting: consensus scores, recorded by the secretariat, override the mean."""

from __future__ import annotations

import pytest

from selection.errors import Forbidden, Invalid
from selection.services import meeting


@pytest.fixture
def scored(world):
    """A proposal scored 4 and 2 on every criterion by two members (mean 3)."""
    _, pid = world.submitted("lakes")
    for name, value in (("amina", 4), ("bongani", 2)):
        member = world.member(name)
        world.assign(member, pid)
        world.score(member, pid, value)
    return world, pid


def _record(world, pid, criterion="networks", score=4.5, note="Agreed after discussing the network letters.",
            user="secretariat"):
    meeting.record_consensus(world.db, user=world.sec if user == "secretariat" else user, call_id=world.call_id, proposal_id=pid,
                             criterion_id=criterion, score=score, note=note)


def test_consensus_overrides_the_mean_in_the_ranking(scored, audit_events):
    world, pid = scored
    assert world.row(pid)["criteria"] == {c: 3 for c in world.CRITERIA}
    _record(world, pid, "networks", 4.5)
    row = world.row(pid)
    assert row["criteria"] == {"networks": 4.5, "expertise": 3, "tsc_experience": 3, "capacity": 3}
    assert row["total"] == pytest.approx(100 * (0.9 + 0.6 * 3) / 4)
    [event] = audit_events(world.db, "consensus.recorded")
    assert event["old"] is None
    assert event["new"] == {"score": 4.5, "note": "Agreed after discussing the network letters."}


def test_recording_again_replaces_the_consensus_and_keeps_the_old_one_on_record(scored, audit_events):
    world, pid = scored
    _record(world, pid, score=4.5)
    _record(world, pid, score=1, note="Revisited: two of the networks are inactive.")
    assert world.row(pid)["criteria"]["networks"] == 1
    assert world.db.execute("SELECT count(*) FROM consensus").fetchone()[0] == 1
    events = audit_events(world.db, "consensus.recorded")
    assert events[1]["old"] == {"score": 4.5, "note": "Agreed after discussing the network letters."}


def test_full_consensus_ranks_a_proposal_without_reviews(world):
    _, pid = world.submitted("lakes")
    assert world.slot_ranking()["unranked"] == [{"proposal": pid, "reason": "insufficient_reviews"}]
    for c in world.CRITERIA:
        _record(world, pid, c, 3.5, note=f"Agreed on {c}.")
    row = world.row(pid)
    assert row is not None and row["reviews"] == 0
    assert row["criteria"] == {c: 3.5 for c in world.CRITERIA}


@pytest.mark.parametrize("note", ["", "   ", None])
def test_a_consensus_needs_a_note(scored, note):
    world, pid = scored
    with pytest.raises(Invalid) as e:
        _record(world, pid, note=note)
    assert e.value.field == "note"
    assert world.db.execute("SELECT count(*) FROM consensus").fetchone()[0] == 0
    assert world.row(pid)["criteria"]["networks"] == 3


@pytest.mark.parametrize("score", [5.5, -1, 3.3, None])
def test_a_consensus_off_the_scale_is_refused(scored, score):
    world, pid = scored
    with pytest.raises(Invalid) as e:
        _record(world, pid, score=score)
    assert e.value.field == "score"
    assert world.db.execute("SELECT count(*) FROM consensus").fetchone()[0] == 0


def test_unknown_criterion_or_proposal_is_refused(scored):
    world, pid = scored
    with pytest.raises(Invalid) as e:
        _record(world, pid, criterion="budget")
    assert e.value.field == "criterion"
    with pytest.raises(Invalid) as e:
        _record(world, "p-nobody")
    assert e.value.field == "proposal"


def test_a_draft_gets_no_consensus(world):
    user = world.applicant("coast")
    draft = world.draft(user)
    with pytest.raises(Invalid) as e:
        _record(world, draft)
    assert e.value.field == "proposal"
    assert world.db.execute("SELECT count(*) FROM consensus").fetchone()[0] == 0


def test_only_the_secretariat_records_the_consensus(scored):
    world, pid = scored
    member = next(iter(world.db.query("SELECT id FROM accounts WHERE username = 'amina'")))
    from selection.accounts import get_user

    for who in (get_user(world.db, member["id"]), world.bureau(), world.applicant("coast"), None):
        with pytest.raises(Forbidden):
            _record(world, pid, user=who)
    assert world.db.execute("SELECT count(*) FROM consensus").fetchone()[0] == 0


def test_clearing_a_consensus_needs_a_reason_and_brings_back_the_mean(scored, audit_events):
    world, pid = scored
    _record(world, pid, score=5)
    with pytest.raises(Invalid) as e:
        meeting.clear_consensus(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid,
                                criterion_id="networks", reason=" ")
    assert e.value.field == "reason"
    assert world.row(pid)["criteria"]["networks"] == 5
    meeting.clear_consensus(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid,
                            criterion_id="networks", reason="Recorded against the wrong proposal.")
    assert world.row(pid)["criteria"]["networks"] == 3
    [event] = audit_events(world.db, "consensus.cleared")
    assert event["old"]["score"] == 5 and event["reason"] == "Recorded against the wrong proposal."
    with pytest.raises(Invalid):
        meeting.clear_consensus(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid,
                                criterion_id="networks", reason="Again.")
