"""What the documents that leave the system read about one call, gathered once.

The assessment report and the exports show the same facts, so both start
here: the call and its criteria (anchors parsed), the slots, who sent each
proposal, how members are named, the contract's ranking and the panel
analysis (``selection.analysis.analyse``, the same figures as ``python -m
selection analyse``).

Members are named as the call asks: when ``calls.anonymous_conflicts`` is 1,
every member is "Member A", "Member B", ... (in the advisory group's order),
in the report and the exports alike, so that no document links a conflict
declaration or a left-out review to a name.
"""

from __future__ import annotations

import json
import string
from dataclasses import dataclass, field

import pandas as pd
import sqlite_utils

from criteria import ranking as rk
from criteria import robustness
from criteria.sets import ANCHOR_LABELS
from selection import analysis, audit, queries, record
from selection.content import CallTexts
from selection.i18n import N_, _

SECRETARIAT_FALLBACK = N_("The Secretariat")
# The generic anchored scale of ``criteria.sets.ANCHOR_LABELS``, marked here for the catalogues
GENERIC_ANCHORS = (N_("No evidence"), N_("Very weak"), N_("Weak"), N_("Adequate"), N_("Strong"), N_("Outstanding"))


def secretariat(call: dict) -> str:
    """Who prepares the documents: the call's secretariat, or "The Secretariat"."""
    name = (call.get("secretariat_name") or "").strip()
    return name or _(SECRETARIAT_FALLBACK)


def member_label(i: int) -> str:
    """Member A, B, ..., Z, AA, AB, ... for the i-th member (0-based)."""
    letters = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        letters = string.ascii_uppercase[r] + letters
    return _("Member {letters}", letters=letters)


