"""Step 1: the secretariat sets up a call (slots, criteria, dates) and publishes it."""

from __future__ import annotations

import pydantic
import sqlite_utils

from criteria.sets import guidance_for
from selection import audit, clock
from selection.bundle import Bundle, call_columns, consistency_problems, path_of
from selection.errors import Invalid
from selection.models import Call
from selection.permissions import User, may_manage_call, require
from selection.services.common import call_row
from selection.store import transaction

CALL_FIELDS = ("reference", "title", "min_reviews", "overall_threshold")
DATE_FIELDS = ("notified_on", "inquiry_deadline", "submission_deadline", "advisory_meeting_on", "decided_on")
GUIDANCE_FIELDS = ("applicant_guidance", "reviewer_guidance")


def validate_call(data: dict) -> Call:
    """The call as the bundle contract defines it, with the first problem named by its field."""
    core = {k: v for k, v in data.items() if k not in ("secretariat_name", "anonymous_conflicts")}
    core["criteria"] = [{k: v for k, v in c.items() if k not in GUIDANCE_FIELDS} for c in data.get("criteria", [])]
    try:
        call = Call.model_validate(core, strict=False)
    except pydantic.ValidationError as e:
        first = e.errors(include_url=False)[0]
        raise Invalid(path_of(first["loc"]), first["msg"].removeprefix("Value error, ")) from None
    problems = consistency_problems(Bundle.model_construct(format="host-selection-bundle/1", call=call, entities=[],
                                                           proposals=[], reviewers=[], conflicts=[], scores=[],
                                                           consensus=[]))
    if problems:
        field, _, message = problems[0].partition(": ")
        raise Invalid(field.removeprefix("call."), message)
    return call


def _call_columns(call: Call, data: dict) -> dict:
    return {**call_columns(call), "secretariat_name": (data.get("secretariat_name") or "").strip() or None,
            "anonymous_conflicts": int(bool(data.get("anonymous_conflicts")))}


def _guidance(data: dict, criterion_id: str) -> dict:
    given = next((c for c in data.get("criteria", []) if c.get("id") == criterion_id), {})
    default = guidance_for(criterion_id)
    return {k: (given.get(k) or default[k]) for k in (*GUIDANCE_FIELDS, "anchors")}


def create_call(db: sqlite_utils.Database, *, user: User, data: dict) -> int:
    require(may_manage_call(user), "Only the secretariat creates calls.")
    call = validate_call(data)
    with transaction(db):
        if db.execute("SELECT 1 FROM calls WHERE reference = ?", [call.reference]).fetchone():
            raise Invalid("reference", f"a call {call.reference!r} exists already")
        call_id = db["calls"].insert({**_call_columns(call, data),
                                      "created_at": clock.stamp()}).last_pk
        _write_slots_and_criteria(db, call_id, call, data)
        audit.record(db, actor=user.actor, call=call.reference, action="call.created", target="call",
                     new=call.model_dump(mode="json"))
    return call_id


def _write_slots_and_criteria(db: sqlite_utils.Database, call_id: int, call: Call, data: dict) -> None:
    for i, s in enumerate(call.slots):
        db["slots"].upsert({"call_id": call_id, "id": s.id, "position": i, **s.model_dump(mode="json")},
                           pk=("call_id", "id"))
    # Priorities are unique per call: park the old ones out of the way before rewriting them.
    db.execute("UPDATE criteria SET priority = priority + 1000000 WHERE call_id = ?", [call_id])
    for i, c in enumerate(call.criteria):
        db["criteria"].upsert({"call_id": call_id, "position": i, **c.model_dump(mode="json"), **_guidance(data, c.id)},
                              pk=("call_id", "id"))


def update_call(db: sqlite_utils.Database, *, user: User, call_id: int, data: dict) -> None:
    """Change a call; a slot or criterion that proposals or scores already use cannot be removed."""
    require(may_manage_call(user), "Only the secretariat edits calls.")
    call = validate_call(data)
    with transaction(db):
        before = call_row(db, call_id)
        clash = db.execute("SELECT 1 FROM calls WHERE reference = ? AND id <> ?", [call.reference, call_id]).fetchone()
        if clash:
            raise Invalid("reference", f"a call {call.reference!r} exists already")
        kept_slots = {s.id for s in call.slots}
        for (slot,) in db.execute("SELECT id FROM slots WHERE call_id = ?", [call_id]).fetchall():
            if slot not in kept_slots:
                if db.execute("SELECT 1 FROM proposal_slots WHERE call_id = ? AND slot_id = ?", [call_id, slot]).fetchone():
                    raise Invalid("slots", f"slot {slot!r} has proposals and cannot be removed")
                db.execute("DELETE FROM slots WHERE call_id = ? AND id = ?", [call_id, slot])
        kept_criteria = {c.id for c in call.criteria}
        for (crit,) in db.execute("SELECT id FROM criteria WHERE call_id = ?", [call_id]).fetchall():
            if crit not in kept_criteria:
                if db.execute("SELECT 1 FROM scores WHERE call_id = ? AND criterion_id = ? UNION "
                              "SELECT 1 FROM sections WHERE call_id = ? AND criterion_id = ?",
                              [call_id, crit, call_id, crit]).fetchone():
                    raise Invalid("criteria", f"criterion {crit!r} has scores or proposal sections and cannot be removed")
                db.execute("DELETE FROM criteria WHERE call_id = ? AND id = ?", [call_id, crit])
        db["calls"].update(call_id, _call_columns(call, data))
        _write_slots_and_criteria(db, call_id, call, data)
        audit.record(db, actor=user.actor, call=call.reference, action="call.updated", target="call",
                     old={k: before[k] for k in CALL_FIELDS}, new=call.model_dump(mode="json"))


def publish_call(db: sqlite_utils.Database, *, user: User, call_id: int) -> None:
    """Applicants see a call, its criteria and guidance only once it is published."""
    require(may_manage_call(user), "Only the secretariat publishes calls.")
    with transaction(db):
        row = call_row(db, call_id)
        if not row["submission_deadline"]:
            raise Invalid("submission_deadline", "set the submission deadline before publishing")
        stamp = clock.stamp()
        db["calls"].update(call_id, {"published_at": stamp, "notified_on": row["notified_on"] or stamp[:10]})
        audit.record(db, actor=user.actor, call=row["reference"], action="call.published", target="call",
                     new={"published_at": stamp})


def call_form_data(db: sqlite_utils.Database, call_id: int) -> dict:
    """A stored call as the dict the call form edits (the inverse of create/update)."""
    row = call_row(db, call_id)
    return {
        "reference": row["reference"],
        "title": row["title"],
        "secretariat_name": row["secretariat_name"],
        "anonymous_conflicts": bool(row["anonymous_conflicts"]),
        "scale": {"min": row["scale_min"], "max": row["scale_max"], "step": row["scale_step"]},
        "min_reviews": row["min_reviews"],
        "overall_threshold": row["overall_threshold"],
        "dates": {k: row[k] for k in DATE_FIELDS},
        "slots": [{k: s[k] for k in ("id", "name", "level", "region")}
                  for s in db.query("SELECT * FROM slots WHERE call_id = ? ORDER BY position", [call_id])],
        "criteria": [{k: c[k] for k in ("id", "name", "description", "weight", "threshold", "priority", *GUIDANCE_FIELDS)}
                     for c in db.query("SELECT * FROM criteria WHERE call_id = ? ORDER BY position", [call_id])],
    }
