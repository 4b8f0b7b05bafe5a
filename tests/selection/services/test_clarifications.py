"""The clarification round through the services: request, answer before the date, who reads it, the outbox."""

from __future__ import annotations

import datetime as dt

import pytest

from selection import mail
from selection.errors import Forbidden, Invalid
from selection.services import clarifications, intake, notices
from tests.pdf_samples import PDF



@pytest.fixture
def round_(world, set_clock):
    applicant, pid = world.submitted("lagoons")
    other, other_pid = world.submitted("reefs")
    reader = world.member("reader")
    world.assign(reader, pid)
    conflicted = world.member("conflicted")
    world.assign(conflicted, pid, declare=True)
    set_clock("2026-06-10")
    return world, applicant, pid, other, reader, conflicted


def test_a_request_is_answered_and_read_by_the_panel(round_, audit_events):
    world, applicant, pid, other, reader, conflicted = round_
    rid = clarifications.request(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid,
                                 questions=[{"criterion": "capacity", "question": "Send the audited accounts of 2025."},
                                            {"criterion": None, "question": "Who chairs the network?"}],
                                 reply_by="2026-06-20")
    [notice] = [m for m in mail.messages(world.db, world.call_id) if m["kind"] == "notice.clarification"]
    assert "Who chairs the network?" in notice["body"] and "20 June 2026" in notice["body"]
    [seen] = clarifications.for_proposal(world.db, user=applicant, call_id=world.call_id, proposal_id=pid)
    assert seen["state"] == "awaiting an answer" and len(seen["questions"]) == 2
    with pytest.raises(Invalid, match="question 2 is empty"):
        clarifications.answer(world.db, user=applicant, call_id=world.call_id, request_id=rid,
                              answers=["Attached.", ""])
    receipt = world.proposal(pid)["receipt"]
    clarifications.answer(world.db, user=applicant, call_id=world.call_id, request_id=rid,
                          answers=["Attached.", "Dr Aminata Koné."], file=("accounts 2025.pdf", PDF))
    assert world.proposal(pid)["receipt"] == receipt               # the proposal itself is unchanged
    [read] = clarifications.for_proposal(world.db, user=reader, call_id=world.call_id, proposal_id=pid)
    assert read["state"] == "answered" and read["answers"] == ["Attached.", "Dr Aminata Koné."]
    assert clarifications.file_bytes(world.db, user=reader, call_id=world.call_id, request_id=rid) == (
        "accounts 2025.pdf", PDF)
    with pytest.raises(Forbidden):
        clarifications.for_proposal(world.db, user=conflicted, call_id=world.call_id, proposal_id=pid)
    with pytest.raises(Forbidden):
        clarifications.for_proposal(world.db, user=other, call_id=world.call_id, proposal_id=pid)
    assert [e["action"] for e in audit_events(world.db, "clarification.requested")] == ["clarification.requested"]
    [answered] = audit_events(world.db, "clarification.answered")
    assert answered["new"]["answers"] == ["Attached.", "Dr Aminata Koné."]


def test_only_the_owner_answers_and_only_before_the_reply_date(round_, set_clock):
    world, applicant, pid, other, reader, conflicted = round_
    rid = clarifications.request(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid,
                                 questions=[{"question": "Which partners signed?"}], reply_by="2026-06-12")
    with pytest.raises(Forbidden):
        clarifications.answer(world.db, user=other, call_id=world.call_id, request_id=rid, answers=["Us."])
    with pytest.raises(Forbidden):
        clarifications.request(world.db, user=reader, call_id=world.call_id, proposal_id=pid,
                               questions=[{"question": "?"}], reply_by="2026-06-12")
    set_clock("2026-06-11")
    due = notices.reminders(world.db, call_id=world.call_id, today=dt.date(2026, 6, 11))
    assert [r["kind"] for r in due if r["kind"] == "reminder.clarification"] == ["reminder.clarification"]
    set_clock("2026-06-13")
    [late] = clarifications.for_proposal(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid)
    assert late["state"] == "unanswered at its deadline"
    with pytest.raises(Invalid, match="reply date .12 June 2026. has passed"):
        clarifications.answer(world.db, user=applicant, call_id=world.call_id, request_id=rid, answers=["Late."])


def test_bad_requests_are_refused_by_field(round_):
    world, applicant, pid, *_ = round_
    for questions, reply_by, field in (([], "2026-06-20", "question"),
                                       ([{"question": "  "}], "2026-06-20", "question"),
                                       ([{"question": "Fine?"}], "2026-06-01", "reply_by"),
                                       ([{"question": "Fine?"}], "", "reply_by"),
                                       ([{"criterion": "nope", "question": "Fine?"}], "2026-06-20",
                                        "questions.0.criterion")):
        with pytest.raises(Invalid) as e:
            clarifications.request(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid,
                                   questions=questions, reply_by=reply_by)
        assert e.value.field == field
    rid = clarifications.request(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid,
                                 questions=[{"question": "Fine?"}], reply_by="2026-06-20")
    with pytest.raises(Invalid) as refused:
        clarifications.answer(world.db, user=applicant, call_id=world.call_id, request_id=rid, answers=["Yes."],
                              file=("x.pdf", b"MZ not a pdf"))
    assert refused.value.field == "file"
    assert intake.my_proposal(world.db, user=applicant, call_id=world.call_id)["status"] == "submitted"
