"""A proposal's dossier: one PDF a member or a Bureau member reads the proposal in, files included.

In order: the title block and the organisation's profile, the expression of
interest (the centres applied for, the statement, the summary), each section
under the criterion it answers, the clarifications with their answers (when
any was asked), the list of the files appended, then the files themselves.
Each part has a bookmark, and so has each file, by its name. A file that no PDF
reader can take in is not appended; the list says so and the rest stands.

What goes in and who may have it is ``selection.dossier``; this module only
lays it out and never writes to the store.
"""

from __future__ import annotations

import datetime as dt
import io
import re

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
    pct,
    plural,
    rich,
    styles,
    table_style,
)
from reports.pdf_merge import Readable, merge, page_count, readable
from selection import clock, report_queries
from selection import dossier as facts
from selection.permissions import User
from selection.queries import STATUS_WORDS

PROFILE = (  # (where the answer is, the label a reader sees)
    ("name", "Legal name"), ("acronym", "Acronym"), ("kind", "Kind of organisation"),
    ("details.legal_status", "Legal status"), ("country", "Country"), ("details.address", "Postal address"),
    ("website", "Website"), ("details.head", "Head of the institution"),
    ("details.contact_person", "Contact person"), ("contact_email", "Contact e-mail"),
    ("details.contact_phone", "Contact telephone"), ("details.partners", "Consortium partners"),
)
NOT_APPENDED = "could not be appended: a PDF reader cannot open this file; ask the secretariat for a copy"
LABEL_WIDTH = 45 * mm  # the profile's labels column
LAYOUT_PASSES = 4  # the list of files names pages, which may move the pages it names


