"""The proposal's states (selection/states.py): who may move it, until when; its files follow it."""

from __future__ import annotations

import pytest

from selection import audit, queries
from selection.errors import Forbidden, Invalid
from selection.services import intake, screening
from selection.store import files_dir
from tests.pdf_samples import PDF, real_pdf

AFTER_DEADLINE = "2026-06-01"


def _status(w, pid) -> tuple[str, str | None]:
    p = w.proposal(pid)
    return p["status"], p["status_reason"]


def _files_on_disk(w) -> list[str]:
    folder = files_dir(w.db)
    return sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.exists() else []


# --------------------------------------------------------------------------- withdrawal


def test_the_applicant_cannot_withdraw_after_the_deadline(world, set_clock):
    user, pid = world.submitted("lakes")
    set_clock(AFTER_DEADLINE)
    with pytest.raises(Invalid) as e:
        intake.withdraw(world.db, user=user, call_id=world.call_id, reason="We changed our mind.")
    assert e.value.field == "call" and "secretariat" in e.value.message
    assert _status(world, pid) == ("submitted", None)


def test_after_the_deadline_the_secretariat_records_a_withdrawal_with_a_reason(world, set_clock):
    _, pid = world.submitted("lakes")
    set_clock(AFTER_DEADLINE)
    with pytest.raises(Invalid) as e:
        screening.set_status(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid, status="withdrawn")
    assert e.value.field == "reason"
    screening.set_status(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid, status="withdrawn",
                         reason="Letter of the director, 1 June.")
    assert _status(world, pid) == ("withdrawn", "Letter of the director, 1 June.")


@pytest.mark.parametrize("screened", ["ineligible", "eligible"])
def test_the_applicant_cannot_overwrite_the_secretariats_screening(world, screened):
    user, pid = world.submitted("lakes")
    screening.set_status(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid, status=screened,
                         reason="Not registered in a Party." if screened == "ineligible" else None)
    before = _status(world, pid)
    with pytest.raises(Invalid) as e:
        intake.withdraw(world.db, user=user, call_id=world.call_id, reason="We withdraw.")
    assert e.value.field == "proposal" and screened in e.value.message
    assert _status(world, pid) == before


def test_the_applicant_withdraws_a_draft_or_a_submission_before_the_deadline(world, audit_events):
    drafter = world.applicant("coast")
    draft = world.draft(drafter)
    intake.withdraw(world.db, user=drafter, call_id=world.call_id, reason="Not this year.")
    assert _status(world, draft) == ("withdrawn", "Not this year.")
    user, pid = world.submitted("lakes")
    intake.withdraw(world.db, user=user, call_id=world.call_id, reason="A partner left.")
    assert world.proposal(pid)["status"] == "withdrawn"
    last = audit_events(world.db, "proposal.withdrawn")[-1]
    assert (last["old"]["status"], last["new"]["status"], last["reason"]) == ("submitted", "withdrawn",
                                                                              "A partner left.")
    with pytest.raises(Invalid):  # withdrawn is final
        intake.withdraw(world.db, user=user, call_id=world.call_id, reason="Again.")
    with pytest.raises(Invalid):
        intake.submit(world.db, user=user, call_id=world.call_id)


def test_screening_is_not_changed_once_a_selection_rests_on_it(world):
    from selection.services import decision, meeting

    _, pid = world.submitted("lakes")
    world.eligible(pid)
    for c in world.CRITERIA:
        meeting.record_consensus(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid, criterion_id=c,
                                 score=4.0, note="Agreed.")
    decision.record_selection(world.db, user=world.sec, call_id=world.call_id, slot_id="africa", proposal_id=pid,
                              rationale="First.")
    with pytest.raises(Invalid) as e:
        screening.set_status(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid, status="ineligible",
                             reason="Second thoughts.")
    assert "cancel the selection" in e.value.message
    assert world.proposal(pid)["status"] == "eligible"
    with pytest.raises(Invalid) as e:
        meeting.record_consensus(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid,
                                 criterion_id="networks", score=1.0, note="Changed after the decision.")
    assert "cancel the selection" in e.value.message


# --------------------------------------------------------------------------- files follow the proposal


def test_no_file_is_added_to_a_screened_proposal(world):
    user, pid = world.submitted("lakes")
    world.eligible(pid)
    with pytest.raises(Invalid) as e:
        intake.add_attachment(world.db, user=user, call_id=world.call_id, filename="late.pdf", data=PDF)
    assert e.value.field == "proposal" and "eligible" in e.value.message
    assert world.db.execute("SELECT count(*) FROM attachments").fetchone()[0] == 0
    assert _files_on_disk(world) == []


