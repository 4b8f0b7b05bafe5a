"""A proposal's dossier: one PDF a member or a Bureau member reads the proposal in, files included.

In order: the title block and the organisation's profile, the expression of
interest (the centres applied for, the statement, the summary), each section
under the criterion it answers, the clarifications with their answers (when
any was asked), the list of the files appended, then the files themselves.
Each part has a bookmark, and so has each file, by its name. A file that no PDF
reader can take in is not appended; the list says so and the rest stands.

What goes in and who may have it is ``selection.dossier``; this module only
lays it out and never writes to the store. It is written in the language it is
built in (``i18n.use``, the page's or the command's), right to left in Arabic.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import sqlite_utils
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from reports import data as reportdata
from reports import fonts
from reports.layout import (
    CELL_PADDING,
    MARGIN,
    MUTED,
    RULE,
    entity,
    label,
    long_date,
    num,
    pct,
    rich,
    styles,
    table_style,
)
from reports.pdf_merge import Readable, merge, page_count, readable
from reports.wording import Layout, Part, draw_runs, fill, part
from selection import clock, figure_words, i18n, report_queries
from selection import dossier as facts
from selection.i18n import N_, _, ngettext
from selection.permissions import User

PROFILE = (  # (where the answer is, the label a reader sees)
    ("name", N_("Legal name")), ("acronym", N_("Acronym")), ("kind", N_("Kind of organisation")),
    ("details.legal_status", N_("Legal status")), ("country", N_("Country")), ("details.address", N_("Postal address")),
    ("website", N_("Website")), ("details.head", N_("Head of the institution")),
    ("details.contact_person", N_("Contact person")), ("contact_email", N_("Contact e-mail")),
    ("details.contact_phone", N_("Contact telephone")), ("details.partners", N_("Consortium partners")),
)
NOT_APPENDED = N_("could not be appended: a PDF reader cannot open this file; ask the secretariat for a copy")
DISTRIBUTION = {"Restricted": N_("Restricted"), "Limited": N_("Limited"), "General": N_("General")}
ANSWER_STATES = {"answered": N_("answered"), "awaiting an answer": N_("awaiting an answer"),
                 "unanswered at its deadline": N_("unanswered at its deadline")}
LABEL_WIDTH = 45 * mm  # the profile's labels column
LAYOUT_PASSES = 4  # the list of files names pages, which may move the pages it names


def _answer(e: dict, where: str):
    if where.startswith("details."):
        return e["details"].get(where.removeprefix("details."))
    return e.get(where)


def _day(stamp: str) -> str:
    return long_date(dt.date.fromisoformat(stamp[:10]))


def _share(share: float) -> str:
    """A criterion's weight as a percentage: "25%" (the report's form in English), "25 %" in French."""
    if i18n.language() in (i18n.DEFAULT, i18n.PSEUDO):
        return pct(share)
    from babel.numbers import format_percent
    rounded = Decimal(num(100 * share, 1)) / 100  # to one decimal, half up, then in the locale's own form ("25 %")
    return format_percent(rounded, locale=i18n.babel_locale(), decimal_quantization=False)


class _Doc(SimpleDocTemplate):
    """Notes the page of every flowable that carries an ``outline`` title, for the bookmarks."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.marks: list[tuple[str, int]] = []

    def afterFlowable(self, flowable):
        title = getattr(flowable, "outline", None)
        if title:
            self.marks.append((title, self.page - 1))


