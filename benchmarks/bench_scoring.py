"""Scoring speed at ten times a large call: ``python benchmarks/bench_scoring.py``.

A synthetic call of 1,000 proposals over 5 slots, scored by 30 members on 4
criteria (120,000 scores, a few conflicted and partial reviews) goes through
everything ``python -m selection analyse`` does: criterion scores, ranking,
panel analytics and 10,000-draw robustness with tipping points. Target:
under 1 s. Then a what-if re-rank of a 100-proposal call (target: under
50 ms), and scikit-criteria's weighted sum on the same decision matrix as
our ranking, as a check that both agree and a ratio of their times.

Figures are the best of a few runs (the machine may be shared), wall clock
and CPU time. This is not a test: it prints and exits 0 either way.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from criteria import analytics, robustness
from criteria import ranking as rk
from selection.analysis import analyse
from selection.queries import RankingInputs

CRITERIA = ["networks", "expertise", "tsc_experience", "capacity"]
RULES = rk.Rules(
    criteria=tuple(rk.CriterionRule(c, w, i + 1, 1.5) for i, (c, w) in enumerate(zip(CRITERIA, [30, 25, 25, 20]))),
    min_reviews=3,
    overall_threshold=50,
)
REPEATS = 3


def synthetic_call(
    proposals: int, reviewers: int, slots: int, seed: int = 7, per_proposal: int | None = None
) -> RankingInputs:
    """Latent quality + criterion profile + member leniency + noise, from every member or ``per_proposal`` of them."""
    rng = np.random.default_rng(seed)
    pids = np.array([f"p{i:04d}" for i in range(proposals)])
    rids = np.array([f"r{i:02d}" for i in range(reviewers)])
    slot_ids = [f"s{i}" for i in range(slots)]
    quality = rng.uniform(1.5, 4.5, proposals)
    profile = rng.uniform(-0.5, 0.5, (proposals, len(CRITERIA)))
    lenient = rng.normal(0, 0.3, reviewers)
    raw = quality[:, None, None] + profile[:, None, :] + lenient[None, :, None]
    raw += rng.normal(0, 0.5, raw.shape)
    score = np.clip(np.round(raw * 2) / 2, 0, 5)
    p, r, c = np.meshgrid(np.arange(proposals), np.arange(reviewers), np.arange(len(CRITERIA)), indexing="ij")
    scores = pd.DataFrame({
        "reviewer": rids[r.ravel()], "proposal": pids[p.ravel()],
        "criterion": np.array(CRITERIA)[c.ravel()], "score": score.ravel(),
    })
    partial = (scores["criterion"] == "capacity") & (rng.random(len(scores)) < 0.002)
    if per_proposal is not None:
        chosen = np.argsort(rng.random((proposals, reviewers)), axis=1) < per_proposal
        partial |= ~chosen[p.ravel(), r.ravel()]
    scores = scores[~partial].reset_index(drop=True)
    conflicts = pd.DataFrame(
        {"reviewer": rng.choice(rids, proposals // 20), "proposal": rng.choice(pids, proposals // 20)}
    )
    cons = rng.choice(pids, proposals // 50)
    consensus = pd.DataFrame({"proposal": cons, "criterion": "networks", "score": 3.0})
    status = np.where(rng.random(proposals) < 0.03, "withdrawn", "eligible")
    return RankingInputs(
        reference="BENCH",
        rules=RULES,
        slots=slot_ids,
        proposals=pd.DataFrame({"proposal": pids, "entity": [f"e{x}" for x in pids], "status": status}),
        applications=pd.DataFrame({"proposal": pids, "slot": np.array(slot_ids)[np.arange(proposals) % slots]}),
        scores=scores,
        conflicts=conflicts,
        consensus=consensus,
    )


def best(fn, repeats: int = REPEATS) -> tuple[float, float, object]:
    """Best wall and CPU seconds over ``repeats`` runs, and the last result."""
    walls, cpus = [], []
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return min(walls), min(cpus), result


def line(label: str, wall: float, cpu: float, target: float | None = None) -> None:
    verdict = "" if target is None else ("  OK" if wall < target else f"  OVER the {target * 1000:.0f} ms target")
    print(f"  {label:<54} {wall * 1000:8.1f} ms wall {cpu * 1000:8.1f} ms CPU{verdict}")


def main() -> None:
    big = synthetic_call(1000, 30, 5)
    print(f"Call: 1,000 proposals x 30 members x 4 criteria x 5 slots ({len(big.scores):,} scores)")
    wall, cpu, cs = best(big.criterion_scores)
    line("criterion scores (valid reviews, means)", wall, cpu)
    wall, cpu, ranking = best(lambda: rk.rank(proposals=big.proposals, applications=big.applications,
                                             slots=big.slots, scores=cs, rules=RULES))
    line("ranking (5 slots, scores computed)", wall, cpu)
    valid, _ = rk.valid_scores(big.scores, big.conflicts, RULES.ids)
    members = {s.slot: s.table["proposal"].tolist() for s in ranking.slots}

    def panel():
        return (analytics.spread(valid, 0, 5), analytics.leniency(valid),
                analytics.slot_agreement(valid, members, RULES))

    wall, cpu, (_, _, agreement) = best(panel)
    line("panel analytics (spread, leniency, Kendall's W)", wall, cpu)
    wall, cpu, _ = best(lambda: [robustness.robustness(s.slot, s.table, RULES) for s in ranking.slots])
    line("robustness (10,000 draws x 5 slots, tipping points)", wall, cpu)
    wall, cpu, doc = best(lambda: analyse(big))
    line("all of it: selection.analysis.analyse()", wall, cpu, target=1.0)
    first = doc["slots"][0]
    print(f"    slot s0: W = {agreement['s0']['w']:.3f} ({agreement['s0']['method']}, "
          f"{agreement['s0']['reviewers']} members), same shortlist in "
          f"{100 * first['robustness']['same_shortlist_share']:.1f} % of draws")
    sparse = synthetic_call(1000, 30, 5, per_proposal=5)
    wall, cpu, doc = best(lambda: analyse(sparse))
    line("the same with 5 members per proposal (W from pairs)", wall, cpu, target=1.0)

    small = synthetic_call(100, 8, 5, seed=11)
    small_ranking = small.rank()
    small_cs = small.criterion_scores()
    other = {"networks": 10, "expertise": 40, "tsc_experience": 30, "capacity": 20}
    print("What-if: 100 proposals, 5 slots, other weights")
    wall, cpu, _ = best(lambda: rk.what_if(small_ranking, RULES, other), repeats=20)
    line("what_if(ranking, rules, weights)", wall, cpu, target=0.05)
    wall, cpu, _ = best(lambda: rk.rank(proposals=small.proposals, applications=small.applications, slots=small.slots,
                                       scores=small_cs, rules=RULES.with_weights(other)), repeats=20)
    line("rank() with the criterion scores reused", wall, cpu, target=0.05)

    compare_skcriteria(cs.scores.dropna())


def compare_skcriteria(scores: pd.DataFrame) -> None:
    """Our totals and order against scikit-criteria's WeightedSumModel on the same decision matrix."""
    try:
        import skcriteria as skc
        from skcriteria.agg.simple import WeightedSumModel
    except ImportError:
        print("scikit-criteria is not installed: comparison skipped")
        return
    table = scores.rename_axis("proposal").reset_index()
    n = len(table)
    print(f"Weighted sum on the same {n} x 4 decision matrix")

    def ours():
        t = table.assign(total=rk.totals(table, RULES))
        return rk.order(t, RULES)

    matrix = 100 * (table[CRITERIA].to_numpy() - RULES.scale_min) / (RULES.scale_max - RULES.scale_min)
    weights = RULES.weights / RULES.weights.sum()

    def theirs():
        dm = skc.mkdm(matrix, [max] * len(CRITERIA), weights=weights, alternatives=table["proposal"].tolist())
        return WeightedSumModel().evaluate(dm)

    w_tot, c_tot, totals = best(lambda: rk.totals(table, RULES), repeats=10)
    w_ours, c_ours, _ = best(ours, repeats=10)
    w_sk, c_sk, result = best(theirs, repeats=10)
    line("ours: totals (rule 5)", w_tot, c_tot)
    line("ours: totals + contract order with ties (rule 6)", w_ours, c_ours)
    line("scikit-criteria: mkdm + WeightedSumModel", w_sk, c_sk)
    same = np.allclose(result.e_.score, totals.to_numpy(), rtol=0, atol=1e-9)
    print(f"  time ratio scikit-criteria / ours: {w_sk / w_tot:.1f}x against our totals, "
          f"{w_sk / w_ours:.1f}x against totals + order; totals agree: {same}")


if __name__ == "__main__":
    main()
