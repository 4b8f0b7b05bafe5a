"""Decision letters: one letter per entity, what it says of each slot, its reference, signatory and dates,
the bookmarks of the combined PDF and the zip of one PDF per letter."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import unicodedata
import zipfile

import pypdf
import pytest

from reports import letters
from selection import accounts, bundle, queries
from selection.services import decision, documents
from tests.reports.conftest import NAMES, SECRETARIAT, STAFF, page_texts, pdf_text, select, six_scripts_dict

ON = dt.date(2027, 6, 2)
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def pdftotext(data: bytes) -> str:
    """The PDF's text as poppler extracts it, whitespace collapsed, NFKC-normalised (Arabic presentation forms)."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True).stdout
    return unicodedata.normalize("NFKC", " ".join(out.decode("utf-8").split()))


def by_entity(data: bytes) -> dict[str, str]:
    """Proposal id -> the text of the one letter naming its entity (the text between two "Our reference:")."""
    text = pdftotext(data)
    chunks = ["Our reference:" + c for c in text.split("Our reference:")[1:]]
    found = {}
    for pid, name in NAMES.items():
        hits = [c for c in chunks if name in c.split("Subject:")[0]]
        if hits:
            assert len(hits) == 1, f"{pid} is addressed by {len(hits)} letters"
            found[pid] = hits[0]
    return found


def call_id(db) -> int:
    return queries.resolve_call(db, None)["id"]


@pytest.fixture
def two_slot_db(db, bundle_builder):
    """The six-scripts call with a second slot, s2, that p1-p6 also applied to (the same ranking on both)."""
    data = six_scripts_dict(bundle_builder)
    data["call"]["slots"].append({"id": "s2", "name": "Slot s2", "level": "regional"})
    for p in data["proposals"]:
        if p["id"] in ("p1", "p2", "p3", "p4", "p5", "p6"):
            p["slots"] = ["s1", "s2"]
    cid = bundle.store(db, bundle.from_dict(data), actor="test")
    db.execute("UPDATE calls SET secretariat_name = ? WHERE id = ?", [SECRETARIAT, cid])
    db.conn.commit()
    return db


def test_no_selection_no_letters(six_db):
    assert not letters.pending(six_db)
    with pytest.raises(letters.NoLetters, match="no selection is recorded"):
        letters.build(six_db, letter_date=ON)


def test_notified_selection_gets_one_calendar_month_from_notification_said_once(six_db):
    select(six_db, "s1", "p1", notified_on="2027-01-31")
    assert letters.pending(six_db)
    pdf = letters.build(six_db, letter_date=ON)
    first = page_texts(pdf)[0]
    assert SECRETARIAT in first[:120]
    assert "Subject: selection as host of the Slot s1" in first
    assert "Institut sahélien Ñandú (ISN) has been selected to host the Slot s1" in first
    assert "You were notified of this decision on 31 January 2027." in first
    assert "that is by 28 February 2027." in first  # 31 January + 1 month
    assert first.count("28 February 2027") == 1
    assert not ISO_DATE.search(pdftotext(pdf))  # no date in ISO form anywhere, in any letter


def test_not_yet_notified_the_letter_date_is_the_notification(six_db):
    select(six_db, "s1", "p4")  # the Chinese entity, tied at third place: any shortlisted may be chosen
    first = page_texts(letters.build(six_db, letter_date=ON))[0]
    assert NAMES["p4"] in first
    assert "This letter, dated 2 June 2027, is the notification of this decision." in first
    assert "that is by 2 July 2027." in first
    assert "By e-mail: contact@mekong.example" in first


def test_the_address_names_the_country_and_the_profile_address(six_db):
    six_db.execute("UPDATE entities SET profile = ? WHERE id = 'e-p1'",
                   ['{"address": "Route de Ouakam\\nBP 1386 Dakar", "contact_person": "Awa Diop"}'])
    six_db.conn.commit()
    select(six_db, "s1", "p1")
    first = page_texts(letters.build(six_db, letter_date=ON))[0]
    assert "For the attention of Awa Diop Institut sahélien Ñandú (ISN) Route de Ouakam BP 1386 Dakar Senegal" in first


