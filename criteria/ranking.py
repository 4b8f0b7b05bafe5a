r"""The ranking rules of the call bundle contract, on plain tables.

For proposal :math:`p`, criterion :math:`c` with weight :math:`w_c`, on a scale
``[lo, hi]``:

1. A *valid review* is one reviewer's set of scores on :math:`p` that covers
   every criterion, from a reviewer with no conflict declared on :math:`p`.
   Conflicted and partial reviews are left out of every figure (and listed in
   ``excluded``).
2. :math:`s_{pc}` is the consensus score when one exists, else the mean of the
   valid reviews' scores.
3. :math:`p` is ranked when it is neither withdrawn nor ineligible and has at
   least ``min_reviews`` valid reviews or a consensus score on every criterion.
4. :math:`T_p = 100 \cdot \sum_c w_c (s_{pc} - lo)/(hi - lo) \,/\, \sum_c w_c`.
5. Order: :math:`T_p` descending, then each criterion score in priority order
   descending; still equal is a tie (competition ranking 1, 2, 2, 4; listed by
   id within the tie). Comparisons use values rounded to 6 decimals.
6. :math:`p` passes when every criterion with a threshold has
   :math:`s_{pc} \ge` threshold and, if set, :math:`T_p \ge` the overall
   threshold. The shortlist is every passing ranked proposal of rank 3 or better.

Everything here takes pandas frames and returns frames or plain data: no
database, no pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from criteria.rules import (
    DECIMALS,
    NOT_RANKED_STATUSES,
    SHORTLIST_RANK,
    CriterionRule,
    Rules,
    competition_ranks,
    order_of,
    passing,
    ranks_and_ties,
    row_totals,
)

__all__ = [  # the rules' names are read from here by every caller, as before they had a module of their own
    "DECIMALS", "NOT_RANKED_STATUSES", "SHORTLIST_RANK", "CriterionRule", "Rules", "competition_ranks",
    "CriterionScores", "Ranking", "SlotRanking", "criterion_scores", "order", "passes", "rank", "shortlist_change",
    "sort_keys", "totals", "valid_scores", "what_if",
]


@dataclass
class CriterionScores:
    """Per proposal: the criterion scores, the count of valid reviews, and what was left out."""

    scores: pd.DataFrame  # index: proposal; columns: criterion ids; NaN where none
    reviews: pd.Series  # index: proposal; valid reviews
    full_consensus: pd.Series  # index: proposal; a consensus score on every criterion
    consensus: pd.DataFrame  # index: proposal; columns: criterion ids; NaN where none
    excluded: pd.DataFrame  # columns: reviewer, proposal, reason ("conflict" | "partial"), scores
    valid: pd.DataFrame | None = None  # the valid reviews' scores: reviewer, proposal, criterion, score


def valid_scores(
    scores: pd.DataFrame, conflicts: pd.DataFrame, criteria: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rule 1: the scores of valid reviews, and the reviews left out.

    Returns ``(valid, excluded)``: ``valid`` has columns reviewer, proposal,
    criterion, score; ``excluded`` reviewer, proposal, reason ("conflict" |
    "partial"), scores. Ranking and panel analytics both start here, so they
    never disagree on what counts.
    """
    s = scores[["reviewer", "proposal", "criterion", "score"]]
    s = s[s["criterion"].isin(criteria)]
    conflicted_pairs = pd.MultiIndex.from_frame(conflicts[["reviewer", "proposal"]].drop_duplicates())
    pair = pd.MultiIndex.from_frame(s[["reviewer", "proposal"]])
    conflicted = pair.isin(conflicted_pairs)
    covered = s.groupby(["reviewer", "proposal"], sort=False)["criterion"].transform("nunique").to_numpy()
    complete = covered == len(criteria)
    valid = s[~conflicted & complete]

    reason = np.where(conflicted, "conflict", "partial")
    left_out = s.assign(reason=reason)[conflicted | ~complete]
    excluded = (
        left_out.groupby(["reviewer", "proposal", "reason"], sort=False).size().rename("scores").reset_index()
    )
    return valid, excluded


