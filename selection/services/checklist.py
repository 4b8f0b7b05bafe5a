"""What an applicant has to send, ticked off as they go: the same parts a submission is checked for."""

from __future__ import annotations

import sqlite_utils

from selection.i18n import _
from selection.permissions import User
from selection.services.common import criteria_rows
from selection.services.intake import my_proposal


def what_to_send(db: sqlite_utils.Database, *, user: User, call_id: int) -> list[dict]:
    """Each part of a complete application: {item, done, required}, in the order of the page."""
    has_entity = db.execute("SELECT 1 FROM entities WHERE call_id = ? AND account_id = ?",
                            [call_id, user.id]).fetchone() is not None
    p = my_proposal(db, user=user, call_id=call_id) or {"slots": [], "statement": None, "sections": {},
                                                         "attachments": [], "status": "draft"}
    items = [(_("Your organisation's profile"), has_entity, True),
             (_("The centres you wish to host"), bool(p["slots"]), True),
             (_("A statement of interest"), bool(p["statement"]), True)]
    items += [(_("A section on “{criterion}”", criterion=c["name"]), bool(p["sections"].get(c["id"])), True)
              for c in criteria_rows(db, call_id)]
    items += [(_("Supporting documents in PDF (optional)"), bool(p["attachments"]), False),
              (_("Submit the proposal before the deadline"), p["status"] != "draft", True)]
    return [{"item": item, "done": done, "required": required} for item, done, required in items]
