"""Steps 5-8: the Bureau's advice, the selection, notification and acceptance, donors, host agreement."""

from __future__ import annotations

import datetime as dt

import pytest

from selection import audit, queries
from selection.errors import Forbidden, Invalid
from selection.services import decision, meeting, screening


@pytest.fixture
def shortlist(world):
    """Two proposals for Africa, one for the global slot, and a Bureau member."""
    _, lakes = world.submitted("lakes", slots=["africa"])
    _, coast = world.submitted("coast", slots=["africa"], country="TZ")
    _, peaks = world.submitted("peaks", slots=["global"], country="CH")
    world.b = world.bureau()
    world.p = {"lakes": lakes, "coast": coast, "peaks": peaks}
    world.eligible(lakes, coast, peaks)
    for pid, value in ((lakes, 4.0), (coast, 3.5), (peaks, 4.0)):
        agree_on_every_criterion(world, pid, value)
    return world


def agree_on_every_criterion(w, proposal_id: str, value: float) -> None:
    """Consensus scores on every criterion rank a proposal (contract rule 4) and put it on the shortlist."""
    for criterion in w.CRITERIA:
        meeting.record_consensus(w.db, user=w.sec, call_id=w.call_id, proposal_id=proposal_id,
                                 criterion_id=criterion, score=value, note="Agreed at the meeting.")


def _select(w, slot="africa", proposal=None, rationale="Top of the ranking; the Bureau concurred."):
    return decision.record_selection(w.db, user=w.sec, call_id=w.call_id, slot_id=slot,
                                     proposal_id=proposal or w.p["lakes"], rationale=rationale)


def _selection(w, sid) -> dict:
    return next(s for s in queries.selections(w.db, w.call_id) if s["id"] == sid)


# --------------------------------------------------------------------------- advice


def test_the_bureau_records_advice(shortlist, audit_events):
    w = shortlist
    aid = decision.record_advice(w.db, user=w.b, call_id=w.call_id, slot_id="africa",
                                 advice="Both are strong; Lakes has the wider network.", preferred_proposal=w.p["lakes"])
    row = next(w.db.query("SELECT * FROM bureau_advice WHERE id = ?", [aid]))
    assert (row["slot_id"], row["member"], row["preferred_proposal_id"]) == ("africa", "Bureau1 Person", w.p["lakes"])
    [event] = audit_events(w.db, "advice.recorded")
    assert event["actor"] == "bureau:bureau1"


def test_advice_is_given_by_the_bureau_or_recorded_by_the_secretariat(shortlist):
    w = shortlist
    member = w.member("amina")
    applicant = next(iter(w.db.query("SELECT id FROM accounts WHERE username = 'lakes'")))
    from selection.accounts import get_user

    for who in (member, get_user(w.db, applicant["id"]), None):
        with pytest.raises(Forbidden):
            decision.record_advice(w.db, user=who, call_id=w.call_id, slot_id="africa", advice="Choose Lakes.")
    assert w.db.execute("SELECT count(*) FROM bureau_advice").fetchone()[0] == 0
    decision.record_advice(w.db, user=w.sec, call_id=w.call_id, slot_id="africa", advice="The Bureau, by letter.")
    assert w.db.execute("SELECT member FROM bureau_advice").fetchone()[0] == "Secretariat Officer"


def test_advice_needs_text_a_real_slot_and_a_preference_that_applied_there(shortlist):
    w = shortlist
    with pytest.raises(Invalid) as e:
        decision.record_advice(w.db, user=w.b, call_id=w.call_id, slot_id="africa", advice="  ")
    assert e.value.field == "advice"
    with pytest.raises(Invalid) as e:
        decision.record_advice(w.db, user=w.b, call_id=w.call_id, slot_id="europe", advice="Fine.")
    assert e.value.field == "slot"
    with pytest.raises(Invalid) as e:
        decision.record_advice(w.db, user=w.b, call_id=w.call_id, slot_id="africa", advice="Peaks.",
                               preferred_proposal=w.p["peaks"])
    assert e.value.field == "proposal"
    assert w.db.execute("SELECT count(*) FROM bureau_advice").fetchone()[0] == 0


