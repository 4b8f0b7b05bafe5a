"""The secretariat's proposals page: filters, one picker, bulk screening against the checklist, bulk assignment,
and unscreened proposals marked wherever they appear."""

from __future__ import annotations

import json

import pytest

from selection import accounts
from selection.services import eligibility
from tests.ui.conftest import account_id, errors, texts

UNSCREENED = ["p-kessoua", "p-fjords"]  # the demo's two proposals still "submitted"


def _button(at, label):
    return next(b for b in at.button if b.label == label)


@pytest.fixture
def conditions(demo_db):
    sec = accounts.get_user(demo_db, account_id(demo_db, "secretariat"))
    return eligibility.save_conditions(demo_db, user=sec, call_id=1, items=[
        {"text": "A legal entity able to sign a host agreement"}, {"text": "Based in a Party to the Convention"}])


def test_the_table_shows_names_and_filters_by_status(open_as):
    at = open_as("secretariat", "proposals")
    table = at.dataframe[0].value
    assert "Proposal" not in table.columns and len(table) == 34
    at.selectbox(key="filter_status").set_value("submitted").run()
    table = at.dataframe[0].value
    assert set(table["Status"]) == {"not yet screened"} and len(table) == len(UNSCREENED)
    at.selectbox(key="filter_slot").set_value("weog").run()
    assert len(at.dataframe[0].value) == 1


def test_several_proposals_are_screened_at_once_against_the_checklist(open_as, demo_db, conditions):
    at = open_as("secretariat", "proposals")
    at.multiselect(key="picked").set_value(UNSCREENED).run()
    for c in conditions:
        at.radio(key=f"met_{c['id']}").set_value(True)
    _button(at, "Record the screening").click().run()
    assert "Screening recorded for 2 proposals: 2 eligible, 0 not eligible." in texts(at)
    statuses = demo_db.execute("SELECT status FROM proposals WHERE id IN ('p-kessoua', 'p-fjords')").fetchall()
    assert statuses == [("eligible",), ("eligible",)]


def test_a_condition_not_met_needs_a_reason_named_as_on_screen(open_as, demo_db, conditions):
    at = open_as("secretariat", "proposals")
    at.multiselect(key="picked").set_value(["p-kessoua"]).run()
    first, second = conditions
    at.radio(key=f"met_{first['id']}").set_value(True)
    at.radio(key=f"met_{second['id']}").set_value(False)
    _button(at, "Record the screening").click().run()
    assert errors(at).count("Reason for condition 2 — say why this condition is not met") == 2  # summary, beside
    assert demo_db.execute("SELECT status FROM proposals WHERE id = 'p-kessoua'").fetchone()[0] == "submitted"
    # the refusal keeps the answers given: adding the reason is enough
    assert (at.radio(key=f"met_{first['id']}").value, at.radio(key=f"met_{second['id']}").value) == (True, False)
    at.text_input(key=f"why_{second['id']}").set_value("Not a Party")
    _button(at, "Record the screening").click().run()
    assert "Screening recorded for 1 proposal: 0 eligible, 1 not eligible." in texts(at)
    assert at.radio(key=f"met_{first['id']}").value is None  # recorded: the form is cleared


def test_an_empty_screening_lists_every_condition_under_it(open_as, demo_db, conditions):
    at = open_as("secretariat", "proposals")
    at.multiselect(key="picked").set_value(["p-kessoua"]).run()
    _button(at, "Record the screening").click().run()
    shown = errors(at)
    assert "Not saved: 2 problems to fix" in shown
    assert shown.count("Condition 1 — choose Met or Not met") == 2 and shown.count("Condition 2 — choose Met") == 2
    assert "say whether" not in shown


def test_a_screening_is_undone_with_a_reason(open_as, demo_db, conditions):
    at = open_as("secretariat", "proposals")
    at.multiselect(key="picked").set_value(["p-kessoua"]).run()
    for c in conditions:
        at.radio(key=f"met_{c['id']}").set_value(True)
    _button(at, "Record the screening").click().run()
    assert demo_db.execute("SELECT status FROM proposals WHERE id = 'p-kessoua'").fetchone()[0] == "eligible"
    next(r for r in at.radio if r.label == "Status").set_value("submitted")
    _button(at, "Save the status").click().run()
    assert "Reason — this cannot be left empty" in errors(at)
    next(t for t in at.text_input if t.label.startswith("Reason (required")).input("Screened on the wrong file.")
    _button(at, "Save the status").click().run()
    assert not at.exception
    assert demo_db.execute("SELECT status FROM proposals WHERE id = 'p-kessoua'").fetchone()[0] == "submitted"


