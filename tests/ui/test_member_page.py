"""The member's page: no score is chosen for them, the applicant's text beside each score, what is left."""

from __future__ import annotations

import pytest

from selection import accounts
from selection.services import review
from tests.ui.conftest import account_id, errors, texts


@pytest.fixture
def assigned(demo_db):
    sec = accounts.get_user(demo_db, account_id(demo_db, "secretariat"))
    review.assign(demo_db, user=sec, call_id=1, proposal_id="p-deccan", member_id=account_id(demo_db, "member1"))


def _open_declared(open_as):
    at = open_as("member1", "reviews")
    at.selectbox(key="member_proposal").set_value("p-deccan").run()
    next(r for r in at.radio if r.label == "Conflict of interest").set_value(False)
    next(b for b in at.button if b.label == "Declare").click().run()
    return at


def test_a_declaration_is_chosen_never_assumed(open_as, demo_db, assigned):
    at = open_as("member1", "reviews")
    at.selectbox(key="member_proposal").set_value("p-deccan").run()
    assert next(r for r in at.radio if r.label == "Conflict of interest").value is None
    next(b for b in at.button if b.label == "Declare").click().run()
    assert "Conflict of interest — choose whether you have a conflict of interest" in errors(at)
    assert demo_db.execute("SELECT declared_at FROM assignments WHERE proposal_id = 'p-deccan' AND reviewer_id = "
                           "(SELECT id FROM reviewers WHERE account_id = ?)", [account_id(demo_db, "member1")]
                           ).fetchone()[0] is None
    next(r for r in at.radio if r.label == "Conflict of interest").set_value(False)
    next(b for b in at.button if b.label == "Declare").click().run()
    assert "No conflict declared: you may now read and score this proposal." in texts(at)


def _scores(at):
    return [s for s in at.selectbox if s.label == "Score"]


def test_no_score_is_chosen_for_the_member(open_as, assigned):
    at = _open_declared(open_as)
    assert len(_scores(at)) == 4 and all(s.value is None for s in _scores(at))


def test_submitting_with_a_score_missing_names_the_criterion(open_as, demo_db, assigned):
    at = _open_declared(open_as)
    for box in _scores(at)[:3]:
        box.set_value(3.0)
    for area in at.text_area:
        if area.label == "Reasons for this score":
            area.input("Weighed against the anchors.")
    next(b for b in at.button if b.label == "Save and submit").click().run()
    assert "Score for “Demonstrated capacity to manage multiple projects, and institutional capacity” — " \
           "choose a score for “Demonstrated capacity to manage multiple projects, and institutional " \
           "capacity”" in errors(at)
    assert demo_db.execute("SELECT count(*) FROM review_submissions WHERE proposal_id = 'p-deccan' "
                           "AND reviewer_id = (SELECT id FROM reviewers WHERE account_id = ?)",
                           [account_id(demo_db, "member1")]).fetchone()[0] == 0


def test_the_applicant_s_text_is_shown_beside_each_score(open_as, demo_db, assigned):
    at = _open_declared(open_as)
    section = demo_db.execute("SELECT text FROM sections WHERE proposal_id = 'p-deccan' AND criterion_id = "
                              "'networks'").fetchone()[0]
    beside = [c.value for c in at.caption if c.value == "What the applicant wrote"]
    assert len(beside) == 4 and section[:60] in texts(at)


def test_the_page_counts_what_is_done_and_what_is_left(open_as, assigned):
    at = open_as("member1", "reviews")
    mine = at.dataframe[0].value
    done = int(mine["State"].isin(["submitted", "conflict declared"]).sum())
    assert f"{done} of {len(mine)} done — {len(mine) - done} left (1 waiting for your declaration)" in texts(at)


def test_a_refused_review_lists_every_missing_score_and_reason_under_its_field(open_as, demo_db, assigned):
    at = _open_declared(open_as)
    _scores(at)[0].set_value(3.0)
    next(b for b in at.button if b.label == "Save and submit").click().run()
    shown = errors(at)
    assert "Not saved: 7 problems to fix" in shown  # three scores and four reasons
    assert shown.count("Reasons for “Demonstrated capacity to manage multiple projects, and institutional "
                       "capacity” — give the reasons for this score before submitting") == 2
    assert shown.count("Score for “Demonstrated experience") == 2


def _scored_and_submitted(open_as):
    """The member declares no conflict on p-deccan, scores every criterion with a reason and submits."""
    at = _open_declared(open_as)
    for box in _scores(at):
        box.set_value(3.0)
    for area in at.text_area:
        if area.label == "Reasons for this score":
            area.input("Weighed against the anchors.")
    next(b for b in at.button if b.label == "Save and submit").click().run()
    return at


def test_a_member_who_submits_moves_on_to_the_proposal_left(open_as, demo_db, assigned):
    sec = accounts.get_user(demo_db, account_id(demo_db, "secretariat"))
    other = demo_db.execute("SELECT p.id FROM proposals p WHERE p.id != 'p-deccan' AND p.status = 'eligible' AND "
                            "p.id NOT IN (SELECT proposal_id FROM assignments WHERE reviewer_id = (SELECT id FROM "
                            "reviewers WHERE account_id = ?)) ORDER BY p.position", [account_id(demo_db, "member1")]
                            ).fetchone()[0]
    review.assign(demo_db, user=sec, call_id=1, proposal_id=other, member_id=account_id(demo_db, "member1"))
    at = _scored_and_submitted(open_as)
    assert not at.exception
    assert at.selectbox(key="member_proposal").value == other
    assert "submitted (choose it again to see the other members' scores). Next:" in texts(at)


def test_the_next_proposal_s_name_is_shown_as_typed_never_as_markup(open_as, demo_db, assigned):
    """The walk found '<b>bold</b> **stars**' in an entity's name drawn bold in the 'Next:' message."""
    sec = accounts.get_user(demo_db, account_id(demo_db, "secretariat"))
    other = demo_db.execute("SELECT p.id, p.entity_id FROM proposals p WHERE p.id != 'p-deccan' AND p.status = 'eligible' "
                            "AND p.id NOT IN (SELECT proposal_id FROM assignments WHERE reviewer_id = (SELECT id FROM "
                            "reviewers WHERE account_id = ?)) ORDER BY p.position", [account_id(demo_db, "member1")]
                            ).fetchone()
    demo_db.execute("UPDATE entities SET name = '**stars** <b>bold</b>', acronym = NULL WHERE id = ?", [other[1]])
    review.assign(demo_db, user=sec, call_id=1, proposal_id=other[0], member_id=account_id(demo_db, "member1"))
    at = _scored_and_submitted(open_as)
    said = next(m.value for m in at.info if "Next:" in m.value)
    assert r"\*\*stars\*\*" in said and r"\<b\>" in said
