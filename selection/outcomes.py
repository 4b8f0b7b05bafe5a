"""What an applicant may be told about each slot it applied to, once the decision on that slot is made.

The rule the letters follow (and any document that speaks to an applicant):

* **selected**: its offer for the slot is current (acceptance pending or accepted);
* **closed**: it was offered the slot and declined, or let the offer lapse; the slot has passed on;
* **undecided**: no current offer for the slot (nothing selected yet, or an offer passed on and the next
  candidate is not selected yet): nobody is told "not selected" while an offer may still come;
* **reserve**: another entity's offer awaits its answer and this proposal is on the shortlist, not yet
  offered: it may still receive the offer, so it is told it is on the reserve list;
* **not_selected**: another entity holds the offer for good (accepted), or the proposal is not on the
  shortlist of a slot whose offer is current.

Cancelled selections (corrections) count for nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from criteria import ranking as rk
from selection import queries, report_queries, views

CURRENT = ("pending", "accepted")


@dataclass(frozen=True)
class SlotOutcome:
    """One proposal's outcome on one slot it applied to; ``offer`` is its own selection row (selected or
    closed), else None."""

    slot: str
    proposal: str
    entity: str
    status: str  # the proposal's status: submitted, eligible, ineligible, withdrawn
    status_reason: str | None
    kind: str
    offer: dict | None = None
    live: dict | None = None  # the slot's current offer (pending or accepted), whoever it went to


def slot_outcomes(db: sqlite_utils.Database, call: dict, ranking: rk.Ranking | None = None) -> list[SlotOutcome]:
    """Every sent proposal's outcome on every slot it applied to, in proposal then slot order (``ranking``:
    the call's, when the caller holds it already)."""
    call_id = call["id"]
    offers = queries.selections(db, call_id)
    own = {(s["slot_id"], s["proposal_id"]): s for s in offers}
    current = {s["slot_id"]: s for s in offers if s["acceptance"] in CURRENT}
    awaiting = [sid for sid, s in current.items() if s["acceptance"] == "pending"]
    if awaiting and ranking is None:  # only a slot whose offer awaits its answer has a reserve list to read
        ranking = views.for_call(db, call["reference"]).ranking
    shortlists = {sid: set(ranking.slot(sid).shortlist) for sid in awaiting}
    out = []
    for a in report_queries.applications(db, call_id):
        slot, pid = a["slot"], a["proposal"]
        mine = own.get((slot, pid))
        live = current.get(slot)
        if mine is not None:
            kind = "selected" if mine["acceptance"] in CURRENT else "closed"
        elif live is None:
            kind = "undecided"
        elif pid in shortlists.get(slot, ()):
            kind = "reserve"
        else:
            kind = "not_selected"
        out.append(SlotOutcome(slot=slot, proposal=pid, entity=a["entity"], status=a["status"],
                               status_reason=a["status_reason"], kind=kind, offer=mine, live=live))
    return out


def decided(db: sqlite_utils.Database, call_id: int) -> bool:
    """True when some slot of the call has a current offer: there is a decision to tell applicants."""
    return any(s["acceptance"] in CURRENT for s in queries.selections(db, call_id))
