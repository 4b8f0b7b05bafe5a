"""The contract's ranking rules, one test per rule, on small bundles with hand-computed figures.

Unless a test says otherwise: scale 0..5 step 0.5, one slot "s1", min_reviews 1, one criterion
"c1" of weight 1 (so total = 100 * score / 5 = 20 * score).
"""

from __future__ import annotations

import pandas as pd
import pytest

from criteria import ranking as rk
from selection import bundle as bundle_mod
from selection import queries


def ranks(slot: dict) -> list[tuple[str, int]]:
    return [(r["proposal"], r["rank"]) for r in slot["ranking"]]


def row(slot: dict, proposal: str) -> dict:
    return next(r for r in slot["ranking"] if r["proposal"] == proposal)


# --------------------------------------------------------------------------- rule 1: status


def test_withdrawn_and_ineligible_are_unranked_with_their_status(bundle_builder):
    b = bundle_builder()
    for pid, status in [("p-sub", "submitted"), ("p-eli", "eligible"), ("p-wd", "withdrawn"), ("p-inel", "ineligible")]:
        b.proposal(pid, status=status).review("r1", pid, [5]).review("r2", pid, [5])
    slot = b.slot()
    assert [r["proposal"] for r in slot["ranking"]] == ["p-eli", "p-sub"]  # submitted is ranked too
    assert slot["unranked"] == [{"proposal": "p-wd", "reason": "withdrawn"}, {"proposal": "p-inel", "reason": "ineligible"}]
    assert slot["shortlist"] == ["p-eli", "p-sub"]


# --------------------------------------------------------------------------- rule 2: valid reviews


def test_a_conflicted_reviewers_scores_are_left_out(bundle_builder):
    b = bundle_builder(criteria=[("a", 1, 1), ("b", 1, 2)], min_reviews=2).proposal("p1").proposal("p2")
    b.reviews("p1", [4, 2], [3, 3], [0, 0])  # r3 declared a conflict on p1
    b.reviews("p2", [1, 1], [1, 1], [5, 5])  # ... but r3's review of p2 counts
    b.conflict("r3", "p1")
    slot = b.slot()
    assert row(slot, "p1")["criteria"] == {"a": 3.5, "b": 2.5}
    assert row(slot, "p1")["reviews"] == 2
    assert row(slot, "p1")["total"] == pytest.approx(100 * (3.5 + 2.5) / 10)
    assert row(slot, "p2")["criteria"] == pytest.approx({"a": 7 / 3, "b": 7 / 3})
    assert row(slot, "p2")["reviews"] == 3
    excluded = b.ranking().excluded
    assert excluded[["reviewer", "proposal", "reason"]].values.tolist() == [["r3", "p1", "conflict"]]


def test_a_conflict_can_leave_too_few_reviews(bundle_builder):
    b = bundle_builder(min_reviews=3).proposal("p1").reviews("p1", [4], [4], [4]).conflict("r2", "p1")
    assert b.slot() == {"slot": "s1", "ranking": [], "unranked": [{"proposal": "p1", "reason": "insufficient_reviews"}],
                        "shortlist": []}


def test_a_partial_review_is_left_out(bundle_builder):
    b = bundle_builder(criteria=[("a", 1, 1), ("b", 1, 2)], min_reviews=2).proposal("p1")
    b.reviews("p1", [4, 4], [2, 2])
    b.review("r3", "p1", {"a": 0})  # scored one criterion of two
    slot = b.slot()
    assert row(slot, "p1")["criteria"] == {"a": 3.0, "b": 3.0}
    assert row(slot, "p1")["reviews"] == 2
    excluded = b.ranking().excluded
    assert excluded[["reviewer", "proposal", "reason", "scores"]].values.tolist() == [["r3", "p1", "partial", 1]]


def test_partial_reviews_do_not_add_up_to_a_valid_one(bundle_builder):
    b = bundle_builder(criteria=[("a", 1, 1), ("b", 1, 2)], min_reviews=2).proposal("p1")
    b.review("r1", "p1", [3, 3]).review("r2", "p1", {"a": 3}).review("r3", "p1", {"b": 3})
    assert b.slot()["unranked"] == [{"proposal": "p1", "reason": "insufficient_reviews"}]


# --------------------------------------------------------------------------- rules 3-4: consensus, min_reviews


