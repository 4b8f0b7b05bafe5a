"""What every part of the assessment report shares: the call's facts, the styles, the page
width, and the numbering of sections (and of paragraphs) across parts."""

from __future__ import annotations

import datetime as dt

import sqlite_utils
from reportlab.lib.pagesizes import A4, landscape
from reportlab.platypus import Paragraph, Table, TableStyle

from reports import data as reportdata
from reports import fonts
from reports.assessment.document import Heading
from reports.layout import CELL_PADDING, MARGIN, NAME_LIMIT, TextCell, cell, entity, rich, roman, styles
from reports.rows import LongTable
from reports.wording import Layout, Part
from selection import i18n, report_queries
from selection.content import CallTexts
from selection.i18n import N_, _

UNSCREENED_MARK = " †"
UNSCREENED_NOTE = N_("† not yet screened: the proposal is scored but its eligibility has not been confirmed.")


class Context:
    """One report being written, in the language it is built in (``i18n.use``): the parts read the facts
    here and number their headings here; right to left for Arabic (``wording.Layout``)."""

    def __init__(self, db: sqlite_utils.Database, d: reportdata.CallData, generated_on: dt.date):
        self.db, self.d, self.on = db, d, generated_on
        self.call = d.call
        self.crits = d.criteria
        self.pagesize = landscape(A4) if len(self.crits) > 6 else A4  # room for a column per criterion
        self.width = self.pagesize[0] - 2 * MARGIN
        self.lang = i18n.language()
        self.layout = Layout(self.lang, styles(), self.width)
        self.rtl = self.layout.rtl
        self.s = self.layout.styles
        self.consensus = reportdata.consensus_notes(db, self.call["id"])
        self.lo, self.hi = float(self.call["scale_min"]), float(self.call["scale_max"])
        self.settings = report_queries.document_settings(db, self.call["id"])
        self.slot_names = {slot["id"]: slot["name"] for slot in d.slots}
        self.title = CallTexts(db, self.call["id"]).call("title", self.call["title"]).text
        status = d.inputs.proposals.set_index("proposal")["status"]
        self.unscreened = set(status[status == "submitted"].index)  # received, not yet screened
        self.sections = self.keys = self.paragraphs = 0
        self.toc_entries: list[tuple[int, str, str]] = []
        self._given: dict | None = None
        self._records: dict[str, list[dict]] = {}

    def heading(self, text: str, *, numbered: bool = True, level: int = 0, style: str = "h1") -> Heading:
        """A heading in the contents and the PDF outline; numbered ones are counted across parts."""
        if numbered:
            self.sections += 1
            text = _("{number}. {heading}", number=roman(self.sections), heading=text)
        self.keys += 1
        key = f"h{self.keys}"
        markup = rich(text, bold=True, limit=NAME_LIMIT)
        self.toc_entries.append((level, rich(text, limit=160), key))
        return Heading(markup, self.s[style], level=level, key=key, outline=fonts.clean(text, 120))

    def p(self, text: str | list[Part], style: str = "body") -> Paragraph:
        """A paragraph of plain text or of a sentence's parts (``wording.fill``), in the report's direction."""
        return self.layout.para(text, style)

    def para(self, parts: list[Part]) -> Paragraph:
        """A numbered paragraph of the body, a sentence's parts (``wording.fill``); the numbers run through
        the whole report, as in a document of the Convention. Right to left, the number opens the text at
        the right (a bullet would hang at the left)."""
        self.paragraphs += 1
        number = f"{self.paragraphs}."
        if self.rtl:
            return self.layout.para([Part(number + " "), *parts], "para")
        return Paragraph("".join(p.rich() for p in parts), self.s["para"], bulletText=number)

    def numbered(self, text: str) -> Paragraph:
        """A numbered paragraph of plain text."""
        return self.para([Part(text)])

    def table(self, rows: list[list], widths: list[float], style: list, *, kind=Table) -> Table | LongTable:
        """A table of the report, read from the right in Arabic: columns in mirror order, text set flush right,
        each style command moved to its mirrored column."""
        if self.rtl:
            n = len(widths)

            def mirror(command):
                name, (c0, r0), (c1, r1), *rest = command
                c0, c1 = c0 % n, c1 % n
                if name == "ALIGN":
                    rest = [{"RIGHT": "LEFT", "LEFT": "RIGHT"}.get(rest[0], rest[0])]
                return (name, (n - 1 - c1, r0), (n - 1 - c0, r1), *rest)

            rows, widths = [row[::-1] for row in rows], widths[::-1]
            style = [("ALIGN", (0, 0), (-1, -1), "RIGHT"), *(mirror(c) for c in style)]
        if kind is LongTable:
            return LongTable(rows, widths, style, align="RIGHT" if self.rtl else "LEFT")
        table = kind(rows, colWidths=widths, repeatRows=1, hAlign="RIGHT" if self.rtl else "LEFT")
        table.setStyle(TableStyle(style))
        return table

    def name(self, proposal: str, *, bold: bool = False) -> Part:
        """The entity inside a sentence (``wording.fill``), marked when its proposal is not yet screened."""
        e = self.who(proposal) or {}
        plain = fonts.clean(e.get("name") or _("(unknown entity)"), NAME_LIMIT)
        if e.get("acronym"):
            plain += f" ({fonts.clean(e['acronym'], 40)})"
        if proposal in self.unscreened:
            plain += UNSCREENED_MARK
        return Part(plain, bold, self.entity(proposal, inline=True, bold=bold))

    def entity(self, proposal: str, style=None, width: float | None = None, *, bold: bool = False,
               inline: bool = False) -> str:
        """The entity's name as markup, marked when its proposal is not yet screened."""
        out = entity(self.who(proposal), style, width, bold=bold, inline=inline)
        return out + rich(UNSCREENED_MARK) if proposal in self.unscreened else out

    def entity_cell(self, proposal: str, style, width: float, *, bold: bool = False, more: str = ""):
        """The entity as a table cell: a plain string when it can be (see ``layout.cell``); ``more``
        (plain words) follows the name and its marks."""
        e = self.who(proposal) or {}
        name = fonts.clean(e.get("name") or _("(unknown entity)"), NAME_LIMIT)
        suffix = f" ({fonts.clean(e['acronym'], 40)})" if e.get("acronym") else ""
        if proposal in self.unscreened:
            suffix += UNSCREENED_MARK
        suffix += more
        return cell(name + suffix, style, width, bold=bold, limit=NAME_LIMIT + 50,
                    markup=lambda: TextCell(name, width - CELL_PADDING, style.fontSize, style.leading, bold=bold,
                                            suffix=suffix))

    def records(self, sr) -> list[dict]:
        """A slot's ranking table as rows (dicts), made once: every part of the slot's section reads them."""
        if sr.slot not in self._records:
            self._records[sr.slot] = sr.table.to_dict("records")
        return self._records[sr.slot]

    def country(self, proposal: str) -> str:
        return report_queries.country_name((self.who(proposal) or {}).get("country"))

    def who(self, proposal: str) -> dict | None:
        return self.d.entities.get(proposal)

    def given(self) -> dict[tuple[str, str], list[tuple[float, str | None]]]:
        """(proposal, criterion) -> the valid reviews' (score, justification), in the members' order, for
        every ranked proposal (only valid reviews explain a score)."""
        if self._given is None:
            ranked = sorted({p for sr in self.d.ranking.slots for p in sr.table["proposal"].tolist()})
            left = self.d.scores.excluded
            left_out = set(zip(left["reviewer"].tolist(), left["proposal"].tolist())) if len(left) else set()
            self._given = reportdata.valid_reasons(self.db, self.call["id"], ranked, left_out)
        return self._given
