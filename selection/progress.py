"""Where a call stands and what the secretariat does next: per slot once decisions begin.

The call-wide phase (:func:`selection.queries.current_step`) holds until the first
selection; from then on each slot has its own step, because one slot may be
signed while five are still being decided. :func:`next_step` says, in a
secretariat's words, the one thing to do next and on which page.
"""

from __future__ import annotations

import datetime as dt

import sqlite_utils

from selection import queries, views, words
from selection.i18n import N_, _, ngettext

DECIDE = N_("Decision: select the host")


def _slot_step(offer: dict | None) -> str:
    """A slot's step from its latest offer (None: no offer yet)."""
    if offer is None:
        return _(DECIDE)
    if offer["acceptance"] == "pending":
        return (_("Decision: awaiting the selected entity's acceptance") if offer["notified_on"]
                else _("Decision: notify the selected entity"))
    if offer["acceptance"] == "accepted":
        return _("Done: host agreement signed") if offer["agreement_signed_on"] else \
            _("Follow-up: host agreement and funding")
    if offer["acceptance"] == "lapsed":
        return _("Decision: the selected entity lapsed; choose the next candidate")
    return _("Decision: the selected entity declined; choose the next candidate")


def _latest_offers(db: sqlite_utils.Database, call_id: int) -> dict[str, dict]:
    return {s["slot_id"]: s for s in queries.selections(db, call_id)}  # ordered by id: the last one wins


def slot_steps(db: sqlite_utils.Database, call: dict, today: dt.date) -> list[dict]:
    """Each slot with its step: the call's phase before any selection, its own after."""
    latest = _latest_offers(db, call["id"])
    phase = queries.current_step(db, call, today)
    return [{"slot": name, "step": _slot_step(latest.get(slot)) if latest else phase}
            for slot, name in queries.slot_names(db, call["id"]).items()]


def call_step(db: sqlite_utils.Database, call: dict, today: dt.date) -> str:
    """The call's step: one phase for all slots, or how many slots are decided once they differ."""
    steps = [s["step"] for s in slot_steps(db, call, today)]
    if len(set(steps)) <= 1:
        return steps[0] if steps else queries.current_step(db, call, today)
    done = sum(1 for s in steps if s != _(DECIDE))
    return ngettext("Decision and follow-up: {done} of {n} slot decided",
                    "Decision and follow-up: {done} of {n} slots decided", len(steps), done=done)


def _count(db: sqlite_utils.Database, sql: str, params: list) -> int:
    return db.execute(sql, params).fetchone()[0]


def _review_counts(db: sqlite_utils.Database, call: dict) -> tuple[int, int]:
    """Eligible proposals with fewer members than the call needs, and assigned reviews not submitted.

    Kept until the call changes (:func:`selection.views.kept`): the dashboard asks on every rerun, and at the
    largest calls these two counts read every assignment."""
    def counts() -> tuple[int, int]:
        cid = call["id"]
        short = _count(db, """SELECT count(*) FROM proposals p WHERE p.call_id = ? AND p.status = 'eligible'
                              AND (SELECT count(*) FROM assignments a WHERE a.call_id = p.call_id
                                   AND a.proposal_id = p.id AND coalesce(a.conflict, 0) = 0) < ?""",
                       [cid, call["min_reviews"]])
        open_reviews = _count(db, """SELECT count(*) FROM assignments a WHERE a.call_id = ?
                                     AND coalesce(a.conflict, 0) = 0 AND NOT EXISTS (SELECT 1 FROM review_submissions s
                                     WHERE s.call_id = a.call_id AND s.reviewer_id = a.reviewer_id
                                     AND s.proposal_id = a.proposal_id)""", [cid])
        return short, open_reviews

    return views.kept(db, call["reference"], "review counts", counts)


