"""Screening: eligible, or ineligible with a reason; the status decides whether a proposal is ranked."""

from __future__ import annotations

import pytest

from selection import queries
from selection.errors import Forbidden, Invalid
from selection.services import screening


def test_eligible_is_recorded_and_audited(world, audit_events):
    _, pid = world.submitted("lakes")
    screening.set_status(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid, status="eligible")
    assert world.proposal(pid)["status"] == "eligible"
    [event] = audit_events(world.db, "proposal.screened")
    assert event["old"]["status"] == "submitted"
    assert event["new"]["status"] == "eligible"
    assert event["target"] == f"proposal:{pid}"


@pytest.mark.parametrize("status", ["ineligible", "withdrawn"])
def test_ineligible_or_withdrawn_needs_a_reason(world, status):
    _, pid = world.submitted("lakes")
    for reason in (None, "", "   "):
        with pytest.raises(Invalid) as e:
            screening.set_status(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid, status=status,
                                 reason=reason)
        assert e.value.field == "reason"
    assert world.proposal(pid)["status"] == "submitted"


def test_ineligible_keeps_its_reason_for_the_applicant(world):
    _, pid = world.submitted("lakes")
    screening.set_status(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid, status="ineligible",
                         reason=" Not a legal entity in a Party. ")
    p = world.proposal(pid)
    assert (p["status"], p["status_reason"]) == ("ineligible", "Not a legal entity in a Party.")


def test_a_draft_cannot_be_screened(world):
    user = world.applicant("coast")
    pid = world.draft(user)
    with pytest.raises(Invalid) as e:
        screening.set_status(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid, status="eligible")
    assert e.value.field == "status"
    assert world.proposal(pid)["status"] == "draft"


def test_unknown_status_or_proposal_is_refused(world):
    _, pid = world.submitted("lakes")
    with pytest.raises(Invalid) as e:
        screening.set_status(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid, status="draft")
    assert e.value.field == "status"
    with pytest.raises(Invalid) as e:
        screening.set_status(world.db, user=world.sec, call_id=world.call_id, proposal_id="p-nobody",
                             status="eligible")
    assert e.value.field == "proposal"


def test_only_the_secretariat_screens(world):
    user, pid = world.submitted("lakes")
    for who in (user, world.member("amina"), world.bureau(), None):
        with pytest.raises(Forbidden):
            screening.set_status(world.db, user=who, call_id=world.call_id, proposal_id=pid, status="ineligible",
                                 reason="Because I say so.")
    assert world.proposal(pid)["status"] == "submitted"


def test_status_feeds_the_ranking(world):
    _, good = world.submitted("lakes")
    _, bad = world.submitted("coast", country="TZ")
    member = world.member("amina")
    for pid in (good, bad):
        world.assign(member, pid)
        world.score(member, pid, 4)
    assert {r["proposal"] for r in world.slot_ranking()["ranking"]} == {good, bad}

    screening.set_status(world.db, user=world.sec, call_id=world.call_id, proposal_id=bad, status="ineligible",
                         reason="Registered outside the region.")
    africa = world.slot_ranking()
    assert [r["proposal"] for r in africa["ranking"]] == [good]
    assert africa["unranked"] == [{"proposal": bad, "reason": "ineligible"}]
    proposals = queries.ranking_inputs(world.db).proposals.set_index("proposal")["status"].to_dict()
    assert proposals == {good: "submitted", bad: "ineligible"}

    # a second look may put it back, with the reason for changing the decision
    with pytest.raises(Invalid) as e:
        screening.set_status(world.db, user=world.sec, call_id=world.call_id, proposal_id=bad, status="eligible")
    assert e.value.field == "reason"
    assert world.proposal(bad)["status"] == "ineligible"
    screening.set_status(world.db, user=world.sec, call_id=world.call_id, proposal_id=bad, status="eligible",
                         reason="The registration certificate arrived.")
    assert {r["proposal"] for r in world.slot_ranking()["ranking"]} == {good, bad}
    assert world.proposal(bad)["status_reason"] == "The registration certificate arrived."
