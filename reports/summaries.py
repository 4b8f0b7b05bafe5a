"""Evaluation summaries: one PDF per proposal, what the applicant is told about its assessment.

As the EU's evaluation summary report does: the score per criterion and what it
means on that criterion's anchored scale, the thresholds, one consolidated comment
per criterion (never naming a member), the rank in each slot the proposal applied
to, the shortlist, reserve list or selection once decided, and why it was not
ranked where it was not. Reads the store, never writes to it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import sqlite_utils
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from reports import filenames, fonts
from reports.layout import (
    ACCENT,
    MARGIN,
    MUTED,
    RULE,
    TEXT_LIMIT,
    NumberedCanvas,
    entity,
    label,
    long_date,
    styles,
    table_style,
)
from reports.summary_facts import CallFacts, NoSummary, Summary
from reports.wording import Layout, Part, draw_runs, fill, part
from selection import clock, i18n, permissions, report_queries, words
from selection.i18n import _
from selection.permissions import User
from selection.services.common import call_row

__all__ = ["NoSummary", "build_all", "build_one", "each", "file_names", "for_reader"]

CELL_PAD = 6  # points: a table cell's padding, left and right together (``layout.table_style``)


class _Document:
    """One summary laid out: the masthead, the applicant, the scores, the comments, the slots; in the
    language it is built in (``i18n.use``), right to left for Arabic."""

    def __init__(self, facts: CallFacts, summary: Summary):
        self.f, self.sm = facts, summary
        s = styles()
        s["from"] = ParagraphStyle("from", s["masthead"], fontSize=11.5, leading=14, spaceAfter=1)
        s["comment"] = ParagraphStyle("comment", s["body"], leftIndent=8, spaceAfter=6)
        self.lang = i18n.language()
        self.layout = Layout(self.lang, s, A4[0] - 2 * (MARGIN + 4 * mm))
        self.s = self.layout.styles

    def p(self, text: str | list[Part], style: str = "body") -> Paragraph:
        return self.layout.para([part(text, limit=TEXT_LIMIT * 4)] if isinstance(text, str) else text, style)

    def head(self) -> list:
        f, sm = self.f, self.sm
        applicant = Part(entity_plain(sm.entity), True, entity(sm.entity, self.s["body"], self.layout.width - 60,
                                                                bold=True))
        out = [self.p([part(f.settings.convention, bold=True, limit=200)], "from"),
               self.p([part(f.secretariat, limit=300)], "meta"), Spacer(1, 6 * mm),
               self.p([part(_("Evaluation summary"), bold=True)], "title"),
               self.p(fill(_("Call for hosts “{title}” ({reference})"), title=part(f.call["title"], limit=500),
                           reference=part(f.call["reference"], limit=200)), "subtitle"),
               self.p(long_date(clock.today()), "meta"), Spacer(1, 5 * mm),
               self.p(fill(_("Applicant: {entity}"), bold=True, entity=applicant))]
        if sm.country:
            out.append(self.p(_("Country: {country}", country=sm.country)))
        out.append(self.p(_("Proposal: {status}.", status=sm.status)))
        return out

    def table(self, rows: list[list], widths: list[float], last_rule: bool) -> Table:
        """A table, its columns mirrored right to left."""
        if self.layout.rtl:
            rows, widths = [list(reversed(r)) for r in rows], list(reversed(widths))
        table = Table(rows, colWidths=widths, repeatRows=1, hAlign="RIGHT" if self.layout.rtl else "LEFT")
        table.setStyle(TableStyle(table_style() + ([("LINEABOVE", (0, -1), (-1, -1), 0.8, ACCENT)] if last_rule
                                                   else [])))
        return table

    def cell(self, text: str | list[Part], width: float, style: str = "cell") -> Paragraph:
        """A table cell's paragraph, its lines broken to the column (less the table's padding)."""
        return self.layout.para(text if isinstance(text, list) else [part(text, limit=600)], style,
                                width - CELL_PAD)

    def scores(self) -> list:
        sm = self.sm
        out = [self.p([part(_("Scores per criterion"), bold=True)], "h2")]
        if not sm.criteria:
            return out + [self.p(_("The proposal was not scored: the section below says why, for each centre it "
                                   "applied to."))]
        lo, hi = self.f.call["scale_min"], self.f.call["scale_max"]
        out.append(self.p(_("Each criterion is scored from {low} to {high} on its own anchored scale; the total "
                            "weighs the criteria and is out of 100.", low=words.score(lo), high=words.score(hi)), "note"))
        widths = [50 * mm, 20 * mm, 14 * mm, self.layout.width - 104 * mm, 20 * mm]  # "Pondération" fits
        w_name, w_weight, w_score, w_meaning, w_threshold = widths
        head = [(_("Criterion"), "head"), (_("Weight"), "head_num"), (_("Score"), "head_num"),
                (_("What the score means"), "head"), (_("Threshold"), "head_num")]
        rows = [[self.cell([part(h, bold=True)], w, st) for (h, st), w in zip(head, widths)]]
        for i, c in enumerate(sm.criteria):
            rows.append([self.cell(f"{label(i)} " + fonts.clean(c.name, 300), w_name),
                         self.cell(c.weight, w_weight, "num"),
                         self.cell(c.score + ("*" if c.consensus else ""), w_score, "num"),
                         self.cell(c.meaning, w_meaning), self.cell(c.threshold, w_threshold, "num")])
        rows.append([self.cell([part(_("Total"), bold=True)], w_name), "",
                     self.cell([part(sm.total, bold=True)], w_score, "num"), self.cell(_("out of 100"), w_meaning),
                     self.cell(sm.overall_threshold, w_threshold, "num")])
        out.append(self.table(rows, widths, last_rule=True))
        out.append(self.p(sm.thresholds, "note"))
        if any(c.consensus for c in sm.criteria):
            out.append(self.p(_("* consensus score agreed by the advisory group at its meeting."), "note"))
        return out

    def comments(self) -> list:
        if not self.sm.criteria:
            return []
        out = [self.p([part(_("Comments of the advisory group"), bold=True)], "h2")]
        for i, c in enumerate(self.sm.criteria):
            out.append(KeepTogether([self.p([part(f"{label(i)} " + fonts.clean(c.name, 300), bold=True)], "h4"),
                                     self.p(c.comment, "comment")]))
        return out

    def slots(self) -> list:
        out = [self.p([part(_("Ranking and outcome for each centre applied for"), bold=True)], "h2")]
        for line in self.sm.slots:
            block = [self.p([part(line.name, bold=True, limit=300)], "h4"), self.p(line.standing, "comment")]
            if line.outcome:
                block.append(self.p([part(line.outcome, bold=True)], "comment"))
            out.append(KeepTogether(block))
        return out

    def sign(self) -> list:
        st = self.f.settings
        who = st.signatory_name or self.f.secretariat
        out = [Spacer(1, 6 * mm),
               self.p(_("The assessment report explains how the criteria were applied to every proposal. Members' "
                        "individual scores and reasons are not named in this summary.")),
               Spacer(1, 4 * mm), self.p([part(who, bold=True, limit=200)])]
        if st.signatory_name:
            out.append(self.p(st.signatory_title))
        return out

    def render(self) -> bytes:
        buf = io.BytesIO()
        reference, name = self.f.call["reference"], self.sm.entity.get("name") or ""
        doc = SimpleDocTemplate(
            buf, pagesize=A4, leftMargin=MARGIN + 4 * mm, rightMargin=MARGIN + 4 * mm, topMargin=MARGIN + 4 * mm,
            bottomMargin=MARGIN + 4 * mm,
            title=fonts.clean(_("Evaluation summary — {entity} — {reference}", entity=name, reference=reference),
                              limit=1000),
            author=fonts.clean(self.f.secretariat, limit=300),
            subject=fonts.clean(_("Evaluation summary of a proposal to the call {reference}", reference=reference),
                                limit=1000),
            creator=fonts.clean(self.f.secretariat, limit=300),
            lang=self.lang,
        )
        self.layout.width = doc.width
        story = self.head() + self.scores() + self.slots() + self.comments() + self.sign()
        footer = _("{reference} · evaluation summary", reference=reference)
        doc.build(story, canvasmaker=lambda *a, **k: _Canvas(*a, footer=footer, **k))
        return buf.getvalue()


class _Canvas(NumberedCanvas):
    """A rule and the footer at the foot of every page, and its number, in the summary's language and fonts."""

    def __init__(self, *args, footer: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.footer = footer

    def late(self) -> None:
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, 14 * mm, self._pagesize[0] - MARGIN, 14 * mm)
        self.setFillColor(MUTED)
        draw_runs(self, MARGIN, 10 * mm, self.footer, 7.5)
        draw_runs(self, self._pagesize[0] - MARGIN, 10 * mm,
                  _("Page {page} of {pages}", page=self._pageNumber, pages=len(self._pages)), 7.5, right=True)
        self.restoreState()

    def page_label(self, total: int) -> str:
        return ""  # drawn in :meth:`late`


