"""What the PDF documents share: colours, paragraph styles, table style, numbers, names.

Every user string reaches a Paragraph through ``fonts.rich`` (escaped, any
script, cut to a length); numbers are formatted here once, rounded half up as
a reader rounds.
"""

from __future__ import annotations

import functools
import string
import unicodedata
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab import platypus
from reportlab.platypus import Flowable, Paragraph

from reports import fonts
from selection import words
from selection.i18n import _
from selection.words import date as long_date  # noqa: F401 (the documents' name for it)

INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#52606D")
ACCENT = colors.HexColor("#2F4B6E")
RULE = colors.HexColor("#BCCCDC")
HEAD_FILL = colors.HexColor("#E4EBF2")
SHORT_FILL = colors.HexColor("#EDF3EA")

NAME_LIMIT = 300  # characters of a user string shown in a cell
CELL_PADDING = 6  # points: left and right padding of a table cell (``table_style``)
TEXT_LIMIT = 1500  # characters of a justification or a note quoted
MARGIN = 18 * mm


CACHED_LENGTH = 400  # names and labels are remembered; long texts (reasons, notes) are not


@functools.lru_cache(maxsize=10_000)
def _rich(text: object, bold: bool, limit: int | None, width: float | None, size: float | None) -> str:
    return fonts.rich(text, bold=bold, limit=limit, width=width, size=size)


def rich(text: object, bold: bool = False, limit: int | None = None, width: float | None = None,
         size: float | None = None) -> str:
    """``fonts.rich``, remembered for short texts: a report names the same entity many times."""
    if isinstance(text, str) and len(text) <= CACHED_LENGTH:
        return _rich(text, bold, limit, width, size)
    return fonts.rich(text, bold=bold, limit=limit, width=width, size=size)


def styles() -> dict[str, ParagraphStyle]:
    fonts.register()
    base = ParagraphStyle("body", fontName=fonts.SANS, fontSize=9.5, leading=13, textColor=INK, spaceAfter=4)
    return {
        "body": base,
        "cover_title": ParagraphStyle("cover_title", base, fontName=fonts.SANS_BOLD, fontSize=26, leading=32,
                                      textColor=ACCENT, spaceAfter=14),
        "cover_sub": ParagraphStyle("cover_sub", base, fontSize=14, leading=19, spaceAfter=24),
        "cover_meta": ParagraphStyle("cover_meta", base, fontSize=10.5, leading=15, spaceAfter=3),
        "title": ParagraphStyle("title", base, fontName=fonts.SANS_BOLD, fontSize=17, leading=21, textColor=ACCENT,
                                spaceAfter=6),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=11, leading=15, spaceAfter=8),
        "meta": ParagraphStyle("meta", base, fontSize=8.5, leading=11, textColor=MUTED, spaceAfter=1),
        "h1": ParagraphStyle("h1", base, fontName=fonts.SANS_BOLD, fontSize=14, leading=18, textColor=ACCENT,
                             spaceBefore=6, spaceAfter=6, keepWithNext=1),
        "h2": ParagraphStyle("h2", base, fontName=fonts.SANS_BOLD, fontSize=12.5, leading=16, textColor=ACCENT,
                             spaceBefore=12, spaceAfter=5, keepWithNext=1),
        "slotmeta": ParagraphStyle("slotmeta", base, fontSize=8.5, leading=11, textColor=MUTED, spaceAfter=5,
                                   keepWithNext=1),
        "h3": ParagraphStyle("h3", base, fontName=fonts.SANS_BOLD, fontSize=10, leading=13, spaceBefore=8,
                             spaceAfter=3, keepWithNext=1),
        "h4": ParagraphStyle("h4", base, fontName=fonts.SANS_BOLD, fontSize=9.5, leading=12.5, spaceBefore=7,
                             spaceAfter=2, keepWithNext=1, textColor=ACCENT),
        "crit": ParagraphStyle("crit", base, fontSize=8.8, leading=11.5, spaceBefore=3, spaceAfter=1,
                               leftIndent=8, keepWithNext=1),
        "critlast": ParagraphStyle("critlast", base, fontSize=8.8, leading=11.5, spaceBefore=3, spaceAfter=1,
                                   leftIndent=8),
        "quote": ParagraphStyle("quote", base, fontSize=8, leading=10.3, leftIndent=20, firstLineIndent=0,
                                spaceAfter=1.5, textColor=INK),
        "cell": ParagraphStyle("cell", base, fontSize=8, leading=10, spaceAfter=0),
        "small": ParagraphStyle("small", base, fontSize=7.5, leading=9, spaceAfter=0),
        "num": ParagraphStyle("num", base, fontSize=8, leading=10, spaceAfter=0, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", base, fontName=fonts.SANS_BOLD, fontSize=7.5, leading=9.5, spaceAfter=0,
                               textColor=ACCENT),
        "head_num": ParagraphStyle("head_num", base, fontName=fonts.SANS_BOLD, fontSize=7.5, leading=9.5,
                                   spaceAfter=0, textColor=ACCENT, alignment=TA_RIGHT),
        "note": ParagraphStyle("note", base, fontSize=7.5, leading=10, textColor=MUTED, spaceAfter=2),
        "item": ParagraphStyle("item", base, leftIndent=12, spaceAfter=2),
        "para": ParagraphStyle("para", base, leftIndent=10 * mm, bulletIndent=0, bulletFontName=fonts.SANS,
                               bulletFontSize=9.5, spaceAfter=5),
        "masthead": ParagraphStyle("masthead", base, fontName=fonts.SANS_BOLD, fontSize=13, leading=16,
                                   textColor=ACCENT),
        "symbol": ParagraphStyle("symbol", base, fontName=fonts.SANS_BOLD, fontSize=12, leading=15, alignment=TA_RIGHT,
                                 spaceAfter=2),
        "apparatus": ParagraphStyle("apparatus", base, fontSize=9, leading=12, alignment=TA_RIGHT, spaceAfter=0),
        "body_to": ParagraphStyle("body_to", base, fontName=fonts.SANS_BOLD, fontSize=11, leading=14, spaceBefore=10,
                                  spaceAfter=14),
        "header": ParagraphStyle("header", base, fontSize=7.5, leading=9, textColor=MUTED, spaceAfter=0),
        "toc0": ParagraphStyle("toc0", base, fontSize=10, leading=14, spaceBefore=2, rightIndent=30),
        "toc1": ParagraphStyle("toc1", base, fontSize=9, leading=12, leftIndent=14, rightIndent=30),
    }


