"""``python -m selection analyse`` on the demo call, against figures worked out by hand."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from click.testing import CliRunner

from selection.cli import cli
from selection.demo import demo_bundle

DRAWS = "2000"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("analyse") / "demo.db"
    result = CliRunner().invoke(cli, ["demo", "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def doc(demo_db) -> dict:
    result = CliRunner().invoke(cli, ["analyse", "--db", str(demo_db), "--json", "--draws", DRAWS])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def slot(doc: dict, slot_id: str) -> dict:
    return next(s for s in doc["slots"] if s["slot"] == slot_id)


def valid_cells() -> dict[tuple[str, str], dict[str, float]]:
    """(proposal, criterion) -> {reviewer: score}, valid reviews of judged proposals, straight from the bundle."""
    b = demo_bundle()
    criteria = [c["id"] for c in b["call"]["criteria"]]
    conflicted = {(c["reviewer"], c["proposal"]) for c in b["conflicts"]}
    judged = {p["id"] for p in b["proposals"] if p["status"] not in ("withdrawn", "ineligible")}
    reviews = defaultdict(dict)
    for s in b["scores"]:
        reviews[(s["reviewer"], s["proposal"])][s["criterion"]] = s["score"]
    cells = defaultdict(dict)
    for (r, p), given in reviews.items():
        if (r, p) not in conflicted and len(given) == len(criteria) and p in judged:
            for c, score in given.items():
                cells[(p, c)][r] = score
    return cells


def test_json_has_every_part(doc):
    assert doc["call"] == "TSC-HOST-DEMO-2027"
    assert set(doc) >= {"spread", "divergences", "leniency", "slots", "excluded_reviews", "weights"}
    assert [s["slot"] for s in doc["slots"]] == ["global", "africa", "asia-pacific", "grulac", "ceec", "weog"]
    assert [w["percent"] for w in doc["weights"]] == [30, 25, 25, 20]
    for s in doc["slots"]:
        assert set(s) == {"slot", "shortlist", "agreement", "robustness"}


def test_conflicted_and_partial_reviews_are_left_out(doc):
    left_out = {(r["reviewer"], r["proposal"], r["reason"]) for r in doc["excluded_reviews"]}
    assert left_out == {("r2", "p-tumannaya", "conflict"), ("r7", "p-north-atlantic", "conflict"),
                        ("r5", "p-kessoua", "partial")}
    spread = {(c["proposal"], c["criterion"]): c for c in doc["spread"]}
    assert spread[("p-tumannaya", "networks")]["reviews"] == 4  # five members scored it; r2 is conflicted


def test_divergences_match_the_scores(doc):
    cells = valid_cells()
    expected = {key for key, given in cells.items() if max(given.values()) - min(given.values()) >= 2}
    found = {(d["proposal"], d["criterion"]): d for d in doc["divergences"]}
    assert set(found) == expected
    # the cell the demo forced apart, settled at the meeting
    d = found[("p-escarpment", "tsc_experience")]
    assert d["scores"] == {"r1": 0.5, "r3": 3, "r4": 4, "r7": 2.5}
    assert (d["range"], d["consensus"]) == (3.5, 3)
    assert found[("p-amber", "expertise")]["consensus"] is None


def test_leniency_matches_a_hand_count(doc):
    cells = valid_cells()
    deviations = defaultdict(list)
    for given in cells.values():
        if len(given) > 1:
            mean = sum(given.values()) / len(given)
            for r, score in given.items():
                deviations[r].append(score - mean)
    got = {r["reviewer"]: r for r in doc["leniency"]}
    assert set(got) == set(deviations)
    for r, devs in deviations.items():
        assert got[r]["scores"] == len(devs)
        assert got[r]["leniency"] == pytest.approx(sum(devs) / len(devs))
    # the demo built r4 lenient (+0.4) and r7 severe (-0.5)
    assert got["r4"]["leniency"] > 0.3 and got["r7"]["leniency"] < -0.3


def test_agreement_in_africa_by_hand(doc):
    # Members' own totals (weights 30/25/25/20) give 7 pairs sharing three or more proposals:
    # r2-r4 0.5, r2-r6 1, r2-r7 1, r2-r8 1, r4-r7 0.5, r4-r8 0.5, r7-r8 1 -> mean rho 5.5/7,
    # over 5 members: W = (4 * 5.5/7 + 1) / 5 = 29/35
    a = slot(doc, "africa")["agreement"]
    assert (a["method"], a["pairs"], a["reviewers"], a["proposals"]) == ("pairs", 7, 5, 7)
    assert a["w"] == pytest.approx(29 / 35)
    assert a["reading"] == "very strong agreement"


def test_robustness_in_asia_pacific_by_hand(doc):
    s = slot(doc, "asia-pacific")
    assert s["shortlist"] == ["p-archipelagic", "p-qinglan", "p-oasis-college"]
    rob = {p["proposal"]: p for p in s["robustness"]["proposals"]}
    assert rob["p-archipelagic"]["shortlisted_share"] == 1
    assert (rob["p-archipelagic"]["rank_min"], rob["p-archipelagic"]["rank_max"]) == (1, 1)
    assert 0 < rob["p-oasis-college"]["shortlisted_share"] < 1
    assert 0 < rob["p-equatorial"]["shortlisted_share"] < 1
    assert rob["p-oasis-college"]["shortlisted_share"] + rob["p-equatorial"]["shortlisted_share"] <= 1 + 1e-9
    # oasis-college (2.8, 3.8, 3.4, 3.6) and equatorial (3.4, 3.0, 3.4, 3.5) tie when
    # 84 + 3.8 x + 85 + 72 = 102 + 3 x + 85 + 70, i.e. an expertise weight x = 20, a share of
    # 20/95 = 21.05 %: the first 0.1-point step past it is 21.0 %, 4 points down from 25 %
    first = s["robustness"]["tipping_points"][0]
    assert (first["criterion"], first["direction"]) == ("expertise", "down")
    assert first["change_points"] == pytest.approx(4.0)
    assert first["share_after"] == pytest.approx(21.0)
    assert first["new_weight"] == pytest.approx(0.21 * 75 / 0.79)
    assert first["new_shortlist"] == ["p-archipelagic", "p-qinglan", "p-equatorial"]


def test_the_same_command_gives_the_same_figures(demo_db, doc):
    again = CliRunner().invoke(cli, ["analyse", "--db", str(demo_db), "--json", "--draws", DRAWS])
    assert json.loads(again.output) == doc


def test_text_output_for_people(demo_db):
    result = CliRunner().invoke(cli, ["analyse", "--db", str(demo_db), "--draws", "500"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Divergent scores" in out and "Leniency" in out and "Kendall's W" in out
    assert "REBA (p-escarpment) / tsc_experience: r1 0.5, r3 3, r4 4, r7 2.5; range 3.5; consensus 3" in out
    assert "expertise down by 4 points (25.0 % -> 21.0 %" in out
    assert "Henrik Aalvik" in out


def test_an_unknown_call_is_refused_cleanly(demo_db):
    result = CliRunner().invoke(cli, ["analyse", "--db", str(demo_db), "--call", "NOPE", "--json"])
    assert result.exit_code == 2
    assert "no call with reference 'NOPE'" in result.output
    assert "Traceback" not in result.output
