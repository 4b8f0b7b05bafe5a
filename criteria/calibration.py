r"""A calibrated view of the ranking: every member's scores put on a common footing.

Some members score generously across the board, others severely, and a
proposal's criterion scores depend partly on who happened to review it. This
module shows what the ranking would look like if that habit were taken out.
It is **advice to the advisory group**, beside the ranking the contract
defines; it never replaces it, and nothing here changes a stored score.

**Standardising each member.** Take all of member :math:`r`'s valid scores in
the call (every proposal the meeting has to decide on, every criterion): their
mean :math:`m_r` and their standard deviation :math:`s_r` (the population
one, :math:`\sqrt{\frac1n \sum (x - m_r)^2}`). Each score :math:`x` becomes a
*z-score*, how many of the member's own standard deviations it lies above the
member's own mean:

.. math::  z = (x - m_r) / s_r

A member who gives 4 where they usually give 3 is saying the same thing as
one who gives 3 where they usually give 2.

**Back on the scale.** A z-score is not a score people can read, so it is
mapped back with the panel's mean :math:`M` and standard deviation :math:`S`
over all valid scores (every member together):

.. math::  x' = M + z \cdot S

and clipped to the scale ``[min, max]``. A member who scored exactly like the
panel as a whole (:math:`m_r = M`, :math:`s_r = S`) keeps their scores.

**A member who gave one score, or the same score everywhere**, has
:math:`s_r = 0`: their scores say nothing about an order, and a z-score cannot
be formed. Their scores are only shifted by their leniency,
:math:`x' = x - m_r + M` (clipped), so that a member who gave 4 everywhere
where the panel's mean is 3 counts as 3.

**No rounding to the step.** A member's form allows only the scale's steps
(0, 0.5, 1 …), but calibrated scores are not scores anyone gave: they are an
estimate, and rounding them would add an error of up to half a step that
does not come from the members, create ties that are not in the data, and
could by itself move a proposal across the shortlist line. Criterion scores
in the contract's ranking are means and are not on the step either.

**The calibrated ranking.** The criterion score of a proposal is the mean of
its valid reviews' calibrated scores, and a consensus score still overrides it
(it was agreed by the group, after discussion, so it is nobody's habit). Which
proposals are ranked, the totals, the thresholds, the order, ties and the
shortlist follow the contract's rules unchanged (:mod:`criteria.ranking`).

**Who moved a proposal across the line.** When a proposal is shortlisted in
one view and not in the other, each member who validly reviewed it has an
*effect*: how far their calibration moved its total, in points of the 0-100
total,

.. math::

    e_{rp} = \frac{100}{\max - \min} \sum_c \frac{w_c}{\sum w} \,
             \frac{x'_{rpc} - x_{rpc}}{n_{pc}}

where :math:`n_{pc}` is the number of valid reviews averaged into the
criterion score, and a criterion with a consensus score counts 0 (calibration
does not touch it). The effects of all the proposal's members add up exactly
to the change of its total. The members named are those whose effect goes in
the direction of the move (negative for a proposal that leaves the shortlist:
the calibration took away what their generosity gave; positive for one that
enters) and is at least half a point, the largest first, at most two.

Everything here takes pandas frames and returns frames or plain data.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from criteria import ranking as rk

KEYS = ["reviewer", "proposal", "criterion"]
CONSTANT = 1e-9  # a member's standard deviation below this is taken as 0 (shift only)
MIN_EFFECT = 0.5  # points of the 0-100 total: a member below this is not named
NAMED = 2  # at most this many members named per crossing
LABEL = "Calibrated view — advice to the advisory group, not the contract's ranking"


def judged(valid: pd.DataFrame, proposals: pd.DataFrame) -> pd.DataFrame:
    """The valid scores of proposals the meeting has to decide on (not withdrawn, not ineligible)."""
    keep = proposals.loc[~proposals["status"].isin(rk.NOT_RANKED_STATUSES), "proposal"]
    return valid[valid["proposal"].isin(keep)]


def members(valid: pd.DataFrame) -> tuple[dict, list[dict]]:
    """The figures calibration uses: the panel's mean and std, and each member's.

    Returns ``({"mean", "std", "scores"}, [{"reviewer", "scores", "mean", "std", "shift_only"}, ...])``,
    members sorted by id.
    """
    x = valid["score"].to_numpy(dtype=float)
    panel = {"mean": float(x.mean()) if len(x) else None, "std": float(x.std()) if len(x) else None,
             "scores": len(x)}
    g = valid.groupby("reviewer", sort=True)["score"]
    stats = g.agg(scores="size", mean="mean", std=lambda s: float(np.std(s.to_numpy(dtype=float))))
    rows = [{"reviewer": r, "scores": int(row["scores"]), "mean": float(row["mean"]), "std": float(row["std"]),
             "shift_only": bool(row["std"] < CONSTANT)} for r, row in stats.iterrows()]
    return panel, rows


def calibrate(valid: pd.DataFrame, scale_min: float, scale_max: float, step: float | None = None) -> pd.DataFrame:
    """Each valid score standardised over its member's scores and mapped back to the scale.

    ``valid``: reviewer, proposal, criterion, score (the valid reviews, see
    :func:`criteria.ranking.valid_scores`). Returns the same rows, same index,
    with columns reviewer, proposal, criterion, score (the calibrated score
    :math:`x'`) and raw (the score the member gave).

    ``step`` is accepted so callers can pass the scale whole, and deliberately
    not applied: calibrated scores are not rounded (see the module's text).
    """
    del step  # not applied on purpose: see "No rounding to the step" above
    out = valid[KEYS].copy()
    x = valid["score"].to_numpy(dtype=float)
    out["raw"] = x
    if len(x) == 0:
        out["score"] = x
        return out[[*KEYS, "score", "raw"]]
    panel_mean, panel_std = x.mean(), x.std()
    who = valid["reviewer"].to_numpy()
    m = pd.Series(x).groupby(who).transform("mean").to_numpy()
    deviation = x - m
    s = np.sqrt(pd.Series(deviation**2).groupby(who).transform("mean").to_numpy())
    constant = s < CONSTANT
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(constant, 0.0, deviation / np.where(constant, 1.0, s))
    calibrated = np.where(constant, x - m + panel_mean, panel_mean + z * panel_std)
    out["score"] = np.clip(calibrated, scale_min, scale_max)
    return out[[*KEYS, "score", "raw"]]


def calibrated_scores(scores: rk.CriterionScores, calibrated: pd.DataFrame, criteria: list[str]) -> rk.CriterionScores:
    """The contract's criterion scores with the means taken over calibrated scores; consensus still overrides.

    Valid reviews, their counts, full consensus and what was left out are those
    of ``scores`` unchanged, so the same proposals are ranked in both views.
    """
    means = calibrated.groupby(["proposal", "criterion"])["score"].mean().unstack("criterion")
    means = means.reindex(index=scores.scores.index, columns=criteria)
    combined = scores.consensus.reindex(index=scores.scores.index, columns=criteria).combine_first(means)
    return replace(scores, scores=combined.reindex(columns=criteria), valid=calibrated[[*KEYS, "score"]])


def calibrated_ranking(
    *,
    proposals: pd.DataFrame,
    applications: pd.DataFrame,
    slots: list[str],
    scores: rk.CriterionScores,
    rules: rk.Rules,
    calibrated: pd.DataFrame | None = None,
) -> rk.Ranking:
    """Every slot ranked on calibrated criterion scores, by the contract's rules otherwise.

    ``scores`` are the contract's criterion scores (:func:`criteria.ranking.criterion_scores`);
    ``calibrated`` the output of :func:`calibrate` over the valid scores of the
    proposals being decided on, computed here when not given.
    """
    if calibrated is None:
        calibrated = calibrate(judged(scores.valid, proposals), rules.scale_min, rules.scale_max)
    return rk.rank(proposals=proposals, applications=applications, slots=slots,
                   scores=calibrated_scores(scores, calibrated, rules.ids), rules=rules)


def effects(
    valid: pd.DataFrame,
    calibrated_valid: pd.DataFrame,
    rules: rk.Rules,
    consensus: pd.DataFrame | None = None,
    proposals: list[str] | None = None,
) -> pd.DataFrame:
    """Each member's effect on each proposal's total: how far calibrating their scores moved it (0-100 points).

    ``valid``: reviewer, proposal, criterion, score as given; ``calibrated_valid``:
    the same rows with the calibrated score (from :func:`calibrate`);
    ``consensus``: proposal, criterion (cells whose score the group agreed, on
    which calibration has no effect). Restricted to ``proposals`` when given.
    Returns reviewer, proposal, effect; per proposal the effects add up to the
    change of its total.
    """
    if proposals is not None:
        valid = valid[valid["proposal"].isin(proposals)]
        calibrated_valid = calibrated_valid[calibrated_valid["proposal"].isin(proposals)]
    rows = valid[[*KEYS, "score"]].merge(
        calibrated_valid[[*KEYS, "score"]].rename(columns={"score": "calibrated"}), on=KEYS)
    n = rows.groupby(["proposal", "criterion"])["score"].transform("size").to_numpy(dtype=float)
    share = dict(zip(rules.ids, rules.weights / rules.weights.sum()))
    w = rows["criterion"].map(share).to_numpy(dtype=float)
    if consensus is not None and len(consensus):
        agreed = pd.MultiIndex.from_frame(consensus[["proposal", "criterion"]])
        w = np.where(pd.MultiIndex.from_frame(rows[["proposal", "criterion"]]).isin(agreed), 0.0, w)
    points = 100.0 / (rules.scale_max - rules.scale_min)
    rows["effect"] = points * w * (rows["calibrated"].to_numpy(dtype=float) - rows["score"].to_numpy(dtype=float)) / n
    return rows.groupby(["reviewer", "proposal"], sort=True)["effect"].sum().reset_index()


def compare(
    raw: rk.Ranking,
    calibrated: rk.Ranking,
    valid: pd.DataFrame,
    calibrated_valid: pd.DataFrame,
    rules: rk.Rules,
    consensus: pd.DataFrame | None = None,
    *,
    min_effect: float = MIN_EFFECT,
    named: int = NAMED,
) -> list[dict]:
    """The two views side by side, per slot, and who moved each proposal across the shortlist line.

    Returns, in the slots' order, ``{"slot", "rows", "crossings"}``:

    - ``rows``, in raw rank order: proposal, entity, raw_rank, calibrated_rank,
      raw_total, calibrated_total, shortlisted_raw, shortlisted_calibrated;
    - ``crossings``, one per proposal shortlisted in one view only: proposal,
      direction ("in": enters the shortlist once calibrated, "out": leaves it),
      raw_rank, calibrated_rank, change (calibrated − raw total), and members:
      ``[{"reviewer", "effect"}]``, the members whose effect (see
      :func:`effects`) has the sign of the move and is at least ``min_effect``
      points, largest first, at most ``named``. It may be empty: a proposal
      can also cross because others moved.
    """
    out, crossing = [], []
    for r in raw.slots:
        c = calibrated.slot(r.slot).table
        after = {p: (int(k), float(t), bool(sl)) for p, k, t, sl in
                 zip(c["proposal"].tolist(), c["rank"].tolist(), c["total"].tolist(), c["shortlisted"].tolist())}
        t = r.table
        rows = []
        for p, e, k, total, sl in zip(t["proposal"].tolist(), t["entity"].tolist(), t["rank"].tolist(),
                                      t["total"].tolist(), t["shortlisted"].tolist()):
            k2, total2, sl2 = after[p]
            rows.append({"proposal": p, "entity": e, "raw_rank": int(k), "calibrated_rank": k2,
                         "raw_total": float(total), "calibrated_total": total2,
                         "shortlisted_raw": bool(sl), "shortlisted_calibrated": sl2})
        moved = [x for x in rows if x["shortlisted_raw"] != x["shortlisted_calibrated"]]
        crossing += [x["proposal"] for x in moved]
        out.append((r.slot, rows, moved))

    effect = effects(valid, calibrated_valid, rules, consensus, proposals=sorted(set(crossing)))
    by_proposal = {p: g for p, g in effect.groupby("proposal", sort=False)}
    result = []
    for slot, rows, moved in out:
        crossings = []
        for m in moved:
            sign = 1.0 if m["shortlisted_calibrated"] else -1.0
            e = by_proposal.get(m["proposal"], effect.iloc[:0])
            e = e[(sign * e["effect"]).round(rk.DECIMALS) >= round(min_effect, rk.DECIMALS)]
            e = e.assign(size=sign * e["effect"]).sort_values(["size", "reviewer"], ascending=[False, True])
            crossings.append({
                "proposal": m["proposal"],
                "direction": "in" if sign > 0 else "out",
                "raw_rank": m["raw_rank"],
                "calibrated_rank": m["calibrated_rank"],
                "change": m["calibrated_total"] - m["raw_total"],
                "members": [{"reviewer": r, "effect": float(v)}
                            for r, v in zip(e["reviewer"].head(named), e["effect"].head(named))],
            })
        result.append({"slot": slot, "rows": rows, "crossings": crossings})
    return result