def rule_footer(text: str) -> Callable:
    """An ``onPage`` drawing a rule and ``text`` at the foot of every page (the page number is the canvas's)."""
    words = fonts.plain(text, limit=90)

    def draw(canvas, doc) -> None:
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, 14 * mm, doc.pagesize[0] - MARGIN, 14 * mm)
        canvas.setFont(fonts.SANS, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, 10 * mm, words)
        canvas.restoreState()

    return draw


FAUX_STROKE = 0.035  # em: the outline stroke that makes a face without a bold one look bold


class FauxBoldText(PDFTextObject):
    """A text object that draws the fonts standing in for a missing bold face (``fonts.FAUX_BOLD``:
    Chinese, symbols) filled and outlined in the text's own colour, as a Paragraph's ``<b>`` asks;
    the stroke colour, line width and render mode are put back at the end."""

    def __init__(self, canvas, x=0, y=0, direction=None):
        self._faux = self._used = False
        self._fill = getattr(canvas, "_fillColorObj", INK)
        super().__init__(canvas, x, y, direction=direction)
        self._faux_font(self._fontname, self._fontsize)

    def _faux_font(self, name: str, size: float) -> None:
        faux = name in fonts.FAUX_BOLD
        if faux and not self._faux:
            self._code.append(f"2 Tr {fp_str(size * FAUX_STROKE)} w")
            self.setStrokeColor(self._fill)
            self._used = True
        elif self._faux and not faux:
            self._code.append("0 Tr")
        self._faux = faux

    def setFont(self, psfontname, size, leading=None):
        super().setFont(psfontname, size, leading)
        self._faux_font(psfontname, size)

    def _setFont(self, psfontname, size):  # what a Paragraph calls between the runs of a line
        super()._setFont(psfontname, size)
        self._faux_font(psfontname, size)

    def setFillColor(self, aColor, alpha=None):
        super().setFillColor(aColor, alpha)
        self._fill = aColor
        if self._faux:
            self.setStrokeColor(aColor)

    def getCode(self):
        if self._used:
            canvas = self._canvas
            self._code.append(f"0 Tr {fp_str(canvas._lineWidth)} w")
            self.setStrokeColor(canvas._strokeColorObj or INK)
            self._faux = self._used = False
        return super().getCode()