def _answer(e: dict, where: str):
    if where.startswith("details."):
        return e["details"].get(where.removeprefix("details."))
    return e.get(where)


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
    def __init__(self, db: sqlite_utils.Database, d: facts.Dossier, loaded: list[Readable | None], on: dt.date):
        self.d, self.loaded, self.on = d, loaded, on
        self.settings = report_queries.document_settings(db, d.call["id"])
        self.s = styles()
        self.s["label"] = ParagraphStyle("label", self.s["cell"], textColor=MUTED)
        self.s["h1"] = ParagraphStyle("part", self.s["h1"], spaceBefore=14)  # a part stands apart from the last
        self.width = A4[0] - 2 * MARGIN
        self.names = {c["id"]: c["name"] for c, _ in d.sections}

    def heading(self, text: str, style: str = "h1", outline: str | None = None) -> Paragraph:
        p = Paragraph(rich(text, bold=True, width=self.width, size=self.s[style].fontSize), self.s[style])
        p.outline = fonts.clean(text if outline is None else outline, limit=200)
        return p

    def text(self, text: str | None, style: str = "body", width: float | None = None) -> list[Paragraph]:
        """User text as written: paragraphs at blank lines, line breaks kept, nothing read as markup;
        ``width`` is the room it has (the page's by default), where right-to-left lines are broken."""
        if not (text or "").strip():
            return [Paragraph(rich("(no text)"), self.s["note"])]
        size, width = self.s[style].fontSize, width or self.width
        flush_right = ParagraphStyle(f"{style}_rtl", self.s[style], alignment=TA_RIGHT)
        return [Paragraph("<br/>".join(rich(line, width=width, size=size) for line in block.splitlines()),
                          flush_right if fonts.right_to_left(block) else self.s[style])
                for block in text.strip().split("\n\n") if block.strip()]

    def title_block(self) -> list:
        d, s = self.d, self.s
        p = d.proposal
        status = STATUS_WORDS.get(p["status"], p["status"])
        when = (f"Submitted on {long_date(dt.date.fromisoformat(p['submitted_at'][:10]))}. Status: {status}."
                if p["submitted_at"] and p["status"] != "draft" else "Not submitted yet: a draft.")
        out = [Paragraph(rich(self.settings.distribution.value), s["apparatus"]),
               Paragraph(rich(reportdata.secretariat(d.call), bold=True, limit=300), s["masthead"]),
               Paragraph(rich("Proposal dossier"), s["subtitle"]), Spacer(1, 2 * mm),
               Paragraph(entity(d.entity, s["title"], self.width, bold=True), s["title"]),
               Paragraph(rich("In response to the call “") + rich(d.call["title"], limit=500) + rich("” (")
                         + rich(d.call["reference"], limit=200) + rich(")"), s["subtitle"]),
               Paragraph(rich(when) + (rich(" ") + rich(p["status_reason"], limit=500)
                                                                  if p["status_reason"] else ""), s["meta"]),
               Paragraph(rich(f"Prepared on {long_date(self.on)} for the members of the informal advisory group "
                              "and the Bureau."), s["meta"]),
               Spacer(1, 6 * mm)]
        return out

    def profile(self) -> list:
        rows, answer = [], self.width - LABEL_WIDTH
        for where, name in PROFILE:
            value = _answer(self.d.entity, where)
            if isinstance(value, list):
                value = "\n".join(value)
            if where == "kind" and value:
                value = value[:1].upper() + value[1:]
            if value:
                rows.append([Paragraph(rich(name), self.s["label"]),
                             self.text(value, "cell", answer - 2 * CELL_PADDING)])
        table = Table(rows, colWidths=[LABEL_WIDTH, answer])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                                   ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 2)]))
        return [self.heading("Profile"), table]

    def expression(self) -> list:
        d, s = self.d, self.s
        out = [self.heading("Expression of interest"), Paragraph(rich("Centres applied for", bold=True), s["h3"])]
        out += [Paragraph(rich("• ") + rich(name, limit=300), s["item"]) for name in d.slots] or \
            [Paragraph(rich("(none chosen)"), s["note"])]
        out.append(Paragraph(rich("Statement of interest", bold=True), s["h3"]))
        out += self.text(d.proposal["statement"])
        out.append(Paragraph(rich("Summary of the proposal", bold=True), s["h3"]))
        return out + self.text(d.proposal["summary"])

    def sections(self) -> list:
        out = []
        weights = sum(c["weight"] for c, _ in self.d.sections)
        for i, (c, text) in enumerate(self.d.sections):
            name = f"{label(i)} {c['name']}"
            out.append(self.heading(name, "h2", outline=name))
            out.append(Paragraph(rich(f"The section of the proposal that answers criterion {label(i)} of the call, "
                                      f"which weighs {pct(c['weight'] / weights)} of the total."), self.s["slotmeta"]))
            out += self.text(text)
        return [self.heading("The proposal, criterion by criterion", outline=""), *out] if out else []

    def clarifications(self) -> list:
        if not self.d.clarifications:
            return []
        s = self.s
        out = [self.heading("Clarifications"),
               Paragraph(rich("Questions the advisory group asked the applicant after the submission, and the "
                              "answers given; the proposal itself stays as submitted."), s["slotmeta"])]
        for n, r in enumerate(self.d.clarifications, 1):
            asked = long_date(dt.date.fromisoformat(r["asked_at"][:10]))
            head = f"Request {n}, sent on {asked}, answer due by {long_date(r['reply_by'])}: {r['state']}"
            if r["answered_at"]:
                head += f" on {long_date(dt.date.fromisoformat(r['answered_at'][:10]))}"
            out.append(Paragraph(rich(head + ".", bold=True), s["h4"]))
            for i, q in enumerate(r["questions"]):
                about = f" (about {self.names.get(q['criterion'], q['criterion'])})" if q["criterion"] else ""
                out.append(Paragraph(rich(f"Question {i + 1}{about}", bold=True), s["h3"]))
                out += self.text(q["question"])
                out.append(Paragraph(rich("Answer", bold=True), s["h3"]))
                out += self.text(r["answers"][i]) if r["answers"] else [Paragraph(rich("Not answered."), s["note"])]
            if r["stored_name"]:
                out.append(Paragraph(rich("With the answers, the file ") + rich(r["file_name"], bold=True, limit=200)
                                     + rich(", appended at the end of this dossier."), s["body"]))
        return out

    def file_list(self, starts: list[int | None] | None) -> list:
        if not self.d.files:
            return [self.heading("Files appended"), Paragraph(rich("The applicant sent no file."), self.s["body"])]
        s = self.s
        rows = [[Paragraph(rich(h, bold=True), s["head"]) for h in ("File", "Sent", "In this dossier")]]
        for i, (f, part) in enumerate(zip(self.d.files, self.loaded)):
            sent = "with the proposal" if f.source == "proposal" else "with the answers to the clarifications"
            if f.received_on:
                sent += f", {long_date(f.received_on)}"
            if part is None:
                where = NOT_APPENDED
            elif starts is None:
                where = plural(part.pages, "page")
            else:
                last = starts[i] + part.pages - 1
                where = f"page {starts[i]}" if part.pages == 1 else f"pages {starts[i]} to {last}"
            rows.append([Paragraph(rich(f.name, limit=200), s["cell"]), Paragraph(rich(sent), s["cell"]),
                         Paragraph(rich(where, bold=part is None), s["cell"])])
        table = Table(rows, colWidths=[0.38 * self.width, 0.32 * self.width, 0.30 * self.width], repeatRows=1)
        table.setStyle(TableStyle(table_style()))
        return [self.heading("Files appended"), table]

    def render(self, starts: list[int | None] | None, total: int | None) -> tuple[bytes, list[tuple[str, int]]]:
        d = self.d
        footer = fonts.plain(f"Proposal dossier · {d.call['reference']}", limit=110)  # names in any script: not here

        def decorate(canvas, doc):
            canvas.saveState()
            canvas.setStrokeColor(RULE)
            canvas.setLineWidth(0.5)
            canvas.line(MARGIN, 14 * mm, A4[0] - MARGIN, 14 * mm)
            canvas.setFont(fonts.SANS, 7.5)
            canvas.setFillColor(MUTED)
            canvas.drawString(MARGIN, 10 * mm, footer)
            canvas.drawRightString(A4[0] - MARGIN, 10 * mm, f"Page {doc.page}" + (f" of {total}" if total else ""))
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


