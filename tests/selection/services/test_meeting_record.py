"""The meeting on record: its date, the members present, the minutes of each slot."""

from __future__ import annotations

import datetime as dt

import pytest

from selection.errors import Forbidden, Invalid
from selection.services import meeting_record as mr


@pytest.fixture
def panel(world):
    _, pid = world.submitted("lakes")
    members = [world.member(n) for n in ("amina", "boris", "chen")]
    for m in members:
        world.assign(m, pid)
    return world, [f"m-{n}" for n in ("amina", "boris", "chen")]


def test_nothing_on_record_before_the_meeting_is_recorded(panel):
    world, _ = panel
    assert mr.meeting_record(world.db, world.call_id) == {"held_on": None, "present": [], "present_ids": [],
                                                          "minutes": []}


def test_the_date_members_present_and_minutes_per_slot_are_read_back(panel, audit_events):
    world, ids = panel
    mr.record_meeting(world.db, user=world.sec, call_id=world.call_id, held_on="2026-03-01", present=ids[:2])
    mr.record_minutes(world.db, user=world.sec, call_id=world.call_id, slot_id="africa",
                      text="Divergent scores on capacity discussed; consensus 4.")
    record = mr.meeting_record(world.db, world.call_id)
    assert record["held_on"] == dt.date(2026, 3, 1)
    assert record["present"] == ["Amina Person", "Boris Person"]
    assert record["minutes"] == [{"slot": "africa", "name": "Regional support centre - Africa",
                                  "text": "Divergent scores on capacity discussed; consensus 4."}]
    assert audit_events(world.db, "meeting.minutes")[-1]["new"]["text"].startswith("Divergent")


def test_recording_again_corrects_the_record_with_the_old_values_in_the_audit(panel, audit_events):
    world, ids = panel
    mr.record_meeting(world.db, user=world.sec, call_id=world.call_id, held_on="2026-03-01", present=ids)
    mr.record_meeting(world.db, user=world.sec, call_id=world.call_id, held_on="2026-03-02", present=ids[:1])
    assert mr.meeting_record(world.db, world.call_id)["present"] == ["Amina Person"]
    assert audit_events(world.db, "meeting.recorded")[-1]["old"]["held_on"] == "2026-03-01"


@pytest.mark.parametrize("held_on,present,field", [("2026-03-03", None, "held_on"), (None, None, "held_on"),
                                                   ("2026-03-01", [], "present"),
                                                   ("2026-03-01", ["m-nobody"], "present")])
def test_a_future_date_no_date_or_unknown_members_are_refused(panel, held_on, present, field):
    world, ids = panel
    with pytest.raises(Invalid) as refused:
        mr.record_meeting(world.db, user=world.sec, call_id=world.call_id, held_on=held_on,
                          present=ids if present is None else present)
    assert refused.value.field == field
    assert mr.meeting_record(world.db, world.call_id)["held_on"] is None


def test_empty_minutes_and_other_roles_are_refused(panel):
    world, _ = panel
    with pytest.raises(Invalid):
        mr.record_minutes(world.db, user=world.sec, call_id=world.call_id, slot_id="africa", text="  ")
    with pytest.raises(Forbidden):
        mr.record_minutes(world.db, user=world.bureau(), call_id=world.call_id, slot_id="africa", text="x")
