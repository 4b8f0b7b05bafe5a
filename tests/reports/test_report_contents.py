"""What the assessment report must say, read back from the PDF: a call with names in six
scripts and a tie across third place."""

from __future__ import annotations

import datetime as dt
import io
import re

import pypdf
import pytest

from reports import assessment, fonts
from selection import clock
from tests.reports.conftest import (
    CONFLICTED_REASON,
    CONSENSUS_NOTE,
    NAMES,
    REASON_P1,
    SECRETARIAT,
    page_texts,
    pdf_text,
    advise,
    decline,
    select,
    store_six,
)

ON = dt.date(2027, 6, 1)
DRAWS = 400  # fewer weight draws than the default keep the tests quick; the figures are still exact


@pytest.fixture
def six_pdf(six_db) -> bytes:
    return assessment.build(six_db, generated_on=ON, draws=DRAWS)


@pytest.fixture
def six_text(six_pdf) -> str:
    return pdf_text(six_pdf)


def test_cover_says_reference_title_date_and_who_prepared_it(six_pdf):
    cover = page_texts(six_pdf)[0]
    assert "Assessment report" in cover
    assert "A test call" in cover
    assert "Call for expressions of interest: TEST-CALL-1" in cover
    assert "1 June 2027" in cover
    assert f"Prepared by {SECRETARIAT}" in cover
    assert "Page 1 of" not in cover


def test_contents_lists_every_part_with_its_page(six_pdf):
    pages = page_texts(six_pdf)
    contents = pages[1]
    assert contents.startswith("TEST-CALL-1 · Assessment report") and "Contents" in contents
    for part in ("I. Introduction", "II. Summary", "III. Action requested of the Bureau", "IV. Method",
                 "V. Slot s1", "Annex I — Composition of the advisory group", "Annex II — Proposals received",
                 "Annex III — Reviews left out of the figures", "Annex IV — Timeline of the procedure",
                 "Annex V — How the robustness of the shortlists was measured",
                 "Annex VI — Members' reasons for the shortlisted entities"):
        assert part in contents
    # the page numbers printed in the contents are the pages the headings are on
    numbers = [int(n) for n in re.findall(r"\. (\d+)(?= |$)", contents)]
    assert len(numbers) >= 10
    annex_vi = next(i for i, p in enumerate(pages, start=1) if "Annex VI — Members' reasons for the shortlisted "
                                                              "entities Each" in p)
    assert numbers[-1] == annex_vi
    outline = [o.title for o in pypdf.PdfReader(io.BytesIO(six_pdf)).outline]
    assert "II. Summary" in outline and "Annex IV — Timeline of the procedure" in outline


def test_summary_counts_and_tie_in_words(six_text):
    assert "8 proposals received: 6 eligible, 1 ineligible, 1 withdrawn." in six_text
    assert "6 proposals scored by the advisory group" in six_text
    tie = six_text[six_text.index("Tie across third place in Slot s1"):]
    assert tie.index(NAMES["p3"]) < tie.index("share rank 3")
    assert NAMES["p4"] in tie[: tie.index("share rank 3")]
    assert "so 4 proposals are shortlisted instead of 3. The advisory group, not the program, breaks this tie." in tie


def test_every_script_renders(six_text):
    for pid in ("p1", "p2", "p3", "p4", "p5", "p6"):
        assert NAMES[pid] in six_text, pid
    assert "Reef & Ocean <Lab>" in six_text  # escaped: printed as written


def test_method_gives_definitions_weights_anchors_thresholds_and_rules(six_text):
    assert "(a) Criterion networks — weight 60%, threshold 2, priority 1." in six_text
    assert "(b) Criterion capacity — weight 40%, no threshold, priority 2." in six_text
    # a default criterion id gets its anchored scale when loaded from a bundle
    assert "No network or partnership is named." in six_text
    assert "at least 2 valid reviews" in six_text
    assert "Reviews from members with a declared conflict, and partial reviews, are left out of every figure" in six_text
    assert "consensus score is used (marked *)" in six_text
    assert "then by criterion score in priority order: (a), (b)" in six_text
    assert "the advisory group, not the program, breaks such a tie" in six_text
    assert f"{DRAWS:,} sets of weights were drawn at random for each mechanism" in six_text


