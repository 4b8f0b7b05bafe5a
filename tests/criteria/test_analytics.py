"""Panel analytics on small cases computed by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from criteria import analytics
from criteria import ranking as rk


def frame(rows) -> pd.DataFrame:
    """Scores from (reviewer, proposal, criterion, score) rows."""
    return pd.DataFrame(rows, columns=["reviewer", "proposal", "criterion", "score"])


def rules(weights: dict[str, float], lo: float = 0, hi: float = 5) -> rk.Rules:
    return rk.Rules(
        criteria=tuple(rk.CriterionRule(c, w, i + 1) for i, (c, w) in enumerate(weights.items())),
        scale_min=lo, scale_max=hi,
    )


# --------------------------------------------------------------------------- spread and divergence


def test_spread_by_hand():
    valid = frame([
        ("r1", "p1", "a", 1), ("r2", "p1", "a", 3), ("r3", "p1", "a", 3.5),
        ("r1", "p1", "b", 2), ("r2", "p1", "b", 3.5),
        ("r1", "p2", "a", 4),
    ])
    out = analytics.spread(valid, 0, 5).set_index(["proposal", "criterion"])
    a = out.loc[("p1", "a")]
    assert (a["reviews"], a["min"], a["max"], a["range"]) == (3, 1, 3.5, 2.5)
    # mean 2.5; deviations -1.5, 0.5, 1 -> (2.25 + 0.25 + 1) / 3
    assert a["std"] == pytest.approx(np.sqrt(3.5 / 3))
    assert bool(a["divergent"])
    b = out.loc[("p1", "b")]
    assert (b["range"], b["std"], bool(b["divergent"])) == (1.5, 0.75, False)
    alone = out.loc[("p2", "a")]
    assert (alone["reviews"], alone["range"], alone["std"], bool(alone["divergent"])) == (1, 0, 0, False)


def test_two_points_apart_is_divergent_on_a_0_5_scale():
    valid = frame([("r1", "p", "a", 1.5), ("r2", "p", "a", 3.5), ("r1", "p", "b", 2), ("r2", "p", "b", 3.5)])
    out = analytics.spread(valid, 0, 5).set_index("criterion")["divergent"]
    assert out.to_dict() == {"a": True, "b": False}


def test_divergence_is_proportional_on_other_scales():
    assert analytics.divergence_gap(0, 5) == 2
    assert analytics.divergence_gap(0, 10) == 4
    assert analytics.divergence_gap(1, 7) == pytest.approx(2.4)
    valid = frame([("r1", "p", "a", 2), ("r2", "p", "a", 5.5), ("r1", "p", "b", 2), ("r2", "p", "b", 6)])
    out = analytics.spread(valid, 0, 10).set_index("criterion")["divergent"]
    assert out.to_dict() == {"a": False, "b": True}


def test_conflicted_and_partial_reviews_do_not_make_divergence():
    scores = frame([
        ("r1", "p", "a", 4), ("r1", "p", "b", 4),
        ("r2", "p", "a", 4), ("r2", "p", "b", 4),
        ("r3", "p", "a", 0), ("r3", "p", "b", 0),  # conflicted
        ("r4", "p", "a", 0),  # partial
    ])
    valid, excluded = rk.valid_scores(scores, pd.DataFrame({"reviewer": ["r3"], "proposal": ["p"]}), ["a", "b"])
    assert set(excluded["reason"]) == {"conflict", "partial"}
    out = analytics.spread(valid, 0, 5)
    assert not out["divergent"].any()
    assert out["reviews"].tolist() == [2, 2]


# --------------------------------------------------------------------------- leniency


def test_leniency_by_hand():
    valid = frame([
        ("r1", "p1", "a", 4), ("r2", "p1", "a", 2),  # mean 3: r1 +1, r2 -1
        ("r1", "p2", "a", 3), ("r2", "p2", "a", 3), ("r3", "p2", "a", 3),  # all 0
        ("r1", "p3", "a", 5), ("r3", "p3", "a", 2),  # mean 3.5: r1 +1.5, r3 -1.5
        ("r3", "p4", "a", 5),  # alone: not compared
    ])
    out = analytics.leniency(valid).set_index("reviewer")
    assert out["scores"].to_dict() == {"r1": 3, "r2": 2, "r3": 2}
    assert out.loc["r1", "leniency"] == pytest.approx((1 + 0 + 1.5) / 3)
    assert out.loc["r2", "leniency"] == pytest.approx(-0.5)
    assert out.loc["r3", "leniency"] == pytest.approx(-0.75)


def test_a_member_who_scores_everything_one_point_higher():
    rng = np.random.default_rng(3)
    rows = []
    for p in range(6):
        for c in "ab":
            base = float(rng.integers(1, 4))
            rows += [("easy", f"p{p}", c, base + 1), ("r2", f"p{p}", c, base), ("r3", f"p{p}", c, base)]
    out = analytics.leniency(frame(rows)).set_index("reviewer")["leniency"]
    # panel mean = base + 1/3: the lenient member is +2/3, each other -1/3
    assert out["easy"] == pytest.approx(2 / 3)
    assert out["r2"] == pytest.approx(-1 / 3)


# --------------------------------------------------------------------------- Kendall's W


def test_midranks_share_tied_places():
    assert analytics.midranks(np.array([3, 1, 3, 2])).tolist() == [3.5, 1, 3.5, 2]
    assert analytics.midranks(np.array([[1, 1, 1], [9, 5, 7]])).tolist() == [[2, 2, 2], [3, 1, 2]]


def test_kendall_w_without_ties_by_hand():
    # three raters rank four items; rank sums 4, 6, 8, 12 around m(n+1)/2 = 7.5
    # S = 3.5^2 + 1.5^2 + 0.5^2 + 4.5^2 = 35; W = 12 * 35 / (9 * (64 - 4)) = 7/9
    ranks = np.array([[1, 2, 3, 4], [2, 1, 3, 4], [1, 3, 2, 4]])
    assert analytics.kendall_w(ranks) == pytest.approx(7 / 9)


def test_kendall_w_with_ties_by_hand():
    # rater 1 ties the first two items: mid-ranks 1.5, 1.5, 3; rater 2: 1, 2, 3
    # rank sums 2.5, 3.5, 6 around 4: S = 2.25 + 0.25 + 4 = 6.5
    # denominator m^2 (n^3 - n) - m * sum(t^3 - t) = 4 * 24 - 2 * 6 = 84; W = 78 / 84
    assert analytics.kendall_w(np.array([[10, 10, 20], [1, 2, 3]])) == pytest.approx(13 / 14)


def test_kendall_w_bounds():
    assert analytics.kendall_w(np.array([[1, 2, 3, 4]] * 5)) == pytest.approx(1)
    assert analytics.kendall_w(np.array([[1, 2, 3], [3, 2, 1]])) == pytest.approx(0)
    assert analytics.kendall_w(np.array([[1, 2, 3]])) is None
    assert analytics.kendall_w(np.array([[1], [2]])) is None
    assert analytics.kendall_w(np.array([[4, 4, 4], [2, 2, 2]])) is None


def test_kendall_w_reads_values_in_either_direction():
    values = np.array([[70, 55, 60, 80], [65, 50, 75, 85], [71, 40, 50, 90]])
    assert analytics.kendall_w(values) == pytest.approx(analytics.kendall_w(-values))
    assert analytics.kendall_w(values) == pytest.approx(analytics.kendall_w(analytics.midranks(values)))


@pytest.mark.parametrize(
    ("w", "words"),
    [(0.0, "very weak"), (0.09, "very weak"), (0.1, "weak"), (0.29, "weak"), (0.3, "moderate"),
     (0.49, "moderate"), (0.5, "strong"), (0.69, "strong"), (0.7, "very strong"), (1.0, "very strong")],
)
def test_reading_in_plain_words(w, words):
    assert analytics.reading(w) == f"{words} agreement"


def test_reading_of_nothing_measured():
    assert analytics.reading(None) == "not measurable"


def test_reviewer_totals_apply_the_calls_weights():
    valid = frame([("r1", "p1", "a", 5), ("r1", "p1", "b", 0), ("r2", "p1", "a", 0), ("r2", "p1", "b", 5)])
    own = analytics.reviewer_totals(valid, rules({"a": 3, "b": 1}))
    assert own.loc["r1", "p1"] == pytest.approx(75)
    assert own.loc["r2", "p1"] == pytest.approx(25)


def test_agreement_of_members_who_reviewed_everything():
    # own totals (one criterion, 0-5 -> 0-100): r1 orders p1 < p2 < p3, r2 p2 < p1 < p3, r3 p1 < p2 < p3
    valid = frame([
        ("r1", "p1", "a", 1), ("r1", "p2", "a", 2), ("r1", "p3", "a", 3),
        ("r2", "p1", "a", 2), ("r2", "p2", "a", 1), ("r2", "p3", "a", 4),
        ("r3", "p1", "a", 0), ("r3", "p2", "a", 3), ("r3", "p3", "a", 5),
        ("r4", "p1", "a", 5),  # reviewed one proposal only: left out of the complete W
    ])
    out = analytics.slot_agreement(valid, {"s": ["p1", "p2", "p3"]}, rules({"a": 1}))["s"]
    # rank sums 4, 5, 9 around 6: S = 4 + 1 + 9 = 14; W = 12 * 14 / (9 * 24) = 7/9
    assert out["method"] == "complete"
    assert (out["reviewers"], out["proposals"]) == (3, 3)
    assert out["w"] == pytest.approx(7 / 9)
    assert out["reading"] == "very strong agreement"


def test_agreement_estimated_from_pairs_when_nobody_reviewed_everything():
    # r1 reviews A B C, r2 A B C D, r3 B C D: only r2 is complete
    table = pd.DataFrame(
        {"A": [1, 1, np.nan], "B": [2, 3, 3], "C": [3, 2, 2], "D": [np.nan, 4, 1]}, index=["r1", "r2", "r3"]
    )
    # r1-r2 on A B C: ranks (1 2 3) vs (1 3 2): rho = 1 - 6*2/(3*8) = 0.5
    # r2-r3 on B C D: ranks (2 1 3) vs (3 2 1): rho = 1 - 6*6/24 = -0.5
    # r1-r3 share B C only: too few. mean rho = 0 over 3 members: W = (2*0 + 1)/3
    rho, usable = analytics.pairwise_spearman(table.to_numpy())
    assert rho[0, 1] == pytest.approx(0.5) and rho[1, 2] == pytest.approx(-0.5)
    assert not usable[0, 2]
    out = analytics.agreement(table)
    assert out["method"] == "pairs"
    assert (out["pairs"], out["reviewers"], out["proposals"]) == (2, 3, 4)
    assert out["w"] == pytest.approx(1 / 3)


def test_agreement_with_too_little_overlap_is_not_measurable():
    table = pd.DataFrame({"A": [1, np.nan], "B": [2, 5], "C": [np.nan, 1]}, index=["r1", "r2"])
    out = analytics.agreement(table)
    assert out["w"] is None and out["pairs"] == 0 and out["reading"] == "not measurable"


def test_pairs_estimate_equals_w_on_complete_rankings_without_ties():
    rng = np.random.default_rng(5)
    for _ in range(20):
        m, n = rng.integers(2, 7), rng.integers(3, 9)
        table = np.array([rng.permutation(n) for _ in range(m)], dtype=float)
        rho, usable = analytics.pairwise_spearman(table)
        mean_rho = rho[np.triu(usable)].mean()
        assert ((m - 1) * mean_rho + 1) / m == pytest.approx(analytics.kendall_w(table))
