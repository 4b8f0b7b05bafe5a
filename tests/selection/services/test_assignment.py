"""Assigning the panel through the services: what is read, what is kept out, what a re-run keeps."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from selection import bundle, store
from selection.cli import cli
from selection.errors import Forbidden, Invalid
from selection.services import assignment, review


@pytest.fixture
def panel(world):
    """Six submitted proposals (three from Kenya) and four members; the call needs two reviews of each."""
    world.db["calls"].update(world.call_id, {"min_reviews": 2})
    proposals = [world.submitted(f"inst{i}", country="KE" if i < 3 else "FR")[1] for i in range(6)]
    members = [world.member(f"member{i}") for i in range(4)]
    return world, proposals, members


def _reviewer(world, member) -> str:
    return f"m-{member.username}"


def test_a_plan_covers_every_proposal_with_even_loads(panel):
    world, proposals, members = panel
    plan = assignment.plan(world.db, user=world.sec, call_id=world.call_id)
    assert plan.per_proposal == 2                      # the call's reviews needed
    assert all(len(a["reviewers"]) == 2 for a in plan.assignments)
    assert sorted(plan.loads.values()) == [3, 3, 3, 3]
    assert not plan.short and not plan.detected


def test_declared_conflicts_and_cannot_review_are_kept_out(panel, audit_events):
    world, proposals, members = panel
    world.assign(members[0], proposals[0], declare=True)
    assignment.state_preference(world.db, user=members[1], call_id=world.call_id, proposal_id=proposals[0],
                                preference="cannot", reason="I co-wrote their last report.")
    with pytest.raises(Invalid) as e:
        assignment.state_preference(world.db, user=members[2], call_id=world.call_id, proposal_id=proposals[0],
                                    preference="cannot")
    assert e.value.field == "reason"
    plan = assignment.plan(world.db, user=world.sec, call_id=world.call_id)
    first = next(a for a in plan.assignments if a["proposal"] == proposals[0])
    assert _reviewer(world, members[0]) not in first["reviewers"]
    assert _reviewer(world, members[1]) not in first["reviewers"]
    assert len(first["reviewers"]) == 2
    [event] = audit_events(world.db, "review.preference")
    assert event["new"] == {"preference": "cannot", "reason": "I co-wrote their last report."}
    with pytest.raises(Invalid, match="said they cannot review"):
        assignment.save(world.db, user=world.sec, call_id=world.call_id,
                        pairs=[(_reviewer(world, members[1]), proposals[0])])


def test_detected_conflicts_say_why_and_stay_out_unless_let_through(panel):
    world, proposals, members = panel
    assignment.set_member_profile(world.db, user=world.sec, call_id=world.call_id,
                                  reviewer=_reviewer(world, members[0]), affiliation="Institute inst3",
                                  country="KE", regions=["Africa"])
    plan = assignment.plan(world.db, user=world.sec, call_id=world.call_id)
    reasons = {(d["reviewer"], d["proposal"]): d["reason"] for d in plan.detected}
    me = _reviewer(world, members[0])
    assert "names the entity (Institute inst3)" in reasons[me, proposals[3]]
    assert reasons[me, proposals[0]] == "the member is of the entity's country (Kenya)"
    assert all(me not in a["reviewers"] for a in plan.assignments if a["proposal"] in proposals[:4])
    through = assignment.plan(world.db, user=world.sec, call_id=world.call_id, let_through={(me, proposals[0])})
    assert any(d["included"] for d in through.detected)
    assignment.set_country_rule(world.db, user=world.sec, call_id=world.call_id, on=False)
    off = assignment.plan(world.db, user=world.sec, call_id=world.call_id)
    assert {d["proposal"] for d in off.detected} == {proposals[3]}


def test_regional_knowledge_and_preferences_are_used(panel):
    world, proposals, members = panel
    assignment.state_preference(world.db, user=members[3], call_id=world.call_id, proposal_id=proposals[5],
                                preference="prefer")
    plan = assignment.plan(world.db, user=world.sec, call_id=world.call_id)
    last = next(a for a in plan.assignments if a["proposal"] == proposals[5])
    assert _reviewer(world, members[3]) in last["reviewers"]
    assert plan.preferences_met[_reviewer(world, members[3])] == (1, 1)


def test_saving_is_one_event_per_assignment_and_a_rerun_fills_only_the_gaps(panel, audit_events):
    world, proposals, members = panel
    plan = assignment.plan(world.db, user=world.sec, call_id=world.call_id)
    added = assignment.save(world.db, user=world.sec, call_id=world.call_id, pairs=plan.new_pairs)
    assert added == 12 and len(audit_events(world.db, "review.assigned")) == 12
    # one member starts scoring, another declares a conflict; a new proposal arrives
    started = next(a for a in plan.assignments if a["proposal"] == proposals[1])["reviewers"][0]
    account = next(m for m in members if _reviewer(world, m) == started)
    review.declare(world.db, user=account, call_id=world.call_id, proposal_id=proposals[1], conflict=False)
    world.score(account, proposals[1], 3.0, submit=False)
    conflicted = next(a for a in plan.assignments if a["proposal"] == proposals[2])["reviewers"][0]
    review.declare(world.db, user=next(m for m in members if _reviewer(world, m) == conflicted),
                   call_id=world.call_id, proposal_id=proposals[2], conflict=True, reason="A former employer.")
    late = world.submitted("late", country="FR")[1]
    again = assignment.plan(world.db, user=world.sec, call_id=world.call_id)
    new = {(r, p) for r, p in again.new_pairs}
    assert {p for _, p in new} == {proposals[2], late}
    after = next(a for a in again.assignments if a["proposal"] == proposals[1])["reviewers"]
    assert started in after and conflicted not in next(
        a for a in again.assignments if a["proposal"] == proposals[2])["reviewers"]
    assert assignment.save(world.db, user=world.sec, call_id=world.call_id, pairs=again.new_pairs) == 3


def test_only_the_secretariat_plans_and_only_members_state_preferences(panel):
    world, proposals, members = panel
    with pytest.raises(Forbidden):
        assignment.plan(world.db, user=members[0], call_id=world.call_id)
    with pytest.raises(Forbidden):
        assignment.state_preference(world.db, user=world.sec, call_id=world.call_id, proposal_id=proposals[0],
                                    preference="prefer")
    with pytest.raises(Invalid) as e:
        assignment.plan(world.db, user=world.sec, call_id=world.call_id, per_proposal=0)
    assert e.value.field == "per_proposal"


def test_an_impossible_plan_names_the_short_proposals(panel):
    world, proposals, members = panel
    for m in members[:3]:
        world.assign(m, proposals[4], declare=True)
    plan = assignment.plan(world.db, user=world.sec, call_id=world.call_id)
    [short] = plan.short
    assert short["proposal"] == proposals[4] and short["missing"] == 1
    assert short["reason"] == "only 1 of the 4 members may review it (3 declared a conflict); it needs 2"


def test_by_default_each_proposal_gets_the_calls_reviews_and_a_plan_complete_for_the_call_warns_of_nothing(panel):
    world, proposals, members = panel
    world.db["calls"].update(world.call_id, {"min_reviews": 3})
    assert assignment.per_proposal_range(world.db, world.call_id) == (3, 4)
    plan = assignment.plan(world.db, user=world.sec, call_id=world.call_id)
    assert plan.per_proposal == 3 and all(len(a["reviewers"]) == 3 for a in plan.assignments)
    world.assign(members[0], proposals[0], declare=True)
    asked = assignment.plan(world.db, user=world.sec, call_id=world.call_id, per_proposal=4)
    assert not asked.short                                       # three members: complete for the call
    assert [(s["proposal"], s["got"]) for s in asked.fewer_than_asked] == [(proposals[0], 3)]


def test_the_command_line_assigns_a_call_loaded_from_a_bundle(tmp_path, example_dict):
    data = example_dict
    data.pop("scores", None)
    data.pop("consensus", None)
    for r in data["reviewers"]:
        r.setdefault("country", "FR")
    path = tmp_path / "b.db"
    db = store.connect(path)
    bundle.store(db, bundle.from_dict(data), actor="test")
    runner = CliRunner()
    dry = runner.invoke(cli, ["assign", "--db", str(path), "--dry-run", "--json"])
    assert dry.exit_code == 0, dry.output
    doc = json.loads(dry.output)
    assert set(doc) == {"assignments", "loads", "short", "detected_conflicts"}
    declared = {(c["reviewer"], c["proposal"]) for c in data.get("conflicts", [])}
    for a in doc["assignments"]:
        assert not declared & {(r, a["proposal"]) for r in a["reviewers"]}
    assert db.execute("SELECT count(*) FROM assignments").fetchone()[0] == 0
    saved = runner.invoke(cli, ["assign", "--db", str(path)])
    assert saved.exit_code == 0, saved.output
    assert "assignments saved" in saved.output
    assert db.execute("SELECT count(*) FROM assignments").fetchone()[0] == sum(len(a["reviewers"])
                                                                               for a in doc["assignments"])
    assert "Traceback" not in runner.invoke(cli, ["assign", "--db", str(path), "--per-proposal", "0"]).output
