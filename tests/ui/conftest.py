"""Fixtures for the pages: a demo database the app opens through SELECTION_DB, and a runner per role."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from selection import bundle, store
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
def empty_db(tmp_path, monkeypatch):
    path = tmp_path / "empty.db"
    monkeypatch.setenv("SELECTION_DB", str(path))
    return store.connect(path)


def account_id(db, username: str) -> int:
    return db.execute("SELECT id FROM accounts WHERE username = ?", [username]).fetchone()[0]


@pytest.fixture
def open_as(demo_db):
    """Run the app signed in as ``username`` on the page at ``path``."""

    def run(username: str | None, path: str | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        if username is not None:
            at.session_state["user_id"] = account_id(demo_db, username)
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
