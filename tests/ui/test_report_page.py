"""The report page: tables for the secretariat and the Bureau, decision letters for the secretariat only."""

from __future__ import annotations

import io
import zipfile

from tests.reports.conftest import STAFF
from tests.ui.conftest import texts


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def _downloads(at) -> list[str]:
    return [d.proto.label for d in at.get("download_button")]


def test_bureau_downloads_the_tables_but_sees_no_letters(open_as):
    at = open_as("bureau", "report")
    _button(at, "Prepare the tables").click().run()
    assert not at.exception
    reference, csv_zip, xlsx = at.session_state["report_tables"]
    assert reference == "TSC-HOST-DEMO-2027" and csv_zip[:2] == b"PK" and xlsx[:2] == b"PK"
    assert {"Download CSV (zip)", "Download XLSX"} <= set(_downloads(at))
    assert "Decision letters" not in texts(at)


def test_secretariat_writes_the_letters_once_a_selection_is_recorded(open_as, demo_db):
    at = open_as("secretariat", "report")
    assert "No selection is recorded yet" in texts(at)
    from selection import queries
    from selection.services import decision

    call_id = queries.resolve_call(demo_db, None)["id"]
    first = queries.ranking_inputs(demo_db).rank().slot("africa").shortlist[0]
    decision.record_selection(demo_db, user=STAFF, call_id=call_id, slot_id="africa", proposal_id=first,
                              rationale="First of the shortlist.")
    at = open_as("secretariat", "report")
    _button(at, "Prepare the letters").click().run()
    assert not at.exception
    reference, pdf, zipped, count = at.session_state["report_letters"]
    assert reference == "TSC-HOST-DEMO-2027"
    assert pdf.startswith(b"%PDF") and zipped[:2] == b"PK"
    assert {"Download the letters (PDF)", "Download one PDF per letter (zip)"} <= set(_downloads(at))
    assert f"{count:,} letters written." in texts(at)
    assert len(zipfile.ZipFile(io.BytesIO(zipped)).namelist()) == count
