"""Step 1: the secretariat creates, edits and publishes a call."""

from __future__ import annotations

import json

import pytest

from selection.errors import Forbidden, Invalid
from selection.models import Role
from selection.permissions import User
from selection.services import calls


def _rows(db, sql, params=()):
    return list(db.query(sql, list(params)))


# --------------------------------------------------------------------------- create


def test_create_call_stores_slots_criteria_and_default_guidance(db, secretariat, call_data, audit_events):
    call_id = calls.create_call(db, user=secretariat, data=call_data())

    call = _rows(db, "SELECT * FROM calls WHERE id = ?", [call_id])[0]
    assert call["reference"] == "TSC-2026-01"
    assert call["submission_deadline"] == "2026-05-31"
    assert call["secretariat_name"] == "Secretariat of the Convention"
    assert call["published_at"] is None
    slots = _rows(db, "SELECT id, level, region FROM slots WHERE call_id = ? ORDER BY position", [call_id])
    assert slots == [{"id": "global", "level": "global", "region": None},
                     {"id": "africa", "level": "regional", "region": "Africa"}]
    criteria = _rows(db, "SELECT * FROM criteria WHERE call_id = ? ORDER BY position", [call_id])
    assert [c["id"] for c in criteria] == ["networks", "expertise", "tsc_experience", "capacity"]
    assert [c["priority"] for c in criteria] == [1, 2, 3, 4]
    assert all(c["weight"] == 25 for c in criteria)
    # applicants read the guidance beside each section; reviewers read the anchored scale
    assert all(c["applicant_guidance"] and c["reviewer_guidance"] for c in criteria)
    assert set(json.loads(criteria[0]["anchors"])) == {"0", "1", "2", "3", "4", "5"}

    created = audit_events(db, "call.created")
    assert len(created) == 1
    assert created[0]["actor"] == "secretariat:sec"
    assert created[0]["call_reference"] == "TSC-2026-01"
    assert created[0]["new"]["title"] == call_data()["title"]


def test_guidance_typed_by_the_secretariat_replaces_the_default(db, secretariat, call_data):
    data = call_data()
    data["criteria"][1]["applicant_guidance"] = "Name your three strongest research programmes."
    call_id = calls.create_call(db, user=secretariat, data=data)
    row = _rows(db, "SELECT applicant_guidance FROM criteria WHERE call_id = ? AND id = 'expertise'", [call_id])[0]
    assert row["applicant_guidance"] == "Name your three strongest research programmes."


def test_a_reference_is_used_once(db, secretariat, call_data):
    calls.create_call(db, user=secretariat, data=call_data())
    with pytest.raises(Invalid) as e:
        calls.create_call(db, user=secretariat, data=call_data(title="Another"))
    assert e.value.field == "reference"
    assert db.execute("SELECT count(*) FROM calls").fetchone()[0] == 1


def _dup_priority(d):
    d["criteria"][3]["priority"] = 1


def _weight_zero(d):
    d["criteria"][0]["weight"] = 0


def _weight_negative(d):
    d["criteria"][2]["weight"] = -5


def _threshold_above_scale(d):
    d["criteria"][0]["threshold"] = 6


def _threshold_below_scale(d):
    d["criteria"][1]["threshold"] = -1


def _no_slots(d):
    d["slots"] = []


def _no_criteria(d):
    d["criteria"] = []


def _dup_slot(d):
    d["slots"][1]["id"] = "global"


def _bad_level(d):
    d["slots"][0]["level"] = "national"


def _scale_off_step(d):
    d["scale"] = {"min": 0, "max": 5, "step": 2}


def _bad_date(d):
    d["dates"]["submission_deadline"] = "31/05/2026"


