"""Decision letters (step 6): to each selected entity, and to the applicants not selected.

One PDF, one letter per page (a letter that runs long continues on the next
page; the next letter always starts on a new page), in this order: for each
slot, the letter to the selected entity, then for each proposal not selected,
one letter naming every slot it applied to and was not selected for.

* **Selected**: every current selection (``queries.selections``, acceptance
  pending or accepted; a declined or lapsed one is history, not a letter).
  The entity is asked to confirm acceptance within one calendar month of the
  notification: by ``notified_on`` + 1 month, or, when the notification is
  not recorded yet, by the letter's date + 1 month (the letter *is* the
  notification). The host agreement process is due within three months of
  the decision.
* **Not selected**: every other proposal (not a draft) that applied to a slot
  where a selection was made, whatever its status, with a sentence that fits
  it: its rank and total when it was ranked, the screening or withdrawal
  otherwise. An entity whose own selection for that slot was declined or
  lapsed gets no letter for it.
"""

from __future__ import annotations

import datetime as dt
import io

import sqlite_utils
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

from reports import data as reportdata
from reports import fonts
from reports.layout import (
    ACCENT,
    MARGIN,
    MUTED,
    NAME_LIMIT,
    RULE,
    entity,
    long_date,
    num,
    rich,
    styles,
)
from selection import clock, queries, record, report_queries
from selection.models import fmt
from selection.clock import add_months

CURRENT = ("pending", "accepted")


class NoLetters(LookupError):
    """No selection is recorded for the call yet: there is no decision to write about."""


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                "twelve")
ORDINAL_WORDS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh",
                 8: "eighth", 9: "ninth", 10: "tenth"}


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _count(n: int) -> str:
    return NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else f"{n:,}"


def standing_words(row: dict, of: int, shortlisted: int) -> str:
    """Where a ranked proposal stands, as a letter says it: "ranked 2nd of 6", "jointly third, one of
    four shortlisted" when it shares its rank."""
    rank = int(row["rank"])
    if row["tie"]:
        place = f"jointly {ORDINAL_WORDS.get(rank, _ordinal(rank))} of {of}"
    else:
        place = f"{_ordinal(rank)} of {of}"
    text = f"ranked {place} with a total of {num(row['total'], 1)} out of 100"
    if row["shortlisted"]:
        text += f", one of {_count(shortlisted)} shortlisted"
    return text


def missed_thresholds(row: dict, criteria: list[dict], overall: float | None) -> list[str]:
    """Each threshold a ranked proposal did not reach, named, with its score."""
    out = [f"the threshold of {fmt(c['threshold'])} set for {c['name']} (its score: {num(row[c['id']], 2)})"
           for c in criteria if c["threshold"] is not None and round(row[c["id"]], 6) < round(c["threshold"], 6)]
    if overall is not None and round(row["total"], 6) < round(overall, 6):
        out.append(f"the overall threshold of {fmt(overall)} out of 100 (its total: {num(row['total'], 1)})")
    return out


def acceptance_deadline(selection: dict, letter_date: dt.date) -> tuple[dt.date, dt.date]:
    """(notification date, acceptance deadline): one calendar month after the notification,
    the letter's date standing in for a notification not recorded yet."""
    notified = dt.date.fromisoformat(selection["notified_on"]) if selection.get("notified_on") else letter_date
    return notified, add_months(notified, queries.ACCEPTANCE_MONTHS)


