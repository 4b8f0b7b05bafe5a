"""The audit trail keeps the old and the new value of every change, read inside the change's own transaction."""

from __future__ import annotations

import contextlib

from selection import store
from selection.services import calls, review


def test_two_tabs_of_one_member_record_the_old_value_each_really_replaced(world, audit_events, monkeypatch):
    applicant, pid = world.submitted("lagoons")
    member = world.member("reader")
    world.assign(member, pid)
    world.score(member, pid, 2.0, submit=False)
    other_tab = store.connect(store.database_file(world.db))
    real = review.transaction
    state = {"done": False}

    @contextlib.contextmanager
    def between_read_and_write(db):
        if not state["done"]:                       # the other tab saves while this one is about to write
            state["done"] = True
            review.save_scores(other_tab, user=member, call_id=world.call_id, proposal_id=pid,
                               scores={"networks": (4.0, "Second tab.")})
        with real(db) as inner:
            yield inner

    monkeypatch.setattr(review, "transaction", between_read_and_write)
    review.save_scores(world.db, user=member, call_id=world.call_id, proposal_id=pid,
                       scores={"networks": (3.0, "First tab.")})
    saved = [e for e in audit_events(world.db, "score.saved") if e["target"].endswith("/networks")]
    assert [e["new"]["score"] for e in saved] == [2.0, 4.0, 3.0]
    assert saved[-1]["old"] == {"score": 4.0, "justification": "Second tab."}


def test_a_saved_proposal_keeps_the_old_and_new_text_of_every_section(world, audit_events):
    user = world.applicant("reefs")
    pid = world.draft(user, sections={"networks": "Ten partners.", "capacity": "Audited accounts."})
    world.draft(user, sections={"networks": "Twelve partners.", "capacity": "Audited accounts."})
    first, second = audit_events(world.db, "proposal.saved")[-2:]
    assert first["old"] is None and first["new"]["sections"]["networks"] == "Ten partners."
    assert second["old"]["sections"] == {"capacity": "Audited accounts.", "networks": "Ten partners."}
    assert second["new"]["sections"]["networks"] == "Twelve partners."
    assert second["new"]["statement"] == "We wish to host the centre." and second["target"] == f"proposal:{pid}"


def test_a_changed_weight_date_and_threshold_are_kept_old_and_new(unpublished, call_data, audit_events):
    data = call_data()
    data["criteria"][0]["weight"] = 40
    data["criteria"][1]["threshold"] = 2.5
    data["dates"]["advisory_meeting_on"] = "2026-07-08"
    calls.update_call(unpublished.db, user=unpublished.sec, call_id=unpublished.call_id, data=data)
    [event] = audit_events(unpublished.db, "call.updated")
    before = {c["id"]: c for c in event["old"]["criteria"]}
    after = {c["id"]: c for c in event["new"]["criteria"]}
    first, second = data["criteria"][0]["id"], data["criteria"][1]["id"]
    assert before[first]["weight"] != 40 and after[first]["weight"] == 40
    assert after[second]["threshold"] == 2.5
    assert event["old"]["dates"]["advisory_meeting_on"] == "2026-07-01"
    assert event["new"]["dates"]["advisory_meeting_on"] == "2026-07-08"