# --------------------------------------------------------------------------- selection


def test_selection_is_recorded_and_dates_the_decision(shortlist, set_clock, audit_events):
    w = shortlist
    set_clock("2026-09-10T15:00")
    sid = _select(w)
    s = _selection(w, sid)
    assert (s["slot_id"], s["proposal_id"], s["acceptance"]) == ("africa", w.p["lakes"], "pending")
    assert s["entity"] == "Institute lakes"
    assert w.call["decided_on"] == "2026-09-10"
    assert audit_events(w.db, "selection.recorded")[0]["new"]["proposal"] == w.p["lakes"]


def test_selection_only_from_a_proposal_that_applied_to_the_slot(shortlist):
    w = shortlist
    with pytest.raises(Invalid) as e:
        _select(w, slot="africa", proposal=w.p["peaks"])
    assert e.value.field == "proposal"
    with pytest.raises(Invalid) as e:
        _select(w, slot="europe")
    assert e.value.field == "slot"
    assert queries.selections(w.db, w.call_id) == []


def test_an_ineligible_or_draft_proposal_cannot_be_selected(shortlist):
    w = shortlist
    screening.set_status(w.db, user=w.sec, call_id=w.call_id, proposal_id=w.p["coast"], status="ineligible",
                         reason="Not registered.")
    with pytest.raises(Invalid) as e:
        _select(w, proposal=w.p["coast"])
    assert e.value.field == "proposal"
    draft = w.draft(w.applicant("dunes", country="MA"), slots=["africa"])
    with pytest.raises(Invalid):
        _select(w, proposal=draft)
    assert queries.selections(w.db, w.call_id) == []


def test_selection_needs_a_rationale(shortlist):
    w = shortlist
    with pytest.raises(Invalid) as e:
        _select(w, rationale="  ")
    assert e.value.field == "rationale"


def test_a_second_selection_for_the_slot_is_refused_while_the_first_is_pending(shortlist):
    w = shortlist
    sid = _select(w)
    with pytest.raises(Invalid) as e:
        _select(w, proposal=w.p["coast"])
    assert e.value.field == "slot"
    # another slot is independent
    _select(w, slot="global", proposal=w.p["peaks"])
    # once the first declines, the next may be chosen
    decision.record_notification(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, notified_on="2026-09-11")
    decision.record_answer(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, accepted=False,
                           answered_on="2026-09-20")
    with pytest.raises(Invalid) as e:
        _select(w, proposal=w.p["coast"], rationale="Second in the ranking, after Lakes declined.")
    assert e.value.field == "advice"
    decision.record_advice(w.db, user=w.b, call_id=w.call_id, slot_id="africa", advice="Offer it to Coast.")
    _select(w, proposal=w.p["coast"], rationale="Second in the ranking, after Lakes declined.")
    africa = [s for s in queries.selections(w.db, w.call_id) if s["slot_id"] == "africa"]
    assert [(s["proposal_id"], s["acceptance"]) for s in africa] == [(w.p["lakes"], "declined"),
                                                                     (w.p["coast"], "pending")]


def test_a_second_selection_is_refused_after_acceptance(shortlist):
    w = shortlist
    sid = _select(w)
    decision.record_notification(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, notified_on="2026-09-11")
    decision.record_answer(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, accepted=True,
                           answered_on="2026-09-20")
    with pytest.raises(Invalid):
        _select(w, proposal=w.p["coast"])


def test_only_the_secretariat_selects_and_records_the_follow_up(shortlist):
    w = shortlist
    with pytest.raises(Forbidden):
        decision.record_selection(w.db, user=w.b, call_id=w.call_id, slot_id="africa", proposal_id=w.p["lakes"],
                                  rationale="The Bureau decides.")
    sid = _select(w)
    for who in (w.b, w.member("amina"), None):
        with pytest.raises(Forbidden):
            decision.record_notification(w.db, user=who, call_id=w.call_id, selection_id=sid,
                                         notified_on="2026-09-11")
        with pytest.raises(Forbidden):
            decision.add_pledge(w.db, user=who, call_id=w.call_id, slot_id="africa", donor="A fund")
    assert _selection(w, sid)["notified_on"] is None