def test_one_letter_per_entity_to_every_applicant_for_the_slot(six_db):
    select(six_db, "s1", "p1", notified_on="2027-05-20")
    pdf = letters.build(six_db, letter_date=ON)
    text = pdftotext(pdf)
    assert text.count("Subject:") == len(NAMES) == text.count("Dear Sir or Madam")
    others = by_entity(pdf)
    assert set(others) == set(NAMES)
    assert "Subject: outcome of your proposal for the Slot s1" in others["p2"]
    assert "your proposal ranked 2nd of 6 with a total of 80.0 out of 100, one of four shortlisted." in others["p2"]
    assert "ranked 6th of 6" in others["p6"] and "one of four shortlisted" not in others["p6"]
    assert "was found ineligible at screening: Arrived after the deadline & <late>." in others["p8"]
    assert "Your proposal was withdrawn and so was not assessed (Merged with a partner proposal)." in others["p7"]
    assert "Reef & Ocean <Lab>" in others["p7"]  # escaped: printed as written
    assert "ranked" not in others["p7"] and "ranked" not in others["p8"]


def test_an_entity_selected_for_two_slots_gets_one_letter(two_slot_db):
    select(two_slot_db, "s1", "p1", notified_on="2027-05-20")
    select(two_slot_db, "s2", "p1", notified_on="2027-05-20")
    pdf = letters.build(two_slot_db, letter_date=ON)
    assert pdftotext(pdf).count("Subject:") == len(NAMES)  # one letter per entity, not per slot
    p1 = by_entity(pdf)["p1"]
    assert "Subject: selection as host of the Slot s1 and the Slot s2 Dear" in p1
    assert "has been selected to host the Slot s1 and the Slot s2." in p1
    assert p1.count("that is by 20 June 2027.") == 1  # one deadline for both, said once
    p5 = by_entity(pdf)["p5"]
    assert "another applicant has been selected to host the Slot s1 and the Slot s2. We regret" in p5
    assert "For the Slot s1, your proposal ranked 5th of 6" in p5 and "For the Slot s2, your proposal ranked 5th" in p5


def test_selected_for_one_slot_and_not_another_gets_one_letter_saying_both(two_slot_db):
    s1 = select(two_slot_db, "s1", "p1", notified_on="2027-05-20")
    select(two_slot_db, "s2", "p2", notified_on="2027-05-21")
    decision.record_answer(two_slot_db, user=STAFF, call_id=call_id(two_slot_db), selection_id=s1, accepted=True,
                           answered_on="2027-05-25")
    found = by_entity(letters.build(two_slot_db, letter_date=ON))
    p2 = found["p2"]
    assert "Subject: selection as host of the Slot s2, and outcome of your proposal for the Slot s1" in p2
    assert "has been selected to host the Slot s2." in p2 and "that is by 21 June 2027." in p2
    assert "another applicant has been selected to host the Slot s1. We regret that your proposal was not " \
           "selected for it." in p2
    p1 = found["p1"]  # accepted s1; on the reserve list of s2, whose offer to p2 awaits its answer
    assert "We have received your acceptance of 25 May 2027, for which we thank you." in p1
    assert "For the Slot s2, your proposal ranked 1st of 6 with a total of 95.0 out of 100, one of four " \
           "shortlisted. An offer has been made to another applicant and its answer is awaited. Your proposal is on " \
           "the reserve list" in p1
    assert "not selected" not in p1


def test_the_reserve_list_is_told_so_while_the_offer_awaits_its_answer(six_db):
    select(six_db, "s1", "p1", notified_on="2027-05-20")  # pending: p2, p3, p4 may still receive the offer
    others = by_entity(letters.build(six_db, letter_date=ON))
    for pid in ("p2", "p3", "p4"):
        assert "Your proposal is on the reserve list: should that offer not be accepted, you may be offered to " \
               "host it, and we will write to you again." in others[pid], pid
        assert "not selected" not in others[pid], pid
    assert "We regret that your proposal was not selected for it." in others["p5"]
    assert "reserve list" not in others["p5"]