def test_consensus_overrides_the_mean(bundle_builder):
    b = bundle_builder(criteria=[("a", 1, 1), ("b", 1, 2)], min_reviews=2).proposal("p1")
    b.reviews("p1", [4, 4], [5, 3]).consensus("p1", {"a": 1})
    r = row(b.slot(), "p1")
    assert r["criteria"] == {"a": 1.0, "b": 3.5}
    assert r["total"] == pytest.approx(100 * (1 + 3.5) / 10)
    assert r["reviews"] == 2


def test_too_few_valid_reviews_is_insufficient(bundle_builder):
    b = bundle_builder(min_reviews=3).proposal("p1").reviews("p1", [4], [4])
    b.proposal("p2").reviews("p2", [1], [1], [1])
    slot = b.slot()
    assert ranks(slot) == [("p2", 1)]
    assert slot["unranked"] == [{"proposal": "p1", "reason": "insufficient_reviews"}]


def test_a_proposal_nobody_reviewed_is_insufficient(bundle_builder):
    slot = bundle_builder().proposal("p1").slot()
    assert slot["unranked"] == [{"proposal": "p1", "reason": "insufficient_reviews"}]


def test_consensus_on_every_criterion_ranks_without_reviews(bundle_builder):
    b = bundle_builder(criteria=[("a", 1, 1), ("b", 1, 2)], min_reviews=3)
    b.proposal("p-full").consensus("p-full", {"a": 4, "b": 3})
    b.proposal("p-half").consensus("p-half", {"a": 5}).review("r1", "p-half", [5, 5])
    slot = b.slot()
    assert ranks(slot) == [("p-full", 1)]
    assert row(slot, "p-full")["reviews"] == 0
    assert row(slot, "p-full")["total"] == pytest.approx(70.0)
    assert slot["unranked"] == [{"proposal": "p-half", "reason": "insufficient_reviews"}]


def test_a_withdrawn_proposal_with_full_consensus_stays_unranked(bundle_builder):
    b = bundle_builder().proposal("p1", status="withdrawn").consensus("p1", {"c1": 5})
    assert b.slot()["unranked"] == [{"proposal": "p1", "reason": "withdrawn"}]


# --------------------------------------------------------------------------- rule 5: total


def test_total_on_a_1_to_10_scale_with_unequal_weights(bundle_builder):
    # q: weight 3, r: weight 1; q = mean(4, 5) = 4.5, r = mean(10, 9) = 9.5
    # total = 100 * (3 * (4.5 - 1) / 9 + 1 * (9.5 - 1) / 9) / 4 = 100 * 19 / 36
    b = bundle_builder(criteria=[("q", 3, 1), ("r", 1, 2)], scale=(1, 10, 1), min_reviews=2).proposal("p1")
    b.reviews("p1", [4, 10], [5, 9])
    r = row(b.slot(), "p1")
    assert r["criteria"] == {"q": 4.5, "r": 9.5}
    assert r["total"] == pytest.approx(1900 / 36, abs=1e-9)


def test_total_runs_from_0_at_the_scale_minimum_to_100_at_its_maximum(bundle_builder):
    b = bundle_builder(criteria=[("q", 2, 1), ("r", 5, 2)], scale=(1, 10, 1))
    b.proposal("p-top").review("r1", "p-top", [10, 10]).proposal("p-bottom").review("r1", "p-bottom", [1, 1])
    slot = b.slot()
    assert row(slot, "p-top")["total"] == pytest.approx(100.0)
    assert row(slot, "p-bottom")["total"] == pytest.approx(0.0)


def test_weights_are_relative(bundle_builder):
    """Weights 25/25/50 and 1/1/2 give the same totals."""
    def total(weights):
        b = bundle_builder(criteria=[("a", weights[0], 1), ("b", weights[1], 2), ("c", weights[2], 3)])
        b.proposal("p1").review("r1", "p1", [5, 0, 2.5])
        return row(b.slot(), "p1")["total"]

    assert total((25, 25, 50)) == pytest.approx(total((1, 1, 2))) == pytest.approx(100 * (5 + 0 + 2 * 2.5) / 5 / 4)


# --------------------------------------------------------------------------- rule 6: order, ties


