"""The members', meeting, Bureau and decision pages in the six languages: nothing a person reads there bypasses the
catalogues (the pseudo-language finds what does), each page renders in every language, and the core's refusals
come in the page's language."""

from __future__ import annotations

import datetime as dt

import pytest

from selection import i18n
from tests.ui.conftest import errors
from tests.ui.language_pages import button, marked, open_as, read_texts, stored_text, untranslated

PAGES = (("member1", "reviews"), ("secretariat", "meeting"), ("bureau", "advice"), ("secretariat", "decision"))


_open, _button = open_as, button


def _refused(at, db, label: str, where: str) -> None:
    """Press a button on a form left empty: the page refuses, and the refusal too comes through the catalogues."""
    _button(at, marked(label)).click().run()
    assert errors(at)
    _assert_translated(at, db, where)


def _assert_translated(at, db, where: str) -> None:
    assert not at.exception, [e.value for e in at.exception]
    data = stored_text(db)
    left = untranslated(read_texts(at), [*data, *(d.rstrip(".").lower() for d in data)])  # anchors read mid-sentence
    assert not left, f"{where}: text not through the catalogues: {left}"


def _newly_assigned(at, db) -> None:
    """One of member1's proposals as if just assigned (no declaration, no score), picked on the page."""
    rid, pid = db.execute("SELECT a.reviewer_id, a.proposal_id FROM assignments a JOIN reviewers r ON r.call_id = "
                          "a.call_id AND r.id = a.reviewer_id JOIN accounts u ON u.id = r.account_id WHERE "
                          "u.username = 'member1' AND a.conflict = 0 ORDER BY a.proposal_id DESC").fetchone()
    for table in ("scores", "review_submissions"):
        db.execute(f"DELETE FROM {table} WHERE reviewer_id = ? AND proposal_id = ?", [rid, pid])
    db.execute("UPDATE assignments SET declared_at = NULL WHERE reviewer_id = ? AND proposal_id = ?", [rid, pid])
    db.conn.commit()
    at.session_state["member_proposal"] = pid
    at.run()


def test_the_member_s_reviews_say_nothing_outside_the_catalogues(demo_db):
    at = _open(demo_db, "member1", "reviews", i18n.PSEUDO)
    _assert_translated(at, demo_db, "reviews, first proposal")
    _newly_assigned(at, demo_db)
    _assert_translated(at, demo_db, "reviews, a proposal to declare")
    _refused(at, demo_db, "Declare", "reviews, a refusal")
    at.radio[0].set_value(False)
    _button(at, marked("Declare")).click().run()
    _assert_translated(at, demo_db, "reviews, the scoring form")
    _refused(at, demo_db, "Save and submit", "reviews, the scoring form's refusal")


def test_the_meeting_page_says_nothing_outside_the_catalogues_with_a_what_if_move(demo_db):
    at = _open(demo_db, "secretariat", "meeting", i18n.PSEUDO)
    _assert_translated(at, demo_db, "meeting")
    at.slider[0].set_value(5.0).run()
    _assert_translated(at, demo_db, "meeting, weights moved")
    _refused(at, demo_db, "Record the consensus score", "meeting, a refusal")


def test_the_bureau_s_page_says_nothing_outside_the_catalogues(demo_db):
    at = _open(demo_db, "bureau", "advice", i18n.PSEUDO)
    _assert_translated(at, demo_db, "advice")
    _refused(at, demo_db, "Record the advice", "advice, a refusal")


def test_the_decision_page_says_nothing_outside_the_catalogues_before_and_after_a_selection(demo_db):
    at = _open(demo_db, "secretariat", "decision", i18n.PSEUDO)
    _assert_translated(at, demo_db, "decision")
    _refused(at, demo_db, "Record the selection", "decision, a refusal")
    next(a for a in at.text_area if a.label == marked("Rationale")).input("First on the list.")
    _button(at, marked("Record the selection")).click().run()
    assert not errors(at), errors(at)
    _assert_translated(at, demo_db, "decision, after a selection")
    _button(at, marked("Record the notification")).click().run()
    _assert_translated(at, demo_db, "decision, notified")


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_each_page_renders_in_each_language(demo_db, lang):
    for username, path in PAGES:
        assert _open(demo_db, username, path, lang).title, (lang, path)


def test_a_refusal_of_the_core_s_rules_comes_in_the_page_s_language(demo_db):
    """The offer's dates keep the procedure's order (``states.check_offer_dates``): said in French."""
    at = _open(demo_db, "secretariat", "decision", "fr")
    next(a for a in at.text_area if a.label == "Justification").input("Premier de la liste.")
    _button(at, "Enregistrer la sélection").click().run()
    _button(at, "Enregistrer la notification").click().run()
    assert not errors(at), errors(at)
    next(r for r in at.radio if r.label == "Réponse").set_value("accepted")
    answered = next(d for d in at.date_input if d.label == "Réponse reçue le")
    answered.set_value(answered.value - dt.timedelta(days=1))
    next(c for c in at.checkbox if c.label.startswith("Je confirme la réponse")).check()
    _button(at, "Enregistrer la réponse").click().run()
    assert "ne peut pas être antérieure à la notification" in errors(at), errors(at)
