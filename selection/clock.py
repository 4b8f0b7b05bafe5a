"""Today and now, in one place, so that tests can set the clock instead of waiting."""

from __future__ import annotations

import calendar
import datetime as dt



def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    return now().date()


def stamp() -> str:
    return now().isoformat(timespec="seconds")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later (31 January + 1 month = 28 or 29 February)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
