"""A score is chosen by the member, never assumed: a missing one is refused naming its criterion."""

from __future__ import annotations

import pytest

from selection.errors import Invalid
from selection.services import review

CAPACITY = "Demonstrated capacity to manage multiple projects, and institutional capacity"


@pytest.fixture
def declared(world):
    _, pid = world.submitted("lakes")
    member = world.member("amina")
    world.assign(member, pid)
    return world, member, pid


def _save(world, member, pid, scores):
    return review.save_scores(world.db, user=member, call_id=world.call_id, proposal_id=pid, scores=scores)


def test_submitting_without_a_score_names_the_criterion(declared):
    world, member, pid = declared
    _save(world, member, pid, {c: (3, "Reasons.") for c in ("networks", "expertise", "tsc_experience")})
    with pytest.raises(Invalid) as refused:
        review.submit_review(world.db, user=member, call_id=world.call_id, proposal_id=pid)
    assert refused.value.field == "scores.capacity" and CAPACITY in refused.value.message


def test_reasons_typed_without_a_score_are_refused_not_dropped(declared):
    world, member, pid = declared
    with pytest.raises(Invalid) as refused:
        _save(world, member, pid, {"networks": (3, "Reasons."), "capacity": (None, "Strong finances.")})
    assert refused.value.field == "scores.capacity" and CAPACITY in refused.value.message
    assert world.db.execute("SELECT count(*) FROM scores").fetchone()[0] == 0


def test_a_criterion_left_entirely_blank_is_kept_for_later(declared):
    world, member, pid = declared
    assert _save(world, member, pid, {"networks": (3, "Reasons."), "capacity": (None, "  ")}) == 1
