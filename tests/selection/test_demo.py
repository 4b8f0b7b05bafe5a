"""The demo call: valid, the same every time, and showing every situation the rules deal with."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata

import pytest
from click.testing import CliRunner

from selection import bundle as bundle_mod
from selection import queries
from selection.cli import cli
from selection.demo import accounts as demo_accounts
from selection.demo import demo_bundle

REFERENCE = "TSC-HOST-DEMO-2027"


@pytest.fixture(scope="module")
def demo() -> dict:
    return demo_bundle()


@pytest.fixture(scope="module")
def ranking(demo):
    return queries.bundle_inputs(bundle_mod.from_dict(demo)).rank()


def test_demo_is_a_valid_bundle(demo):
    b = bundle_mod.from_dict(demo)
    assert b.call.reference == REFERENCE
    assert len(b.call.slots) == 6 and len(b.proposals) >= 30


def test_demo_is_the_same_every_time(demo):
    assert json.dumps(demo_bundle(), sort_keys=True) == json.dumps(demo, sort_keys=True)


def test_every_slot_has_at_least_three_shortlisted(ranking):
    for slot in ranking.slots:
        assert len(slot.shortlist) >= 3, slot.slot


def test_demo_has_a_withdrawn_and_an_ineligible_proposal(ranking):
    reasons = {u["reason"] for s in ranking.slots for u in s.unranked}
    assert {"withdrawn", "ineligible"} <= reasons


def test_demo_has_conflicts_and_a_partial_review_that_the_ranking_leaves_out(demo, ranking):
    assert len(demo["conflicts"]) >= 2
    reasons = ranking.excluded.groupby("reason").size().to_dict()
    assert reasons.get("conflict", 0) >= 1 and reasons.get("partial", 0) >= 1
    conflicted = {(c["reviewer"], c["proposal"]) for c in demo["conflicts"]}
    for r in ranking.excluded.itertuples():
        assert (r.reason == "conflict") == ((r.reviewer, r.proposal) in conflicted)


def test_demo_consensus_scores_are_what_the_ranking_uses(demo, ranking):
    assert demo["consensus"]
    for c in demo["consensus"]:
        rows = [row for s in ranking.slots for row in s.table.to_dict("records") if row["proposal"] == c["proposal"]]
        assert rows, c["proposal"]
        assert all(row[c["criterion"]] == c["score"] for row in rows)


def test_demo_has_a_proposal_in_two_slots(demo):
    assert any(len(p["slots"]) > 1 for p in demo["proposals"])


def scripts_of(text: str) -> set[str]:
    """Latin, Arabic, CJK, Cyrillic...: the first word of each letter's Unicode name."""
    return {unicodedata.name(ch).split()[0] for ch in text if ch.isalpha()}


def test_demo_names_come_in_several_scripts_and_the_six_un_languages(demo):
    names = [e["name"] for e in demo["entities"]] + [r["name"] for r in demo["reviewers"]]
    scripts = set().union(*(scripts_of(n) for n in names))
    assert {"LATIN", "ARABIC", "CJK", "CYRILLIC"} <= scripts
    text = " ".join(names)
    # English, French, Spanish (accents), Arabic, Chinese, Russian
    for sample in ("Alliance", "forêts", "Páramos", "مركز", "中心", "Институт"):
        assert sample in text


def test_demo_command_loads_it_once_and_replaces_on_request(db_path):
    runner = CliRunner()
    first = runner.invoke(cli, ["demo", "--db", str(db_path)])
    assert first.exit_code == 0 and REFERENCE in first.output
    again = runner.invoke(cli, ["demo", "--db", str(db_path)])
    assert again.exit_code == 2 and "call.reference" in again.stderr and "Traceback" not in again.output
    replaced = runner.invoke(cli, ["demo", "--db", str(db_path), "--replace"])
    assert replaced.exit_code == 0
    ranked = json.loads(runner.invoke(cli, ["rank", "--db", str(db_path), "--json"]).stdout)
    assert ranked["call"] == REFERENCE
    assert [s["slot"] for s in ranked["slots"]] == ["global", "africa", "asia-pacific", "grulac", "ceec", "weog"]


def test_demo_round_trips_through_the_store(db, demo):
    b = bundle_mod.from_dict(demo)
    bundle_mod.store(db, b, actor="test")
    assert bundle_mod.export(db, REFERENCE) == b


def test_demo_dates_agree_with_its_data_today_is_the_meeting(db, set_clock):
    set_clock("2030-06-12")
    today = dt.date(2030, 6, 12)
    demo = demo_bundle()
    dates = {k: dt.date.fromisoformat(v) for k, v in demo["call"]["dates"].items() if v}
    assert dates["advisory_meeting_on"] == today and demo["call"]["dates"]["decided_on"] is None
    assert dates["notified_on"] < dates["inquiry_deadline"] < dates["submission_deadline"] < today
    sent = [dt.datetime.fromisoformat(p["submitted_at"]).date() for p in demo["proposals"]]
    assert all(dates["notified_on"] < day <= dates["submission_deadline"] for day in sent)
    call_id = bundle_mod.store(db, bundle_mod.from_dict(demo), actor="test")
    demo_accounts.create(db, call_id)
    call = queries.resolve_call(db, REFERENCE)
    assert call["published_at"][:10] == call["notified_on"]
    assert queries.current_step(db, call, today) == "Assessment by the advisory group"
    assigned = {r[0][:10] for r in db.execute("SELECT assigned_at FROM assignments")}
    reviewed = {r[0][:10] for r in db.execute("SELECT submitted_at FROM review_submissions")}
    assert all(dates["submission_deadline"] < dt.date.fromisoformat(d) < today for d in assigned | reviewed)


def test_demo_can_be_built_for_another_day_with_the_same_figures(demo):
    other = demo_bundle(dt.date(2031, 1, 20))
    assert other["call"]["dates"]["advisory_meeting_on"] == "2031-01-20"
    assert other["scores"] == demo["scores"] and other["consensus"] == demo["consensus"]
    assert [p["id"] for p in other["proposals"]] == [p["id"] for p in demo["proposals"]]
