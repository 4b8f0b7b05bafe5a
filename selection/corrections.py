"""The corrections on record and what the correction forms choose from, read in words for people.

A correction is an action with a reason (``selection.states``), never an
overwrite; this module reads them back from the audit trail for ``verify``,
the timeline and the decision page.
"""

from __future__ import annotations

import datetime as dt
import json

import sqlite_utils

from selection import views
from selection.i18n import N_, _
from selection.queries import proposal_entities, selections, slot_names


CORRECTIONS = {
    "selection.cancelled": N_("selection cancelled"),
    "selection.date_corrected": N_("follow-up date corrected"),
    "advice.amended": N_("Bureau advice amended"),
    "conflict.withdrawn": N_("declared conflict withdrawn"),
    "review.reopened": N_("submitted review reopened"),
}
DATE_WORDS = {"notified_on": N_("notification"), "answered_on": N_("answer"), "agreement_signed_on": N_("host agreement")}


def corrections(db: sqlite_utils.Database, call: dict, *, after_event: int = 0) -> list[dict]:
    """The correction actions taken on a call (after audit event ``after_event``), oldest first, in words:
    ``at`` (a datetime), ``what``, ``who`` (the actor), ``reason``, and the audit event's ``id``."""
    marks = ", ".join("?" for _ in CORRECTIONS)
    rows = list(db.query(f"SELECT * FROM audit WHERE call_reference = ? AND id > ? AND action IN ({marks}) "  # noqa: S608
                         "ORDER BY id", [call["reference"], after_event, *CORRECTIONS]))
    if not rows:
        return []  # most calls have none: the names below are read for nothing (6,000 entities at the largest)
    offers = {f"selection:{s['id']}": s for s in selections(db, call["id"], cancelled=True)}
    slots = slot_names(db, call["id"])
    who = proposal_entities(db, call["id"])
    out = []
    for r in rows:
        old, new = (json.loads(r[k]) if r[k] else {} for k in ("old", "new"))
        what = _(CORRECTIONS[r["action"]])
        if r["action"] == "selection.date_corrected":
            [(field, value)] = new.items()
            what = _("{what} date corrected from {old} to {new}", what=_(DATE_WORDS[field]), old=old.get(field),
                     new=value)
        offer = offers.get(r["target"])
        if offer:
            what += f": {offer['entity']} — {offer['slot_name']}"
        elif r["action"] == "advice.amended":
            what += f": {slots.get(r['target'].removeprefix('slot:'), '')}"
        elif r["action"] in ("conflict.withdrawn", "review.reopened"):
            entity = who.get(r["target"].removeprefix("proposal:"), {}).get("name", "")
            what += ": " + _("{member} on {entity}", member=new.get("member") or old.get("member"), entity=entity)
        out.append({"id": r["id"], "at": dt.datetime.fromisoformat(r["at"]), "what": what, "who": r["actor"],
                    "reason": r["reason"]})
    return out


def advice_on_slot(db: sqlite_utils.Database, call_id: int, slot_id: str) -> list[dict]:
    """The Bureau's advice on one slot, oldest first, with its round of offers."""
    return list(db.query("SELECT id, member, advice, preferred_proposal_id, round, given_at, updated_at "
                         "FROM bureau_advice WHERE call_id = ? AND slot_id = ? ORDER BY id", [call_id, slot_id]))


def reviews_on_record(db: sqlite_utils.Database, call_id: int) -> list[dict]:
    """Every assignment with a declaration: member, entity, whether a conflict, when the review was submitted.

    Kept until the call changes (:func:`selection.views.kept`): the decision page asks on every rerun, and the
    largest call has some 12,000 of them."""
    reference = db.execute("SELECT reference FROM calls WHERE id = ?", [call_id]).fetchone()[0]
    return views.kept(db, reference, "reviews on record", lambda: _reviews_on_record(db, call_id))


def _reviews_on_record(db: sqlite_utils.Database, call_id: int) -> list[dict]:
    return list(db.query(
        """SELECT a.proposal_id, a.reviewer_id, r.name AS member, e.name AS entity, a.conflict,
                  (SELECT submitted_at FROM review_submissions x WHERE x.call_id = a.call_id
                     AND x.reviewer_id = a.reviewer_id AND x.proposal_id = a.proposal_id) AS submitted_at
           FROM assignments a JOIN reviewers r ON r.call_id = a.call_id AND r.id = a.reviewer_id
           JOIN proposals p ON p.call_id = a.call_id AND p.id = a.proposal_id
           JOIN entities e ON e.call_id = p.call_id AND e.id = p.entity_id
           WHERE a.call_id = ? AND a.declared_at IS NOT NULL ORDER BY p.position, r.position""", [call_id]))
