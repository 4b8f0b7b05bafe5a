"""The offer's states (offered -> notified -> accepted | declined | lapsed; accepted -> signed), the Bureau's
advice per round, and the corrections: cancel a selection, correct a date, amend advice. Each correction
needs a reason, is audited with old and new values, and shows in verify and in the timeline."""

from __future__ import annotations

import pytest

from selection import queries, record
from selection.errors import Forbidden, Invalid
from selection.services import decision, meeting


@pytest.fixture
def offers(world):
    """Lakes (4.5) and Coast (4.0) for Africa, ranked by consensus and screened eligible; a Bureau member."""
    world.b = world.bureau()
    world.p = {}
    for name, value in (("lakes", 4.5), ("coast", 4.0)):
        _, pid = world.submitted(name)
        world.eligible(pid)
        world.p[name] = pid
        for c in world.CRITERIA:
            meeting.record_consensus(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid,
                                     criterion_id=c, score=value, note="Agreed.")
    return world


def _select(w, name="lakes") -> int:
    return decision.record_selection(w.db, user=w.sec, call_id=w.call_id, slot_id="africa", proposal_id=w.p[name],
                                     rationale=f"{name} on the Bureau's advice.")


def _notify(w, sid, on="2026-03-03"):
    decision.record_notification(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, notified_on=on)


def _answer(w, sid, accepted, on="2026-03-10"):
    decision.record_answer(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, accepted=accepted, answered_on=on)


def _row(w, sid) -> dict:
    return next(s for s in queries.selections(w.db, w.call_id, cancelled=True) if s["id"] == sid)


def _signed(w) -> int:
    sid = _select(w)
    _notify(w, sid)
    _answer(w, sid, True)
    decision.record_agreement(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, signed_on="2026-05-01")
    return sid


# --------------------------------------------------------------------------- no silent overwrite


def test_an_accepted_offer_with_a_signed_agreement_cannot_be_flipped_to_declined(offers):
    w = offers
    sid = _signed(w)
    with pytest.raises(Invalid) as e:
        _answer(w, sid, False, on="2026-05-02")
    assert e.value.field == "answered_on"
    s = _row(w, sid)
    assert (s["acceptance"], s["answered_on"], s["agreement_signed_on"]) == ("accepted", "2026-03-10", "2026-05-01")


@pytest.mark.parametrize("accepted", [True, False])
def test_an_answer_is_recorded_once(offers, accepted):
    w = offers
    sid = _select(w)
    _notify(w, sid)
    _answer(w, sid, accepted)
    with pytest.raises(Invalid):
        _answer(w, sid, not accepted, on="2026-03-11")
    assert _row(w, sid)["acceptance"] == ("accepted" if accepted else "declined")


def test_the_notification_and_the_signature_are_recorded_once(offers):
    w = offers
    sid = _signed(w)
    with pytest.raises(Invalid) as e:
        _notify(w, sid, on="2026-04-01")
    assert e.value.field == "notified_on" and "correct" in e.value.message
    with pytest.raises(Invalid) as e:
        decision.record_agreement(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, signed_on="2026-06-01")
    assert e.value.field == "agreement_signed_on" and "correct" in e.value.message
    s = _row(w, sid)
    assert (s["notified_on"], s["agreement_signed_on"]) == ("2026-03-03", "2026-05-01")


def test_only_a_pending_offer_can_lapse_and_its_lapse_date_is_stored(offers, set_clock):
    w = offers
    sid = _select(w)
    _notify(w, sid, on="2026-03-03")
    set_clock("2026-04-04")
    _answer(w, sid, True, on="2026-04-01")
    with pytest.raises(Invalid) as e:
        decision.record_lapse(w.db, user=w.sec, call_id=w.call_id, selection_id=sid)
    assert e.value.field == "selection"
    assert _row(w, sid)["acceptance"] == "accepted"
    decision.cancel_selection(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, reason="Recorded by mistake.")
    set_clock("2026-03-02")  # the second offer made the day before its notification
    sid = _select(w, "coast")
    _notify(w, sid, on="2026-03-03")
    set_clock("2026-04-04")
    decision.record_lapse(w.db, user=w.sec, call_id=w.call_id, selection_id=sid)
    s = _row(w, sid)
    assert (s["acceptance"], s["lapsed_on"]) == ("lapsed", "2026-04-04")


