"""Evaluation summaries, read back with pdftotext: scores and their meaning, thresholds, the comments
without names, the rank and its ties, why a proposal is not ranked, the outcome after the decision."""

from __future__ import annotations

import io
import json
import unicodedata
import zipfile

import pytest
from click.testing import CliRunner

from reports import summaries
from selection import queries
from selection.cli import cli
from selection.services import decision
from tests.reports.conftest import CONSENSUS_NOTE, CONFLICTED_REASON, NAMES, STAFF, select
from tests.reports.test_apparatus import pdftotext

MEMBERS = ("Ana Pérez", "Олег Смирнов", "Li Wei")


def readable(pdf: bytes) -> str:
    """pdftotext's text with Arabic presentation forms mapped to letters and its direction marks dropped."""
    text = unicodedata.normalize("NFKC", pdftotext(pdf))
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def summary(db, pid: str) -> str:
    return readable(summaries.build_one(db, None, pid))


def test_scores_on_the_criterion_scale_with_thresholds_and_total(six_db):
    text = summary(six_db, "p1")
    assert "Evaluation summary" in text and "Applicant: Institut sahélien Ñandú (ISN)" in text
    assert "Country: Senegal" in text
    assert ("(a) Criterion networks 60% 4.75 between coordinates or hosts a regional network; joint results "
            "across many countries and a recognised hub of the region's networks") in text
    assert "(b) Criterion capacity 40% 4.75 between strong capacity and systems" in text
    assert "95.0 out of 100" in text
    assert "Thresholds: a proposal is shortlisted only if it reaches 2 on (a), and ranks third or better." in text


def test_the_meaning_is_read_on_the_criterions_own_anchors(six_db):
    anchors = {str(k): f"Anchor {k} of networks." for k in range(6)}
    six_db.execute("UPDATE criteria SET anchors = ? WHERE id = 'networks'", [json.dumps(anchors)])
    six_db.conn.commit()
    text = summary(six_db, "p2")
    assert "(a) Criterion networks 60% 4.00 Anchor 4 of networks." in text
    assert "(b) Criterion capacity 40% 4.00* Strong capacity and systems" in text  # consensus score
    assert "* consensus score agreed by the advisory group" in text


def test_one_consolidated_comment_per_criterion_naming_no_member(six_db):
    text = summary(six_db, "p1")
    assert "Reef & Ocean <Lab> network: strong <b>partnerships</b> across 12 countries" in text  # as written
    assert "Reason of r2 on p1 networks" in text
    assert CONFLICTED_REASON not in text  # a conflicted member's review explains nothing
    assert not any(name in text for name in MEMBERS)
    assert CONSENSUS_NOTE in summary(six_db, "p2")


def test_rank_and_the_tie_across_third_place(six_db):
    assert "Ranked 1st of 6 with a total of 95.0 out of 100, one of four shortlisted." in summary(six_db, "p1")
    for pid in ("p3", "p4"):
        assert "Ranked jointly third of 6 with a total of 65.0 out of 100, one of four shortlisted." in summary(
            six_db, pid)


def test_why_a_proposal_is_not_ranked_or_not_shortlisted(six_db):
    six_db.execute("DELETE FROM scores WHERE proposal_id = 'p5' AND reviewer_id = 'r2'")
    six_db.conn.commit()
    assert ("Not ranked: it received 1 valid review, and 2 valid reviews (or a consensus score on every criterion) "
            "are needed to rank a proposal.") in summary(six_db, "p5")
    assert "The proposal was not scored" in summary(six_db, "p5")
    low = summary(six_db, "p6")
    assert "did not reach the threshold of 2 set for Criterion networks (its score: 1.50)" in low
    assert "so it could not be shortlisted" in low
    withdrawn = summary(six_db, "p7")
    assert "Proposal: Withdrawn (Merged with a partner proposal)." in withdrawn
    assert "Not ranked: the proposal was withdrawn (Merged with a partner proposal)." in withdrawn
    assert ("Not ranked: the proposal was found ineligible at screening: Arrived after the deadline & <late>."
            in summary(six_db, "p8"))


def test_thresholds_of_one_value_are_named_together(six_db):
    six_db.execute("UPDATE criteria SET threshold = 2")
    six_db.conn.commit()
    assert "reaches 2 on (a) and (b), and ranks third or better." in summary(six_db, "p1")
    six_db.execute("UPDATE criteria SET threshold = NULL")
    six_db.conn.commit()
    assert "No threshold applies in this call: the first three ranked are shortlisted." in summary(six_db, "p1")


def test_the_overall_threshold_is_named_when_missed(six_db):
    six_db.execute("UPDATE calls SET overall_threshold = 60")
    six_db.conn.commit()
    text = summary(six_db, "p5")
    assert "the overall threshold of 60 out of 100 (its total: 52.0)" in text
    assert "reaches 2 on (a); a total of 60 out of 100, and ranks third" in text