class _Letters:
    def __init__(self, db: sqlite_utils.Database, reference: str | None, letter_date: dt.date):
        self.db = db
        self.call = queries.resolve_call(db, reference)
        self.on = letter_date
        self.s = styles()
        self.s["letter"] = ParagraphStyle("letter", self.s["body"], fontSize=10, leading=14.5, spaceAfter=8)
        self.s["from"] = ParagraphStyle("from", self.s["body"], fontName=fonts.SANS_BOLD, fontSize=11, leading=14,
                                        textColor=ACCENT, spaceAfter=1)
        self.s["addr"] = ParagraphStyle("addr", self.s["body"], fontSize=10, leading=13.5, spaceAfter=0)
        self.s["date"] = ParagraphStyle("date", self.s["body"], fontSize=10, leading=13.5, alignment=2)
        self.s["subject"] = ParagraphStyle("subject", self.s["body"], fontName=fonts.SANS_BOLD, fontSize=10,
                                           leading=14, spaceBefore=10, spaceAfter=10)
        self.secretariat = reportdata.secretariat(self.call)
        self.entities = queries.proposal_entities(db, self.call["id"])
        self.slots = {r["id"]: r for r in db.query("SELECT * FROM slots WHERE call_id = ? ORDER BY position",
                                                    [self.call["id"]])}
        self.width = A4[0] - 2 * MARGIN
        self.record = record.latest(db, self.call["id"])
        self.criteria = list(db.query("SELECT * FROM criteria WHERE call_id = ? ORDER BY position", [self.call["id"]]))

    def p(self, markup: str, style: str = "letter") -> Paragraph:
        return Paragraph(markup, self.s[style])

    def t(self, text: str, style: str = "letter") -> Paragraph:
        return Paragraph(rich(text), self.s[style])

    def head(self, proposal: str) -> list:
        e = self.entities.get(proposal) or {}
        s = self.s
        out = [
            Paragraph(rich(self.secretariat, bold=True, limit=300), s["from"]),
            Paragraph(rich("Call for hosts: ") + rich(self.call["reference"], limit=200), s["meta"]),
            Spacer(1, 8 * mm),
            Paragraph(rich(long_date(self.on)), s["date"]),
            Paragraph(entity(e, s["addr"], self.width, bold=True), s["addr"]),
        ]
        if e.get("country"):
            out.append(Paragraph(rich(report_queries.country_name(e["country"]), limit=60), s["addr"]))
        if e.get("contact_email"):
            out.append(Paragraph(rich("By e-mail: ") + rich(e["contact_email"], limit=200), s["addr"]))
        out.append(Spacer(1, 4 * mm))
        return out

    def slot_name(self, slot_id: str) -> str:
        return rich((self.slots.get(slot_id) or {}).get("name", slot_id), bold=True, limit=NAME_LIMIT)

    def sign(self) -> list:
        out = [Spacer(1, 4 * mm), self.t("Yours sincerely,"), Spacer(1, 10 * mm),
               Paragraph(rich(self.secretariat, bold=True, limit=300), self.s["letter"])]
        if self.record is not None:
            frozen = long_date(dt.date.fromisoformat(self.record["created_at"][:10]))
            out += [Spacer(1, 8 * mm), self.t(f"The decision rests on the decision record frozen on {frozen}; its "
                                              f"fingerprint (SHA-256) is {self.record['sha256']}.", "meta")]
        return out

    def selected(self, sel: dict) -> list:
        notified, due = acceptance_deadline(sel, self.on)
        agreement = queries.agreement_due(sel)
        title = rich(self.call["title"], limit=500)
        when = (f"This letter, dated {long_date(notified)}, is the notification of this decision."
                if not sel.get("notified_on") or notified == self.on
                else f"You were notified of this decision on {long_date(notified)}.")
        out = self.head(sel["proposal_id"])
        out.append(self.p(rich("Subject: selection as host of the ", bold=True) + self.slot_name(sel["slot_id"]),
                          "subject"))
        out.append(self.t("Dear Sir or Madam,"))
        out.append(self.p(
            rich("Following the assessment of the proposals received in response to the call “") + title
            + rich(f"” ({fonts.clean(self.call['reference'], 200)}) by the informal advisory group on technical and scientific cooperation, and with the advice "
                   "of the Bureau, I am pleased to inform you that ")
            + entity(self.entities.get(sel["proposal_id"]), bold=True, inline=True)
            + rich(" has been selected to host the ") + self.slot_name(sel["slot_id"]) + rich(".")))
        out.append(self.p(
            rich(when + " Please confirm your acceptance in writing within one calendar month, that is by ")
            + rich(long_date(due), bold=True) + rich(f" (acceptance deadline: {due.isoformat()}).")))
        out.append(self.t(
            f"Once you accept, the process to conclude a host agreement will start; it is due within three months "
            f"of the decision, by {long_date(agreement)}. A process to identify donors to fund the centre will "
            "start at the same time."))
        if sel.get("acceptance") == "accepted":
            out.append(self.t("We have since received your acceptance, for which we thank you."))
        out.append(self.t("We look forward to working with you."))
        return out + self.sign()

    def not_selected(self, proposal: str, slot_ids: list[str], standing: dict, status: dict,
                     reserve: set[str]) -> list:
        """The letter to an applicant not selected: regret where another entity holds the offer for
        good, the reserve list where the offer made is still awaiting its answer."""
        out = self.head(proposal)
        names = rich(", ").join(self.slot_name(sid) for sid in slot_ids)
        out.append(self.p(rich("Subject: outcome of your proposal for the ", bold=True) + names, "subject"))
        out.append(self.t("Dear Sir or Madam,"))
        regret = [sid for sid in slot_ids if sid not in reserve]
        waiting = [sid for sid in slot_ids if sid in reserve]
        thanks = (rich("Thank you for your proposal in response to the call “") + rich(self.call["title"], limit=500)
                  + rich(f"” ({fonts.clean(self.call['reference'], 200)}), which the informal advisory group on "
                         "technical and scientific cooperation has assessed."))
        if regret:
            thanks += (rich(" With the advice of the Bureau, another applicant has been selected to host the ")
                       + rich(", ").join(self.slot_name(sid) for sid in regret)
                       + rich(". We regret that your proposal was not selected."))
        out.append(self.p(thanks))
        if waiting:
            out.append(self.p(
                rich("For the ") + rich(", ").join(self.slot_name(sid) for sid in waiting)
                + rich(", an offer has been made to another applicant and its answer is awaited. Your proposal is on "
                       "the reserve list: should that offer not be accepted, the mechanism may be offered to you, and "
                       "we will write to you again.")))
        st, reason = status.get(proposal, ("", None))
        if st == "ineligible":
            out.append(self.p(rich("Your proposal was found ineligible at screening")
                              + (rich(": ") + rich(reason, limit=1000) if reason else rich("")) + rich(".")))
        elif st == "withdrawn":
            out.append(self.p(rich("Your proposal was withdrawn and so was not assessed")
                              + (rich(" (") + rich(reason, limit=1000) + rich(")") if reason else rich("")) + rich(".")))
        for sid in slot_ids:
            where = standing.get((sid, proposal))
            if where is None:
                if st not in ("ineligible", "withdrawn"):
                    out.append(self.p(rich("For the ") + self.slot_name(sid) + rich(
                        f", your proposal did not receive the {self.call['min_reviews']} valid reviews needed to "
                        "be ranked.")))
                continue
            row, of, shortlisted = where
            text = f", your proposal {standing_words(row, of, shortlisted)}."
            missed = missed_thresholds(row, self.criteria, self.call["overall_threshold"])
            if missed:
                text += " It did not reach " + "; nor ".join(missed) + ", so it could not be shortlisted."
            out.append(self.p(rich("For the ") + self.slot_name(sid) + rich(text)))
        out.append(self.t(
            "The assessment report explains how the selection criteria were applied. We thank you for your "
            "interest and hope to cooperate with you in the work of the centres."))
        return out + self.sign()

    def story(self) -> list:
        sels = queries.selections(self.db, self.call["id"])
        current = [s for s in sels if s["acceptance"] in CURRENT]
        if not current:
            raise NoLetters(f"no selection is recorded for {self.call['reference']} yet: record the decision first")
        ranking = queries.ranking_inputs(self.db, self.call["reference"]).rank()
        standing = {}
        for sr in ranking.slots:
            of, shortlisted = len(sr.table), len(sr.shortlist)
            for r in sr.table.to_dict("records"):
                standing[(sr.slot, r["proposal"])] = (r, of, shortlisted)
        awaiting = {s["slot_id"] for s in current if s["acceptance"] == "pending"}
        reserve = {(sid, pid) for sid in awaiting for pid in ranking.slot(sid).shortlist}
        status = {pid: (st, reason) for pid, st, reason in self.db.execute(
            "SELECT id, status, status_reason FROM proposals WHERE call_id = ? AND status <> 'draft'",
            [self.call["id"]])}
        ever = {(s["slot_id"], s["proposal_id"]) for s in sels}
        applied = self.db.execute(
            "SELECT ps.slot_id, ps.proposal_id FROM proposal_slots ps JOIN proposals p "
            "ON p.call_id = ps.call_id AND p.id = ps.proposal_id WHERE ps.call_id = ? AND p.status <> 'draft' "
            "ORDER BY p.position", [self.call["id"]]).fetchall()
        decided = {s["slot_id"] for s in current}
        others: dict[str, list[str]] = {}
        for slot_id, pid in applied:
            if slot_id in decided and (slot_id, pid) not in ever:
                others.setdefault(pid, []).append(slot_id)
        order = list(self.slots)
        letters = [self.selected(s) for s in sorted(current, key=lambda s: order.index(s["slot_id"]))]
        letters += [self.not_selected(pid, sorted(sids, key=order.index), standing, status,
                                      {sid for sid in sids if (sid, pid) in reserve})
                    for pid, sids in others.items()]
        story = []
        for i, letter in enumerate(letters):
            if i:
                story.append(PageBreak())
            story += letter
        return story

    def render(self) -> bytes:
        buf = io.BytesIO()
        call = self.call

        def footer(canvas, doc):
            canvas.saveState()
            canvas.setStrokeColor(RULE)
            canvas.setLineWidth(0.5)
            canvas.line(MARGIN, 14 * mm, A4[0] - MARGIN, 14 * mm)
            canvas.setFont(fonts.SANS, 7.5)
            canvas.setFillColor(MUTED)
            canvas.drawString(MARGIN, 10 * mm, fonts.plain(f"{call['reference']} · decision letter", limit=90))
            canvas.drawRightString(A4[0] - MARGIN, 10 * mm, f"Sheet {doc.page}")
            canvas.restoreState()

        doc = SimpleDocTemplate(
            buf, pagesize=A4, leftMargin=MARGIN + 4 * mm, rightMargin=MARGIN + 4 * mm, topMargin=MARGIN + 4 * mm,
            bottomMargin=MARGIN + 4 * mm,
            title=fonts.clean(f"Decision letters — {call['reference']}", limit=1000),
            author=fonts.clean(self.secretariat, limit=300),
            subject=fonts.clean(f"Notification of the selection of hosts and letters to the applicants not "
                                f"selected ({call['reference']})", limit=1000),
            creator="host-selection",
        )
        self.width = doc.width
        doc.build(self.story(), onFirstPage=footer, onLaterPages=footer)
        return buf.getvalue()


def build(db: sqlite_utils.Database, reference: str | None = None, *, letter_date: dt.date | None = None) -> bytes:
    """The decision letters of a call, as one PDF (one letter per page); :class:`NoLetters` when no
    selection is recorded yet."""
    fonts.register()
    return _Letters(db, reference, letter_date or clock.today()).render()


def pending(db: sqlite_utils.Database, reference: str | None = None) -> bool:
    """True when the call has a current selection, so there are letters to write."""
    call = queries.resolve_call(db, reference)
    return any(s["acceptance"] in CURRENT for s in queries.selections(db, call["id"]))
