"""When an applicant may read its evaluation summary: once a host is selected for every slot it applied to."""

from __future__ import annotations

import pytest

from reports import summaries
from selection import permissions
from selection.errors import Forbidden
from selection.services import decision, meeting


@pytest.fixture
def two_slots(world):
    """An applicant shortlisted (by consensus) for both slots of the call, and screened eligible."""
    owner, pid = world.submitted("owner", slots=("global", "africa"))
    for criterion in world.CRITERIA:
        meeting.record_consensus(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid,
                                 criterion_id=criterion, score=4.0, note="Agreed.")
    world.eligible(pid)
    return owner, pid


def _select(world, slot: str, pid: str) -> int:
    return decision.record_selection(world.db, user=world.sec, call_id=world.call_id, slot_id=slot, proposal_id=pid,
                                     rationale="Ranked first.")


def test_the_summary_waits_for_a_decision_on_every_slot_applied_to(world, two_slots):
    owner, pid = two_slots
    assert not permissions.may_read_summary(world.db, owner, world.call_id, pid)
    _select(world, "africa", pid)
    assert not permissions.may_read_summary(world.db, owner, world.call_id, pid)  # the global slot is open
    with pytest.raises(Forbidden, match="once the decision is made"):
        summaries.for_reader(world.db, user=owner, call_id=world.call_id, proposal_id=pid)
    _select(world, "global", pid)
    assert permissions.may_read_summary(world.db, owner, world.call_id, pid)
    assert summaries.for_reader(world.db, user=owner, call_id=world.call_id, proposal_id=pid).startswith(b"%PDF")


def _both_selected(world, pid: str) -> int:
    """Selected for both slots; the global offer's id."""
    _select(world, "africa", pid)
    return _select(world, "global", pid)


def test_a_declined_offer_reopens_the_slot(world, two_slots):
    owner, pid = two_slots
    offer = _both_selected(world, pid)
    decision.record_notification(world.db, user=world.sec, call_id=world.call_id, selection_id=offer,
                                 notified_on="2026-03-03")
    decision.record_answer(world.db, user=world.sec, call_id=world.call_id, selection_id=offer, accepted=False,
                           answered_on="2026-03-10")
    assert not permissions.may_read_summary(world.db, owner, world.call_id, pid)


def test_a_cancelled_selection_reopens_the_slot(world, two_slots):
    owner, pid = two_slots
    offer = _both_selected(world, pid)
    decision.cancel_selection(world.db, user=world.sec, call_id=world.call_id, selection_id=offer,
                              reason="Recorded by mistake.")
    assert not permissions.may_read_summary(world.db, owner, world.call_id, pid)


def test_the_secretariat_reads_any_summary_at_any_time(world, two_slots):
    _, pid = two_slots
    assert permissions.may_read_summary(world.db, world.sec, world.call_id, pid)
    assert b"%PDF" in summaries.for_reader(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid)[:8]
