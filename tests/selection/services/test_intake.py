"""Applicants: organisation profile, draft, submission before the deadline, PDF attachments."""

from __future__ import annotations

import re

import pytest

from selection import accounts, queries
from selection import bundle as bundle_mod
from selection.errors import Forbidden, Invalid
from selection.models import Role
from selection.services import intake, review, screening
from selection.store import files_dir
from tests.pdf_samples import PDF, pdf_of_size

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _entities(world) -> list[dict]:
    return list(world.db.query("SELECT * FROM entities WHERE call_id = ?", [world.call_id]))


# --------------------------------------------------------------------------- profile


def test_profile_is_saved_with_the_country_code_in_capitals(world, audit_events):
    user = world.applicant("lakes", country="ke")
    [entity] = _entities(world)
    assert entity["country"] == "KE"
    assert entity["name"] == "Institute lakes"
    assert entity["account_id"] == user.id
    assert audit_events(world.db, "entity.saved")[-1]["actor"] == "applicant:lakes"


def test_saving_the_profile_again_updates_the_same_organisation(world):
    user = world.applicant("lakes")
    eid = intake.save_profile(world.db, user=user, call_id=world.call_id,
                              profile={"name": "Lakes Institute", "country": "UG", "acronym": "LI"})
    [entity] = _entities(world)
    assert entity["id"] == eid
    assert (entity["name"], entity["country"], entity["acronym"]) == ("Lakes Institute", "UG", "LI")


@pytest.mark.parametrize(
    ("profile", "field"),
    [
        ({"name": "Lakes Institute", "country": "Kenya"}, "country"),
        ({"name": "Lakes Institute", "country": "K1"}, "country"),
        ({"name": "Lakes Institute", "country": "KEN"}, "country"),
        ({"name": "", "country": "KE"}, "name"),
        ({"name": "Lakes Institute", "contact_email": "not an address"}, "contact_email"),
    ],
    ids=["country-name", "country-digit", "country-alpha3", "no-name", "bad-email"],
)
def test_invalid_profile_is_refused_naming_the_field(world, profile, field):
    from selection import accounts

    user = accounts.register_applicant(world.db, username="lakes", display_name="Lakes", password=world.PASSWORD)
    with pytest.raises(Invalid) as e:
        intake.save_profile(world.db, user=user, call_id=world.call_id, profile=profile)
    assert e.value.field == field
    assert _entities(world) == []


def test_only_applicants_keep_a_profile(world):
    member = world.member("amina")
    with pytest.raises(Forbidden):
        intake.save_profile(world.db, user=member, call_id=world.call_id, profile={"name": "X", "country": "KE"})
    with pytest.raises(Forbidden):
        intake.save_profile(world.db, user=world.sec, call_id=world.call_id, profile={"name": "X", "country": "KE"})
    assert _entities(world) == []


# --------------------------------------------------------------------------- draft


def test_draft_is_saved_with_slots_and_sections(world):
    user = world.applicant("lakes")
    pid = world.draft(user, slots=["africa", "global"], sections={"networks": "  Our networks.  "})
    p = intake.my_proposal(world.db, user=user, call_id=world.call_id)
    assert p["id"] == pid
    assert p["status"] == "draft"
    assert p["slots"] == ["africa", "global"]
    assert p["sections"] == {"networks": "Our networks."}
    assert p["statement"] == "We wish to host the centre."
    assert p["receipt"] is None and p["submitted_at"] is None


def test_saving_a_draft_again_replaces_it(world):
    user = world.applicant("lakes")
    pid = world.draft(user, slots=["africa", "global"])
    assert world.draft(user, slots=["global"], sections={"capacity": "Forty staff."}) == pid
    p = intake.my_proposal(world.db, user=user, call_id=world.call_id)
    assert p["slots"] == ["global"]
    assert p["sections"] == {"capacity": "Forty staff."}
    assert world.db.execute("SELECT count(*) FROM proposals").fetchone()[0] == 1


def test_draft_needs_the_profile_first(world):
    from selection import accounts

    user = accounts.register_applicant(world.db, username="lakes", display_name="Lakes", password=world.PASSWORD)
    with pytest.raises(Invalid) as e:
        world.draft(user)
    assert e.value.field == "organisation"


