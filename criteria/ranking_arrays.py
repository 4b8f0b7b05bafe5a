"""The contract's ranking (rules 1-8) on plain rows and numpy arrays: the ``rank --json`` document without pandas.

Importing pandas costs most of a second, more than ranking the largest call; the command reads the store's rows
and ranks them here. Every step gives the same numbers as :mod:`criteria.ranking` to the last bit (the test
compares both documents): the totals, passing, order and ranks are the same functions (:mod:`criteria.rules`),
and the mean of a criterion's valid scores is summed like pandas' grouped mean, row after row in the store's
order with Kahan's compensation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import repeat
from operator import itemgetter

import numpy as np

from criteria.rules import (
    DECIMALS,
    NOT_RANKED_STATUSES,
    SHORTLIST_RANK,
    Rules,
    order_of,
    passing,
    ranks_and_ties,
    row_totals,
)


def _codes(values: Sequence[str], known: dict[str, int]) -> np.ndarray:
    """Each value's integer code, new values coded after the known ones (``known`` grows)."""
    for v in set(values).difference(known):
        known[v] = len(known)
    return np.array(list(map(known.__getitem__, values)), dtype=np.int64)


def _coded(rows: Sequence[tuple], reviewers: dict[str, int], proposals: dict[str, int],
           criteria: dict[str, int]) -> tuple[np.ndarray, ...]:
    """A batch of score rows as reviewer, proposal and criterion codes and values; a score on a criterion the
    call does not have counts nowhere and is left out."""
    reviewer_of, proposal_of, criterion_of, value = (list(map(itemgetter(k), rows)) for k in range(4))
    criterion = np.array(list(map(criteria.get, criterion_of, repeat(-1, len(criterion_of)))), dtype=np.int64)
    known = criterion >= 0
    return (_codes(reviewer_of, reviewers)[known], _codes(proposal_of, proposals)[known], criterion[known],
            np.array(value, dtype=float)[known])


def grouped_mean(cell: np.ndarray, values: np.ndarray, cells: int) -> tuple[np.ndarray, np.ndarray]:
    """Per cell, the mean of its values (NaN where none) and how many there were.

    Summed as pandas' grouped mean sums: in the rows' order, compensated (Kahan), so that both give the
    same double. The rows are taken one rank at a time: the first value of every cell, then the second..."""
    order = np.argsort(cell, kind="stable")
    cell, values = cell[order], values[order]
    count = np.bincount(cell, minlength=cells)
    first = np.concatenate(([0], np.cumsum(count)[:-1]))
    rank_in_cell = np.arange(len(cell)) - first[cell]
    total = np.zeros(cells)
    compensation = np.zeros(cells)
    for k in range(int(count.max()) if len(cell) else 0):
        at = rank_in_cell == k
        c = cell[at]
        y = values[at] - compensation[c]
        t = total[c] + y
        comp = (t - total[c]) - y
        compensation[c] = np.where(np.isnan(comp), 0.0, comp)
        total[c] = t
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    return mean, count