def test_when_the_offer_passes_on_the_next_candidate_is_selected_and_the_reserve_still_waits(six_db):
    cid = call_id(six_db)
    first = select(six_db, "s1", "p1", notified_on="2027-05-20")
    decision.record_answer(six_db, user=STAFF, call_id=cid, selection_id=first, accepted=False,
                           answered_on="2027-05-24")
    with pytest.raises(letters.NoLetters):  # between two offers nobody is told anything
        letters.build(six_db, letter_date=ON)
    sec = accounts.create_first_secretariat(six_db, username="sec", display_name="Secretariat",
                                            password="a long enough password")
    decision.record_advice(six_db, user=sec, call_id=cid, slot_id="s1", advice="Offer it to the second.",
                           preferred_proposal="p2")
    select(six_db, "s1", "p2", notified_on="2027-05-28")
    pdf = letters.build(six_db, letter_date=ON)
    found = by_entity(pdf)
    assert "p1" not in found  # it declined: no letter about a slot it turned down
    assert "Subject: selection as host of the Slot s1" in found["p2"] and "that is by 28 June 2027." in found["p2"]
    assert pypdf.PdfReader(io.BytesIO(pdf)).outline[0].title == NAMES["p2"]  # the new host's letter comes first
    for pid in ("p3", "p4"):
        assert "Your proposal is on the reserve list" in found[pid] and "not selected" not in found[pid], pid
    assert "We regret that your proposal was not selected" in found["p5"]


def test_a_declined_offer_is_recalled_in_the_letter_about_another_slot(two_slot_db):
    cid = call_id(two_slot_db)
    first = select(two_slot_db, "s1", "p1", notified_on="2027-05-20")
    decision.record_answer(two_slot_db, user=STAFF, call_id=cid, selection_id=first, accepted=False,
                           answered_on="2027-05-24")
    select(two_slot_db, "s2", "p2", notified_on="2027-05-21")
    found = by_entity(letters.build(two_slot_db, letter_date=ON))
    assert "For the Slot s1, we have recorded that you declined the offer made to you." in found["p1"]
    assert "For the Slot s1, no host has been selected yet; we will write to you again once the decision is made." \
           in found["p3"]
    assert "not selected" not in found["p3"]  # on s2's reserve list, s1 still open


def test_ties_across_third_place_and_the_threshold_missed_are_worded(six_db):
    sid = select(six_db, "s1", "p1", notified_on="2027-05-20")
    decision.record_answer(six_db, user=STAFF, call_id=call_id(six_db), selection_id=sid, accepted=True,
                           answered_on="2027-05-25")
    others = by_entity(letters.build(six_db, letter_date=ON))
    for pid in ("p3", "p4"):
        assert "ranked jointly third of 6 with a total of 65.0 out of 100, one of four shortlisted." in others[pid]
        assert "We regret that your proposal was not selected for it." in others[pid]
    assert ("It did not reach the threshold of 2 set for Criterion networks (its score: 1.50), so it could not be "
            "shortlisted.") in others["p6"]


def test_not_enough_reviews_is_named(six_db):
    six_db.execute("DELETE FROM scores WHERE proposal_id = 'p5' AND reviewer_id = 'r2'")
    six_db.conn.commit()
    select(six_db, "s1", "p1")
    p5 = by_entity(letters.build(six_db, letter_date=ON))["p5"]
    assert "For the Slot s1, your proposal did not receive the 2 valid reviews needed to be ranked." in p5


def test_reference_numbers_and_the_signatory_come_from_the_document_settings(six_db):
    select(six_db, "s1", "p1")
    text = pdftotext(letters.build(six_db, letter_date=ON))
    assert [f"Our reference: TEST-CALL-1/{n}" for n in range(1, 9)] == re.findall(r"Our reference: TEST-CALL-1/\d+",
                                                                                 text)
    assert f"Yours sincerely, {SECRETARIAT}" in text  # no signatory named: the secretariat signs
    documents.save_document_settings(six_db, user=STAFF, call_id=call_id(six_db), data={
        "letter_reference": "SCBD/TSC/2027", "signatory_name": "Astrid Ñúñez", "signatory_title": "Executive Secretary"})
    text = pdftotext(letters.build(six_db, letter_date=ON))
    assert re.findall(r"Our reference: (\S+)", text) == [f"SCBD/TSC/2027/{n}" for n in range(1, 9)]
    assert text.count(f"Yours sincerely, Astrid Ñúñez Executive Secretary {SECRETARIAT}") == 8
    assert "Decision letter SCBD/TSC/2027/7 Page 1 of 1" in text  # the footer names the letter, pages its own