def anchors_of(row: dict) -> dict[int, str]:
    """A criterion's anchored scale (0-5 points -> meaning); the generic labels when it has none
    or the stored JSON is damaged."""
    try:
        raw = json.loads(row.get("anchors") or "null")
        parsed = {int(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}
    except (ValueError, TypeError, AttributeError):
        parsed = {}
    return parsed if all(k in parsed for k in range(6)) else {k: _(v) for k, v in ANCHOR_LABELS.items()}


@dataclass
class CallData:
    call: dict
    criteria: list[dict]  # criteria rows in the call's order, with "anchors" parsed
    slots: list[dict]
    entities: dict[str, dict]  # proposal id -> entity row
    reviewers: dict[str, str]  # reviewer id -> how documents name the member
    inputs: queries.RankingInputs
    scores: rk.CriterionScores  # valid reviews, criterion scores, reviews left out
    ranking: rk.Ranking
    draws: int
    record: dict | None = None  # the latest frozen decision record's seal (no snapshot), if a selection was made
    revised_scores: int = 0  # scores changed after their review was submitted
    _analysis: dict | None = field(default=None, repr=False)
    _robustness: dict[str, dict] = field(default_factory=dict, repr=False)

    @property
    def reference(self) -> str:
        return self.call["reference"]

    @property
    def anonymous(self) -> bool:
        return bool(self.call.get("anonymous_conflicts"))

    @property
    def analysis(self) -> dict:
        """The panel analysis, computed the first time it is asked for (robustness takes the time)."""
        if self._analysis is None:
            self._analysis = analysis.analyse(self.inputs, draws=self.draws)
        return self._analysis

    def slot_analysis(self, slot_id: str) -> dict:
        return next((s for s in self.analysis.get("slots", []) if s.get("slot") == slot_id), {})

    def slot_robustness(self, slot_id: str) -> dict:
        """One slot's shortlist robustness as ``analyse`` reports it (the same function on the same
        ranking, with its defaults), computed on its own: the report reads nothing else of the panel
        analysis, whose other parts cost as much again."""
        if self._analysis is not None:
            return self.slot_analysis(slot_id).get("robustness") or {}
        if slot_id not in self._robustness:
            sr = self.ranking.slot(slot_id)
            self._robustness[slot_id] = robustness.robustness(sr.slot, sr.table, self.inputs.rules,
                                                              draws=self.draws).to_dict()
        return self._robustness[slot_id]


def load(db: sqlite_utils.Database, reference: str | None = None, *, draws: int = robustness.DRAWS) -> CallData:
    call = queries.resolve_call(db, reference)
    cid = call["id"]
    texts = CallTexts(db, cid)  # slot and criterion names in the reader's language where the call has them
    crits = texts.criteria(list(db.query("SELECT * FROM criteria WHERE call_id = ? ORDER BY position", [cid])))
    for row in crits:
        row["anchors"] = anchors_of(row)
    people = list(db.query("SELECT id, name FROM reviewers WHERE call_id = ? ORDER BY position, id", [cid]))
    if call.get("anonymous_conflicts"):
        reviewers = {r["id"]: member_label(i) for i, r in enumerate(people)}
    else:
        reviewers = {r["id"]: r["name"] for r in people}
    inputs = queries.ranking_inputs(db, call["reference"])
    scores = inputs.criterion_scores()
    ranking = rk.rank(proposals=inputs.proposals, applications=inputs.applications, slots=inputs.slots,
                      scores=scores, rules=inputs.rules)
    return CallData(
        call=call,
        criteria=crits,
        slots=[{**slot, "name": texts.slot(slot["id"], slot["name"]).text}
               for slot in db.query("SELECT * FROM slots WHERE call_id = ? ORDER BY position", [cid])],
        entities=queries.proposal_entities(db, cid),
        reviewers=reviewers,
        inputs=inputs,
        scores=scores,
        ranking=ranking,
        draws=draws,
        record=record.latest_seal(db, cid),
        revised_scores=audit.revised_scores(db, call["reference"]),
    )


def _justification_rows(db: sqlite_utils.Database, call_id: int, proposals: list[str]):
    """(reviewer, proposal, criterion, score, justification) of every score of these proposals, in the
    members' order."""
    marks = ",".join("?" * len(proposals))
    return db.execute(
        f"SELECT s.reviewer_id, s.proposal_id, s.criterion_id, s.score, s.justification FROM scores s "
        f"LEFT JOIN reviewers r ON r.call_id = s.call_id AND r.id = s.reviewer_id "
        f"WHERE s.call_id = ? AND s.proposal_id IN ({marks}) ORDER BY r.position, s.reviewer_id",
        [call_id, *proposals],
    )


def justifications(db: sqlite_utils.Database, call_id: int, proposals: list[str]) -> pd.DataFrame:
    """Every score with its justification for these proposals: reviewer, proposal, criterion, score,
    justification (valid or not: the caller filters)."""
    if not proposals:
        return pd.DataFrame(columns=["reviewer", "proposal", "criterion", "score", "justification"])
    rows = _justification_rows(db, call_id, proposals).fetchall()
    return pd.DataFrame(rows, columns=["reviewer", "proposal", "criterion", "score", "justification"])


def valid_reasons(db: sqlite_utils.Database, call_id: int, proposals: list[str],
                  left_out: set[tuple[str, str]]) -> dict[tuple[str, str], list[tuple[float, str | None]]]:
    """(proposal, criterion) -> the (score, justification) of each review not ``left_out`` (reviewer,
    proposal), in the members' order; read row by row (a large call has two million, too many for a
    table in between). A reason never written is None."""
    out: dict[tuple[str, str], list[tuple[float, str | None]]] = {}
    if not proposals:
        return out
    for reviewer, proposal, criterion, score, text in _justification_rows(db, call_id, proposals):
        if (reviewer, proposal) not in left_out:
            out.setdefault((proposal, criterion), []).append((float(score), text))
    return out


def consensus_notes(db: sqlite_utils.Database, call_id: int) -> dict[tuple[str, str], dict]:
    """(proposal, criterion) -> {"score", "note"} for every consensus score of the call."""
    return {
        (p, c): {"score": s, "note": n}
        for p, c, s, n in db.execute(
            "SELECT proposal_id, criterion_id, score, note FROM consensus WHERE call_id = ?", [call_id]
        )
    }
