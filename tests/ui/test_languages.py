"""The applicant's side and the sign-in page in the six languages: nothing a person reads bypasses the catalogues
(the pseudo-language finds what does), every page renders in each language, refusals come in the page's
language, and a language chosen while signed in stays with the account."""

from __future__ import annotations

import datetime as dt

import pytest

from selection import accounts, clock, i18n
from selection.services import clarifications
from tests.ui.conftest import account_id, errors, texts
from tests.ui.language_pages import button, open_as, read_texts, stored_text, untranslated

APPLICANT_PAGES = ("my-proposal", "clarifications")


_open, _button = open_as, button


def _assert_translated(at, db, where: str) -> None:
    left = untranslated(read_texts(at), stored_text(db))
    assert not left, f"{where}: text not through the catalogues: {left}"


@pytest.fixture
def newcomer(demo_db, call_open):
    return accounts.register_applicant(demo_db, username="neworg", display_name="New Org", password="a long password")


@pytest.fixture
def asked(demo_db, monkeypatch):
    """The demo applicant, its proposal under assessment, with a clarification request awaiting its answer."""
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2027, 4, 20, 9, 0, tzinfo=dt.UTC))
    pid = demo_db.execute("SELECT p.id FROM proposals p JOIN entities e ON e.call_id = p.call_id AND e.id = "
                          "p.entity_id JOIN accounts a ON a.id = e.account_id WHERE a.username = 'applicant'"
                          ).fetchone()[0]
    secretariat = accounts.get_user(demo_db, account_id(demo_db, "secretariat"))
    clarifications.request(demo_db, user=secretariat, call_id=1, proposal_id=pid, reply_by=dt.date(2027, 5, 4),
                           questions=[{"criterion": "networks", "question": "Which partners signed the letters?"}])
    return pid


def test_signed_out_pages_say_nothing_outside_the_catalogues(demo_db):
    at = _open(demo_db, None, None, i18n.PSEUDO)
    _assert_translated(at, demo_db, "sign-in page")
    _button(at, f"{i18n.PSEUDO_OPEN}Register{i18n.PSEUDO_CLOSE}").click().run()
    assert errors(at)
    _assert_translated(at, demo_db, "sign-in page with a refusal")
    _assert_translated(_open(demo_db, None, "open-calls", i18n.PSEUDO), demo_db, "open calls")


def test_the_applicant_s_pages_say_nothing_outside_the_catalogues_before_and_after_submitting(demo_db, newcomer):
    q = i18n.PSEUDO_OPEN, i18n.PSEUDO_CLOSE
    for path in APPLICANT_PAGES:
        _assert_translated(_open(demo_db, "neworg", path, i18n.PSEUDO), demo_db, f"{path}, first visit")
    at = _open(demo_db, "neworg", "my-proposal", i18n.PSEUDO)
    _button(at, f"{q[0]}Save and submit the proposal{q[1]}").click().run()
    assert errors(at)
    _assert_translated(at, demo_db, "my-proposal with a refusal")
    next(t for t in at.text_input if t.label == f"{q[0]}Legal name of the organisation{q[1]}").input("Sahel Institute")
    _button(at, f"{q[0]}Save the profile{q[1]}").click().run()
    next(m for m in at.multiselect).set_value(["africa"])
    for area in at.text_area:
        area.input("Ten years of regional cooperation.")
    _button(at, f"{q[0]}Save and submit the proposal{q[1]}").click().run()
    assert not errors(at), errors(at)
    _assert_translated(at, demo_db, "my-proposal, submitted")


def test_a_clarification_request_and_its_refusal_say_nothing_outside_the_catalogues(demo_db, asked):
    _assert_translated(_open(demo_db, "applicant", "my-proposal", i18n.PSEUDO), demo_db, "my-proposal, asked")
    at = _open(demo_db, "applicant", "clarifications", i18n.PSEUDO)
    _assert_translated(at, demo_db, "clarifications")
    _button(at, f"{i18n.PSEUDO_OPEN}Send my answers{i18n.PSEUDO_CLOSE}").click().run()
    assert errors(at)
    _assert_translated(at, demo_db, "clarifications with a refusal")


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_every_page_of_the_applicant_s_side_renders_in_each_language(demo_db, newcomer, lang):
    for username, path in ((None, None), (None, "open-calls"), *(("neworg", p) for p in APPLICANT_PAGES)):
        at = _open(demo_db, username, path, lang)
        assert at.title, (lang, path)