def criterion_scores(
    scores: pd.DataFrame,
    conflicts: pd.DataFrame,
    consensus: pd.DataFrame,
    criteria: list[str],
) -> CriterionScores:
    """Rules 1-2: keep the valid reviews, average them, let consensus override.

    ``scores`` has columns reviewer, proposal, criterion, score; ``conflicts``
    reviewer, proposal; ``consensus`` proposal, criterion, score.
    """
    valid, excluded = valid_scores(scores, conflicts, criteria)
    means = valid.groupby(["proposal", "criterion"])["score"].mean().unstack("criterion")
    means = means.reindex(columns=criteria)
    reviews = valid.groupby("proposal")["reviewer"].nunique()

    cons = consensus.pivot_table(index="proposal", columns="criterion", values="score", aggfunc="first")
    cons = cons.reindex(columns=criteria)
    combined = cons.combine_first(means).reindex(columns=criteria)
    index = combined.index
    full = cons.notna().all(axis=1).reindex(index, fill_value=False)
    return CriterionScores(
        scores=combined,
        reviews=reviews.reindex(index, fill_value=0).astype(int),
        full_consensus=full.astype(bool),
        consensus=cons.reindex(index),
        excluded=excluded,
        valid=valid,
    )


def totals(scores: pd.DataFrame, rules: Rules) -> pd.Series:
    """Rule 4, for every row of a criterion-score frame at once.

    Each row is summed on its own (not by a matrix product, whose rounding
    depends on the row's place in the frame), so a proposal's total is the
    same to the last digit whichever other proposals share the frame.
    """
    return pd.Series(row_totals(scores[rules.ids].to_numpy(dtype=float), rules), index=scores.index, name="total")


def passes(scores: pd.DataFrame, total: pd.Series, rules: Rules) -> pd.Series:
    """Rule 7: every criterion threshold met and, where set, the overall threshold."""
    matrix = scores[rules.ids].to_numpy(dtype=float)
    return pd.Series(passing(matrix, total.to_numpy(dtype=float), rules), index=scores.index)


def sort_keys(table: pd.DataFrame, rules: Rules) -> np.ndarray:
    """Rule 6's keys, rounded: one row per row of ``table``, columns total then criteria by priority."""
    return table[["total", *rules.by_priority]].to_numpy(dtype=float).round(DECIMALS)


def _ranked(table: pd.DataFrame, keys: np.ndarray) -> pd.DataFrame:
    """Rows already sorted with their sorted keys: add rank and tie."""
    out = table.reset_index(drop=True)
    out["rank"], out["tie"] = ranks_and_ties(keys)
    return out


def _in_order(table: pd.DataFrame, keys: np.ndarray) -> np.ndarray:
    """Row positions sorted by the keys, highest first, then by proposal id."""
    return order_of(table["proposal"].to_numpy(dtype=str), keys)


