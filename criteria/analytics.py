r"""Panel analytics for the advisory group's meeting.

Three questions the group asks before it agrees consensus scores: where did
members disagree (spread and divergence per proposal and criterion), does a
member score high or low across the board (leniency), and do members put a
slot's proposals in the same order (agreement, Kendall's W).

Everything is computed on valid reviews only, the rows that
:func:`criteria.ranking.valid_scores` keeps: a conflicted or partial review
weighs on no figure here, as on none of the ranking. Consensus scores are the
group's answer to divergence, so they are not part of the spread either.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from criteria.ranking import DECIMALS, Rules, totals

DIVERGENCE_SHARE = 0.4
MIN_COMMON = 3
READINGS = ((0.1, "very weak"), (0.3, "weak"), (0.5, "moderate"), (0.7, "strong"))


def divergence_gap(scale_min: float, scale_max: float) -> float:
    """Two points on a 0-5 scale, in proportion on others: 2/5 of the range."""
    return DIVERGENCE_SHARE * (scale_max - scale_min)


def spread(valid: pd.DataFrame, scale_min: float, scale_max: float) -> pd.DataFrame:
    r"""How far apart members' scores lie, per proposal and criterion.

    For the scores :math:`s_1..s_n` of one cell: ``min``, ``max``,
    ``range`` :math:`= \max - \min`, ``std`` :math:`= \sqrt{\frac1n \sum (s_i - \bar s)^2}`
    (the spread of these scores themselves, so one score has 0), and
    ``divergent`` when the range reaches :func:`divergence_gap`: two members
    at least that far apart, which the meeting should discuss.

    ``valid``: reviewer, proposal, criterion, score. Returns one row per cell:
    proposal, criterion, reviews, min, max, range, std, divergent.
    """
    g = valid.groupby(["proposal", "criterion"], sort=True)["score"]
    out = g.agg(reviews="count", min="min", max="max").assign(std=g.std(ddof=0)).reset_index()
    out["range"] = out["max"] - out["min"]
    out["divergent"] = out["range"].round(DECIMALS) >= round(divergence_gap(scale_min, scale_max), DECIMALS)
    return out[["proposal", "criterion", "reviews", "min", "max", "range", "std", "divergent"]]


def leniency(valid: pd.DataFrame) -> pd.DataFrame:
    r"""Whether a member scores above or below the rest of the panel, on the same work.

    :math:`L_r = \operatorname{mean}_{(p,c)} (s_{rpc} - \bar s_{pc})`, where
    :math:`\bar s_{pc}` is the panel's mean score (all valid reviews, the
    member's own included) for the same proposal and criterion. Positive is
    lenient, negative severe, in points of the scale. A score alone in its
    cell has nothing to be compared with and is left out; ``scores`` counts
    the scores that were compared.

    Returns reviewer, scores, leniency, sorted by reviewer.
    """
    cell = valid.groupby(["proposal", "criterion"])["score"]
    compared = valid.assign(deviation=valid["score"] - cell.transform("mean"))[cell.transform("size") > 1]
    out = compared.groupby("reviewer", sort=True)["deviation"].agg(scores="size", leniency="mean")
    return out.reset_index()


def reviewer_totals(valid: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """Each member's own total for each proposal they validly reviewed (rule 5 on their scores alone).

    Returns a reviewer × proposal frame, NaN where the member has no valid review.
    """
    cells = valid.set_index(["reviewer", "proposal", "criterion"])["score"].unstack("criterion")
    return totals(cells.reindex(columns=rules.ids), rules).unstack("proposal")


def _below_equal(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each value along the last axis: how many are lower, and how many equal it (itself included)."""
    below = (values[..., None, :] < values[..., :, None]).sum(axis=-1)
    equal = (values[..., None, :] == values[..., :, None]).sum(axis=-1)
    return below, equal


def midranks(values: np.ndarray) -> np.ndarray:
    """Ranks along the last axis, 1 = lowest; tied values share the mean of their ranks."""
    below, equal = _below_equal(np.asarray(values, dtype=float))
    return below + (equal + 1) / 2


def kendall_w(table: np.ndarray) -> float | None:
    r"""Kendall's coefficient of concordance, with the tie correction.

    ``table`` is raters × items (any values, higher is better; each rater's
    row is turned into mid-ranks). With :math:`m` raters, :math:`n` items,
    :math:`R_i` the sum of item :math:`i`'s ranks and :math:`t` the sizes of
    each rater's groups of tied values:

    .. math::

        W = \frac{12 \sum_i (R_i - m(n+1)/2)^2}{m^2 (n^3 - n) - m \sum_{\text{groups}} (t^3 - t)}

    1 when every rater gives the same order, 0 when the orders cancel out.
    None when it cannot be measured: fewer than two raters or items, or every
    rater ties every item.
    """
    table = np.asarray(table, dtype=float)
    m, n = table.shape
    if m < 2 or n < 2:
        return None
    below, equal = _below_equal(table)
    rank_sums = (below + (equal + 1) / 2).sum(axis=0)
    s = ((rank_sums - m * (n + 1) / 2) ** 2).sum()
    ties = (equal**2 - 1).sum()  # each of a group of t adds t^2 - 1: t^3 - t for the group
    denominator = m**2 * (n**3 - n) - m * ties
    if denominator <= 0:
        return None
    return float(min(1.0, 12 * s / denominator))


