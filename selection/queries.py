"""Read-only questions that pages, reports and the command line ask of the store.

Writes live in the services; nothing here changes a row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
import sqlite_utils

from criteria import ranking as rk
from selection import call_rows, countries, figure_words, words
from selection.clock import add_months
from selection.i18n import N_

if TYPE_CHECKING:  # the ranking needs no pydantic models: ``rank`` does not import them
    from selection.bundle import Bundle


call_references = call_rows.call_references  # pages and commands find a call here, as before it had a module
resolve_call = call_rows.resolve_call


@dataclass
class RankingInputs:
    """Everything the ranking reads, as plain frames."""

    reference: str
    rules: rk.Rules
    slots: list[str]
    proposals: pd.DataFrame  # proposal, entity, status
    applications: pd.DataFrame  # proposal, slot
    scores: pd.DataFrame  # reviewer, proposal, criterion, score
    conflicts: pd.DataFrame  # reviewer, proposal
    consensus: pd.DataFrame  # proposal, criterion, score

    def criterion_scores(self) -> rk.CriterionScores:
        return rk.criterion_scores(self.scores, self.conflicts, self.consensus, self.rules.ids)

    def rank(self, rules: rk.Rules | None = None) -> rk.Ranking:
        return rk.rank(
            proposals=self.proposals,
            applications=self.applications,
            slots=self.slots,
            scores=self.criterion_scores(),
            rules=rules or self.rules,
        )


def _frame(db: sqlite_utils.Database, sql: str, params: list, columns: list[str]) -> pd.DataFrame:
    """The rows as a frame, read a batch at a time: two million scores held as Python rows at once took
    600 MB more than the frame itself."""
    cursor = db.execute(sql, params)
    parts = [pd.DataFrame(rows, columns=columns) for rows in iter(lambda: cursor.fetchmany(call_rows.BATCH), [])]
    if not parts:
        return pd.DataFrame([], columns=columns)
    return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)


def ranking_inputs(db: sqlite_utils.Database, reference: str | None = None) -> RankingInputs:
    call = resolve_call(db, reference)
    cid = call["id"]
    return RankingInputs(
        reference=call["reference"],
        rules=call_rows.rules_of(db, call),
        slots=[r[0] for r in db.execute(call_rows.SLOTS, [cid])],
        proposals=_frame(db, call_rows.PROPOSALS, [cid], ["proposal", "entity", "status"]),
        applications=_frame(db, call_rows.APPLICATIONS, [cid], ["proposal", "slot"]),
        scores=_frame(db, call_rows.SCORES, [cid], ["reviewer", "proposal", "criterion", "score"]),
        conflicts=_frame(db, call_rows.CONFLICTS, [cid], ["reviewer", "proposal"]),
        consensus=_frame(db, call_rows.CONSENSUS, [cid], ["proposal", "criterion", "score"]),
    )


def bundle_inputs(bundle: Bundle) -> RankingInputs:
    """The same inputs read from a bundle in memory (no database)."""
    call = bundle.call

    def frame(rows: list, columns: list[str]) -> pd.DataFrame:
        return pd.DataFrame([[getattr(r, c) for c in columns] for r in rows], columns=columns)

    return RankingInputs(
        reference=call.reference,
        rules=rk.Rules(
            criteria=tuple(rk.CriterionRule(c.id, c.weight, c.priority, c.threshold) for c in call.criteria),
            scale_min=call.scale.min,
            scale_max=call.scale.max,
            min_reviews=call.min_reviews,
            overall_threshold=call.overall_threshold,
        ),
        slots=[s.id for s in call.slots],
        proposals=pd.DataFrame(
            [[x.id, x.entity, x.status.value] for x in bundle.proposals], columns=["proposal", "entity", "status"]
        ),
        applications=pd.DataFrame(
            [[x.id, s] for x in bundle.proposals for s in x.slots], columns=["proposal", "slot"]
        ),
        scores=frame(bundle.scores, ["reviewer", "proposal", "criterion", "score"]),
        conflicts=frame(bundle.conflicts, ["reviewer", "proposal"]),
        consensus=frame(bundle.consensus, ["proposal", "criterion", "score"]),
    )


def slot_names(db: sqlite_utils.Database, call_id: int) -> dict[str, str]:
    """Slot id -> name, in the call's order and the reader's language: what every slot picker and label shows."""
    from selection import content

    names = dict(db.execute("SELECT id, name FROM slots WHERE call_id = ? ORDER BY position", [call_id]).fetchall())
    return content.CallTexts(db, call_id).slot_names(names)


def reviewer_names(db: sqlite_utils.Database, call_id: int) -> dict[str, str]:
    """Reviewer id -> the member's name, in the advisory group's order."""
    return dict(db.execute("SELECT id, name FROM reviewers WHERE call_id = ? ORDER BY position", [call_id]).fetchall())


def slot_short_names(db: sqlite_utils.Database, call_id: int) -> dict[str, str]:
    """Slot id -> its region where it has one (Africa), else its name: for narrow table columns."""
    return {r[0]: r[1] or r[2] for r in db.execute(
        "SELECT id, region, name FROM slots WHERE call_id = ? ORDER BY position", [call_id])}


def entity_names(db: sqlite_utils.Database, call_id: int) -> dict[str, dict]:
    """Entity id -> its row, for labelling tables."""
    return {r["id"]: r for r in db.query("SELECT * FROM entities WHERE call_id = ?", [call_id])}


def proposal_entities(db: sqlite_utils.Database, call_id: int) -> dict[str, dict]:
    """Proposal id -> the entity row that sent it."""
    rows = db.query(
        "SELECT p.id AS proposal, e.* FROM proposals p JOIN entities e ON e.call_id = p.call_id AND e.id = p.entity_id "
        "WHERE p.call_id = ?",
        [call_id],
    )
    return {r.pop("proposal"): r for r in rows}


def calls_newest_first(db: sqlite_utils.Database, *, published_only: bool = False) -> list[dict]:
    """Every call (or only the published ones, what applicants may see), newest first."""
    where = " WHERE published_at IS NOT NULL" if published_only else ""
    return list(db.query(f"SELECT * FROM calls{where} ORDER BY id DESC"))


def applicant_contact(db: sqlite_utils.Database, call_id: int, proposal_id: str) -> dict:
    """Where to write about a proposal: the entity's contact address, else its account's; and the entity's name."""
    row = db.execute("""SELECT coalesce(nullif(e.contact_email, ''), a.email), e.name FROM proposals p
                        JOIN entities e ON e.call_id = p.call_id AND e.id = p.entity_id
                        LEFT JOIN accounts a ON a.id = e.account_id WHERE p.call_id = ? AND p.id = ?""",
                     [call_id, proposal_id]).fetchone()
    return {"address": row[0], "entity": row[1]} if row else {"address": None, "entity": None}