def order(table: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """Rule 6: sort ranked rows and give competition ranks and tie flags.

    ``table`` has columns proposal, total and one per criterion.
    """
    keys = sort_keys(table, rules)
    at = _in_order(table, keys)
    return _ranked(table.iloc[at], keys[at])


def _shortlisted(ranked: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """Rule 8, and the columns of a slot's table in the contract's order."""
    ranked["shortlisted"] = ranked["passes"] & (ranked["rank"] <= SHORTLIST_RANK)
    return ranked[["proposal", "entity", "rank", "total", *ids, "reviews", "passes", "tie", "shortlisted"]]


@dataclass
class SlotRanking:
    slot: str
    table: pd.DataFrame  # proposal, entity, rank, total, <criteria>, reviews, passes, tie, shortlisted
    unranked: list[dict] = field(default_factory=list)  # {"proposal", "reason"}

    @property
    def shortlist(self) -> list[str]:
        return self.table.loc[self.table["shortlisted"], "proposal"].tolist()

    def tie_across_cutoff(self) -> bool:
        """More than three shortlisted: a tie at third place that the advisory group must break."""
        return len(self.shortlist) > SHORTLIST_RANK


@dataclass
class Ranking:
    slots: list[SlotRanking]
    criteria: list[str]
    excluded: pd.DataFrame

    def slot(self, slot_id: str) -> SlotRanking:
        return next(s for s in self.slots if s.slot == slot_id)

    def to_contract(self, call_reference: str) -> dict:
        """The ``rank --json`` document, numbers unrounded."""
        out = []
        for s in self.slots:
            rows = [
                {
                    "proposal": r["proposal"],
                    "entity": r["entity"],
                    "rank": int(r["rank"]),
                    "total": float(r["total"]),
                    "criteria": {c: float(r[c]) for c in self.criteria},
                    "reviews": int(r["reviews"]),
                    "passes": bool(r["passes"]),
                    "tie": bool(r["tie"]),
                    "shortlisted": bool(r["shortlisted"]),
                }
                for r in s.table.to_dict("records")
            ]
            out.append({"slot": s.slot, "ranking": rows, "unranked": s.unranked, "shortlist": s.shortlist})
        return {"call": call_reference, "slots": out}


def rank(
    *,
    proposals: pd.DataFrame,
    applications: pd.DataFrame,
    slots: list[str],
    scores: CriterionScores,
    rules: Rules,
) -> Ranking:
    """Rank every slot. ``proposals``: proposal, entity, status (in the call's order);
    ``applications``: proposal, slot."""
    ids = rules.ids
    p = proposals.set_index("proposal")
    crit = scores.scores.reindex(p.index)
    reviews = scores.reviews.reindex(p.index, fill_value=0).astype(int)
    full = scores.full_consensus.reindex(p.index, fill_value=False).astype(bool)
    excluded_status = p["status"].isin(NOT_RANKED_STATUSES)
    enough = (reviews >= rules.min_reviews) | full
    rankable = ~excluded_status & enough

    scored = crit[rankable]
    table = scored.copy()
    table["total"] = totals(scored, rules)
    table["passes"] = passes(scored, table["total"], rules)
    table["reviews"] = reviews[rankable]
    table["entity"] = p.loc[rankable, "entity"]
    table = table.rename_axis("proposal").reset_index()

    keys = sort_keys(table, rules)
    at = _in_order(table, keys)
    table, keys = table.iloc[at].reset_index(drop=True), keys[at]

    reason = pd.Series(np.where(excluded_status, p["status"], "insufficient_reviews"), index=p.index)
    position = pd.Series(np.arange(len(p)), index=p.index)
    applied = applications[applications["proposal"].isin(p.index)].groupby("slot", sort=False)["proposal"]
    members_of = {slot: position[group.unique()].sort_values().index for slot, group in applied}
    no_members = p.index[:0]
    result = []
    for slot in slots:
        members = members_of.get(slot, no_members)
        rows = np.flatnonzero(table["proposal"].isin(members).to_numpy())
        ranked = _shortlisted(_ranked(table.iloc[rows], keys[rows]), ids)
        unranked = [{"proposal": m, "reason": reason[m]} for m in members if not rankable[m]]
        result.append(SlotRanking(slot=slot, table=ranked, unranked=unranked))
    return Ranking(slots=result, criteria=ids, excluded=scores.excluded)


def what_if(ranking: Ranking, rules: Rules, weights: dict[str, float]) -> Ranking:
    """The same call ranked under other weights, from the criterion scores ``ranking`` already holds.

    Weights change totals, the overall threshold test and so the order; they
    do not change which proposals are ranked, so the unranked lists carry over
    and no score is read again.
    """
    rules = rules.with_weights(weights)
    slots = []
    for s in ranking.slots:
        t = s.table.drop(columns=["rank", "tie", "shortlisted"])
        matrix = t[rules.ids].to_numpy(dtype=float)
        t["total"] = total = row_totals(matrix, rules)
        t["passes"] = passing(matrix, total, rules)
        table = _shortlisted(order(t, rules), rules.ids)
        slots.append(SlotRanking(slot=s.slot, table=table, unranked=list(s.unranked)))
    return Ranking(slots=slots, criteria=ranking.criteria, excluded=ranking.excluded)


UNCHANGED = "unchanged"
ORDER_CHANGED = "order changed"
SHORTLIST_CHANGED = "shortlist changed"


def shortlist_change(before: SlotRanking, after: SlotRanking) -> str:
    """How a slot's shortlist differs between two rankings (today's and a what-if).

    The same entities at the same ranks is unchanged; the same entities at other ranks is only an
    order change; any entity entering or leaving is a shortlist change, the one that matters to a decision.
    """
    def ranked(s: SlotRanking) -> list[tuple[str, int]]:
        chosen = s.table["shortlisted"].to_numpy(dtype=bool)
        return list(zip(s.table["proposal"].to_numpy()[chosen].tolist(), s.table["rank"].to_numpy()[chosen].tolist()))

    was, now = ranked(before), ranked(after)
    if was == now:
        return UNCHANGED
    return ORDER_CHANGED if {p for p, _ in was} == {p for p, _ in now} else SHORTLIST_CHANGED
