"""The applicant's organisation profile in full, and taking a file off a proposal."""

from __future__ import annotations

import json

import pytest

from selection.errors import Forbidden, Invalid
from selection.services import intake, screening
from selection.store import files_dir
from tests.pdf_files import one_page_pdf



def _details(world, user) -> dict:
    row = world.db.execute("SELECT profile FROM entities WHERE account_id = ?", [user.id]).fetchone()
    return json.loads(row[0]) if row[0] else None


def test_the_whole_profile_is_stored_trimmed_with_one_partner_per_line(world):
    user = world.applicant("lakes")
    intake.save_profile(world.db, user=user, call_id=world.call_id, profile={
        "name": "Lakes Institute", "country": "UG", "profile": {
            "legal_status": " Public research institute ", "address": "Plot 4, Entebbe Road\nKampala",
            "head": "Prof. Grace Namata", "contact_person": "Joseph Okello", "contact_phone": "+256 41 234 567",
            "partners": "Nile Basin Network\n\n  Makerere University  \n"}})
    assert _details(world, user) == {
        "legal_status": "Public research institute", "address": "Plot 4, Entebbe Road\nKampala",
        "head": "Prof. Grace Namata", "contact_person": "Joseph Okello", "contact_phone": "+256 41 234 567",
        "partners": ["Nile Basin Network", "Makerere University"]}


def test_an_empty_set_of_details_stores_no_profile(world):
    user = world.applicant("lakes")
    intake.save_profile(world.db, user=user, call_id=world.call_id, profile={
        "name": "Lakes Institute", "profile": {"head": "  ", "partners": "\n"}})
    assert _details(world, user) is None


def test_a_telephone_number_that_is_not_one_is_refused(world):
    user = world.applicant("lakes")
    with pytest.raises(Invalid) as refused:
        intake.save_profile(world.db, user=user, call_id=world.call_id, profile={
            "name": "Lakes Institute", "profile": {"contact_phone": "ring the front desk"}})
    assert refused.value.field == "profile.contact_phone"
    assert _details(world, user) is None


def _with_file(world, username="lakes"):
    user = world.applicant(username)
    world.draft(user)
    aid = intake.add_attachment(world.db, user=user, call_id=world.call_id, filename="support.pdf",
                                data=one_page_pdf())
    return user, aid


def test_removing_a_file_takes_its_row_and_its_stored_copy(world, audit_events):
    user, aid = _with_file(world)
    stored = world.db.execute("SELECT stored_name FROM attachments WHERE id = ?", [aid]).fetchone()[0]
    assert intake.remove_attachment(world.db, user=user, call_id=world.call_id, attachment_id=aid) == "support.pdf"
    assert intake.my_proposal(world.db, user=user, call_id=world.call_id)["attachments"] == []
    assert not (files_dir(world.db) / stored).exists()
    assert audit_events(world.db, "attachment.removed")[-1]["actor"] == "applicant:lakes"


def test_another_applicant_cannot_remove_the_file(world):
    _, aid = _with_file(world)
    other = world.applicant("hills")
    world.draft(other)
    with pytest.raises(Forbidden):
        intake.remove_attachment(world.db, user=other, call_id=world.call_id, attachment_id=aid)
    assert world.db.execute("SELECT count(*) FROM attachments").fetchone()[0] == 1


def test_a_file_of_a_screened_proposal_stays(world):
    user, aid = _with_file(world)
    intake.submit(world.db, user=user, call_id=world.call_id)
    pid = intake.my_proposal(world.db, user=user, call_id=world.call_id)["id"]
    screening.set_status(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid, status="eligible")
    with pytest.raises(Invalid, match="eligible"):
        intake.remove_attachment(world.db, user=user, call_id=world.call_id, attachment_id=aid)
    assert world.db.execute("SELECT count(*) FROM attachments").fetchone()[0] == 1