def entity_plain(e: dict) -> str:
    """The entity's name and acronym as plain text (a right-to-left paragraph shapes it whole)."""
    name = fonts.clean(e.get("name"), 300)
    return name + (f" ({fonts.clean(e['acronym'], 40)})" if e.get("acronym") else "")


def _pdf(facts: CallFacts, proposal_id: str, lang: str | None = None) -> bytes:
    """One summary, in ``lang`` or else in its applicant's language."""
    if lang is None:
        e = facts.entities.get(proposal_id) or {}
        lang = report_queries.recipient_language(facts.db, facts.call["id"], e.get("id") or "")
    with i18n.use(lang):
        return _Document(facts, facts.summary(proposal_id)).render()


def build_one(db: sqlite_utils.Database, reference: str | None, proposal_id: str, *, lang: str | None = None) -> bytes:
    """One proposal's evaluation summary (PDF), in ``lang`` or else its applicant's language (the entity's
    choice, then its account's); :class:`NoSummary` for a draft or an unknown proposal."""
    fonts.register()
    return _pdf(CallFacts(db, reference), proposal_id, lang)


def file_names(facts: CallFacts) -> dict[str, str]:
    """Proposal id -> its file's name: the entity's name in Latin letters, else its acronym, else
    "applicant-N" (N its place in the call); unique, a number added where two would meet."""
    submitted = facts.submitted()
    stems = [filenames.stem((facts.entities.get(pid) or {}).get("name"), (facts.entities.get(pid) or {}).get("acronym"),
                            fallback=f"applicant-{n}") for n, pid in enumerate(submitted, start=1)]
    return dict(zip(submitted, filenames.unique(stems, ".pdf")))


