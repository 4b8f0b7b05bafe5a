"""Fixtures for the pages: a demo database the app opens through SELECTION_DB, and a runner per role."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from selection import accounts, bundle, clock, sessions, store
from selection.demo import accounts as demo_accounts
from selection.demo import demo_bundle

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


@pytest.fixture
def demo_db(tmp_path, monkeypatch):
    path = tmp_path / "app.db"
    monkeypatch.setenv("SELECTION_DB", str(path))
    db = store.connect(path)
    call_id = bundle.store(db, bundle.from_dict(demo_bundle()), actor="test")
    demo_accounts.create(db, call_id)
    return db


@pytest.fixture
def call_open(demo_db, monkeypatch):
    """The clock set back to a day the demo call takes questions and proposals: its dates are placed
    around the day it is built (today is its meeting), so applicants' actions need an earlier day."""
    notified = demo_db.execute("SELECT notified_on FROM calls").fetchone()[0]
    moment = dt.datetime.combine(dt.date.fromisoformat(notified) + dt.timedelta(days=10), dt.time(10), tzinfo=dt.UTC)
    monkeypatch.setattr(clock, "now", lambda: moment)
    return moment


@pytest.fixture
def empty_db(tmp_path, monkeypatch):
    path = tmp_path / "empty.db"
    monkeypatch.setenv("SELECTION_DB", str(path))
    return store.connect(path)


def account_id(db, username: str) -> int:
    return db.execute("SELECT id FROM accounts WHERE username = ?", [username]).fetchone()[0]


def signed_in(at: AppTest, db, username: str) -> AppTest:
    """Sign ``username`` in for this AppTest as the sign-in page does: a server-side session and its token."""
    at.session_state["session_token"] = sessions.start(db, accounts.get_user(db, account_id(db, username)))
    return at


@pytest.fixture
def open_as(demo_db):
    """Run the app signed in as ``username`` on the page at ``path``."""

    def run(username: str | None, path: str | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        if username is not None:
            signed_in(at, demo_db, username)
        if path is not None:
            at.session_state["goto"] = path
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


def texts(at: AppTest) -> str:
    """Everything a person reads on the page, as one string."""
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info", "success",
                                  "warning", "error", "text") for e in getattr(at, kind)]
    return unescape("\n".join(str(p) for p in parts))


def unescape(markdown: str) -> str:
    """Markdown as read on screen: backslash escapes, bold markers and the invisible word joiners removed."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("**", "").replace("\u2060", "")


def errors(at: AppTest) -> str:
    return unescape("\n".join(e.value for e in at.error))


def on_tab(at: AppTest, label: str) -> AppTest:
    """Call set-up on its tab ``label`` ("New call", "Edit the chosen call"), as a click on that tab leaves it."""
    at.session_state["call_setup:tab"] = label
    return at.run()


def on_edit_tab(at: AppTest) -> AppTest:
    return on_tab(at, "Edit the chosen call")