def test_slot_ranking_table_and_chart(six_text):
    assert "Rank Entity Country Total (a) (b) Valid reviews Passes Tie" in six_text
    assert "1 Institut sahélien Ñandú (ISN) Senegal 95.0 4.75 4.75 2 yes" in six_text
    assert "4.00*" in six_text  # p2's consensus score on capacity
    assert "Criterion scores of the shortlist" in six_text
    # the chart's legend: drawn string by string, each in the font that has its glyphs
    assert "1. Institut sahélien Ñandú (ISN)" in six_text
    assert f"3. {NAMES['p4']}" in six_text
    assert "threshold of the criterion" in six_text


def test_how_each_criterion_was_applied_to_every_ranked_proposal(six_text):
    part = six_text[six_text.index("How the criteria were applied"):six_text.index("Robustness of the shortlist")]
    for pid in ("p1", "p2", "p3", "p4", "p5", "p6"):  # every ranked proposal, not only the shortlist
        assert NAMES[pid] in part
    assert NAMES["p8"] not in part  # an ineligible proposal is not ranked
    assert re.search(r"\(a\) Criterion networks: 4\.75, between .+? and .+?; members' scores 4\.5–5\. Comment: "
                     r"Reef & Ocean <Lab> network: strong <b>partnerships</b> across 12 countries · Reason of r2 on p1 "
                     r"networks \(b\)", part)  # both reasons, escaped, without names, the meaning on the scale
    assert re.search(r"\(b\) Criterion capacity: 4\.00, [^(]+ \(consensus score; the members' mean was 3\.75\); members' "
                     rf"scores 3\.5–4\. Comment: {re.escape(CONSENSUS_NOTE)}", part)
    assert "below the threshold of 2" in part  # p6 on networks
    assert CONFLICTED_REASON not in six_text  # a conflicted member's reasons are left out with their scores
    assert "Ana Pérez" not in part  # reasons are quoted without names


def test_what_separates_the_shortlist_from_the_next(six_text):
    assert (f"The best-placed proposal not shortlisted is {NAMES['p5']} (rank 5, total") in six_text
    part = six_text[six_text.index(f"The best-placed proposal not shortlisted is {NAMES['p5']}"):]
    assert "the last shortlisted entity, is" in part[:400] and "points ahead, scoring higher on (a)" in part[:400]


def test_the_members_reasons_in_full_are_in_an_annex_for_the_shortlisted(six_text):
    annex = six_text[six_text.index("Annex VI — Members' reasons for the shortlisted entities Each"):]
    assert f"4.5 — Reason of r2 on p1 networks" in annex and f"5 — {REASON_P1}" in annex
    assert f"Consensus score 4: {CONSENSUS_NOTE}" in annex
    assert NAMES["p5"] not in annex and "Ana Pérez" not in annex


def test_robustness_in_one_sentence(six_text):
    part = six_text[six_text.index("Robustness of the shortlist"):]
    assert re.search(rf"Under {DRAWS} sets of weights drawn around the call's weights, this shortlist came out "
                     rf"unchanged in \d+ of {DRAWS} draws; ", part)
    assert ("the smallest change of a single weight that alters it is" in part
            or "no change of a single weight, the others unchanged, alters it" in part)
    assert f"of {DRAWS} draws" in part and "Ranks reached" in part and "%" not in part[:part.index("Ranks")]


def test_annexes(six_text):
    group = six_text[six_text.index("Annex I — Composition of the advisory group and declarations of conflicts of "
                                    "interest The"):]
    assert "The informal advisory group had 3 members." in group
    assert "Li Wei Institut sahélien Ñandú (ISN) Board member of the applicant" in group
    annex = six_text[six_text.index("Annex II — Proposals received Every"):]
    assert "Merged with a partner proposal" in annex and "withdrawn" in annex
    assert "Arrived after the deadline & <late>" in annex
    assert "Slot s1: rank 1, shortlisted" in annex
    left = annex[annex.index("Annex III — Reviews left out of the figures These"):]
    assert "Li Wei Institut sahélien Ñandú (ISN) conflict of interest declared" in left
    assert "Li Wei Институт биоразнообразия partial review, 1 of 2 criteria scored" in left
    c = annex[annex.index("Annex IV — Timeline of the procedure The"):]
    assert "Call published (notification) 15 January 2027 past" in c
    assert "Deadline for proposals 31 March 2027 past" in c


def test_timeline_shows_the_advice_and_the_selection_dates(six_db, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2027, 5, 18, 10, tzinfo=dt.UTC))
    advise(six_db, "s1", "p1", "The first <b>is</b> **best**.")
    select(six_db, "s1", "p1", notified_on="2027-05-20")
    text = pdf_text(assessment.build(six_db, generated_on=ON, draws=DRAWS))
    assert "Acceptance due: Institut sahélien Ñandú — Slot s1 20 June 2027 to come" in text
    assert "Advice of the Bureau: Slot s1 (Bureau Member) 18 May 2027 done" in text