def entity_of_account(db: sqlite_utils.Database, call_id: int, account_id: int) -> dict:
    """The organisation profile an applicant account keeps in a call ({} when none yet)."""
    return next(iter(db.query("SELECT * FROM entities WHERE call_id = ? AND account_id = ?", [call_id, account_id])),
                {})


def advice_given(db: sqlite_utils.Database, call_id: int) -> list[dict]:
    """Every piece of the Bureau's advice on a call with its slot's name, oldest first."""
    return list(db.query("SELECT s.name AS slot, a.member, a.advice, a.preferred_proposal_id, a.given_at "
                         "FROM bureau_advice a JOIN slots s ON s.call_id = a.call_id AND s.id = a.slot_id "
                         "WHERE a.call_id = ? ORDER BY a.id", [call_id]))


def consensus_recorded(db: sqlite_utils.Database, call_id: int) -> list[dict]:
    """Every consensus score recorded at the meeting, in the order recorded."""
    return list(db.query("SELECT proposal_id, criterion_id, score, note FROM consensus WHERE call_id = ? "
                         "ORDER BY rowid", [call_id]))


def pledges(db: sqlite_utils.Database, call_id: int) -> list[dict]:
    """Every donor's pledge on a call, oldest first."""
    return list(db.query("SELECT slot_id AS slot, donor, contacted_on, amount, currency, pledged_on, status "
                         "FROM pledges WHERE call_id = ? ORDER BY id", [call_id]))


