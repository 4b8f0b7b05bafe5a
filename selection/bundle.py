"""The call bundle: read, validate, store and export (see shared/contract/BUNDLE.md).

A bundle is checked whole before anything is written, and every problem is
named by its place (``scores[17].score: 7 is above the scale maximum 5``) so
that a secretariat can fix the file without reading a traceback.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import BinaryIO, Literal

import pydantic
import sqlite_utils

from selection import audit, bundle_json
from selection.bundle_scores import ScoreColumns, score_problems
from selection.models import (
    Call,
    Conflict,
    Consensus,
    Entity,
    Proposal,
    Record,
    Reviewer,
    Score,
    ScoreRow,
    fmt,
)
from selection.store import transaction

__all__ = ["Bundle", "BundleInvalid", "CallExists", "Loaded", "parse", "read", "store", "export", "dumps",
           "score_problems", "consistency_problems", "path_of", "call_columns", "json_schema", "from_dict"]

FORMAT = "host-selection-bundle/1"
PROBLEMS_KEPT = 10_000  # beyond this a bundle's problems are counted, not listed


class Bundle(Record):
    format: Literal["host-selection-bundle/1"]
    call: Call
    entities: list[Entity] = []
    proposals: list[Proposal] = []
    reviewers: list[Reviewer] = []
    conflicts: list[Conflict] = []
    scores: list[Score] = []
    consensus: list[Consensus] = []


_SCORES = pydantic.TypeAdapter(list[ScoreRow])


class BundleInvalid(ValueError):
    """A bundle that breaks the contract; ``problems`` are ``path: message`` lines, and ``unlisted``
    counts the problems beyond those kept."""

    def __init__(self, problems: list[str], unlisted: int = 0):
        self.problems = problems[:PROBLEMS_KEPT]
        self.unlisted = unlisted + len(problems) - len(self.problems)
        super().__init__("\n".join(self.problems))


class CallExists(ValueError):
    """The database already holds this call reference and replacing was not asked for."""


def path_of(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part == "[key]":
            out += f".{part}"
        else:
            out = bundle_json.join(out, str(part))
    return out or "(bundle)"


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _pydantic_problems(error: pydantic.ValidationError, where: tuple = (), offset: int = 0) -> list[str]:
    problems = []
    for e in error.errors(include_url=False):
        loc = tuple(p for p in e["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        if where:
            loc = (*where, loc[0] + offset, *loc[1:]) if loc and isinstance(loc[0], int) else (*where, *loc)
        msg = e["msg"]
        if e["type"] == "extra_forbidden":
            msg = "unknown key (not part of the bundle format)"
        elif e["type"] == "missing":
            msg = "required key is missing"
        elif e["type"] == "literal_error" and loc == ("format",):
            msg = f"unknown format {_shown(e.get('input'))}; expected {FORMAT!r}"
        elif isinstance(e.get("input"), bundle_json.LongNumber):
            msg = f"a number of {e['input'].digits:,} digits is too long to be read"
        elif msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        problems.append(f"{path_of(loc)}: {msg}")
    return problems


@dataclass
class Loaded:
    """A validated bundle whose scores are held as columns (a call may hold millions of them)."""

    head: Bundle  # everything but the scores
    scores: ScoreColumns

    @classmethod
    def of(cls, bundle: Bundle) -> Loaded:
        return cls(head=bundle.model_copy(update={"scores": []}), scores=ScoreColumns.of(bundle.scores))

    def bundle(self) -> Bundle:
        scores = [Score.model_construct(**d) for d in self.scores.dicts()]
        return self.head.model_copy(update={"scores": scores})


class _Scores:
    """Receives the streamed ``scores`` list a batch at a time: validates, keeps columns, counts problems."""

    def __init__(self) -> None:
        self.columns = ScoreColumns()
        self.problems: list[str] = []
        self.unlisted = 0

    def __call__(self, items: list, start: int) -> None:
        found = bundle_json.twice_problems(items, "scores", start)
        try:
            rows = _SCORES.validate_python(items)
        except pydantic.ValidationError as e:
            found += _pydantic_problems(e, ("scores",), start)
        else:
            if not self.problems and not found:
                self.columns.extend(rows)
        room = max(0, PROBLEMS_KEPT - len(self.problems))
        self.problems += found[:room]
        self.unlisted += len(found) - len(found[:room])


def read(f: BinaryIO) -> Loaded:
    """Validate a bundle read from a binary file against the contract, holding its text only a piece at a
    time; raise :class:`BundleInvalid` naming each place."""
    scores = _Scores()
    try:
        head, problems = bundle_json.read(f, scores)
    except bundle_json.Malformed as e:
        raise BundleInvalid([e.problem]) from None
    text = "{" + ",".join(f"{json.dumps(k)}:{v}" for k, v in head.items()) + "}"
    try:
        bundle = Bundle.model_validate_json(text)
    except pydantic.ValidationError as e:
        # a number too long for pydantic's reader is already named by its place among the problems
        unreadable = problems and any(x["type"] == "json_invalid" for x in e.errors(include_url=False))
        problems += [] if unreadable else _pydantic_problems(e)
        bundle = None
    problems += scores.problems
    if problems or scores.unlisted:
        raise BundleInvalid(problems, scores.unlisted)
    loaded = Loaded(head=bundle, scores=scores.columns)
    problems = consistency_problems(bundle, scores.columns)
    if problems:
        raise BundleInvalid(problems)
    return loaded


def parse(text: str | bytes) -> Bundle:
    """Validate bundle JSON against the contract; raise :class:`BundleInvalid` naming each place."""
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    return read(io.BytesIO(data)).bundle()


def from_dict(data: dict) -> Bundle:
    return parse(json.dumps(data, ensure_ascii=False))


def _duplicates(items: list, key, path: str, field: str | None = None) -> list[str]:
    """Every item whose ``key`` an earlier item of the list has, named with the value and the first holder."""
    seen: dict = {}
    problems = []
    for i, item in enumerate(items):
        k = key(item)
        j = seen.setdefault(k, i)
        if j == i:
            continue
        if field is None:
            problems.append(f"{path}[{i}]: {_shown(k)} is already listed at {path}[{j}] (duplicate of {path}[{j}])")
        else:
            problems.append(f"{path}[{i}].{field}: {_shown(k)} is already the {field} of {path}[{j}] "
                            f"(duplicate of {path}[{j}])")
    return problems


def consistency_problems(b: Bundle, scores: ScoreColumns | None = None) -> list[str]:
    """The rules that span several places: uniqueness, references, the scale grid."""
    call, scale = b.call, b.call.scale
    p: list[str] = []
    p += _duplicates(call.slots, lambda s: s.id, "call.slots", "id")
    p += _duplicates(call.criteria, lambda c: c.id, "call.criteria", "id")
    p += _duplicates(call.criteria, lambda c: c.priority, "call.criteria", "priority")
    p += _duplicates(b.entities, lambda e: e.id, "entities", "id")
    p += _duplicates(b.proposals, lambda x: x.id, "proposals", "id")
    p += _duplicates(b.reviewers, lambda r: r.id, "reviewers", "id")
    seen: dict = {}
    for i, c in enumerate(b.consensus):
        j = seen.setdefault((c.proposal, c.criterion), i)
        if j != i:
            p.append(f"consensus[{i}] (same proposal and criterion): duplicate of consensus[{j}]")

    for i, c in enumerate(call.criteria):
        if c.threshold is not None and not scale.min <= c.threshold <= scale.max:
            p.append(
                f"call.criteria[{i}].threshold: {fmt(c.threshold)} is outside the scale "
                f"{fmt(scale.min)}..{fmt(scale.max)}"
            )

    slots = {s.id for s in call.slots}
    criteria = {c.id for c in call.criteria}
    entities = {e.id for e in b.entities}
    proposals = {x.id for x in b.proposals}
    reviewers = {r.id for r in b.reviewers}

    def ref(value: str, known: set, path: str, what: str) -> None:
        if value not in known:
            p.append(f"{path}: {_shown(value)} is not the id of any {what} in the bundle")

    for i, x in enumerate(b.proposals):
        ref(x.entity, entities, f"proposals[{i}].entity", "entity")
        for j, s in enumerate(x.slots):
            ref(s, slots, f"proposals[{i}].slots[{j}]", "slot")
        p += _duplicates(x.slots, lambda s: s, f"proposals[{i}].slots")
        for key in x.sections or {}:
            ref(key, criteria, bundle_json.join(f"proposals[{i}].sections", key), "criterion")
    for i, c in enumerate(b.conflicts):
        ref(c.reviewer, reviewers, f"conflicts[{i}].reviewer", "reviewer")
        ref(c.proposal, proposals, f"conflicts[{i}].proposal", "proposal")
    scores = scores if scores is not None else ScoreColumns.of(b.scores)
    p += scores.problems({"reviewer": reviewers, "proposal": proposals, "criterion": criteria}, scale)
    for i, s in enumerate(b.consensus):
        ref(s.proposal, proposals, f"consensus[{i}].proposal", "proposal")
        ref(s.criterion, criteria, f"consensus[{i}].criterion", "criterion")
        p += score_problems(s.score, scale, f"consensus[{i}].score")
    return p


def json_schema() -> dict:
    schema = Bundle.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "host-selection call bundle"
    return schema


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value.isoformat()


def call_columns(call: Call) -> dict:
    """A call's row in the ``calls`` table (without bookkeeping columns)."""
    return {
        "reference": call.reference,
        "title": call.title,
        "scale_min": call.scale.min,
        "scale_max": call.scale.max,
        "scale_step": call.scale.step,
        "min_reviews": call.min_reviews,
        "overall_threshold": call.overall_threshold,
        **{k: _iso(v) for k, v in call.dates.model_dump().items()},
    }