def test_draft_for_an_unknown_slot_is_refused(world):
    user = world.applicant("lakes")
    with pytest.raises(Invalid) as e:
        world.draft(user, slots=["europe"])
    assert e.value.field == "slots"
    assert intake.my_proposal(world.db, user=user, call_id=world.call_id) is None


def test_draft_with_a_section_for_an_unknown_criterion_is_refused(world):
    user = world.applicant("lakes")
    with pytest.raises(Invalid) as e:
        world.draft(user, sections={"budget": "A lot."})
    assert e.value.field == "sections.budget"


def test_only_applicants_write_proposals(world):
    with pytest.raises(Forbidden):
        world.draft(world.sec)


# --------------------------------------------------------------------------- submit


def test_submit_returns_a_receipt_and_marks_the_proposal_submitted(world, audit_events):
    user = world.applicant("lakes")
    pid = world.draft(user)
    receipt = intake.submit(world.db, user=user, call_id=world.call_id)
    assert re.fullmatch(r"[0-9A-F]{16}", receipt)
    p = world.proposal(pid)
    assert p["status"] == "submitted"
    assert p["receipt"] == receipt
    assert p["submitted_at"].startswith("2026-03-02T09:00")
    [event] = audit_events(world.db, "proposal.submitted")
    assert event["old"] == {"status": "draft"}
    assert event["new"] == {"status": "submitted", "receipt": receipt}


def test_receipt_follows_the_content(world):
    user = world.applicant("lakes")
    world.draft(user)
    first = intake.submit(world.db, user=user, call_id=world.call_id)
    assert intake.submit(world.db, user=user, call_id=world.call_id) == first
    world.draft(user, statement="We wish to host the centre, with two partners.")
    assert intake.submit(world.db, user=user, call_id=world.call_id) != first


def test_submit_needs_the_statement(world):
    user = world.applicant("lakes")
    pid = world.draft(user, statement="   ")
    with pytest.raises(Invalid) as e:
        intake.submit(world.db, user=user, call_id=world.call_id)
    assert e.value.field == "statement"
    assert world.proposal(pid)["status"] == "draft"


@pytest.mark.parametrize("missing", ["networks", "capacity"])
def test_submit_needs_every_criterion_section(world, missing):
    user = world.applicant("lakes")
    sections = {**world.SECTIONS, missing: "   "}
    pid = world.draft(user, sections=sections)
    with pytest.raises(Invalid) as e:
        intake.submit(world.db, user=user, call_id=world.call_id)
    assert e.value.field == f"sections.{missing}"
    assert world.proposal(pid)["status"] == "draft"


def test_submit_needs_a_slot(world):
    user = world.applicant("lakes")
    world.draft(user, slots=[])
    with pytest.raises(Invalid) as e:
        intake.submit(world.db, user=user, call_id=world.call_id)
    assert e.value.field == "slots"


def test_submit_without_a_proposal_is_refused(world):
    user = world.applicant("lakes")
    with pytest.raises(Invalid) as e:
        intake.submit(world.db, user=user, call_id=world.call_id)
    assert e.value.field == "proposal"


def test_submit_on_the_deadline_day_is_accepted(world, set_clock):
    user = world.applicant("lakes")
    pid = world.draft(user)
    set_clock("2026-05-31T23:30")
    intake.submit(world.db, user=user, call_id=world.call_id)
    assert world.proposal(pid)["status"] == "submitted"


def test_submit_after_the_deadline_is_refused(world, set_clock):
    user = world.applicant("lakes")
    pid = world.draft(user)
    set_clock("2026-06-01T00:05")
    with pytest.raises(Invalid) as e:
        intake.submit(world.db, user=user, call_id=world.call_id)
    assert e.value.field == "call"
    assert "31 May 2026" in e.value.message
    assert world.proposal(pid)["status"] == "draft"
    # nor can the draft be changed any more
    with pytest.raises(Invalid):
        world.draft(user, statement="Late change")
    assert world.proposal(pid)["statement"] == "We wish to host the centre."


