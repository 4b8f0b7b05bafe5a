"""Small pieces every service needs: finding the call and the proposal, date arithmetic."""

from __future__ import annotations

import datetime as dt

import sqlite_utils

from selection import words
from selection.errors import Invalid
from selection.i18n import _


def call_row(db: sqlite_utils.Database, call_id: int) -> dict:
    rows = list(db.query("SELECT * FROM calls WHERE id = ?", [call_id]))
    if not rows:
        raise Invalid("call", _("this call does not exist"))
    return rows[0]


def proposal_row(db: sqlite_utils.Database, call_id: int, proposal_id: str) -> dict:
    rows = list(db.query("SELECT * FROM proposals WHERE call_id = ? AND id = ?", [call_id, proposal_id]))
    if not rows:
        raise Invalid("proposal", _("this proposal does not exist"))
    return rows[0]


def criteria_rows(db: sqlite_utils.Database, call_id: int) -> list[dict]:
    """The call's criteria in order, their names, definitions and guidance in the reader's language."""
    from selection import content

    rows = list(db.query("SELECT * FROM criteria WHERE call_id = ? ORDER BY position", [call_id]))
    return content.CallTexts(db, call_id).criteria(rows)


def parse_date(value, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise Invalid(field, _("{value} is not a date (YYYY-MM-DD)", value=repr(value))) from None


def required_text(value: str | None, field: str, limit: int = 50_000) -> str:
    text = (value or "").strip()
    if not text:
        raise Invalid(field, _("this cannot be left empty"))
    if len(text) > limit:
        raise Invalid(field, _("at most {n} characters", n=words.number(limit, 0)))
    return text


def free_id(db: sqlite_utils.Database, table: str, call_id: int, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever no row of ``table`` in this call holds yet."""
    taken = {r[0] for r in db.execute(f"SELECT id FROM {table} WHERE call_id = ? AND (id = ? OR id LIKE ?)",  # noqa: S608
                                      [call_id, base, f"{base}-%"])}
    n, candidate = 1, base
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate
