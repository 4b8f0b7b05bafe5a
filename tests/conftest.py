"""Shared fixtures: the contract's example bundle, a fresh store, a builder of small bundles,
and the catalogue of invalid bundles (one case per rule of BUNDLE.md).

The example is a copy of shared/contract/bundle-example.json kept in tests/data/ so that the
tests run the same in a developer's tree and in CI's fresh clone (where shared/ sits beside
the repository, not inside it). ``test_example_copy_matches_contract`` in test_bundle.py says
when the two drift apart.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from criteria import ranking as rk
from selection import bundle as bundle_mod
from selection import accounts, queries, store

TESTS = Path(__file__).parent
REPO = TESTS.parent
EXAMPLE_PATH = TESTS / "data" / "bundle-example.json"
EXAMPLE = json.loads(EXAMPLE_PATH.read_text(encoding="utf-8"))
EXAMPLE_REF = EXAMPLE["call"]["reference"]


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch):
    """Argon2 stays argon2, at its cheapest cost, in every test: the demo's eight accounts
    and each page test's sign-ins would otherwise spend seconds hashing. Verification reads
    the cost from the stored hash, so the browser test's app process is cheap as well."""
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def example_path() -> Path:
    return EXAMPLE_PATH


@pytest.fixture
def example_dict() -> dict:
    """A fresh deep copy of the contract's example bundle, free to mutate."""
    return copy.deepcopy(EXAMPLE)


@pytest.fixture
def example_bundle() -> bundle_mod.Bundle:
    return bundle_mod.from_dict(copy.deepcopy(EXAMPLE))


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "store" / "selection.db"


@pytest.fixture
def db(db_path):
    database = store.connect(db_path)
    yield database
    database.conn.close()


@pytest.fixture
def counts():
    """``counts(db)``: row count of every table, to prove that nothing was written."""
    return table_counts


@pytest.fixture
def bundle_builder():
    """The :class:`BundleBuilder` class: ``bundle_builder(criteria=[...], min_reviews=1)``."""
    return BundleBuilder


def table_counts(db) -> dict[str, int]:
    names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {n: db.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in sorted(names)}


# --------------------------------------------------------------------------- builder


class BundleBuilder:
    """A minimal valid bundle, told only what a rule test is about.

    Criteria are ``(id, weight, priority)`` or ``(id, weight, priority, threshold)``; every
    proposal gets its own entity ``e-<proposal id>``; a reviewer is added the first time it
    is named. ``review("r1", "p1", [4, 3])`` gives scores in the criteria's bundle order
    (a dict ``{"a": 4}`` gives only those criteria: a partial review).
    """

    def __init__(
        self,
        criteria=(("c1", 1, 1),),
        *,
        scale: tuple[float, float, float] | None = None,
        min_reviews: int = 1,
        overall_threshold: float | None = None,
        slots=("s1",),
        reference: str = "TEST-CALL-1",
    ):
        crit = []
        for c in criteria:
            cid, weight, priority, *threshold = c
            row = {"id": cid, "name": f"Criterion {cid}", "weight": weight, "priority": priority}
            if threshold and threshold[0] is not None:
                row["threshold"] = threshold[0]
            crit.append(row)
        call = {
            "reference": reference,
            "title": "A test call",
            "min_reviews": min_reviews,
            "slots": [{"id": s, "name": f"Slot {s}", "level": "regional"} for s in slots],
            "criteria": crit,
        }
        if scale is not None:
            call["scale"] = {"min": scale[0], "max": scale[1], "step": scale[2]}
        if overall_threshold is not None:
            call["overall_threshold"] = overall_threshold
        self.data = {
            "format": "host-selection-bundle/1",
            "call": call,
            "entities": [],
            "proposals": [],
            "reviewers": [],
            "conflicts": [],
            "scores": [],
            "consensus": [],
        }

    @property
    def criterion_ids(self) -> list[str]:
        return [c["id"] for c in self.data["call"]["criteria"]]

    def proposal(self, pid: str, *, slots=None, status: str = "eligible", name: str | None = None) -> BundleBuilder:
        self.data["entities"].append({"id": f"e-{pid}", "name": name or f"Entity of {pid}"})
        self.data["proposals"].append(
            {"id": pid, "entity": f"e-{pid}", "slots": list(slots or [self.data["call"]["slots"][0]["id"]]),
             "status": status}
        )
        return self

    def reviewer(self, rid: str, name: str | None = None) -> BundleBuilder:
        if all(r["id"] != rid for r in self.data["reviewers"]):
            self.data["reviewers"].append({"id": rid, "name": name or f"Reviewer {rid}"})
        return self

    def review(self, reviewer: str, proposal: str, scores) -> BundleBuilder:
        self.reviewer(reviewer)
        if not isinstance(scores, dict):
            scores = dict(zip(self.criterion_ids, scores, strict=True))
        for criterion, score in scores.items():
            self.data["scores"].append(
                {"reviewer": reviewer, "proposal": proposal, "criterion": criterion, "score": score}
            )
        return self

    def reviews(self, proposal: str, *rows) -> BundleBuilder:
        """One full review per row, from reviewers r1, r2, ... in turn."""
        for i, row in enumerate(rows, start=1):
            self.review(f"r{i}", proposal, row)
        return self

    def conflict(self, reviewer: str, proposal: str) -> BundleBuilder:
        self.reviewer(reviewer)
        self.data["conflicts"].append({"reviewer": reviewer, "proposal": proposal})
        return self

    def consensus(self, proposal: str, scores: dict) -> BundleBuilder:
        for criterion, score in scores.items():
            self.data["consensus"].append({"proposal": proposal, "criterion": criterion, "score": score})
        return self

    def dict(self) -> dict:
        return copy.deepcopy(self.data)

    def bundle(self) -> bundle_mod.Bundle:
        return bundle_mod.from_dict(self.dict())

    def ranking(self) -> rk.Ranking:
        return queries.bundle_inputs(self.bundle()).rank()

    def rank(self) -> dict:
        """The ``rank --json`` document of this bundle."""
        return self.ranking().to_contract(self.data["call"]["reference"])

    def slot(self, slot_id: str | None = None) -> dict:
        doc = self.rank()
        slot_id = slot_id or doc["slots"][0]["slot"]
        return next(s for s in doc["slots"] if s["slot"] == slot_id)


