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
from reports.layout import ACCENT, NAME_LIMIT, entity, long_date, styles
from reports.letter_words import acceptance_deadline, missed_thresholds, not_reached, standing_words
from reports.wording import Layout, Part, fill, listed, part
from selection import clock, i18n, outcomes, queries, record, report_queries, views
from selection.i18n import _

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
    def __init__(self, db: sqlite_utils.Database, reference: str | None, letter_date: dt.date, lang: str | None):
        self.db = db
        self.call = queries.resolve_call(db, reference)
        cid = self.call["id"]
        self.on = letter_date
        self.forced = i18n.known(lang)
        self.settings = report_queries.document_settings(db, cid)
        self.secretariat = reportdata.secretariat(self.call)
        self.entities = queries.entity_names(db, cid)
        self.slots = queries.slot_names(db, cid)
        self.criteria = report_queries.criteria_rows(db, cid)
        self.record = record.latest(db, cid)
        self.width = letter_pdf.frame_width()
        s = styles()
        body = s["body"]
        s.update({
            "letter": ParagraphStyle("letter", body, fontSize=10, leading=14.5, spaceAfter=8),
            "from": ParagraphStyle("from", body, fontName=fonts.SANS_BOLD, fontSize=11, leading=14, textColor=ACCENT,
                                   spaceAfter=1),
            "addr": ParagraphStyle("addr", body, fontSize=10, leading=13.5, spaceAfter=0),
            "date": ParagraphStyle("date", body, fontSize=10, leading=13.5, alignment=2),
            "subject": ParagraphStyle("subject", body, fontName=fonts.SANS_BOLD, fontSize=10, leading=14,
                                      spaceBefore=10, spaceAfter=10),
            "sign": ParagraphStyle("sign", body, fontSize=10, leading=13.5, spaceAfter=0),
        })
        self.base_styles = s
        self.layouts: dict[str, Layout] = {}
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

    def language_of(self, eid: str) -> str:
        """The letter's language: the one forced for every letter, else its recipient's."""
        return self.forced or report_queries.recipient_language(self.db, self.call["id"], eid)

    def reference_of(self, number: int) -> str:
        return f"{self.settings.letter_reference or self.call['reference']}/{number}"

    # ------------------------------------------------------------------ pieces of a letter

    def p(self, parts: list[Part] | str, style: str = "letter") -> Paragraph:
        return self.layout.para(parts, style)

    def names(self, slot_ids: list[str], *, bold: bool = False) -> list[Part]:
        """"the A", "the A and the B": the names in bold, the words between them in bold only when ``bold``."""
        return listed([fill(_("the {name}"), bold=bold, name=part(self.slots.get(sid, sid), bold=True,
                                                                      limit=NAME_LIMIT)) for sid in slot_ids],
                      bold=bold)

    def entity_part(self, e: dict) -> Part:
        """The entity's name and acronym in bold, kept on one line inside a sentence."""
        name = fonts.clean(e.get("name"), NAME_LIMIT) if e else _("(unknown entity)")
        acronym = f" ({fonts.clean(e['acronym'], 40)})" if e and e.get("acronym") else ""
        return Part(name + acronym, True, entity(e, bold=True, inline=True) if e else None)

    def head(self, e: dict, reference: str) -> list:
        profile = report_queries.entity_profile(e)
        out = [
            self.p([part(self.secretariat, bold=True, limit=300)], "from"),
            self.p(fill(_("Call for hosts: {reference}"), reference=part(self.call["reference"], limit=200)), "meta"),
            Spacer(1, 6 * mm),
            self.p(fill(_("Our reference: {reference}"), reference=part(reference, limit=260)), "addr"),
            self.p(long_date(self.on), "date"),
            Spacer(1, 2 * mm),
        ]
        if profile.get("contact_person"):
            out.append(self.p(fill(_("For the attention of {person}"),
                                   person=part(profile["contact_person"], limit=200)), "addr"))
        if self.layout.rtl:
            out.append(self.p([Part(self.entity_part(e).plain, True)], "addr"))
        else:
            out.append(Paragraph(entity(e, self.layout.styles["addr"], self.width, bold=True),
                                 self.layout.styles["addr"]))
        for line in str(profile.get("address") or "").splitlines()[:8]:
            if line.strip():
                out.append(self.p([part(line.strip(), limit=200)], "addr"))
        if e.get("country"):
            out.append(self.p([part(report_queries.country_name(e["country"]), limit=60)], "addr"))
        if e.get("contact_email"):
            out.append(self.p(fill(_("By e-mail: {address}"), address=part(e["contact_email"], limit=200)), "addr"))
        out.append(Spacer(1, 4 * mm))
        return out

    def subject(self, told: list[outcomes.SlotOutcome]) -> Paragraph:
        chosen = [o.slot for o in told if o.kind == "selected"]
        others = [o.slot for o in told if o.kind in ("reserve", "not_selected")]
        if chosen and others:
            text = fill(_("Subject: selection as host of {slots}, and outcome of your proposal for {others}"),
                        bold=True, slots=self.names(chosen, bold=True), others=self.names(others, bold=True))
        elif chosen:
            text = fill(_("Subject: selection as host of {slots}"), bold=True, slots=self.names(chosen, bold=True))
        else:
            text = fill(_("Subject: outcome of your proposal for {slots}"), bold=True,
                        slots=self.names(others, bold=True))
        return self.p(text, "subject")

    def call_named(self) -> list[Part]:
        return fill(_("the call “{title}” ({reference})"), title=part(self.call["title"], limit=500),
                    reference=part(self.call["reference"], limit=200))

    def selected(self, e: dict, chosen: list[outcomes.SlotOutcome]) -> list:
        out = [self.p(fill(
            _("Following the assessment of the proposals received in response to {call} by the informal advisory "
              "group on technical and scientific cooperation, and with the advice of the Bureau, I am pleased to "
              "inform you that {entity} has been selected to host {slots}."),
            call=self.call_named(), entity=self.entity_part(e), slots=self.names([o.slot for o in chosen])))]
        groups: dict[tuple, list[str]] = {}
        for o in chosen:
            notified, due = acceptance_deadline(o.offer, self.on)
            told_now = o.offer["acceptance"] == "pending" and (not o.offer.get("notified_on") or notified == self.on)
            key = (o.offer["acceptance"], None if told_now else notified, due, o.offer.get("answered_on"),
                   queries.agreement_due(o.offer), o.offer.get("agreement_signed_on"))
            groups.setdefault(key, []).append(o.slot)
        for (acceptance, notified, due, answered, agreement, signed), slot_ids in groups.items():
            lead = fill(_("For {slots}: "), slots=self.names(slot_ids)) if len(groups) > 1 else []
            when = (_("You were notified of this decision on {date}.", date=long_date(notified)) if notified
                    else _("This letter, dated {date}, is the notification of this decision.", date=long_date(self.on)))
            if acceptance == "accepted":
                thanks = (_("We have received your acceptance of {date}, for which we thank you.",
                            date=long_date(dt.date.fromisoformat(answered))) if answered
                          else _("We have received your acceptance, for which we thank you."))
                out.append(self.p(lead + [part(_("{when} {thanks}", when=when, thanks=thanks))]))
                follow = (_("The host agreement was signed on {date}.", date=long_date(dt.date.fromisoformat(signed)))
                          if signed else
                          _("The process to conclude a host agreement has started; it is due within three months of "
                            "the decision, by {date}.", date=long_date(agreement)))
            else:
                out.append(self.p(lead + fill(
                    _("{when} Please confirm your acceptance in writing within one calendar month, that is by {due}."),
                    when=when, due=part(long_date(due), bold=True))))
                follow = _("Once you accept, the process to conclude a host agreement will start; it is due within "
                           "three months of the decision, by {date}.", date=long_date(agreement))
            out.append(self.p(follow if signed else _("{follow} A process to identify donors to fund the centre will "
                                                      "start at the same time.", follow=follow)))
        return out

    def where_it_stood(self, o: outcomes.SlotOutcome) -> str:
        """Its rank, or why it was not ranked, on one slot ("" where the proposal was not assessed)."""
        if o.status in ("ineligible", "withdrawn"):
            return ""
        where = self.standing.get((o.slot, o.proposal))
        if where is None:
            return _("your proposal did not receive the {count} valid reviews needed to be ranked.",
                     count=self.call["min_reviews"])
        row, of, shortlisted = where
        text = _("your proposal {standing}.", standing=standing_words(row, of, shortlisted))
        missed = missed_thresholds(row, self.criteria, self.call["overall_threshold"])
        if missed:
            text = _("{sentence} {more}", sentence=text, more=not_reached(missed))
        return text

    def not_assessed(self, told: list[outcomes.SlotOutcome]) -> list:
        """Why a proposal ineligible or withdrawn was not assessed, once per proposal, with its recorded reason."""
        out, seen = [], set()
        for o in told:
            if o.proposal in seen or o.status not in ("ineligible", "withdrawn"):
                continue
            seen.add(o.proposal)
            reason = part(o.status_reason, limit=1000)
            if o.status == "ineligible":
                text = (fill(_("Your proposal was found ineligible at screening: {reason}."), reason=reason)
                        if o.status_reason else _("Your proposal was found ineligible at screening."))
            else:
                text = (fill(_("Your proposal was withdrawn and so was not assessed ({reason})."), reason=reason)
                        if o.status_reason else _("Your proposal was withdrawn and so was not assessed."))
            out.append(self.p(text))
        return out

    def others(self, told: list[outcomes.SlotOutcome], any_selected: bool) -> list:
        """Thanks, the regret for the slots another entity holds for good, why a proposal was not assessed,
        and per slot where it stood (and the reserve list while the offer made awaits its answer)."""
        regret = [o.slot for o in told if o.kind == "not_selected"]
        out = []
        if not any_selected:
            assessed = any(o.status not in ("ineligible", "withdrawn") for o in told)
            out.append(self.p(fill(_("Thank you for your proposal in response to {call}, which the informal advisory "
                                     "group on technical and scientific cooperation has assessed.") if assessed else
                                   _("Thank you for your proposal in response to {call}."), call=self.call_named())))
        if regret:
            out.append(self.p(fill(
                _("With the advice of the Bureau, another applicant has been selected to host {slots}. We regret that "
                  "your proposal was not selected for it.") if len(regret) == 1 else
                _("With the advice of the Bureau, another applicant has been selected to host {slots}. We regret that "
                  "your proposal was not selected for them."), slots=self.names(regret))))
        out += self.not_assessed(told)
        for o in sorted(told, key=lambda o: o.kind == "reserve"):  # each regret's reasons, then the reserve lists
            if o.kind not in ("reserve", "not_selected"):
                continue
            text = self.where_it_stood(o)
            if o.kind == "reserve":
                reserve = _("An offer has been made to another applicant and its answer is awaited. Your proposal is "
                            "on the reserve list: should that offer not be accepted, you may be offered to host it, "
                            "and we will write to you again.")
                text = _("{sentence} {more}", sentence=text, more=reserve) if text else reserve
            if text:
                out.append(self.p(fill(_("For {slots}, {text}"), slots=self.names([o.slot]), text=text)))
        return out

    def history(self, told: list[outcomes.SlotOutcome]) -> list:
        """Slots the letter is not about yet, or any more: an offer declined or lapsed, no decision made."""
        out = []
        for o in told:
            if o.kind == "closed":
                text = (_("For {slots}, we have recorded that you declined the offer made to you.")
                        if o.offer["acceptance"] == "declined" else
                        _("For {slots}, we have recorded that the offer made to you lapsed, as no acceptance was "
                          "received within one calendar month of the notification."))
                out.append(self.p(fill(text, slots=self.names([o.slot]))))
        undecided = [o.slot for o in told if o.kind == "undecided"]
        if undecided:
            out.append(self.p(fill(_("For {slots}, no host has been selected yet; we will write to you again once the "
                                     "decision is made."), slots=self.names(undecided))))
        return out

    def sign(self) -> list:
        out = [Spacer(1, 4 * mm), self.p(_("Yours sincerely,")), Spacer(1, 12 * mm)]
        name = self.settings.signatory_name
        if name:
            out += [self.p([part(name, bold=True, limit=200)], "sign"),
                    self.p([part(self.settings.signatory_title, limit=200)], "sign"),
                    self.p([part(self.secretariat, limit=300)], "sign")]
        else:
            out.append(self.p([part(self.secretariat, bold=True, limit=300)], "sign"))
        if self.record is not None:
            frozen = long_date(dt.date.fromisoformat(self.record["created_at"][:10]))
            out += [Spacer(1, 8 * mm), self.p(_("The decision rests on the decision record frozen on {date}; its "
                                                "fingerprint (SHA-256) is {sha}.", date=frozen,
                                                sha=self.record["sha256"]), "meta")]
        return out

    def letter(self, eid: str, told: list[outcomes.SlotOutcome], reference: str) -> list:
        e = self.entities.get(eid) or {}
        chosen = [o for o in told if o.kind == "selected"]
        out = self.head(e, reference) + [self.subject(told), self.p(_("Dear Sir or Madam,"))]
        if chosen:
            out += self.selected(e, chosen)
        out += self.others(told, bool(chosen)) + self.history(told)
        if any(o.kind in ("reserve", "not_selected") for o in told):
            out.append(self.p(_("The assessment report explains how the selection criteria were applied.") if chosen
                              else _("The assessment report explains how the selection criteria were applied. We "
                                     "thank you for your interest and hope to cooperate with you in the work of the "
                                     "centres.")))
        if chosen:
            out.append(self.p(_("We look forward to working with you.")))
        return out + self.sign()

    # ------------------------------------------------------------------ the documents

    def written_in(self, lang: str) -> None:
        """Lay out what follows in ``lang`` (its direction and line breaking)."""
        if lang not in self.layouts:
            self.layouts[lang] = Layout(lang, self.base_styles, self.width)
        self.layout = self.layouts[lang]

    def render(self) -> tuple[bytes, list[int], list[letter_pdf.Addressee]]:
        recipients = self.recipients()
        if not recipients:
            raise NoLetters(f"no selection is recorded for {self.call['reference']} yet: record the decision first")
        stories, addressees = [], []
        for number, (eid, told) in enumerate(recipients, start=1):
            e = self.entities.get(eid) or {}
            reference = self.reference_of(number)
            lang = self.language_of(eid)
            with i18n.use(lang):
                self.written_in(lang)
                stories.append(self.letter(eid, told, reference))
            addressees.append(letter_pdf.Addressee(reference=reference, title=e.get("name") or "",
                                                   stems=(e.get("name"), e.get("acronym")), lang=lang))
        pdf, starts = letter_pdf.render(
            stories, addressees, title=f"Decision letters — {self.call['reference']}", author=self.secretariat,
            subject=f"Notification of the decisions on the proposals to host the centres ({self.call['reference']})")
        return pdf, starts, addressees


def build(db: sqlite_utils.Database, reference: str | None = None, *, letter_date: dt.date | None = None,
          lang: str | None = None) -> bytes:
    """The decision letters of a call, as one PDF (each letter on new pages, a bookmark each), each in its
    recipient's language unless ``lang`` is given for all; :class:`NoLetters` when no selection is recorded yet."""
    return build_set(db, reference, letter_date=letter_date, lang=lang).pdf


def build_set(db: sqlite_utils.Database, reference: str | None = None, *,
              letter_date: dt.date | None = None, lang: str | None = None) -> LetterSet:
    """The letters in one PDF, and one PDF each on demand, the same pages; :class:`NoLetters` as :func:`build`."""
    letters = _Letters(db, reference, letter_date or clock.today(), lang)
    pdf, starts, addressees = letters.render()
    return LetterSet(pdf=pdf, starts=starts, addressees=addressees, author=letters.secretariat)


def pending(db: sqlite_utils.Database, reference: str | None = None) -> bool:
    """True when the call has a current selection, so there are letters to write."""
    return outcomes.decided(db, queries.resolve_call(db, reference)["id"])
