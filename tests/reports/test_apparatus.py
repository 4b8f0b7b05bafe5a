"""The assessment report as a document of the Convention: its apparatus, read back with pdftotext,
and readers' words only (no ids, no codes, no program name)."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess

import pypdf
import pytest

from reports import assessment
from selection import bundle, queries
from selection.analysis import analyse
from selection.services import documents
from tests.reports.conftest import NAMES, STAFF, select

ON = dt.date(2027, 6, 1)
DRAWS = 400


def pdftotext(data: bytes, *pages: int) -> str:
    """The text as pdftotext reads it (poppler), whitespace collapsed; ``pages`` first and last."""
    args = ["pdftotext", "-enc", "UTF-8"]
    if pages:
        args += ["-f", str(pages[0]), "-l", str(pages[-1])]
    out = subprocess.run([*args, "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return " ".join(out.split())


@pytest.fixture
def example_db(db, example_dict):
    bundle.store(db, bundle.from_dict(example_dict), actor="test")
    return db


def test_masthead_symbol_distribution_date_and_language_default(six_db):
    cover = pdftotext(assessment.build(six_db, generated_on=ON, draws=DRAWS), 1)
    assert cover.startswith("CONVENTION ON BIOLOGICAL DIVERSITY TEST-CALL-1 Distr.: Restricted 1 June 2027 "
                            "Original: English")
    assert "Bureau of the Subsidiary Body on Scientific, Technical and Technological Advice" in cover
    assert "Assessment report" in cover


def test_settings_of_the_call_are_printed(six_db):
    call_id = queries.resolve_call(six_db, None)["id"]
    documents.save_document_settings(six_db, user=STAFF, call_id=call_id, data={
        "symbol": "CBD/SBSTTA/TSC/2027/1", "distribution": "General", "original_language": "French",
        "body": "Bureau of the Conference of the Parties"})
    pdf = assessment.build(six_db, generated_on=ON, draws=DRAWS)
    cover = pdftotext(pdf, 1)
    assert "CBD/SBSTTA/TSC/2027/1 Distr.: General 1 June 2027 Original: French" in cover
    assert "Bureau of the Conference of the Parties" in cover
    second = pdftotext(pdf, 2)
    assert second.startswith("CBD/SBSTTA/TSC/2027/1 · Assessment report")


def test_mandate_numbered_paragraphs_and_action_requested(six_db):
    text = pdftotext(assessment.build(six_db, generated_on=ON, draws=DRAWS))
    body = text[text.index("I. Introduction 1. The procedure"):]
    assert "set out in document CBD/COP/15/12, paragraphs 45–47." in body
    assert "2. The present report is the fourth step of that procedure." in body
    assert "II. Summary 3. 8 proposals received" in body
    action = body[body.index("III. Action requested of the Bureau"):body.index("IV. Method")]
    assert re.search(r"Bureau (\d+)\. The Bureau is invited to .* (\d+)\. Once the Bureau", action)
    assert "The Bureau is invited to" in action and "Next steps" in action
    assert "within one calendar month of the notification" in action
    assert "within three months of the selection" in action


def test_next_steps_are_dated_from_the_selection_date(six_db):
    six_db.execute("UPDATE calls SET decided_on = '2027-07-15'")
    six_db.conn.commit()
    text = pdftotext(assessment.build(six_db, generated_on=ON, draws=DRAWS))
    action = text[text.rindex("III. Action requested of the Bureau"):text.rindex("IV. Method")]
    assert "Selection of the host of each mechanism 15 July 2027" in action
    assert "by 15 August 2027 if notified that day" in action
    assert "within three months of the selection (by 15 October 2027)" in action


def test_readers_words_only(example_db):
    pdf = assessment.build(example_db, generated_on=ON, draws=DRAWS)
    text = pdftotext(pdf)
    for code in ("tsc_experience", "asia-pacific", "p-savanna", "e-sahel", "p-coral"):
        assert code not in text, code
    assert not re.search(r"\b(r[1-4]|KE|UG|SN|CN|OM|PH)\b", text)  # member ids, country codes
    for country in ("Kenya", "Uganda", "Senegal", "Philippines"):
        assert country in text
    assert "host-selection" not in text and "python -m" not in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)  # dates in long form


def test_fingerprint_of_the_decision_record(six_db):
    select(six_db, "s1", "p1")
    sha = six_db.execute("SELECT sha256 FROM decision_records ORDER BY id DESC").fetchone()[0]
    cover = pdftotext(assessment.build(six_db, generated_on=ON, draws=DRAWS), 1)
    assert "Fingerprint of the decision record (SHA-256), frozen on" in cover
    assert sha in cover.replace(" ", "")
    assert "verify" not in cover


def test_unscreened_proposals_are_marked_and_a_shortlist_holding_one_warned(six_db):
    six_db.execute("UPDATE proposals SET status = 'submitted' WHERE id = 'p2'")
    six_db.conn.commit()
    text = pdftotext(assessment.build(six_db, generated_on=ON, draws=DRAWS))
    summary = text[text.rindex("II. Summary"):text.rindex("III. Action requested of the Bureau")]
    assert f"Warning: the shortlist for Slot s1 holds {NAMES['p2']} †, whose proposal has not yet been screened." \
        in summary
    assert "† not yet screened" in summary
    slot = text[text.rindex("V. Slot s1"):]
    assert f"2 {NAMES['p2']} †" in slot  # the ranking table
    assert f"2. {NAMES['p2']} †" in slot  # the shortlist


def test_robustness_is_given_in_exact_counts_of_draws(six_db):
    text = pdftotext(assessment.build(six_db, generated_on=ON, draws=DRAWS))
    doc = analyse(queries.ranking_inputs(six_db), draws=DRAWS)["slots"][0]["robustness"]
    same = round(doc["same_shortlist_share"] * DRAWS)
    assert f"this shortlist came out unchanged in {same:,} of {DRAWS:,} draws" in text
    table = text[text.index("Ranks reached"):]
    for r in doc["proposals"]:
        if r["shortlisted"]:
            assert f"{round(r['shortlisted_share'] * DRAWS):,} of {DRAWS:,} draws" in table
    assert "% of draws" not in text


def test_an_emoji_a_user_typed_is_drawn_and_extracts_back(six_db):
    six_db.execute("UPDATE entities SET name = 'Green Leaf 🌿 Institute ✓' WHERE id = 'e-p1'")
    six_db.conn.commit()
    text = pdftotext(assessment.build(six_db, generated_on=ON, draws=DRAWS))
    assert "Green Leaf 🌿 Institute ✓ (ISN)" in text


def test_pdf_metadata_title_author_and_language(six_db):
    call_id = queries.resolve_call(six_db, None)["id"]
    documents.save_document_settings(six_db, user=STAFF, call_id=call_id, data={"original_language": "French"})
    reader = pypdf.PdfReader(io.BytesIO(assessment.build(six_db, generated_on=ON, draws=DRAWS)))
    assert reader.metadata.title.startswith("Assessment report — TEST-CALL-1")
    assert reader.metadata.author == "Secretariat of the Test Convention"
    assert reader.trailer["/Root"]["/Lang"] == "fr"