def store(db: sqlite_utils.Database, bundle: Bundle | Loaded, *, actor: str, replace: bool = False) -> int:
    """Write a validated bundle as one transaction; return the new call's row id."""
    from criteria.sets import guidance_for

    loaded = bundle if isinstance(bundle, Loaded) else Loaded.of(bundle)
    bundle = loaded.head
    call = bundle.call
    with transaction(db):
        existing = db.execute("SELECT id FROM calls WHERE reference = ?", [call.reference]).fetchone()
        if existing and not replace:
            raise CallExists(
                f"call.reference: the database already holds a call {call.reference!r} "
                "(ask for replacing it explicitly)"
            )
        if existing:
            before = call_counts(db, existing[0])
            db.execute("DELETE FROM calls WHERE id = ?", [existing[0]])
            audit.record(db, actor=actor, call=call.reference, action="call.replaced", target="call", old=before)
        call_id = db["calls"].insert({**call_columns(call), "created_at": _now()}).last_pk
        db["slots"].insert_all(
            {"call_id": call_id, "position": i, **s.model_dump(mode="json")} for i, s in enumerate(call.slots)
        )
        db["criteria"].insert_all(
            {"call_id": call_id, "position": i, **c.model_dump(mode="json"), **guidance_for(c.id)}
            for i, c in enumerate(call.criteria)
        )
        db["entities"].insert_all(
            {"call_id": call_id, "position": i, **e.model_dump(mode="json")} for i, e in enumerate(bundle.entities)
        )
        db["proposals"].insert_all(
            {
                "call_id": call_id,
                "position": i,
                "id": x.id,
                "entity_id": x.entity,
                "status": x.status.value,
                "submitted_at": _iso(x.submitted_at),
                "summary": x.summary,
            }
            for i, x in enumerate(bundle.proposals)
        )
        db["proposal_slots"].insert_all(
            {"call_id": call_id, "proposal_id": x.id, "slot_id": s, "position": j}
            for x in bundle.proposals
            for j, s in enumerate(x.slots)
        )
        db["sections"].insert_all(
            {"call_id": call_id, "proposal_id": x.id, "criterion_id": k, "text": v}
            for x in bundle.proposals
            for k, v in (x.sections or {}).items()
        )
        db["reviewers"].insert_all(
            {"call_id": call_id, "position": i, **r.model_dump(mode="json")} for i, r in enumerate(bundle.reviewers)
        )
        db["conflicts"].insert_all(
            {"call_id": call_id, "reviewer_id": c.reviewer, "proposal_id": c.proposal, "reason": c.reason}
            for c in bundle.conflicts
        )
        # sqlite-utils' per-value work dominates at millions of rows: plain executemany
        db.conn.executemany(
            "INSERT INTO scores (call_id, reviewer_id, proposal_id, criterion_id, score, justification) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            ((call_id, *row) for row in loaded.scores.rows()),
        )
        db["consensus"].insert_all(
            {
                "call_id": call_id,
                "proposal_id": c.proposal,
                "criterion_id": c.criterion,
                "score": c.score,
                "note": c.note,
            }
            for c in bundle.consensus
        )
        audit.record(
            db, actor=actor, call=call.reference, action="bundle.loaded", target="call", new=call_counts(db, call_id)
        )
    return call_id


