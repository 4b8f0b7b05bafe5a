"""A call's panel analytics and shortlist robustness, as one JSON-able document.

The command line (``python -m selection analyse``), the app and the reports
all call :func:`analyse`, so they show the same figures. Like the ranking,
every figure uses valid reviews only, and leaves out proposals that are
withdrawn or ineligible (rule 1): the meeting has nothing to decide on them.
"""

from __future__ import annotations

from criteria import analytics, robustness
from criteria import ranking as rk
from criteria.sets import weight_percentages
from selection.queries import RankingInputs


def analyse(
    inputs: RankingInputs,
    *,
    draws: int = robustness.DRAWS,
    concentration: float = robustness.CONCENTRATION,
    seed: int = robustness.SEED,
) -> dict:
    """Spread, divergences, leniency, and per slot agreement and robustness of the shortlist."""
    rules = inputs.rules
    ranking = inputs.rank()
    valid, excluded = rk.valid_scores(inputs.scores, inputs.conflicts, rules.ids)
    judged = inputs.proposals.loc[~inputs.proposals["status"].isin(rk.NOT_RANKED_STATUSES), "proposal"]
    valid = valid[valid["proposal"].isin(judged)]

    cells = analytics.spread(valid, rules.scale_min, rules.scale_max)
    consensus = inputs.consensus.set_index(["proposal", "criterion"])["score"].to_dict()
    by_cell = valid.groupby(["proposal", "criterion"])
    divergences = [
        {
            "proposal": r["proposal"],
            "criterion": r["criterion"],
            "range": float(r["range"]),
            "scores": {
                v["reviewer"]: float(v["score"])
                for v in by_cell.get_group((r["proposal"], r["criterion"])).sort_values("reviewer").to_dict("records")
            },
            "consensus": _number(consensus.get((r["proposal"], r["criterion"]))),
        }
        for r in cells[cells["divergent"]].to_dict("records")
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
        "spread": [
            {**r, "reviews": int(r["reviews"]), "divergent": bool(r["divergent"]),
             **{k: float(r[k]) for k in ("min", "max", "range", "std")}}
            for r in cells.to_dict("records")
        ],
        "divergences": divergences,
        "leniency": [
            {"reviewer": r["reviewer"], "scores": int(r["scores"]), "leniency": float(r["leniency"])}
            for r in analytics.leniency(valid).to_dict("records")
        ],
        "slots": slots,
    }


def _number(x) -> float | None:
    return None if x is None else float(x)
