"""What-if weights: a slot's shortlist reordered is told apart from a shortlist that changes."""

from __future__ import annotations

import pytest

from criteria import ranking as rk


@pytest.fixture
def ranking(bundle_builder) -> rk.Ranking:
    """Criteria a and b of equal weight: p1 80, p2 70, p3 60 are shortlisted, p4 (0, 4) is fourth at 40."""
    b = bundle_builder(criteria=(("a", 1, 1), ("b", 1, 2)))
    for pid, scores in (("p1", [5, 3]), ("p2", [2, 5]), ("p3", [3, 3]), ("p4", [0, 4])):
        b.proposal(pid).review("r1", pid, scores)
    return b.ranking()


def change(ranking: rk.Ranking, weights: dict[str, float]) -> str:
    rules = rk.Rules(criteria=(rk.CriterionRule("a", 1, 1), rk.CriterionRule("b", 1, 2)), min_reviews=1)
    other = rk.what_if(ranking, rules, weights)
    return rk.shortlist_change(ranking.slot("s1"), other.slot("s1"))


def test_the_same_weights_change_nothing(ranking):
    assert change(ranking, {"a": 1, "b": 1}) == rk.UNCHANGED


def test_weights_scaled_together_change_nothing(ranking):
    assert change(ranking, {"a": 50, "b": 50}) == rk.UNCHANGED


def test_the_same_three_in_another_order_is_an_order_change_not_a_new_shortlist(ranking):
    # b twice a: p2 80, p1 73.3, p3 60, p4 53.3 — the same three entities, p2 now first
    assert change(ranking, {"a": 1, "b": 2}) == rk.ORDER_CHANGED


def test_an_entity_entering_the_shortlist_is_a_shortlist_change(ranking):
    # b nine times a: p2 94, p4 72, p1 64, p3 60 — p4 enters, p3 leaves
    assert change(ranking, {"a": 1, "b": 9}) == rk.SHORTLIST_CHANGED