def test_nothing_is_written_or_submitted_before_publication(unpublished):
    user = accounts.register_applicant(unpublished.db, username="lakes", display_name="Lakes",
                                       password=unpublished.PASSWORD)
    with pytest.raises(Invalid) as e:
        intake.save_profile(unpublished.db, user=user, call_id=unpublished.call_id, profile={"name": "Lakes"})
    assert e.value.field == "call"
    with pytest.raises(Invalid) as e:
        unpublished.draft(user)
    assert e.value.field == "call"
    with pytest.raises(Invalid) as e:
        intake.submit(unpublished.db, user=user, call_id=unpublished.call_id)
    assert e.value.field == "call"
    assert unpublished.db.execute("SELECT count(*) FROM proposals").fetchone()[0] == 0


def test_a_screened_proposal_can_no_longer_be_changed(world):
    user, pid = world.submitted("lakes")
    screening.set_status(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid, status="eligible")
    with pytest.raises(Invalid) as e:
        world.draft(user, statement="Changed after screening")
    assert e.value.field == "proposal"
    with pytest.raises(Invalid):
        intake.submit(world.db, user=user, call_id=world.call_id)
    assert world.proposal(pid)["status"] == "eligible"


# --------------------------------------------------------------------------- drafts stay private


def test_drafts_are_neither_ranked_nor_listed_nor_exported(world):
    _, sent = world.submitted("lakes")
    draft_user = world.applicant("coast", country="TZ")
    draft = world.draft(draft_user)

    inputs = queries.ranking_inputs(world.db, world.call["reference"])
    assert inputs.proposals["proposal"].tolist() == [sent]
    africa = world.slot_ranking("africa")
    assert africa["ranking"] == []
    assert africa["unranked"] == [{"proposal": sent, "reason": "insufficient_reviews"}]
    assert queries.proposals_overview(world.db, world.call_id)["Proposal"].tolist() == [sent]
    exported = bundle_mod.export(world.db, world.call["reference"])
    assert [p.id for p in exported.proposals] == [sent]
    assert world.proposal(draft)["status"] == "draft"


def test_a_draft_cannot_be_assigned_for_review(world):
    user = world.applicant("coast")
    draft = world.draft(user)
    member = world.member("amina")
    with pytest.raises(Invalid) as e:
        review.assign(world.db, user=world.sec, call_id=world.call_id, proposal_id=draft, member_id=member.id)
    assert e.value.field == "proposal"


# --------------------------------------------------------------------------- withdraw


def test_withdraw_needs_a_reason_and_takes_the_proposal_out_of_the_ranking(world):
    user, pid = world.submitted("lakes")
    with pytest.raises(Invalid) as e:
        intake.withdraw(world.db, user=user, call_id=world.call_id, reason=" ")
    assert e.value.field == "reason"
    assert world.proposal(pid)["status"] == "submitted"
    intake.withdraw(world.db, user=user, call_id=world.call_id, reason="Our board decided not to apply.")
    assert world.proposal(pid)["status"] == "withdrawn"
    assert world.slot_ranking()["unranked"] == [{"proposal": pid, "reason": "withdrawn"}]


# --------------------------------------------------------------------------- attachments


def _stored_files(world) -> list:
    folder = files_dir(world.db)
    return sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.exists() else []


def test_attachment_is_kept_under_a_generated_name(world, tmp_path):
    user = world.applicant("lakes")
    world.draft(user)
    aid = intake.add_attachment(world.db, user=user, call_id=world.call_id, filename="../../etc/passwd.pdf", data=PDF)

    row = next(world.db.query("SELECT * FROM attachments WHERE id = ?", [aid]))
    assert row["filename"] == "passwd.pdf"  # shown to people, never used as a path
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", row["stored_name"])
    assert row["size"] == len(PDF)
    assert _stored_files(world) == [row["stored_name"]]
    assert (files_dir(world.db) / row["stored_name"]).read_bytes() == PDF
    # the typed name reached no place on disk
    assert not any(p.name == "passwd.pdf" for p in tmp_path.rglob("*"))
    assert not (tmp_path / "etc").exists() and not (files_dir(world.db).parent.parent / "etc").exists()
    p = intake.my_proposal(world.db, user=user, call_id=world.call_id)
    assert [a["filename"] for a in p["attachments"]] == ["passwd.pdf"]


def test_windows_style_typed_name_is_reduced_to_its_last_part(world):
    user = world.applicant("lakes")
    world.draft(user)
    aid = intake.add_attachment(world.db, user=user, call_id=world.call_id,
                                filename="..\\..\\Windows\\letter of support.pdf", data=PDF)
    assert next(world.db.query("SELECT filename FROM attachments WHERE id = ?", [aid]))["filename"] == \
        "letter of support.pdf"


