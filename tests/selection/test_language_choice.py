"""Which language a page opens in: the link's ?lang=, else the choice made in this session, else the account's,
else the browser's, else English."""

from __future__ import annotations

import pytest

from selection import i18n


@pytest.mark.parametrize("given, expected", [
    ({"query": "fr", "chosen": "ar", "account": "zh", "browser": "ru-RU"}, "fr"),
    ({"query": None, "chosen": "ar", "account": "zh", "browser": "ru-RU"}, "ar"),
    ({"query": None, "chosen": None, "account": "zh", "browser": "ru-RU"}, "zh"),
    ({"query": None, "chosen": None, "account": None, "browser": "ru-RU"}, "ru"),
    ({"query": None, "chosen": None, "account": None, "browser": None}, "en"),
    ({"query": "de", "chosen": None, "account": None, "browser": "es-MX"}, "es"),  # one it does not speak is skipped
    ({"query": "", "chosen": "", "account": None, "browser": "de-DE"}, "en"),
])
def test_the_link_wins_then_the_choice_then_the_account_then_the_browser_then_english(given, expected):
    assert i18n.choose(**given) == expected
