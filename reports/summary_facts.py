"""What an evaluation summary tells one applicant, in readers' words, gathered once per call.

The facts come from the same places as the report and the letters: the contract's
ranking, the valid reviews' reasons condensed without names (``reports.comments``),
the selections and the reserve list. Every sentence here is about one proposal
and one slot it applied to; ``reports.summaries`` lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from criteria.ranking import SHORTLIST_RANK
from criteria.sets import anchor_for
from reports import comments
from reports import data as reportdata
from reports.layout import label, long_date, num
from reports.letter_words import count, missed_thresholds, not_reached, place, standing_words
from reports.wording import figure, listed, part
from selection import queries, report_queries, words
from selection.i18n import N_, _, ngettext
from selection.models import fmt

CURRENT = ("pending", "accepted")
STATUS_WORDS = {
    "submitted": N_("Received; not yet screened by the secretariat"),
    "eligible": N_("Found eligible at screening"),
    "ineligible": N_("Found ineligible at screening"),
    "withdrawn": N_("Withdrawn"),
}


def and_list(items: list[str]) -> str:
    """(a), (b) and (c), joined as the reader's language joins a list."""
    return "".join(p.plain for p in listed([[part(item)] for item in items]))


class NoSummary(LookupError):
    """The proposal is not one the call holds, or was never submitted: there is nothing to summarise."""


@dataclass
class CriterionLine:
    name: str
    weight: str  # share of the total weight, "30%"
    score: str
    meaning: str
    threshold: str
    comment: str
    consensus: bool


@dataclass
class SlotLine:
    name: str
    standing: str  # where it stands in the ranking, or why it is not ranked
    outcome: str  # shortlist, reserve list, selection; empty when nothing is decided


@dataclass
class Summary:
    entity: dict
    country: str
    status: str
    criteria: list[CriterionLine]
    total: str | None  # out of 100, when ranked
    overall_threshold: str
    thresholds: str  # the sentence that names every threshold
    slots: list[SlotLine]


