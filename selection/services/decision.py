"""Steps 5-8: the Bureau's advice, the selection, notification, acceptance, donors, host agreement.

The selected entity has one calendar month from notification to accept; the
host agreement process is due within three months of the decision.
"""

from __future__ import annotations

import math
import re

import sqlite_utils

from selection import audit, clock, queries, record
from selection.errors import Invalid
from selection.permissions import User, may_manage_call, may_record_advice, require
from selection.services import notices
from selection.services.common import call_row, parse_date, proposal_row, required_text
from selection.store import transaction


def _slot(db: sqlite_utils.Database, call_id: int, slot_id: str) -> dict:
    rows = list(db.query("SELECT * FROM slots WHERE call_id = ? AND id = ?", [call_id, slot_id]))
    if not rows:
        raise Invalid("slot", "not a slot of this call")
    return rows[0]


def _applies(db: sqlite_utils.Database, call_id: int, proposal_id: str, slot_id: str) -> None:
    if not db.execute("SELECT 1 FROM proposal_slots WHERE call_id = ? AND proposal_id = ? AND slot_id = ?",
                      [call_id, proposal_id, slot_id]).fetchone():
        raise Invalid("proposal", "this proposal did not apply for this slot")


def record_advice(db: sqlite_utils.Database, *, user: User, call_id: int, slot_id: str, advice: str,
                  preferred_proposal: str | None = None) -> int:
    require(may_record_advice(user), "Only Bureau members give advice (the secretariat may record it for them).")
    call = call_row(db, call_id)
    _slot(db, call_id, slot_id)
    text = required_text(advice, "advice")
    if preferred_proposal:
        proposal_row(db, call_id, preferred_proposal)
        _applies(db, call_id, preferred_proposal, slot_id)
    with transaction(db):
        advice_id = db["bureau_advice"].insert({"call_id": call_id, "slot_id": slot_id, "member": user.display_name,
                                                "advice": text, "preferred_proposal_id": preferred_proposal or None,
                                                "given_at": clock.stamp()}).last_pk
        audit.record(db, actor=user.actor, call=call["reference"], action="advice.recorded", target=f"slot:{slot_id}",
                     new={"advice": text, "preferred": preferred_proposal})
    return advice_id


def record_selection(db: sqlite_utils.Database, *, user: User, call_id: int, slot_id: str, proposal_id: str,
                     rationale: str) -> int:
    require(may_manage_call(user), "Only the secretariat records the selection.")
    call = call_row(db, call_id)
    _slot(db, call_id, slot_id)
    p = proposal_row(db, call_id, proposal_id)
    _applies(db, call_id, proposal_id, slot_id)
    if p["status"] in ("withdrawn", "ineligible", "draft"):
        raise Invalid("proposal", f"a {p['status']} proposal cannot be selected")
    text = required_text(rationale, "rationale")
    open_choice = db.execute("SELECT 1 FROM selections WHERE call_id = ? AND slot_id = ? AND acceptance IN "
                             "('pending', 'accepted')", [call_id, slot_id]).fetchone()
    if open_choice:
        raise Invalid("slot", "a host is already selected for this slot (record a decline first)")
    reserve = queries.reserve_list(db, call_id, slot_id)
    candidate = next((c for c in reserve if c["proposal"] == proposal_id), None)
    if candidate is None:
        raise Invalid("proposal", "only an entity on the slot's shortlist can be selected")
    if candidate["state"] != "available":
        raise Invalid("proposal", f"this entity was already offered the slot ({candidate['state']})")
    closed = [c for c in reserve if c["state"] in ("declined", "lapsed")]
    if closed:
        since = max(c["closed_at"] for c in closed)[:19]
        advised = db.execute("SELECT 1 FROM bureau_advice WHERE call_id = ? AND slot_id = ? "
                             "AND substr(given_at, 1, 19) >= ?", [call_id, slot_id, since]).fetchone()
        if not advised:
            raise Invalid("advice", "the first choice declined or lapsed: record the Bureau's advice on the next "
                                    "candidate before selecting again")
    stamp = clock.stamp()
    with transaction(db):
        selection_id = db["selections"].insert({"call_id": call_id, "slot_id": slot_id, "proposal_id": proposal_id,
                                                "rationale": text, "decided_at": stamp}).last_pk
        first = not db.execute("SELECT 1 FROM selections WHERE call_id = ? AND id <> ?",
                               [call_id, selection_id]).fetchone()
        if first:  # the planned date gives way to the actual date of the first selection
            db["calls"].update(call_id, {"decided_on": stamp[:10]})
        record_id, sha = record.freeze(db, call_id=call_id, selection_id=selection_id, actor=user.actor)
        audit.record(db, actor=user.actor, call=call["reference"], action="selection.recorded",
                     target=f"slot:{slot_id}", new={"proposal": proposal_id, "rationale": text,
                                                    "record": record_id, "sha256": sha})
    return selection_id


