"""Fixtures shared by the domain tests: a clock the test sets (argon2's cheap cost is in tests/conftest.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from selection import clock

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def set_clock(monkeypatch):
    """``set_clock(datetime | "YYYY-MM-DD" | "YYYY-MM-DDTHH:MM")``; the clock starts at T0."""

    def set_(when) -> dt.datetime:
        if isinstance(when, str):
            when = dt.datetime.fromisoformat(when)
        if isinstance(when, dt.date) and not isinstance(when, dt.datetime):
            when = dt.datetime.combine(when, dt.time(12, 0))
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        monkeypatch.setattr(clock, "now", lambda: when)
        return when

    set_(T0)
    return set_