@dataclass
class SlotView:
    """A slot's ranking labelled for people: names, not ids."""

    slot: dict  # the slots row
    table: pd.DataFrame  # Rank, Entity, Country, Total, Shortlisted, Passes, Tie, <criterion ids>, Reviews
    shortlist: list[str]  # entity names, in rank order
    unranked: list[dict]  # {"entity", "proposal", "reason"}
    tie_across_cutoff: bool


# a proposal's status as its readers say it, in English (``figure_words.status`` gives it in the reader's language)
STATUS_WORDS = figure_words.STATUS
NOT_SCREENED = STATUS_WORDS["submitted"]


def ranking_view(db: sqlite_utils.Database, reference: str, ranking: rk.Ranking) -> list[SlotView]:
    call = resolve_call(db, reference)
    cid = call["id"]
    who = proposal_entities(db, cid)
    slots = {r["id"]: r for r in db.query("SELECT * FROM slots WHERE call_id = ?", [cid])}

    unscreened = {r[0] for r in db.execute("SELECT id FROM proposals WHERE call_id = ? AND status = 'submitted'",
                                           [cid])}

    def label(proposal: str) -> str:
        e = who[proposal]
        name = f"{e['name']} ({e['acronym']})" if e.get("acronym") else e["name"]
        return f"{name} — {figure_words.status('submitted')}" if proposal in unscreened else name

    views = []
    for s in ranking.slots:
        t = s.table
        table = pd.DataFrame(
            {
                "Rank": t["rank"],
                "Entity": [label(p) for p in t["proposal"]],
                "Country": [countries.name(who[p].get("country")) for p in t["proposal"]],
                "Total": t["total"].round(2),
                "Shortlisted": t["shortlisted"],
                "Passes": t["passes"],
                "Tie": t["tie"],
                **{c: t[c].round(2) for c in ranking.criteria},
                "Reviews": t["reviews"],
            }
        )
        views.append(
            SlotView(
                slot=slots[s.slot],
                table=table,
                shortlist=[label(p) for p in s.shortlist],
                unranked=[{"entity": label(u["proposal"]), **u} for u in s.unranked],
                tie_across_cutoff=s.tie_across_cutoff(),
            )
        )
    return views


STEPS = (
    ("notified_on", N_("Call published (notification)")),
    ("inquiry_deadline", N_("Deadline for questions")),
    ("submission_deadline", N_("Deadline for proposals")),
    ("advisory_meeting_on", N_("Advisory group meeting")),
    ("decided_on", N_("Selection decided")),
)
OFFER_STEPS = {"Offered": N_("Offered: {who}"), "Notified": N_("Notified: {who}"), "Answered": N_("Answered: {who}"),
               "Lapsed": N_("Lapsed: {who}"), "Host agreement signed": N_("Host agreement signed: {who}")}