def test_each_letter_has_a_bookmark_named_after_its_entity(six_db):
    select(six_db, "s1", "p3")
    reader = pypdf.PdfReader(io.BytesIO(letters.build(six_db, letter_date=ON)))
    titles = [item.title for item in reader.outline]
    assert titles[0] == NAMES["p3"]  # the selected entity first, in logical order
    assert sorted(titles) == sorted(NAMES.values())
    starts = [reader.get_destination_page_number(item) for item in reader.outline]
    assert starts[0] == 0 and starts == sorted(set(starts))
    for n, start in enumerate(starts, start=1):  # each bookmark opens its own letter's first page
        assert f"Our reference: TEST-CALL-1/{n} " in reader.pages[start].extract_text().replace("\n", " ")

def test_the_zip_holds_one_pdf_per_letter_named_by_entity(six_db):
    select(six_db, "s1", "p1", notified_on="2027-05-20")
    documents.save_document_settings(six_db, user=STAFF, call_id=call_id(six_db), data={"letter_reference": "L"})
    made = letters.build_set(six_db, letter_date=ON)
    z = zipfile.ZipFile(io.BytesIO(made.zipped()))
    names = z.namelist()
    assert names[0] == "1-Institut-sahelien-Nandu.pdf"
    assert "7-Reef-Ocean-Lab.pdf" in names and "8-Ineligible-Institute.pdf" in names
    assert len(names) == len(set(names)) == 8
    assert all(re.fullmatch(r"[0-9]-[A-Za-z0-9-]+\.pdf", n) for n in names)  # Arabic, Chinese...: a safe fallback
    combined = len(pypdf.PdfReader(io.BytesIO(made.pdf)).pages)
    pages = 0
    for n, name in enumerate(names, start=1):
        one = z.read(name)
        reader = pypdf.PdfReader(io.BytesIO(one))
        pages += len(reader.pages)
        text = pdftotext(one)
        assert text.count("Subject:") == 1 and f"Our reference: L/{n} " in text
        assert reader.metadata.title == f"Decision letter L/{n}" and len(reader.outline) == 1
    assert pages == combined


def test_letters_survive_hostile_text(six_db):
    select(six_db, "s1", "p1")
    six_db.execute("UPDATE entities SET name = ?, contact_email = ?, profile = ? WHERE id = 'e-p1'",
                   ["<b>Evil & </font>" * 2000, "\x00<a>@x", "{not json"])
    six_db.execute("UPDATE calls SET title = ?, secretariat_name = ?", ["]]>" * 5000, "   "])
    six_db.conn.commit()
    made = letters.build_set(six_db, letter_date=ON)
    text = pdf_text(made.pdf)
    assert "<b>Evil & </font>" in text
    assert "The Secretariat" in text  # a blank secretariat name falls back
    assert next(iter(made.files)).startswith("1-b-Evil-font-b-Evil")


def test_acceptance_deadline_rule():
    assert letters.acceptance_deadline({"notified_on": "2027-03-31"}, ON) == (dt.date(2027, 3, 31),
                                                                               dt.date(2027, 4, 30))
    assert letters.acceptance_deadline({"notified_on": None}, dt.date(2028, 1, 31)) == (dt.date(2028, 1, 31),
                                                                                       dt.date(2028, 2, 29))



def test_a_long_letter_counts_its_own_pages(db, bundle_builder):
    slots = tuple(f"s{i}" for i in range(1, 31))
    b = bundle_builder(slots=slots)
    for pid, score in (("pa", 5), ("pb", 3)):
        b.proposal(pid, slots=slots, name=f"Entity {pid.upper()}")
        b.review("r1", pid, [score])
    bundle.store(db, bundle.from_dict(b.dict()), actor="test")
    for sid in slots:
        select(db, sid, "pa")
    pdf = letters.build(db, letter_date=ON)
    pages = page_texts(pdf)
    assert len(pages) >= 3
    footers = [re.findall(r"Decision letter TEST-CALL-1/(\d+) Page (\d+) of (\d+)", p) for p in pages]
    assert footers[0] == [("1", "1", "1")]  # Entity PA: one page
    assert [f[0] for f in footers[1:]] == [("2", str(n), str(len(pages) - 1)) for n in range(1, len(pages))]
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert [reader.get_destination_page_number(o) for o in reader.outline] == [0, 1]
    assert "For the Slot s30, your proposal ranked 2nd of 2" in pages[-1]
