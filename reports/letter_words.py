"""How a letter words a proposal's standing: its rank (ties said as a reader says them), the thresholds it
missed, the acceptance deadline; in the reader's language."""

from __future__ import annotations

import datetime as dt

from reports.wording import figure
from selection import i18n, queries
from selection.clock import add_months
from selection.i18n import _
from selection.models import fmt

# How each language writes a rank as a place ("2nd", "2e", "2.º", "2-е", "第2"); Arabic writes the figure.
PLACES = {"fr": lambda n: "1er" if n == 1 else f"{n}e", "es": lambda n: f"{n}.º", "ru": lambda n: f"{n}-е",
          "zh": lambda n: f"第{n}", "ar": str}
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                "twelve")
ORDINAL_WORDS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh",
                 8: "eighth", 9: "ninth", 10: "tenth"}


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st..."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def count(n: int) -> str:
    """A count in words up to twelve, in figures beyond ("four", "1,204"); in figures in other languages."""
    if i18n.language() in (i18n.DEFAULT, i18n.PSEUDO):
        return NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else f"{n:,}"
    return figure(n, 0)


def place(rank: int, *, tied: bool = False) -> str:
    """A rank as the reader's language writes a place: "2nd" (a tie: "third") in English, "2e" in French."""
    if i18n.language() in (i18n.DEFAULT, i18n.PSEUDO):
        return ORDINAL_WORDS.get(rank, ordinal(rank)) if tied else ordinal(rank)
    return PLACES[i18n.language()](rank)


def standing_words(row: dict, of: int, shortlisted: int) -> str:
    """Where a ranked proposal stands, as a letter says it: "ranked 2nd of 6", "jointly third of 6 ...,
    one of four shortlisted" when it shares its rank."""
    rank, total, among = int(row["rank"]), figure(row["total"], 1), figure(of, 0)
    if row["tie"]:
        text = _("ranked jointly {place} of {of} with a total of {total} out of 100",
                 place=place(rank, tied=True), of=among, total=total)
    else:
        text = _("ranked {place} of {of} with a total of {total} out of 100", place=place(rank), of=among,
                 total=total)
    if row["shortlisted"]:
        text += _(", one of {count} shortlisted", count=count(shortlisted))
    return text


def missed_thresholds(row: dict, criteria: list[dict], overall: float | None) -> list[str]:
    """Each threshold a ranked proposal did not reach, named, with its score."""
    out = [_("the threshold of {threshold} set for {criterion} (its score: {score})", threshold=fmt(c["threshold"]),
             criterion=c["name"], score=figure(row[c["id"]], 2))
           for c in criteria if c["threshold"] is not None and round(row[c["id"]], 6) < round(c["threshold"], 6)]
    if overall is not None and round(row["total"], 6) < round(overall, 6):
        out.append(_("the overall threshold of {threshold} out of 100 (its total: {total})", threshold=fmt(overall),
                     total=figure(row["total"], 1)))
    return out


def not_reached(missed: list[str]) -> str:
    """The sentence naming the thresholds missed ("It did not reach ...; nor ..., so it could not be shortlisted.")."""
    return _("It did not reach {thresholds}, so it could not be shortlisted.", thresholds=_("; nor ").join(missed))


def acceptance_deadline(selection: dict, letter_date: dt.date) -> tuple[dt.date, dt.date]:
    """(notification date, acceptance deadline): one calendar month after the notification,
    the letter's date standing in for a notification not recorded yet."""
    notified = dt.date.fromisoformat(selection["notified_on"]) if selection.get("notified_on") else letter_date
    return notified, add_months(notified, queries.ACCEPTANCE_MONTHS)

