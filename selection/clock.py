"""Today and now, in one place, so that tests can set the clock instead of waiting."""

from __future__ import annotations

import datetime as dt


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    return now().date()


def stamp() -> str:
    return now().isoformat(timespec="seconds")
