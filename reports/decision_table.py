"""The decision as a table: per slot, round by round of offers, the Bureau's advice and the
selection, with the notification, the answer and the host agreement, in readers' words."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlite_utils

from reports import data as reportdata
from reports.sheets import sheet
from selection import queries
from selection.i18n import N_, _

ADVICE, SELECTION = N_("Bureau's advice"), N_("Selection")
ANSWER = {"pending": N_("awaited"), "accepted": N_("accepted"), "declined": N_("declined"),
          "lapsed": N_("no answer in time")}
COLUMNS = ["Slot", "Round of offers", "Step", "Date", "By", "Entity", "Text", "Notified on", "Acceptance due",
           "Answer", "Answered on", "Host agreement due", "Host agreement signed on"]


def _day(text: str | None) -> dt.date | None:
    """A stored date or moment as the day it fell on."""
    return dt.date.fromisoformat(text[:10]) if text else None


def decision(db: sqlite_utils.Database, d: reportdata.CallData) -> pd.DataFrame:
    """Every piece of advice and every selection not cancelled (empty before either exists)."""
    cid = d.call["id"]
    order = {s["id"]: i for i, s in enumerate(d.slots)}
    names = {s["id"]: s["name"] for s in d.slots}

    def entity(proposal: str | None) -> str | None:
        return (d.entities.get(proposal) or {}).get("name") if proposal else None

    rows = []
    for a in db.query("SELECT slot_id, round, member, advice, preferred_proposal_id, given_at FROM bureau_advice "
                      "WHERE call_id = ? ORDER BY id", [cid]):
        rows.append((order.get(a["slot_id"], len(order)), a["round"], 0, {
            "Slot": names.get(a["slot_id"]), "Round of offers": a["round"], "Step": _(ADVICE),
            "Date": _day(a["given_at"]), "By": a["member"], "Entity": entity(a["preferred_proposal_id"]),
            "Text": a["advice"]}))
    rounds: dict[str, int] = {}
    for s in sorted(queries.selections(db, cid), key=lambda s: s["id"]):
        round_ = rounds[s["slot_id"]] = rounds.get(s["slot_id"], 0) + 1
        rows.append((order.get(s["slot_id"], len(order)), round_, 1, {
            "Slot": s["slot_name"], "Round of offers": round_, "Step": _(SELECTION), "Date": _day(s["decided_at"]),
            "By": reportdata.secretariat(d.call), "Entity": s["entity"], "Text": s["rationale"],
            "Notified on": _day(s["notified_on"]), "Acceptance due": s["acceptance_due"],
            "Answer": _(ANSWER[s["acceptance"]]) if s["acceptance"] in ANSWER else s["acceptance"],
            "Answered on": _day(s["answered_on"]),
            "Host agreement due": s["agreement_due"], "Host agreement signed on": _day(s["agreement_signed_on"])}))
    rows.sort(key=lambda r: r[:3])
    frame = sheet(pd.DataFrame([r[3] for r in rows], columns=COLUMNS), wrap=("Text",))
    frame["Round of offers"] = frame["Round of offers"].astype("Int64")
    return frame
