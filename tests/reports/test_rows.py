"""A long table laid out once (``reports.rows.LongTable``) draws the pages reportlab's own table
draws: the same rows on each page, the header repeated, the same rules and fills."""

from __future__ import annotations

import io

import pypdf
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate, TableStyle

from reports import fonts
from reports.layout import ACCENT, SHORT_FILL, CoverNumberedCanvas, NumberedCanvas, Table, TextCell, cell, styles, table_style
from reports.rows import LongTable

WIDTHS = [40.0, 260.0, 60.0, 60.0]


def _rows_and_style() -> tuple[list[list], list[tuple]]:
    """Rows of plain figures, names in other scripts, wrapped lines; a rule above some rows, a fill and
    a bold face on others: what the report's long tables hold."""
    s = styles()
    rows = [["Rank", "Entity", "Total", "Tie"]]
    style = table_style(padding=1.5) + [("ALIGN", (2, 0), (3, -1), "RIGHT")]
    names = ["Institut sahélien Ñandú", "مركز الخليج للتنوع البيولوجي", "湄公河生物多样性合作中心",
             "A centre whose name is long enough to be broken over two lines in its column " * 2]
    for n in range(1, 301):
        name = names[n % len(names)]
        rows.append([str(n), cell(name, s["cell"], WIDTHS[1], markup=lambda name=name: TextCell(
            name, WIDTHS[1] - 6, 8, 10)), f"{100 - n / 7:.1f}", "tied" if n % 11 == 0 else ""])
        if n % 5 == 0:
            style.append(("LINEABOVE", (0, n), (-1, n), 0.6, ACCENT))
        if n % 7 == 0:
            style += [("BACKGROUND", (0, n), (-1, n), SHORT_FILL), ("FONTNAME", (0, n), (-1, n), fonts.SANS_BOLD)]
    return rows, style


def _pages(table) -> list[bytes]:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4)
    doc.build([Paragraph("Every ranked proposal", styles()["h3"]), table], canvasmaker=NumberedCanvas)
    return [page.get_contents().get_data() for page in pypdf.PdfReader(io.BytesIO(buf.getvalue())).pages]


def test_a_long_table_draws_the_pages_reportlab_s_table_draws():
    rows, style = _rows_and_style()
    theirs = Table([list(r) for r in rows], colWidths=WIDTHS, repeatRows=1, hAlign="LEFT")
    theirs.setStyle(TableStyle(style))
    expected = _pages(theirs)
    rows, style = _rows_and_style()
    got = _pages(LongTable(rows, WIDTHS, style))
    assert len(expected) > 5  # the table runs over several pages
    assert len(got) == len(expected)
    for number, (mine, reportlab) in enumerate(zip(got, expected), start=1):
        assert mine == reportlab, f"page {number} differs"


def test_a_table_that_fits_on_its_page_is_drawn_whole():
    rows, style = _rows_and_style()
    short = LongTable(rows[:6], WIDTHS, [c for c in style if c[1][1] < 6 and c[2][1] < 6])
    theirs = Table([list(r) for r in rows[:6]], colWidths=WIDTHS, repeatRows=1, hAlign="LEFT")
    theirs.setStyle(TableStyle([c for c in style if c[1][1] < 6 and c[2][1] < 6]))
    assert _pages(short) == _pages(theirs)


def test_the_documents_canvas_writes_strings_as_reportlab_s_canvas_does():
    from reportlab.pdfgen.canvas import Canvas

    def page(maker) -> bytes:
        buf = io.BytesIO()
        canvas = maker(buf, pagesize=A4, initialFontName=fonts.SANS)
        for size, leading in ((8, 10), (9.5, 13)):
            for font in (fonts.SANS, fonts.SANS_BOLD):
                canvas.setFont(font, size, leading)
                for n, text in enumerate(["3.25", "Reef & Ocean (Lab) \\ 100%", "Ñandú — Институт", "", "3.25"]):
                    canvas.drawString(40, 700 - 12 * n, text)
                    canvas.drawRightString(500, 700 - 12 * n, text)
                    canvas.drawString(200, 640 - 12 * n, text, mode=2)
        canvas.showPage()
        canvas.save()
        return pypdf.PdfReader(io.BytesIO(buf.getvalue())).pages[0].get_contents().get_data()

    fonts.register()
    assert page(CoverNumberedCanvas) == page(Canvas)  # a cover page: no page number drawn at the end
