"""The assessment report as a PDF document: headings that fill the contents and the outline,
a contents laid out in one pass, numbered pages, the cover and body page templates."""

from __future__ import annotations

import io

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Table
from reportlab.platypus.tableofcontents import TableOfContents, drawPageNumbers

from reports import fonts
from reports.layout import ACCENT, MARGIN, MUTED, RULE, CoverNumberedCanvas, draw_line
from selection import words


class Heading(Paragraph):
    """A heading that puts itself in the table of contents and the PDF outline."""

    def __init__(self, markup: str, style, *, level: int, key: str, outline: str):
        super().__init__(markup, style)
        self.toc = (level, markup, key, outline)


class Doc(BaseDocTemplate):

    def afterFlowable(self, flowable):
        toc = getattr(flowable, "toc", None)
        if toc is None:
            return
        level, _, key, outline = toc
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(outline, key, level=level, closed=level > 0)
        self.canv.toc_pages[key] = self.page


class Contents(TableOfContents):
    """A table of contents laid out in one pass: its entries are known before the layout (the
    story is built first), and their page numbers are drawn when the document is saved, once
    every heading has found its page. reportlab's multiBuild lays the whole report out twice
    for the same result."""

    def __init__(self, entries: list[tuple[int, str, str]], **kwargs):
        super().__init__(**kwargs)
        self._lastEntries = [(level, markup, 0, key) for level, markup, key in entries]

    def wrap(self, availWidth, availHeight):
        paragraphs: dict[str, Paragraph] = {}

        def mark(canvas, kind, label):
            level, key = label.split(",", 1)
            info = dict(canvas._curr_tx_info)
            info["text_width"] = paragraphs[key].getActualLineWidths0()[-1]
            canvas.toc_marks.append((canvas.getPageNumber(), tuple(canvas._currentMatrix), info,
                                     self.getLevelStyle(int(level)), key, availWidth, availHeight))

        self.canv.setNamedCB("tocMark", mark)
        for level, text, _, key in self._lastEntries:
            paragraphs[key] = Paragraph(f'<a href="#{key}">{text}</a><onDraw name="tocMark" label="{level},{key}"/>',
                                        self.getLevelStyle(level))
        rows = [[p] for p in paragraphs.values()] or [[Paragraph("", self.getLevelStyle(0))]]
        self._table = Table(rows, colWidths=(availWidth,), style=self.tableStyle)
        self.width, self.height = self._table.wrapOn(self.canv, availWidth, availHeight)
        return self.width, self.height


class Canvas(CoverNumberedCanvas):
    """Numbered pages, and the contents' page numbers drawn last."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.toc_pages: dict[str, int] = {}  # heading key -> page (one dict shared by every page's state)
        self.toc_marks: list[tuple] = []  # where each contents entry ends

    def late(self) -> None:
        for page, matrix, info, style, key, width, height in self.toc_marks:
            if page != self._pageNumber or key not in self.toc_pages:
                continue
            self.saveState()
            self.transform(*matrix)
            self._curr_tx_info = info
            if style.alignment == TA_RIGHT:
                self._number_at_left(style, self.toc_pages[key], key, info)
            else:
                drawPageNumbers(self, style, [(self.toc_pages[key], key)], width, height, " . ")
            self.restoreState()

    def _number_at_left(self, style, page: int, key: str, info: dict) -> None:
        """Right to left, an entry ends at the left: its page number at the left edge, dots up to its text
        (reportlab draws the number after the text's logical end, here beyond the right margin)."""
        number = words.number(page, 0)
        size, y = style.fontSize, info["cur_y"]
        width = stringWidth(number, style.fontName, size)
        text_left = info["cur_x"] - info["text_width"]
        dot = " . "
        dots = max(int((text_left - width - 4) / stringWidth(dot, style.fontName, size)), 0)
        self.setFont(style.fontName, size)
        self.setFillColor(style.textColor)
        self.drawString(0, y, number)
        self.drawRightString(text_left - 2, y, dot * dots)
        self.linkRect("", key, (0, y, width, y + style.leading), relative=1)


def render(story: list, *, pagesize, header: Paragraph, footer: str, title: str, author: str, subject: str,
           lang: str = "en") -> bytes:
    """Lay the story out: the first page is the cover (a band, no number), the others carry the
    ``header`` paragraph above a rule and ``footer`` text with the page number below."""
    width = pagesize[0] - 2 * MARGIN
    head = header  # laid out once, drawn on every page
    _, h = head.wrap(width, 12 * mm)

    def decorate(canvas, doc):
        canvas.saveState()
        head.drawOn(canvas, MARGIN, pagesize[1] - 11 * mm - h)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, pagesize[1] - 12.5 * mm - h, pagesize[0] - MARGIN, pagesize[1] - 12.5 * mm - h)
        canvas.setFont(fonts.SANS, 7.5)
        canvas.setFillColor(MUTED)
        draw_line(canvas, MARGIN, 10 * mm, footer, 7.5)
        canvas.restoreState()

    def cover_band(canvas, doc):
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.rect(0, pagesize[1] - 14 * mm, pagesize[0], 14 * mm, stroke=0, fill=1)
        canvas.restoreState()

    frame = Frame(MARGIN, MARGIN, width, pagesize[1] - 2 * MARGIN - 4 * mm, id="body", leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0)
    buf = io.BytesIO()
    doc = Doc(buf, pagesize=pagesize, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + 4 * mm,
              bottomMargin=MARGIN, title=title, author=author, subject=subject, lang=lang)
    doc.addPageTemplates([
        PageTemplate("cover", frames=[frame], onPage=cover_band, pagesize=pagesize),
        PageTemplate("body", frames=[frame], onPage=decorate, pagesize=pagesize),
    ])
    doc.build(story, canvasmaker=Canvas)
    return buf.getvalue()