def timeline(db: sqlite_utils.Database, call: dict, today) -> list[dict]:
    """Every dated step of a call with days left, passed, or overdue (a task past its due date)."""
    from selection.i18n import _

    out = []
    for key, label in STEPS:
        day = dt.date.fromisoformat(call[key]) if call[key] else None
        out.append({"step": _(label), "date": day, "days_left": (day - today).days if day else None,
                    "state": "not set" if day is None else ("passed" if day < today else
                                                            "today" if day == today else "upcoming")})
    for a in advice_given(db, call["id"]):
        day = dt.date.fromisoformat(a["given_at"][:10])
        out.append({"step": _("Advice of the Bureau: {slot} ({member})", slot=a["slot"], member=a["member"]),
                    "date": day,
                    "days_left": (day - today).days, "state": "done"})
    for s in selections(db, call["id"], cancelled=True):
        who = f"{s['entity']} — {s['slot_name']}"
        for label, day, state in ((N_("Offered"), s["decided_at"][:10], "done"),
                                  (N_("Notified"), s["notified_on"], "done"),
                                  (N_("Answered"), s["answered_on"], s["acceptance"]),
                                  (N_("Lapsed"), s["lapsed_on"], "lapsed"),
                                  (N_("Host agreement signed"), s["agreement_signed_on"], "signed")):
            if day:
                out.append({"step": _(OFFER_STEPS[label], who=who), "date": dt.date.fromisoformat(day),
                            "days_left": (dt.date.fromisoformat(day) - today).days, "state": state})
        if s["cancelled_at"]:
            continue
        due = s["acceptance_due"]
        if due:
            done = s["acceptance"] != "pending"
            out.append({"step": _("Acceptance due: {who}", who=who), "date": due, "days_left": (due - today).days,
                        "state": s["acceptance"] if done else ("overdue" if today > due else "upcoming")})
        if s["acceptance"] in ("pending", "accepted"):
            due = s["agreement_due"]
            signed = s["agreement_signed_on"]
            out.append({"step": _("Host agreement due: {who}", who=who), "date": due, "days_left": (due - today).days,
                        "state": "signed" if signed else ("overdue" if today > due else "upcoming")})
    from selection.corrections import corrections  # it reads the selections from here

    for c in corrections(db, call):
        day = c["at"].date()
        out.append({"step": _("Correction: {what} (reason: {reason})", what=c["what"], reason=c["reason"]), "date": day,
                    "days_left": (day - today).days, "state": "corrected"})
    return out



def current_step(db: sqlite_utils.Database, call: dict, today) -> str:
    """Where the procedure stands, in words a secretariat uses."""
    from selection.i18n import _

    def passed(key: str) -> bool:
        return bool(call[key]) and dt.date.fromisoformat(call[key]) < today

    if not call.get("published_at"):
        return _("Draft: not yet published")
    counts = dict(db.execute("SELECT acceptance, count(*) FROM selections WHERE call_id = ? AND cancelled_at IS NULL "
                             "GROUP BY acceptance", [call["id"]]).fetchall())
    if counts.get("accepted"):
        return _("Follow-up: host agreement and funding")
    if counts.get("pending"):
        return _("Decision: awaiting the selected entity's acceptance")
    if counts:
        return _("Decision: the selected entity declined; choose the next candidate")
    if passed("advisory_meeting_on"):
        return _("Assessment report and Bureau advice")
    if passed("submission_deadline"):
        return _("Assessment by the advisory group")
    if passed("inquiry_deadline"):
        return _("Receiving proposals (questions closed)")
    return _("Open: receiving questions and proposals")


def still_open_until(call: dict, today: dt.date) -> dt.date | None:
    """The submission deadline while proposals may still arrive (a selection made now would pass over them),
    None once it has passed or when the call has none."""
    deadline = call.get("submission_deadline")
    if not deadline:
        return None
    day = dt.date.fromisoformat(str(deadline)[:10])
    return day if today <= day else None