def _no_title(d):
    d["title"] = ""


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (_dup_priority, "criteria[3].priority"),
        (_weight_zero, "criteria[0].weight"),
        (_weight_negative, "criteria[2].weight"),
        (_threshold_above_scale, "criteria[0].threshold"),
        (_threshold_below_scale, "criteria[1].threshold"),
        (_no_slots, "slots"),
        (_no_criteria, "criteria"),
        (_dup_slot, "slots[1].id"),
        (_bad_level, "slots[0].level"),
        (_scale_off_step, "scale"),
        (_bad_date, "dates.submission_deadline"),
        (_no_title, "title"),
    ],
    ids=lambda v: getattr(v, "__name__", v).strip("_") if callable(v) else None,
)
def test_invalid_call_is_refused_naming_the_field_and_nothing_is_stored(db, secretariat, call_data, mutate, field):
    data = call_data()
    mutate(data)
    with pytest.raises(Invalid) as e:
        calls.create_call(db, user=secretariat, data=data)
    assert e.value.field == field
    assert e.value.message
    assert db.execute("SELECT count(*) FROM calls").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM audit WHERE action LIKE 'call.%'").fetchone()[0] == 0


def test_duplicate_priority_message_names_the_other_criterion(db, secretariat, call_data):
    data = call_data()
    _dup_priority(data)
    with pytest.raises(Invalid) as e:
        calls.create_call(db, user=secretariat, data=data)
    assert e.value.message == "the same as criterion 1"


# --------------------------------------------------------------------------- update


def test_update_changes_the_call_and_keeps_the_old_values_in_the_audit(unpublished, call_data, audit_events):
    db, sec, cid = unpublished.db, unpublished.sec, unpublished.call_id
    data = call_data(title="Hosts of the TSC centres (revised)", min_reviews=2)
    data["criteria"][0]["weight"] = 40
    calls.update_call(db, user=sec, call_id=cid, data=data)

    call = unpublished.call
    assert call["title"] == "Hosts of the TSC centres (revised)"
    assert call["min_reviews"] == 2
    assert _rows(db, "SELECT weight FROM criteria WHERE call_id = ? AND id = 'networks'", [cid])[0]["weight"] == 40
    updated = audit_events(db, "call.updated")
    assert len(updated) == 1
    assert updated[0]["old"]["title"] == "Hosts of the technical and scientific cooperation centres"
    assert updated[0]["new"]["title"] == "Hosts of the TSC centres (revised)"


def test_update_can_swap_priorities(unpublished, call_data):
    db, cid = unpublished.db, unpublished.call_id
    data = call_data()
    data["criteria"][0]["priority"], data["criteria"][1]["priority"] = 2, 1
    calls.update_call(db, user=unpublished.sec, call_id=cid, data=data)
    got = {r["id"]: r["priority"] for r in _rows(db, "SELECT id, priority FROM criteria WHERE call_id = ?", [cid])}
    assert got == {"networks": 2, "expertise": 1, "tsc_experience": 3, "capacity": 4}


def test_form_data_of_a_stored_call_saves_back_unchanged(unpublished):
    db, cid = unpublished.db, unpublished.call_id
    before = calls.call_form_data(db, cid)
    calls.update_call(db, user=unpublished.sec, call_id=cid, data=before)
    assert calls.call_form_data(db, cid) == before
    assert before["slots"][1] == {"id": "africa", "name": "Regional support centre - Africa", "level": "regional",
                                  "region": "Africa"}


def test_update_cannot_take_another_calls_reference(unpublished, call_data):
    db, sec = unpublished.db, unpublished.sec
    calls.create_call(db, user=sec, data=call_data(reference="TSC-2026-02"))
    with pytest.raises(Invalid) as e:
        calls.update_call(db, user=sec, call_id=unpublished.call_id, data=call_data(reference="TSC-2026-02"))
    assert e.value.field == "reference"
    assert unpublished.call["reference"] == "TSC-2026-01"


def test_invalid_update_changes_nothing(unpublished, call_data):
    db, cid = unpublished.db, unpublished.call_id
    before = calls.call_form_data(db, cid)
    data = call_data(title="Changed")
    _weight_zero(data)
    with pytest.raises(Invalid) as e:
        calls.update_call(db, user=unpublished.sec, call_id=cid, data=data)
    assert e.value.field == "criteria[0].weight"
    assert calls.call_form_data(db, cid) == before


def test_a_slot_without_proposals_can_be_removed(world, call_data):
    world.submitted("lakes", slots=["africa"])
    data = call_data()
    data["slots"] = [s for s in data["slots"] if s["id"] != "global"]
    calls.update_call(world.db, user=world.sec, call_id=world.call_id, data=data)
    assert [r[0] for r in world.db.execute("SELECT id FROM slots WHERE call_id = ?", [world.call_id])] == ["africa"]