def test_a_refusal_comes_in_the_page_s_language(demo_db, newcomer):
    at = _open(demo_db, "neworg", "my-proposal", "fr")
    assert at.title[0].value == "Ma proposition"
    _button(at, "Enregistrer et soumettre la proposition").click().run()
    assert "veuillez d'abord enregistrer le profil de votre organisation" in errors(at)
    at = _open(demo_db, None, None, "ru")
    _button(at, "Зарегистрироваться").click().run()
    assert "Имя пользователя: от 3 до 100 букв" in errors(at)


def test_arabic_pages_are_marked_right_to_left_and_english_ones_left_to_right(demo_db):
    scripts = "\n".join(str(h.proto.body) for h in _open(demo_db, None, None, "ar").get("html"))
    assert '"dir": "rtl"' in scripts and "text-align: right" in scripts
    scripts = "\n".join(str(h.proto.body) for h in _open(demo_db, None, None, "en").get("html"))
    assert '"dir": "ltr"' in scripts and "text-align: right" not in scripts


def test_a_language_chosen_while_signed_in_stays_with_the_account(demo_db, newcomer):
    at = _open(demo_db, "neworg", "my-proposal")
    assert at.title[0].value == "My proposal"
    at.selectbox(key="language_select").set_value("zh").run()
    assert at.title[0].value == "我的提案"
    assert accounts.get_user(demo_db, newcomer.id).language == "zh"
    assert _open(demo_db, "neworg", "my-proposal").title[0].value == "我的提案"  # a new session opens in it


def test_the_language_chosen_before_signing_in_is_used_on_the_sign_in_page(demo_db):
    at = _open(demo_db, None, None)
    at.selectbox(key="language_signin").set_value("es").run()
    assert at.title[0].value == "Selección de entidades anfitrionas"
    assert at.query_params["lang"] == "es"


def test_the_finder_names_english_left_outside_the_catalogues_but_not_data_or_marked_text():
    marked = f"{i18n.PSEUDO_OPEN}Save the draft{i18n.PSEUDO_CLOSE}"
    assert untranslated(["Save the draft", marked, f"{marked} Sahel Institute"], ["Sahel Institute"]) == [
        "Save the draft"]
    assert untranslated([f"{i18n.PSEUDO_OPEN}Status: {marked}{i18n.PSEUDO_CLOSE} — 27 March 2027"], []) == []


def test_open_calls_say_who_may_apply_and_read_in_the_reader_s_language(demo_db):
    """Before registering, an institution reads the eligibility conditions; a translated title comes in French,
    and what is not translated is said to be in the call's own language."""
    from selection import content
    from selection.services import eligibility

    sec = accounts.get_user(demo_db, account_id(demo_db, "secretariat"))
    eligibility.save_conditions(demo_db, user=sec, call_id=1,
                                items=[{"id": None, "text": "The institution is established in a Party"}])
    content.set_texts(demo_db, user=sec, call_id=1, lang="fr", texts={("call", "", "title"): "Appel aux hôtes"})
    english = texts(_open(demo_db, None, "open-calls"))
    assert "Who may apply" in english and "The institution is established in a Party" in english
    french = _open(demo_db, None, "open-calls", "fr")
    assert french.header[0].value == "Appel aux hôtes"
    assert "la langue dans laquelle il a été rédigé" in texts(french)


def test_registering_says_the_account_is_created_and_what_comes_next_in_the_page_s_language(demo_db):
    at = _open(demo_db, None, None, "es")
    for key, value in (("rg_name", "Ana Pérez"), ("rg_user", "ana.perez"), ("rg_pass", "a long enough passphrase 42")):
        at.text_input(key=key).input(value)
    _button(at, "Registrarse").click().run()
    assert "Su cuenta ha sido creada y ha iniciado sesión como ana.perez" in texts(at)
