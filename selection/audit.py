"""The audit trail: one append-only row per change, written inside the change's transaction.

The table refuses UPDATE and DELETE (triggers in the first migration), so the
trail can only grow through the program; writing the event in the same
transaction as the change means there is never a change without its event, nor
an event without its change.

Each event is also sealed to the one before it: ``hash`` is the SHA-256 of the
previous event's hash and of this event's own fields (its id included), and
``prev_hash`` repeats the previous hash. Someone who edits the SQLite file
directly (dropping the triggers first) breaks the chain at the event they
touched, and :func:`verify_chain` names it. What the chain cannot show alone is
a trail rewritten from some event to the end with fresh seals, or the newest
events cut off: the decision record freezes the head of the chain (see
``selection.record``), and its fingerprint goes out on the report and the letters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

import sqlite_utils

from selection import store
from selection.i18n import _, ngettext

GENESIS = "0" * 64
_FIELDS = ("id", "at", "actor", "call_reference", "action", "target", "old", "new", "reason")


def _dump(value: dict | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def seal(prev_hash: str, row: dict) -> str:
    """The SHA-256 that chains ``row`` (as stored) to the event before it."""
    fields = json.dumps([row.get(f) for f in _FIELDS], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{fields}".encode("utf-8")).hexdigest()


def _unsealed_prefix(db: sqlite_utils.Database) -> str:
    """The running hash over events written before the trail was sealed (none in a new database)."""
    running = GENESIS
    for row in db.query(f"SELECT {', '.join(_FIELDS)} FROM audit WHERE hash IS NULL ORDER BY id"):
        running = seal(running, row)
    return running


def head(db: sqlite_utils.Database) -> dict | None:
    """The newest event's id and seal: what a decision record freezes."""
    row = db.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        return None
    return {"id": row[0], "hash": row[1] if row[1] is not None else _unsealed_prefix(db)}


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
    """Append one sealed event; inside the caller's transaction, or in one of its own."""
    with store.transaction(db):
        last = head(db)
        prev = last["hash"] if last else GENESIS
        row = {
            "id": (last["id"] + 1) if last else 1,
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
            "actor": actor,
            "call_reference": call,
            "action": action,
            "target": target,
            "old": _dump(old),
            "new": _dump(new),
            "reason": reason,
        }
        db["audit"].insert({**row, "prev_hash": prev, "hash": seal(prev, row)})


@dataclass(frozen=True)
class ChainCheck:
    """The result of walking the whole trail: ``problem`` names the first event that is wrong."""

    events: int
    problem: str | None = None
    event_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def sentence(self) -> str:
        if self.ok:
            return _("The audit trail is intact: {events}, each sealed to the one before.",
                     events=ngettext("{n:,} event", "{n:,} events", self.events))
        return self.problem


def _describe(row: dict) -> str:
    when = str(row.get("at") or "")[:16].replace("T", " ")
    return _("event {number} ({action} by {actor}, {when} UTC)", number=row["id"], action=row["action"],
             actor=row["actor"], when=when)


def verify_chain(db: sqlite_utils.Database) -> ChainCheck:
    """Walk the trail oldest first and check every seal; stop at the first event that is wrong."""
    running, previous_id, count, sealed_seen = GENESIS, None, 0, False
    for row in db.query(f"SELECT {', '.join(_FIELDS)}, prev_hash, hash FROM audit ORDER BY id"):
        count += 1
        gap = previous_id is not None and row["id"] != previous_id + 1
        if row["hash"] is None:
            if sealed_seen:
                return ChainCheck(count, _("The audit trail was altered at {event}: it has no seal, so it was "
                                           "written outside the program.", event=_describe(row)), row["id"])
            running, previous_id = seal(running, row), row["id"]
            continue
        sealed_seen = True
        if row["prev_hash"] != running:
            text = (_("The audit trail was altered before {event}: an event before it was removed or changed, or "
                      "this one was inserted out of order (event {missing} is missing).", missing=previous_id + 1,
                      event=_describe(row)) if gap else
                    _("The audit trail was altered before {event}: an event before it was removed or changed, or "
                      "this one was inserted out of order.", event=_describe(row)))
            return ChainCheck(count, text, row["id"])
        if seal(row["prev_hash"], row) != row["hash"]:
            return ChainCheck(count, _("The audit trail was altered at {event}: it no longer matches its seal, so "
                                       "it was changed after it was written.", event=_describe(row)), row["id"])
        running, previous_id = row["hash"], row["id"]
    return ChainCheck(count)


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