def test_a_slot_with_proposals_cannot_be_removed(world, call_data):
    world.submitted("lakes", slots=["africa"])
    data = call_data()
    data["slots"] = [s for s in data["slots"] if s["id"] != "africa"]
    with pytest.raises(Invalid) as e:
        calls.update_call(world.db, user=world.sec, call_id=world.call_id, data=data)
    assert e.value.field == "slots"
    assert "Regional support centre - Africa" in e.value.message
    slots = [r[0] for r in world.db.execute("SELECT id FROM slots WHERE call_id = ? ORDER BY position", [world.call_id])]
    assert slots == ["global", "africa"]


def test_a_criterion_with_proposal_sections_cannot_be_removed(world, call_data):
    world.submitted("lakes")
    data = call_data()
    data["criteria"] = data["criteria"][:3]
    with pytest.raises(Invalid) as e:
        calls.update_call(world.db, user=world.sec, call_id=world.call_id, data=data)
    assert e.value.field == "criteria"
    assert world.db.execute("SELECT count(*) FROM criteria WHERE call_id = ?", [world.call_id]).fetchone()[0] == 4


# --------------------------------------------------------------------------- publish


def test_publish_opens_the_call_and_records_the_notification_date(unpublished, audit_events):
    db = unpublished.db
    calls.publish_call(db, user=unpublished.sec, call_id=unpublished.call_id)
    call = unpublished.call
    assert call["published_at"].startswith("2026-03-02T09:00")
    assert call["notified_on"] == "2026-03-02"
    assert [e["action"] for e in audit_events(db, "call.published")] == ["call.published"]


def test_publish_keeps_a_notification_date_set_by_the_secretariat(db, secretariat, call_data):
    data = call_data()
    data["dates"]["notified_on"] = "2026-02-20"
    cid = calls.create_call(db, user=secretariat, data=data)
    calls.publish_call(db, user=secretariat, call_id=cid)
    assert _rows(db, "SELECT notified_on FROM calls WHERE id = ?", [cid])[0]["notified_on"] == "2026-02-20"


def test_publish_needs_a_submission_deadline(db, secretariat, call_data):
    data = call_data()
    data["dates"] = {"inquiry_deadline": "2026-04-15"}
    cid = calls.create_call(db, user=secretariat, data=data)
    with pytest.raises(Invalid) as e:
        calls.publish_call(db, user=secretariat, call_id=cid)
    assert e.value.field == "submission_deadline"
    assert _rows(db, "SELECT published_at FROM calls WHERE id = ?", [cid])[0]["published_at"] is None


def test_publish_an_unknown_call_is_refused(db, secretariat):
    with pytest.raises(Invalid) as e:
        calls.publish_call(db, user=secretariat, call_id=404)
    assert e.value.field == "call"


# --------------------------------------------------------------------------- who may


OTHERS = [
    User(id=900, username="m", display_name="Member", role=Role.MEMBER),
    User(id=901, username="b", display_name="Bureau", role=Role.BUREAU),
    User(id=902, username="a", display_name="Applicant", role=Role.APPLICANT),
    None,
]


@pytest.mark.parametrize("user", OTHERS, ids=["member", "bureau", "applicant", "nobody"])
def test_only_the_secretariat_creates_a_call(db, call_data, user):
    with pytest.raises(Forbidden):
        calls.create_call(db, user=user, data=call_data())
    assert db.execute("SELECT count(*) FROM calls").fetchone()[0] == 0


@pytest.mark.parametrize("user", OTHERS, ids=["member", "bureau", "applicant", "nobody"])
def test_only_the_secretariat_edits_and_publishes(unpublished, call_data, user):
    db, cid = unpublished.db, unpublished.call_id
    with pytest.raises(Forbidden):
        calls.update_call(db, user=user, call_id=cid, data=call_data(title="Hijacked"))
    with pytest.raises(Forbidden):
        calls.publish_call(db, user=user, call_id=cid)
    call = unpublished.call
    assert call["title"] != "Hijacked"
    assert call["published_at"] is None