def test_priority_tie_break_follows_priorities_not_list_order(bundle_builder):
    # list order a, b, c but priorities b=1, c=2, a=3; equal weights, so every total is 9/15 = 60
    b = bundle_builder(criteria=[("a", 1, 3), ("b", 1, 1), ("c", 1, 2)])
    b.proposal("p-x").review("r1", "p-x", [5, 3, 1])  # b=3, c=1
    b.proposal("p-y").review("r1", "p-y", [1, 3, 5])  # b=3, c=5
    b.proposal("p-z").review("r1", "p-z", [4, 4, 1])  # b=4
    slot = b.slot()
    assert [r["total"] for r in slot["ranking"]] == pytest.approx([60.0, 60.0, 60.0])
    assert ranks(slot) == [("p-z", 1), ("p-y", 2), ("p-x", 3)]
    assert not any(r["tie"] for r in slot["ranking"])


def test_higher_total_beats_better_priority_criterion(bundle_builder):
    b = bundle_builder(criteria=[("a", 1, 1), ("b", 1, 2)])
    b.proposal("p-1").review("r1", "p-1", [5, 0])  # total 50
    b.proposal("p-2").review("r1", "p-2", [2, 3.5])  # total 55
    assert ranks(b.slot()) == [("p-2", 1), ("p-1", 2)]


def test_an_exact_tie_shares_the_rank_competition_style(bundle_builder):
    b = bundle_builder(criteria=[("a", 1, 1), ("b", 1, 2)])
    b.proposal("p-top").review("r1", "p-top", [5, 5])
    b.proposal("p-zulu").review("r1", "p-zulu", [3, 4])  # listed before p-alpha in the bundle
    b.proposal("p-alpha").review("r1", "p-alpha", [3, 4])
    b.proposal("p-low").review("r1", "p-low", [1, 1])
    slot = b.slot()
    assert ranks(slot) == [("p-top", 1), ("p-alpha", 2), ("p-zulu", 2), ("p-low", 4)]
    assert [r["tie"] for r in slot["ranking"]] == [False, True, True, False]
    assert slot["shortlist"] == ["p-top", "p-alpha", "p-zulu"]


def test_a_tie_for_first_place(bundle_builder):
    b = bundle_builder()
    for pid in ("p-c", "p-a", "p-b"):
        b.proposal(pid).review("r1", pid, [4])
    b.proposal("p-d").review("r1", "p-d", [3])
    slot = b.slot()
    assert ranks(slot) == [("p-a", 1), ("p-b", 1), ("p-c", 1), ("p-d", 4)]
    assert slot["shortlist"] == ["p-a", "p-b", "p-c"]


def test_a_tie_across_third_place_shortlists_more_than_three(bundle_builder):
    b = bundle_builder()
    for pid, score in [("p1", 5), ("p2", 4.5), ("p3b", 4), ("p3a", 4), ("p5", 3.5)]:
        b.proposal(pid).review("r1", pid, [score])
    ranking = b.ranking()
    slot = ranking.to_contract("R")["slots"][0]
    assert ranks(slot) == [("p1", 1), ("p2", 2), ("p3a", 3), ("p3b", 3), ("p5", 5)]
    assert slot["shortlist"] == ["p1", "p2", "p3a", "p3b"]
    assert ranking.slots[0].tie_across_cutoff()


def test_no_tie_across_third_place_means_three_shortlisted(bundle_builder):
    b = bundle_builder()
    for pid, score in [("p1", 5), ("p2", 4.5), ("p3", 4), ("p4", 3.5)]:
        b.proposal(pid).review("r1", pid, [score])
    ranking = b.ranking()
    assert ranking.slots[0].shortlist == ["p1", "p2", "p3"]
    assert not ranking.slots[0].tie_across_cutoff()


def test_comparisons_use_six_decimals_float_noise_is_a_tie(bundle_builder):
    # 0.1 + 0.2 != 0.3 in floating point: mean(0.1, 0.2) = 0.15000000000000002 but mean(0.3, 0) = 0.15
    b = bundle_builder(scale=(0, 1, 0.1), min_reviews=2)
    b.proposal("p-b").reviews("p-b", [0.1], [0.2])
    b.proposal("p-a").reviews("p-a", [0.3], [0])
    slot = b.slot()
    assert ranks(slot) == [("p-a", 1), ("p-b", 1)]
    assert all(r["tie"] for r in slot["ranking"])
    assert all(r["total"] == pytest.approx(15.0) for r in slot["ranking"])


