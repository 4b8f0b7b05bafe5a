"""The meeting page keeps its computed view across reruns, and shows the new ranking after every kind of write."""

from __future__ import annotations

import pytest

from selection import accounts, queries
from selection.services import calls, meeting, review, screening
from tests.ui.conftest import account_id

REF = "TSC-HOST-DEMO-2027"


def shown_totals(at, position: int) -> dict[str, float]:
    """Entity -> total in the page's ranking table of the call's slot at ``position`` (every demo slot has one)."""
    tables = [d.value for d in at.dataframe if {"Rank", "Entity", "Total", "Shortlisted"} <= set(d.value.columns)]
    return dict(zip(tables[position]["Entity"], tables[position]["Total"]))


def expected_totals(db, slot: str) -> dict[str, float]:
    """The slot ranked from the store with no view kept: what the page must show."""
    ranking = queries.ranking_inputs(db, REF).rank()
    view = next(v for v in queries.ranking_view(db, REF, ranking) if v.slot["id"] == slot)
    return dict(zip(view.table["Entity"], view.table["Total"].round(1)))  # the page shows totals to one decimal


def _user(db, username):
    return accounts.get_user(db, account_id(db, username))


def _score(db, call_id):
    member = _user(db, "member1")
    review.save_scores(db, user=member, call_id=call_id, proposal_id="p-kessoua",
                       scores={"expertise": (5.0, "Rechecked against the annual report.")},
                       reason="The annual report was read again at the meeting.")


def _consensus(db, call_id):
    meeting.record_consensus(db, user=_user(db, "secretariat"), call_id=call_id, proposal_id="p-kessoua",
                             criterion_id="capacity", score=5.0, note="Audited accounts seen at the meeting.")


def _screening(db, call_id):
    screening.set_status(db, user=_user(db, "secretariat"), call_id=call_id, proposal_id="p-savanes",
                         status="ineligible", reason="Not a legal entity in the host country.")


def _weights(db, call_id):
    data = calls.call_form_data(db, call_id)
    for c in data["criteria"]:
        c["weight"] = {"networks": 10, "expertise": 10, "tsc_experience": 10, "capacity": 70}[c["id"]]
    calls.update_call(db, user=_user(db, "secretariat"), call_id=call_id, data=data)


@pytest.mark.parametrize("write", [_score, _consensus, _screening, _weights],
                         ids=["a score", "a consensus", "a screening", "a weight change"])
def test_after_each_kind_of_write_the_meeting_page_shows_the_new_ranking(open_as, demo_db, write):
    call_id = queries.resolve_call(demo_db, REF)["id"]
    africa = list(queries.slot_names(demo_db, call_id)).index("africa")
    at = open_as("secretariat", "meeting")
    before = shown_totals(at, africa)
    assert before == expected_totals(demo_db, "africa")
    at.run()  # a rerun with nothing changed shows the kept view
    assert shown_totals(at, africa) == before

    write(demo_db, call_id)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    after = shown_totals(at, africa)
    assert after != before
    assert after == expected_totals(demo_db, "africa")