# --------------------------------------------------------------------------- deadlines


@pytest.mark.parametrize(
    ("notified", "due"),
    [
        ("2026-01-31", "2026-02-28"),
        ("2028-01-31", "2028-02-29"),
        ("2026-03-31", "2026-04-30"),
        ("2026-09-15", "2026-10-15"),
        ("2026-12-20", "2027-01-20"),
    ],
)
def test_acceptance_is_due_one_calendar_month_after_notification(shortlist, set_clock, notified, due):
    w = shortlist
    set_clock("2025-12-01")  # selected before every notification of the cases
    w.db["calls"].update(w.call_id, {"published_at": "2025-11-01T09:00:00Z"})  # and published before it
    sid = _select(w)
    assert _selection(w, sid)["acceptance_due"] is None
    decision.record_notification(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, notified_on=notified)
    s = _selection(w, sid)
    assert s["notified_on"] == notified
    assert s["acceptance_due"] == dt.date.fromisoformat(due)


@pytest.mark.parametrize(
    ("decided", "due"),
    [("2026-09-10", "2026-12-10"), ("2026-11-30", "2027-02-28"), ("2027-05-31", "2027-08-31")],
)
def test_host_agreement_is_due_three_months_after_the_decision(shortlist, set_clock, decided, due):
    w = shortlist
    set_clock(f"{decided}T10:00")
    sid = _select(w)
    assert _selection(w, sid)["agreement_due"] == dt.date.fromisoformat(due)


def test_notification_needs_a_valid_date(shortlist):
    w = shortlist
    sid = _select(w)
    for bad in (None, "", "11/09/2026"):
        with pytest.raises(Invalid) as e:
            decision.record_notification(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, notified_on=bad)
        assert e.value.field == "notified_on"


def test_an_answer_needs_the_notification_first(shortlist):
    w = shortlist
    sid = _select(w)
    with pytest.raises(Invalid) as e:
        decision.record_answer(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, accepted=True,
                               answered_on="2026-09-20")
    assert e.value.field == "answered_on"
    assert _selection(w, sid)["acceptance"] == "pending"


def test_host_agreement_is_refused_before_acceptance(shortlist, audit_events):
    w = shortlist
    sid = _select(w)
    with pytest.raises(Invalid) as e:
        decision.record_agreement(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, signed_on="2026-11-01")
    assert e.value.field == "agreement_signed_on"
    decision.record_notification(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, notified_on="2026-09-11")
    with pytest.raises(Invalid):
        decision.record_agreement(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, signed_on="2026-11-01")
    decision.record_answer(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, accepted=True,
                           answered_on="2026-09-20")
    decision.record_agreement(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, signed_on="2026-11-01")
    s = _selection(w, sid)
    assert (s["acceptance"], s["answered_on"], s["agreement_signed_on"]) == ("accepted", "2026-09-20", "2026-11-01")
    assert [e["action"] for e in audit.events(w.db, action_prefix="selection.")] == [
        "selection.recorded", "selection.notified", "selection.answered"]
    assert audit_events(w.db, "agreement.signed")[0]["new"] == {"agreement_signed_on": "2026-11-01"}


def test_host_agreement_is_refused_after_a_decline(shortlist):
    w = shortlist
    sid = _select(w)
    decision.record_notification(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, notified_on="2026-09-11")
    decision.record_answer(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, accepted=False,
                           answered_on="2026-09-20")
    with pytest.raises(Invalid):
        decision.record_agreement(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, signed_on="2026-11-01")
    assert _selection(w, sid)["agreement_signed_on"] is None