def test_an_entity_that_declined_cannot_be_offered_the_slot_again(offers):
    w = offers
    sid = _select(w)
    _notify(w, sid)
    _answer(w, sid, False)
    decision.record_advice(w.db, user=w.b, call_id=w.call_id, slot_id="africa", advice="Offer it again to Lakes.")
    with pytest.raises(Invalid) as e:
        _select(w, "lakes")
    assert e.value.field == "proposal" and "declined" in e.value.message


def test_only_the_first_selection_sets_the_decision_date(offers, set_clock):
    w = offers
    set_clock("2026-09-10T10:00")
    sid = _select(w)
    _notify(w, sid, on="2026-09-11")
    _answer(w, sid, False, on="2026-09-20")
    decision.record_advice(w.db, user=w.b, call_id=w.call_id, slot_id="africa", advice="Offer it to Coast.")
    set_clock("2026-10-01T10:00")
    _select(w, "coast")
    assert w.call["decided_on"] == "2026-09-10"


def test_an_unscreened_proposal_cannot_be_selected(world):
    _, pid = world.submitted("lakes")
    for c in world.CRITERIA:
        meeting.record_consensus(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid, criterion_id=c,
                                 score=4.0, note="Agreed.")
    with pytest.raises(Invalid) as e:
        decision.record_selection(world.db, user=world.sec, call_id=world.call_id, slot_id="africa", proposal_id=pid,
                                  rationale="First.")
    assert e.value.field == "proposal" and "not yet screened" in e.value.message
    assert queries.selections(world.db, world.call_id) == []


# --------------------------------------------------------------------------- corrections


def test_a_selection_recorded_by_mistake_is_cancelled_with_a_reason(offers, audit_events):
    w = offers
    sid = _select(w, "coast")
    with pytest.raises(Invalid) as e:
        decision.cancel_selection(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, reason="")
    assert e.value.field == "reason"
    with pytest.raises(Forbidden):
        decision.cancel_selection(w.db, user=w.b, call_id=w.call_id, selection_id=sid, reason="The Bureau says so.")
    decision.cancel_selection(w.db, user=w.sec, call_id=w.call_id, selection_id=sid,
                              reason="Coast was picked instead of Lakes by mistake.")
    assert queries.selections(w.db, w.call_id) == []
    assert _row(w, sid)["cancel_reason"] == "Coast was picked instead of Lakes by mistake."
    assert [c["state"] for c in queries.reserve_list(w.db, w.call_id, "africa")] == ["available", "available"]
    [event] = audit_events(w.db, "selection.cancelled")
    assert event["old"]["cancelled_at"] is None and event["new"]["cancelled_at"]
    _select(w, "lakes")  # the slot is open again, with no new advice needed
    with pytest.raises(Invalid):  # cancelled is final
        decision.cancel_selection(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, reason="Again.")


def test_a_signed_host_agreement_is_not_cancelled(offers):
    w = offers
    sid = _signed(w)
    with pytest.raises(Invalid) as e:
        decision.cancel_selection(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, reason="Oops.")
    assert e.value.field == "selection"
    assert _row(w, sid)["cancelled_at"] is None


def test_an_answer_date_is_corrected_with_a_reason_and_old_and_new_values(offers, audit_events):
    w = offers
    sid = _select(w)
    with pytest.raises(Invalid) as e:  # not answered yet: nothing to correct
        decision.correct_date(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, field="answered_on",
                              day="2026-03-09", reason="Typo.")
    _notify(w, sid)
    _answer(w, sid, True, on="2026-03-10")
    with pytest.raises(Invalid) as e:
        decision.correct_date(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, field="answered_on",
                              day="2026-03-09", reason=None)
    assert e.value.field == "reason"
    decision.correct_date(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, field="answered_on",
                          day="2026-03-09", reason="The letter is dated 9 March.")
    assert _row(w, sid)["answered_on"] == "2026-03-09"
    [event] = audit_events(w.db, "selection.date_corrected")
    assert (event["old"], event["new"], event["reason"]) == ({"answered_on": "2026-03-10"},
                                                             {"answered_on": "2026-03-09"},
                                                             "The letter is dated 9 March.")