class NumberedCanvas(pdfcanvas.Canvas):
    """A canvas that knows the page count at the end, for "Page 2 of 5" (not on the first page
    when ``skip_first`` is set: a cover carries no number)."""

    skip_first = False

    def __init__(self, *args, **kwargs):
        fonts.register()
        kwargs["initialFontName"] = kwargs.get("initialFontName") or fonts.SANS  # not Helvetica: not embedded
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []
        self._page_bookmarks: list[tuple[str, dict]] = []
        self._encoded: dict[tuple, tuple[str, float]] = {}

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._page_bookmarks = []
        self._startPage()

    def beginText(self, x=0, y=0, direction=None):
        return FauxBoldText(self, x, y, direction=direction)

    def _plain(self, text: str) -> tuple[str, float] | None:
        """The string's PDF text operators in the current font, and its width, as a text object
        writes them; remembered per font, as a subset keeps a glyph's code once it has given it one.
        None where a text object must draw it (a faux bold face, a font reportlab does not embed)."""
        key = (self._fontname, self._fontsize, self._leading, text)
        done = self._encoded.get(key)
        if done is None:
            if self._fontname in fonts.FAUX_BOLD or not pdfmetrics.getFont(self._fontname)._dynamicFont:
                return None
            done = self._encoded[key] = (PDFTextObject(self)._formatText(text),
                                         pdfmetrics.stringWidth(text, self._fontname, self._fontsize))
        return done

    def drawString(self, x, y, text, mode=None, charSpace=0, direction=None, wordSpace=None, shaping=False):
        """reportlab's drawString, without a text object per string: a long table draws thousands of
        them, most of them the same figures. The PDF written is the same."""
        done = None if mode is not None or charSpace or direction or wordSpace or shaping else self._plain(text)
        if done is None or not self.bottomup:
            return super().drawString(x, y, text, mode, charSpace, direction, wordSpace, shaping)
        self._code.append(f"BT 1 0 0 1 {fp_str(x, y)} Tm {done[0]} T* ET")

    def drawRightString(self, x, y, text, mode=None, charSpace=0, direction=None, wordSpace=None, shaping=False):
        """reportlab's drawRightString, as :meth:`drawString`."""
        done = None if mode is not None or charSpace or direction or wordSpace or shaping else self._plain(text)
        if done is None or not self.bottomup:
            return super().drawRightString(x, y, text, mode, charSpace, direction, wordSpace, shaping)
        self._code.append(f"BT 1 0 0 1 {fp_str(x - done[1], y)} Tm {done[0]} T* ET")

    def bookmarkPage(self, key, **kwargs):
        """Kept until the page is really emitted in :meth:`save`: a bookmark made now would point at the
        first page, the only one the PDF holds while pages are held back."""
        self._page_bookmarks.append((key, kwargs))

    def late(self) -> None:
        """Draw what is known only at the end on the current page (hook; nothing here)."""

    def page_label(self, total: int) -> str:
        """The number drawn at the foot of the current page (hook: a letter counts its own pages)."""
        return _("Page {page} of {pages}", page=self._pageNumber, pages=total)

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            for key, kwargs in self._page_bookmarks:
                super().bookmarkPage(key, **kwargs)
            self.late()
            if not (self.skip_first and self._pageNumber == 1):
                self.setFont(fonts.SANS, 7.5)
                self.setFillColor(MUTED)
                draw_line(self, self._pagesize[0] - MARGIN, 10 * mm, self.page_label(total), 7.5, right=True)
            super().showPage()
        super().save()


def draw_line(canvas, x: float, y: float, text: str, size: float, *, right: bool = False) -> None:
    """A header's or footer's line on a canvas: one string when the Latin font draws it, else run by run
    (a page number in Chinese or Arabic, see ``wording.draw_runs``)."""
    if not fonts.one_font(text):
        from reports.wording import draw_runs

        draw_runs(canvas, x, y, text, size, right=right)
    elif right:
        canvas.drawRightString(x, y, text)
    else:
        canvas.drawString(x, y, text)


class CoverNumberedCanvas(NumberedCanvas):
    skip_first = True


def roman(n: int) -> str:
    """1 -> I, 4 -> IV, 14 -> XIV: how a document of the Convention numbers its chapters and annexes."""
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        out += letters * count
    return out


