"""The secretariat's and members' refusals are written in the language of the person who caused them
(``i18n.use``), and in English exactly as before when no other language is chosen."""

from __future__ import annotations

import itertools

import pytest

from selection import i18n, queries, words
from selection.errors import Forbidden, Invalid
from selection.services import decision, funding, meeting


@pytest.fixture
def notified(world):
    """An eligible proposal for Africa, scored by one member, selected and notified today: (world, selection id)."""
    _, pid = world.submitted("lakes")
    world.eligible(pid)
    member = world.member("amina")
    world.assign(member, pid)
    world.score(member, pid, 4)
    selection_id = decision.record_selection(world.db, user=world.sec, call_id=world.call_id, slot_id="africa",
                                             proposal_id=pid, rationale="Top of the ranking.")
    decision.record_notification(world.db, user=world.sec, call_id=world.call_id, selection_id=selection_id,
                                 notified_on=world.T0.date())
    return world, selection_id


def _refusal(lang: str, action) -> Invalid | Forbidden:
    with i18n.use(lang), pytest.raises((Invalid, Forbidden)) as refused:
        action()
    return refused.value


def _text(refusal) -> str:
    return refusal.message if isinstance(refusal, Invalid) else str(refusal)


def test_a_lapse_asked_too_early_says_until_when_in_the_reader_s_words(notified):
    w, selection_id = notified
    due = queries.acceptance_due(next(w.db.query("SELECT * FROM selections WHERE id = ?", [selection_id])))

    def lapse():
        decision.record_lapse(w.db, user=w.sec, call_id=w.call_id, selection_id=selection_id)

    said = {lang: _refusal(lang, lapse) for lang in ("en", "fr", "ar")}
    assert said["en"].message == f"the entity has until {words.date(due)} to accept"
    with i18n.use("fr"):
        assert said["fr"].message == f"l'entité a jusqu'au {words.date(due)} pour accepter"
    with i18n.use("ar"):
        assert said["ar"].message == f"أمام الكيان مهلة حتى {words.date(due)} للقبول"
    assert {r.field for r in said.values()} == {"selection"}
    assert "April 2026" in said["en"].message and "avril 2026" in said["fr"].message


def test_an_answer_that_is_not_chosen_is_refused_in_french_and_arabic(notified):
    w, selection_id = notified

    def answer():
        decision.record_answer(w.db, user=w.sec, call_id=w.call_id, selection_id=selection_id, accepted=None,
                               answered_on=w.T0.date())

    assert _refusal("en", answer).message == "choose accepted or declined"
    assert _refusal("fr", answer).message == "choisissez « acceptée » ou « déclinée »"
    assert _refusal("ar", answer).message == "يُرجى اختيار «مقبول» أو «مرفوض»"


@pytest.fixture
def pledge(world):
    world.pledge = funding.add_pledge(world.db, user=world.sec, call_id=world.call_id, slot_id="africa",
                                      donor="Nordic Fund")
    return world


def _change(w, **args):
    funding.change_pledge(w.db, user=w.sec, call_id=w.call_id, pledge_id=w.pledge, **args)


def test_a_final_pledge_is_refused_in_french_and_arabic_and_nothing_is_recorded(pledge):
    w = pledge
    _change(w, status="paid", amount=10)
    said = {lang: _refusal(lang, lambda: _change(w, status="pledged")) for lang in ("en", "fr", "ar")}
    assert said["en"].message == "a paid pledge is final"
    assert said["fr"].message == "une contribution versée est définitive"
    assert said["ar"].message == "التعهد المدفوع نهائي"
    assert {r.field for r in said.values()} == {"status"}
    assert [e["status"] for e in funding.pledges(w.db, w.call_id)[0]["history"]] == ["contacted", "paid"]


def test_a_change_dated_too_early_names_the_last_change_as_a_date_people_read(pledge):
    w = pledge

    def early():
        _change(w, status="pledged", on_date="2026-03-01", amount=10)

    assert _refusal("en", early).message == ("the pledge's last change is dated 2 March 2026: "
                                             "a change cannot come before it")
    assert _refusal("fr", early).message == ("la dernière modification de l'annonce de contribution date du "
                                             "2 mars 2026 : une modification ne peut pas lui être antérieure")


def test_every_move_the_pledge_table_refuses_has_its_own_sentence():
    refused = {(old, new) for old, new in itertools.product(funding.STATUSES, repeat=2)
               if old != new and new not in funding.NEXT[old]}
    assert set(funding.REFUSED) == refused
    assert funding.REFUSED["pledged", "contacted"] == "a pledged pledge cannot become contacted"
    assert funding.REFUSED["declined", "paid"] == "a declined pledge is final"


@pytest.fixture
def submitted(world):
    _, pid = world.submitted("lakes")
    return world, pid


def test_a_consensus_without_a_score_is_refused_in_french_and_arabic(submitted):
    w, pid = submitted

    def record():
        meeting.record_consensus(w.db, user=w.sec, call_id=w.call_id, proposal_id=pid, criterion_id="networks",
                                 score=None, note="Agreed.")

    assert _refusal("en", record).message == "choose the score the group agreed"
    assert _refusal("fr", record).message == "choisissez la note convenue par le groupe"
    assert _refusal("ar", record).message == "يُرجى اختيار الدرجة التي اتفق عليها الفريق"
    assert w.db.execute("SELECT count(*) FROM consensus").fetchone()[0] == 0


def test_a_member_recording_consensus_is_told_who_does_in_french_and_arabic(submitted):
    w, pid = submitted
    member = w.member("amina")

    def record():
        meeting.record_consensus(w.db, user=member, call_id=w.call_id, proposal_id=pid, criterion_id="networks",
                                 score=4, note="Agreed.")

    assert _text(_refusal("en", record)) == "The secretariat records the advisory group's consensus."
    assert _text(_refusal("fr", record)) == "Le secrétariat enregistre le consensus du groupe consultatif."
    assert _text(_refusal("ar", record)) == "تسجّل الأمانة توافق آراء الفريق الاستشاري."