def test_corrections_show_in_verify_and_in_the_timeline(offers, set_clock):
    w = offers
    set_clock("2026-09-10T10:00")
    sid = _select(w)
    _notify(w, sid, on="2026-09-11")
    _answer(w, sid, True, on="2026-09-20")
    decision.correct_date(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, field="answered_on",
                          day="2026-09-19", reason="The letter is dated 19 September.")
    result = record.verify(w.db, w.call["reference"])
    assert result.unchanged
    [line] = result.corrections
    assert "answer date corrected from 2026-09-20 to 2026-09-19" in line and "19 September" in line
    assert "Institute lakes" in line
    steps = [t for t in queries.timeline(w.db, w.call, queries.add_months(w.T0.date(), 8))
             if t["state"] == "corrected"]
    assert [t["step"] for t in steps] == ["Correction: answer date corrected from 2026-09-20 to 2026-09-19: "
                                          "Institute lakes — Regional support centre - Africa "
                                          "(reason: The letter is dated 19 September.)"]


def test_verify_catches_a_follow_up_changed_around_the_services(offers):
    """Today an accepted offer edited to "declined" leaves verify silent."""
    w = offers
    sid = _signed(w)
    assert record.verify(w.db, w.call["reference"]).unchanged
    w.db.execute("UPDATE selections SET acceptance = 'declined' WHERE id = ?", [sid])
    result = record.verify(w.db, w.call["reference"])
    assert not result.unchanged
    assert any("acceptance is \"declined\" but the audit trail recorded \"accepted\"" in c for c in result.changes)


# --------------------------------------------------------------------------- advice


def test_advice_is_one_per_slot_round_and_author_and_keeps_its_history(offers, audit_events):
    w = offers
    first = decision.record_advice(w.db, user=w.b, call_id=w.call_id, slot_id="africa", advice="Lakes.")
    again = decision.record_advice(w.db, user=w.b, call_id=w.call_id, slot_id="africa", advice="Lakes, clearly.",
                                   preferred_proposal=w.p["lakes"])
    assert again == first
    rows = list(w.db.query("SELECT advice, round FROM bureau_advice"))
    assert rows == [{"advice": "Lakes, clearly.", "round": 1}]
    assert [h["advice"] for h in decision.advice_history(w.db, call_id=w.call_id, advice_id=first)] == ["Lakes."]
    assert audit_events(w.db, "advice.edited")[0]["old"]["advice"] == "Lakes."
    # another author gives their own
    decision.record_advice(w.db, user=w.sec, call_id=w.call_id, slot_id="africa", advice="By letter: Lakes.")
    assert w.db.execute("SELECT count(*) FROM bureau_advice").fetchone()[0] == 2


def test_advice_is_locked_by_the_selection_then_amended_with_a_reason(offers, audit_events):
    w = offers
    aid = decision.record_advice(w.db, user=w.b, call_id=w.call_id, slot_id="africa", advice="Lakes.")
    _select(w)
    with pytest.raises(Invalid) as e:
        decision.record_advice(w.db, user=w.b, call_id=w.call_id, slot_id="africa", advice="Coast after all.")
    assert e.value.field == "advice" and "amend" in e.value.message
    with pytest.raises(Invalid) as e:
        decision.amend_advice(w.db, user=w.b, call_id=w.call_id, advice_id=aid, advice="Lakes, by consensus.",
                              reason="")
    assert e.value.field == "reason"
    other = w.bureau("bureau2")
    with pytest.raises(Forbidden):
        decision.amend_advice(w.db, user=other, call_id=w.call_id, advice_id=aid, advice="Mine.", reason="Mine.")
    decision.amend_advice(w.db, user=w.b, call_id=w.call_id, advice_id=aid, advice="Lakes, by consensus.",
                          reason="The minutes give the Bureau's words.")
    assert w.db.execute("SELECT advice FROM bureau_advice WHERE id = ?", [aid]).fetchone()[0] == "Lakes, by consensus."
    [old] = decision.advice_history(w.db, call_id=w.call_id, advice_id=aid)
    assert (old["advice"], old["reason"]) == ("Lakes.", "The minutes give the Bureau's words.")
    [line] = record.verify(w.db, w.call["reference"]).corrections
    assert "Bureau advice amended" in line and "minutes" in line
