"""Staying signed in: a server-side record per signed-in browser, found by a random token.

The browser keeps the token in a ``SameSite=Strict`` cookie, so a reload, a
second tab or a link from an e-mail finds the same session; the store keeps
only the token's SHA-256, so a copy of the database signs nobody in. A session
ends after 30 minutes without activity, when its person signs out (every
session of that person ends, in every tab and browser), when the account is
disabled, and when its password is reset.

A browser that signed in once also gets a long-lived known-browser token: the
sign-in pause that other people's guessing causes does not hold it up
(:func:`selection.accounts.sign_in`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets

import sqlite_utils

from selection import accounts, clock
from selection.permissions import User
from selection.store import transaction

TOUCH_EVERY = dt.timedelta(seconds=60)
ENDED = {
    "idle": "Your session expired after 30 minutes without activity. Please sign in again.",
    "signed out": "You signed out, in this tab or another one. Please sign in again.",
    "disabled": "This account was disabled by the secretariat.",
    "password reset": "The password of this account was reset. Please sign in with the new password.",
    "unknown": "Please sign in again.",
}


@dataclasses.dataclass(frozen=True)
class Resumed:
    """The session's person, or why there is none (a key of :data:`ENDED`)."""

    user: User | None
    ended: str | None = None

    @property
    def message(self) -> str | None:
        return None if self.ended is None else ENDED[self.ended]


def _token() -> str:
    return secrets.token_urlsafe(32)


def start(db: sqlite_utils.Database, user: User) -> str:
    """A new session for ``user``; the token is returned once and only its hash is stored."""
    token = _token()
    now = clock.stamp()
    with transaction(db):
        db["sessions"].insert({"token_hash": accounts.digest(token), "account_id": user.id, "created_at": now,
                               "last_seen": now})
    return token


def resume(db: sqlite_utils.Database, token: str | None) -> Resumed:
    """The person of a live session, its idle time renewed; an idle session ends here."""
    if not token:
        return Resumed(None, "unknown")
    rows = list(db.query("SELECT * FROM sessions WHERE token_hash = ?", [accounts.digest(token)]))
    if not rows:
        return Resumed(None, "unknown")
    row = rows[0]
    if row["ended_at"]:
        return Resumed(None, row["ended_why"] or "unknown")
    user = accounts.get_user(db, row["account_id"])
    if user is None:
        _end(db, "id = ?", [row["id"]], "disabled")
        return Resumed(None, "disabled")
    last_seen = dt.datetime.fromisoformat(row["last_seen"])
    if accounts.session_expired(last_seen):
        _end(db, "id = ?", [row["id"]], "idle")
        return Resumed(None, "idle")
    if clock.now() - last_seen >= TOUCH_EVERY:
        with transaction(db):
            db.execute("UPDATE sessions SET last_seen = ? WHERE id = ? AND ended_at IS NULL",
                       [clock.stamp(), row["id"]])
    return Resumed(user)


def _end(db: sqlite_utils.Database, where: str, params: list, why: str) -> int:
    with transaction(db):
        return db.execute(f"UPDATE sessions SET ended_at = ?, ended_why = ? WHERE ended_at IS NULL AND {where}",
                          [clock.stamp(), why, *params]).rowcount


def end_all(db: sqlite_utils.Database, account_id: int, why: str) -> int:
    """End every live session of a person (signing out, disabling, a password reset); how many ended."""
    if why not in ENDED:
        raise ValueError(f"unknown reason {why!r}")
    return _end(db, "account_id = ?", [account_id], why)


def live(db: sqlite_utils.Database, account_id: int) -> int:
    """How many sessions of this person are open: not ended and used within the idle limit."""
    since = (clock.now() - accounts.SESSION_IDLE).isoformat(timespec="seconds")
    return db.execute("SELECT count(*) FROM sessions WHERE account_id = ? AND ended_at IS NULL AND last_seen >= ?",
                      [account_id, since]).fetchone()[0]


def remember_browser(db: sqlite_utils.Database, user: User, token: str | None = None) -> str:
    """The known-browser token for this browser and account: the one it holds if valid, else a new one."""
    if token and db.execute("SELECT 1 FROM known_browsers WHERE token_hash = ? AND account_id = ?",
                            [accounts.digest(token), user.id]).fetchone():
        return token
    token = _token()
    with transaction(db):
        db["known_browsers"].insert({"token_hash": accounts.digest(token), "account_id": user.id,
                                     "created_at": clock.stamp()})
    return token


def forget_browsers(db: sqlite_utils.Database, account_id: int) -> int:
    """After a password reset no browser is known any more: the next sign-in from each one makes it known again."""
    with transaction(db):
        return db.execute("DELETE FROM known_browsers WHERE account_id = ?", [account_id]).rowcount