def test_several_proposals_are_assigned_at_once(open_as, demo_db):
    at = open_as("secretariat", "proposals")
    at.multiselect(key="picked").set_value(UNSCREENED).run()
    member = account_id(demo_db, "member1")
    next(m for m in at.multiselect if m.label == "Members").set_value([member])
    _button(at, "Assign the 2 chosen proposals").click().run()
    assert "2 assignments recorded" in texts(at)
    assert demo_db.execute("SELECT count(*) FROM assignments a JOIN reviewers r ON r.call_id = a.call_id "
                           "AND r.id = a.reviewer_id WHERE r.account_id = ? AND a.proposal_id IN "
                           "('p-kessoua', 'p-fjords')", [member]).fetchone()[0] == 2


def test_unscreened_proposals_are_marked_in_the_ranking_tables(open_as):
    at = open_as("secretariat", "meeting")
    entities = [e for d in at.dataframe if "Entity" in d.value.columns for e in d.value["Entity"]]
    marked = [e for e in entities if e.endswith("— not yet screened")]
    assert set(marked) == {"Centre interuniversitaire de la biodiversité de Kessoua (CIBK) — not yet screened",
                           "Southern Fjords Conservation Science Trust (SFCST) — not yet screened"}


def _picker(at):
    return next(m for m in at.multiselect if m.label.startswith("Proposals to work on"))


def test_the_picker_keeps_working_after_a_screening_changes_a_label(open_as, demo_db, conditions):
    """Once screened, a proposal's label loses "not yet screened": the choice survives, and another can be added."""
    at = open_as("secretariat", "proposals")
    _picker(at).set_value(["p-kessoua"]).run()
    for c in conditions:
        at.radio(key=f"met_{c['id']}").set_value(True)
    _button(at, "Record the screening").click().run()
    assert not at.exception
    assert _picker(at).value == ["p-kessoua"]
    _picker(at).set_value(["p-kessoua", "p-fjords"]).run()
    assert not at.exception
    assert _picker(at).value == ["p-kessoua", "p-fjords"]



def test_a_stale_label_sent_back_by_the_browser_is_read_as_its_proposal(open_as, demo_db, conditions):
    """What the browser sends after a screening: the chosen proposal by its old label, beside a new choice."""
    at = open_as("secretariat", "proposals")
    at.session_state["picked"] = ["Centre interuniversitaire de la biodiversité de Kessoua — not yet screened",
                                  "p-fjords"]
    at.run()
    assert not at.exception
    assert _picker(at).value == ["p-kessoua", "p-fjords"]


def test_after_a_bulk_screening_the_picker_shows_the_new_status_at_once(open_as, demo_db, conditions):
    at = open_as("secretariat", "proposals")
    _picker(at).set_value(UNSCREENED).run()
    assert len([o for o in _picker(at).options if "not yet screened" in o]) == 2
    for c in conditions:
        at.radio(key=f"met_{c['id']}").set_value(True)
    _button(at, "Record the screening").click().run()
    assert _picker(at).value == UNSCREENED
    assert not [o for o in _picker(at).options if "not yet screened" in o]
    # the browser keeps showing the labels it has until the page sends the chosen ones again
    sent = list(_picker(at).proto.raw_values)
    assert _picker(at).proto.set_value and len(sent) == 2 and not [s for s in sent if "not yet screened" in s], sent


def test_the_read_tab_shows_the_organisation_profile_as_entered(open_as, demo_db):
    """The secretariat reads who the applicant is: every part of its profile, user text as text."""
    demo_db["entities"].update((1, "e-savanes"), {"profile": json.dumps({
        "legal_status": "Public institute *under* national law", "address": "BP 123\nDakar",
        "head": "Dr Awa Ndiaye", "contact_person": "Moussa Diop", "contact_phone": "+221 33 800 00 00",
        "partners": ["Université Cheikh Anta Diop", "Sahel <Network>"]})})
    at = open_as("secretariat", "proposals")
    _picker(at).set_value(["p-savanes"]).run()
    shown = texts(at)
    for part in ("Institut ouest-africain des savanes et forêts sèches", "IOASFS", "Research institute",
                 "Public institute *under* national law", "BP 123", "Dakar", "Senegal",
                 "https://www.savanes.example/", "Dr Awa Ndiaye", "Moussa Diop", "contact@savanes.example",
                 "+221 33 800 00 00", "Université Cheikh Anta Diop", "Sahel <Network>"):
        assert part in shown, part