def record_lapse(db: sqlite_utils.Database, *, user: User, call_id: int, selection_id: int) -> None:
    """The selected entity did not confirm within one calendar month of notification: the offer lapses."""
    s = _selection(db, call_id, selection_id)
    due = queries.acceptance_due(s)
    if s["acceptance"] != "pending" or due is None:
        raise Invalid("selection", "only a notified offer still waiting for an answer can lapse")
    if clock.today() <= due:
        raise Invalid("selection", f"the entity has until {due.day} {due:%B %Y} to accept")
    _update_selection(db, user, call_id, selection_id,
                      {"acceptance": "lapsed", "lapsed_on": clock.today().isoformat(), "closed_at": clock.stamp()},
                      "selection.lapsed")


def set_budget_need(db: sqlite_utils.Database, *, user: User, call_id: int, selection_id: int, amount: float,
                    currency: str) -> None:
    """The selected host's stated budget need, which pledges are totalled against."""
    if amount is None or not (math.isfinite(amount) and amount >= 0):
        raise Invalid("budget_need", "a positive number")
    currency = (currency or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise Invalid("currency", "a three-letter ISO code such as USD or EUR")
    _update_selection(db, user, call_id, selection_id, {"budget_need": float(amount), "budget_currency": currency},
                      "selection.budget")


def _selection(db: sqlite_utils.Database, call_id: int, selection_id: int) -> dict:
    rows = list(db.query("SELECT * FROM selections WHERE id = ? AND call_id = ?", [selection_id, call_id]))
    if not rows:
        raise Invalid("selection", "no such selection")
    return rows[0]


def _update_selection(db, user: User, call_id: int, selection_id: int, changes: dict, action: str) -> None:
    require(may_manage_call(user), "Only the secretariat records the follow-up.")
    call = call_row(db, call_id)
    old = _selection(db, call_id, selection_id)
    with transaction(db):
        db["selections"].update(selection_id, changes)
        audit.record(db, actor=user.actor, call=call["reference"], action=action, target=f"slot:{old['slot_id']}",
                     old={k: old[k] for k in changes}, new=changes)


def record_notification(db: sqlite_utils.Database, *, user: User, call_id: int, selection_id: int,
                        notified_on) -> None:
    day = parse_date(notified_on, "notified_on")
    if day is None:
        raise Invalid("notified_on", "give the date the entity was notified")
    _update_selection(db, user, call_id, selection_id, {"notified_on": day.isoformat()}, "selection.notified")
    notices.selection_notified(db, call_id=call_id, selection_id=selection_id)  # after the commit


def record_answer(db: sqlite_utils.Database, *, user: User, call_id: int, selection_id: int, accepted: bool,
                  answered_on) -> None:
    day = parse_date(answered_on, "answered_on")
    if day is None:
        raise Invalid("answered_on", "give the date of the answer")
    if not _selection(db, call_id, selection_id)["notified_on"]:
        raise Invalid("answered_on", "record the notification first")
    _update_selection(db, user, call_id, selection_id,
                      {"acceptance": "accepted" if accepted else "declined", "answered_on": day.isoformat(),
                       **({} if accepted else {"closed_at": clock.stamp()})}, "selection.answered")


def record_agreement(db: sqlite_utils.Database, *, user: User, call_id: int, selection_id: int, signed_on) -> None:
    day = parse_date(signed_on, "agreement_signed_on")
    if day is None:
        raise Invalid("agreement_signed_on", "give the date the host agreement was signed")
    if _selection(db, call_id, selection_id)["acceptance"] != "accepted":
        raise Invalid("agreement_signed_on", "the entity has not accepted")
    _update_selection(db, user, call_id, selection_id, {"agreement_signed_on": day.isoformat()}, "agreement.signed")


def add_pledge(db: sqlite_utils.Database, *, user: User, call_id: int, slot_id: str, donor: str,
               contacted_on=None, amount: float | None = None, currency: str | None = None, pledged_on=None,
               status: str = "contacted") -> int:
    require(may_manage_call(user), "Only the secretariat records donors.")
    call = call_row(db, call_id)
    _slot(db, call_id, slot_id)
    donor = required_text(donor, "donor", 500)
    if status not in ("contacted", "pledged", "paid", "declined"):
        raise Invalid("status", "choose contacted, pledged, paid or declined")
    if amount is not None and not (math.isfinite(amount) and amount >= 0):
        raise Invalid("amount", "a positive number")
    currency = (currency or "").strip().upper() or None
    if currency and not re.fullmatch(r"[A-Z]{3}", currency):
        raise Invalid("currency", "a three-letter ISO code such as USD or EUR")
    row = {"call_id": call_id, "slot_id": slot_id, "donor": donor,
           "contacted_on": (parse_date(contacted_on, "contacted_on") or clock.today()).isoformat(),
           "amount": amount, "currency": currency,
           "pledged_on": (d.isoformat() if (d := parse_date(pledged_on, "pledged_on")) else None), "status": status}
    with transaction(db):
        pledge_id = db["pledges"].insert(row).last_pk
        audit.record(db, actor=user.actor, call=call["reference"], action="pledge.recorded", target=f"slot:{slot_id}",
                     new=row)
    return pledge_id
