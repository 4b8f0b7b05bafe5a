"""Decision letters (step 6): one letter to each entity, covering every slot it applied to.

What a letter says of each slot follows :mod:`selection.outcomes`: selected (with the date by which to
accept, said once), on the reserve list while another entity's offer awaits its answer, not selected once
another entity holds the offer for good (with where the proposal stood, the threshold it missed, or why it
was not assessed), the offer it declined or let lapse, or no decision yet. An entity is written to once at
least one of its slots is decided for it (selected, reserve or not selected).

The selected entity is asked to confirm acceptance within one calendar month of the notification: by
``notified_on`` + 1 month, or, when the notification is not recorded yet, by the letter's date + 1 month (the
letter *is* the notification). The host agreement process is due within three months of the decision.

Each letter carries a reference number (the call's ``letter_reference`` setting, else its reference, then
the letter's number) and is signed by the signatory the settings name, else by the secretariat. Letters to
selected entities come first, in the slots' order, then the others in the proposals' order.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import sqlite_utils
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from reports import data as reportdata
from reports import fonts, letter_pdf
from reports.layout import ACCENT, NAME_LIMIT, entity, long_date, rich, styles
from reports.letter_words import acceptance_deadline, missed_thresholds, slot_list, standing_words
from selection import clock, outcomes, queries, record, report_queries, views

__all__ = ["LetterSet", "NoLetters", "acceptance_deadline", "build", "build_set", "missed_thresholds", "pending",
           "standing_words"]

TOLD = ("selected", "reserve", "not_selected")  # an entity with one of these on some slot gets a letter


class NoLetters(LookupError):
    """No selection is recorded for the call yet: there is no decision to write about."""


@dataclass
class LetterSet:
    """The call's letters: all in one PDF (a bookmark per letter), and, cut from it when first asked for,
    one PDF per letter by file name."""

    pdf: bytes
    starts: list[int]  # the page each letter begins on
    addressees: list[letter_pdf.Addressee]
    author: str

    def __len__(self) -> int:
        return len(self.addressees)

    @functools.cached_property
    def files(self) -> dict[str, bytes]:
        cut = letter_pdf.split(self.pdf, self.starts, self.addressees, author=self.author)
        return dict(zip(letter_pdf.file_names(self.addressees), cut))

    def zipped(self) -> bytes:
        return letter_pdf.zipped(self.files)


class _Letters:
    def __init__(self, db: sqlite_utils.Database, reference: str | None, letter_date: dt.date):
        self.db = db
        self.call = queries.resolve_call(db, reference)
        cid = self.call["id"]
        self.on = letter_date
        self.settings = report_queries.document_settings(db, cid)
        self.secretariat = reportdata.secretariat(self.call)
        self.entities = queries.entity_names(db, cid)
        self.slots = queries.slot_names(db, cid)
        self.criteria = report_queries.criteria_rows(db, cid)
        self.record = record.latest(db, cid)
        self.width = letter_pdf.frame_width()
        self.s = styles()
        body = self.s["body"]
        self.s.update({
            "letter": ParagraphStyle("letter", body, fontSize=10, leading=14.5, spaceAfter=8),
            "from": ParagraphStyle("from", body, fontName=fonts.SANS_BOLD, fontSize=11, leading=14, textColor=ACCENT,
                                   spaceAfter=1),
            "addr": ParagraphStyle("addr", body, fontSize=10, leading=13.5, spaceAfter=0),
            "date": ParagraphStyle("date", body, fontSize=10, leading=13.5, alignment=2),
            "subject": ParagraphStyle("subject", body, fontName=fonts.SANS_BOLD, fontSize=10, leading=14,
                                      spaceBefore=10, spaceAfter=10),
            "sign": ParagraphStyle("sign", body, fontSize=10, leading=13.5, spaceAfter=0),
        })
        ranking = views.for_call(db, self.call["reference"]).ranking
        self.standing = {}
        for sr in ranking.slots:
            for r in sr.table.to_dict("records"):
                self.standing[(sr.slot, r["proposal"])] = (r, len(sr.table), len(sr.shortlist))
        self.outcomes = outcomes.slot_outcomes(db, self.call, ranking)

    # ------------------------------------------------------------------ who is written to

    def recipients(self) -> list[tuple[str, list[outcomes.SlotOutcome]]]:
        """(entity id, its outcomes in the slots' order) for every entity a letter goes to, in letter order."""
        by_entity: dict[str, list[outcomes.SlotOutcome]] = {}
        for o in self.outcomes:
            by_entity.setdefault(o.entity, []).append(o)
        order = list(self.slots)
        told = [(eid, sorted(os, key=lambda o: order.index(o.slot))) for eid, os in by_entity.items()
                if any(o.kind in TOLD for o in os)]

        def first_selected(item) -> int:
            return min((order.index(o.slot) for o in item[1] if o.kind == "selected"), default=len(order))

        return sorted(told, key=first_selected)  # stable: the others keep the proposals' order

    def reference_of(self, number: int) -> str:
        return f"{self.settings.letter_reference or self.call['reference']}/{number}"

    # ------------------------------------------------------------------ pieces of a letter

    def p(self, markup: str, style: str = "letter") -> Paragraph:
        return Paragraph(markup, self.s[style])

    def t(self, text: str, style: str = "letter") -> Paragraph:
        return Paragraph(rich(text), self.s[style])

    def names(self, slot_ids: list[str], *, bold: bool = False) -> str:
        """"the A", "the A and the B": the names in bold, the words between them in bold only when ``bold``."""
        return slot_list([rich(self.slots.get(sid, sid), bold=True, limit=NAME_LIMIT) for sid in slot_ids],
                         rich(", ", bold), rich(" and ", bold), rich("the ", bold))

    def head(self, e: dict, reference: str) -> list:
        s = self.s
        profile = report_queries.entity_profile(e)
        out = [
            self.p(rich(self.secretariat, bold=True, limit=300), "from"),
            self.p(rich("Call for hosts: ") + rich(self.call["reference"], limit=200), "meta"),
            Spacer(1, 6 * mm),
            self.p(rich("Our reference: ") + rich(reference, limit=260), "addr"),
            self.p(rich(long_date(self.on)), "date"),
            Spacer(1, 2 * mm),
        ]
        if profile.get("contact_person"):
            out.append(self.p(rich("For the attention of ") + rich(profile["contact_person"], limit=200), "addr"))
        out.append(Paragraph(entity(e, s["addr"], self.width, bold=True), s["addr"]))
        for line in str(profile.get("address") or "").splitlines()[:8]:
            if line.strip():
                out.append(Paragraph(rich(line.strip(), limit=200, width=self.width, size=10), s["addr"]))
        if e.get("country"):
            out.append(self.p(rich(report_queries.country_name(e["country"]), limit=60), "addr"))
        if e.get("contact_email"):
            out.append(self.p(rich("By e-mail: ") + rich(e["contact_email"], limit=200), "addr"))
        out.append(Spacer(1, 4 * mm))
        return out

    def subject(self, told: list[outcomes.SlotOutcome]) -> Paragraph:
        chosen = [o.slot for o in told if o.kind == "selected"]
        others = [o.slot for o in told if o.kind in ("reserve", "not_selected")]
        text = rich("Subject: ", bold=True)
        if chosen:
            text += rich("selection as host of ", bold=True) + self.names(chosen, bold=True)
            if others:
                text += rich(", and outcome of your proposal for ", bold=True) + self.names(others, bold=True)
        else:
            text += rich("outcome of your proposal for ", bold=True) + self.names(others, bold=True)
        return self.p(text, "subject")

    def call_named(self) -> str:
        return (rich("the call “") + rich(self.call["title"], limit=500)
                + rich(f"” ({fonts.clean(self.call['reference'], 200)})"))

    def selected(self, e: dict, chosen: list[outcomes.SlotOutcome]) -> list:
        out = [self.p(
            rich("Following the assessment of the proposals received in response to ") + self.call_named()
            + rich(" by the informal advisory group on technical and scientific cooperation, and with the advice "
                   "of the Bureau, I am pleased to inform you that ")
            + entity(e, bold=True, inline=True) + rich(" has been selected to host ")
            + self.names([o.slot for o in chosen]) + rich("."))]
        groups: dict[tuple, list[str]] = {}
        for o in chosen:
            notified, due = acceptance_deadline(o.offer, self.on)
            told_now = o.offer["acceptance"] == "pending" and (not o.offer.get("notified_on") or notified == self.on)
            key = (o.offer["acceptance"], None if told_now else notified, due, o.offer.get("answered_on"),
                   queries.agreement_due(o.offer), o.offer.get("agreement_signed_on"))
            groups.setdefault(key, []).append(o.slot)
        for (acceptance, notified, due, answered, agreement, signed), slot_ids in groups.items():
            lead = rich("For ") + self.names(slot_ids) + rich(": ") if len(groups) > 1 else ""
            when = (f"You were notified of this decision on {long_date(notified)}." if notified
                    else f"This letter, dated {long_date(self.on)}, is the notification of this decision.")
            if acceptance == "accepted":
                thanks = (f"We have received your acceptance of {long_date(dt.date.fromisoformat(answered))}, for "
                          "which we thank you." if answered else "We have received your acceptance, for which we "
                                                                 "thank you.")
                out.append(self.p(lead + rich(f"{when} {thanks}")))
                follow = (f"The host agreement was signed on {long_date(dt.date.fromisoformat(signed))}." if signed
                          else "The process to conclude a host agreement has started; it is due within three months "
                               f"of the decision, by {long_date(agreement)}.")
            else:
                out.append(self.p(lead + rich(f"{when} Please confirm your acceptance in writing within one calendar "
                                              "month, that is by ") + rich(long_date(due), bold=True) + rich(".")))
                follow = ("Once you accept, the process to conclude a host agreement will start; it is due within "
                          f"three months of the decision, by {long_date(agreement)}.")
            out.append(self.t(follow + " A process to identify donors to fund the centre will start at the same "
                                       "time." if not signed else follow))
        return out

    def where_it_stood(self, o: outcomes.SlotOutcome) -> str:
        """Its rank, or why it was not ranked, on one slot ("" where the proposal was not assessed)."""
        if o.status in ("ineligible", "withdrawn"):
            return ""
        where = self.standing.get((o.slot, o.proposal))
        if where is None:
            return rich(f"your proposal did not receive the {self.call['min_reviews']} valid reviews needed to be "
                        "ranked.")
        row, of, shortlisted = where
        text = f"your proposal {standing_words(row, of, shortlisted)}."
        missed = missed_thresholds(row, self.criteria, self.call["overall_threshold"])
        if missed:
            text += " It did not reach " + "; nor ".join(missed) + ", so it could not be shortlisted."
        return rich(text)

    def not_assessed(self, told: list[outcomes.SlotOutcome]) -> list:
        """Why a proposal ineligible or withdrawn was not assessed, once per proposal, with its recorded reason."""
        out, seen = [], set()
        for o in told:
            if o.proposal in seen or o.status not in ("ineligible", "withdrawn"):
                continue
            seen.add(o.proposal)
            reason = o.status_reason
            if o.status == "ineligible":
                out.append(self.p(rich("Your proposal was found ineligible at screening")
                                  + (rich(": ") + rich(reason, limit=1000) if reason else "") + rich(".")))
            else:
                out.append(self.p(rich("Your proposal was withdrawn and so was not assessed")
                                  + (rich(" (") + rich(reason, limit=1000) + rich(")") if reason else "")
                                  + rich(".")))
        return out

    def others(self, told: list[outcomes.SlotOutcome], any_selected: bool) -> list:
        """Thanks, the regret for the slots another entity holds for good, why a proposal was not assessed,
        and per slot where it stood (and the reserve list while the offer made awaits its answer)."""
        regret = [o.slot for o in told if o.kind == "not_selected"]
        out = []
        if not any_selected:
            assessed = any(o.status not in ("ineligible", "withdrawn") for o in told)
            out.append(self.p(rich("Thank you for your proposal in response to ") + self.call_named()
                              + rich(", which the informal advisory group on technical and scientific cooperation "
                                     "has assessed." if assessed else ".")))
        if regret:
            out.append(self.p(rich("With the advice of the Bureau, another applicant has been selected to host ")
                              + self.names(regret) + rich(". We regret that your proposal was not selected"
                                                          + (" for it." if len(regret) == 1 else " for them."))))
        out += self.not_assessed(told)
        for o in sorted(told, key=lambda o: o.kind == "reserve"):  # each regret's reasons, then the reserve lists
            if o.kind not in ("reserve", "not_selected"):
                continue
            text = self.where_it_stood(o)
            if o.kind == "reserve":
                text += rich((" " if text else "") + "An offer has been made to another applicant and its answer is "
                             "awaited. Your proposal is on the reserve list: should that offer not be accepted, you "
                             "may be offered to host it, and we will write to you again.")
            if text:
                out.append(self.p(rich("For ") + self.names([o.slot]) + rich(", ") + text))
        return out

    def history(self, told: list[outcomes.SlotOutcome]) -> list:
        """Slots the letter is not about yet, or any more: an offer declined or lapsed, no decision made."""
        out = []
        for o in told:
            if o.kind == "closed":
                what = ("you declined the offer made to you" if o.offer["acceptance"] == "declined" else
                        "the offer made to you lapsed, as no acceptance was received within one calendar month of "
                        "the notification")
                out.append(self.p(rich("For ") + self.names([o.slot]) + rich(f", we have recorded that {what}.")))
        undecided = [o.slot for o in told if o.kind == "undecided"]
        if undecided:
            out.append(self.p(rich("For ") + self.names(undecided)
                              + rich(", no host has been selected yet; we will write to you again once the decision "
                                     "is made.")))
        return out

    def sign(self) -> list:
        out = [Spacer(1, 4 * mm), self.t("Yours sincerely,"), Spacer(1, 12 * mm)]
        name = self.settings.signatory_name
        if name:
            out += [self.p(rich(name, bold=True, limit=200), "sign"),
                    self.p(rich(self.settings.signatory_title, limit=200), "sign"),
                    self.p(rich(self.secretariat, limit=300), "sign")]
        else:
            out.append(self.p(rich(self.secretariat, bold=True, limit=300), "sign"))
        if self.record is not None:
            frozen = long_date(dt.date.fromisoformat(self.record["created_at"][:10]))
            out += [Spacer(1, 8 * mm), self.t(f"The decision rests on the decision record frozen on {frozen}; its "
                                              f"fingerprint (SHA-256) is {self.record['sha256']}.", "meta")]
        return out

    def letter(self, eid: str, told: list[outcomes.SlotOutcome], reference: str) -> list:
        e = self.entities.get(eid) or {}
        chosen = [o for o in told if o.kind == "selected"]
        out = self.head(e, reference) + [self.subject(told), self.t("Dear Sir or Madam,")]
        if chosen:
            out += self.selected(e, chosen)
        out += self.others(told, bool(chosen)) + self.history(told)
        if any(o.kind in ("reserve", "not_selected") for o in told):
            out.append(self.t("The assessment report explains how the selection criteria were applied."
                              + ("" if chosen else " We thank you for your interest and hope to cooperate with you "
                                                   "in the work of the centres.")))
        if chosen:
            out.append(self.t("We look forward to working with you."))
        return out + self.sign()

    # ------------------------------------------------------------------ the documents

    def render(self) -> tuple[bytes, list[int], list[letter_pdf.Addressee]]:
        recipients = self.recipients()
        if not recipients:
            raise NoLetters(f"no selection is recorded for {self.call['reference']} yet: record the decision first")
        stories, addressees = [], []
        for number, (eid, told) in enumerate(recipients, start=1):
            e = self.entities.get(eid) or {}
            reference = self.reference_of(number)
            stories.append(self.letter(eid, told, reference))
            addressees.append(letter_pdf.Addressee(reference=reference, title=e.get("name") or "",
                                                   stems=(e.get("name"), e.get("acronym"))))
        pdf, starts = letter_pdf.render(
            stories, addressees, title=f"Decision letters — {self.call['reference']}", author=self.secretariat,
            subject=f"Notification of the decisions on the proposals to host the centres ({self.call['reference']})")
        return pdf, starts, addressees


def build(db: sqlite_utils.Database, reference: str | None = None, *, letter_date: dt.date | None = None) -> bytes:
    """The decision letters of a call, as one PDF (each letter on new pages, a bookmark each);
    :class:`NoLetters` when no selection is recorded yet."""
    return build_set(db, reference, letter_date=letter_date).pdf


def build_set(db: sqlite_utils.Database, reference: str | None = None, *,
              letter_date: dt.date | None = None) -> LetterSet:
    """The letters in one PDF, and one PDF each on demand, the same pages; :class:`NoLetters` as :func:`build`."""
    letters = _Letters(db, reference, letter_date or clock.today())
    pdf, starts, addressees = letters.render()
    return LetterSet(pdf=pdf, starts=starts, addressees=addressees, author=letters.secretariat)


def pending(db: sqlite_utils.Database, reference: str | None = None) -> bool:
    """True when the call has a current selection, so there are letters to write."""
    return outcomes.decided(db, queries.resolve_call(db, reference)["id"])