def call_counts(db: sqlite_utils.Database, call_id: int) -> dict:
    tables = ("slots", "criteria", "entities", "proposals", "reviewers", "conflicts", "scores", "consensus")
    return {t: db.execute(f"SELECT count(*) FROM {t} WHERE call_id = ?", [call_id]).fetchone()[0] for t in tables}


def _clean(row: dict, *drop: str) -> dict:
    """A stored row as bundle keys: bookkeeping columns and empty optionals dropped."""
    return {k: v for k, v in row.items() if k not in drop and v is not None}


def _entity(row: dict) -> dict:
    """A stored entity as a bundle entity: its profile is kept as JSON text in the store."""
    if "profile" in row:
        row["profile"] = json.loads(row["profile"])
    return row


def export(db: sqlite_utils.Database, reference: str) -> Bundle:
    """The bundle of a stored call: loading it again gives back the same facts."""
    row = db.execute("SELECT * FROM calls WHERE reference = ?", [reference]).fetchone()
    if row is None:
        raise LookupError(f"no call with reference {reference!r}")
    call = dict(zip([d[0] for d in db.execute("SELECT * FROM calls LIMIT 0").description], row))
    cid = call["id"]

    def rows(sql: str) -> list[dict]:
        return list(db.query(sql, [cid]))

    bookkeeping = ("call_id", "position", "account_id", "applicant_guidance", "reviewer_guidance", "anchors",
                   "language")  # a reader's preference, like the account: not part of the call's record
    slots = [_clean(r, *bookkeeping) for r in rows("SELECT * FROM slots WHERE call_id = ? ORDER BY position")]
    criteria = [_clean(r, *bookkeeping) for r in rows("SELECT * FROM criteria WHERE call_id = ? ORDER BY position")]
    applied: dict[str, list[str]] = {}
    for r in rows("SELECT proposal_id, slot_id FROM proposal_slots WHERE call_id = ? ORDER BY position"):
        applied.setdefault(r["proposal_id"], []).append(r["slot_id"])
    sections: dict[str, dict] = {}
    for r in rows("SELECT s.* FROM sections s JOIN criteria c ON c.call_id = s.call_id AND c.id = s.criterion_id "
                  "WHERE s.call_id = ? ORDER BY c.position"):
        sections.setdefault(r["proposal_id"], {})[r["criterion_id"]] = r["text"]
    proposals = []
    for r in rows("SELECT id, entity_id, status, submitted_at, summary FROM proposals WHERE call_id = ? AND status <> 'draft' ORDER BY position"):
        proposals.append(
            _clean(
                {
                    "id": r["id"],
                    "entity": r["entity_id"],
                    "slots": applied.get(r["id"], []),
                    "status": r["status"],
                    "submitted_at": r["submitted_at"],
                    "sections": sections.get(r["id"]),
                    "summary": r["summary"],
                }
            )
        )
    data = {
        "format": FORMAT,
        "call": _clean(
            {
                "reference": call["reference"],
                "title": call["title"],
                "scale": {"min": call["scale_min"], "max": call["scale_max"], "step": call["scale_step"]},
                "min_reviews": call["min_reviews"],
                "overall_threshold": call["overall_threshold"],
                "dates": _clean({k: call[k] for k in ("notified_on", "inquiry_deadline", "submission_deadline",
                                                       "advisory_meeting_on", "decided_on")}),
                "slots": slots,
                "criteria": criteria,
            }
        ),
        "entities": [_entity(_clean(r, *bookkeeping))
                     for r in rows("SELECT * FROM entities WHERE call_id = ? ORDER BY position")],
        "proposals": proposals,
        "reviewers": [_clean(r, *bookkeeping) for r in rows("SELECT * FROM reviewers WHERE call_id = ? ORDER BY position")],
        "conflicts": [
            _clean({"reviewer": r["reviewer_id"], "proposal": r["proposal_id"], "reason": r["reason"]})
            for r in rows("SELECT * FROM conflicts WHERE call_id = ? ORDER BY id")
        ],
        "scores": [
            _clean({"reviewer": r["reviewer_id"], "proposal": r["proposal_id"], "criterion": r["criterion_id"],
                    "score": r["score"], "justification": r["justification"]})
            for r in rows("SELECT * FROM scores WHERE call_id = ? ORDER BY rowid")
        ],
        "consensus": [
            _clean({"proposal": r["proposal_id"], "criterion": r["criterion_id"], "score": r["score"], "note": r["note"]})
            for r in rows("SELECT * FROM consensus WHERE call_id = ? ORDER BY rowid")
        ],
    }
    return Bundle.model_validate_json(json.dumps(data, ensure_ascii=False))


def dumps(bundle: Bundle) -> str:
    """The bundle as JSON text, with non-Latin names kept readable."""
    data = bundle.model_dump(mode="json", exclude_none=True)
    data["call"]["dates"] = bundle.call.dates.model_dump(mode="json")
    return json.dumps(data, ensure_ascii=False, indent=1)
