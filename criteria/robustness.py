r"""How firm is a slot's shortlist, had the weights been set a little differently?

The call fixes a weight for each criterion, but reasonable people could have
chosen, say, 28 % instead of 30 %. This module asks whether the shortlist
depends on such choices. It answers in two ways.

**Many plausible weightings.** We draw 10,000 sets of weights scattered around
the call's weights and rank the slot again with each, by exactly the
contract's rules: total, then the criteria in priority order, ties sharing a
rank; shortlisted means passing and ranked third or better. Criterion
thresholds do not depend on weights, but the overall threshold applies to the
total, which does, so passing is checked again for every set. For each
proposal we report the share of weightings in which it is shortlisted
(100 % = shortlisted whatever the weights) and the best and worst rank it
reached; for the slot, the share of weightings that give exactly the chosen
shortlist.

The weight sets come from a Dirichlet distribution, the usual model for
shares that add up to 100 %, with parameters
:math:`\alpha_c = \kappa \, w_c / \sum w`. Their average is the call's
weights; the concentration :math:`\kappa` says how far they stray. A share
:math:`s` then varies with standard deviation :math:`\sqrt{s(1-s)/(\kappa+1)}`:
with :math:`\kappa = 50`, a 25 % weight typically lies between about 19 % and
31 % and rarely beyond 13-37 %. We take that as a plausible disagreement
between people setting weights: large enough to test the shortlist, small
enough to keep the call's intent (no weight is pushed near zero, and the
order of the weights mostly holds). The draws use a fixed seed, so the same
call always gives the same figures.

**The smallest change that matters.** For each criterion, in both
directions, we look for the smallest change of its weight that changes who
is shortlisted, every other weight keeping its value (so their proportions
among themselves are kept). Changes are measured in percentage points of the
criterion's share of the total weight: from 30 % to 33 % is +3 points.
Shares on a grid of 0.1-point steps are tried from the nearest outwards, a
few hundred at once, and the first that changes the shortlist is reported.
Every step is tried (no bisection) because a shortlist can change and change
back as a weight moves. The report gives the new share, the new weight in the
call's own units and the new shortlist.

Everything is vectorised: one matrix of draws × proposals totals, ordered row
by row, with no Python loop per draw.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from criteria.ranking import (
    DECIMALS,
    SHORTLIST_RANK,
    Rules,
    competition_ranks,
    passes,
    sort_keys,
)

DRAWS = 10_000
CONCENTRATION = 50.0
SEED = 20_270_510
STEP = 0.001
CHUNK_CELLS = 50_000


def dirichlet_weights(
    weights: np.ndarray, draws: int = DRAWS, concentration: float = CONCENTRATION, seed: int = SEED
) -> np.ndarray:
    r"""Weight sets (draws × criteria, rows summing to 1) scattered around ``weights``.

    :math:`W_d \sim \mathrm{Dirichlet}(\kappa \, w / \sum w)`: mean :math:`w / \sum w`,
    share variance :math:`s(1-s)/(\kappa + 1)`.
    """
    w = np.asarray(weights, dtype=float)
    return np.random.default_rng(seed).dirichlet(concentration * w / w.sum(), size=draws)


@dataclass(frozen=True)
class Slate:
    r"""A slot's ranked proposals as the arrays that re-ranking needs (none depends on weights).

    ``normalised``: proposals × criteria, :math:`(s_{pc} - lo)/(hi - lo)`, and
    ``scaled``, its transpose times :math:`100 \cdot 10^6` (totals in millionths);
    ``after_total``: rank of each proposal's rounded criterion scores in
    priority order (equal values, equal rank; higher is better), which breaks
    equal totals, and ``levels`` a bound on it; ``passes_criteria``: every
    criterion threshold met; ``threshold``: the overall threshold in
    millionths, like the rounded totals, or None.
    """

    proposals: np.ndarray
    normalised: np.ndarray
    scaled: np.ndarray
    after_total: np.ndarray
    levels: int
    passes_criteria: np.ndarray
    threshold: int | None

    @classmethod
    def from_table(cls, table: pd.DataFrame, rules: Rules) -> Slate:
        """From a slot's ranking table (proposal, total and a column per criterion)."""
        normalised = (table[rules.ids].to_numpy(dtype=float) - rules.scale_min) / (rules.scale_max - rules.scale_min)
        _, after_total = np.unique(sort_keys(table, rules)[:, 1:], axis=0, return_inverse=True)
        crit_only = replace(rules, overall_threshold=None)
        t = rules.overall_threshold
        return cls(
            proposals=table["proposal"].to_numpy(dtype=str),
            normalised=normalised,
            scaled=normalised.T * 100.0 * 10**DECIMALS,
            after_total=after_total.reshape(-1),
            levels=max(1, len(table)),
            passes_criteria=passes(table, table["total"], crit_only).to_numpy(dtype=bool),
            threshold=None if t is None else int(np.rint(t * 10**DECIMALS)),
        )


