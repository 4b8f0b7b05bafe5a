"""Donors: a pledge moves contacted -> pledged -> paid (or declined) in one row, with a dated history;
the budget need and the amounts pinned: zero allowed, infinity refused, a three-letter currency."""

from __future__ import annotations

import math

import pytest

from selection import queries
from selection.errors import Invalid
from selection.services import decision, funding, meeting, screening


@pytest.fixture
def selected(world):
    """One eligible proposal for Africa, agreed by consensus and selected: (world, selection id)."""
    _, pid = world.submitted("lakes")
    screening.set_status(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid, status="eligible")
    for criterion in world.CRITERIA:
        meeting.record_consensus(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid,
                                 criterion_id=criterion, score=4.0, note="Agreed.")
    return world, decision.record_selection(world.db, user=world.sec, call_id=world.call_id, slot_id="africa",
                                            proposal_id=pid, rationale="Top of the ranking.")


@pytest.fixture
def pledge(world):
    w = world
    w.pledge = funding.add_pledge(w.db, user=w.sec, call_id=w.call_id, slot_id="africa", donor="Nordic Fund",
                                  note="First call with the programme officer.")
    return w


def _change(w, **args):
    return funding.change_pledge(w.db, user=w.sec, call_id=w.call_id, pledge_id=w.pledge, **args)


def test_a_pledge_moves_on_in_one_row_with_a_dated_history(pledge, audit_events):
    w = pledge
    _change(w, status="pledged", on_date="2026-03-02", amount=250_000, currency="eur", note="Letter received.")
    _change(w, status="paid", on_date="2026-03-02", note="Transfer arrived.")
    [p] = funding.pledges(w.db, w.call_id)
    assert (p["status"], p["amount"], p["currency"], p["pledged_on"]) == ("paid", 250_000, "EUR", "2026-03-02")
    assert [(e["status"], e["note"]) for e in p["history"]] == [
        ("contacted", "First call with the programme officer."), ("pledged", "Letter received."),
        ("paid", "Transfer arrived.")]
    assert w.db.execute("SELECT count(*) FROM pledges").fetchone()[0] == 1
    assert audit_events(w.db, "pledge.changed")[-1]["old"]["status"] == "pledged"


@pytest.mark.parametrize("path,refused", [(["paid"], "pledged"), (["declined"], "contacted"),
                                          (["pledged"], "contacted")])
def test_paid_and_declined_are_final_and_there_is_no_way_back(pledge, path, refused):
    w = pledge
    for status in path:
        _change(w, status=status, amount=10)
    with pytest.raises(Invalid) as e:
        _change(w, status=refused)
    assert e.value.field == "status"
    assert len(funding.pledges(w.db, w.call_id)[0]["history"]) == 1 + len(path)


def test_a_note_alone_is_recorded_at_the_same_status_but_nothing_at_all_is_refused(pledge):
    w = pledge
    _change(w, status="contacted", note="Reminder sent.")
    with pytest.raises(Invalid) as e:
        _change(w, status="contacted")
    assert e.value.field == "note"
    assert [e["note"] for e in funding.pledges(w.db, w.call_id)[0]["history"]][-1] == "Reminder sent."


def test_a_change_is_never_dated_before_the_last_one(pledge):
    w = pledge
    with pytest.raises(Invalid) as e:
        _change(w, status="pledged", on_date="2026-03-01", amount=10)
    assert e.value.field == "on_date"
    assert funding.pledges(w.db, w.call_id)[0]["status"] == "contacted"


@pytest.mark.parametrize("amount", [math.inf, -math.inf, math.nan, -0.01, True])
def test_an_amount_must_be_a_finite_number_of_zero_or_more(pledge, amount):
    w = pledge
    with pytest.raises(Invalid) as e:
        _change(w, status="pledged", amount=amount)
    assert e.value.field == "amount"
    with pytest.raises(Invalid):
        funding.add_pledge(w.db, user=w.sec, call_id=w.call_id, slot_id="africa", donor="B", amount=amount)


def test_zero_is_an_amount(pledge):
    w = pledge
    _change(w, status="pledged", amount=0, currency="USD", note="In-kind support only.")
    assert funding.pledges(w.db, w.call_id)[0]["amount"] == 0


@pytest.mark.parametrize("amount,ok", [(0, True), (1e9, True), (math.inf, False), (math.nan, False), (-1, False)])
def test_the_budget_need_allows_zero_and_refuses_infinity(selected, amount, ok):
    w, sid = selected
    if ok:
        decision.set_budget_need(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, amount=amount, currency="chf")
        assert queries.funding(w.db, w.call_id)[0]["need"] == amount
    else:
        with pytest.raises(Invalid) as e:
            decision.set_budget_need(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, amount=amount,
                                     currency="CHF")
        assert e.value.field == "budget_need"


@pytest.mark.parametrize("currency", ["", "US", "EURO", "€UR"])
def test_the_budget_need_needs_a_three_letter_currency(selected, currency):
    w, sid = selected
    with pytest.raises(Invalid) as e:
        decision.set_budget_need(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, amount=10, currency=currency)
    assert e.value.field == "currency"