def proposals_overview(db: sqlite_utils.Database, call_id: int) -> pd.DataFrame:
    """Every non-draft proposal with its entity, slots, status, assignments and submitted reviews.

    Each count is one grouped pass over its table (indexed by proposal, migration 0008), not a query per proposal.
    """
    rows = db.execute(
        """WITH a AS (SELECT proposal_id, count(*) AS assigned, sum(conflict = 1) AS conflicts FROM assignments
                      WHERE call_id = :call GROUP BY proposal_id),
                r AS (SELECT proposal_id, count(*) AS submitted FROM review_submissions
                      WHERE call_id = :call GROUP BY proposal_id),
                s AS (SELECT proposal_id, group_concat(slot_id, ', ') AS slots FROM proposal_slots
                      WHERE call_id = :call GROUP BY proposal_id)
           SELECT p.id, e.name, e.acronym, e.country, p.status, p.status_reason, p.submitted_at, s.slots,
                  coalesce(a.assigned, 0), coalesce(a.conflicts, 0), coalesce(r.submitted, 0)
           FROM proposals p JOIN entities e ON e.call_id = p.call_id AND e.id = p.entity_id
           LEFT JOIN a ON a.proposal_id = p.id LEFT JOIN r ON r.proposal_id = p.id LEFT JOIN s ON s.proposal_id = p.id
           WHERE p.call_id = :call AND p.status <> 'draft' ORDER BY p.position""", {"call": call_id}).fetchall()
    return pd.DataFrame(rows, columns=["Proposal", "Entity", "Acronym", "Country", "Status", "Reason", "Submitted",
                                       "Slots", "Assigned", "Conflicts", "Reviews submitted"])


def status_counts(db: sqlite_utils.Database, call_id: int) -> dict[str, int]:
    """How many of the call's proposals are in each status (drafts included), for the dashboard's figures."""
    return dict(db.execute("SELECT status, count(*) FROM proposals WHERE call_id = ? GROUP BY status",
                           [call_id]).fetchall())


ACCEPTANCE_MONTHS = 1
AGREEMENT_MONTHS = 3


def acceptance_due(selection: dict) -> dt.date | None:
    """One calendar month after the selected entity was notified."""
    day = selection.get("notified_on")
    return add_months(dt.date.fromisoformat(day), ACCEPTANCE_MONTHS) if day else None


def agreement_due(selection: dict) -> dt.date:
    """Three calendar months after the decision."""
    return add_months(dt.date.fromisoformat(selection["decided_at"][:10]), AGREEMENT_MONTHS)


def selections(db: sqlite_utils.Database, call_id: int, *, cancelled: bool = False) -> list[dict]:
    """Every selection of a call with its entity, slot and due dates; those cancelled as a correction only
    when ``cancelled`` is asked for (they count for nothing else)."""
    rows = list(db.query(
        """SELECT s.*, e.name AS entity, sl.name AS slot_name FROM selections s
           JOIN proposals p ON p.call_id = s.call_id AND p.id = s.proposal_id
           JOIN entities e ON e.call_id = p.call_id AND e.id = p.entity_id
           JOIN slots sl ON sl.call_id = s.call_id AND sl.id = s.slot_id
           WHERE s.call_id = ? AND (? OR s.cancelled_at IS NULL) ORDER BY sl.position, s.id""",
        [call_id, cancelled]))
    for r in rows:
        r["acceptance_due"] = acceptance_due(r)
        r["agreement_due"] = agreement_due(r)
    return rows


def reserve_list(db: sqlite_utils.Database, call_id: int, slot_id: str) -> list[dict]:
    """The slot's shortlist in rank order, each with where it stands in the chain of offers.

    ``state`` is "available" (not offered yet), or the answer of its offer:
    pending, accepted, declined or lapsed; ``closed_at`` is when a decline or lapse was recorded.
    """
    from selection import views  # views are built from these queries

    call = db.execute("SELECT reference FROM calls WHERE id = ?", [call_id]).fetchone()[0]
    slot = views.for_call(db, call).ranking.slot(slot_id)
    offers = {r["proposal_id"]: r for r in db.query(
        "SELECT * FROM selections WHERE call_id = ? AND slot_id = ? AND cancelled_at IS NULL ORDER BY id",
        [call_id, slot_id])}
    out = []
    for row in slot.table[slot.table["shortlisted"]].to_dict("records"):
        offer = offers.get(row["proposal"])
        state = offer["acceptance"] if offer else "available"
        out.append({"proposal": row["proposal"], "rank": int(row["rank"]), "total": float(row["total"]),
                    "state": state, "selection_id": offer["id"] if offer else None,
                    "closed_at": offer["closed_at"] if offer else None})
    return out