def rank_many(slate: Slate, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""The contract's rules 4-8 under many weight sets at once.

    For weight sets :math:`W` (sets × criteria) and proposals :math:`p`:
    :math:`T_{dp} = 100 \sum_c W_{dc} x_{pc} / \sum_c W_{dc}`, compared on 6
    decimals; the order key is the pair (rounded total, ``after_total``),
    packed into one integer :math:`k_{dp} = \mathrm{round}(10^6 T_{dp}) \cdot L + a_p`
    (:math:`L` = ``levels``), so each row sorts once, highest first. Equal
    keys are ties: the competition rank is :math:`1 + \#\{q : k_{dq} > k_{dp}\}`.
    Shortlisted: passes (criterion thresholds, and the overall threshold on
    :math:`T_{dp}`) and rank :math:`\le 3`.

    Returns ``(ranks, shortlisted)``, both sets × proposals.
    """
    d, n = len(weights), len(slate.proposals)
    shares = weights / weights.sum(axis=1, keepdims=True)
    rounded = np.rint(shares @ slate.scaled)
    keys = rounded.astype(np.int64) * slate.levels + slate.after_total
    # sort each row once, best first: the key negated, the proposal's position in its low bits
    bits = max(1, (n - 1).bit_length())
    packed = (-keys << bits) | np.arange(n)
    packed.sort(axis=1)
    at, descending = packed & ((1 << bits) - 1), packed >> bits
    starts = np.ones((d, n), dtype=bool)
    starts[:, 1:] = descending[:, 1:] != descending[:, :-1]
    in_order = competition_ranks(starts) if not starts.all() else np.broadcast_to(np.arange(1, n + 1), (d, n))
    ranks = np.empty((d, n), dtype=np.int64)
    np.put_along_axis(ranks, at, in_order, axis=1)
    ok = slate.passes_criteria if slate.threshold is None else slate.passes_criteria & (rounded >= slate.threshold)
    return ranks, ok & (ranks <= SHORTLIST_RANK)


@dataclass
class SlotRobustness:
    slot: str
    draws: int
    concentration: float
    seed: int
    table: pd.DataFrame  # proposal, rank, shortlisted, shortlisted_share, rank_min, rank_max
    same_shortlist_share: float
    tipping_points: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "slot": self.slot,
            "draws": self.draws,
            "concentration": self.concentration,
            "seed": self.seed,
            "same_shortlist_share": self.same_shortlist_share,
            "proposals": [
                {"proposal": r["proposal"], "rank": int(r["rank"]), "shortlisted": bool(r["shortlisted"]),
                 "shortlisted_share": float(r["shortlisted_share"]),
                 "rank_min": int(r["rank_min"]), "rank_max": int(r["rank_max"])}
                for r in self.table.to_dict("records")
            ],
            "tipping_points": self.tipping_points,
        }


def weight_draws(
    slate: Slate, weights: np.ndarray, chosen: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Per proposal: share of weight sets that shortlist it, best and worst rank; share giving ``chosen``.

    Weight sets go through in blocks of about ``CHUNK_CELLS`` totals: small enough to stay in the
    processor's cache (several times faster than one large matrix) and to bound memory on large calls.
    """
    n = len(slate.proposals)
    count, best, worst, same = np.zeros(n), np.full(n, n + 1), np.zeros(n, dtype=int), 0
    block = max(1, CHUNK_CELLS // max(1, n))
    for start in range(0, len(weights), block):
        ranks, shortlisted = rank_many(slate, weights[start : start + block])
        count += shortlisted.sum(axis=0)
        best = np.minimum(best, ranks.min(axis=0, initial=n + 1))
        worst = np.maximum(worst, ranks.max(axis=0, initial=0))
        same += int((shortlisted == chosen).all(axis=1).sum())
    return count / len(weights), best, worst, same / len(weights)


def tipping_points(slate: Slate, rules: Rules, chosen: np.ndarray, step: float = STEP) -> list[dict]:
    r"""For each criterion and direction, the smallest change of its weight that changes the shortlist.

    The criterion's share :math:`s = w_c / \sum w` moves to :math:`t = s \pm k \cdot step`
    (:math:`k = 1, 2, \ldots`, :math:`0 < t < 1`) while every other weight keeps its
    value, i.e. :math:`w_c' = t \, (\sum w - w_c) / (1 - t)`. Grid points are
    ranked with :func:`rank_many`, a block at a time from the nearest, and the
    first whose shortlist differs from ``chosen`` is reported. Sorted by the
    size of the change, smallest first.
    """
    w = rules.weights
    n = len(slate.proposals)
    if len(w) < 2 or n == 0:
        return []
    block = max(1, CHUNK_CELLS // n)
    found = []
    for c, cid in enumerate(rules.ids):
        share, rest = w[c] / w.sum(), w.sum() - w[c]
        for direction, sign in (("up", 1), ("down", -1)):
            k = np.arange(1, int(np.ceil(1 / step)) + 1)
            t = share + sign * k * step
            keep = (t > step / 2) & (t < 1 - step / 2)
            k, t = k[keep], t[keep]
            for start in range(0, len(t), block):
                tb = t[start : start + block]
                grid = np.repeat(w[None, :] / w.sum(), len(tb), axis=0) * ((1 - tb) / (1 - share))[:, None]
                grid[:, c] = tb
                ranks, shortlisted = rank_many(slate, grid)
                changed = np.flatnonzero((shortlisted != chosen).any(axis=1))
                if len(changed):
                    i = changed[0]
                    members = np.flatnonzero(shortlisted[i])
                    members = members[np.lexsort((slate.proposals[members], ranks[i, members]))]
                    found.append({
                        "criterion": cid,
                        "direction": direction,
                        "change_points": round(float(k[start + i] * step * 100), 6),
                        "share_before": round(float(share * 100), 6),
                        "share_after": round(float(tb[i] * 100), 6),
                        "weight_before": float(w[c]),
                        "new_weight": round(float(tb[i] * rest / (1 - tb[i])), 6),
                        "new_shortlist": slate.proposals[members].tolist(),
                    })
                    break
    return sorted(found, key=lambda f: (f["change_points"], f["criterion"], f["direction"]))


def robustness(
    slot: str,
    table: pd.DataFrame,
    rules: Rules,
    *,
    draws: int = DRAWS,
    concentration: float = CONCENTRATION,
    seed: int = SEED,
    step: float = STEP,
) -> SlotRobustness:
    """Both tests on one slot's ranking table (a :class:`criteria.ranking.SlotRanking` table)."""
    slate = Slate.from_table(table, rules)
    chosen = table["shortlisted"].to_numpy(dtype=bool)
    weights = dirichlet_weights(rules.weights, draws, concentration, seed)
    share, best, worst, same = weight_draws(slate, weights, chosen)
    out = pd.DataFrame({
        "proposal": table["proposal"].to_numpy(),
        "rank": table["rank"].to_numpy(),
        "shortlisted": chosen,
        "shortlisted_share": share,
        "rank_min": best,
        "rank_max": worst,
    })
    return SlotRobustness(
        slot=slot, draws=draws, concentration=concentration, seed=seed, table=out,
        same_shortlist_share=same, tipping_points=tipping_points(slate, rules, chosen, step),
    )