def test_selected_reserve_list_and_another_selected(six_db):
    assert "The selection is still to be made." in summary(six_db, "p2")
    sid = select(six_db, "s1", "p1", notified_on="2027-05-20")
    assert "Selected to host the centre; the acceptance is awaited, by 20 June 2027." in summary(six_db, "p1")
    assert "On the reserve list: the centre was offered to another applicant" in summary(six_db, "p2")
    assert "Another applicant was selected to host the centre." in summary(six_db, "p6")
    call_id = queries.resolve_call(six_db, None)["id"]
    decision.record_answer(six_db, user=STAFF, call_id=call_id, selection_id=sid, accepted=True,
                           answered_on="2027-05-25")
    assert "Selected to host the centre; the acceptance is recorded." in summary(six_db, "p1")
    reserve = summary(six_db, "p2")
    assert "Shortlisted. Another applicant was selected to host the centre." in reserve
    assert "reserve list" not in reserve


def test_arabic_chinese_and_an_emoji_survive_extraction(six_db):
    six_db.execute("UPDATE entities SET name = 'Green Leaf 🌿 Institute' WHERE id = 'e-p1'")
    six_db.conn.commit()
    assert "Applicant: Green Leaf 🌿 Institute (ISN)" in summary(six_db, "p1")
    assert NAMES["p4"] in summary(six_db, "p4")
    assert summary(six_db, "p3").count(f"Applicant: {NAMES['p3']}") == 1


def test_no_id_no_iso_date_no_none_shown(six_db):
    six_db.execute("UPDATE scores SET justification = 'A sound reason.'")
    six_db.execute("UPDATE criteria SET name = CASE id WHEN 'networks' THEN 'Partnerships' "
                   "ELSE 'Institutional strength' END")
    six_db.execute("UPDATE slots SET name = 'Regional centre for Africa'")
    six_db.conn.commit()
    select(six_db, "s1", "p1", notified_on="2027-05-20")
    for pid in ("p1", "p5", "p7"):
        text = summary(six_db, pid)
        assert "2027-" not in text and "None" not in text
        assert not [word for word in ("s1", "p1", "p5", "p7", "r1", "r2", "e-p1") if word in text.split()]


def test_the_zip_holds_one_pdf_per_applicant_named_by_entity(six_db, counts):
    six_db.execute("UPDATE entities SET name = 'Institut sahélien Ñandú' WHERE id = 'e-p2'")
    six_db.conn.commit()
    before = counts(six_db)
    z = zipfile.ZipFile(io.BytesIO(summaries.build_all(six_db)))
    assert counts(six_db) == before  # reads the store, writes nothing
    names = z.namelist()
    assert names[:2] == ["Institut-sahelien-Nandu.pdf", "Institut-sahelien-Nandu-2.pdf"]
    assert names[2:4] == ["applicant-3.pdf", "applicant-4.pdf"]  # Arabic, Chinese: no transliteration
    assert "Reef-Ocean-Lab.pdf" in names and len(names) == len(NAMES)
    assert all(n.isascii() for n in names)
    assert NAMES["p4"] in readable(z.read("applicant-4.pdf"))


def test_an_acronym_names_the_file_of_a_name_in_another_script(six_db):
    six_db.execute("UPDATE entities SET acronym = 'GCB' WHERE id = 'e-p3'")
    six_db.conn.commit()
    assert "GCB.pdf" in zipfile.ZipFile(io.BytesIO(summaries.build_all(six_db))).namelist()


def test_a_draft_has_no_summary(six_db):
    six_db.execute("UPDATE proposals SET status = 'draft' WHERE id = 'p6'")
    six_db.conn.commit()
    with pytest.raises(summaries.NoSummary, match="no submitted proposal"):
        summaries.build_one(six_db, None, "p6")
    assert len(zipfile.ZipFile(io.BytesIO(summaries.build_all(six_db))).namelist()) == len(NAMES) - 1


def test_the_command_line_writes_one_pdf_per_applicant(six_db, db_path, tmp_path):
    out = tmp_path / "summaries"
    result = CliRunner().invoke(cli, ["summaries", "--db", str(db_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"Wrote {len(NAMES)} evaluation summaries into {out}"
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(zipfile.ZipFile(io.BytesIO(summaries.build_all(six_db))).namelist())
    assert "Applicant: Institut sahélien Ñandú (ISN)" in readable((out / "Institut-sahelien-Nandu.pdf").read_bytes())


def test_the_command_line_refuses_an_unknown_call_and_writes_nothing(six_db, db_path, tmp_path):
    out = tmp_path / "summaries"
    result = CliRunner().invoke(cli, ["summaries", "--db", str(db_path), "--call", "NO-SUCH", "--out", str(out)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "no call with reference 'NO-SUCH'" in result.output
    assert not out.exists()