def build(db: sqlite_utils.Database, *, user: User, call_id: int, proposal_id: str,
          on: dt.date | None = None) -> bytes:
    """The dossier of one proposal as PDF bytes, for a person ``permissions.may_read_dossier`` allows
    (``Forbidden`` otherwise)."""
    fonts.register()
    d = facts.contents(db, user=user, call_id=call_id, proposal_id=proposal_id)
    loaded = [_load(db, f) for f in d.files]
    layout = _Dossier(db, d, loaded, on or clock.today())
    starts, total = None, None
    for _ in range(LAYOUT_PASSES):
        main, marks = layout.render(starts, total)
        page = page_count(main) + 1
        placed = []
        for part in loaded:
            placed.append(page if part else None)
            page += part.pages if part else 0
        if (placed, page - 1) == (starts, total):
            break
        starts, total = placed, page - 1
    name = fonts.clean(d.entity["name"], limit=300)
    return merge(main, marks, [(fonts.clean(f.name, limit=200), part) for f, part in zip(d.files, loaded) if part],
                 title=fonts.clean(f"Proposal dossier — {name} ({d.call['reference']})", limit=1000),
                 author=fonts.clean(reportdata.secretariat(d.call), limit=300),
                 subject=fonts.clean(f"The proposal of {name} to the call “{d.call['title']}”: profile, expression "
                                     "of interest, sections, clarifications and files", limit=1000),
                 lang=report_queries.language_code(layout.settings.original_language))
