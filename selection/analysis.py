"""A call's panel analytics and shortlist robustness, as one JSON-able document.

The command line (``python -m selection analyse``), the app and the reports
all call :func:`analyse`, so they show the same figures. Like the ranking,
every figure uses valid reviews only, and leaves out proposals that are
withdrawn or ineligible (rule 1): the meeting has nothing to decide on them.
Agreement and robustness are per slot, over the proposals the slot ranks.
The calibrated view (:mod:`criteria.calibration`) sits beside the ranking as
advice to the advisory group; the contract's ranking is unchanged by it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from criteria import analytics, calibration, robustness
from criteria import ranking as rk
from criteria.sets import weight_percentages
from selection.queries import RankingInputs


def analyse(
    inputs: RankingInputs,
    *,
    draws: int = robustness.DRAWS,
    concentration: float = robustness.CONCENTRATION,
    seed: int = robustness.SEED,
    scores: rk.CriterionScores | None = None,
    ranking: rk.Ranking | None = None,
) -> dict:
    """Spread, divergences, leniency, and per slot agreement and robustness of the shortlist.

    ``scores`` and ``ranking``, when the caller holds them already (a page's kept view), are not computed again.
    """
    rules = inputs.rules
    if scores is None:
        scores = inputs.criterion_scores()
    if ranking is None:
        ranking = rk.rank(proposals=inputs.proposals, applications=inputs.applications, slots=inputs.slots,
                          scores=scores, rules=rules)
    valid, excluded = scores.valid, scores.excluded
    judged = inputs.proposals.loc[~inputs.proposals["status"].isin(rk.NOT_RANKED_STATUSES), "proposal"]
    valid = valid[valid["proposal"].isin(judged)]

    cells = analytics.spread(valid, rules.scale_min, rules.scale_max)
    consensus = inputs.consensus.set_index(["proposal", "criterion"])["score"].to_dict()
    divergent = cells.loc[cells["divergent"], ["proposal", "criterion", "range"]]
    keys = list(zip(divergent["proposal"].tolist(), divergent["criterion"].tolist()))
    divergences = [
        {"proposal": p, "criterion": c, "range": rng, "scores": given, "consensus": _number(consensus.get((p, c)))}
        for (p, c), rng, given in zip(keys, divergent["range"].tolist(), _scores_by_cell(valid, divergent))
    ]

    members = {s.slot: s.table["proposal"].tolist() for s in ranking.slots}
    agreement = analytics.slot_agreement(valid, members, rules)
    slots = []
    for s in ranking.slots:
        sturdy = robustness.robustness(s.slot, s.table, rules, draws=draws, concentration=concentration, seed=seed)
        slots.append({
            "slot": s.slot,
            "shortlist": s.shortlist,
            "agreement": agreement[s.slot],
            "robustness": sturdy.to_dict(),
        })

    calibrated = calibration.calibrate(valid, rules.scale_min, rules.scale_max)
    calibrated_ranking = calibration.calibrated_ranking(
        proposals=inputs.proposals, applications=inputs.applications, slots=inputs.slots, scores=scores,
        rules=rules, calibrated=calibrated)
    panel, member_stats = calibration.members(valid)

    percent = weight_percentages(dict(zip(rules.ids, rules.weights.tolist())))
    return {
        "call": inputs.reference,
        "scale": {"min": rules.scale_min, "max": rules.scale_max},
        "divergence_gap": analytics.divergence_gap(rules.scale_min, rules.scale_max),
        "weights": [{"criterion": c.id, "weight": c.weight, "percent": percent[c.id]} for c in rules.criteria],
        "robustness_method": {
            "draws": draws, "concentration": concentration, "seed": seed, "step_points": robustness.STEP * 100,
        },
        "excluded_reviews": [
            {**r, "scores": int(r["scores"])} for r in excluded.sort_values(["proposal", "reviewer"]).to_dict("records")
        ],
        "spread": cells.astype({"reviews": int, "divergent": bool}).to_dict("records"),
        "divergences": divergences,
        "leniency": [
            {"reviewer": r["reviewer"], "scores": int(r["scores"]), "leniency": float(r["leniency"])}
            for r in analytics.leniency(valid).to_dict("records")
        ],
        "slots": slots,
        "calibration": {
            "label": calibration.LABEL,
            "panel": panel,
            "members": member_stats,
            "min_effect_points": calibration.MIN_EFFECT,
            "slots": calibration.compare(ranking, calibrated_ranking, valid, calibrated, rules, inputs.consensus),
        },
    }


def _scores_by_cell(valid: pd.DataFrame, cells: pd.DataFrame) -> list[dict[str, float]]:
    """For each of ``cells`` (proposal, criterion), its valid scores as reviewer -> score, reviewers in order.

    Grouped on integer codes: at ten times the largest call nearly every cell diverges, and sorting two million
    reviewer names or filling the dicts one score at a time took most of the analysis."""
    where = pd.MultiIndex.from_frame(cells[["proposal", "criterion"]])
    cell = where.get_indexer(pd.MultiIndex.from_frame(valid[["proposal", "criterion"]]))
    inside = cell >= 0
    codes, names = pd.factorize(valid["reviewer"].to_numpy(dtype=object)[inside], sort=True)
    order = np.lexsort((codes, cell[inside]))
    reviewers = np.asarray(names, dtype=object)[codes[order]].tolist()
    scores = valid["score"].to_numpy(dtype=float)[inside][order].tolist()
    bounds = np.searchsorted(cell[inside][order], np.arange(len(cells) + 1)).tolist()
    return [dict(zip(reviewers[a:b], scores[a:b])) for a, b in zip(bounds[:-1], bounds[1:])]


def _number(x) -> float | None:
    return None if x is None else float(x)
