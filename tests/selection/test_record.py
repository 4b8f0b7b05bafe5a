"""The frozen decision record: a stable hash, a ranking that recomputes, and every later change caught."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from selection import bundle, clock, queries, record, store, words
from selection.cli import cli
from selection.demo import demo_bundle
from selection.errors import Invalid
from selection.services import decision, meeting


def test_the_same_facts_give_the_same_hash(decided):
    _, db, _, _ = decided
    b = bundle.export(db, "TSC-HOST-DEMO-2027")
    assert record.digest(record.build_snapshot(b)) == record.digest(record.build_snapshot(b))
    row = record.latest(db, 1)
    snapshot = json.loads(row["snapshot"])
    assert row["sha256"] == record.digest(record.build_snapshot(b, snapshot["decision"], snapshot["audit_head"]))


def test_any_changed_score_changes_the_hash(decided):
    _, db, _, _ = decided
    data = json.loads(bundle.dumps(bundle.export(db, "TSC-HOST-DEMO-2027")))
    before = record.digest(record.build_snapshot(bundle.from_dict(data)))
    data["scores"][10]["score"] = 5.0 if data["scores"][10]["score"] != 5.0 else 4.5
    assert record.digest(record.build_snapshot(bundle.from_dict(data))) != before


def test_the_snapshot_holds_the_ranking_and_robustness(decided):
    _, db, _, _ = decided
    doc = json.loads(record.latest(db, 1)["snapshot"])
    assert doc["format"] == record.FORMAT
    assert [s["slot"] for s in doc["ranking"]["slots"]][:2] == ["global", "africa"]
    assert set(doc["robustness"]) == {"global", "africa", "asia-pacific", "grulac", "ceec", "weog"}
    assert len(doc["bundle"]["scores"]) == 618


def test_verify_confirms_an_untouched_record(decided):
    path, db, _, _ = decided
    result = record.verify(db, "TSC-HOST-DEMO-2027")
    assert result.hash_ok and result.ranking_ok and result.changes == []
    out = CliRunner().invoke(cli, ["verify", "--db", str(path)])
    assert out.exit_code == 0 and "no change in the database since the record" in out.output


def test_verify_catches_an_edited_score(decided):
    path, db, _, _ = decided
    db.execute("UPDATE scores SET score = 0.5 WHERE reviewer_id = 'r1' AND proposal_id = 'p-savanes' "
               "AND criterion_id = 'networks'")
    result = record.verify(db, "TSC-HOST-DEMO-2027")
    assert result.intact
    assert "score: r1 on p-savanes, networks, score: 4.5 -> 0.5" in result.changes
    out = CliRunner().invoke(cli, ["verify", "--db", str(path)])
    assert out.exit_code == 1 and "r1 on p-savanes, networks" in out.output


def test_verify_names_a_new_consensus_and_a_moved_shortlist(decided):
    """The service refuses a consensus on a decided slot; one written around it is named by verify."""
    _, db, sec, call_id = decided
    with pytest.raises(Invalid):
        meeting.record_consensus(db, user=sec, call_id=call_id, proposal_id="p-tsingy", criterion_id="networks",
                                 score=5.0, note="Reconsidered.")
    for criterion in ("networks", "expertise", "tsc_experience", "capacity"):
        db.execute("INSERT INTO consensus (call_id, proposal_id, criterion_id, score, note) VALUES (?, ?, ?, 5, ?)",
                   [call_id, "p-tsingy", criterion, "Reconsidered."])
    changes = record.verify(db, "TSC-HOST-DEMO-2027").changes
    assert any(c.startswith("consensus: p-tsingy, networks added") for c in changes)
    assert any(c.startswith("shortlist of africa:") and "p-tsingy" in c for c in changes)


def test_verify_catches_a_tampered_record(decided):
    _, db, _, _ = decided
    row = record.latest(db, 1)
    doc = json.loads(row["snapshot"])
    doc["bundle"]["scores"][0]["score"] = 0.0
    db.execute("UPDATE decision_records SET snapshot = ? WHERE id = ?",
               [record.canonical(doc).decode(), row["id"]])
    result = record.verify(db, "TSC-HOST-DEMO-2027")
    assert not result.hash_ok
    assert not result.unchanged


def test_verify_without_a_record_says_so(tmp_path):
    path = tmp_path / "none.db"
    db = store.connect(path)
    bundle.store(db, bundle.from_dict(demo_bundle()), actor="test")
    out = CliRunner().invoke(cli, ["verify", "--db", str(path)])
    assert out.exit_code == 2 and "no decision record" in out.output


def _pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages).replace("\n", " ")


def test_report_and_letters_print_the_record_hash(decided):
    from reports import assessment, letters

    _, db, _, _ = decided
    sha = record.latest(db, 1)["sha256"]
    assert sha in _pdf_text(assessment.build(db, "TSC-HOST-DEMO-2027", draws=200))
    assert sha in _pdf_text(letters.build(db, "TSC-HOST-DEMO-2027"))


def test_the_chain_of_offers_is_in_the_timeline(decided):
    import datetime as dt

    _, db, sec, call_id = decided
    [offer] = queries.selections(db, call_id)
    decision.record_notification(db, user=sec, call_id=call_id, selection_id=offer["id"], notified_on="2027-06-01")
    decision.record_answer(db, user=sec, call_id=call_id, selection_id=offer["id"], accepted=False,
                           answered_on="2027-06-10")
    steps = {s["step"]: s for s in queries.timeline(db, queries.resolve_call(db, None), dt.date(2027, 6, 11))}
    name = f"{offer['entity']} — {offer['slot_name']}"
    assert steps[f"Offered: {name}"]["state"] == "done"
    assert steps[f"Notified: {name}"]["date"] == dt.date(2027, 6, 1)
    assert (steps[f"Answered: {name}"]["date"], steps[f"Answered: {name}"]["state"]) == (dt.date(2027, 6, 10),
                                                                                      "declined")


def test_the_report_counts_scores_revised_after_submission(decided):
    from reports import assessment
    from selection import audit

    _, db, _, _ = decided
    assert "No score was changed after its review was submitted." in _pdf_text(
        assessment.build(db, "TSC-HOST-DEMO-2027", draws=200))
    with store.transaction(db):
        audit.record(db, actor="member:member1", call="TSC-HOST-DEMO-2027", action="score.revised",
                     target="score:p-savanes/r1/networks", old={"score": 4.5}, new={"score": 4.0}, reason="Annex")
    assert "1 score changed after the member had submitted the review" in _pdf_text(
        assessment.build(db, "TSC-HOST-DEMO-2027", draws=200))


def test_the_record_seals_the_selection_itself(decided):
    _, db, sec, call_id = decided
    doc = json.loads(record.latest(db, call_id)["snapshot"])
    assert doc["decision"]["selection"]["proposal_id"] == "p-savanes"
    assert doc["decision"]["selection"]["rationale"] == "First on the shortlist; the Bureau concurred."
    db.execute("UPDATE selections SET rationale = 'Rewritten later.'")
    changes = record.verify(db, "TSC-HOST-DEMO-2027").changes
    assert "selection: rationale: \"First on the shortlist; the Bureau concurred.\" -> \"Rewritten later.\"" in changes


def test_two_different_selections_give_two_different_hashes(decided):
    _, db, sec, call_id = decided
    [offer] = queries.selections(db, call_id)
    assert queries.outcome(db, call_id, "p-tsingy") == []  # not before the selected entity is told
    decision.record_notification(db, user=sec, call_id=call_id, selection_id=offer["id"], notified_on=clock.today())
    decision.record_answer(db, user=sec, call_id=call_id, selection_id=offer["id"], accepted=False,
                           answered_on=clock.today())
    decision.record_advice(db, user=sec, call_id=call_id, slot_id="africa", advice="The next one.")
    second = queries.reserve_list(db, call_id, "africa")[1]["proposal"]
    decision.record_selection(db, user=sec, call_id=call_id, slot_id="africa", proposal_id=second, rationale="Next.")
    hashes = [r[0] for r in db.execute("SELECT sha256 FROM decision_records ORDER BY id")]
    assert len(hashes) == 2 and hashes[0] != hashes[1]


def test_an_entity_edit_is_named_in_words(decided):
    _, db, _, _ = decided
    db.execute("UPDATE entities SET acronym = 'NEW' WHERE id = (SELECT entity_id FROM proposals WHERE id = 'p-savanes')")
    changes = record.verify(db, "TSC-HOST-DEMO-2027").changes
    assert any(c.startswith("entity: ") and "acronym" in c for c in changes)


def test_applicants_are_told_the_outcome(decided):
    _, db, sec, call_id = decided
    [offer] = queries.selections(db, call_id)
    assert queries.outcome(db, call_id, "p-tsingy") == []  # not before the selected entity is told
    decision.record_notification(db, user=sec, call_id=call_id, selection_id=offer["id"], notified_on=clock.today())
    due = words.date(clock.add_months(clock.today(), 1))
    assert queries.outcome(db, call_id, "p-savanes") == [
        f"Selected to host Regional TSC support centre - Africa. Please confirm your acceptance by {due}."]
    reserve, below = queries.reserve_list(db, call_id, "africa")[1]["proposal"], "p-tsingy"
    assert queries.outcome(db, call_id, reserve) == [
        "On the reserve list for Regional TSC support centre - Africa: the offer made to another entity awaits its "
        "answer, and it may still be offered to you."]
    assert below not in [r["proposal"] for r in queries.reserve_list(db, call_id, "africa")]
    assert queries.outcome(db, call_id, below) == ["Another entity was selected to host Regional TSC support "
                                                   "centre - Africa."]
    decision.record_answer(db, user=sec, call_id=call_id, selection_id=offer["id"], accepted=True,
                           answered_on="2026-12-05")
    assert queries.outcome(db, call_id, reserve) == ["Another entity was selected to host Regional TSC support "
                                                     "centre - Africa."]


def test_the_languages_a_call_is_read_in_are_no_change_to_the_record(decided):
    """An entity's letters' language and the call's translated texts may change after the decision."""
    from selection import content

    path, db, sec, call_id = decided
    db.execute("UPDATE entities SET language = 'fr' WHERE call_id = ?", [call_id])
    content.set_texts(db, user=sec, call_id=call_id, lang="zh", texts={("call", "", "title"): "征集意向书"})
    result = record.verify(db, "TSC-HOST-DEMO-2027")
    assert result.hash_ok and result.ranking_ok and result.changes == []
    exported = bundle.export(db, db.execute("SELECT reference FROM calls").fetchone()[0])
    assert {e.language for e in exported.entities} == {"fr"} and exported.translations["zh"].title == "征集意向书"
