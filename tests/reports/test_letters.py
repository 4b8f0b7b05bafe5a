"""Decision letters: the selected entity's acceptance deadline, and a letter to every other applicant."""

from __future__ import annotations

import datetime as dt

import pytest

from reports import letters
from selection import queries
from selection.services import decision
from tests.reports.conftest import NAMES, SECRETARIAT, STAFF, page_texts, pdf_text, select

ON = dt.date(2027, 6, 2)


def test_no_selection_no_letters(six_db):
    assert not letters.pending(six_db)
    with pytest.raises(letters.NoLetters, match="no selection is recorded"):
        letters.build(six_db, letter_date=ON)


def test_notified_selection_gets_one_calendar_month_from_notification(six_db):
    select(six_db, "s1", "p1", notified_on="2027-01-31")
    assert letters.pending(six_db)
    first = page_texts(letters.build(six_db, letter_date=ON))[0]
    assert SECRETARIAT in first[:120]
    assert "Subject: selection as host of the Slot s1" in first
    assert "Institut sahélien Ñandú (ISN) has been selected to host the Slot s1" in first
    assert "You were notified of this decision on 31 January 2027." in first
    assert "by 28 February 2027 (acceptance deadline: 2027-02-28)" in first  # 31 January + 1 month


def test_not_yet_notified_the_letter_date_is_the_notification(six_db):
    select(six_db, "s1", "p4")  # the Chinese entity, tied at third place: any shortlisted may be chosen
    first = page_texts(letters.build(six_db, letter_date=ON))[0]
    assert NAMES["p4"] in first
    assert "This letter, dated 2 June 2027, is the notification of this decision." in first
    assert "by 2 July 2027 (acceptance deadline: 2027-07-02)" in first
    assert "By e-mail: contact@mekong.example" in first


def test_the_address_names_the_country(six_db):
    select(six_db, "s1", "p1")
    first = page_texts(letters.build(six_db, letter_date=ON))[0]
    assert "Institut sahélien Ñandú (ISN) Senegal" in first


def test_one_letter_per_page_to_every_other_applicant(six_db):
    select(six_db, "s1", "p1", notified_on="2027-05-20")
    pages = page_texts(letters.build(six_db, letter_date=ON))
    assert len(pages) == len(NAMES)  # the selected entity and the seven other applicants for the slot
    assert all(p.count("Dear Sir or Madam") == 1 for p in pages)
    others = {pid: next(p for p in pages[1:] if name in p) for pid, name in NAMES.items() if pid != "p1"}
    assert "Subject: outcome of your proposal for the Slot s1" in others["p2"]
    assert "your proposal ranked 2nd of 6 with a total of 80.0 out of 100, one of four shortlisted." in others["p2"]
    assert "ranked 6th of 6" in others["p6"] and "shortlisted." not in others["p6"].replace("could not be shortlisted.", "")
    assert "was found ineligible at screening: Arrived after the deadline & <late>." in others["p8"]
    assert "Your proposal was withdrawn and so was not assessed (Merged with a partner proposal)." in others["p7"]
    assert "Reef & Ocean <Lab>" in others["p7"]  # escaped: printed as written


def test_letters_survive_hostile_text(six_db):
    select(six_db, "s1", "p1")
    six_db.execute("UPDATE entities SET name = ?, contact_email = ? WHERE id = 'e-p1'",
                   ["<b>Evil & </font>" * 2000, "\x00<a>@x"])
    six_db.execute("UPDATE calls SET title = ?, secretariat_name = ?", ["]]>" * 5000, "   "])
    six_db.conn.commit()
    text = pdf_text(letters.build(six_db, letter_date=ON))
    assert "<b>Evil & </font>" in text
    assert "The Secretariat" in text  # a blank secretariat name falls back


def test_acceptance_deadline_rule():
    assert letters.acceptance_deadline({"notified_on": "2027-03-31"}, ON) == (dt.date(2027, 3, 31),
                                                                               dt.date(2027, 4, 30))
    assert letters.acceptance_deadline({"notified_on": None}, dt.date(2028, 1, 31)) == (dt.date(2028, 1, 31),
                                                                                       dt.date(2028, 2, 29))


def _others(db) -> dict[str, str]:
    pages = page_texts(letters.build(db, letter_date=ON))
    return {pid: next(p for p in pages[1:] if name in p) for pid, name in NAMES.items() if pid != "p1"}


def test_the_reserve_list_is_told_so_while_the_offer_awaits_its_answer(six_db):
    select(six_db, "s1", "p1", notified_on="2027-05-20")  # pending: p2, p3, p4 may still receive the offer
    others = _others(six_db)
    for pid in ("p2", "p3", "p4"):
        assert "Your proposal is on the reserve list: should that offer not be accepted" in others[pid], pid
        assert "not selected" not in others[pid], pid
    assert "We regret that your proposal was not selected." in others["p5"]
    assert "reserve list" not in others["p5"]


def test_ties_across_third_place_and_the_threshold_missed_are_worded(six_db):
    sid = select(six_db, "s1", "p1", notified_on="2027-05-20")
    decision.record_answer(six_db, user=STAFF, call_id=queries.resolve_call(six_db, None)["id"], selection_id=sid,
                           accepted=True, answered_on="2027-05-25")
    others = _others(six_db)
    for pid in ("p3", "p4"):
        assert "ranked jointly third of 6 with a total of" in others[pid]
        assert "one of four shortlisted." in others[pid]
        assert "We regret that your proposal was not selected." in others[pid]
    assert ("It did not reach the threshold of 2 set for Criterion networks (its score: 1.50), so it could not be "
            "shortlisted.") in others["p6"]
