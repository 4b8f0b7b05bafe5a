"""The per-call document settings: stored through the service, defaults for what is left blank,
refusals that name the field by its label, and an audit event with old and new values."""

from __future__ import annotations

import pytest

from selection import audit, queries
from selection.errors import Forbidden, Invalid
from selection.models import Role
from selection.permissions import User
from selection.report_queries import DocumentSettings, country_name, document_settings
from selection.services import documents
from tests.reports.conftest import STAFF

MEMBER = User(id=9, username="m", display_name="Member", role=Role.MEMBER)


@pytest.fixture
def call_id(six_db):
    return queries.resolve_call(six_db, None)["id"]


def test_defaults_before_anything_is_set(six_db, call_id):
    s = document_settings(six_db, call_id)
    assert s == DocumentSettings()
    assert (s.distribution.value, s.original_language, s.signatory_title, s.symbol) == (
        "Restricted", "English", "Executive Secretary", None)


def test_saved_settings_are_read_back_and_blanks_take_the_default(six_db, call_id):
    documents.save_document_settings(six_db, user=STAFF, call_id=call_id, data={
        "symbol": "  CBD/SBSTTA/TSC/2027/1 ", "distribution": "Limited", "original_language": "",
        "signatory_name": "Astrid Schomaker", "letter_reference": "SCBD/TSC/2027"})
    s = document_settings(six_db, call_id)
    assert s.symbol == "CBD/SBSTTA/TSC/2027/1" and s.distribution.value == "Limited"
    assert s.original_language == "English"  # left blank: the default
    assert s.signatory_name == "Astrid Schomaker" and s.letter_reference == "SCBD/TSC/2027"
    event = audit.events(six_db, action_prefix="call.documents_set")[-1]
    assert event["old"]["symbol"] is None
    assert event["new"]["symbol"] == "CBD/SBSTTA/TSC/2027/1"


@pytest.mark.parametrize(("data", "label", "words"), [
    ({"distribution": "Secret"}, "Distribution", "choose Restricted, Limited, General"),
    ({"symbol": "CBD\u202e/1"}, "Document symbol", "on one line"),
    ({"signatory_title": "x" * 201}, "Signatory's title", "at most 200 characters"),
    ({"colour": "red"}, "colour", "is not a document setting"),
])
def test_bad_settings_are_refused_naming_the_field_and_nothing_is_stored(six_db, call_id, data, label, words):
    with pytest.raises(Invalid) as refused:
        documents.save_document_settings(six_db, user=STAFF, call_id=call_id, data=data)
    assert refused.value.field == label and words in refused.value.message
    assert six_db.execute("SELECT count(*) FROM document_settings").fetchone()[0] == 0


def test_only_the_secretariat_sets_them(six_db, call_id):
    with pytest.raises(Forbidden):
        documents.save_document_settings(six_db, user=MEMBER, call_id=call_id, data={"symbol": "X"})


@pytest.mark.parametrize(("code", "name"), [("PH", "Philippines"), ("cr", "Costa Rica"), ("BOL", "Bolivia"),
                                             ("Kenya", "Kenya"), (None, ""), ("", "")])
def test_country_names(code, name):
    assert country_name(code) == name
