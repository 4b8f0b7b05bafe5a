"""Evaluation summaries: one PDF per proposal, what the applicant is told about its assessment.

As the EU's evaluation summary report does: the score per criterion and what it
means on that criterion's anchored scale, the thresholds, one consolidated comment
per criterion (never naming a member), the rank in each slot the proposal applied
to, the shortlist, reserve list or selection once decided, and why it was not
ranked where it was not. Reads the store, never writes to it.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator

import sqlite_utils
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from reports import fonts
from reports.layout import (
    ACCENT,
    MARGIN,
    TEXT_LIMIT,
    NumberedCanvas,
    rule_footer,
    entity,
    heads,
    label,
    long_date,
    rich,
    styles,
    table_style,
)
from reports.summary_facts import CallFacts, NoSummary, Summary
from selection import clock, permissions, report_queries
from selection.permissions import User
from selection.services.common import call_row

__all__ = ["NoSummary", "build_all", "build_one", "each", "file_names", "for_reader"]

NAME_CHARS = 60  # characters of a file name before ".pdf"
# Latin letters that do not decompose into a base letter and an accent, as they are written without it
LATIN_LETTERS = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE",
                               "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "Þ": "Th", "ı": "i"})


class _Document:
    """One summary laid out: the masthead, the applicant, the scores, the comments, the slots."""

    def __init__(self, facts: CallFacts, summary: Summary):
        self.f, self.sm = facts, summary
        self.s = styles()
        self.s["from"] = ParagraphStyle("from", self.s["masthead"], fontSize=11.5, leading=14, spaceAfter=1)
        self.s["comment"] = ParagraphStyle("comment", self.s["body"], leftIndent=8, spaceAfter=6)
        self.width = A4[0] - 2 * (MARGIN + 4 * mm)

    def p(self, text: str, style: str = "body") -> Paragraph:
        return Paragraph(rich(text, limit=TEXT_LIMIT * 4), self.s[style])

    def head(self) -> list:
        f, sm, s = self.f, self.sm, self.s
        out = [Paragraph(rich(f.settings.convention, bold=True, limit=200), s["from"]),
               Paragraph(rich(f.secretariat, limit=300), s["meta"]), Spacer(1, 6 * mm),
               Paragraph(rich("Evaluation summary", bold=True), s["title"]),
               Paragraph(rich("Call for hosts “") + rich(f.call["title"], limit=500)
                         + rich(f"” ({fonts.clean(f.call['reference'], 200)})"), s["subtitle"]),
               Paragraph(rich(long_date(clock.today())), s["meta"]), Spacer(1, 5 * mm),
               Paragraph(rich("Applicant: ", bold=True) + entity(sm.entity, s["body"], self.width - 60, bold=True),
                         s["body"])]
        if sm.country:
            out.append(self.p(f"Country: {sm.country}"))
        out.append(self.p(f"Proposal: {sm.status}."))
        return out

    def scores(self) -> list:
        s, sm = self.s, self.sm
        out = [Paragraph(rich("Scores per criterion", bold=True), s["h2"])]
        if not sm.criteria:
            return out + [self.p("The proposal was not scored: the section below says why, for each centre it "
                                 "applied to.")]
        lo, hi = self.f.call["scale_min"], self.f.call["scale_max"]
        out.append(self.p(f"Each criterion is scored from {lo:g} to {hi:g} on its own anchored scale; the total "
                          "weighs the criteria and is out of 100.", "note"))
        widths = [52 * mm, 15 * mm, 14 * mm, self.width - 101 * mm, 20 * mm]
        rows = [heads(["Criterion"], ["Weight", "Score"], s) + heads(["What the score means"], ["Threshold"], s)]
        for i, c in enumerate(sm.criteria):
            rows.append([Paragraph(rich(f"{label(i)} ") + rich(c.name, limit=300), s["cell"]),
                         Paragraph(rich(c.weight), s["num"]),
                         Paragraph(rich(c.score + ("*" if c.consensus else "")), s["num"]),
                         Paragraph(rich(c.meaning, limit=600), s["cell"]),
                         Paragraph(rich(c.threshold), s["num"])])
        rows.append([Paragraph(rich("Total", bold=True), s["cell"]), "", Paragraph(rich(sm.total, bold=True), s["num"]),
                     Paragraph(rich("out of 100"), s["cell"]), Paragraph(rich(sm.overall_threshold), s["num"])])
        table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
        table.setStyle(TableStyle(table_style() + [("LINEABOVE", (0, -1), (-1, -1), 0.8, ACCENT)]))
        out.append(table)
        out.append(self.p(sm.thresholds, "note"))
        if any(c.consensus for c in sm.criteria):
            out.append(self.p("* consensus score agreed by the advisory group at its meeting.", "note"))
        return out

    def comments(self) -> list:
        s = self.s
        if not self.sm.criteria:
            return []
        out = [Paragraph(rich("Comments of the advisory group", bold=True), s["h2"])]
        for i, c in enumerate(self.sm.criteria):
            out.append(KeepTogether([
                Paragraph(rich(f"{label(i)} ", bold=True) + rich(c.name, bold=True, limit=300), s["h4"]),
                Paragraph(rich(c.comment, limit=TEXT_LIMIT * 4), s["comment"])]))
        return out

    def slots(self) -> list:
        s = self.s
        out = [Paragraph(rich("Ranking and outcome for each centre applied for", bold=True), s["h2"])]
        for line in self.sm.slots:
            block = [Paragraph(rich(line.name, bold=True, limit=300), s["h4"]), self.p(line.standing, "comment")]
            if line.outcome:
                block.append(Paragraph(rich(line.outcome, bold=True), s["comment"]))
            out.append(KeepTogether(block))
        return out

    def sign(self) -> list:
        st = self.f.settings
        who = st.signatory_name or self.f.secretariat
        out = [Spacer(1, 6 * mm),
               self.p("The assessment report explains how the criteria were applied to every proposal. Members' "
                      "individual scores and reasons are not named in this summary."),
               Spacer(1, 4 * mm), Paragraph(rich(who, bold=True, limit=200), self.s["body"])]
        if st.signatory_name:
            out.append(self.p(st.signatory_title))
        return out

    def render(self) -> bytes:
        buf = io.BytesIO()
        reference, name = self.f.call["reference"], self.sm.entity.get("name") or ""
        doc = SimpleDocTemplate(
            buf, pagesize=A4, leftMargin=MARGIN + 4 * mm, rightMargin=MARGIN + 4 * mm, topMargin=MARGIN + 4 * mm,
            bottomMargin=MARGIN + 4 * mm,
            title=fonts.clean(f"Evaluation summary — {name} — {reference}", limit=1000),
            author=fonts.clean(self.f.secretariat, limit=300),
            subject=fonts.clean(f"Evaluation summary of a proposal to the call {reference}", limit=1000),
            creator=fonts.clean(self.f.secretariat, limit=300),
            lang=report_queries.language_code(self.f.settings.original_language),
        )
        self.width = doc.width
        story = self.head() + self.scores() + self.slots() + self.comments() + self.sign()
        footer = rule_footer(f"{reference} · evaluation summary")
        doc.build(story, onFirstPage=footer, onLaterPages=footer, canvasmaker=NumberedCanvas)
        return buf.getvalue()


def _pdf(facts: CallFacts, proposal_id: str) -> bytes:
    return _Document(facts, facts.summary(proposal_id)).render()


def build_one(db: sqlite_utils.Database, reference: str | None, proposal_id: str) -> bytes:
    """One proposal's evaluation summary (PDF); :class:`NoSummary` for a draft or an unknown proposal."""
    fonts.register()
    return _pdf(CallFacts(db, reference), proposal_id)


