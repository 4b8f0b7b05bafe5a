"""Step 2: applicants ask before the deadline; every answer is published to all, without the asker."""

from __future__ import annotations

import pytest

from selection import accounts
from selection.errors import Forbidden, Invalid
from selection.services import inquiries


def test_an_applicant_asks_before_the_deadline(world, audit_events):
    user = world.applicant("lakes")
    qid = inquiries.ask(world.db, user=user, call_id=world.call_id, question="  May a consortium apply?  ")
    [mine] = inquiries.mine(world.db, user=user, call_id=world.call_id)
    assert mine["id"] == qid
    assert mine["question"] == "May a consortium apply?"
    assert mine["answer"] is None and not mine["published"]
    # not published until answered
    assert inquiries.published(world.db, world.call_id) == []
    assert audit_events(world.db, "inquiry.asked")[0]["actor"] == "applicant:lakes"


def test_asking_on_the_deadline_day_is_accepted(world, set_clock):
    user = world.applicant("lakes")
    set_clock("2026-04-15T22:00")
    inquiries.ask(world.db, user=user, call_id=world.call_id, question="Is the deadline today?")
    assert len(inquiries.mine(world.db, user=user, call_id=world.call_id)) == 1


def test_asking_after_the_inquiry_deadline_is_refused(world, set_clock):
    user = world.applicant("lakes")
    set_clock("2026-04-16T08:00")
    with pytest.raises(Invalid) as e:
        inquiries.ask(world.db, user=user, call_id=world.call_id, question="Too late?")
    assert e.value.field == "question"
    assert "15 April 2026" in e.value.message
    assert world.db.execute("SELECT count(*) FROM inquiries").fetchone()[0] == 0


def test_asking_an_unpublished_call_is_refused(unpublished):
    user = accounts.register_applicant(unpublished.db, username="lakes", display_name="Lakes",
                                       password=unpublished.PASSWORD)
    with pytest.raises(Invalid) as e:
        inquiries.ask(unpublished.db, user=user, call_id=unpublished.call_id, question="Is it open?")
    assert e.value.field == "call"


def test_an_empty_question_is_refused(world):
    user = world.applicant("lakes")
    with pytest.raises(Invalid) as e:
        inquiries.ask(world.db, user=user, call_id=world.call_id, question="   ")
    assert e.value.field == "question"


def test_only_applicants_ask(world):
    with pytest.raises(Forbidden):
        inquiries.ask(world.db, user=world.member("amina"), call_id=world.call_id, question="Can I apply?")
    with pytest.raises(Forbidden):
        inquiries.ask(world.db, user=None, call_id=world.call_id, question="Can I apply?")


def test_an_answer_is_published_to_every_applicant(world, audit_events):
    asker = world.applicant("lakes")
    other = world.applicant("coast", country="TZ")
    qid = inquiries.ask(world.db, user=asker, call_id=world.call_id, question="May a consortium apply?")
    inquiries.answer(world.db, user=world.sec, call_id=world.call_id, inquiry_id=qid,
                     text="Yes, with one lead institution.")

    # the other applicant asked nothing, yet reads the answer
    assert inquiries.mine(world.db, user=other, call_id=world.call_id) == []
    [seen] = inquiries.published(world.db, world.call_id)
    assert seen["question"] == "May a consortium apply?"
    assert seen["answer"] == "Yes, with one lead institution."
    assert seen["answered_at"].startswith("2026-03-02")
    [mine] = inquiries.mine(world.db, user=asker, call_id=world.call_id)
    assert mine["published"] and mine["answer"] == "Yes, with one lead institution."
    [event] = audit_events(world.db, "inquiry.answered")
    assert event["new"]["answer"] == "Yes, with one lead institution."


def test_published_answers_do_not_say_who_asked(world):
    asker = world.applicant("lakes")
    qid = inquiries.ask(world.db, user=asker, call_id=world.call_id,
                        question="Our institute, Lakes, has two campuses: may both apply?")
    inquiries.answer(world.db, user=world.sec, call_id=world.call_id, inquiry_id=qid, text="One proposal per entity.",
                     question="May an institute with two campuses send two proposals?")
    [seen] = inquiries.published(world.db, world.call_id)
    assert "asked_by" not in seen
    assert "lakes" not in " ".join(str(v) for v in seen.values()).lower()
    assert seen["question"] == "May an institute with two campuses send two proposals?"
    # the secretariat still knows who asked
    [row] = inquiries.all_inquiries(world.db, user=world.sec, call_id=world.call_id)
    assert row["asked_by"] == "lakes"


def test_answering_needs_text_and_a_real_question(world):
    asker = world.applicant("lakes")
    qid = inquiries.ask(world.db, user=asker, call_id=world.call_id, question="Q?")
    with pytest.raises(Invalid) as e:
        inquiries.answer(world.db, user=world.sec, call_id=world.call_id, inquiry_id=qid, text="  ")
    assert e.value.field == "answer"
    with pytest.raises(Invalid) as e:
        inquiries.answer(world.db, user=world.sec, call_id=world.call_id, inquiry_id=qid + 99, text="A.")
    assert e.value.field == "inquiry"
    assert inquiries.published(world.db, world.call_id) == []


def test_only_the_secretariat_answers_and_sees_every_question(world):
    asker = world.applicant("lakes")
    qid = inquiries.ask(world.db, user=asker, call_id=world.call_id, question="Q?")
    for user in (asker, world.member("amina"), world.bureau()):
        with pytest.raises(Forbidden):
            inquiries.answer(world.db, user=user, call_id=world.call_id, inquiry_id=qid, text="An answer.")
        with pytest.raises(Forbidden):
            inquiries.all_inquiries(world.db, user=user, call_id=world.call_id)
    assert inquiries.published(world.db, world.call_id) == []


def test_the_secretariat_reads_who_asked_by_the_applicant_s_organisation(world):
    user = world.applicant("lakes")
    inquiries.ask(world.db, user=user, call_id=world.call_id, question="May a consortium apply?")
    [asked] = inquiries.all_inquiries(world.db, user=world.sec, call_id=world.call_id)
    assert asked["asker"] == "Institute lakes"