def each(db: sqlite_utils.Database, reference: str | None = None, *,
         lang: str | None = None) -> Iterator[tuple[str, bytes]]:
    """(file name, PDF) for every submitted proposal of the call, in its order; each in ``lang``, or else
    in its applicant's language."""
    fonts.register()
    facts = CallFacts(db, reference)
    for pid, name in file_names(facts).items():
        yield name, _pdf(facts, pid, lang)


def build_all(db: sqlite_utils.Database, reference: str | None = None, *, lang: str | None = None) -> bytes:
    """Every applicant's evaluation summary, as a zip of one PDF each, named by entity."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, pdf in each(db, reference, lang=lang):
            z.writestr(name, pdf)
    return buf.getvalue()


def for_reader(db: sqlite_utils.Database, *, user: User | None, call_id: int, proposal_id: str,
               lang: str | None = None) -> bytes:
    """The summary for a person who may read it: the secretariat, or the applicant once the
    decision is made on every slot its proposal applied to (``permissions.may_read_summary``); in
    ``lang``, else in the applicant's language."""
    permissions.require(permissions.may_read_summary(db, user, call_id, proposal_id),
                        "The evaluation summary is sent to its applicant once the decision is made.")
    return build_one(db, call_row(db, call_id)["reference"], proposal_id, lang=lang)
