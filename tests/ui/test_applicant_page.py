"""The applicant's page: the call's requirements first, the whole profile, one-click submission,
files removed, withdrawal with a confirmation, a receipt with a readable date."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from selection import accounts
from selection.services import eligibility, intake
from tests.pdf_files import one_page_pdf
from tests.ui.conftest import errors, texts


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def _field(widgets, label):
    return next(w for w in widgets if w.label == label)


@pytest.fixture
def newcomer(demo_db, call_open):
    return accounts.register_applicant(demo_db, username="neworg", display_name="New Org",
                                       password="a long password")


def _fill_profile(at, name="Sahel Biodiversity Institute"):
    _field(at.text_input, "Legal name of the organisation").input(name)
    _field(at.selectbox, "Country").set_value("SA")
    _field(at.text_input, "Head of the institution").input("Dr Aminata Diallo")
    _field(at.text_input, "Contact person").input("Moussa Ndiaye")
    _field(at.text_input, "Contact telephone").input("+221 33 123 45 67")
    _field(at.text_area, "Consortium partners, if any (one per line)").input("Réseau sahélien\nUniversité de Dakar")
    _button(at, "Save the profile").click().run()


def _fill_proposal(at):
    _field(at.multiselect, "Centres you wish to host").set_value(["africa"])
    _field(at.text_area, "Statement of interest").input("We wish to host the African centre.")
    for area in at.text_area:
        if area.key and area.key.startswith("sec_"):
            area.input("Ten years of regional cooperation.")


def test_first_visit_shows_who_may_apply_what_to_send_and_every_section(open_as, demo_db, newcomer):
    eligibility.save_conditions(demo_db, user=_secretariat(demo_db), call_id=1,
                                items=[{"text": "A legal entity with at least three years of audited accounts"}])
    at = open_as("neworg", "my-proposal")
    page = texts(at)
    assert "A legal entity with at least three years of audited accounts" in page
    deadline = dt.date.fromisoformat(demo_db.execute("SELECT submission_deadline FROM calls").fetchone()[0])
    assert "☐ A statement of interest" in page and f"{deadline.day} {deadline:%B %Y}" in page
    for heading in ("1. Your organisation", "2. Expression of interest", "3. Detailed proposal",
                    "4. Supporting documents (PDF)", "5. Withdraw"):
        assert heading in page


def test_country_is_chosen_by_name_and_stored_as_its_code_with_the_whole_profile(open_as, demo_db, newcomer):
    at = open_as("neworg", "my-proposal")
    assert _field(at.selectbox, "Country").format_func("SA") == "Saudi Arabia"
    _fill_profile(at)
    assert "Profile saved." in texts(at)
    country, profile = demo_db.execute("SELECT country, profile FROM entities WHERE account_id = ?",
                                       [newcomer.id]).fetchone()
    assert country == "SA"
    assert json.loads(profile)["partners"] == ["Réseau sahélien", "Université de Dakar"]
    assert _field(at.selectbox, "Country").value == "SA"


def test_a_wrong_telephone_is_refused_naming_the_field_as_on_screen(open_as, newcomer):
    at = open_as("neworg", "my-proposal")
    _field(at.text_input, "Legal name of the organisation").input("Sahel Institute")
    _field(at.text_input, "Contact telephone").input("ring the front desk")
    _button(at, "Save the profile").click().run()
    assert "Contact telephone — a telephone number" in errors(at)


def test_text_typed_and_submitted_in_one_click_is_what_is_sent(open_as, demo_db, newcomer, call_open):
    at = open_as("neworg", "my-proposal")
    _fill_profile(at)
    _fill_proposal(at)
    _button(at, "Save and submit the proposal").click().run()
    page = texts(at)
    assert "Proposal submitted. Your receipt:" in page
    assert "Submitted — being screened by the secretariat" in page and "Draft — not yet submitted" not in page
    assert f"submitted on {call_open.day} {call_open:%B %Y}, {call_open:%H:%M} UTC" in page
    statement = demo_db.execute("SELECT statement FROM proposals WHERE id = 'p-neworg'").fetchone()[0]
    assert statement == "We wish to host the African centre."



def test_an_attached_file_can_be_removed(open_as, demo_db, newcomer):
    at = open_as("neworg", "my-proposal")
    _fill_profile(at)
    _fill_proposal(at)
    _button(at, "Save the draft").click().run()
    assert "Draft saved." in texts(at)
    intake.add_attachment(demo_db, user=newcomer, call_id=1, filename="support.pdf", data=one_page_pdf())
    at.run()
    _button(at, "Remove").click().run()
    assert "Remove support.pdf from your proposal?" in texts(at)
    _button(at, "Keep it").click().run()
    assert demo_db.execute("SELECT count(*) FROM attachments").fetchone()[0] == 1
    _button(at, "Remove").click().run()
    _button(at, "Yes, remove it").click().run()
    assert "Removed support.pdf." in texts(at)
    assert demo_db.execute("SELECT count(*) FROM attachments").fetchone()[0] == 0
    assert not [b for b in at.button if b.label == "Remove"]


def test_a_file_change_after_submitting_says_the_receipt_is_renewed(open_as, demo_db, newcomer, monkeypatch):
    """The walk saw the receipt number change silently when a file was removed after submitting."""
    import datetime as dt

    from selection import clock
    at = open_as("neworg", "my-proposal")
    _fill_profile(at)
    _fill_proposal(at)
    _button(at, "Save the draft").click().run()
    intake.add_attachment(demo_db, user=newcomer, call_id=1, filename="support.pdf", data=one_page_pdf())
    at.run()
    _button(at, "Save and submit the proposal").click().run()
    first = demo_db.execute("SELECT receipt FROM proposals WHERE id = 'p-neworg'").fetchone()[0]
    later = clock.now() + dt.timedelta(minutes=5)
    monkeypatch.setattr(clock, "now", lambda: later)
    _button(at, "Remove").click().run()
    _button(at, "Yes, remove it").click().run()
    second = demo_db.execute("SELECT receipt FROM proposals WHERE id = 'p-neworg'").fetchone()[0]
    assert second != first
    said = texts(at)
    assert f"Its receipt is now {second}; it replaces {first}, which no longer matches the files sent." in said
    assert f"Receipt {second} — submitted on" in said and "renewed on" in said


def test_withdrawal_asks_for_a_confirmation_first(open_as, demo_db, newcomer):
    at = open_as("neworg", "my-proposal")
    _fill_profile(at)
    _fill_proposal(at)
    _button(at, "Save and submit the proposal").click().run()
    _field(at.text_input, "Why you withdraw (the secretariat reads this)").input("We merged with another institute.")
    _button(at, "Withdraw the proposal").click().run()
    assert "Tick the box to confirm" in errors(at)
    assert demo_db.execute("SELECT status FROM proposals WHERE id = 'p-neworg'").fetchone()[0] == "submitted"
    next(c for c in at.checkbox if c.label.startswith("Yes, withdraw")).check()
    _button(at, "Withdraw the proposal").click().run()
    assert "Your proposal is withdrawn." in texts(at)
    assert demo_db.execute("SELECT status FROM proposals WHERE id = 'p-neworg'").fetchone()[0] == "withdrawn"


def _secretariat(db):
    from tests.ui.conftest import account_id

    return accounts.get_user(db, account_id(db, "secretariat"))


def test_kinds_of_organisation_read_as_capitalised_words(open_as, newcomer):
    at = open_as("neworg", "my-proposal")
    kinds = _field(at.selectbox, "Kind of organisation").options
    assert kinds == ["Intergovernmental organisation", "Research institute", "University",
                     "Non-governmental organisation", "Government agency", "Other"]
