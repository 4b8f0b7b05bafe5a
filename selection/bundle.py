"""The call bundle: read, validate, store and export (see shared/contract/BUNDLE.md).

A bundle is checked whole before anything is written, and every problem is
named by its place (``scores[17].score: 7 is above the scale maximum 5``) so
that a secretariat can fix the file without reading a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Literal

import pydantic
import sqlite_utils

from selection import audit
from selection.models import (
    Call,
    Conflict,
    Consensus,
    Entity,
    Proposal,
    Record,
    Reviewer,
    Score,
    fmt,
)
from selection.store import transaction

FORMAT = "host-selection-bundle/1"


class Bundle(Record):
    format: Literal["host-selection-bundle/1"]
    call: Call
    entities: list[Entity] = []
    proposals: list[Proposal] = []
    reviewers: list[Reviewer] = []
    conflicts: list[Conflict] = []
    scores: list[Score] = []
    consensus: list[Consensus] = []


class BundleInvalid(ValueError):
    """A bundle that breaks the contract; ``problems`` are ``path: message`` lines."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class CallExists(ValueError):
    """The database already holds this call reference and replacing was not asked for."""


def path_of(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(bundle)"


def _pydantic_problems(error: pydantic.ValidationError) -> list[str]:
    problems = []
    for e in error.errors(include_url=False):
        loc = tuple(p for p in e["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        msg = e["msg"]
        if e["type"] == "extra_forbidden":
            msg = "unknown key (not part of the bundle format)"
        elif e["type"] == "missing":
            msg = "required key is missing"
        elif e["type"] == "literal_error" and loc == ("format",):
            msg = f"unknown format {e.get('input')!r}; expected {FORMAT!r}"
        elif msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        problems.append(f"{path_of(loc)}: {msg}")
    return problems


def parse(text: str | bytes) -> Bundle:
    """Validate bundle JSON against the contract; raise :class:`BundleInvalid` naming each place."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        where = f"line {e.lineno} column {e.colno}: " if hasattr(e, "lineno") else ""
        raise BundleInvalid([f"(bundle): not valid JSON: {where}{getattr(e, 'msg', e)}"]) from None
    if not isinstance(data, dict):
        raise BundleInvalid(["(bundle): a bundle is a JSON object"])
    try:
        bundle = Bundle.model_validate_json(json.dumps(data))
    except pydantic.ValidationError as e:
        raise BundleInvalid(_pydantic_problems(e)) from None
    problems = consistency_problems(bundle)
    if problems:
        raise BundleInvalid(problems)
    return bundle


def from_dict(data: dict) -> Bundle:
    return parse(json.dumps(data, ensure_ascii=False))


def _duplicates(items: list, key, path: str, what: str) -> list[str]:
    seen: dict = {}
    problems = []
    for i, item in enumerate(items):
        k = key(item)
        if k in seen:
            problems.append(f"{path}[{i}]{what}: duplicate of {path}[{seen[k]}]")
        else:
            seen[k] = i
    return problems


def consistency_problems(b: Bundle) -> list[str]:
    """The rules that span several places: uniqueness, references, the scale grid."""
    call, scale = b.call, b.call.scale
    p: list[str] = []
    p += _duplicates(call.slots, lambda s: s.id, "call.slots", ".id")
    p += _duplicates(call.criteria, lambda c: c.id, "call.criteria", ".id")
    p += _duplicates(call.criteria, lambda c: c.priority, "call.criteria", ".priority")
    p += _duplicates(b.entities, lambda e: e.id, "entities", ".id")
    p += _duplicates(b.proposals, lambda x: x.id, "proposals", ".id")
    p += _duplicates(b.reviewers, lambda r: r.id, "reviewers", ".id")
    p += _duplicates(
        b.scores, lambda s: (s.reviewer, s.proposal, s.criterion), "scores", " (same reviewer, proposal and criterion)"
    )
    p += _duplicates(b.consensus, lambda c: (c.proposal, c.criterion), "consensus", " (same proposal and criterion)")

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
            p.append(f"{path}: {value!r} is not the id of any {what} in the bundle")

    for i, x in enumerate(b.proposals):
        ref(x.entity, entities, f"proposals[{i}].entity", "entity")
        for j, s in enumerate(x.slots):
            ref(s, slots, f"proposals[{i}].slots[{j}]", "slot")
        p += _duplicates(x.slots, lambda s: s, f"proposals[{i}].slots", "")
        for key in x.sections or {}:
            ref(key, criteria, f"proposals[{i}].sections.{key}", "criterion")
    for i, c in enumerate(b.conflicts):
        ref(c.reviewer, reviewers, f"conflicts[{i}].reviewer", "reviewer")
        ref(c.proposal, proposals, f"conflicts[{i}].proposal", "proposal")
    for name, rows in (("scores", b.scores), ("consensus", b.consensus)):
        for i, s in enumerate(rows):
            if name == "scores":
                ref(s.reviewer, reviewers, f"scores[{i}].reviewer", "reviewer")
            ref(s.proposal, proposals, f"{name}[{i}].proposal", "proposal")
            ref(s.criterion, criteria, f"{name}[{i}].criterion", "criterion")
            p += score_problems(s.score, scale, f"{name}[{i}].score")
    return p


def score_problems(value: float, scale, path: str) -> list[str]:
    """Why a score does not fit the call's scale (empty when it fits)."""
    if value > scale.max:
        return [f"{path}: {fmt(value)} is above the scale maximum {fmt(scale.max)}"]
    if value < scale.min:
        return [f"{path}: {fmt(value)} is below the scale minimum {fmt(scale.min)}"]
    if not scale.allows(value):
        return [f"{path}: {fmt(value)} is not on the scale's step of {fmt(scale.step)} from {fmt(scale.min)}"]
    return []


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


def store(db: sqlite_utils.Database, bundle: Bundle, *, actor: str, replace: bool = False) -> int:
    """Write a validated bundle as one transaction; return the new call's row id."""
    from criteria.sets import guidance_for

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
        db["scores"].insert_all(
            (
                {
                    "call_id": call_id,
                    "reviewer_id": s.reviewer,
                    "proposal_id": s.proposal,
                    "criterion_id": s.criterion,
                    "score": s.score,
                    "justification": s.justification,
                }
                for s in bundle.scores
            ),
            batch_size=500,
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

    bookkeeping = ("call_id", "position", "account_id", "applicant_guidance", "reviewer_guidance", "anchors")
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
