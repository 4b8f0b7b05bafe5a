"""Where a call stands and what comes next: the step per slot once decisions begin, and the next thing to do."""

from __future__ import annotations

import datetime as dt

from selection import progress
from selection.models import Role
from selection.services import decision, inquiries, meeting, screening
from tests.selection.services.conftest import CRITERIA


def _consensus(w, pid: str) -> None:
    for c in CRITERIA:
        meeting.record_consensus(w.db, user=w.sec, call_id=w.call_id, proposal_id=pid, criterion_id=c, score=4.0,
                                 note="Agreed.")


def _select(w, slot: str, pid: str) -> int:
    return decision.record_selection(w.db, user=w.sec, call_id=w.call_id, slot_id=slot, proposal_id=pid,
                                     rationale="First in the ranking.")


def test_one_decided_slot_does_not_move_the_other_slots_to_follow_up(world, set_clock):
    w = world
    _, lakes = w.submitted("lakes", slots=["africa"])
    _, hub = w.submitted("hub", slots=["global"])
    for pid in (lakes, hub):
        _consensus(w, pid)
    w.eligible(lakes, hub)
    set_clock("2026-08-01")
    sid = _select(w, "africa", lakes)
    decision.record_notification(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, notified_on="2026-08-02")
    decision.record_answer(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, accepted=True,
                           answered_on="2026-08-10")
    today = dt.date(2026, 8, 11)
    steps = {s["slot"]: s["step"] for s in progress.slot_steps(w.db, w.call, today)}
    assert steps == {"Global coordination entity": "Decision: select the host",
                     "Regional support centre - Africa": "Follow-up: host agreement and funding"}
    assert progress.call_step(w.db, w.call, today) == "Decision and follow-up: 1 of 2 slots decided"


def test_before_any_selection_every_slot_is_at_the_call_s_phase(world):
    steps = progress.slot_steps(world.db, world.call, dt.date(2026, 3, 2))
    assert {s["step"] for s in steps} == {"Open: receiving questions and proposals"}
    assert progress.call_step(world.db, world.call, dt.date(2026, 3, 2)) == "Open: receiving questions and proposals"


def test_the_next_step_follows_the_procedure(unpublished, call_data, set_clock):
    from selection.services import calls

    w = unpublished

    def step(day="2026-03-02") -> str:
        return progress.next_step(w.db, w.call, dt.date.fromisoformat(day))["step"]

    assert step().startswith("Publish the call")
    calls.publish_call(w.db, user=w.sec, call_id=w.call_id)
    assert step().startswith("Invite the advisory group members")
    member = w.member("ana")
    asker = w.applicant("lakes")
    qid = inquiries.ask(w.db, user=asker, call_id=w.call_id, question="May a consortium apply?")
    assert step() == "Answer the 1 question waiting; each answer is published to every applicant."
    inquiries.answer(w.db, user=w.sec, call_id=w.call_id, inquiry_id=qid, text="Yes.")
    _, pid = w.submitted("coast", slots=["africa", "global"])
    assert step().startswith("Screen the 1 proposal waiting")
    screening.set_status(w.db, user=w.sec, call_id=w.call_id, proposal_id=pid, status="eligible")
    assert step().startswith("Assign members to the 1 eligible proposal that has")
    w.assign(member, pid)
    assert step() == "Proposals are coming in until 31 May 2026: screen and assign them as they arrive."
    assert step("2026-06-10").startswith("1 assigned review is not submitted yet; the meeting is on 1 July 2026")
    w.score(member, pid, 4)
    assert step("2026-06-10").startswith("Hold the advisory group meeting on 1 July 2026")
    assert step("2026-07-02").startswith("Generate the assessment report and ask the Bureau")
    decision.record_advice(w.db, user=w.invited("bureau1", Role.BUREAU), call_id=w.call_id, slot_id="africa",
                           advice="The Coast institute is the strongest.")
    assert step("2026-07-02") == ("Record the selection for 2 slots: Global coordination entity, "
                                  "Regional support centre - Africa.")
    set_clock("2026-07-03")
    sid = _select(w, "africa", pid)
    _select(w, "global", pid)
    assert step("2026-07-03") == "Record the notification of Institute coast (Global coordination entity)."
    for s in (sid, sid + 1):
        decision.record_notification(w.db, user=w.sec, call_id=w.call_id, selection_id=s, notified_on="2026-07-04")
    assert step("2026-07-05").startswith("Record the answer of Institute coast (Global coordination entity), "
                                         "due by 4 August 2026")
    for s in (sid, sid + 1):
        decision.record_answer(w.db, user=w.sec, call_id=w.call_id, selection_id=s, accepted=True,
                               answered_on="2026-07-10")
    assert step("2026-07-11").startswith("Find donors and sign the host agreement with Institute coast")
    for s in (sid, sid + 1):
        decision.record_agreement(w.db, user=w.sec, call_id=w.call_id, selection_id=s, signed_on="2026-09-01")
    assert step("2026-09-02") == "Every host agreement is signed: the call is complete."