# --------------------------------------------------------------------------- invalid bundles
#
# One case per rule of "What makes a bundle invalid", each a change to the example bundle
# and the place (and, where the contract fixes it, the words) the refusal must name.


def _set(path: str, value):
    """A mutation that sets ``a.b[2].c`` (written as "a.b.2.c") to value."""

    def mutate(d):
        *parents, last = path.split(".")
        target = d
        for p in parents:
            target = target[int(p)] if p.isdigit() else target[p]
        target[int(last) if last.isdigit() else last] = value

    return mutate


def _drop(path: str):
    def mutate(d):
        *parents, last = path.split(".")
        target = d
        for p in parents:
            target = target[int(p)] if p.isdigit() else target[p]
        del target[int(last) if last.isdigit() else last]

    return mutate


def _rename_weight(d):
    d["call"]["criteria"][2]["wieght"] = d["call"]["criteria"][2].pop("weight")


def _dup_score(d):
    d["scores"].insert(1, {**d["scores"][0], "score": 1})


def _dup_consensus(d):
    d["consensus"].append({"proposal": "p-coral", "criterion": "capacity", "score": 4})


INVALID_CASES = [
    # id, mutation, path the message must name, words it must contain (or None)
    # -- unknown keys, top level and nested
    ("unknown-top-key", _set("comment", "x"), "comment", "unknown key"),
    ("unknown-call-key", _set("call.budget", 5), "call.budget", "unknown key"),
    ("unknown-scale-key", _set("call.scale.mid", 2), "call.scale.mid", "unknown key"),
    ("unknown-dates-key", _set("call.dates.opened_on", "2026-01-01"), "call.dates.opened_on", "unknown key"),
    ("unknown-slot-key", _set("call.slots.1.capital", "x"), "call.slots[1].capital", "unknown key"),
    ("typo-weight-unknown", _rename_weight, "call.criteria[2].wieght", "unknown key"),
    ("typo-weight-missing", _rename_weight, "call.criteria[2].weight", "missing"),
    ("unknown-entity-key", _set("entities.0.phone", "1"), "entities[0].phone", "unknown key"),
    ("unknown-proposal-key", _set("proposals.3.budget", 1), "proposals[3].budget", "unknown key"),
    ("unknown-reviewer-key", _set("reviewers.1.email", "a@b.c"), "reviewers[1].email", "unknown key"),
    ("unknown-conflict-key", _set("conflicts.0.since", "2020"), "conflicts[0].since", "unknown key"),
    ("unknown-score-key", _set("scores.17.comment", "x"), "scores[17].comment", "unknown key"),
    ("unknown-consensus-key", _set("consensus.0.by", "x"), "consensus[0].by", "unknown key"),
    # -- missing required keys
    ("missing-format", _drop("format"), "format", "missing"),
    ("missing-call", _drop("call"), "call", "missing"),
    ("missing-reference", _drop("call.reference"), "call.reference", "missing"),
    ("missing-title", _drop("call.title"), "call.title", "missing"),
    ("missing-slots", _drop("call.slots"), "call.slots", "missing"),
    ("missing-criteria", _drop("call.criteria"), "call.criteria", "missing"),
    ("missing-slot-id", _drop("call.slots.0.id"), "call.slots[0].id", "missing"),
    ("missing-slot-level", _drop("call.slots.1.level"), "call.slots[1].level", "missing"),
    ("missing-criterion-priority", _drop("call.criteria.1.priority"), "call.criteria[1].priority", "missing"),
    ("missing-entity-name", _drop("entities.2.name"), "entities[2].name", "missing"),
    ("missing-proposal-entity", _drop("proposals.0.entity"), "proposals[0].entity", "missing"),
    ("missing-proposal-slots", _drop("proposals.0.slots"), "proposals[0].slots", "missing"),
    ("missing-proposal-status", _drop("proposals.4.status"), "proposals[4].status", "missing"),
    ("missing-reviewer-name", _drop("reviewers.3.name"), "reviewers[3].name", "missing"),
    ("missing-conflict-reviewer", _drop("conflicts.0.reviewer"), "conflicts[0].reviewer", "missing"),
    ("missing-score-value", _drop("scores.3.score"), "scores[3].score", "missing"),
    ("missing-consensus-criterion", _drop("consensus.0.criterion"), "consensus[0].criterion", "missing"),
    # -- wrong types
    ("type-title-number", _set("call.title", 5), "call.title", None),
    ("type-min-reviews-string", _set("call.min_reviews", "3"), "call.min_reviews", None),
    ("type-scale-max-string", _set("call.scale.max", "5"), "call.scale.max", None),
    ("type-threshold-string", _set("call.overall_threshold", "60"), "call.overall_threshold", None),
    ("type-slots-object", _set("call.slots", {"id": "africa"}), "call.slots", None),
    ("type-weight-string", _set("call.criteria.0.weight", "25"), "call.criteria[0].weight", None),
    ("type-priority-fraction", _set("call.criteria.0.priority", 1.5), "call.criteria[0].priority", None),
    ("type-score-string", _set("scores.17.score", "4"), "scores[17].score", None),
    ("type-score-bool", _set("scores.17.score", True), "scores[17].score", None),
    ("type-proposal-slots-string", _set("proposals.0.slots", "africa"), "proposals[0].slots", None),
    ("type-sections-list", _set("proposals.0.sections", ["text"]), "proposals[0].sections", None),
    ("type-entities-object", _set("entities", {"e-x": {"name": "X"}}), "entities", None),
    ("type-date-not-iso", _set("call.dates.notified_on", "15/01/2026"), "call.dates.notified_on", None),
    ("type-datetime-not-iso", _set("proposals.1.submitted_at", "yesterday"), "proposals[1].submitted_at", None),
    ("type-status-unknown", _set("proposals.1.status", "accepted"), "proposals[1].status", None),
    ("type-level-unknown", _set("call.slots.0.level", "national"), "call.slots[0].level", None),
    ("type-empty-id", _set("call.slots.0.id", ""), "call.slots[0].id", None),
    ("type-country-not-alpha2", _set("entities.0.country", "Kenya"), "entities[0].country", None),
    ("min-reviews-zero", _set("call.min_reviews", 0), "call.min_reviews", None),
    ("overall-threshold-above-100", _set("call.overall_threshold", 101), "call.overall_threshold", None),
    # -- unknown format
    ("format-unknown", _set("format", "host-selection-bundle/2"), "format", "unknown format"),
    ("format-number", _set("format", 1), "format", None),
    # -- duplicate ids within one list
    ("dup-slot-id", _set("call.slots.1.id", "africa"), "call.slots[1].id", "duplicate of call.slots[0]"),
    ("dup-criterion-id", _set("call.criteria.3.id", "networks"), "call.criteria[3].id", "duplicate of call.criteria[0]"),
    ("dup-entity-id", _set("entities.5.id", "e-savanna"), "entities[5].id", "duplicate of entities[0]"),
    ("dup-proposal-id", _set("proposals.2.id", "p-lakes"), "proposals[2].id", "duplicate of proposals[1]"),
    ("dup-reviewer-id", _set("reviewers.3.id", "r1"), "reviewers[3].id", "duplicate of reviewers[0]"),
    ("dup-slot-in-proposal", _set("proposals.0.slots", ["africa", "africa"]), "proposals[0].slots[1]", "duplicate"),
    # -- references to ids that do not exist
    ("ref-proposal-entity", _set("proposals.0.entity", "e-nowhere"), "proposals[0].entity", "e-nowhere"),
    ("ref-proposal-slot", _set("proposals.3.slots", ["asia-pacific", "europe"]), "proposals[3].slots[1]", "europe"),
    ("ref-section-key", _set("proposals.0.sections.budget", "text"), "proposals[0].sections.budget", "budget"),
    ("ref-conflict-reviewer", _set("conflicts.0.reviewer", "r9"), "conflicts[0].reviewer", "r9"),
    ("ref-conflict-proposal", _set("conflicts.0.proposal", "p-nowhere"), "conflicts[0].proposal", "p-nowhere"),
    ("ref-score-reviewer", _set("scores.5.reviewer", "r9"), "scores[5].reviewer", "r9"),
    ("ref-score-proposal", _set("scores.5.proposal", "p-nowhere"), "scores[5].proposal", "p-nowhere"),
    ("ref-score-criterion", _set("scores.5.criterion", "budget"), "scores[5].criterion", "budget"),
    ("ref-consensus-proposal", _set("consensus.0.proposal", "p-nowhere"), "consensus[0].proposal", "p-nowhere"),
    ("ref-consensus-criterion", _set("consensus.0.criterion", "budget"), "consensus[0].criterion", "budget"),
    # -- scores outside the scale or off its step
    ("score-above-max", _set("scores.17.score", 7), "scores[17].score", "7 is above the scale maximum 5"),
    ("score-below-min", _set("scores.17.score", -0.5), "scores[17].score", "below the scale minimum 0"),
    ("score-off-step", _set("scores.17.score", 2.25), "scores[17].score", "step"),
    ("consensus-above-max", _set("consensus.0.score", 5.5), "consensus[0].score", "above the scale maximum 5"),
    ("consensus-off-step", _set("consensus.0.score", 3.3), "consensus[0].score", "step"),
    # -- two scores for one (reviewer, proposal, criterion); two consensus for one (proposal, criterion)
    ("dup-score", _dup_score, "scores[1]", "duplicate of scores[0]"),
    ("dup-consensus", _dup_consensus, "consensus[1]", "duplicate of consensus[0]"),
    # -- priorities, weights, no criteria, no slots
    ("dup-priority", _set("call.criteria.3.priority", 1), "call.criteria[3].priority", "duplicate of call.criteria[0]"),
    ("weight-zero", _set("call.criteria.0.weight", 0), "call.criteria[0].weight", None),
    ("weight-negative", _set("call.criteria.1.weight", -25), "call.criteria[1].weight", None),
    ("no-criteria", _set("call.criteria", []), "call.criteria", None),
    ("no-slots", _set("call.slots", []), "call.slots", None),
]


def pytest_generate_tests(metafunc):
    """Any test that asks for ``invalid_case`` runs once per rule: (bundle dict, path, words)."""
    if "invalid_case" in metafunc.fixturenames:
        params = []
        for case_id, mutate, path, words in INVALID_CASES:
            data = copy.deepcopy(EXAMPLE)
            mutate(data)
            params.append(pytest.param((data, path, words), id=case_id))
        metafunc.parametrize("invalid_case", params)


def problem_at(problems: list[str], path: str, words: str | None = None) -> str | None:
    """The first problem that names ``path`` (and contains ``words``), or None."""
    for p in problems:
        if p.startswith(f"{path}: ") or p.startswith(f"{path} ("):
            if words is None or words in p:
                return p
    return None


@pytest.fixture
def find_problem():
    return problem_at
