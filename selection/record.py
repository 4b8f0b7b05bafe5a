"""The frozen decision record: exactly what a selection rested on, sealed with its SHA-256.

When the secretariat records a selection, everything the decision rested on
is copied into one document: the call as a bundle (criteria and weights,
every score and consensus score, conflicts), the ranking computed from it
and the robustness figures. The document is written as canonical JSON
(sorted keys, no spaces) and its SHA-256 is printed on the report and the
letters. Later, :func:`verify` recomputes the ranking from the stored
snapshot, confirms the hash, and lists every fact that has changed in the
database since, the corrections on record since (each with its reason), and
any follow-up fact of a selection that differs from what the audit trail says
was recorded (a change made around the services).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

import sqlite_utils

from selection import analysis, audit, bundle, clock, corrections, queries, words
from selection.i18n import _

FORMAT = "host-selection-decision-record/1"


def canonical(doc: dict) -> bytes:
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def digest(doc: dict) -> str:
    return hashlib.sha256(canonical(doc)).hexdigest()


def _bundle_dict(b: bundle.Bundle) -> dict:
    """The call as the decision rested on it. The languages it is read in (an entity's letters' language, the
    call's translated texts) are how it is presented, not what was decided: changing them later is no change."""
    data = json.loads(bundle.dumps(b))
    data.pop("translations", None)
    for entity in data.get("entities", []):
        entity.pop("language", None)
    return data


def build_snapshot(b: bundle.Bundle, decision: dict | None = None, audit_head: dict | None = None) -> dict:
    """The record's content: the facts, the ranking, the robustness figures, the decision itself,
    and the head of the audit trail's chain at that moment (so a trail rewritten later no longer reaches it)."""
    inputs = queries.bundle_inputs(b)
    ranking = inputs.rank().to_contract(b.call.reference)
    doc = analysis.analyse(inputs)
    return {
        "format": FORMAT,
        "bundle": _bundle_dict(b),
        "ranking": ranking,
        "robustness": {s["slot"]: s["robustness"] for s in doc["slots"]},
        "decision": decision,
        "audit_head": audit_head,
    }


def _decision(db: sqlite_utils.Database, call_id: int, selection_id: int | None) -> dict | None:
    """The selection this record seals, with the Bureau's advice on its slot as it stood."""
    if selection_id is None:
        return None
    s = next(db.query("SELECT slot_id, proposal_id, rationale, decided_at FROM selections WHERE id = ?",
                      [selection_id]))
    advice = [dict(r) for r in db.query(
        "SELECT member, advice, preferred_proposal_id, given_at FROM bureau_advice WHERE call_id = ? AND slot_id = ? "
        "ORDER BY id", [call_id, s["slot_id"]])]
    return {"selection": s, "bureau_advice": advice}


def freeze(db: sqlite_utils.Database, *, call_id: int, selection_id: int | None, actor: str) -> tuple[int, str]:
    """Store the record of a call as it stands now; return its id and SHA-256. Runs in the caller's transaction."""
    reference = db.execute("SELECT reference FROM calls WHERE id = ?", [call_id]).fetchone()[0]
    doc = build_snapshot(bundle.export(db, reference), _decision(db, call_id, selection_id), audit.head(db))
    sha = digest(doc)
    record_id = db["decision_records"].insert({
        "call_id": call_id, "selection_id": selection_id, "created_at": clock.stamp(), "created_by": actor,
        "sha256": sha, "snapshot": canonical(doc).decode("utf-8"),
    }).last_pk
    return record_id, sha


def latest(db: sqlite_utils.Database, call_id: int) -> dict | None:
    rows = list(db.query("SELECT * FROM decision_records WHERE call_id = ? ORDER BY id DESC LIMIT 1", [call_id]))
    return rows[0] if rows else None


def latest_seal(db: sqlite_utils.Database, call_id: int) -> dict | None:
    """The latest record without its snapshot (id, selection, when, by whom, SHA-256): what a document
    quotes. A large call's snapshot is hundreds of megabytes, read for nothing."""
    rows = list(db.query("SELECT id, call_id, selection_id, created_at, created_by, sha256 FROM decision_records "
                         "WHERE call_id = ? ORDER BY id DESC LIMIT 1", [call_id]))
    return rows[0] if rows else None


@dataclass
class Verification:
    record_id: int
    sha256: str
    created_at: str
    hash_ok: bool
    ranking_ok: bool
    trail_ok: bool = True
    trail: str = ""
    changes: list[str] = field(default_factory=list)
    corrections: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return self.hash_ok and self.ranking_ok and self.trail_ok

    @property
    def unchanged(self) -> bool:
        return self.intact and not self.changes


def _fmt(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return json.dumps(v, ensure_ascii=False) if not isinstance(v, (int, float)) else str(v)


def _diff_list(old: list[dict], new: list[dict], key, label: str, describe) -> list[str]:
    before = {key(x): x for x in old}
    after = {key(x): x for x in new}
    out = []
    for k in before.keys() - after.keys():
        out.append(f"{label}: {describe(k)} removed (was {_fmt(before[k])})")
    for k in after.keys() - before.keys():
        out.append(f"{label}: {describe(k)} added ({_fmt(after[k])})")
    for k in before.keys() & after.keys():
        if before[k] != after[k]:
            fields = sorted(set(before[k]) | set(after[k]))
            for f in fields:
                if before[k].get(f) != after[k].get(f):
                    out.append(f"{label}: {describe(k)}, {f}: {_fmt(before[k].get(f))} -> {_fmt(after[k].get(f))}")
    return sorted(out)


def differences(old: dict, new: dict) -> list[str]:
    """Every fact of a bundle (as dicts) that differs between the record and now, in words."""
    out = []
    old_call, new_call = old["call"], new["call"]
    for k in sorted(set(old_call) | set(new_call)):
        if k in ("slots", "criteria"):
            continue
        if old_call.get(k) != new_call.get(k):
            out.append(f"call.{k}: {_fmt(old_call.get(k))} -> {_fmt(new_call.get(k))}")
    out += _diff_list(old_call["slots"], new_call["slots"], lambda s: s["id"], "slot", str)
    out += _diff_list(old_call["criteria"], new_call["criteria"], lambda c: c["id"], "criterion", str)
    for name, label in (("entities", "entity"), ("proposals", "proposal"), ("reviewers", "reviewer")):
        out += _diff_list(old.get(name, []), new.get(name, []), lambda x: x["id"], label, str)
    out += _diff_list(old.get("conflicts", []), new.get("conflicts", []), lambda c: (c["reviewer"], c["proposal"]),
                      "conflict", lambda k: f"{k[0]} on {k[1]}")
    out += _diff_list(old.get("scores", []), new.get("scores", []),
                      lambda s: (s["reviewer"], s["proposal"], s["criterion"]), "score",
                      lambda k: f"{k[0]} on {k[1]}, {k[2]}")
    out += _diff_list(old.get("consensus", []), new.get("consensus", []), lambda c: (c["proposal"], c["criterion"]),
                      "consensus", lambda k: f"{k[0]}, {k[1]}")
    return out


def _trail(db: sqlite_utils.Database, sealed_head: dict | None) -> tuple[bool, str]:
    """The whole audit trail's chain, and whether it still holds the event the record sealed."""
    chain = audit.verify_chain(db)
    if not chain.ok or not sealed_head:
        return chain.ok, chain.sentence()
    row = db.execute("SELECT hash FROM audit WHERE id = ?", [sealed_head["id"]]).fetchone()
    if row is None or (row[0] is not None and row[0] != sealed_head["hash"]):
        return False, _("The audit trail no longer holds the event this record sealed (event {number}): the trail "
                        "was rewritten or cut after the record was made.", number=sealed_head["id"])
    return True, chain.sentence()


FOLLOW_UP = ("acceptance", "notified_on", "answered_on", "lapsed_on", "agreement_signed_on", "cancelled_at")


def untraced_follow_up(db: sqlite_utils.Database, call: dict) -> list[str]:
    """Each follow-up fact of a selection that is not what its last audit event recorded: the services write
    both in one transaction, so a difference is a change made around them."""
    expected: dict[int, dict] = {}
    for e in audit.events(db, call=call["reference"]):
        new = e["new"] or {}
        if e["action"] == "selection.recorded" and "selection" in new:
            expected[new["selection"]] = {"acceptance": "pending", **{k: None for k in FOLLOW_UP[1:]}}
        elif (e["target"] or "").startswith("selection:"):
            expected.setdefault(int(e["target"].removeprefix("selection:")), {}).update(
                {k: v for k, v in new.items() if k in FOLLOW_UP})
    out = []
    for s in queries.selections(db, call["id"], cancelled=True):
        for k, v in sorted(expected.get(s["id"], {}).items()):
            if s[k] != v:
                out.append(_("selection of {entity} for {slot}: {field} is {value} but the audit trail recorded "
                             "{recorded}", entity=s["entity"], slot=s["slot_name"], field=k, value=_fmt(s[k]),
                             recorded=_fmt(v)))
    return out


def _since(db: sqlite_utils.Database, call: dict, record_id: int) -> int:
    """The audit event of the selection that made the record (0 if none: every correction counts)."""
    for e in audit.events(db, call=call["reference"], action_prefix="selection.recorded"):
        if (e["new"] or {}).get("record") == record_id:
            return e["id"]
    return 0


def verify(db: sqlite_utils.Database, reference: str | None = None, record_id: int | None = None) -> Verification:
    """Check a record's hash and ranking, and list what changed in the database since it was made."""
    call = queries.resolve_call(db, reference)
    if record_id is None:
        row = latest(db, call["id"])
    else:
        rows = list(db.query("SELECT * FROM decision_records WHERE id = ? AND call_id = ?", [record_id, call["id"]]))
        row = rows[0] if rows else None
    if row is None:
        raise LookupError(_("no decision record for call {reference}: it is made when a selection is recorded",
                            reference=repr(call["reference"])))
    doc = json.loads(row["snapshot"])
    hash_ok = digest(doc) == row["sha256"]
    stored = bundle.Bundle.model_validate_json(json.dumps(doc["bundle"], ensure_ascii=False))
    recomputed = queries.bundle_inputs(stored).rank().to_contract(stored.call.reference)
    result = Verification(record_id=row["id"], sha256=row["sha256"], created_at=row["created_at"], hash_ok=hash_ok,
                          ranking_ok=recomputed == doc["ranking"])
    result.trail_ok, result.trail = _trail(db, doc.get("audit_head"))
    current_bundle = bundle.export(db, call["reference"])
    now = _bundle_dict(current_bundle)
    result.changes = differences(doc["bundle"], now)
    sealed = (doc.get("decision") or {}).get("selection")
    if sealed and row["selection_id"] is not None:
        current = _decision(db, call["id"], row["selection_id"])["selection"]
        result.changes += [_("selection: {field}: {before} -> {after}", field=k, before=_fmt(sealed[k]),
                             after=_fmt(current[k])) for k in sorted(sealed) if sealed[k] != current[k]]
    result.changes += untraced_follow_up(db, call)
    result.corrections = [_("{date}: {what} by {who} (reason: {reason})", date=words.date(c["at"]), what=c["what"],
                            who=c["who"], reason=c["reason"])
                          for c in corrections.corrections(db, call, after_event=_since(db, call, row["id"]))]
    if result.changes:
        current = queries.bundle_inputs(current_bundle).rank().to_contract(call["reference"])
        before = {s["slot"]: s["shortlist"] for s in doc["ranking"]["slots"]}
        for s in current["slots"]:
            if before.get(s["slot"]) != s["shortlist"]:
                result.changes.append(_("shortlist of {slot}: {before} -> {after}", slot=s["slot"],
                                        before=before.get(s["slot"]), after=s["shortlist"]))
    return result
