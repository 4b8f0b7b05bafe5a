"""Robustness of a shortlist to the weights: draws, vectorised re-ranking, tipping points."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from criteria import ranking as rk
from criteria import robustness as rb


def make_rules(weights, thresholds=None, overall=None, priorities=None) -> rk.Rules:
    ids = list(weights)
    thresholds = thresholds or {}
    priorities = priorities or {c: i + 1 for i, c in enumerate(ids)}
    return rk.Rules(
        criteria=tuple(rk.CriterionRule(c, float(weights[c]), priorities[c], thresholds.get(c)) for c in ids),
        overall_threshold=overall,
    )


def slot_table(scores: dict[str, list[float]], rules: rk.Rules) -> pd.DataFrame:
    """A slot's ranking table, as :func:`criteria.ranking.rank` makes it, from criterion scores."""
    t = pd.DataFrame(scores, index=rules.ids).T.rename_axis("proposal").reset_index()
    t["entity"] = "e-" + t["proposal"]
    t["reviews"] = 3
    t["total"] = rk.totals(t, rules)
    t["passes"] = rk.passes(t, t["total"], rules)
    ranked = rk.order(t, rules)
    ranked["shortlisted"] = ranked["passes"] & (ranked["rank"] <= rk.SHORTLIST_RANK)
    return ranked


