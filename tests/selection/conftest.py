"""Fixtures shared by the domain tests: a clock the test sets (argon2's cheap cost is in tests/conftest.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from selection import accounts, bundle, clock, queries, store
from selection.demo import accounts as demo_accounts
from selection.demo import demo_bundle
from selection.services import decision

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


@pytest.fixture
def decided(tmp_path):
    """The demo call with a selection recorded for the African slot (and so a frozen decision record)."""
    path = tmp_path / "decided.db"
    db = store.connect(path)
    call_id = bundle.store(db, bundle.from_dict(demo_bundle()), actor="test")
    demo_accounts.create(db, call_id)
    sec = accounts.get_user(db, db.execute("SELECT id FROM accounts WHERE username = 'secretariat'").fetchone()[0])
    first = queries.reserve_list(db, call_id, "africa")[0]["proposal"]
    decision.record_selection(db, user=sec, call_id=call_id, slot_id="africa", proposal_id=first,
                              rationale="First on the shortlist; the Bureau concurred.")
    return path, db, sec, call_id