def test_a_file_that_is_not_a_pdf_is_refused_even_when_named_pdf(world):
    user = world.applicant("lakes")
    world.draft(user)
    with pytest.raises(Invalid) as e:
        intake.add_attachment(world.db, user=user, call_id=world.call_id, filename="scan.pdf", data=PNG)
    assert e.value.field == "attachment"
    assert "PDF" in e.value.message
    assert world.db.execute("SELECT count(*) FROM attachments").fetchone()[0] == 0
    assert _stored_files(world) == []


def test_a_file_over_10_mb_is_refused(world):
    user = world.applicant("lakes")
    world.draft(user)
    big = pdf_of_size(10 * 1024 * 1024 + 1)
    with pytest.raises(Invalid) as e:
        intake.add_attachment(world.db, user=user, call_id=world.call_id, filename="annex.pdf", data=big)
    assert e.value.field == "attachment"
    assert "10 MB" in e.value.message
    assert _stored_files(world) == []
    # exactly 10 MB is fine
    intake.add_attachment(world.db, user=user, call_id=world.call_id, filename="annex.pdf",
                          data=pdf_of_size(10 * 1024 * 1024))
    assert len(_stored_files(world)) == 1


def test_attachment_needs_a_saved_proposal(world):
    user = world.applicant("lakes")
    with pytest.raises(Invalid) as e:
        intake.add_attachment(world.db, user=user, call_id=world.call_id, filename="a.pdf", data=PDF)
    assert e.value.field == "attachment"


def test_attachment_after_the_deadline_is_refused(world, set_clock):
    user = world.applicant("lakes")
    world.draft(user)
    set_clock("2026-06-02")
    with pytest.raises(Invalid):
        intake.add_attachment(world.db, user=user, call_id=world.call_id, filename="a.pdf", data=PDF)
    assert _stored_files(world) == []


def test_file_is_read_back_by_its_owner_the_secretariat_and_an_assigned_member(world):
    user, pid = world.submitted("lakes")
    aid = intake.add_attachment(world.db, user=user, call_id=world.call_id, filename="letters.pdf", data=PDF)
    member = world.member("amina")
    world.assign(member, pid, declare=None)
    for reader in (user, world.sec, member):
        assert intake.attachment_bytes(world.db, user=reader, call_id=world.call_id, attachment_id=aid) == \
            ("letters.pdf", PDF)


def test_file_is_refused_to_another_applicant_an_unassigned_member_and_the_bureau(world):
    user, _ = world.submitted("lakes")
    aid = intake.add_attachment(world.db, user=user, call_id=world.call_id, filename="letters.pdf", data=PDF)
    rival, _ = world.submitted("coast", country="TZ")
    for reader in (rival, world.member("amina"), world.invited("bureau1", Role.BUREAU), None):
        with pytest.raises(Forbidden):
            intake.attachment_bytes(world.db, user=reader, call_id=world.call_id, attachment_id=aid)


def test_unknown_file_id_is_refused(world):
    with pytest.raises(Invalid):
        intake.attachment_bytes(world.db, user=world.sec, call_id=world.call_id, attachment_id=12345)


def test_changing_a_submitted_proposal_keeps_it_complete_and_renews_the_receipt(world):
    user, pid = world.submitted("lakes")
    first = world.proposal(pid)["receipt"]
    with pytest.raises(Invalid) as e:
        world.draft(user, sections={**world.SECTIONS, "capacity": "  "})
    assert e.value.field == "sections.capacity"
    assert world.proposal(pid)["receipt"] == first
    assert "capacity" in intake.my_proposal(world.db, user=user, call_id=world.call_id)["sections"]
    world.draft(user, statement="We wish to host the centre, with two partners.")
    after = world.proposal(pid)
    assert after["status"] == "submitted" and after["receipt"] != first


def test_the_profile_is_frozen_after_the_deadline(world, set_clock):
    user = world.applicant("lakes")
    set_clock("2026-06-01")
    with pytest.raises(Invalid) as e:
        intake.save_profile(world.db, user=user, call_id=world.call_id, profile={"name": "Renamed"})
    assert "deadline" in e.value.message
    assert world.db.execute("SELECT name FROM entities").fetchone()[0] == "Institute lakes"
