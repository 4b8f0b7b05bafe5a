"""The report page: the report's language chosen there (the page's by default), when the PDF shown was made,
making it again, and every word of the page in the page's language."""

from __future__ import annotations

import datetime as dt

from selection import clock, i18n, words
from tests.reports.conftest import pdf_text
from tests.ui.conftest import texts
from tests.ui.language_pages import read_texts, stored_text, untranslated
from tests.ui.test_languages import _button, _open

MADE = dt.datetime(2027, 4, 20, 9, 30, tzinfo=dt.UTC)


def _language(at):
    return at.selectbox(key="report_language_select")


def test_the_report_s_language_follows_the_page_then_the_choice(demo_db, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: MADE)
    at = _open(demo_db, "secretariat", "report", "fr")
    assert _language(at).value == "fr"  # the page's language by default
    _language(at).set_value("es").run()
    _button(at, "Établir le rapport").click().run()
    assert not at.exception, [e.value for e in at.exception]
    reference, lang, pdf, made = at.session_state["report_pdf"]
    assert (reference, lang, made) == ("TSC-HOST-DEMO-2027", "es", MADE)
    assert "Informe de evaluación" in pdf_text(pdf) and "Rapport d'évaluation" not in pdf_text(pdf)


def test_the_page_says_when_the_pdf_was_made_and_makes_it_again(demo_db, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: MADE)
    at = _open(demo_db, "secretariat", "report")
    assert _language(at).value == "en"
    assert "was made on" not in texts(at)
    _button(at, "Generate the report").click().run()
    with i18n.use("en"):
        made = words.moment(MADE, None)
    assert f"This PDF, in English, was made on {made}." in texts(at)
    assert "T09:30" not in texts(at)  # a reader's date and time, never an ISO timestamp
    later = MADE + dt.timedelta(minutes=10)  # within the idle limit: the person stays signed in
    monkeypatch.setattr(clock, "now", lambda: later)
    _button(at, "Make the report again").click().run()
    assert at.session_state["report_pdf"][3] == later
    with i18n.use("en"):
        assert f"was made on {words.moment(later, None)}." in texts(at)


def test_a_report_in_another_language_is_offered_to_be_made_not_shown_as_made(demo_db):
    at = _open(demo_db, "secretariat", "report")
    _button(at, "Generate the report").click().run()
    _language(at).set_value("ar").run()
    assert "was made on" not in texts(at)
    assert not [b for b in at.button if b.label == "Make the report again"]
    assert [b for b in at.button if b.label == "Generate the report"]


def test_every_word_of_the_report_page_comes_through_the_catalogues(demo_db):
    at = _open(demo_db, "secretariat", "report", i18n.PSEUDO)
    _button(at, f"{i18n.PSEUDO_OPEN}Generate the report{i18n.PSEUDO_CLOSE}").click().run()
    assert untranslated(read_texts(at), stored_text(demo_db)) == []