def test_a_call_may_ask_for_anonymous_members(db, secretariat, call_data):
    call_id = calls.create_call(db, user=secretariat, data=call_data(anonymous_conflicts=True))
    assert db.execute("SELECT anonymous_conflicts FROM calls WHERE id = ?", [call_id]).fetchone()[0] == 1
    assert calls.call_form_data(db, call_id)["anonymous_conflicts"] is True
    calls.update_call(db, user=secretariat, call_id=call_id, data=call_data(anonymous_conflicts=False))
    assert db.execute("SELECT anonymous_conflicts FROM calls WHERE id = ?", [call_id]).fetchone()[0] == 0


# --------------------------------------------------------------------------- the form's rules


def test_dates_out_of_order_are_refused_naming_the_pair(db, secretariat, call_data):
    data = call_data()
    data["dates"] = {"notified_on": "2026-03-01", "inquiry_deadline": "2026-06-15", "submission_deadline": "2026-05-31",
                     "advisory_meeting_on": "2026-07-01"}
    with pytest.raises(Invalid) as e:
        calls.create_call(db, user=secretariat, data=data)
    assert e.value.field == "dates.submission_deadline"
    assert e.value.message.startswith("Proposals until (31 May 2026) comes before Questions until (15 June 2026)")
    assert db.execute("SELECT count(*) FROM calls").fetchone()[0] == 0


def test_a_date_is_compared_with_every_earlier_step_and_unset_dates_are_skipped(db, secretariat, call_data):
    data = call_data()
    data["dates"] = {"notified_on": "2026-03-10", "inquiry_deadline": None, "submission_deadline": "2026-03-05",
                     "advisory_meeting_on": "2026-03-07", "decided_on": "2026-03-20"}
    with pytest.raises(Invalid) as e:
        calls.create_call(db, user=secretariat, data=data)
    assert [f for f, _ in e.value.problems] == ["dates.submission_deadline", "dates.advisory_meeting_on"]
    assert all("Notification (10 March 2026)" in m for _, m in e.value.problems)


def test_equal_dates_are_in_order(db, secretariat, call_data):
    data = call_data()
    data["dates"] = {k: "2026-05-31" for k in calls.DATE_FIELDS}
    assert calls.create_call(db, user=secretariat, data=data)


def test_every_problem_is_listed_at_once_in_the_words_of_a_form(db, secretariat, call_data):
    data = call_data(title="")
    data["criteria"][0]["weight"] = 0
    data["criteria"][3]["priority"] = 1
    data["slots"][1]["name"] = ""
    data["dates"]["advisory_meeting_on"] = "2026-05-01"
    with pytest.raises(Invalid) as e:
        calls.create_call(db, user=secretariat, data=data)
    problems = dict(e.value.problems)
    assert set(problems) == {"title", "criteria[0].weight", "slots[1].name", "dates.advisory_meeting_on"}
    assert problems["title"] == problems["slots[1].name"] == "this cannot be left empty"
    assert problems["criteria[0].weight"] == "must be more than 0"
    assert not any("Input should" in m or "String should" in m for m in problems.values())
    assert (e.value.field, e.value.message) == e.value.problems[0]


def test_a_slot_or_criterion_typed_without_a_short_code_gets_one_from_its_name(db, secretariat, call_data):
    data = call_data()
    data["slots"].append({"id": "", "name": "Subregional centre - Pacific Islands", "level": "subregional"})
    data["criteria"].append({"id": None, "name": "Gender balance", "weight": 10, "priority": 5,
                             "applicant_guidance": "Say who leads."})
    cid = calls.create_call(db, user=secretariat, data=data)
    form = calls.call_form_data(db, cid)
    assert form["slots"][-1]["id"] == "subregional-centre-pacific-islands"
    assert form["criteria"][-1]["id"] == "gender-balance"
    assert form["criteria"][-1]["applicant_guidance"] == "Say who leads."


def test_the_anchored_scale_typed_by_the_secretariat_is_kept(db, secretariat, call_data):
    data = call_data()
    data["criteria"][0]["anchors"] = {0: "Nothing shown.", 5: "A hub of the region.", 3: "  "}
    cid = calls.create_call(db, user=secretariat, data=data)
    assert calls.call_form_data(db, cid)["criteria"][0]["anchors"] == {0: "Nothing shown.", 5: "A hub of the region."}
    assert len(calls.call_form_data(db, cid)["criteria"][1]["anchors"]) == 6  # the default scale's words