def pairwise_spearman(table: np.ndarray, min_common: int = MIN_COMMON) -> tuple[np.ndarray, np.ndarray]:
    r"""Spearman's correlation of every two raters over the items both rated.

    ``table``: raters × items, NaN where a rater did not rate. For raters
    :math:`a, b`, each one's values on the items they share are turned into
    mid-ranks and correlated (Pearson on ranks, which handles ties). Returns
    ``(rho, usable)``, both raters × raters; a pair is usable when it shares at
    least ``min_common`` items and neither rater ties them all.
    """
    table = np.asarray(table, dtype=float)
    m, n = table.shape
    rated = ~np.isnan(table)
    both = rated[:, None, :] & rated[None, :, :]  # a, b, item
    # rank[a, b, i]: the mid-rank of item i in a's order, among the items a and b share. Over a's items
    # sorted by value, a tie group's mid-rank among the shared items is 1 + (shared items below the
    # group) + (shared items in the group - 1) / 2: cumulative sums, not item-by-item comparisons.
    rank = np.zeros((m, m, n))
    for a in range(m):
        items = np.flatnonzero(rated[a])
        if not items.size:
            continue
        order = np.argsort(table[a, items], kind="stable")
        values, items = table[a, items][order], items[order]
        starts = np.concatenate(([True], values[1:] != values[:-1]))
        group = np.cumsum(starts) - 1
        shared = np.add.reduceat(both[a][:, items].astype(float), np.flatnonzero(starts), axis=1)
        below = np.cumsum(shared, axis=1) - shared
        rank[a][:, items] = 1 + below[:, group] + (shared[:, group] - 1) / 2
    # every rank is a multiple of 1/2 and every sum below an exact float, so the order of summing
    # changes no digit
    x, y, w = rank, rank.transpose(1, 0, 2), both
    count = w.sum(axis=-1)
    sx = np.einsum("abi,abi->ab", w, x)
    sy = sx.T
    sxx = np.einsum("abi,abi,abi->ab", w, x, x)
    syy = sxx.T
    sxy = np.einsum("abi,abi,abi->ab", w, x, y)
    vx, vy = count * sxx - sx**2, count * syy - sy**2
    usable = (count >= min_common) & (vx > 1e-9) & (vy > 1e-9) & ~np.eye(m, dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        rho = np.where(usable, (count * sxy - sx * sy) / np.sqrt(vx * vy), np.nan)
    return rho, usable


def reading(w: float | None) -> str:
    """Kendall's W in plain words."""
    if w is None:
        return "not measurable"
    return next((words for limit, words in READINGS if w < limit), "very strong") + " agreement"


def agreement(table: pd.DataFrame, min_common: int = MIN_COMMON) -> dict:
    r"""Whether members order a slot's proposals alike: Kendall's W, and how it was obtained.

    ``table``: members × the slot's proposals, each member's own total (see
    :func:`reviewer_totals`), NaN where the member did not validly review the
    proposal. Totals are compared on 6 decimals, as in the ranking.

    - ``complete``: when at least two members reviewed every proposal, W is
      :func:`kendall_w` over those members.
    - ``pairs``: otherwise (members usually review only some proposals), W is
      estimated from :math:`\bar r`, the mean Spearman correlation between
      every two members over the proposals both reviewed (pairs sharing at
      least ``min_common``), by the identity that links them for complete
      rankings without ties, :math:`W = ((m-1)\bar r + 1)/m` with :math:`m`
      the members in those pairs, clipped to [0, 1].

    Returns {w, reading, method, reviewers, proposals, pairs}.
    """
    values = table.to_numpy(dtype=float).round(DECIMALS)
    complete = ~np.isnan(values).any(axis=1)
    n = values.shape[1]
    if complete.sum() >= 2:
        w = kendall_w(values[complete])
        return {"w": w, "reading": reading(w), "method": "complete",
                "reviewers": int(complete.sum()), "proposals": n, "pairs": None}
    rho, usable = pairwise_spearman(values, min_common)
    upper = np.triu(usable)
    members = int(usable.any(axis=1).sum())
    w = None
    if upper.any():
        mean_rho = float(rho[upper].mean())
        w = float(np.clip(((members - 1) * mean_rho + 1) / members, 0.0, 1.0))
    return {"w": w, "reading": reading(w), "method": "pairs",
            "reviewers": members, "proposals": n, "pairs": int(upper.sum())}


def slot_agreement(valid: pd.DataFrame, members: Mapping[str, Sequence[str]], rules: Rules) -> dict[str, dict]:
    """:func:`agreement` for each slot, over its proposals ``members[slot]``."""
    own = reviewer_totals(valid, rules)
    out = {}
    for slot, proposals in members.items():
        table = own.reindex(columns=list(proposals))
        out[slot] = agreement(table[table.notna().any(axis=1)])
    return out
