"""The call's eligibility conditions: the checklist the secretariat screens every proposal against.

Applicants read the same list before they apply. A condition already used to
screen a proposal keeps its place in the record: it can be reworded, not deleted.
"""

from __future__ import annotations

import sqlite_utils

from selection import audit, words
from selection.errors import Invalid
from selection.i18n import _, ngettext
from selection.permissions import User, may_manage_call, require
from selection.services.common import call_row
from selection.store import transaction

MAX_CONDITION = 1_000


def conditions(db: sqlite_utils.Database, call_id: int) -> list[dict]:
    """The call's conditions in their order: {id, text}."""
    return list(db.query("SELECT id, text FROM eligibility_conditions WHERE call_id = ? ORDER BY position, id",
                         [call_id]))


def save_conditions(db: sqlite_utils.Database, *, user: User, call_id: int, items: list[dict]) -> list[dict]:
    """Replace the list: each item {id (kept when editing), text}; an empty text removes the condition."""
    require(may_manage_call(user), _("Only the secretariat sets the eligibility conditions."))
    call = call_row(db, call_id)
    before = {c["id"]: c["text"] for c in conditions(db, call_id)}
    kept, position = [], 0
    for i, item in enumerate(items, 1):
        text = (item.get("text") or "").strip()
        if len(text) > MAX_CONDITION:
            raise Invalid(f"condition {i}", ngettext("at most {limit} character", "at most {limit} characters",
                                                     MAX_CONDITION, limit=words.number(MAX_CONDITION, 0)))
        if item.get("id") is not None and item["id"] not in before:
            raise Invalid(f"condition {i}", _("this condition is not one of the call's"))
        if text:
            kept.append((item.get("id"), text, position))
            position += 1
    dropped = set(before) - {cid for cid, _text, _position in kept if cid is not None}
    used = [cid for cid in dropped if db.execute("SELECT 1 FROM eligibility_checks WHERE condition_id = ?",
                                                 [cid]).fetchone()]
    if used:
        raise Invalid("conditions", _("“{condition}” was already used to screen proposals: reword it rather than "
                                      "remove it", condition=before[used[0]]))
    with transaction(db):
        for cid in dropped:
            db.execute("DELETE FROM eligibility_conditions WHERE id = ?", [cid])
        for cid, text, pos in kept:
            if cid is None:
                db["eligibility_conditions"].insert({"call_id": call_id, "position": pos, "text": text})
            else:
                db["eligibility_conditions"].update(cid, {"position": pos, "text": text})
        after = conditions(db, call_id)
        audit.record(db, actor=user.actor, call=call["reference"], action="eligibility.conditions",
                     target="call", old={"conditions": list(before.values())},
                     new={"conditions": [c["text"] for c in after]})
    return after
