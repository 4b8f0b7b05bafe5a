"""The call's eligibility conditions and screening against them, one proposal or many at once."""

from __future__ import annotations

import pytest

from selection.errors import Forbidden, Invalid
from selection.services import eligibility, screening

TEXTS = ["A legal entity able to sign a host agreement", "Based in a Party to the Convention"]


@pytest.fixture
def conditions(world):
    return eligibility.save_conditions(world.db, user=world.sec, call_id=world.call_id,
                                       items=[{"text": t} for t in TEXTS])


def _screen(world, pids, answers):
    return screening.screen_against_conditions(world.db, user=world.sec, call_id=world.call_id, proposal_ids=pids,
                                               answers=answers)


def test_conditions_are_kept_in_order_and_reworded_in_place(world, conditions):
    first, second = conditions
    after = eligibility.save_conditions(world.db, user=world.sec, call_id=world.call_id, items=[
        {"id": second["id"], "text": "Based in a Party to the Convention on Biological Diversity"},
        {"id": first["id"], "text": first["text"]}, {"text": "  "}])
    assert [(c["id"], c["text"]) for c in after] == [
        (second["id"], "Based in a Party to the Convention on Biological Diversity"), (first["id"], first["text"])]


def test_only_the_secretariat_sets_conditions(world):
    applicant = world.applicant("lakes")
    with pytest.raises(Forbidden):
        eligibility.save_conditions(world.db, user=applicant, call_id=world.call_id, items=[{"text": "X"}])


def test_all_conditions_met_makes_every_chosen_proposal_eligible_at_once(world, conditions):
    pids = [world.submitted(name)[1] for name in ("lakes", "hills", "coast")]
    answers = {c["id"]: (True, None) for c in conditions}
    assert _screen(world, pids[:2], answers) == {pids[0]: "eligible", pids[1]: "eligible"}
    assert [world.proposal(p)["status"] for p in pids] == ["eligible", "eligible", "submitted"]
    assert screening.checks(world.db, world.call_id, pids[0])[conditions[0]["id"]]["met"] == 1


def test_a_condition_not_met_makes_it_ineligible_with_the_reason_recorded(world, conditions):
    _, pid = world.submitted("lakes")
    first, second = conditions
    _screen(world, [pid], {first["id"]: (True, None), second["id"]: (False, "Registered outside any Party")})
    p = world.proposal(pid)
    assert p["status"] == "ineligible"
    assert p["status_reason"] == "Based in a Party to the Convention: Registered outside any Party"
    assert screening.checks(world.db, world.call_id, pid)[second["id"]]["reason"] == "Registered outside any Party"


def test_a_condition_not_met_needs_its_reason_and_nothing_changes_without_it(world, conditions):
    _, pid = world.submitted("lakes")
    first, second = conditions
    with pytest.raises(Invalid) as refused:
        _screen(world, [pid], {first["id"]: (True, None), second["id"]: (False, " ")})
    assert refused.value.field == "reason 2"
    assert world.proposal(pid)["status"] == "submitted"
    assert screening.checks(world.db, world.call_id, pid) == {}


def test_every_condition_needs_an_answer(world, conditions):
    _, pid = world.submitted("lakes")
    with pytest.raises(Invalid) as refused:
        _screen(world, [pid], {})
    assert refused.value.problems == [(f"condition {i}", "choose Met or Not met") for i in range(1, len(conditions) + 1)]


def test_a_bulk_screening_with_a_draft_among_them_changes_none(world, conditions):
    _, sent = world.submitted("lakes")
    drafter = world.applicant("hills")
    draft = world.draft(drafter)
    with pytest.raises(Invalid):
        _screen(world, [sent, draft], {c["id"]: (True, None) for c in conditions})
    assert world.proposal(sent)["status"] == "submitted"
    assert screening.checks(world.db, world.call_id, sent) == {}


def test_a_condition_used_in_screening_cannot_be_removed(world, conditions):
    _, pid = world.submitted("lakes")
    _screen(world, [pid], {c["id"]: (True, None) for c in conditions})
    with pytest.raises(Invalid, match="reword it"):
        eligibility.save_conditions(world.db, user=world.sec, call_id=world.call_id,
                                    items=[{"id": conditions[0]["id"], "text": conditions[0]["text"]}])
    assert len(eligibility.conditions(world.db, world.call_id)) == 2


def test_bulk_assignment_is_all_or_nothing(world):
    from selection.services import bulk

    _, sent = world.submitted("lakes")
    _, withdrawn = world.submitted("hills")
    screening.set_status(world.db, user=world.sec, call_id=world.call_id, proposal_id=withdrawn, status="withdrawn",
                         reason="The applicant withdrew.")
    member = world.member("amina")
    with pytest.raises(Invalid):
        bulk.assign_all(world.db, user=world.sec, call_id=world.call_id, proposal_ids=[sent, withdrawn],
                        member_ids=[member.id])
    assert world.db.execute("SELECT count(*) FROM assignments").fetchone()[0] == 0
    assert bulk.assign_all(world.db, user=world.sec, call_id=world.call_id, proposal_ids=[sent],
                           member_ids=[member.id]) == 1
