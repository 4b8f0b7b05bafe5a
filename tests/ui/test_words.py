"""The people words every page uses for dates, times, numbers, shares and sizes."""

from __future__ import annotations

import datetime as dt
import re
import tokenize
from pathlib import Path

import pytest
from selection import words



@pytest.mark.parametrize("value", ["2027-03-27", "2027-03-27T16:35:00Z", dt.date(2027, 3, 27),
                                   dt.datetime(2027, 3, 27, 16, 35, tzinfo=dt.UTC)])
def test_a_date_reads_day_month_year(value):
    assert words.date(value) == "27 March 2027"


@pytest.mark.parametrize("value", [None, "", float("nan")])
def test_no_date_is_a_dash_never_none(value):
    assert words.date(value) == "—" and words.moment(value) == "—"


def test_a_moment_is_shown_in_the_readers_time_zone_or_says_utc():
    assert words.moment("2027-03-27T23:35:00Z", "Asia/Tokyo") == "28 March 2027, 08:35"
    assert words.moment("2027-03-27T16:35:00Z", None) == "27 March 2027, 16:35 UTC"
    assert words.moment("2027-03-27T16:35:00Z", "Not/AZone") == "27 March 2027, 16:35 UTC"


def test_numbers_shares_and_sizes():
    assert words.number(72.91666) == "72.9" and words.number(1234567.8, 0) == "1,234,568"
    assert words.number(None) == "—"
    assert words.score(3.0) == "3" and words.score(2.75) == "2.75"
    assert words.percent(0.25) == "25%"
    assert words.weight_shares({"a": 30, "b": 30, "c": 40}) == {"a": "30%", "b": "30%", "c": "40%"}
    assert [words.size(n) for n in (840, 12 * 1024, int(3.4 * 1024 * 1024))] == ["840 bytes", "12 kB", "3.4 MB"]
    assert words.days(1) == "1 day" and words.days(-3) == "3 days"
    assert words.role("member") == "Advisory group member" and words.yes_no(True) == "yes"


def test_whole_percentages_add_up_to_one_hundred():
    from selection.words import whole_percentages

    shares = whole_percentages({"a": 40, "b": 25, "c": 25, "d": 25})
    assert sum(shares.values()) == 100 and shares["a"] == 35 and sorted(shares.values()) == [21, 22, 22, 35]
    assert whole_percentages({"a": 1, "b": 1, "c": 1}) in ({"a": 34, "b": 33, "c": 33}, {"a": 33, "b": 34, "c": 33},
                                                             {"a": 33, "b": 33, "c": 34})
    assert whole_percentages({"a": 0}) == {"a": 0}


def test_a_count_agrees_with_its_noun_in_each_language():
    """A counted message takes the form the reader's language needs: English one/other, Russian three forms."""
    from selection import i18n
    from selection.i18n import ngettext

    def events(n: int, lang: str) -> str:
        with i18n.use(lang):
            return ngettext("{n:,} event", "{n:,} events", n)

    assert [events(n, "en") for n in (1, 2, 0, 1200)] == ["1 event", "2 events", "0 events", "1,200 events"]
    assert [events(n, "fr") for n in (1, 2)] == ["1 événement", "2 événements"]
    assert [events(n, "ru") for n in (1, 3, 5, 21)] == ["1 событие", "3 события", "5 событий", "21 событие"]


def _strings(path: Path):
    with path.open(encoding="utf-8") as f:
        for token in tokenize.generate_tokens(f.readline):
            if token.type == tokenize.STRING:
                yield token.start[0], token.string


def test_no_page_or_message_writes_a_plural_as_s_in_brackets():
    root = Path(__file__).resolve().parents[2]
    found = [f"{path.relative_to(root)}:{n}: {text}" for folder in ("ui", "selection", "reports")
             for path in sorted((root / folder).rglob("*.py")) for n, text in _strings(path)
             if re.search(r"[a-z]\(s\)(?!})", text)]
    assert not found, found
