"""Sentences of a document in its reader's language, laid out in that language's direction.

A translated sentence keeps its placeholders (``_("{entity} has been selected to host {slots}.")``); the
document cuts it there and fills each one with a :class:`Part`: a name in bold, a date, a list of slots.
Left to right, the parts become Paragraph markup piece by piece (each piece escaped and in the font that
has its glyphs, as ``fonts.rich`` makes it). Right to left (Arabic), a paragraph is shaped and put in
visual order as one text, broken into lines before reordering so that the lines read top-down, and set
flush right; the text is marked right to left at its start, so a sentence that opens with a Latin name
still reads from the right. Chinese breaks lines between any two characters (``wordWrap="CJK"``).
"""

from __future__ import annotations

import string
import unicodedata
from dataclasses import dataclass

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph

from reports import fonts
from reports.layout import num, rich
from selection import i18n

RLM = "\u200f"  # the right-to-left mark: the paragraph's base direction, dropped once the text is reordered
LRM = "\u200e"  # around a left-to-right piece in a right-to-left paragraph: its brackets stay its own
FRAME_PADDING = 12  # points: a platypus frame's padding, left and right together


@dataclass(frozen=True)
class Part:
    """A piece of a sentence: its plain text, in bold or not, and, where a left-to-right paragraph draws
    it otherwise (a name with its acronym in its own run), its markup."""

    plain: str
    bold: bool = False
    markup: str | None = None

    def rich(self) -> str:
        return self.markup if self.markup is not None else rich(self.plain, bold=self.bold)


def part(text: object, *, bold: bool = False, limit: int | None = None) -> Part:
    return Part(fonts.clean(text, limit), bold)


Value = str | Part | list[Part]


def fill(template: str, *, bold: bool = False, **values: Value) -> list[Part]:
    """The translated ``template`` cut at its placeholders, each filled with its value; the words between
    them in bold when ``bold``."""
    out: list[Part] = []
    for literal, field, _spec, _conversion in string.Formatter().parse(template):
        if literal:
            out.append(Part(literal, bold))
        if field is None:
            continue
        value = values[field]
        if isinstance(value, Part):
            out.append(value)
        elif isinstance(value, list):
            out.extend(value)
        else:
            out.append(Part(str(value), bold))
    return out


def listed(items: list[list[Part]], *, bold: bool = False) -> list[Part]:
    """"A and B", "A, B and C" as the reader's language joins a list (babel's list patterns; English as
    the letters always wrote it)."""
    if len(items) == 1:
        return list(items[0])
    if i18n.language() in (i18n.DEFAULT, i18n.PSEUDO):
        template = ", ".join(f"{{{k}}}" for k in range(len(items) - 1)) + f" and {{{len(items) - 1}}}"
    else:
        from babel.lists import format_list
        template = format_list([f"{{{k}}}" for k in range(len(items))], locale=i18n.babel_locale())
    return fill(template, bold=bold, **{str(k): item for k, item in enumerate(items)})


def figure(value: float, places: int) -> str:
    """A figure rounded half up, as a reader rounds, written in the reader's language ("80.0", "80,0")."""
    text = num(value, places)
    if i18n.language() in (i18n.DEFAULT, i18n.PSEUDO):
        return text
    from babel.numbers import format_decimal
    return format_decimal(text, format="#,##0" + ("." + "0" * places if places else ""), locale=i18n.babel_locale())


class Layout:
    """Paragraphs of one document in one language: styles mirrored right to left, Chinese broken anywhere."""

    def __init__(self, lang: str, styles: dict[str, ParagraphStyle], width: float):
        self.lang, self.width = lang, width
        self.rtl = i18n.direction(lang) == "rtl"
        self.styles = {name: self._styled(style) for name, style in styles.items()}

    def _styled(self, style: ParagraphStyle) -> ParagraphStyle:
        changes: dict = {}
        if self.rtl:
            changes["alignment"] = {TA_LEFT: TA_RIGHT, TA_RIGHT: TA_LEFT}.get(style.alignment, style.alignment)
            changes["leftIndent"], changes["rightIndent"] = style.rightIndent, style.leftIndent
        if self.lang == "zh":
            changes["wordWrap"] = "CJK"
        return ParagraphStyle(f"{style.name}-{self.lang}", style, **changes) if changes else style

    def para(self, parts: list[Part] | str, style: str, width: float | None = None) -> Paragraph:
        """One paragraph of ``parts`` (or a plain text) in the style named, across the frame or ``width``
        points (a table cell's)."""
        parts = [Part(parts)] if isinstance(parts, str) else parts
        st = self.styles[style]
        if not self.rtl:
            return Paragraph("".join(p.rich() for p in parts), st)
        text = "".join(_isolated(p.plain) for p in parts)
        width = (width or self.width - FRAME_PADDING) - st.leftIndent - st.rightIndent
        bold = all(p.bold for p in parts if p.plain.strip())
        return Paragraph(rich(RLM + text, bold=bold, width=width, size=st.fontSize), st)


def _isolated(text: str) -> str:
    """A left-to-right piece (a name in Latin letters, "(a) Networks") marked as such at both ends, so that
    a right-to-left paragraph does not move its opening or closing bracket to the other side."""
    kinds = {unicodedata.bidirectional(ch) for ch in text}
    return f"{LRM}{text}{LRM}" if "L" in kinds and not kinds & {"R", "AL"} else text


def draw_runs(canvas, x: float, y: float, text: str, size: float, *, right: bool = False) -> None:
    """A line of any script drawn on a canvas run by run, each in the font that has its glyphs (a footer in
    Chinese); ``right``: ending at ``x``."""
    pieces = fonts.runs(text, limit=120)
    if right:
        x -= sum(pdfmetrics.stringWidth(chunk, font, size) for font, chunk in pieces)
    for font, chunk in pieces:
        canvas.setFont(font, size)
        canvas.drawString(x, y, chunk)
        x += pdfmetrics.stringWidth(chunk, font, size)
