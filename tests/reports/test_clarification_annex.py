"""The clarification round in the assessment report: a last annex, only when the panel asked any,
read back with pdftotext; the applicants' and the secretariat's words printed as written."""

from __future__ import annotations

import datetime as dt

import pytest

from reports import assessment
from selection import accounts, clock, queries
from selection.services import clarifications
from tests.reports.conftest import NAMES, STAFF
from tests.pdf_samples import PDF
from tests.reports.test_apparatus import pdftotext

ON = dt.date(2027, 6, 1)
DRAWS = 200
QUESTION = "Send the audited accounts of 2025 & <b>the board's</b> minutes."


@pytest.fixture
def asked(six_db, monkeypatch):
    """p1 asked twice (answered with a PDF; unanswered, reply date past), p2 asked once (reply date to come)."""
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2027, 5, 3, 9, 0, tzinfo=dt.UTC))
    call_id = queries.resolve_call(six_db, None)["id"]
    applicant = accounts.register_applicant(six_db, username="sahel", display_name="Sahel", password="long enough pw 1")
    six_db.execute("UPDATE entities SET account_id = ? WHERE call_id = ? AND id = "
                   "(SELECT entity_id FROM proposals WHERE call_id = ? AND id = 'p1')",
                   [applicant.id, call_id, call_id])
    first = clarifications.request(six_db, user=STAFF, call_id=call_id, proposal_id="p1", reply_by="2027-05-20",
                                   questions=[{"criterion": "capacity", "question": QUESTION},
                                              {"criterion": None, "question": "Who chairs the network?"}])
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2027, 5, 12, 9, 0, tzinfo=dt.UTC))
    clarifications.answer(six_db, user=applicant, call_id=call_id, request_id=first,
                          answers=["Attached; see <i>annex</i> & page 2.", "Dr Aminata Koné."],
                          file=("accounts <2025>.pdf", PDF))
    clarifications.request(six_db, user=STAFF, call_id=call_id, proposal_id="p1", reply_by="2027-05-25",
                           questions=[{"criterion": None, "question": "How many staff work full time?"}])
    clarifications.request(six_db, user=STAFF, call_id=call_id, proposal_id="p2", reply_by="2027-06-15",
                           questions=[{"criterion": "networks", "question": "Name your three main partners."}])
    return six_db


def annex(db) -> str:
    text = pdftotext(assessment.build(db, generated_on=ON, draws=DRAWS))
    return text[text.rindex("Annex VII — Clarifications requested from applicants"):]


def test_questions_dates_and_answers_per_proposal(asked):
    text = annex(asked)
    p1, p2 = text.index(NAMES["p1"]), text.index(NAMES["p2"])
    assert p1 < p2
    first = text[p1:p2]
    assert "Asked on 3 May 2027, reply by 20 May 2027." in first
    assert f"Question 1 (criterion: Criterion capacity): {QUESTION}" in first
    assert "Answer, given on 12 May 2027: Attached; see <i>annex</i> & page 2." in first
    assert "Question 2: Who chairs the network? Answer, given on 12 May 2027: Dr Aminata Koné." in first
    assert "A PDF was attached to the answer: accounts <2025>.pdf." in first
    assert ("Asked on 12 May 2027, reply by 25 May 2027. Question 1: How many staff work full time? "
            "Not answered by 25 May 2027.") in first
    second = text[p2:]
    assert "Question 1 (criterion: Criterion networks): Name your three main partners." in second
    assert "Not answered by 1 June 2027; answers are accepted until 15 June 2027." in second


def test_the_contents_lists_the_annex(asked):
    listed = pdftotext(assessment.build(asked, generated_on=ON, draws=DRAWS), 2, 3)
    assert "Annex VII — Clarifications requested from applicants" in listed


def test_no_annex_without_requests(six_db):
    text = pdftotext(assessment.build(six_db, generated_on=ON, draws=DRAWS))
    assert "Annex V — How the robustness" in text
    assert "Annex VII" not in text and "Clarifications requested" not in text
