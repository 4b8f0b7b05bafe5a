"""The first assessment report: what it says, in every script, and that no name can break it."""

from __future__ import annotations

import io
import re
import unicodedata
from xml.sax.saxutils import unescape

import arabic_reshaper
import pypdf
import pytest
from bidi.algorithm import get_display
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from reports import assessment, fonts
from selection import bundle

TIE_SENTENCE = "There is a tie across third place"
HOSTILE = "A & B <b>unclosed ]]> <font name='nope'> &amp; \x00\x07 😀 \U0010fffd"


def pdf_text(data: bytes) -> str:
    """All the text of a PDF, whitespace collapsed (a name may wrap in a table cell)."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def build_from(db, data: dict) -> bytes:
    bundle.store(db, bundle.from_dict(data), actor="test")
    return assessment.build(db)


@pytest.fixture
def example_pdf(db, example_dict) -> bytes:
    return build_from(db, example_dict)


def test_example_report_names_call_slots_and_shortlist(example_pdf, example_dict):
    assert example_pdf.startswith(b"%PDF")
    text = pdf_text(example_pdf)
    assert example_dict["call"]["reference"] in text
    for slot in example_dict["call"]["slots"]:
        assert slot["name"] in text
    # the shortlist of the example: Africa p-sahel; Asia-Pacific p-mekong, p-coral
    assert "Institut sahélien pour la biodiversité (ISB)" in text
    assert "湄公河生物多样性合作中心 (MBCC)" in text
    assert "Coral Triangle Science & Policy <Hub> (CTSPH)" in text  # shown as written, not as markup
    assert "Page 2 of" in text  # the cover (page 1) carries no number
    assert TIE_SENTENCE not in text


def test_example_report_explains_method_and_left_out_reviews(example_pdf):
    text = pdf_text(example_pdf)
    assert "25%" in text and "at least 3 valid reviews," in text
    assert "the advisory group, not the program, breaks such a tie" in text
    left_out = text[text.rindex("Annex III — Reviews left out of the figures"):]
    assert "Reviewer Four Savanna Biodiversity Research Consortium (SBRC) † conflict of interest declared" in left_out
    assert "partial review, 3 of 4 criteria scored" in left_out
    assert "withdrawn by the applicant" in text
    assert "(d) 2.25 below threshold 2.5" in text  # why Great Lakes ranks first yet is not shortlisted
    assert "3.50*" in text  # p-coral's consensus score on capacity


def test_metadata(example_pdf):
    meta = pypdf.PdfReader(io.BytesIO(example_pdf)).metadata
    assert meta.author == "The Secretariat"  # no secretariat_name in a bundle: the fallback
    assert "TSC-HOST-2026-01" in meta.title
    assert meta.subject


def test_tie_across_third_place_is_reported(db, bundle_builder):
    b = bundle_builder(criteria=(("c1", 1, 1),), min_reviews=1)
    for pid, score in [("p1", 5), ("p2", 4), ("p3", 3), ("p4", 3), ("p5", 1)]:
        b.proposal(pid, name=f"Centre {pid}").review("r1", pid, [score])
    text = pdf_text(build_from(db, b.dict()))
    assert TIE_SENTENCE in text
    assert "shortlist has 4 entries instead of 3" in text
    assert "The advisory group, not the program, breaks this tie." in text
    for pid in ("p1", "p2", "p3", "p4"):
        assert f"Centre {pid}" in text


def test_hostile_names_still_build(db, example_dict):
    # within the bundle's limits: markup, emoji (a bundle refuses control characters)
    example_dict["entities"][5]["name"] = HOSTILE.replace("\x00\x07", "")
    example_dict["reviewers"][3]["name"] = "<para>Reviewer & co"
    example_dict["call"]["slots"][0]["name"] = "Africa </font> <br/"
    bundle.store(db, bundle.from_dict(example_dict), actor="test")
    # beyond them, as a damaged or hand-edited database might hold: a NUL, huge names
    db.execute("UPDATE entities SET name = ? WHERE id = ?", [HOSTILE, example_dict["entities"][5]["id"]])
    huge = "W" * 100_000
    db.execute("UPDATE entities SET name = ? WHERE id = 'e-mekong'", ["湄公河" * 30_000])
    db.execute("UPDATE entities SET name = ?, acronym = ? WHERE id = 'e-savanna'", [huge, "<" * 1000])
    db.execute("UPDATE calls SET title = ?, reference = ?", [HOSTILE * 5000, "REF <x> & 湄公河 مركز"])
    db.conn.commit()

    text = pdf_text(assessment.build(db))
    assert "A & B <b>unclosed ]]> <font name='nope'> &amp;" in text
    assert "REF <x> & 湄公河" in text
    assert "Africa </font> <br/" in text


def test_rich_escapes_markup_and_parses():
    style = ParagraphStyle("t", fontName=fonts.SANS, fontSize=9)
    markup = fonts.rich(HOSTILE)
    assert "<b>" not in markup and "\x00" not in markup
    para = Paragraph(markup, style)
    para.wrap(200, 1000)
    assert "&amp;amp;" in markup and "&lt;b&gt;" in markup
    # and it still parses inside our own markup
    Paragraph("<b>" + fonts.rich(HOSTILE, bold=True) + "</b>", style).wrap(200, 1000)


def test_rich_draws_cjk_in_the_cjk_font():
    markup = fonts.rich("Centre 湄公河 MBCC")
    assert f'<font name="{fonts.CJK}">湄公河 </font>' in markup
    assert f'<font name="{fonts.SANS}">Centre </font>' in markup


def _text_of(markup: str) -> str:
    """The characters a markup draws, in drawing order (no tags, entities undone)."""
    return unescape(re.sub(r"<[^>]+>", "", markup.replace("<br/>", "\n")))


def test_arabic_is_shaped_and_right_to_left():
    pure = "مركز الخليج للتنوع البيولوجي"
    assert _text_of(fonts.rich(pure)) == get_display(arabic_reshaper.reshape(pure))
    drawn = _text_of(fonts.rich(pure))
    assert all("FORM" in unicodedata.name(ch) for ch in drawn if ch != " ")  # shaped: presentation forms
    # a right-to-left line with a Latin acronym: the acronym ends up on the left
    assert _text_of(fonts.rich("مركز الخليج (GCB)")).startswith("(GCB) ")
    # a left-to-right line keeps its Latin start, Arabic reversed in place
    assert _text_of(fonts.rich("Centre (مركز) x")).startswith("Centre (")


def test_wrapped_arabic_reads_top_down():
    name = "مركز الخليج للتنوع البيولوجي والدراسات البحرية"
    lines = _text_of(fonts.rich(name, width=80, size=8)).split("\n")
    assert len(lines) > 1
    first_word = arabic_reshaper.reshape("مركز")[::-1]
    assert first_word in lines[0]  # the first word of the name is on the first line


def test_missing_font_names_the_debian_package():
    with pytest.raises(fonts.FontMissing, match="apt-get install fonts-wqy-zenhei"):
        fonts._ttf("Nope", "/nonexistent/wqy-zenhei.ttc", "fonts-wqy-zenhei")


@settings(max_examples=200, deadline=None)
@given(text=st.text(), bold=st.booleans(), width=st.none() | st.floats(10, 400))
def test_rich_never_breaks_a_paragraph(text, bold, width):
    style = ParagraphStyle("t", fontName=fonts.SANS, fontSize=9)
    para = Paragraph(fonts.rich(text, bold=bold, width=width, size=9), style)
    para.wrap(width or 200, 10_000)
    buf = io.BytesIO()
    SimpleDocTemplate(buf).build([para])
    fonts.plain(text)