def test_a_file_added_after_submission_is_covered_by_a_new_receipt(world, audit_events):
    user, pid = world.submitted("lakes")
    first = world.proposal(pid)["receipt"]
    intake.add_attachment(world.db, user=user, call_id=world.call_id, filename="letters.pdf", data=PDF)
    second = world.proposal(pid)["receipt"]
    assert second != first
    assert audit_events(world.db, "attachment.added")[0]["new"]["receipt"] == second
    # the receipt is that of the content with this very file: another file gives another receipt
    intake.add_attachment(world.db, user=user, call_id=world.call_id, filename="annex.pdf", data=real_pdf(2))
    assert world.proposal(pid)["receipt"] not in (first, second)
    # submitting again confirms the same receipt: it already covered every file
    assert intake.submit(world.db, user=user, call_id=world.call_id) == world.proposal(pid)["receipt"]


def test_the_applicant_removes_a_file_and_the_receipt_follows(world, audit_events):
    user, pid = world.submitted("lakes")
    before = world.proposal(pid)["receipt"]
    aid = intake.add_attachment(world.db, user=user, call_id=world.call_id, filename="letters.pdf", data=PDF)
    assert len(_files_on_disk(world)) == 1
    intake.remove_attachment(world.db, user=user, call_id=world.call_id, attachment_id=aid)
    assert intake.my_proposal(world.db, user=user, call_id=world.call_id)["attachments"] == []
    assert _files_on_disk(world) == []
    assert world.proposal(pid)["receipt"] == before  # the same content as before the file
    [event] = audit_events(world.db, "attachment.removed")
    assert event["old"]["filename"] == "letters.pdf" and event["new"]["receipt"] == before


def test_a_file_is_removed_only_by_its_owner_while_the_proposal_may_change(world, set_clock):
    user, pid = world.submitted("lakes")
    other, _ = world.submitted("coast")
    aid = intake.add_attachment(world.db, user=user, call_id=world.call_id, filename="letters.pdf", data=PDF)
    for who in (other, world.sec, None):
        with pytest.raises(Forbidden):
            intake.remove_attachment(world.db, user=who, call_id=world.call_id, attachment_id=aid)
    set_clock(AFTER_DEADLINE)
    with pytest.raises(Invalid) as e:
        intake.remove_attachment(world.db, user=user, call_id=world.call_id, attachment_id=aid)
    assert e.value.field == "call"
    assert len(_files_on_disk(world)) == 1
    assert intake.attachment_bytes(world.db, user=world.sec, call_id=world.call_id, attachment_id=aid)[1] == PDF


def test_no_file_is_removed_from_a_screened_proposal(world):
    user, pid = world.submitted("lakes")
    aid = intake.add_attachment(world.db, user=user, call_id=world.call_id, filename="letters.pdf", data=PDF)
    world.eligible(pid)
    with pytest.raises(Invalid):
        intake.remove_attachment(world.db, user=user, call_id=world.call_id, attachment_id=aid)
    assert world.db.execute("SELECT count(*) FROM attachments").fetchone()[0] == 1


# --------------------------------------------------------------------------- ids made from usernames


def test_a_username_that_matches_an_entity_of_the_call_gets_a_free_id(world):
    """An entity loaded from a bundle may already hold ``e-<username>``: the profile takes the next free id
    (today: sqlite3.IntegrityError on the profile page)."""
    from selection import accounts

    world.db["entities"].insert({"call_id": world.call_id, "id": "e-lakes", "position": 0, "name": "Loaded Lakes"})
    world.db["proposals"].insert({"call_id": world.call_id, "id": "p-lakes", "position": 0, "entity_id": "e-lakes",
                                  "status": "submitted"})
    user = accounts.register_applicant(world.db, username="lakes", display_name="Lakes staff",
                                       password=world.PASSWORD)
    entity = intake.save_profile(world.db, user=user, call_id=world.call_id,
                                 profile={"name": "Lakes Institute", "country": "KE"})
    assert entity == "e-lakes-2"
    pid = world.draft(user)
    assert pid == "p-lakes-2"
    assert queries.proposal_entities(world.db, world.call_id)["p-lakes"]["name"] == "Loaded Lakes"
    assert len(audit.events(world.db, action_prefix="entity.saved")) >= 1