def rank_document(
    reference: str,
    rules: Rules,
    *,
    proposals: Sequence[tuple[str, str, str]],
    applications: Iterable[tuple[str, str]],
    slots: Sequence[str],
    scores: Iterable[Sequence[tuple[str, str, str, float]]],
    conflicts: Iterable[tuple[str, str]],
    consensus: Iterable[tuple[str, str, float]],
) -> dict:
    """The ``rank --json`` document, as :meth:`criteria.ranking.Ranking.to_contract` gives it.

    ``proposals``: (id, entity, status) in the call's order; ``applications``: (proposal, slot);
    ``scores``: batches of (reviewer, proposal, criterion, score) rows in the store's order (read a batch at a
    time, two million scores never stand as Python rows at once); ``conflicts``: (reviewer,
    proposal); ``consensus``: (proposal, criterion, score)."""
    ids = rules.ids
    n_crit = len(ids)
    crit_code = {c: j for j, c in enumerate(ids)}
    proposal_code = {p[0]: i for i, p in enumerate(proposals)}
    n_known = len(proposal_code)

    reviewer_code: dict[str, int] = {}
    parts = [_coded(rows, reviewer_code, proposal_code, crit_code) for rows in scores]
    reviewer, proposal, criterion, value = (np.concatenate([p[k] for p in parts]) if parts else
                                            np.zeros(0, dtype=np.int64 if k < 3 else float) for k in range(4))
    n_prop, n_rev = len(proposal_code), len(reviewer_code)

    pair = reviewer * n_prop + proposal  # one review: a reviewer's scores on a proposal
    declared = [reviewer_code[r] * n_prop + proposal_code[p] for r, p in conflicts
                if r in reviewer_code and p in proposal_code]
    conflicted = np.zeros(n_rev * n_prop, dtype=bool)
    conflicted[np.array(declared, dtype=np.int64)] = True
    scored = np.zeros(n_rev * n_prop * n_crit, dtype=bool)
    scored[pair * n_crit + criterion] = True
    complete = scored.reshape(-1, n_crit).all(axis=1)  # the review covers every criterion
    valid_review = complete & ~conflicted
    valid = valid_review[pair]

    cells = n_prop * n_crit
    means, _ = grouped_mean(proposal[valid] * n_crit + criterion[valid], value[valid], cells)
    reviews = valid_review.reshape(n_rev, n_prop).sum(axis=0)[:n_known]

    agreed = np.full(cells, np.nan)
    for p, c, score in consensus:
        if p in proposal_code and c in crit_code:
            cell = proposal_code[p] * n_crit + crit_code[c]
            if np.isnan(agreed[cell]):  # the first, as pandas' pivot with "first"
                agreed[cell] = score
    agreed = agreed.reshape(n_prop, n_crit)[:n_known]
    matrix = np.where(np.isnan(agreed), means.reshape(n_prop, n_crit)[:n_known], agreed)
    full = ~np.isnan(agreed).any(axis=1)

    status = [p[2] for p in proposals]
    not_ranked = np.array([s in NOT_RANKED_STATUSES for s in status], dtype=bool)
    rankable = ~not_ranked & ((reviews >= rules.min_reviews) | full)

    rows = np.flatnonzero(rankable)
    total = row_totals(matrix[rows], rules)
    passes = passing(matrix[rows], total, rules)
    by_priority = [crit_code[c] for c in rules.by_priority]
    keys = np.column_stack([total, matrix[rows][:, by_priority]]).round(DECIMALS)
    at = order_of(np.array([proposals[i][0] for i in rows], dtype=str), keys)
    rows, total, passes, keys = rows[at], total[at], passes[at], keys[at]

    members_of: dict[str, set[int]] = {}
    for p, s in applications:
        if p in proposal_code and proposal_code[p] < n_known:
            members_of.setdefault(s, set()).add(proposal_code[p])
    return {"call": reference, "slots": [
        _slot(slot, sorted(members_of.get(slot, ())), proposals, rankable, reviews, matrix, ids,
              rows, total, passes, keys) for slot in slots]}


def _slot(slot, members, proposals, rankable, reviews, matrix, ids, rows, total, passes, keys) -> dict:
    """One slot's part of the document: its ranked members in rule 6's order, then the unranked."""
    inside = np.isin(rows, np.array(members, dtype=np.int64))
    rank, tie = ranks_and_ties(keys[inside])
    chosen = passes[inside] & (rank <= SHORTLIST_RANK)
    ranking = [
        {
            "proposal": proposals[i][0],
            "entity": proposals[i][1],
            "rank": int(r),
            "total": float(t),
            "criteria": dict(zip(ids, matrix[i].tolist())),
            "reviews": int(reviews[i]),
            "passes": bool(ok),
            "tie": bool(tied),
            "shortlisted": bool(short),
        }
        for i, r, t, ok, tied, short in zip(rows[inside].tolist(), rank.tolist(), total[inside].tolist(),
                                            passes[inside].tolist(), tie.tolist(), chosen.tolist())
    ]
    unranked = [{"proposal": proposals[m][0], "reason": proposals[m][2] if proposals[m][2] in NOT_RANKED_STATUSES
                 else "insufficient_reviews"} for m in members if not rankable[m]]
    return {"slot": slot, "ranking": ranking, "unranked": unranked,
            "shortlist": [row["proposal"] for row in ranking if row["shortlisted"]]}
