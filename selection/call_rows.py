"""A call found by its reference, its ranking rules, and its ``rank --json`` document, read with no pandas.

:mod:`selection.queries` reads the same rows into pandas frames for the pages, the analysis and the reports;
the ``rank`` command needs only the contract's document, and importing pandas would cost it more than the
ranking itself (:mod:`criteria.ranking_arrays`).
"""

from __future__ import annotations

import sqlite_utils

from criteria import ranking_arrays
from criteria.rules import CriterionRule, Rules


class NoSuchCall(LookupError):
    pass


def call_references(db: sqlite_utils.Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT reference FROM calls ORDER BY id")]


def resolve_call(db: sqlite_utils.Database, reference: str | None) -> dict:
    """The call row for ``reference``; with none given, the database's only call."""
    if reference is None:
        refs = call_references(db)
        if len(refs) != 1:
            found = ", ".join(refs) if refs else "none"
            raise NoSuchCall(f"--call is needed: the database holds {len(refs)} calls ({found})")
        reference = refs[0]
    rows = list(db.query("SELECT * FROM calls WHERE reference = ?", [reference]))
    if not rows:
        raise NoSuchCall(f"no call with reference {reference!r} in the database")
    return rows[0]


def rules_of(db: sqlite_utils.Database, call: dict) -> Rules:
    """How the call ranks: its criteria in the call's order, scale, minimum reviews and overall threshold."""
    criteria = db.query("SELECT id, weight, priority, threshold FROM criteria WHERE call_id = ? ORDER BY position",
                        [call["id"]])
    return Rules(
        criteria=tuple(CriterionRule(**c) for c in criteria),
        scale_min=call["scale_min"],
        scale_max=call["scale_max"],
        min_reviews=call["min_reviews"],
        overall_threshold=call["overall_threshold"],
    )


# What the ranking reads of a call, in the order :func:`selection.queries.ranking_inputs` reads it (the order of
# the scores decides how a mean is summed, to the last bit).
SLOTS = "SELECT id FROM slots WHERE call_id = ? ORDER BY position"
PROPOSALS = "SELECT id, entity_id, status FROM proposals WHERE call_id = ? AND status <> 'draft' ORDER BY position"
APPLICATIONS = "SELECT proposal_id, slot_id FROM proposal_slots WHERE call_id = ?"
SCORES = "SELECT reviewer_id, proposal_id, criterion_id, score FROM scores WHERE call_id = ?"
CONFLICTS = "SELECT reviewer_id, proposal_id FROM conflicts WHERE call_id = ?"
CONSENSUS = "SELECT proposal_id, criterion_id, score FROM consensus WHERE call_id = ?"
BATCH = 100_000  # score rows read at a time


def rank_document(db: sqlite_utils.Database, reference: str | None) -> dict:
    """The call's ``rank --json`` document, the same as ``ranking_inputs(db, reference).rank().to_contract()``."""
    call = resolve_call(db, reference)

    def rows(sql: str) -> list[tuple]:
        return db.execute(sql, [call["id"]]).fetchall()

    scores = db.execute(SCORES, [call["id"]])
    return ranking_arrays.rank_document(
        call["reference"], rules_of(db, call), proposals=rows(PROPOSALS), applications=rows(APPLICATIONS),
        slots=[r[0] for r in rows(SLOTS)], scores=iter(lambda: scores.fetchmany(BATCH), []),
        conflicts=rows(CONFLICTS), consensus=rows(CONSENSUS))