class _Dossier:
    """The dossier laid out in the language it is built in (``i18n.use``): its own words translated and,
    in Arabic, set right to left with the tables mirrored; what the applicant wrote keeps its own direction."""

    def __init__(self, db: sqlite_utils.Database, d: facts.Dossier, loaded: list[Readable | None], on: dt.date):
        self.d, self.loaded, self.on = d, loaded, on
        self.settings = report_queries.document_settings(db, d.call["id"])
        base = styles()
        base["label"] = ParagraphStyle("label", base["cell"], textColor=MUTED)
        base["h1"] = ParagraphStyle("part", base["h1"], spaceBefore=14)  # a part stands apart from the last
        self.width = A4[0] - 2 * MARGIN
        self.base = base
        self.layout = Layout(i18n.language(), base, self.width)
        self.s = self.layout.styles
        self.names = {c["id"]: c["name"] for c, _c in d.sections}

    def p(self, text: str | list[Part], style: str = "body", width: float | None = None, *,
          bold: bool = False) -> Paragraph:
        """One of the dossier's own sentences (or parts made with ``fill``) in the document's direction."""
        return self.layout.para([Part(text, bold)] if isinstance(text, str) else text, style, width)

    def heading(self, text: str, style: str = "h1", outline: str | None = None) -> Paragraph:
        if self.layout.rtl:
            p = self.p(text, style, bold=True)
        else:
            p = Paragraph(rich(text, bold=True, width=self.width, size=self.s[style].fontSize), self.s[style])
        p.outline = fonts.clean(text if outline is None else outline, limit=200)
        return p

    def text(self, text: str | None, style: str = "body", width: float | None = None) -> list[Paragraph]:
        """User text as written: paragraphs at blank lines, line breaks kept, nothing read as markup;
        ``width`` is the room it has (the page's by default), where right-to-left lines are broken."""
        if not (text or "").strip():
            return [self.p(_("(no text)"), "note")]
        size, width = self.base[style].fontSize, width or self.width
        flush_right = ParagraphStyle(f"{style}_rtl", self.base[style], alignment=TA_RIGHT)
        return [Paragraph("<br/>".join(rich(line, width=width, size=size) for line in block.splitlines()),
                          flush_right if fonts.right_to_left(block) else self.base[style])
                for block in text.strip().split("\n\n") if block.strip()]

    def table(self, rows: list[list], widths: list[float], style: list, **kwargs) -> Table:
        """A table, its columns mirrored right to left."""
        if self.layout.rtl:
            rows, widths = [list(reversed(r)) for r in rows], list(reversed(widths))
        table = Table(rows, colWidths=widths, hAlign="RIGHT" if self.layout.rtl else "CENTER", **kwargs)
        table.setStyle(TableStyle(style))
        return table

    def title_block(self) -> list:
        d, s = self.d, self.s
        p = d.proposal
        status = figure_words.status(p["status"])
        when = (_("Submitted on {date}. Status: {status}.", date=_day(p["submitted_at"]), status=status)
                if p["submitted_at"] and p["status"] != "draft" else _("Not submitted yet: a draft."))
        reason = [Part(" "), part(p["status_reason"], limit=500)] if p["status_reason"] else []
        distribution = self.settings.distribution.value
        return [self.p(_(DISTRIBUTION[distribution]) if distribution in DISTRIBUTION else distribution, "apparatus"),
                self.p([part(reportdata.secretariat(d.call), bold=True, limit=300)], "masthead"),
                self.p(_("Proposal dossier"), "subtitle"), Spacer(1, 2 * mm),
                Paragraph(entity(d.entity, s["title"], self.width, bold=True), s["title"]),
                self.p(fill(_("In response to the call “{title}” ({reference})"),
                            title=part(d.call["title"], limit=500), reference=part(d.call["reference"], limit=200)),
                       "subtitle"),
                self.p([Part(when), *reason], "meta"),
                self.p(_("Prepared on {date} for the members of the informal advisory group and the Bureau.",
                         date=long_date(self.on)), "meta"),
                Spacer(1, 6 * mm)]

    def profile(self) -> list:
        rows, answer = [], self.width - LABEL_WIDTH
        for where, name in PROFILE:
            value = _answer(self.d.entity, where)
            if isinstance(value, list):
                value = "\n".join(value)
            if where == "kind" and value:
                value = _(value)
                value = value[:1].upper() + value[1:]
            if value:
                rows.append([self.p(_(name), "label", LABEL_WIDTH),
                             self.text(value, "cell", answer - 2 * CELL_PADDING)])
        return [self.heading(_("Profile")), self.table(rows, [LABEL_WIDTH, answer], [
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), 2)])]

    def expression(self) -> list:
        d = self.d
        out = [self.heading(_("Expression of interest")), self.p(_("Centres applied for"), "h3", bold=True)]
        out += [self.p([Part("• "), part(name, limit=300)], "item") for name in d.slots] or \
            [self.p(_("(none chosen)"), "note")]
        out.append(self.p(_("Statement of interest"), "h3", bold=True))
        out += self.text(d.proposal["statement"])
        out.append(self.p(_("Summary of the proposal"), "h3", bold=True))
        return out + self.text(d.proposal["summary"])

    def sections(self) -> list:
        out = []
        weights = sum(c["weight"] for c, _c in self.d.sections)
        for i, (c, text) in enumerate(self.d.sections):
            name = f"{label(i)} {c['name']}"
            out.append(self.heading(name, "h2", outline=name))
            out.append(self.p(_("The section of the proposal that answers criterion {label} of the call, which weighs "
                                "{share} of the total.", label=label(i), share=_share(c["weight"] / weights)),
                              "slotmeta"))
            out += self.text(text)
        return [self.heading(_("The proposal, criterion by criterion"), outline=""), *out] if out else []

    def clarifications(self) -> list:
        if not self.d.clarifications:
            return []
        out = [self.heading(_("Clarifications")),
               self.p(_("Questions the advisory group asked the applicant after the submission, and the answers "
                        "given; the proposal itself stays as submitted."), "slotmeta")]
        for n, r in enumerate(self.d.clarifications, 1):
            state = _(ANSWER_STATES[r["state"]]) if r["state"] in ANSWER_STATES else r["state"]
            values = dict(number=n, asked=_day(r["asked_at"]), due=long_date(r["reply_by"]), state=state)
            head = (_("Request {number}, sent on {asked}, answer due by {due}: {state} on {answered}.",
                      answered=_day(r["answered_at"]), **values) if r["answered_at"]
                    else _("Request {number}, sent on {asked}, answer due by {due}: {state}.", **values))
            out.append(self.p(head, "h4", bold=True))
            for i, q in enumerate(r["questions"]):
                heading = (_("Question {number} (about {criterion})", number=i + 1,
                             criterion=self.names.get(q["criterion"], q["criterion"])) if q["criterion"]
                           else _("Question {number}", number=i + 1))
                out.append(self.p(heading, "h3", bold=True))
                out += self.text(q["question"])
                out.append(self.p(_("Answer"), "h3", bold=True))
                out += self.text(r["answers"][i]) if r["answers"] else [self.p(_("Not answered."), "note")]
            if r["stored_name"]:
                out.append(self.p(fill(_("With the answers, the file {file}, appended at the end of this dossier."),
                                       file=part(r["file_name"], bold=True, limit=200)), "body"))
        return out

    def file_list(self, starts: list[int | None] | None) -> list:
        if not self.d.files:
            return [self.heading(_("Files appended")), self.p(_("The applicant sent no file."), "body")]
        widths = [0.38 * self.width, 0.32 * self.width, 0.30 * self.width]
        rows = [[self.p(h, "head", w, bold=True) for h, w in zip((_("File"), _("Sent"), _("In this dossier")), widths)]]
        for i, (f, loaded) in enumerate(zip(self.d.files, self.loaded)):
            sent = _("with the proposal") if f.source == "proposal" else _("with the answers to the clarifications")
            if f.received_on:
                sent = _("{how}, {date}", how=sent, date=long_date(f.received_on))
            if loaded is None:
                where = _(NOT_APPENDED)
            elif starts is None:
                where = ngettext("{n:,} page", "{n:,} pages", loaded.pages)
            else:
                where = (_("page {first}", first=starts[i]) if loaded.pages == 1  # a range, not a count
                         else _("pages {first} to {last}", first=starts[i], last=starts[i] + loaded.pages - 1))
            rows.append([self.p([part(f.name, limit=200)], "cell", widths[0]), self.p(sent, "cell", widths[1]),
                         self.p(where, "cell", widths[2], bold=loaded is None)])
        return [self.heading(_("Files appended")), self.table(rows, widths, table_style(), repeatRows=1)]

    def render(self, starts: list[int | None] | None, total: int | None) -> tuple[bytes, list[tuple[str, int]]]:
        d = self.d
        footer = _("Proposal dossier · {reference}", reference=d.call["reference"])
        rtl = self.layout.rtl

        def decorate(canvas, doc):
            page = (_("Page {page} of {total}", page=doc.page, total=total) if total
                    else _("Page {page}", page=doc.page))
            canvas.saveState()
            canvas.setStrokeColor(RULE)
            canvas.setLineWidth(0.5)
            canvas.line(MARGIN, 14 * mm, A4[0] - MARGIN, 14 * mm)
            canvas.setFillColor(MUTED)
            draw_runs(canvas, A4[0] - MARGIN if rtl else MARGIN, 10 * mm, footer, 7.5, right=rtl)
            draw_runs(canvas, MARGIN if rtl else A4[0] - MARGIN, 10 * mm, page, 7.5, right=not rtl)
            canvas.restoreState()

        buf = io.BytesIO()
        doc = _Doc(buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                   bottomMargin=MARGIN + 2 * mm)
        story = [*self.title_block(), *self.profile(), *self.expression(), *self.sections(),
                 *self.clarifications(), *self.file_list(starts)]
        doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
        return buf.getvalue(), doc.marks


