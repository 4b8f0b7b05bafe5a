"""How a letter words a proposal's standing: its rank (ties said as a reader says them), the thresholds it
missed, the acceptance deadline, a list of slots."""

from __future__ import annotations

import datetime as dt

from reports.layout import num
from selection import queries
from selection.clock import add_months
from selection.models import fmt

NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                "twelve")
ORDINAL_WORDS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh",
                 8: "eighth", 9: "ninth", 10: "tenth"}


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st..."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def count(n: int) -> str:
    """A count in words up to twelve, in figures beyond ("four", "1,204")."""
    return NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else f"{n:,}"


def standing_words(row: dict, of: int, shortlisted: int) -> str:
    """Where a ranked proposal stands, as a letter says it: "ranked 2nd of 6", "jointly third of 6 ...,
    one of four shortlisted" when it shares its rank."""
    rank = int(row["rank"])
    if row["tie"]:
        place = f"jointly {ORDINAL_WORDS.get(rank, ordinal(rank))} of {of}"
    else:
        place = f"{ordinal(rank)} of {of}"
    text = f"ranked {place} with a total of {num(row['total'], 1)} out of 100"
    if row["shortlisted"]:
        text += f", one of {count(shortlisted)} shortlisted"
    return text


def missed_thresholds(row: dict, criteria: list[dict], overall: float | None) -> list[str]:
    """Each threshold a ranked proposal did not reach, named, with its score."""
    out = [f"the threshold of {fmt(c['threshold'])} set for {c['name']} (its score: {num(row[c['id']], 2)})"
           for c in criteria if c["threshold"] is not None and round(row[c["id"]], 6) < round(c["threshold"], 6)]
    if overall is not None and round(row["total"], 6) < round(overall, 6):
        out.append(f"the overall threshold of {fmt(overall)} out of 100 (its total: {num(row['total'], 1)})")
    return out


def acceptance_deadline(selection: dict, letter_date: dt.date) -> tuple[dt.date, dt.date]:
    """(notification date, acceptance deadline): one calendar month after the notification,
    the letter's date standing in for a notification not recorded yet."""
    notified = dt.date.fromisoformat(selection["notified_on"]) if selection.get("notified_on") else letter_date
    return notified, add_months(notified, queries.ACCEPTANCE_MONTHS)


def slot_list(items: list[str], comma: str, last: str, article: str) -> str:
    """"the A", "the A and the B", "the A, the B and the C" (pieces of markup joined)."""
    named = [article + item for item in items]
    return named[0] if len(named) == 1 else comma.join(named[:-1]) + last + named[-1]
