"""A selection made while proposals may still arrive is flagged, so nobody closes a call early by accident."""

from __future__ import annotations

import datetime as dt

from selection import queries


def test_the_call_is_still_open_until_its_deadline_day_included():
    call = {"submission_deadline": "2026-12-15"}
    assert queries.still_open_until(call, dt.date(2026, 12, 1)) == dt.date(2026, 12, 15)
    assert queries.still_open_until(call, dt.date(2026, 12, 15)) == dt.date(2026, 12, 15)
    assert queries.still_open_until(call, dt.date(2026, 12, 16)) is None
    assert queries.still_open_until({"submission_deadline": None}, dt.date(2026, 12, 1)) is None