def next_step(db: sqlite_utils.Database, call: dict, today: dt.date) -> dict:
    """``{"step": what to do next, "where": the page to do it on}``, in the procedure's order."""
    cid = call["id"]

    def day(key: str) -> dt.date | None:
        return dt.date.fromisoformat(call[key]) if call[key] else None

    if not call.get("published_at"):
        return {"step": _("Publish the call: applicants can read it and apply only then."), "where": "Call set-up"}
    if not _count(db, "SELECT count(*) FROM accounts WHERE role = 'member' AND disabled = 0", []):
        return {"step": _("Invite the advisory group members, so that they can be assigned proposals."),
                "where": "People"}
    waiting = _count(db, "SELECT count(*) FROM inquiries WHERE call_id = ? AND answer IS NULL", [cid])
    if waiting:
        return {"step": ngettext("Answer the {n} question waiting; each answer is published to every applicant.",
                                 "Answer the {n} questions waiting; each answer is published to every applicant.",
                                 waiting),
                "where": "Questions"}
    if _count(db, "SELECT count(*) FROM selections WHERE call_id = ? AND cancelled_at IS NULL", [cid]):
        return _decision_step(db, call)  # once a host is selected, the follow-up is what comes next
    unscreened = _count(db, "SELECT count(*) FROM proposals WHERE call_id = ? AND status = 'submitted'", [cid])
    if unscreened:
        return {"step": ngettext("Screen the {n} proposal waiting (eligible or not, with a reason).",
                                 "Screen the {n} proposals waiting (eligible or not, with a reason).", unscreened),
                "where": "Proposals"}
    short, open_reviews = _review_counts(db, call)
    if short:
        return {"step": ngettext("Assign members to the {n} eligible proposal that has fewer than {need} members "
                                 "without a conflict.", "Assign members to the {n} eligible proposals that have fewer "
                                 "than {need} members without a conflict.", short, need=call["min_reviews"]),
                "where": "Proposals"}
    deadline, meeting = day("submission_deadline"), day("advisory_meeting_on")
    if deadline and today <= deadline:
        return {"step": _("Proposals are coming in until {date}: screen and assign them as they arrive.",
                                  date=words.date(deadline)),
                "where": "Proposals"}
    if meeting and today <= meeting:
        if open_reviews:
            return {"step": ngettext("{n} assigned review is not submitted yet; the meeting is on {date}. Send "
                                     "reminders from the Dashboard.", "{n} assigned reviews are not submitted yet; "
                                     "the meeting is on {date}. Send reminders from the Dashboard.", open_reviews,
                                     date=words.date(meeting)), "where": "Dashboard"}
        return {"step": _("Hold the advisory group meeting on {date}: discuss divergent scores and record "
                          "consensus scores.", date=words.date(meeting)), "where": "Meeting"}
    if not _count(db, "SELECT count(*) FROM bureau_advice WHERE call_id = ?", [cid]):
        return {"step": _("Generate the assessment report and ask the Bureau for its advice on each shortlist."),
                "where": "Assessment report"}
    return _decision_step(db, call)


def _decision_step(db: sqlite_utils.Database, call: dict) -> dict:
    where = "Decision and follow-up"
    latest = _latest_offers(db, call["id"])
    undecided = [name for slot, name in queries.slot_names(db, call["id"]).items()
                 if slot not in latest or latest[slot]["acceptance"] in ("declined", "lapsed")]
    if undecided:
        return {"step": ngettext("Record the selection for {n} slot: {slots}.", "Record the selection for {n} slots: "
                                 "{slots}.", len(undecided), slots=", ".join(undecided)),
                "where": where}
    for s in queries.selections(db, call["id"]):
        who = f"{s['entity']} ({s['slot_name']})"
        if s["acceptance"] == "pending" and not s["notified_on"]:
            return {"step": _("Record the notification of {who}.", who=who), "where": where}
        if s["acceptance"] == "pending":
            return {"step": _("Record the answer of {who}, due by {date}.", who=who,
                                     date=words.date(s["acceptance_due"])), "where": where}
        if s["acceptance"] == "accepted" and not s["agreement_signed_on"]:
            return {"step": _("Find donors and sign the host agreement with {who} by {date}.", who=who,
                                     date=words.date(s["agreement_due"])),
                    "where": where}
    return {"step": _("Every host agreement is signed: the call is complete."), "where": where}
