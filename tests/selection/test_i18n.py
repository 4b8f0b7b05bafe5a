"""The translation function and its catalogues: every marked message translated in all six languages."""

from __future__ import annotations

import pytest

from selection import catalogues, i18n, words

OTHER_LANGUAGES = [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT]


@pytest.fixture(scope="module")
def marked():
    return catalogues.extracted()


def test_the_code_marks_messages_for_translation(marked):
    assert ("{n} day", "{n} days") in marked
    assert "Advisory group member" in marked


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_every_marked_message_is_translated_with_the_same_placeholders(lang, marked):
    assert catalogues.problems(lang, marked) == []


def test_the_check_finds_a_missing_translation_a_renamed_placeholder_and_english_left_as_is(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(catalogues, "LOCALE_DIR", tmp_path)
    catalogues.write("t", "fr", {"Saved {count} scores": "{nombre} notes enregistrées", "Proposals": "Proposals"})
    found = catalogues.problems("fr", {"Saved {count} scores": ["x.py:1"], "Proposals": ["x.py:2"],
                                       "Withdraw": ["x.py:3"]})
    assert any("placeholders" in line and "nombre" in line for line in found)
    assert any("'Proposals' is left in English" in line for line in found)
    assert any("no translation of 'Withdraw'" in line for line in found)


def test_the_check_finds_a_message_two_areas_translate_differently(tmp_path, monkeypatch):
    """Which area's file loads first would decide the word: the page says one thing, the letter another."""
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(catalogues, "LOCALE_DIR", tmp_path)
    catalogues.write("decision", "fr", {"Slot": "Poste"})
    catalogues.write("setup", "fr", {"Slot": "Centre"})
    assert catalogues.problems("fr", {"Slot": ["x.py:1"]}) == [
        "fr: 'Slot' is 'Poste' in decision but 'Centre' in setup"]


def test_a_language_is_negotiated_from_a_choice_a_query_parameter_or_the_browser():
    assert i18n.negotiate(None, "fr-CA") == "fr"
    assert i18n.negotiate("", "xx", "AR") == "ar"
    assert i18n.negotiate("de-DE") == "en"
    assert i18n.negotiate("zh-Hans-CN") == "zh"


def test_use_writes_inside_in_the_language_and_goes_back():
    with i18n.use("ru"):
        assert words.role("member") == "Член консультативной группы"
        with i18n.use("zh"):
            assert words.role("bureau") == "主席团成员"
        assert i18n.language() == "ru"
    assert words.role("member") == "Advisory group member"


@pytest.mark.parametrize("n, expected", [(0, "0 يوم"), (1, "يوم واحد"), (2, "يومان"), (5, "5 أيام"), (11, "11 يومًا"),
                                         (100, "100 يوم")])
def test_arabic_counts_take_their_six_plural_forms(n, expected):
    with i18n.use("ar"):
        assert words.days(n) == expected


@pytest.mark.parametrize("n, expected", [(1, "1 день"), (3, "3 дня"), (5, "5 дней"), (11, "11 дней"), (21, "21 день")])
def test_russian_counts_take_their_three_plural_forms(n, expected):
    with i18n.use("ru"):
        assert words.days(n) == expected


@pytest.mark.parametrize("lang, expected", [("en", "27 March 2027"), ("fr", "27 mars 2027"), ("es", "27 de marzo de 2027"),
                                            ("ru", "27 марта 2027\u202fг."), ("zh", "2027年3月27日"), ("ar", "27 مارس 2027")])
def test_dates_are_written_in_each_language_s_long_form(lang, expected):
    with i18n.use(lang):
        assert words.date("2027-03-27") == expected


def test_numbers_follow_the_language_s_separators():
    assert words.number(12345.67) == "12,345.7"
    with i18n.use("fr"):
        assert words.number(12345.67).replace("\u202f", " ").replace("\xa0", " ") == "12 345,7"
    with i18n.use("es"):
        assert words.number(12345.67) == "12.345,7"


def test_the_pseudo_language_marks_every_translated_message():
    with i18n.use(i18n.PSEUDO):
        assert words.days(3) == "⟦3 days⟧"


def test_arabic_reads_right_to_left_and_the_others_left_to_right():
    assert i18n.direction("ar") == "rtl"
    assert {i18n.direction(lang) for lang in i18n.LANGUAGES if lang != "ar"} == {"ltr"}


ARABIC_NAME = "مركز الواحات (OOCBS)"


def test_a_name_in_arabic_keeps_its_direction_inside_an_english_sentence_and_a_latin_one_needs_nothing():
    with i18n.use("en"):
        assert i18n.isolate(ARABIC_NAME) == f"\u2068{ARABIC_NAME}\u2069"
        assert i18n.isolate("Institut des Lagunes") == "Institut des Lagunes"
    with i18n.use("ar"):
        assert i18n.isolate("Institut des Lagunes") == "\u2068Institut des Lagunes\u2069"


def test_an_arabic_name_standing_alone_on_a_left_to_right_page_is_laid_out_left_to_right():
    """A table cell or a picker's option: the acronym stays on the right and a long name is cut at its end."""
    with i18n.use("fr"):
        assert i18n.in_page_direction(ARABIC_NAME) == "\u200e" + ARABIC_NAME
        assert i18n.in_page_direction("Institut des Lagunes (IDL)") == "Institut des Lagunes (IDL)"
    with i18n.use("ar"):
        assert i18n.in_page_direction(ARABIC_NAME) == ARABIC_NAME


def test_country_names_are_given_in_the_reader_s_language():
    from selection import countries, report_queries

    assert countries.name("SA") == "Saudi Arabia"
    with i18n.use("zh"):
        assert countries.name("SA") == "沙特阿拉伯"
        assert report_queries.country_name("PHL") == "菲律宾"
    with i18n.use("fr"):
        assert list(countries.names().values())[:2] == ["Afghanistan", "Afrique du Sud"]


def test_an_account_keeps_its_language_and_refuses_one_the_tool_does_not_speak(tmp_path):
    from selection import accounts, store
    from selection.errors import Invalid

    db = store.connect(tmp_path / "t.db")
    user = accounts.create_first_secretariat(db, username="officer", display_name="Officer",
                                             password="a long enough passphrase 42")
    assert user.language is None
    assert accounts.set_language(db, user=user, language="ar-EG").language == "ar"
    assert accounts.get_user(db, user.id).language == "ar"
    with pytest.raises(Invalid):
        accounts.set_language(db, user=user, language="de")


def test_an_entity_s_letters_follow_its_own_choice_then_its_account_then_english(db, example_bundle):
    from selection import bundle, report_queries

    call_id = bundle.store(db, example_bundle, actor="test")
    first, second = [e.id for e in example_bundle.entities[:2]]
    assert report_queries.recipient_language(db, call_id, first) == "en"
    db.execute("INSERT INTO accounts (username, display_name, role, created_at, language) "
               "VALUES ('inst', 'Institute', 'applicant', '2027-01-01', 'fr')")
    account = db.execute("SELECT id FROM accounts WHERE username = 'inst'").fetchone()[0]
    db.execute("UPDATE entities SET account_id = ? WHERE call_id = ? AND id IN (?, ?)", [account, call_id, first, second])
    db.execute("UPDATE entities SET language = 'zh' WHERE call_id = ? AND id = ?", [call_id, second])
    assert report_queries.recipient_language(db, call_id, first) == "fr"
    assert report_queries.recipient_language(db, call_id, second) == "zh"


@pytest.mark.parametrize("lang", catalogues.CHECKED_LANGUAGES)
def test_the_procedure_s_terms_are_the_glossary_s_in_every_catalogue(lang):
    assert catalogues.glossary_problems(lang) == []


def test_the_glossary_check_finds_a_term_translated_another_way(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(catalogues, "LOCALE_DIR", tmp_path)
    (tmp_path / "GLOSSARY.md").write_text((catalogues.ROOT / "selection/locale/GLOSSARY.md").read_text("utf-8"), "utf-8")
    catalogues.write("t", "zh", {"The host agreement is signed.": "东道国协定已签署。",
                                 "Ask the Bureau for advice.": "请主席团提出意见。"})
    assert catalogues.glossary_problems("zh") == ["zh: '东道国协定已签署。' names 'host agreement' without '东道方协议' (glossary)"]