def test_the_notification_text_is_kept_with_the_call(db, secretariat, call_data):
    cid = calls.create_call(db, user=secretariat, data=call_data(notification_text="The secretariat invites..."))
    assert calls.call_form_data(db, cid)["notification_text"] == "The secretariat invites..."


# --------------------------------------------------------------------------- amend a published call


def test_amending_a_published_call_tells_every_applicant(world, call_data, audit_events):
    db = world.db
    world.applicant("lakes")
    world.applicant("coast")
    data = call_data()
    data["dates"]["submission_deadline"] = "2026-06-15"
    kept = calls.amend_call(db, user=world.sec, call_id=world.call_id, data=data,
                            notice="The deadline for proposals moves to 15 June 2026.")
    assert world.call["submission_deadline"] == "2026-06-15"
    assert sorted(m["to_name"] for m in kept) == ["coast staff", "lakes staff"]
    assert all("The deadline for proposals moves to 15 June 2026." in m["body"] for m in kept)
    assert [a["notice"] for a in db.query("SELECT notice FROM call_amendments")] == [
        "The deadline for proposals moves to 15 June 2026."]
    assert [e["new"]["notice"] for e in audit_events(db, "call.amended")] == [
        "The deadline for proposals moves to 15 June 2026."]


def test_an_amendment_needs_a_notice_and_changes_nothing_without_it(world, call_data):
    data = call_data(title="Changed title")
    with pytest.raises(Invalid) as e:
        calls.amend_call(world.db, user=world.sec, call_id=world.call_id, data=data, notice="  ")
    assert e.value.field == "notice"
    assert world.call["title"] == call_data()["title"]
    assert world.db.execute("SELECT count(*) FROM messages").fetchone()[0] == 0


def test_an_invalid_amendment_stores_no_notice(world, call_data):
    data = call_data()
    data["dates"]["advisory_meeting_on"] = "2026-01-01"
    with pytest.raises(Invalid):
        calls.amend_call(world.db, user=world.sec, call_id=world.call_id, data=data, notice="New meeting date.")
    assert world.db.execute("SELECT count(*) FROM call_amendments").fetchone()[0] == 0
    assert world.db.execute("SELECT count(*) FROM messages").fetchone()[0] == 0


def test_a_draft_is_saved_not_amended(unpublished, call_data):
    with pytest.raises(Invalid) as e:
        calls.amend_call(unpublished.db, user=unpublished.sec, call_id=unpublished.call_id, data=call_data(),
                         notice="Anything")
    assert e.value.field == "call"


# --------------------------------------------------------------------------- the public view in several languages


def test_the_public_view_lists_who_may_apply_and_reads_in_the_reader_s_language(db, secretariat, call_data):
    from selection import content
    from selection.services import eligibility

    call_id = calls.create_call(db, user=secretariat, data=call_data())
    eligibility.save_conditions(db, user=secretariat, call_id=call_id,
                                items=[{"id": None, "text": "The institution is established in a Party"}])
    slot = _rows(db, "SELECT id, name FROM slots WHERE call_id = ? ORDER BY position", [call_id])[0]
    criterion = _rows(db, "SELECT id, name FROM criteria WHERE call_id = ? ORDER BY position", [call_id])[0]
    content.set_texts(db, user=secretariat, call_id=call_id, lang="fr",
                      texts={("call", "", "title"): "Appel aux institutions hôtes",
                             ("slot", slot["id"], "name"): "Entité de coordination mondiale",
                             ("criterion", criterion["id"], "name"): "Réseaux et partenariats"})
    english = calls.public_view(db, call_id, preview=True)
    assert english["conditions"] == ["The institution is established in a Party"]
    assert english["original"] is None and english["slots"][0]["name"] == slot["name"]
    french = calls.public_view(db, call_id, preview=True, lang="fr")
    assert french["title"] == "Appel aux institutions hôtes"
    assert french["slots"][0]["name"] == "Entité de coordination mondiale"
    assert french["criteria"][0]["name"] == "Réseaux et partenariats"
    assert french["original"] == "anglais"  # the other slots and criteria are read as written
    assert french["criteria"][1]["name"] == english["criteria"][1]["name"]
