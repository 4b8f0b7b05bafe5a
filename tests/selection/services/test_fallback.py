"""The reserve list: a declined or lapsed offer passes to the next on the shortlist, with fresh Bureau advice."""

from __future__ import annotations

import datetime as dt

import pytest

from selection import queries
from selection.errors import Invalid
from selection.services import decision, meeting


@pytest.fixture
def three(world):
    """Three proposals for Africa ranked by consensus: lakes 4.5, coast 4, delta 3.5."""
    world.b = world.bureau()
    world.p = {}
    for name, value in (("lakes", 4.5), ("coast", 4.0), ("delta", 3.5)):
        _, pid = world.submitted(name)
        world.p[name] = pid
        world.eligible(pid)
        for criterion in world.CRITERIA:
            meeting.record_consensus(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid,
                                     criterion_id=criterion, score=value, note="Agreed.")
    return world


def _state(w) -> list[tuple[str, str]]:
    return [(c["proposal"], c["state"]) for c in queries.reserve_list(w.db, w.call_id, "africa")]


def _select(w, name: str) -> int:
    return decision.record_selection(w.db, user=w.sec, call_id=w.call_id, slot_id="africa",
                                     proposal_id=w.p[name], rationale=f"{name} is next on the list.")


def _advise(w, text: str = "Offer it to the next on the list.") -> None:
    decision.record_advice(w.db, user=w.b, call_id=w.call_id, slot_id="africa", advice=text)


def test_the_reserve_list_is_the_shortlist_in_rank_order(three):
    assert _state(three) == [("p-lakes", "available"), ("p-coast", "available"), ("p-delta", "available")]


def test_only_a_shortlisted_entity_can_be_selected(three):
    _, outsider = three.submitted("outsider")
    with pytest.raises(Invalid) as e:
        decision.record_selection(three.db, user=three.sec, call_id=three.call_id, slot_id="africa",
                                  proposal_id=outsider, rationale="Not ranked.")
    assert e.value.field == "proposal"


def test_a_decline_passes_the_offer_to_the_next_after_fresh_advice(three, set_clock):
    w = three
    first = _select(w, "lakes")
    decision.record_notification(w.db, user=w.sec, call_id=w.call_id, selection_id=first, notified_on="2026-03-03")
    set_clock("2026-03-10T10:00")
    decision.record_answer(w.db, user=w.sec, call_id=w.call_id, selection_id=first, accepted=False,
                           answered_on="2026-03-10")
    assert _state(w)[0] == ("p-lakes", "declined")
    with pytest.raises(Invalid) as e:
        _select(w, "coast")
    assert e.value.field == "advice"
    with pytest.raises(Invalid):
        _select(w, "lakes")
    set_clock("2026-03-11T09:00")
    _advise(w)
    second = _select(w, "coast")
    assert _state(w) == [("p-lakes", "declined"), ("p-coast", "pending"), ("p-delta", "available")]
    decision.record_notification(w.db, user=w.sec, call_id=w.call_id, selection_id=second, notified_on="2026-03-12")
    decision.record_answer(w.db, user=w.sec, call_id=w.call_id, selection_id=second, accepted=True,
                           answered_on="2026-03-20")
    decision.record_agreement(w.db, user=w.sec, call_id=w.call_id, selection_id=second, signed_on="2026-05-02")
    chain = [(s["proposal_id"], s["acceptance"], s["agreement_signed_on"]) for s in queries.selections(w.db, w.call_id)]
    assert chain == [("p-lakes", "declined", None), ("p-coast", "accepted", "2026-05-02")]
    assert w.db.execute("SELECT count(*) FROM decision_records").fetchone()[0] == 2


def test_a_missed_month_lets_the_offer_lapse_and_pass_on(three, set_clock):
    w = three
    first = _select(w, "lakes")
    decision.record_notification(w.db, user=w.sec, call_id=w.call_id, selection_id=first, notified_on="2026-03-31")
    set_clock("2026-04-30T12:00")
    with pytest.raises(Invalid) as e:
        decision.record_lapse(w.db, user=w.sec, call_id=w.call_id, selection_id=first)
    assert "30 April 2026" in e.value.message
    set_clock("2026-05-01T08:00")
    steps = {s["step"]: s for s in queries.timeline(w.db, w.call, dt.date(2026, 5, 1))}
    assert any(s["state"] == "overdue" for name, s in steps.items() if name.startswith("Acceptance due"))
    decision.record_lapse(w.db, user=w.sec, call_id=w.call_id, selection_id=first)
    assert _state(w)[0] == ("p-lakes", "lapsed")
    set_clock("2026-05-02T08:00")
    _advise(w, "Offer it to Coast.")
    _select(w, "coast")
    assert _state(w)[1] == ("p-coast", "pending")


def test_funding_totals_pledges_against_the_budget_need(three):
    w = three
    sid = _select(w, "lakes")
    decision.set_budget_need(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, amount=500_000, currency="usd")
    for donor, amount, currency, status in (("Fund A", 200_000, "USD", "pledged"), ("Fund B", 50_000, "USD", "paid"),
                                            ("Fund C", 90_000, "USD", "declined"), ("Fund D", 30_000, "EUR", "pledged"),
                                            ("Fund E", 10_000, "USD", "contacted")):
        decision.add_pledge(w.db, user=w.sec, call_id=w.call_id, slot_id="africa", donor=donor, amount=amount,
                            currency=currency, status=status)
    [row] = queries.funding(w.db, w.call_id)
    assert (row["need"], row["currency"], row["pledged"], row["gap"]) == (500_000, "USD", 250_000, 250_000)
    assert row["other_currencies"] == {"EUR": 30_000}
    with pytest.raises(Invalid) as e:
        decision.set_budget_need(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, amount=-1, currency="USD")
    assert e.value.field == "budget_need"