def _slug(text: str) -> str:
    """The Latin letters and digits of a name, accents dropped, words joined by hyphens; empty when the
    name holds letters of another script (they are never transliterated)."""
    decomposed = unicodedata.normalize("NFKD", fonts.clean(text)).translate(LATIN_LETTERS)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    if any(ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN") for ch in kept):
        return ""
    return re.sub(r"[^A-Za-z0-9]+", "-", kept).strip("-")[:NAME_CHARS].strip("-")


def file_names(facts: CallFacts) -> dict[str, str]:
    """Proposal id -> its file's name: the entity's name in Latin letters, else its acronym, else
    "applicant-N" (N its place in the call); unique, a number added where two would meet."""
    out, taken = {}, set()
    for n, pid in enumerate(facts.submitted(), start=1):
        e = facts.entities.get(pid) or {}
        base = _slug(e.get("name") or "") or _slug(e.get("acronym") or "") or f"applicant-{n}"
        name, k = base, 1
        while name.casefold() in taken:
            k += 1
            name = f"{base}-{k}"
        taken.add(name.casefold())
        out[pid] = f"{name}.pdf"
    return out


def each(db: sqlite_utils.Database, reference: str | None = None) -> Iterator[tuple[str, bytes]]:
    """(file name, PDF) for every submitted proposal of the call, in its order."""
    fonts.register()
    facts = CallFacts(db, reference)
    for pid, name in file_names(facts).items():
        yield name, _pdf(facts, pid)


def build_all(db: sqlite_utils.Database, reference: str | None = None) -> bytes:
    """Every applicant's evaluation summary, as a zip of one PDF each, named by entity."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, pdf in each(db, reference):
            z.writestr(name, pdf)
    return buf.getvalue()


def for_reader(db: sqlite_utils.Database, *, user: User | None, call_id: int, proposal_id: str) -> bytes:
    """The summary for a person who may read it: the secretariat, or the applicant once the
    decision is made on every slot its proposal applied to (``permissions.may_read_summary``)."""
    permissions.require(permissions.may_read_summary(db, user, call_id, proposal_id),
                        "The evaluation summary is sent to its applicant once the decision is made.")
    return build_one(db, call_row(db, call_id)["reference"], proposal_id)
