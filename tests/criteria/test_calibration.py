"""The calibrated view: members' scores standardised, on small cases computed by hand."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from criteria import calibration as cal
from criteria import ranking as rk


def frame(rows) -> pd.DataFrame:
    """Scores from (reviewer, proposal, criterion, score) rows."""
    return pd.DataFrame(rows, columns=["reviewer", "proposal", "criterion", "score"])


def rules(weights: dict[str, float] | None = None, min_reviews: int = 1, **more) -> rk.Rules:
    weights = weights or {"c1": 1}
    return rk.Rules(
        criteria=tuple(rk.CriterionRule(c, w, i + 1) for i, (c, w) in enumerate(weights.items())),
        scale_min=0, scale_max=5, min_reviews=min_reviews, **more,
    )


def by_key(calibrated: pd.DataFrame) -> dict[tuple[str, str, str], float]:
    return {(r, p, c): s for r, p, c, s in calibrated[["reviewer", "proposal", "criterion", "score"]].itertuples(
        index=False)}


class Call:
    """One slot "s1", every proposal eligible and applying to it, no conflicts."""

    def __init__(self, scores, consensus=(), rules_=None, status=None):
        self.scores = frame(scores)
        self.rules = rules_ or rules()
        ids = list(dict.fromkeys(self.scores["proposal"]))
        status = status or {}
        self.proposals = pd.DataFrame({"proposal": ids, "entity": [f"e-{p}" for p in ids],
                                       "status": [status.get(p, "eligible") for p in ids]})
        self.applications = pd.DataFrame({"proposal": ids, "slot": "s1"})
        self.consensus = pd.DataFrame(list(consensus), columns=["proposal", "criterion", "score"])
        self.conflicts = pd.DataFrame(columns=["reviewer", "proposal"])

    def criterion_scores(self) -> rk.CriterionScores:
        return rk.criterion_scores(self.scores, self.conflicts, self.consensus, self.rules.ids)

    def parts(self) -> dict:
        return {"proposals": self.proposals, "applications": self.applications, "slots": ["s1"],
                "scores": self.criterion_scores(), "rules": self.rules}

    def raw(self) -> rk.Ranking:
        return rk.rank(**self.parts())

    def calibrated(self) -> rk.Ranking:
        return cal.calibrated_ranking(**self.parts())

    def compare(self) -> dict:
        s = self.criterion_scores()
        valid = cal.judged(s.valid, self.proposals)
        calibrated = cal.calibrate(valid, self.rules.scale_min, self.rules.scale_max)
        return cal.compare(self.raw(), self.calibrated(), valid, calibrated, self.rules, self.consensus)[0]


# --------------------------------------------------------------------------- calibrate


def test_calibration_by_hand():
    # r1: 4, 2   mean 3, std 1      z = +1, -1
    # r2: 5, 3   mean 4, std 1      z = +1, -1   (one point more lenient than r1)
    # r3: 1, 3   mean 2, std 1      z = -1, +1
    # panel: 4 2 5 3 1 3: mean 3; squared deviations 1 1 4 0 4 0 -> variance 10/6, S = sqrt(5/3)
    valid = frame([("r1", "p1", "c1", 4), ("r1", "p2", "c1", 2), ("r2", "p1", "c1", 5), ("r2", "p2", "c1", 3),
                   ("r3", "p1", "c1", 1), ("r3", "p2", "c1", 3)])
    out = cal.calibrate(valid, 0, 5, 0.5)
    assert out.index.equals(valid.index)
    assert out["raw"].tolist() == valid["score"].tolist()
    S = math.sqrt(5 / 3)
    got = by_key(out)
    expected = {("r1", "p1", "c1"): 3 + S, ("r1", "p2", "c1"): 3 - S, ("r2", "p1", "c1"): 3 + S,
                ("r2", "p2", "c1"): 3 - S, ("r3", "p1", "c1"): 3 - S, ("r3", "p2", "c1"): 3 + S}
    assert got == pytest.approx(expected, abs=1e-12)
    panel, members = cal.members(valid)
    assert panel == pytest.approx({"mean": 3, "std": S, "scores": 6})
    assert [(m["reviewer"], m["mean"], m["std"]) for m in members] == [("r1", 3, 1), ("r2", 4, 1), ("r3", 2, 1)]


def test_calibrated_scores_are_not_rounded_to_the_step():
    valid = frame([("r1", "p1", "c1", 4), ("r1", "p2", "c1", 2), ("r2", "p1", "c1", 5), ("r2", "p2", "c1", 1)])
    out = cal.calibrate(valid, 0, 5, step=0.5)
    # panel mean 3, std sqrt((1 + 1 + 4 + 4) / 4) = sqrt(2.5); every member's z is +1 or -1
    assert out["score"].tolist() == pytest.approx([3 + math.sqrt(2.5), 3 - math.sqrt(2.5)] * 2)
    assert not np.allclose(out["score"] * 2, (out["score"] * 2).round())


def test_lenient_and_severe_members_with_the_same_pattern_calibrate_alike():
    severe = [("sev", p, c, x) for p, c, x in [("p1", "a", 1), ("p1", "b", 2), ("p2", "a", 2.5), ("p2", "b", 0.5),
                                                ("p3", "a", 1.5), ("p3", "b", 1)]]
    lenient = [("len", p, c, x + 1) for _, p, c, x in severe]  # +1 on everything
    spread = [("wide", p, c, 2 * x) for _, p, c, x in severe]  # twice as spread out: same z-pattern too
    others = [("r4", "p1", "a", 3), ("r4", "p2", "b", 4), ("r4", "p3", "a", 2.5)]
    got = by_key(cal.calibrate(frame(severe + lenient + spread + others), 0, 5))
    for _, p, c, _ in severe:
        assert got[("len", p, c)] == pytest.approx(got[("sev", p, c)], abs=1e-12)
        assert got[("wide", p, c)] == pytest.approx(got[("sev", p, c)], abs=1e-12)


def test_a_constant_member_or_a_single_score_is_only_shifted():
    # r1 varies (mean 3), r2 gives 4 everywhere, r3 gave one score: panel mean (2+4+4+4+4+3)/6 = 3.5
    valid = frame([("r1", "p1", "c1", 2), ("r1", "p2", "c1", 4), ("r2", "p1", "c1", 4), ("r2", "p2", "c1", 4),
                   ("r2", "p3", "c1", 4), ("r3", "p3", "c1", 3)])
    got = by_key(cal.calibrate(valid, 0, 5))
    assert all(np.isfinite(list(got.values())))
    assert got[("r2", "p1", "c1")] == got[("r2", "p2", "c1")] == got[("r2", "p3", "c1")] == pytest.approx(3.5)
    assert got[("r3", "p3", "c1")] == pytest.approx(3.5)  # 3 - 3 + 3.5
    _, members = cal.members(valid)
    assert [m["shift_only"] for m in members] == [False, True, True]


def test_calibrated_scores_are_clipped_to_the_scale():
    # r2's 5 is 2 of r2's stds above r2's mean; the panel's spread puts it above 5
    valid = frame([("r1", "p1", "c1", 0), ("r1", "p2", "c1", 5), ("r2", "p1", "c1", 3), ("r2", "p2", "c1", 3),
                   ("r2", "p3", "c1", 3), ("r2", "p4", "c1", 5)])
    out = cal.calibrate(valid, 0, 5)
    assert out["score"].max() == 5 and out["score"].min() >= 0
    assert by_key(out)[("r2", "p4", "c1")] == 5


def test_no_scores_calibrate_to_no_scores():
    out = cal.calibrate(frame([]), 0, 5)
    assert out.empty and list(out.columns) == ["reviewer", "proposal", "criterion", "score", "raw"]


# --------------------------------------------------------------------------- calibrated ranking


def test_consensus_still_overrides_in_the_calibrated_view():
    call = Call([("r1", "p1", "c1", 4), ("r1", "p2", "c1", 2), ("r2", "p1", "c1", 5), ("r2", "p2", "c1", 1),
                 ("r1", "p1", "c2", 3), ("r1", "p2", "c2", 3), ("r2", "p1", "c2", 3), ("r2", "p2", "c2", 2)],
                consensus=[("p1", "c1", 2.5)], rules_=rules({"c1": 1, "c2": 1}))
    t = call.calibrated().slot("s1").table.set_index("proposal")
    assert t.loc["p1", "c1"] == 2.5
    calibrated = by_key(cal.calibrate(call.criterion_scores().valid, 0, 5))
    assert t.loc["p1", "c2"] == pytest.approx((calibrated[("r1", "p1", "c2")] + calibrated[("r2", "p1", "c2")]) / 2)
    assert t.loc["p2", "c1"] != call.raw().slot("s1").table.set_index("proposal").loc["p2", "c1"]


def test_a_consensus_cell_gives_no_member_an_effect():
    call = Call([("r1", "p1", "c1", 4), ("r1", "p2", "c1", 2), ("r2", "p1", "c1", 5), ("r2", "p2", "c1", 4)],
                consensus=[("p1", "c1", 3)])
    valid = call.criterion_scores().valid
    e = cal.effects(valid, cal.calibrate(valid, 0, 5), call.rules, call.consensus)
    assert e.loc[e["proposal"] == "p1", "effect"].tolist() == [0, 0]
    assert (e.loc[e["proposal"] == "p2", "effect"] != 0).all()


def test_same_proposals_ranked_and_unranked_as_the_contract():
    call = Call([("r1", "p1", "c1", 4), ("r2", "p1", "c1", 3), ("r1", "p2", "c1", 2), ("r1", "p3", "c1", 5),
                 ("r2", "p3", "c1", 1), ("r3", "p4", "c1", 3)],
                consensus=[("p4", "c1", 4)], rules_=rules(min_reviews=2), status={"p3": "withdrawn"})
    raw, calibrated = call.raw().slot("s1"), call.calibrated().slot("s1")
    assert sorted(calibrated.table["proposal"]) == sorted(raw.table["proposal"]) == ["p1", "p4"]
    assert calibrated.unranked == raw.unranked == [{"proposal": "p2", "reason": "insufficient_reviews"},
                                                   {"proposal": "p3", "reason": "withdrawn"}]


# --------------------------------------------------------------------------- crossing the shortlist line

# Three neutral members and one lenient member L, who gives 4 or 5 to everything and reviewed D but
# not C. Raw means: A 4.375, B 4.125, D 3.125, C 3, E 1.875: L's 5 puts D above C into the shortlist.
LINE = ([(r, p, "c1", x) for r, row in {"r1": [4, 4, 3, 2.5, 1], "r2": [4, 3.5, 3, 2.5, 1.5],
                                        "r3": [4.5, 4, 3, 2.5, 1]}.items()
         for p, x in zip("ABCDE", row)]
        + [("L", p, "c1", x) for p, x in zip("ABDE", [5, 5, 5, 4])])


def test_a_lenient_member_who_pushed_a_proposal_into_the_shortlist_is_named():
    call = Call(LINE, rules_=rules(min_reviews=3))
    out = call.compare()
    rows = {r["proposal"]: r for r in out["rows"]}
    assert [r["proposal"] for r in out["rows"]] == ["A", "B", "D", "C", "E"]  # raw rank order
    assert rows["D"]["shortlisted_raw"] and not rows["D"]["shortlisted_calibrated"]
    assert not rows["C"]["shortlisted_raw"] and rows["C"]["shortlisted_calibrated"]
    assert (rows["D"]["raw_rank"], rows["D"]["calibrated_rank"]) == (3, 4)
    assert (rows["C"]["raw_rank"], rows["C"]["calibrated_rank"]) == (4, 3)
    crossing = {x["proposal"]: x for x in out["crossings"]}
    assert crossing["D"]["direction"] == "out" and crossing["C"]["direction"] == "in"
    d = crossing["D"]["members"]
    assert d[0]["reviewer"] == "L" and d[0]["effect"] <= -cal.MIN_EFFECT
    assert all(m["effect"] < 0 for m in d)  # only members who pulled it down are named for leaving
    assert "L" not in [m["reviewer"] for m in crossing["C"]["members"]]  # L did not review C
    assert all(m["effect"] >= cal.MIN_EFFECT for m in crossing["C"]["members"])
    json.dumps(out)


def test_effects_add_up_to_the_change_of_the_total():
    call = Call(LINE, rules_=rules(min_reviews=3))
    valid = call.criterion_scores().valid
    calibrated = cal.calibrate(valid, 0, 5)
    e = cal.effects(valid, calibrated, call.rules).groupby("proposal")["effect"].sum()
    raw = call.raw().slot("s1").table.set_index("proposal")["total"]
    after = call.calibrated().slot("s1").table.set_index("proposal")["total"]
    assert e.to_dict() == pytest.approx((after - raw).to_dict(), abs=1e-9)
    # L's effect on D by hand: L's mean 4.75, std sqrt(0.1875); panel mean 63/19; D's z = 0.25 / std
    x = frame(LINE)["score"].to_numpy()
    z = 0.25 / math.sqrt(0.1875)
    effect_l = 20 * (x.mean() + z * x.std() - 5) / 4  # 100/5 points per scale point, 4 reviews averaged
    assert e.index.size == 5
    assert cal.effects(valid, calibrated, call.rules, proposals=["D"]).set_index("reviewer").loc["L", "effect"] \
        == pytest.approx(effect_l)


def test_members_below_the_threshold_are_not_named():
    call = Call(LINE, rules_=rules(min_reviews=3))
    s = call.criterion_scores()
    calibrated = cal.calibrate(s.valid, 0, 5)
    out = cal.compare(call.raw(), call.calibrated(), s.valid, calibrated, call.rules, min_effect=100)[0]
    assert out["crossings"] and all(x["members"] == [] for x in out["crossings"])
    one = cal.compare(call.raw(), call.calibrated(), s.valid, calibrated, call.rules, named=1)[0]
    assert all(len(x["members"]) <= 1 for x in one["crossings"])


def test_the_raw_ranking_is_unchanged_by_calibration():
    call = Call(LINE, rules_=rules(min_reviews=3))
    parts = call.parts()
    before = rk.rank(**parts).to_contract("X")
    scores_before = parts["scores"].scores.copy()
    valid_before = parts["scores"].valid.copy()
    cal.calibrated_ranking(**parts)
    call.compare()
    assert rk.rank(**parts).to_contract("X") == before
    pd.testing.assert_frame_equal(parts["scores"].scores, scores_before)
    pd.testing.assert_frame_equal(parts["scores"].valid, valid_before)
    assert before["slots"][0]["shortlist"] == ["A", "B", "D"]


def test_no_crossing_when_the_shortlists_agree():
    # every member scores with the same pattern: calibration changes nothing in the order
    call = Call([(r, p, "c1", x + d) for r, d in [("r1", 0), ("r2", 0.5), ("r3", -0.5)]
                 for p, x in zip("ABCD", [4, 3.5, 3, 2])])
    out = call.compare()
    assert out["crossings"] == []
    assert [(r["raw_rank"], r["calibrated_rank"]) for r in out["rows"]] == [(1, 1), (2, 2), (3, 3), (4, 4)]
