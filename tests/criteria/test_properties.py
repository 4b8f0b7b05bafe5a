"""Properties of the scorer on random decision matrices (hypothesis).

Our weighted totals and order are checked against scikit-criteria's weighted
sum model, an independent implementation of the same maths.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from criteria import ranking as rk
from criteria import robustness as rb

skc = pytest.importorskip("skcriteria")
from skcriteria.agg.simple import WeightedSumModel

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def calls(draw, min_proposals=1, max_proposals=25, on_grid=None):
    """Criterion scores (proposals × criteria) on 0-5, positive weights, distinct priorities."""
    k = draw(st.integers(1, 5))
    n = draw(st.integers(min_proposals, max_proposals))
    grid = draw(st.booleans()) if on_grid is None else on_grid
    cell = st.integers(0, 10).map(lambda x: x / 2) if grid else st.floats(0, 5, allow_nan=False)
    rows = draw(st.lists(st.lists(cell, min_size=k, max_size=k), min_size=n, max_size=n))
    matrix = np.array(rows, dtype=float).reshape(n, k)
    weights = draw(st.lists(st.floats(0.1, 100, allow_nan=False), min_size=k, max_size=k))
    priorities = draw(st.permutations(range(1, k + 1)))
    overall = draw(st.one_of(st.none(), st.floats(0, 100)))
    ids = [f"c{i}" for i in range(k)]
    rules = rk.Rules(
        criteria=tuple(rk.CriterionRule(c, w, p) for c, w, p in zip(ids, weights, priorities)),
        overall_threshold=overall,
    )
    return matrix, rules


def table_of(matrix: np.ndarray, rules: rk.Rules) -> pd.DataFrame:
    t = pd.DataFrame(matrix, columns=rules.ids)
    t.insert(0, "proposal", [f"p{i:03d}" for i in range(len(t))])
    return t


def ranking_of(matrix: np.ndarray, rules: rk.Rules) -> rk.Ranking:
    """A one-slot call whose criterion scores are ``matrix`` (as consensus scores, so every proposal is ranked)."""
    ids = [f"p{i:03d}" for i in range(len(matrix))]
    consensus = pd.DataFrame(
        [(p, c, matrix[i, j]) for i, p in enumerate(ids) for j, c in enumerate(rules.ids)],
        columns=["proposal", "criterion", "score"],
    )
    none = pd.DataFrame(columns=["reviewer", "proposal", "criterion", "score"])
    scores = rk.criterion_scores(none, pd.DataFrame(columns=["reviewer", "proposal"]), consensus, rules.ids)
    return rk.rank(
        proposals=pd.DataFrame({"proposal": ids, "entity": ids, "status": "eligible"}),
        applications=pd.DataFrame({"proposal": ids, "slot": "s"}),
        slots=["s"],
        scores=scores,
        rules=rules,
    )


@SETTINGS
@given(calls())
def test_totals_agree_with_scikit_criteria(call):
    matrix, rules = call
    ours = rk.totals(table_of(matrix, rules), rules).to_numpy()
    normalised = 100 * (matrix - rules.scale_min) / (rules.scale_max - rules.scale_min)
    dm = skc.mkdm(normalised, [max] * matrix.shape[1], weights=rules.weights / rules.weights.sum())
    theirs = WeightedSumModel().evaluate(dm)
    assert np.allclose(ours, theirs.e_.score, rtol=0, atol=1e-9)
    # the order: whoever scikit-criteria puts strictly ahead (beyond rounding noise), so do we
    rank = ranking_of(matrix, rules).slot("s").table.set_index("proposal")["rank"]
    ours_rank = rank.loc[table_of(matrix, rules)["proposal"]].to_numpy()
    theirs_rank = np.asarray(theirs.rank_)
    apart = np.abs(ours[:, None] - ours[None, :]) > 1e-6
    ahead_theirs = theirs_rank[:, None] < theirs_rank[None, :]
    ahead_ours = ours_rank[:, None] < ours_rank[None, :]
    assert np.array_equal(ahead_theirs[apart], ahead_ours[apart])


@SETTINGS
@given(calls(), st.floats(0.01, 1000))
def test_scaling_every_weight_changes_nothing(call, factor):
    matrix, rules = call
    scaled = rules.with_weights({c.id: c.weight * factor for c in rules.criteria})
    a = ranking_of(matrix, rules).to_contract("X")
    b = ranking_of(matrix, scaled).to_contract("X")
    totals_a = [r.pop("total") for r in a["slots"][0]["ranking"]]
    totals_b = [r.pop("total") for r in b["slots"][0]["ranking"]]
    assert np.allclose(totals_a, totals_b, rtol=0, atol=1e-9)
    assert a == b


@SETTINGS
@given(calls(), st.data())
def test_raising_one_score_never_lowers_that_proposals_total_or_rank(call, data):
    matrix, rules = call
    i = data.draw(st.integers(0, len(matrix) - 1))
    j = data.draw(st.integers(0, matrix.shape[1] - 1))
    raised = matrix.copy()
    raised[i, j] = data.draw(st.floats(matrix[i, j], 5, allow_nan=False))
    before = rk.totals(table_of(matrix, rules), rules)
    after = rk.totals(table_of(raised, rules), rules)
    assert after[i] >= before[i]

    def rank_of(m: np.ndarray) -> int:
        return ranking_of(m, rules).slot("s").table.set_index("proposal").loc[f"p{i:03d}", "rank"]

    assert rank_of(raised) <= rank_of(matrix)


@SETTINGS
@given(calls(min_proposals=0, max_proposals=20), st.floats(0, 2.5), st.integers(0, 2**31))
def test_a_proposal_far_ahead_is_shortlisted_in_every_draw(call, ceiling, seed):
    matrix, rules = call
    rules = rk.Rules(criteria=rules.criteria)  # no overall threshold: it could fail everyone
    others = np.minimum(matrix, ceiling)
    table = ranking_of(np.vstack([others, np.full(matrix.shape[1], 5.0)]), rules).slot("s").table
    best = f"p{len(matrix):03d}"
    result = rb.robustness("s", table, rules, draws=500, seed=seed).table.set_index("proposal")
    assert result.loc[best, "shortlisted_share"] == 1.0
    assert (result.loc[best, "rank_min"], result.loc[best, "rank_max"]) == (1, 1)


@SETTINGS
@given(calls(on_grid=True), st.lists(st.floats(0.1, 100), min_size=5, max_size=5))
def test_what_if_is_ranking_again_under_the_new_weights(call, new):
    matrix, rules = call
    weights = dict(zip(rules.ids, new))
    base = ranking_of(matrix, rules)
    again = ranking_of(matrix, rules.with_weights(weights))
    assert rk.what_if(base, rules, weights).to_contract("X") == again.to_contract("X")


@SETTINGS
@given(calls(on_grid=True), st.lists(st.lists(st.floats(0.1, 10), min_size=5, max_size=5), min_size=1, max_size=8))
def test_vectorised_re_ranking_is_the_contracts_ranking(call, weight_sets):
    matrix, rules = call
    k = len(rules.ids)
    weights = np.array([w[:k] for w in weight_sets])
    base = ranking_of(matrix, rules)
    slate = rb.Slate.from_table(base.slot("s").table, rules)
    ranks, shortlisted = rb.rank_many(slate, weights)
    for d, w in enumerate(weights):
        t = rk.what_if(base, rules, dict(zip(rules.ids, w))).slot("s").table.set_index("proposal")
        assert ranks[d].tolist() == t.loc[slate.proposals, "rank"].tolist()
        assert shortlisted[d].tolist() == t.loc[slate.proposals, "shortlisted"].tolist()
