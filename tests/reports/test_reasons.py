"""The members' reasons the report quotes: valid reviews only, and a reason never written said so."""

from __future__ import annotations

from reports import assessment
from tests.reports.conftest import CONFLICTED_REASON, pdf_text


def test_a_score_without_a_reason_is_quoted_as_none_written(six_db):
    six_db.execute("UPDATE scores SET justification = NULL WHERE reviewer_id = 'r2' AND proposal_id = 'p1'")
    six_db.conn.commit()
    text = pdf_text(assessment.build(six_db, draws=100))
    reasons = text[text.index("Members' reasons for the shortlisted entities", text.index("Annex")):]
    assert "(no reason written)" in reasons
    assert "nan" not in reasons.split()  # never a missing-value marker in place of the words
    assert CONFLICTED_REASON not in text  # a review left out explains nothing