def funding(db: sqlite_utils.Database, call_id: int) -> list[dict]:
    """Per selected host: the stated budget need against pledges (pledged or paid), per currency."""
    out = []
    for s in selections(db, call_id):
        if s["acceptance"] in ("declined", "lapsed"):
            continue
        totals = dict(db.execute(
            "SELECT currency, sum(amount) FROM pledges WHERE call_id = ? AND slot_id = ? AND status IN "
            "('pledged', 'paid') AND amount IS NOT NULL GROUP BY currency", [call_id, s["slot_id"]]).fetchall())
        pledged = totals.get(s["budget_currency"], 0.0) if s["budget_currency"] else None
        out.append({"slot": s["slot_name"], "entity": s["entity"], "need": s["budget_need"],
                    "currency": s["budget_currency"], "pledged": pledged, "other_currencies": {
                        k: v for k, v in totals.items() if k != s["budget_currency"]},
                    "gap": (s["budget_need"] - pledged) if s["budget_need"] is not None and pledged is not None
                    else None})
    return out


def outcome(db: sqlite_utils.Database, call_id: int, proposal_id: str) -> list[str]:
    """What an applicant may be told about the decision on each slot their proposal applied to, by the rule of
    :mod:`selection.outcomes` (on a reserve list, it is never told another entity was selected)."""
    from selection import outcomes  # outcomes are built from these queries

    from selection.i18n import _

    call = db.execute("SELECT id, reference FROM calls WHERE id = ?", [call_id]).fetchone()
    names = slot_names(db, call_id)
    lines = []
    for o in outcomes.slot_outcomes(db, {"id": call[0], "reference": call[1]}):
        if o.proposal != proposal_id:
            continue
        name = names[o.slot]
        if o.kind in ("selected", "reserve", "not_selected") and not (o.live or o.offer or {}).get("notified_on"):
            continue  # nothing is told before the secretariat notifies the selected entity
        if o.kind == "selected" and o.offer["acceptance"] == "pending":
            due = acceptance_due(o.offer)
            lines.append(_("Selected to host {centre}. Please confirm your acceptance by {date}.", centre=name,
                           date=words.date(due)) if due else
                         _("Selected to host {centre}. Please confirm your acceptance once you receive the "
                           "notification.", centre=name))
        elif o.kind == "selected":
            signed = o.offer["agreement_signed_on"]
            lines.append(_("Selected to host {centre}; your acceptance is recorded and the host agreement was signed "
                           "on {date}.", centre=name, date=words.date(signed)) if signed else
                         _("Selected to host {centre}; your acceptance is recorded.", centre=name))
        elif o.kind == "closed" and o.offer["acceptance"] == "declined":
            lines.append(_("Selected to host {centre}; the offer was declined.", centre=name))
        elif o.kind == "closed":
            lines.append(_("Selected to host {centre}; the offer lapsed.", centre=name))
        elif o.kind == "reserve":
            lines.append(_("On the reserve list for {centre}: the offer made to another entity awaits its answer, "
                           "and it may still be offered to you.", centre=name))
        elif o.kind == "not_selected":
            lines.append(_("Another entity was selected to host {centre}.", centre=name))
    return lines


def assessed_entities(db: sqlite_utils.Database, call_id: int) -> dict[str, str]:
    """Proposal id -> entity name, for the proposals being assessed (submitted or eligible), in order."""
    return {r[0]: r[1] for r in db.execute(
        "SELECT p.id, e.name FROM proposals p JOIN entities e ON e.call_id = p.call_id AND e.id = p.entity_id "
        "WHERE p.call_id = ? AND p.status IN ('submitted', 'eligible') ORDER BY p.position", [call_id])}
