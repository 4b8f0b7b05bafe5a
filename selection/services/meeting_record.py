"""The advisory group's meeting on record: when it was held, who was present, the minutes of each slot.

The report's annex reads it with ``meeting_record``; the secretariat writes it
after the meeting (a date in the future is refused: a meeting is recorded once held).
"""

from __future__ import annotations

import json

import sqlite_utils

from selection import audit, clock, queries
from selection.errors import Invalid
from selection.i18n import _
from selection.permissions import User, may_manage_call, require
from selection.services.common import call_row, parse_date, required_text
from selection.store import transaction


def record_meeting(db: sqlite_utils.Database, *, user: User, call_id: int, held_on, present: list[str]) -> None:
    """The date the meeting was held and the advisory group members present (reviewer ids of the call)."""
    require(may_manage_call(user), _("Only the secretariat keeps the record of the meeting."))
    call = call_row(db, call_id)
    day = parse_date(held_on, "held_on")
    if day is None:
        raise Invalid("held_on", _("give the date the meeting was held"))
    if day > clock.today():
        raise Invalid("held_on", _("a meeting is recorded once held: this date is in the future"))
    members = dict(db.execute("SELECT id, name FROM reviewers WHERE call_id = ?", [call_id]).fetchall())
    unknown = [m for m in present if m not in members]
    if unknown:
        raise Invalid("present", _("only members of this call's advisory group can be recorded as present"))
    if not present:
        raise Invalid("present", _("choose the members who were present"))
    before = next(iter(db.query("SELECT * FROM meeting_records WHERE call_id = ?", [call_id])), None)
    row = {"call_id": call_id, "held_on": day.isoformat(), "present": json.dumps(sorted(set(present))),
           "recorded_at": clock.stamp(), "recorded_by": user.display_name}
    with transaction(db):
        db["meeting_records"].upsert(row, pk="call_id")
        audit.record(db, actor=user.actor, call=call["reference"], action="meeting.recorded", target="call",
                     old=before and {"held_on": before["held_on"], "present": json.loads(before["present"])},
                     new={"held_on": row["held_on"], "present": sorted(set(present))})


def record_minutes(db: sqlite_utils.Database, *, user: User, call_id: int, slot_id: str, text: str) -> None:
    """The minutes of the meeting's discussion of one slot (replacing earlier minutes, kept in the audit trail)."""
    require(may_manage_call(user), _("Only the secretariat keeps the record of the meeting."))
    call = call_row(db, call_id)
    if not db.execute("SELECT 1 FROM slots WHERE call_id = ? AND id = ?", [call_id, slot_id]).fetchone():
        raise Invalid("slot", _("not a slot of this call"))
    minutes = required_text(text, "minutes", 50_000)
    before = db.execute("SELECT text FROM meeting_minutes WHERE call_id = ? AND slot_id = ?",
                        [call_id, slot_id]).fetchone()
    with transaction(db):
        db["meeting_minutes"].upsert({"call_id": call_id, "slot_id": slot_id, "text": minutes,
                                      "recorded_at": clock.stamp(), "recorded_by": user.display_name},
                                     pk=("call_id", "slot_id"))
        audit.record(db, actor=user.actor, call=call["reference"], action="meeting.minutes",
                     target=f"slot:{slot_id}", old=before and {"text": before[0]}, new={"text": minutes})


def meeting_record(db: sqlite_utils.Database, call_id: int) -> dict:
    """What the report's annex shows: {held_on (date or None), present [names], minutes [{slot, name, text}]}."""
    row = next(iter(db.query("SELECT * FROM meeting_records WHERE call_id = ?", [call_id])), None)
    names = queries.reviewer_names(db, call_id)
    present = json.loads(row["present"]) if row else []
    minutes = [{"slot": r["id"], "name": r["name"], "text": r["text"]} for r in db.query(
        "SELECT s.id, s.name, m.text FROM meeting_minutes m JOIN slots s ON s.call_id = m.call_id AND s.id = m.slot_id "
        "WHERE m.call_id = ? ORDER BY s.position", [call_id])]
    return {"held_on": parse_date(row["held_on"], "held_on") if row else None,
            "present": [names[m] for m in names if m in present], "present_ids": [m for m in names if m in present],
            "minutes": minutes}
