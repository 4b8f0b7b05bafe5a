"""Fonts as a reader's PDF viewer meets them: every font embedded, Chinese bold where the text is bold."""

from __future__ import annotations

import io
import re
import subprocess

import pypdf
from reportlab.platypus import Paragraph, SimpleDocTemplate

from reports import assessment, fonts, layout
from tests.reports.conftest import NAMES

BOLD_RUN = re.compile(r"2 Tr(.*?)0 Tr", re.S)  # text filled and outlined: a face without a bold drawn bold
FONT_SET = re.compile(r"/(\S+) [\d.]+ Tf")


def _cjk_resources(page) -> set[str]:
    """The resource names under which a page draws in the Chinese font."""
    fonts_used = page["/Resources"]["/Font"]
    return {name.lstrip("/") for name, ref in fonts_used.items() if "WenQuanYi" in str(ref.get_object()["/BaseFont"])}


def _cjk_drawn(data: bytes) -> tuple[int, int]:
    """How many times the Chinese font is set inside bold (outlined) text, and outside it."""
    bold = regular = 0
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        cjk = _cjk_resources(page)
        content = page.get_contents().get_data().decode("latin-1")
        inside = "".join(BOLD_RUN.findall(content))
        bold += sum(1 for f in FONT_SET.findall(inside) if f in cjk)
        regular += sum(1 for f in FONT_SET.findall(BOLD_RUN.sub("", content)) if f in cjk)
    return bold, regular


def test_every_font_of_the_report_is_embedded(six_db, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(assessment.build(six_db, draws=100))
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = listing.splitlines()[2:]
    assert any("WenQuanYi" in r for r in rows) and any("DejaVuSans-Bold" in r for r in rows)
    for row in rows:  # name type encoding emb sub uni object-id
        assert row.split()[-5] == "yes", row
    assert "Helvetica" not in listing


def test_a_bold_chinese_heading_is_drawn_bold_and_plain_text_is_not():
    s = layout.styles()
    buf = io.BytesIO()
    SimpleDocTemplate(buf).build([Paragraph(fonts.rich(NAMES["p4"], bold=True), s["h1"]),
                                  Paragraph(fonts.rich(f"Regular {NAMES['p4']}"), s["body"])],
                                 canvasmaker=layout.NumberedCanvas)
    assert _cjk_drawn(buf.getvalue()) == (1, 1)
    text = pypdf.PdfReader(buf).pages[0].extract_text()
    assert text.count(NAMES["p4"]) == 2  # outlined text still extracts


def test_the_report_draws_a_chinese_name_bold_in_its_headings(six_db):
    bold, regular = _cjk_drawn(assessment.build(six_db, draws=100))
    assert bold >= 2 and regular >= 1  # the shortlist's heading and bold line; the ranking table's plain rows
