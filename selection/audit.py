"""The audit trail: one append-only row per change, written inside the change's transaction.

The table refuses UPDATE and DELETE (triggers in the first migration), so the
trail can only grow; writing the event in the same transaction as the change
means there is never a change without its event, nor an event without its change.
"""

from __future__ import annotations

import datetime as dt
import json

import sqlite_utils


def record(
    db: sqlite_utils.Database,
    *,
    actor: str,
    call: str | None,
    action: str,
    target: str,
    old: dict | None = None,
    new: dict | None = None,
    reason: str | None = None,
) -> None:
    db["audit"].insert(
        {
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
            "actor": actor,
            "call_reference": call,
            "action": action,
            "target": target,
            "old": None if old is None else json.dumps(old, ensure_ascii=False, sort_keys=True, default=str),
            "new": None if new is None else json.dumps(new, ensure_ascii=False, sort_keys=True, default=str),
            "reason": reason,
        }
    )


def events(db: sqlite_utils.Database, *, call: str | None = None, action_prefix: str = "") -> list[dict]:
    """Events oldest first, optionally for one call and one kind of action."""
    sql = "SELECT * FROM audit WHERE action LIKE ? ESCAPE '\\'"
    params: list = [action_prefix.replace("%", "\\%").replace("_", "\\_") + "%"]
    if call is not None:
        sql += " AND call_reference = ?"
        params.append(call)
    out = []
    for row in db.query(sql + " ORDER BY id", params):
        row["old"] = json.loads(row["old"]) if row["old"] else None
        row["new"] = json.loads(row["new"]) if row["new"] else None
        out.append(row)
    return out


def revised_scores(db: sqlite_utils.Database, call: str) -> int:
    """How many scores were changed after their review was submitted (each with a reason on record)."""
    return db.execute("SELECT count(DISTINCT target) FROM audit WHERE call_reference = ? AND action = 'score.revised'",
                      [call]).fetchone()[0]