class TextCell(Flowable):
    """Text in any script drawn run by run in a table cell: lines broken to the width, each in
    visual order, each run in the font that has its glyphs. Many times cheaper than a Paragraph,
    for the thousands of names a large call's tables hold. ``suffix`` (an acronym, a mark) follows
    the text in its own run, after it even when the text reads right to left."""

    def __init__(self, text: str, width: float, size: float, leading: float, *, bold: bool = False,
                 suffix: str = ""):
        super().__init__()
        self.size, self.leading, self.bold = size, leading, bold
        self.lines = fonts.wrapped_runs(text, width, size, bold)
        if suffix:
            tail = fonts.runs(suffix, bold)
            used = sum(pdfmetrics.stringWidth(chunk, font, size) for font, chunk in self.lines[-1])
            if used + sum(pdfmetrics.stringWidth(chunk, font, size) for font, chunk in tail) <= width:
                self.lines[-1] = self.lines[-1] + tail
            else:
                self.lines.append(fonts.runs(suffix.lstrip(), bold))
        self.width = width

    def wrap(self, availWidth, availHeight):
        return self.width, self.leading * len(self.lines)

    def draw(self):
        canv = self.canv
        y = self.leading * len(self.lines) - self.size
        canv.setFillColor(INK)
        canv.setStrokeColor(INK)
        canv.setLineWidth(self.size * 0.035)  # the stroke that makes a face without a bold one look bold
        for line in self.lines:
            x = 0.0
            for font, chunk in line:
                canv.setFont(font, self.size)
                faux = font in fonts.FAUX_BOLD
                canv.drawString(x, y, chunk, mode=2 if faux else None)
                x += pdfmetrics.stringWidth(chunk, font, self.size)
            y -= self.leading


def cell(text: object, style: ParagraphStyle, width: float, *, bold: bool = False, limit: int = NAME_LIMIT,
         markup: Callable[[], str] | None = None):
    """A table cell: plain lines when the text draws in the Latin font alone (a table draws a string
    in its own font), else what ``markup`` makes, else a :class:`TextCell`. A bold plain cell needs
    the row's FONTNAME set to ``fonts.SANS_BOLD``."""
    plain = fonts.clean(text if text not in (None, "") else "—", limit)
    font = fonts.SANS_BOLD if bold else fonts.SANS
    if fonts.one_font(plain, bold):
        if pdfmetrics.stringWidth(plain, font, style.fontSize) <= width - CELL_PADDING:
            return plain
        return "\n".join(simpleSplit(plain, font, style.fontSize, width - CELL_PADDING))
    if markup is not None:
        return markup()
    return TextCell(plain, width - CELL_PADDING, style.fontSize, style.leading, bold=bold)


def label(i: int) -> str:
    """(a), (b), ... as in the call's list of criteria."""
    return f"({string.ascii_lowercase[i]})" if i < 26 else f"({i + 1})"


INLINE_LIMIT = 80  # characters of a right-to-left name kept on one line inside a sentence


def entity(e: dict | None, style: ParagraphStyle | None = None, width: float | None = None, *,
           bold: bool = False, inline: bool = False) -> str:
    """Entity name (+ acronym) as markup; the acronym is its own run, so an Arabic name keeps its
    order and the acronym follows it. With the style and the width the name gets, right-to-left
    names wrap top-down. ``inline``: the name sits inside a sentence, where it may start anywhere
    on a line, so a right-to-left name is kept on one line (no-break spaces) rather than wrapped
    in drawing order (its last words first)."""
    if not e:
        return rich(_("(unknown entity)"))
    size = style.fontSize if style else None
    name = fonts.clean(e.get("name"), NAME_LIMIT)
    if inline and any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in name):
        out = rich(fonts.clean(name, INLINE_LIMIT).replace(" ", "\xa0"), bold=bold)
    else:
        out = rich(name, bold=bold, limit=NAME_LIMIT, width=width, size=size)
    if e.get("acronym"):
        out += rich(" (", bold) + rich(e["acronym"], bold=bold, limit=40) + rich(")", bold)
    return out


def entity_text(e: dict | None, limit: int = 120) -> list[str]:
    """Entity name (+ acronym) as plain-text pieces, for a chart label: the name, then
    " (ACR)", each put in visual order on its own (see ``charts.text_runs``)."""
    if not e:
        return [_("(unknown entity)")]
    name = fonts.clean(e.get("name"), limit)
    return [name, f" ({fonts.clean(e['acronym'], 40)})"] if e.get("acronym") else [name]


