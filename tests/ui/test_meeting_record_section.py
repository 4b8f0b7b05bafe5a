"""The meeting page's record of the meeting: date, members present, minutes per slot, each confirmed."""

from __future__ import annotations

from selection.services import meeting_record
from tests.ui.conftest import texts


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def test_the_meeting_and_its_minutes_are_recorded_and_confirmed(open_as, demo_db):
    at = open_as("secretariat", "meeting")
    present = next(m for m in at.multiselect if m.label == "Members present")
    present.set_value(_reviewers(demo_db)[:3])
    _button(at, "Record the meeting").click().run()
    assert "3 members present." in texts(at)
    at.selectbox(key="minutes_slot").set_value("africa").run()
    next(a for a in at.text_area if a.label == "Minutes").input("Consensus reached on capacity.")
    _button(at, "Save the minutes").click().run()
    assert "Minutes saved for Regional TSC support centre - Africa." in texts(at)
    at.selectbox(key="minutes_slot").set_value("global").run()
    assert next(a for a in at.text_area if a.label == "Minutes").value == ""
    record = meeting_record.meeting_record(demo_db, 1)
    assert len(record["present"]) == 3 and [m["slot"] for m in record["minutes"]] == ["africa"]


def _reviewers(db):
    return [r[0] for r in db.execute("SELECT id FROM reviewers WHERE call_id = 1 ORDER BY position")]