def _table(rows: list[tuple[str, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["proposal", "total", "c1"])


RULES_ONE = rk.Rules(criteria=(rk.CriterionRule("c1", 1.0, 1),))


def test_order_totals_differing_by_1e_9_are_a_tie():
    out = rk.order(_table([("p-b", 60.000000001, 3.0), ("p-a", 60.0, 3.0 - 1e-9)]), RULES_ONE)
    assert out[["proposal", "rank", "tie"]].values.tolist() == [["p-a", 1, True], ["p-b", 1, True]]
    assert out.loc[out["proposal"] == "p-b", "total"].item() == 60.000000001  # kept unrounded


def test_order_totals_differing_by_1e_5_are_not_a_tie():
    out = rk.order(_table([("p-a", 60.0, 3.0), ("p-b", 60.00001, 3.0)]), RULES_ONE)
    assert out[["proposal", "rank", "tie"]].values.tolist() == [["p-b", 1, False], ["p-a", 2, False]]


def test_order_of_nothing_is_empty():
    assert rk.order(_table([]), RULES_ONE).empty


# --------------------------------------------------------------------------- rules 7-8: passing, shortlist


def test_criterion_threshold_exactly_met_passes(bundle_builder):
    b = bundle_builder(criteria=[("a", 1, 1, 3), ("b", 1, 2)])
    b.proposal("p-at").review("r1", "p-at", [3, 0])
    b.proposal("p-under").review("r1", "p-under", [2.5, 5])
    slot = b.slot()
    assert row(slot, "p-at")["passes"] is True
    assert row(slot, "p-under")["passes"] is False  # rank 1 on total, but below the threshold on a
    assert ranks(slot) == [("p-under", 1), ("p-at", 2)]
    assert slot["shortlist"] == ["p-at"]


def test_threshold_met_by_a_mean_that_float_arithmetic_puts_just_below(bundle_builder):
    # mean(0, 0, 0.3) is 0.1 exactly, though floating point gives 0.09999999999999999
    b = bundle_builder(criteria=[("c1", 1, 1, 0.1)], scale=(0, 1, 0.1), min_reviews=3, overall_threshold=10)
    b.proposal("p1").reviews("p1", [0], [0], [0.3])
    r = row(b.slot(), "p1")
    assert r["criteria"]["c1"] == pytest.approx(0.1)
    assert r["passes"] is True


def test_overall_threshold_exactly_met_passes(bundle_builder):
    b = bundle_builder(overall_threshold=60)
    b.proposal("p-60").review("r1", "p-60", [3])  # total 60
    b.proposal("p-50").review("r1", "p-50", [2.5])  # total 50
    slot = b.slot()
    assert (row(slot, "p-60")["total"], row(slot, "p-60")["passes"]) == (pytest.approx(60), True)
    assert (row(slot, "p-50")["rank"], row(slot, "p-50")["passes"]) == (2, False)
    assert slot["shortlist"] == ["p-60"]


def test_no_thresholds_means_every_ranked_proposal_passes(bundle_builder):
    b = bundle_builder()
    b.proposal("p0").review("r1", "p0", [0])
    assert row(b.slot(), "p0")["passes"] is True


def test_a_failing_proposal_keeps_its_rank_and_the_shortlist_does_not_move_up(bundle_builder):
    b = bundle_builder(criteria=[("a", 1, 1, 2), ("b", 1, 2)])
    b.proposal("p1").review("r1", "p1", [5, 5])
    b.proposal("p2").review("r1", "p2", [1.5, 5])  # second on total, fails a's threshold
    b.proposal("p3").review("r1", "p3", [3, 3])
    b.proposal("p4").review("r1", "p4", [2, 2])
    slot = b.slot()
    assert ranks(slot) == [("p1", 1), ("p2", 2), ("p3", 3), ("p4", 4)]
    assert [(r["passes"], r["shortlisted"]) for r in slot["ranking"]] == [
        (True, True), (False, False), (True, True), (True, False)]
    assert slot["shortlist"] == ["p1", "p3"]


# --------------------------------------------------------------------------- per slot


def test_a_proposal_in_two_slots_is_ranked_in_each(bundle_builder):
    b = bundle_builder(slots=["zulu", "alpha"])
    b.proposal("p-both", slots=["zulu", "alpha"]).review("r1", "p-both", [3])
    b.proposal("p-zulu", slots=["zulu"]).review("r1", "p-zulu", [4])
    b.proposal("p-alpha", slots=["alpha"]).review("r1", "p-alpha", [2])
    doc = b.rank()
    assert [s["slot"] for s in doc["slots"]] == ["zulu", "alpha"]  # the bundle's order
    assert ranks(doc["slots"][0]) == [("p-zulu", 1), ("p-both", 2)]
    assert ranks(doc["slots"][1]) == [("p-both", 1), ("p-alpha", 2)]
    assert "p-both" in doc["slots"][0]["shortlist"] and "p-both" in doc["slots"][1]["shortlist"]


def test_a_slot_nobody_applied_to_is_listed_empty(bundle_builder):
    b = bundle_builder(slots=["s1", "s2"]).proposal("p1", slots=["s1"]).review("r1", "p1", [3])
    assert b.rank()["slots"][1] == {"slot": "s2", "ranking": [], "unranked": [], "shortlist": []}


def test_contract_output_shape_and_types(bundle_builder):
    b = bundle_builder(criteria=[("a", 2, 1, 1), ("b", 1, 2)], min_reviews=2).proposal("p1").proposal("p2", status="withdrawn")
    b.reviews("p1", [4, 3], [5, 2])
    doc = b.rank()
    assert set(doc) == {"call", "slots"} and doc["call"] == "TEST-CALL-1"
    [slot] = doc["slots"]
    assert set(slot) == {"slot", "ranking", "unranked", "shortlist"}
    [r] = slot["ranking"]
    assert set(r) == {"proposal", "entity", "rank", "total", "criteria", "reviews", "passes", "tie", "shortlisted"}
    assert r == {
        "proposal": "p1", "entity": "e-p1", "rank": 1, "total": pytest.approx(100 * (2 * 4.5 + 2.5) / 5 / 3),
        "criteria": {"a": 4.5, "b": 2.5}, "reviews": 2, "passes": True, "tie": False, "shortlisted": True,
    }
    assert type(r["rank"]) is int and type(r["reviews"]) is int and type(r["total"]) is float
    assert all(type(r[k]) is bool for k in ("passes", "tie", "shortlisted"))
    assert slot["unranked"] == [{"proposal": "p2", "reason": "withdrawn"}]


# --------------------------------------------------------------------------- the contract's example


@pytest.fixture
def example_ranking(example_bundle) -> dict:
    doc = queries.bundle_inputs(example_bundle).rank().to_contract(example_bundle.call.reference)
    return {s["slot"]: s for s in doc["slots"]}


def test_example_africa(example_ranking):
    africa = example_ranking["africa"]
    # p-lakes and p-sahel both total 100 * 12.875 / 20 = 64.375; networks (priority 1) 3.75 > 3.25
    assert ranks(africa) == [("p-lakes", 1), ("p-sahel", 2), ("p-savanna", 3)]
    lakes, sahel, savanna = africa["ranking"]
    assert lakes["total"] == pytest.approx(64.375) and sahel["total"] == pytest.approx(64.375)
    assert lakes["criteria"] == {"networks": 3.75, "expertise": 4.0, "tsc_experience": 2.875, "capacity": 2.25}
    assert (lakes["passes"], lakes["shortlisted"], lakes["tie"]) == (False, False, False)  # capacity 2.25 < 2.5
    assert sahel["criteria"] == {"networks": 3.25, "expertise": 2.75, "tsc_experience": 3.75, "capacity": 3.125}
    assert (sahel["passes"], sahel["shortlisted"]) == (True, True)
    # r4 declared a conflict on p-savanna: only r1, r2, r3 count
    assert savanna["reviews"] == 3
    assert savanna["criteria"] == pytest.approx(
        {"networks": 7 / 3, "expertise": 2.5, "tsc_experience": 12.5 / 3, "capacity": 3.5})
    assert savanna["total"] == pytest.approx(62.5)
    assert (savanna["passes"], savanna["shortlisted"]) == (False, False)  # networks 2.33 < 2.5
    assert africa["shortlist"] == ["p-sahel"]
    assert africa["unranked"] == []


def test_example_asia_pacific(example_ranking):
    asia = example_ranking["asia-pacific"]
    assert asia["unranked"] == [{"proposal": "p-gulf", "reason": "withdrawn"}]
    # both total 100 * 42.5 / 3 / 20 = 70.8333...; networks 4.17 > 2.67 decides
    assert ranks(asia) == [("p-mekong", 1), ("p-coral", 2)]
    mekong, coral = asia["ranking"]
    # r2's review of p-mekong lacks capacity: partial, so r1, r3, r4 only
    assert mekong["reviews"] == 3
    assert mekong["criteria"] == pytest.approx(
        {"networks": 12.5 / 3, "expertise": 4.0, "tsc_experience": 9.5 / 3, "capacity": 8.5 / 3})
    assert mekong["total"] == pytest.approx(100 * 42.5 / 60)
    # p-coral's capacity is the consensus 3.5, not the reviewers' mean 10 / 3
    assert coral["criteria"]["capacity"] == 3.5
    assert coral["criteria"]["networks"] == pytest.approx(8 / 3)
    assert coral["total"] == pytest.approx(100 * 42.5 / 60)
    assert coral["reviews"] == 3
    assert asia["shortlist"] == ["p-mekong", "p-coral"]
    assert all(r["passes"] for r in asia["ranking"])


def test_example_reports_what_it_left_out(example_bundle):
    excluded = queries.bundle_inputs(example_bundle).rank().excluded
    assert sorted(excluded[["reviewer", "proposal", "reason", "scores"]].values.tolist()) == [
        ["r2", "p-mekong", "partial", 3], ["r4", "p-savanna", "conflict", 4]]


def test_example_numbers_are_unrounded(example_ranking):
    savanna = row(example_ranking["africa"], "p-savanna")
    assert savanna["criteria"]["networks"] == pytest.approx(7 / 3, abs=1e-12)
    assert savanna["criteria"]["networks"] != round(7 / 3, 6)


def test_example_from_the_store_ranks_the_same(db, example_bundle, example_ranking):
    bundle_mod.store(db, example_bundle, actor="test")
    doc = queries.ranking_inputs(db, "TSC-HOST-2026-01").rank().to_contract("TSC-HOST-2026-01")
    assert {s["slot"]: s for s in doc["slots"]} == example_ranking
    assert [s["slot"] for s in doc["slots"]] == ["africa", "asia-pacific"]


def test_what_if_weights_change_the_totals(example_bundle):
    inputs = queries.bundle_inputs(example_bundle)
    heavy_capacity = inputs.rules.with_weights({"capacity": 75})
    africa = inputs.rank(heavy_capacity).to_contract("R")["slots"][0]
    # sahel: 100 * (25 * (3.25 + 2.75 + 3.75) + 75 * 3.125) / 150 / 5
    assert row(africa, "p-sahel")["total"] == pytest.approx(100 * (25 * 9.75 + 75 * 3.125) / 150 / 5)
    # savanna: 100 * (25 * (7/3 + 2.5 + 12.5/3) + 75 * 3.5) / 150 / 5 = 65 now leads
    assert row(africa, "p-savanna")["total"] == pytest.approx(65.0)
    assert ranks(africa) == [("p-savanna", 1), ("p-sahel", 2), ("p-lakes", 3)]


# --------------------------------------------------------------------------- pinned by mutation testing


def test_order_totals_differing_by_1e_6_are_not_a_tie():
    """Six decimals, not five: 60.000001 and 60 differ in the sixth decimal, so they are two ranks."""
    out = rk.order(_table([("p-a", 60.0, 3.0), ("p-b", 60.000001, 3.0)]), RULES_ONE)
    assert out[["proposal", "rank", "tie"]].values.tolist() == [["p-b", 1, False], ["p-a", 2, False]]


def test_overall_threshold_is_compared_on_the_rounded_total(bundle_builder):
    # mean(0.2, 0.7) is 0.45, though floating point gives 0.44999999999999996: a total of 45 up to noise
    b = bundle_builder(scale=(0, 1, 0.1), min_reviews=2, overall_threshold=45)
    b.proposal("p1").reviews("p1", [0.2], [0.7])
    r = row(b.slot(), "p1")
    assert r["total"] == pytest.approx(45) and r["total"] < 45  # unrounded in the output
    assert r["passes"] is True
    assert b.slot()["shortlist"] == ["p1"]
