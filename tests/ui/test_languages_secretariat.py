"""The secretariat's pages in the six languages: nothing a person reads bypasses the catalogues (the pseudo-language
finds what does), every page renders in each language, and a refusal names its fields in the page's language."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from selection import accounts, i18n
from selection.report_queries import DocumentSettings
from selection.services import calls as call_service
from tests.ui.conftest import APP, account_id, errors, signed_in
from tests.ui.language_pages import button, marked, open_as, read_texts, stored_text, untranslated

SECRETARIAT_PAGES = ("dashboard", "call", "questions", "proposals", "assignment", "clarifications", "people")


@pytest.fixture(autouse=True)
def _test_reads_in_pseudo():
    """AppTest calls a widget's format function in the test's thread, outside the page run that set the
    language: the test reads in the language its pages run in (each test sets its own)."""
    with i18n.use(i18n.PSEUDO):
        yield


def _open(db, username: str, path: str, lang: str, tab: str | None = None) -> AppTest:
    i18n.set_language(lang)
    return open_as(db, username, path, lang, **({} if tab is None else {"call_setup:tab": tab}))


_button = button


def _document_defaults() -> list[str]:
    """The document settings' defaults, shown as the placeholders of blank settings: printed as they are."""
    return [v for v in DocumentSettings().model_dump(mode="json").values() if isinstance(v, str)]


def _assert_translated(at, db, where: str) -> None:
    # each language is named in itself where the secretariat picks one to translate the call into
    left = untranslated(read_texts(at), [*stored_text(db), *_document_defaults(), *i18n.LANGUAGES.values()])
    assert not left, f"{where}: text not through the catalogues: {left}"


def test_the_secretariat_s_pages_say_nothing_outside_the_catalogues(demo_db):
    for path in SECRETARIAT_PAGES:
        _assert_translated(_open(demo_db, "secretariat", path, i18n.PSEUDO), demo_db, path)


def _publishing_a_draft(db) -> AppTest:
    """A draft call on the edit tab, its publication asked for: the confirmation and what applicants will see."""
    sec = accounts.get_user(db, account_id(db, "secretariat"))
    call_service.create_call(db, user=sec, data={**call_service.call_form_data(db, 1), "reference": "TSC-DRAFT"})
    at = AppTest.from_file(APP, default_timeout=60)
    signed_in(at, db, "secretariat")
    at.session_state["goto"] = "call"
    at.session_state["call_ref"] = "TSC-DRAFT"
    at.session_state["call_setup:tab"] = marked("Edit the chosen call")
    at.query_params["lang"] = i18n.PSEUDO
    at.run()
    _button(at, marked("Publish the call…")).click().run()
    assert not at.exception and any(e.label == marked("What applicants will see") for e in at.expander)
    return at


def test_call_set_up_says_nothing_outside_the_catalogues_on_both_tabs_and_with_a_refusal(demo_db):
    at = _open(demo_db, "secretariat", "call", i18n.PSEUDO, tab=marked("Edit the chosen call"))
    assert at.expander, "the edit tab shows its slots and criteria"
    _assert_translated(at, demo_db, "call set-up, edit tab")
    _assert_translated(_publishing_a_draft(demo_db), demo_db, "call set-up, publishing a draft")
    at = _open(demo_db, "secretariat", "call", i18n.PSEUDO, tab=marked("New call"))
    _assert_translated(at, demo_db, "call set-up, new call")
    at.date_input(key="new_call:date:notified_on").set_value(dt.date(2027, 3, 1))
    at.date_input(key="new_call:date:inquiry_deadline").set_value(dt.date(2027, 2, 1))
    _button(at, marked("Add a slot")).click().run()
    _button(at, marked("Save the call")).click().run()
    assert errors(at)
    _assert_translated(at, demo_db, "call set-up, new call refused")


def test_proposals_say_nothing_outside_the_catalogues_with_a_proposal_picked(demo_db):
    at = _open(demo_db, "secretariat", "proposals", i18n.PSEUDO)
    at.multiselect(key="picked").set_value(["p-kessoua"]).run()
    assert [t.label for t in at.tabs] == [marked("Read"), marked("Screen"), marked("Assign")]
    _assert_translated(at, demo_db, "proposals, one picked")
    at.multiselect(key="picked").set_value(["p-kessoua", "p-fjords"]).run()
    _assert_translated(at, demo_db, "proposals, two picked")


def test_people_say_nothing_outside_the_catalogues_with_a_refusal(demo_db):
    at = _open(demo_db, "secretariat", "people", i18n.PSEUDO)
    _button(at, marked("Create an invitation code")).click().run()
    assert errors(at)
    _assert_translated(at, demo_db, "people, invitation refused")


def test_review_preferences_say_nothing_outside_the_catalogues(demo_db):
    _assert_translated(_open(demo_db, "member1", "preferences", i18n.PSEUDO), demo_db, "review preferences")


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_every_page_of_the_secretariat_renders_in_each_language(demo_db, lang):
    for path in SECRETARIAT_PAGES:
        assert _open(demo_db, "secretariat", path, lang).title, (lang, path)
    i18n.set_language(lang)
    assert _open(demo_db, "secretariat", "call", lang, tab=i18n.gettext("New call")).expander
    assert _open(demo_db, "member1", "preferences", lang).title


def test_a_call_with_dates_out_of_order_is_refused_in_french_naming_the_french_labels(demo_db):
    i18n.set_language("fr")
    at = _open(demo_db, "secretariat", "call", "fr", tab=i18n.gettext("New call"))
    assert at.title[0].value == "Préparation de l'appel"
    at.text_input(key="new_call:reference").input("TSC-FR-1")
    at.text_input(key="new_call:title").input("Appel à accueillir")
    for name, day in zip(call_service.DATE_FIELDS, ("2027-01-10", "2027-02-01", "2027-01-20", "2027-04-01",
                                                    "2027-05-01")):
        at.date_input(key=f"new_call:date:{name}").set_value(dt.date.fromisoformat(day))
    _button(at, "Enregistrer l'appel").click().run()
    shown = errors(at)
    assert "L'appel n'a pas été enregistré : 1 problème à corriger" in shown
    assert "Propositions jusqu'au (20 janvier 2027) précède Questions jusqu'au (1 février 2027)" in shown, shown
    assert demo_db.execute("SELECT count(*) FROM calls").fetchone()[0] == 1


def test_a_refusal_on_people_comes_in_spanish(demo_db):
    at = _open(demo_db, "secretariat", "people", "es")
    _button(at, "Crear un código de invitación").click().run()
    assert "Nombre: indique el nombre de la persona" in errors(at), errors(at)