def heads(left, right, s) -> list[Paragraph]:
    """Header cells: text columns aligned left, number columns right, like their figures."""
    return [Paragraph(rich(h, bold=True), s["head"]) for h in left] + [
        Paragraph(rich(h, bold=True), s["head_num"]) for h in right
    ]


HEAD_SIZE, HEAD_LEADING = 7.5, 9.5  # the header row of a table (``table_style``)


def plain_heads(titles, widths) -> list[str]:
    """Header cells as plain lines broken to their columns' widths, drawn in the header row's bold
    font by ``table_style``: a table repeats its header on every page, and a Paragraph there is laid
    out again each time. Align number columns right from row 0."""
    return ["\n".join(simpleSplit(t, fonts.SANS_BOLD, HEAD_SIZE, w - CELL_PADDING)) if fonts.one_font(t, True)
            else TextCell(t, w - CELL_PADDING, HEAD_SIZE, HEAD_LEADING, bold=True)  # Arabic shaped, Chinese drawn
            for t, w in zip(titles, widths)]


def head_width(title: str, width: float) -> float:
    """A column's width widened, where need be, to its header's longest word ("Évaluations" is wider than
    "reviews"), so that a translated header never runs into the next column."""
    longest = max(pdfmetrics.stringWidth(w, fonts.SANS_BOLD, HEAD_SIZE) for w in title.split() or [""])
    return width if longest <= width else longest + CELL_PADDING  # a word may use the padding, not the next column


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def num(x: float, places: int) -> str:
    """Rounded half up, as a reader rounds (3.125 -> 3.13, where format() gives 3.12)."""
    return str(Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def pct(share: float, places: int = 1) -> str:
    """A share (0..1) as a percentage: 0.9876 -> "98.8%"; 1 -> "100%"."""
    text = num(100 * share, places)
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


def of_draws(share: float, draws: int) -> str:
    """A share of weight draws as the exact count: "9,998 of 10,000 draws", never a rounded 100%."""
    return _("{count} of {draws} draws", count=words.number(int(round(float(share) * draws)), 0),
             draws=words.number(draws, 0))




def table_style(header_rows: int = 1, *, size: float = 8, leading: float = 10, padding: float = 2.5) -> list:
    """The documents' table: ``size``, ``leading`` and the top and bottom ``padding`` of the body's cells
    (set once for every cell: each command is applied cell by cell)."""
    return [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), fonts.SANS),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), leading),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("FONTNAME", (0, 0), (-1, header_rows - 1), fonts.SANS_BOLD),
        ("FONTSIZE", (0, 0), (-1, header_rows - 1), HEAD_SIZE),
        ("LEADING", (0, 0), (-1, header_rows - 1), HEAD_LEADING),
        ("TEXTCOLOR", (0, 0), (-1, header_rows - 1), ACCENT),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_FILL),
        ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, ACCENT),
        ("LINEBELOW", (0, header_rows), (-1, -1), 0.25, RULE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), padding),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
    ]


class Table(platypus.Table):
    """reportlab's table, drawing nothing for an empty cell (it would start a text object for it),
    and a plain string set left or right at the top of its cell (nearly every cell of a long table)
    by a shorter path to the same drawing."""

    def _drawCell(self, cellval, cellstyle, pos, size):
        if cellval == "":
            return
        if (type(cellval) is not str or cellstyle.valign != "TOP" or cellstyle.alignment not in ("LEFT", "RIGHT")
                or cellstyle.href or cellstyle.destination or cellstyle.direction or cellstyle.shaping):
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        canv, cur = self.canv, self._curcellstyle
        if cur is not cellstyle:
            if cur is None or cellstyle.color != cur.color:
                canv.setFillColor(cellstyle.color)
            if (cur is None or cellstyle.leading != cur.leading or cellstyle.fontname != cur.fontname
                    or cellstyle.fontsize != cur.fontsize):
                canv.setFont(cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
            self._curcellstyle = cellstyle
        if cellstyle.alignment == "LEFT":
            draw, x = canv.drawString, pos[0] + cellstyle.leftPadding
        else:
            draw, x = canv.drawRightString, pos[0] + size[0] - cellstyle.rightPadding
        y = pos[1] + size[1] - cellstyle.topPadding - cellstyle.fontsize
        for line in cellval.split("\n"):
            draw(x, y, line)
            y -= cellstyle.leading
