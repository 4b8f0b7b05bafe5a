"""The dashboard's view of a call: each dated step with its state, and where the procedure stands."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from criteria.sets import default_criteria
from selection import accounts, queries, store
from selection.services import calls, decision, intake, meeting, screening

PASSWORD = "a long enough password"
D = dt.date.fromisoformat


@pytest.fixture
def tl(tmp_path, set_clock):
    """A call created on 2 March 2026 (questions until 15 April, proposals until 31 May, meeting 1 July),
    not yet published; ``publish()`` and ``select()`` move it on."""
    db = store.connect(tmp_path / "timeline.db")
    sec = accounts.create_first_secretariat(db, username="sec", display_name="Officer", password=PASSWORD)
    call_id = calls.create_call(db, user=sec, data={
        "reference": "TSC-T", "title": "Timeline", "min_reviews": 1,
        "dates": {"inquiry_deadline": "2026-04-15", "submission_deadline": "2026-05-31",
                  "advisory_meeting_on": "2026-07-01"},
        "slots": [{"id": "africa", "name": "Africa centre", "level": "regional"}],
        "criteria": default_criteria(),
    })
    ns = SimpleNamespace(db=db, sec=sec, call_id=call_id)
    ns.call = lambda: queries.resolve_call(db, "TSC-T")

    def publish():
        calls.publish_call(db, user=sec, call_id=call_id)
        user = accounts.register_applicant(db, username="lakes", display_name="Lakes", password=PASSWORD)
        intake.save_profile(db, user=user, call_id=call_id, profile={"name": "Lakes Institute", "country": "KE"})
        intake.save_draft(db, user=user, call_id=call_id, slots=["africa"], statement="We apply.", summary="",
                          sections={c["id"]: "Evidence." for c in default_criteria()})
        intake.submit(db, user=user, call_id=call_id)
        screening.set_status(db, user=sec, call_id=call_id, proposal_id="p-lakes", status="eligible")
        for c in default_criteria():
            meeting.record_consensus(db, user=sec, call_id=call_id, proposal_id="p-lakes", criterion_id=c["id"],
                                     score=4.0, note="Agreed.")

    def select(decided: str = "2026-09-10", notified: str | None = "2026-09-11") -> int:
        set_clock(decided)
        sid = decision.record_selection(db, user=sec, call_id=call_id, slot_id="africa", proposal_id="p-lakes",
                                        rationale="First in the ranking.")
        if notified:
            decision.record_notification(db, user=sec, call_id=call_id, selection_id=sid, notified_on=notified)
        return sid

    def answer(sid: int, accepted: bool, on: str = "2026-09-25") -> None:
        decision.record_answer(db, user=sec, call_id=call_id, selection_id=sid, accepted=accepted, answered_on=on)

    ns.publish, ns.select, ns.answer = publish, select, answer
    yield ns
    db.conn.close()


def _steps(tl, today: str) -> dict[str, dict]:
    return {s["step"]: s for s in queries.timeline(tl.db, tl.call(), D(today))}


def _step(tl, today: str, starts: str) -> dict:
    [step] = [s for name, s in _steps(tl, today).items() if name.startswith(starts)]
    return step


# --------------------------------------------------------------------------- the call's own dates


def test_each_dated_step_is_passed_today_upcoming_or_not_set(tl):
    tl.publish()
    steps = _steps(tl, "2026-04-15")
    assert [(s["step"], s["state"]) for s in steps.values()] == [
        ("Call published (notification)", "passed"),
        ("Deadline for questions", "today"),
        ("Deadline for proposals", "upcoming"),
        ("Advisory group meeting", "upcoming"),
        ("Selection decided", "not set"),
    ]
    assert steps["Call published (notification)"]["date"] == D("2026-03-02")
    assert steps["Deadline for questions"]["days_left"] == 0
    assert steps["Deadline for proposals"]["days_left"] == 46
    assert steps["Call published (notification)"]["days_left"] == -44
    assert steps["Selection decided"]["date"] is None and steps["Selection decided"]["days_left"] is None


def test_a_deadline_is_passed_the_day_after(tl):
    tl.publish()
    assert _steps(tl, "2026-05-31")["Deadline for proposals"]["state"] == "today"
    assert _steps(tl, "2026-06-01")["Deadline for proposals"]["state"] == "passed"


def test_an_unpublished_call_has_no_notification_date(tl):
    assert _steps(tl, "2026-03-02")["Call published (notification)"]["state"] == "not set"


# --------------------------------------------------------------------------- acceptance and agreement


def test_acceptance_is_upcoming_until_its_due_date_then_overdue_while_pending(tl):
    tl.publish()
    tl.select(decided="2026-09-10", notified="2026-09-11")
    due = _step(tl, "2026-09-20", "Acceptance due")
    assert due["step"] == "Acceptance due: Lakes Institute — Africa centre"
    assert (due["date"], due["state"], due["days_left"]) == (D("2026-10-11"), "upcoming", 21)
    assert _step(tl, "2026-10-11", "Acceptance due")["state"] == "upcoming"
    late = _step(tl, "2026-10-12", "Acceptance due")
    assert (late["state"], late["days_left"]) == ("overdue", -1)


def test_no_acceptance_deadline_before_the_notification(tl):
    tl.publish()
    tl.select(notified=None)
    assert not any(name.startswith("Acceptance due") for name in _steps(tl, "2026-12-31"))


@pytest.mark.parametrize("accepted", [True, False])
def test_an_answered_acceptance_is_never_overdue(tl, accepted):
    tl.publish()
    sid = tl.select()
    tl.answer(sid, accepted)
    state = _step(tl, "2027-01-01", "Acceptance due")["state"]
    assert state == ("accepted" if accepted else "declined")


def test_host_agreement_is_due_three_months_after_the_decision(tl):
    tl.publish()
    sid = tl.select(decided="2026-09-10")
    tl.answer(sid, True)
    due = _step(tl, "2026-11-01", "Host agreement due")
    assert (due["date"], due["state"]) == (D("2026-12-10"), "upcoming")
    assert _step(tl, "2026-12-10", "Host agreement due")["state"] == "upcoming"
    assert _step(tl, "2026-12-11", "Host agreement due")["state"] == "overdue"
    decision.record_agreement(tl.db, user=tl.sec, call_id=tl.call_id, selection_id=sid, signed_on="2026-12-20")
    assert _step(tl, "2026-12-21", "Host agreement due")["state"] == "signed"


def test_no_host_agreement_is_due_after_a_decline(tl):
    tl.publish()
    sid = tl.select()
    tl.answer(sid, False)
    assert not any(name.startswith("Host agreement due") for name in _steps(tl, "2026-12-31"))


def test_the_selection_dates_the_decision_step(tl):
    tl.publish()
    tl.select(decided="2026-09-10")
    step = _steps(tl, "2026-09-11")["Selection decided"]
    assert (step["date"], step["state"]) == (D("2026-09-10"), "passed")


# --------------------------------------------------------------------------- current step


def test_current_step_follows_the_procedure(tl):
    def now(day):
        return queries.current_step(tl.db, tl.call(), D(day))

    assert now("2026-03-02") == "Draft: not yet published"
    tl.publish()
    assert now("2026-04-15") == "Open: receiving questions and proposals"
    assert now("2026-04-16") == "Receiving proposals (questions closed)"
    assert now("2026-05-31") == "Receiving proposals (questions closed)"
    assert now("2026-06-01") == "Assessment by the advisory group"
    assert now("2026-07-02") == "Assessment report and Bureau advice"
    sid = tl.select()
    assert now("2026-09-12") == "Decision: awaiting the selected entity's acceptance"
    tl.answer(sid, True)
    assert now("2026-09-26") == "Follow-up: host agreement and funding"



def test_after_a_decline_the_step_asks_for_the_next_candidate(tl):
    tl.publish()
    sid = tl.select()
    tl.answer(sid, False)
    assert queries.current_step(tl.db, tl.call(), D("2026-09-20")) == (
        "Decision: the selected entity declined; choose the next candidate")