def test_follow_up_dates_that_contradict_each_other_are_refused_naming_both(shortlist, set_clock):
    w = shortlist
    set_clock("2026-09-10")
    sid = _select(w)
    with pytest.raises(Invalid) as e:
        decision.record_notification(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, notified_on="2026-09-01")
    assert e.value.field == "notified_on"
    assert e.value.message == ("The date of the notification (1 September 2026) cannot come before the selection "
                               "(10 September 2026).")
    assert _selection(w, sid)["notified_on"] is None  # nothing written
    decision.record_notification(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, notified_on="2026-09-11")
    with pytest.raises(Invalid) as e:
        decision.record_answer(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, accepted=True,
                               answered_on="2026-09-10")
    assert (e.value.field, _selection(w, sid)["acceptance"]) == ("answered_on", "pending")
    decision.record_answer(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, accepted=True,
                           answered_on="2026-09-20")
    with pytest.raises(Invalid) as e:
        decision.record_agreement(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, signed_on="2026-09-19")
    assert "cannot come before the answer (20 September 2026)" in e.value.message
    with pytest.raises(Invalid) as e:  # a correction is held to the same order
        decision.correct_date(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, field="notified_on",
                              day="2026-09-25", reason="Typed the wrong day.")
    assert "The date of the answer (20 September 2026) cannot come before the notification" in e.value.message
    assert _selection(w, sid)["notified_on"] == "2026-09-11"


# --------------------------------------------------------------------------- donors


def test_a_pledge_is_recorded_with_the_currency_in_capitals(shortlist, audit_events):
    w = shortlist
    pid = decision.add_pledge(w.db, user=w.sec, call_id=w.call_id, slot_id="africa", donor=" Nordic Fund ",
                              amount=250_000, currency="eur", pledged_on="2026-10-01", status="pledged")
    row = next(w.db.query("SELECT * FROM pledges WHERE id = ?", [pid]))
    assert (row["donor"], row["amount"], row["currency"], row["pledged_on"], row["status"]) == (
        "Nordic Fund", 250_000, "EUR", "2026-10-01", "pledged")
    assert row["contacted_on"] == "2026-03-02"  # today, when not given
    assert audit_events(w.db, "pledge.recorded")[0]["new"]["currency"] == "EUR"


@pytest.mark.parametrize("currency", ["US", "EURO", "US$", "12A", "ÉUR", "€UR"])
def test_a_pledge_needs_a_three_letter_currency_code(shortlist, currency):
    w = shortlist
    with pytest.raises(Invalid) as e:
        decision.add_pledge(w.db, user=w.sec, call_id=w.call_id, slot_id="africa", donor="A fund", amount=10,
                            currency=currency)
    assert e.value.field == "currency"
    assert w.db.execute("SELECT count(*) FROM pledges").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": -1}, "amount"),
        ({"status": "promised"}, "status"),
        ({"donor": "  "}, "donor"),
        ({"slot_id": "europe"}, "slot"),
        ({"pledged_on": "next week"}, "pledged_on"),
        ({"contacted_on": "2026-13-01"}, "contacted_on"),
    ],
    ids=["negative-amount", "unknown-status", "no-donor", "unknown-slot", "bad-pledged-date", "bad-contacted-date"],
)
def test_an_invalid_pledge_is_refused_naming_the_field(shortlist, changes, field):
    w = shortlist
    args = {"slot_id": "africa", "donor": "A fund", "amount": 10.0, "currency": "USD", **changes}
    with pytest.raises(Invalid) as e:
        decision.add_pledge(w.db, user=w.sec, call_id=w.call_id, **args)
    assert e.value.field == field
    assert w.db.execute("SELECT count(*) FROM pledges").fetchone()[0] == 0


def test_an_answer_is_chosen_never_assumed(shortlist, set_clock):
    w = shortlist
    sid = _select(w)
    decision.record_notification(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, notified_on="2026-03-03")
    with pytest.raises(Invalid) as e:
        decision.record_answer(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, accepted=None,
                               answered_on="2026-03-04")
    assert (e.value.field, _selection(w, sid)["acceptance"]) == ("answer", "pending")