def test_the_decision_part_gives_advice_selection_reasons_and_the_offers_in_order(six_db, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2027, 5, 18, 10, tzinfo=dt.UTC))
    assert "Decision" not in pdf_text(assessment.build(six_db, generated_on=ON, draws=DRAWS)).split("Annex I")[0][-3000:]
    advise(six_db, "s1", "p1", "The first <b>is</b> **best**.")
    first = select(six_db, "s1", "p1", notified_on="2027-05-20")
    decline(six_db, first, "2027-05-25")
    advise(six_db, "s1", "p2", "Then the second.")
    select(six_db, "s1", "p2")
    text = pdf_text(assessment.build(six_db, generated_on=ON, draws=DRAWS))
    start = text.index("With the advice of the Bureau, the secretariat selected")
    part = text[start:text.index("Annex I — Composition", start)]
    assert (f"Advice of the Bureau (18 May 2027, Bureau Member): prefers {NAMES['p1']} (ISN). "
            "The first <b>is</b> **best**.") in part
    assert (f"Offered: {NAMES['p1']} (ISN) — offered on 18 May 2027; notified on 20 May 2027; declined on "
            "25 May 2027. Reasons recorded: First of the shortlist, on the Bureau's advice.") in part
    assert (f"Offered next, from the reserve list: {NAMES['p2']} — offered on 18 May 2027; the notification is "
            "still to be sent; host agreement due by 18 August 2027.") in part
    assert part.index("The first <b>") < part.index("Offered: ") < part.index("Then the second.")


def test_anonymous_conflicts_name_no_member(db, bundle_builder):
    store_six(db, bundle_builder, anonymous=True)
    text = pdf_text(assessment.build(db, generated_on=ON, draws=DRAWS))
    assert "Li Wei" not in text
    assert "Member C Institut sahélien Ñandú (ISN) Board member of the applicant" in text
    assert "Member C Institut sahélien Ñandú (ISN) conflict of interest declared" in text
    assert "members are not named" in text


def test_metadata_names_the_secretariat(six_pdf):
    meta = pypdf.PdfReader(io.BytesIO(six_pdf)).metadata
    assert meta.author == SECRETARIAT
    assert meta.title.startswith("Assessment report — TEST-CALL-1")
    assert "how the selection criteria were applied" in meta.subject


def test_hostile_and_very_long_text_does_not_break_it(six_db):
    huge = "Ω" * 200_000
    six_db.execute("UPDATE scores SET justification = ? WHERE proposal_id = 'p1' AND reviewer_id = 'r2'",
                   [huge + " <b>"])
    six_db.execute("UPDATE consensus SET note = ?", ["]]> <font name='x'> & \x00 \U0010fffd" * 50])
    six_db.execute("UPDATE calls SET secretariat_name = ?", ["<script> & Co \x07" * 200])
    six_db.execute("UPDATE criteria SET description = ?, anchors = ?", ["<para>" * 5000, "{not json"])
    six_db.execute("UPDATE proposals SET status_reason = ? WHERE id = 'p8'", ["\u202e" + "x" * 50_000])
    six_db.execute("UPDATE reviewers SET name = ? WHERE id = 'r3'", ["</font>" * 300])
    six_db.execute("UPDATE slots SET name = ?, region = ?", ["مركز " * 400, "<<<"])
    six_db.execute("UPDATE entities SET name = ?, acronym = ?, country = ? WHERE id = 'e-p2'",
                   ["湄公河" * 20_000, "&" * 500, "<>"])
    six_db.conn.commit()
    pdf = assessment.build(six_db, generated_on=ON, draws=DRAWS)
    text = pdf_text(pdf)
    assert "<script> & Co" in text
    assert "]]> <font name='x'> &" in text
    assert "ΩΩΩΩΩΩ..." in text  # cut (NFKC reads the ellipsis as three dots), not dropped
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) < 60


def test_the_report_asks_for_fonts_by_package_name(monkeypatch, six_db):
    def missing():
        raise fonts.FontMissing("font file /x is missing; the PDF reports need it: apt-get install fonts-wqy-zenhei")

    monkeypatch.setattr(fonts, "register", missing)
    with pytest.raises(fonts.FontMissing, match="apt-get install"):
        assessment.build(six_db)