def contract_ranks(table: pd.DataFrame, rules: rk.Rules, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ranks and shortlist by ranking.py itself, one weight set at a time (the reference)."""
    ranks, shortlisted = [], []
    ids = table["proposal"]
    for w in weights:
        other = rules.with_weights(dict(zip(rules.ids, w)))
        t = table.drop(columns=["rank", "tie", "shortlisted"])
        t["total"] = rk.totals(t, other)
        t["passes"] = rk.passes(t, t["total"], other)
        o = rk.order(t, other).set_index("proposal")
        ranks.append(o.loc[ids, "rank"].to_numpy())
        shortlisted.append((o["passes"] & (o["rank"] <= 3)).loc[ids].to_numpy())
    return np.array(ranks), np.array(shortlisted)


# --------------------------------------------------------------------------- draws


def test_draws_are_shares_around_the_weights_and_repeat():
    w = np.array([30, 25, 25, 20])
    draws = rb.dirichlet_weights(w, draws=20_000, concentration=50, seed=1)
    assert draws.shape == (20_000, 4)
    assert np.allclose(draws.sum(axis=1), 1)
    assert np.allclose(draws.mean(axis=0), w / w.sum(), atol=0.002)
    share = w / w.sum()
    assert np.allclose(draws.std(axis=0), np.sqrt(share * (1 - share) / 51), rtol=0.05)
    assert np.array_equal(draws, rb.dirichlet_weights(w, draws=20_000, concentration=50, seed=1))
    assert not np.array_equal(draws, rb.dirichlet_weights(w, draws=20_000, concentration=50, seed=2))


def test_concentration_sets_how_far_draws_stray():
    w = np.array([1.0, 1.0])
    loose = rb.dirichlet_weights(w, draws=5000, concentration=5).std(axis=0)
    tight = rb.dirichlet_weights(w, draws=5000, concentration=500).std(axis=0)
    assert (tight < loose / 5).all()


# --------------------------------------------------------------------------- vectorised ranking


@pytest.mark.parametrize("seed", range(25))
def test_rank_many_follows_the_contract_draw_by_draw(seed):
    """Same ranks and shortlist as ranking.py, including ties, thresholds and the overall threshold."""
    rng = np.random.default_rng(seed)
    k = int(rng.integers(1, 4))
    ids = [f"c{i}" for i in range(k)]
    rules = make_rules(
        {c: int(rng.integers(1, 5)) for c in ids},
        thresholds={ids[0]: 2.0} if seed % 2 else None,
        overall=[None, 40, 55][seed % 3],
        priorities=dict(zip(ids, (rng.permutation(k) + 1).tolist())),
    )
    n = int(rng.integers(1, 12))
    scores = {f"p{i:02d}": (rng.integers(0, 11, k) / 2).tolist() for i in range(n)}
    table = slot_table(scores, rules)
    weights = rng.integers(1, 4, (30, k)).astype(float)
    ranks, shortlisted = rb.rank_many(rb.Slate.from_table(table, rules), weights)
    want_ranks, want_shortlisted = contract_ranks(table, rules, weights)
    assert np.array_equal(ranks, want_ranks)
    assert np.array_equal(shortlisted, want_shortlisted)


def test_rank_many_at_the_chosen_weights_is_the_ranking():
    rules = make_rules({"a": 30, "b": 25, "c": 25, "d": 20}, overall=55)
    rng = np.random.default_rng(9)
    table = slot_table({f"p{i}": rng.uniform(1, 5, 4).tolist() for i in range(40)}, rules)
    ranks, shortlisted = rb.rank_many(rb.Slate.from_table(table, rules), rules.weights[None, :])
    assert np.array_equal(ranks[0], table["rank"].to_numpy())
    assert np.array_equal(shortlisted[0], table["shortlisted"].to_numpy())


def test_blocks_give_the_same_figures_as_one_pass(monkeypatch):
    rules = make_rules({"a": 2, "b": 1})
    rng = np.random.default_rng(4)
    table = slot_table({f"p{i}": (rng.integers(0, 11, 2) / 2).tolist() for i in range(15)}, rules)
    slate, chosen = rb.Slate.from_table(table, rules), table["shortlisted"].to_numpy()
    draws = rb.dirichlet_weights(rules.weights, draws=500)
    whole = rb.weight_draws(slate, draws, chosen)
    monkeypatch.setattr(rb, "CHUNK_CELLS", 7)
    parts = rb.weight_draws(slate, draws, chosen)
    for a, b in zip(whole, parts):
        assert np.array_equal(a, b)


# --------------------------------------------------------------------------- robustness of a slot


def test_a_proposal_far_ahead_is_always_shortlisted_and_first():
    rules = make_rules({"a": 30, "b": 25, "c": 25, "d": 20})
    rng = np.random.default_rng(2)
    scores = {"best": [5, 5, 5, 5], **{f"p{i}": rng.uniform(0, 3, 4).tolist() for i in range(20)}}
    out = rb.robustness("s", slot_table(scores, rules), rules, draws=2000).table.set_index("proposal")
    assert out.loc["best", "shortlisted_share"] == 1.0
    assert (out.loc["best", "rank_min"], out.loc["best", "rank_max"]) == (1, 1)


def test_a_proposal_below_a_criterion_threshold_is_never_shortlisted():
    rules = make_rules({"a": 1, "b": 1}, thresholds={"b": 3})
    table = slot_table({"p1": [5, 2.5], "p2": [2, 3], "p3": [1, 3]}, rules)
    out = rb.robustness("s", table, rules, draws=1000).table.set_index("proposal")
    assert out.loc["p1", "shortlisted_share"] == 0
    assert out.loc["p1", "rank_min"] == 1  # it ranks first, but does not pass
    assert out.loc["p2", "shortlisted_share"] == out.loc["p3", "shortlisted_share"] == 1


def test_passing_the_overall_threshold_depends_on_the_weights():
    # total = 100 * s_a: passes 50 exactly when the share of a is at least one half
    rules = make_rules({"a": 1, "b": 1}, overall=50)
    table = slot_table({"p": [5, 0]}, rules)
    assert table["shortlisted"].item()
    result = rb.robustness("s", table, rules, draws=4000)
    share = result.table["shortlisted_share"].item()
    assert 0.45 < share < 0.55
    assert result.same_shortlist_share == share


def test_a_tie_across_third_place_is_kept_in_every_draw():
    # p3 and p4 have the same scores: they tie whatever the weights, and both stay shortlisted
    rules = make_rules({"a": 1, "b": 1})
    table = slot_table({"p1": [5, 5], "p2": [4.5, 4.5], "p3": [3, 3], "p4": [3, 3], "p5": [1, 1]}, rules)
    assert table["shortlisted"].sum() == 4
    result = rb.robustness("s", table, rules, draws=1000)
    out = result.table.set_index("proposal")
    assert out.loc[["p3", "p4"], "shortlisted_share"].tolist() == [1, 1]
    assert out.loc[["p3", "p4"], "rank_max"].tolist() == [3, 3]
    assert result.same_shortlist_share == 1


def test_the_same_seed_gives_the_same_figures():
    rules = make_rules({"a": 3, "b": 2, "c": 1})
    rng = np.random.default_rng(8)
    table = slot_table({f"p{i}": rng.uniform(2, 4, 3).tolist() for i in range(10)}, rules)
    a = rb.robustness("s", table, rules, draws=3000, seed=5)
    b = rb.robustness("s", table, rules, draws=3000, seed=5)
    pd.testing.assert_frame_equal(a.table, b.table)
    assert a.to_dict() == b.to_dict()


def test_an_empty_slot():
    rules = make_rules({"a": 1, "b": 1})
    empty = slot_table({"p": [1, 1]}, rules).iloc[:0]
    result = rb.robustness("s", empty, rules, draws=100)
    assert result.table.empty and result.tipping_points == [] and result.same_shortlist_share == 1


# --------------------------------------------------------------------------- tipping points


def test_tipping_points_by_hand():
    # shares s of a, 1 - s of b. p1 = 100 and p2 = 90 always; p3 = (4, 2) totals 40 + 40 s,
    # p4 = (2, 4) totals 80 - 40 s. At s = 0.6 p3 is third (64 vs 56). At s = 0.5 they
    # tie on the total and a (priority 1) keeps p3 ahead; below 0.5 p4 is third.
    rules = make_rules({"a": 60, "b": 40})
    table = slot_table({"p1": [5, 5], "p2": [4.5, 4.5], "p3": [4, 2], "p4": [2, 4]}, rules)
    assert table["proposal"].tolist()[:3] == ["p1", "p2", "p3"]
    points = rb.robustness("s", table, rules, draws=100).tipping_points
    assert [(p["criterion"], p["direction"]) for p in points] == [("a", "down"), ("b", "up")]
    a_down, b_up = points
    assert a_down["change_points"] == pytest.approx(10.1)
    assert (a_down["share_before"], a_down["share_after"]) == (pytest.approx(60), pytest.approx(49.9))
    assert a_down["weight_before"] == 60
    assert a_down["new_weight"] == pytest.approx(0.499 * 40 / 0.501)
    assert a_down["new_shortlist"] == ["p1", "p2", "p4"]
    assert b_up["change_points"] == pytest.approx(10.1)
    assert b_up["share_after"] == pytest.approx(50.1)
    assert b_up["new_weight"] == pytest.approx(0.501 * 60 / 0.499)
    assert b_up["new_shortlist"] == ["p1", "p2", "p4"]


def test_the_new_weight_really_changes_the_shortlist():
    rules = make_rules({"a": 30, "b": 25, "c": 25, "d": 20}, overall=55)
    rng = np.random.default_rng(12)
    table = slot_table({f"p{i}": rng.uniform(2, 4.5, 4).tolist() for i in range(12)}, rules)
    chosen = set(table.loc[table["shortlisted"], "proposal"])
    points = rb.robustness("s", table, rules, draws=100).tipping_points
    assert points
    for p in points:
        w = dict(zip(rules.ids, rules.weights))
        w[p["criterion"]] = p["new_weight"]
        _, shortlisted = contract_ranks(table, rules, np.array([[w[c] for c in rules.ids]]))
        assert set(table["proposal"][shortlisted[0]]) == set(p["new_shortlist"]) != chosen
        # one grid step short of it, the shortlist is still the chosen one
        share = (p["share_after"] - (0.1 if p["direction"] == "up" else -0.1)) / 100
        rest = sum(v for c, v in w.items() if c != p["criterion"])
        w[p["criterion"]] = share * rest / (1 - share)
        _, before = contract_ranks(table, rules, np.array([[w[c] for c in rules.ids]]))
        assert set(table["proposal"][before[0]]) == chosen


def test_one_criterion_has_no_weight_to_change():
    rules = make_rules({"a": 1})
    table = slot_table({f"p{i}": [i / 2] for i in range(6)}, rules)
    result = rb.robustness("s", table, rules, draws=200)
    assert result.tipping_points == []
    assert result.same_shortlist_share == 1


def test_tipping_points_come_smallest_change_first_whatever_the_criteria_order():
    # Found criterion by criterion, a-up (54.3 points) first; read smallest first, a-down (0.2) leads.
    rules = make_rules({"a": 30, "b": 25, "c": 25, "d": 20}, overall=55)
    rng = np.random.default_rng(12)
    table = slot_table({f"p{i}": rng.uniform(2, 4.5, 4).tolist() for i in range(12)}, rules)
    points = rb.robustness("s", table, rules, draws=100).tipping_points
    assert [(p["criterion"], p["direction"], p["change_points"]) for p in points] == [
        ("a", "down", 0.2), ("c", "up", 0.3), ("d", "up", 0.6), ("b", "up", 2.2), ("b", "down", 11.5),
        ("a", "up", 54.3)]