def file_name(db: sqlite_utils.Database, call_id: int, proposal_id: str) -> str:
    """What the downloaded dossier is called: the call's reference and the entity's name (acronym if any)."""
    reference, name, acronym = db.execute(
        "SELECT c.reference, e.name, e.acronym FROM proposals p JOIN calls c ON c.id = p.call_id "
        "JOIN entities e ON e.call_id = p.call_id AND e.id = p.entity_id WHERE p.call_id = ? AND p.id = ?",
        [call_id, proposal_id]).fetchone() or ("", "", None)
    words = re.sub(r'[\x00-\x1f\x7f/\\:*?"<>|]+', " ", f"{reference} dossier {acronym or name}")
    return " ".join(words.split())[:150] + ".pdf"


def _load(db: sqlite_utils.Database, f: facts.StoredFile) -> Readable | None:
    try:
        return readable(facts.file_bytes(db, f))
    except OSError:
        return None


def _pdf_language(original: str | None) -> str:
    """The PDF's language: the one it is written in; in English, the call's original language as before."""
    lang = i18n.language()
    return report_queries.language_code(original) if lang in (i18n.DEFAULT, i18n.PSEUDO) else lang


def build(db: sqlite_utils.Database, *, user: User, call_id: int, proposal_id: str,
          on: dt.date | None = None) -> bytes:
    """The dossier of one proposal as PDF bytes, for a person ``permissions.may_read_dossier`` allows
    (``Forbidden`` otherwise)."""
    fonts.register()
    d = facts.contents(db, user=user, call_id=call_id, proposal_id=proposal_id)
    loaded = [_load(db, f) for f in d.files]
    layout = _Dossier(db, d, loaded, on or clock.today())
    starts, total = None, None
    for _pass in range(LAYOUT_PASSES):
        main, marks = layout.render(starts, total)
        page = page_count(main) + 1
        placed = []
        for file in loaded:
            placed.append(page if file else None)
            page += file.pages if file else 0
        if (placed, page - 1) == (starts, total):
            break
        starts, total = placed, page - 1
    name = fonts.clean(d.entity["name"], limit=300)
    return merge(main, marks, [(fonts.clean(f.name, limit=200), file) for f, file in zip(d.files, loaded) if file],
                 title=fonts.clean(_("Proposal dossier — {entity} ({reference})", entity=name,
                                     reference=d.call["reference"]), limit=1000),
                 author=fonts.clean(reportdata.secretariat(d.call), limit=300),
                 subject=fonts.clean(_("The proposal of {entity} to the call “{title}”: profile, expression of "
                                       "interest, sections, clarifications and files", entity=name,
                                       title=d.call["title"]), limit=1000),
                 lang=_pdf_language(layout.settings.original_language))
