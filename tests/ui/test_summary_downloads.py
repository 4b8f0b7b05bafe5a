"""Evaluation summaries on the pages: the secretariat's zip on the report page; the applicant's own summary on
its page once a host is selected for every centre it applied to, built only when it clicks, never another's."""

from __future__ import annotations

import io
import unicodedata
import zipfile

import pytest

from selection import accounts, queries
from selection.errors import Forbidden
from selection.services import decision
from tests.reports.conftest import STAFF
from tests.reports.test_apparatus import pdftotext
from tests.ui.conftest import account_id
from ui.common import summary_on_click

OWN = "Download your evaluation summary (PDF)"


def _downloads(at) -> list:
    return [d.proto for d in at.get("download_button")]


def _select_africa(db) -> str:
    """The secretariat records a host for the Africa centre, the only one the demo applicant applied to."""
    call_id = queries.resolve_call(db, None)["id"]
    first = queries.ranking_inputs(db).rank().slot("africa").shortlist[0]
    decision.record_selection(db, user=STAFF, call_id=call_id, slot_id="africa", proposal_id=first,
                              rationale="First of the shortlist.")
    return first


def _applicant(db):
    return accounts.get_user(db, account_id(db, "applicant"))


def _text(pdf: bytes) -> str:
    return unicodedata.normalize("NFKC", pdftotext(pdf))


def test_no_summary_is_offered_before_the_decision(open_as):
    at = open_as("applicant", "my-proposal")
    assert OWN not in [d.label for d in _downloads(at)]


def test_after_the_decision_the_applicant_downloads_its_own_summary_on_click(open_as, demo_db):
    _select_africa(demo_db)
    at = open_as("applicant", "my-proposal")
    button = next(d for d in _downloads(at) if d.label == OWN)
    assert button.HasField("deferred_file_id") and button.url == ""  # built when clicked, not when shown
    text = _text(summary_on_click(_applicant(demo_db), 1, "p-savanes")())
    assert "Applicant: Institut ouest-africain des savanes et forêts sèches (IOASFS)" in text
    assert "Regional TSC support centre - Africa" in text


def test_the_click_never_reads_another_applicants_summary(demo_db):
    _select_africa(demo_db)
    with pytest.raises(Forbidden):
        summary_on_click(_applicant(demo_db), 1, "p-escarpment")()


def test_the_secretariat_downloads_every_summary_as_a_zip(open_as, demo_db):
    at = open_as("secretariat", "report")
    next(b for b in at.button if b.label == "Prepare the evaluation summaries").click().run()
    assert not at.exception
    reference, data = at.session_state["report_summaries"]
    assert reference == "TSC-HOST-DEMO-2027"
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert len(names) == len(queries.ranking_inputs(demo_db).proposals)
    assert "Institut-ouest-africain-des-savanes-et-forets-seches.pdf" in names
    assert "Download the evaluation summaries (zip)" in [d.label for d in _downloads(at)]


def test_the_bureau_is_not_offered_the_summaries(open_as):
    at = open_as("bureau", "report")
    assert "Prepare the evaluation summaries" not in [b.label for b in at.button]