class CallFacts:
    """One call's ranking, reasons, consensus notes and selections, read once for every summary."""

    def __init__(self, db: sqlite_utils.Database, reference: str | None):
        self.db = db
        self.call = queries.resolve_call(db, reference)
        cid = self.call["id"]
        self.settings = report_queries.document_settings(db, cid)
        self.secretariat = reportdata.secretariat(self.call)
        self.criteria = []
        for row in db.query("SELECT * FROM criteria WHERE call_id = ? ORDER BY position", [cid]):
            row["anchors"] = reportdata.anchors_of(row)
            self.criteria.append(row)
        self.weight = sum(c["weight"] for c in self.criteria) or 1.0
        self.slots = {r["id"]: r for r in db.query("SELECT * FROM slots WHERE call_id = ? ORDER BY position", [cid])}
        self.entities = queries.proposal_entities(db, cid)
        inputs = queries.ranking_inputs(db, self.call["reference"])
        self.scores = inputs.criterion_scores()
        self.ranking = inputs.rank()
        self.standing = {}
        self.unranked = {}
        for sr in self.ranking.slots:
            for r in sr.table.to_dict("records"):
                self.standing[(sr.slot, r["proposal"])] = (r, len(sr.table), len(sr.shortlist))
            for u in sr.unranked:
                self.unranked[(sr.slot, u["proposal"])] = u["reason"]
        self.proposals = {r["id"]: r for r in db.query(
            "SELECT id, status, status_reason, position FROM proposals WHERE call_id = ? ORDER BY position", [cid])}
        self.applied: dict[str, list[str]] = {}
        order = list(self.slots)
        for slot_id, pid in db.execute("SELECT slot_id, proposal_id FROM proposal_slots WHERE call_id = ?", [cid]):
            self.applied.setdefault(pid, []).append(slot_id)
        for sids in self.applied.values():
            sids.sort(key=order.index)
        self.selections = queries.selections(db, cid)
        self.notes = reportdata.consensus_notes(db, cid)
        self.reasons = self._valid_reasons()

    def _valid_reasons(self) -> dict[tuple[str, str], list[tuple[float, str | None]]]:
        """(proposal, criterion) -> the valid reviews' (score, justification): a left-out review explains nothing."""
        written = reportdata.justifications(self.db, self.call["id"], list(self.proposals))
        valid = written.merge(self.scores.valid[["reviewer", "proposal", "criterion"]],
                              on=["reviewer", "proposal", "criterion"], how="inner")
        out: dict[tuple[str, str], list[tuple[float, str | None]]] = {}
        for r in valid.itertuples(index=False):
            out.setdefault((r.proposal, r.criterion), []).append((r.score, r.justification))
        return out

    def submitted(self) -> list[str]:
        """The proposals that have a summary (every one sent, not drafts), in the call's order."""
        return [pid for pid, p in self.proposals.items() if p["status"] != "draft"]

    def summary(self, proposal_id: str) -> Summary:
        p = self.proposals.get(proposal_id)
        if p is None or p["status"] == "draft":
            raise NoSummary(f"no submitted proposal {proposal_id!r} in {self.call['reference']}")
        e = self.entities.get(proposal_id) or {}
        ranked = next((self.standing[(s, proposal_id)] for s in self.applied.get(proposal_id, [])
                       if (s, proposal_id) in self.standing), None)
        overall = self.call["overall_threshold"]
        return Summary(
            entity=e,
            country=report_queries.country_name(e.get("country")),
            status=self._status(p),
            criteria=self._criteria(proposal_id) if ranked else [],
            total=figure(ranked[0]["total"], 1) if ranked else None,
            overall_threshold=fmt(overall) if overall is not None else _("none"),
            thresholds=self._thresholds(),
            slots=[self._slot(proposal_id, sid) for sid in self.applied.get(proposal_id, [])],
        )

    def _thresholds(self) -> str:
        """Every threshold in one sentence, criteria by their letter in the table, those of one value together."""
        by_value: dict[float, list[str]] = {}
        for i, c in enumerate(self.criteria):
            if c["threshold"] is not None:
                by_value.setdefault(c["threshold"], []).append(label(i))
        named = [_("{threshold} on {criteria}", threshold=fmt(value), criteria=and_list(labels))
                 for value, labels in by_value.items()]
        if self.call["overall_threshold"] is not None:
            named.append(_("a total of {threshold} out of 100", threshold=fmt(self.call["overall_threshold"])))
        if not named:
            return _("No threshold applies in this call: the first {count} ranked are shortlisted.",
                     count=count(SHORTLIST_RANK))
        return _("Thresholds: a proposal is shortlisted only if it reaches {thresholds}, and ranks {place} or better.",
                 thresholds="; ".join(named), place=place(SHORTLIST_RANK, tied=True))

    def _status(self, p: dict) -> str:
        words = _(STATUS_WORDS[p["status"]]) if p["status"] in STATUS_WORDS else p["status"]
        reason = " ".join(str(p["status_reason"] or "").split())
        if reason and p["status"] in ("ineligible", "withdrawn"):
            words = _("{status} ({reason})", status=words, reason=reason)
        return words

    def _criteria(self, pid: str) -> list[CriterionLine]:
        lo, hi = self.call["scale_min"], self.call["scale_max"]
        out = []
        for c in self.criteria:
            score = float(self.scores.scores.at[pid, c["id"]])
            note = self.notes.get((pid, c["id"]))
            out.append(CriterionLine(
                name=c["name"],
                weight=words.percent(float(num(c["weight"] / self.weight, 2))),
                score=figure(score, 2),
                meaning=anchor_for(score, lo, hi, c["anchors"]),
                threshold=fmt(c["threshold"]) if c["threshold"] is not None else _("none"),
                comment=comments.consolidated(self.reasons.get((pid, c["id"]), []),
                                              note["note"] if note else None, agreed=note is not None),
                consensus=note is not None,
            ))
        return out

    def _slot(self, pid: str, sid: str) -> SlotLine:
        name = self.slots[sid]["name"]
        where = self.standing.get((sid, pid))
        if where is None:
            return SlotLine(name, self._not_ranked(pid, sid), self._outcome(pid, sid, shortlisted=False))
        row, of, shortlisted = where
        standing = standing_words(row, of, shortlisted)
        text = _("{standing}.", standing=standing[:1].upper() + standing[1:])
        missed = missed_thresholds(row, self.criteria, self.call["overall_threshold"])
        if missed:
            text = _("{sentence} {more}", sentence=text, more=not_reached(missed))
        elif not row["shortlisted"]:
            text = _("{sentence} {more}", sentence=text,
                     more=_("It passes every threshold; the shortlist holds the first {count} that do.",
                            count=count(SHORTLIST_RANK)))
        return SlotLine(name, text, self._outcome(pid, sid, shortlisted=bool(row["shortlisted"])))

    def _not_ranked(self, pid: str, sid: str) -> str:
        reason = self.unranked.get((sid, pid))
        p = self.proposals[pid]
        why = " ".join(str(p["status_reason"] or "").split())
        if reason == "withdrawn":
            return (_("Not ranked: the proposal was withdrawn ({reason}).", reason=why) if why
                    else _("Not ranked: the proposal was withdrawn."))
        if reason == "ineligible":
            return (_("Not ranked: the proposal was found ineligible at screening: {reason}.", reason=why) if why
                    else _("Not ranked: the proposal was found ineligible at screening."))
        reviews = int(self.scores.reviews.get(pid, 0))
        return _("Not ranked: it received {received}, and {needed} (or a consensus score on every criterion) are "
                 "needed to rank a proposal.",
                 received=ngettext("{n} valid review", "{n} valid reviews", reviews),
                 needed=ngettext("{n} valid review", "{n} valid reviews", self.call["min_reviews"]))

    def _outcome(self, pid: str, sid: str, *, shortlisted: bool) -> str:
        offers = [s for s in self.selections if s["slot_id"] == sid]
        mine = next((s for s in offers if s["proposal_id"] == pid), None)
        live = next((s for s in offers if s["acceptance"] in CURRENT), None)
        if live is not None and mine is None and live["acceptance"] == "pending" and shortlisted:
            return _("On the reserve list: the centre was offered to another applicant, whose answer is awaited; "
                     "should that offer not be accepted, it may be offered to this applicant.")
        if offers and mine is None and live is None and shortlisted:
            return _("On the reserve list: the offer made passed on, and the next offer is still to be decided.")
        if mine is not None and mine["acceptance"] == "accepted":
            said = _("Selected to host the centre; the acceptance is recorded.")
        elif mine is not None and mine["acceptance"] == "pending":
            due = mine["acceptance_due"]
            said = (_("Selected to host the centre; the acceptance is awaited, by {date}.", date=long_date(due)) if due
                    else _("Selected to host the centre; the acceptance is awaited, within one calendar month of the "
                           "notification."))
        elif mine is not None:
            said = (_("The centre was offered to this applicant; the offer was declined.")
                    if mine["acceptance"] == "declined" else
                    _("The centre was offered to this applicant; the offer was not answered in time."))
        elif live is not None:
            said = _("Another applicant was selected to host the centre.")
        else:
            said = _("The selection is still to be made.") if shortlisted else ""
        if not shortlisted:
            return said
        return _("Shortlisted. {outcome}", outcome=said) if said else _("Shortlisted.")
