"""The decision page carries a call past the decision: a declined first choice, the next on the list, a signed host agreement."""

from __future__ import annotations

import datetime as dt

from selection import clock
from tests.ui.conftest import errors, texts


def _page(open_as):
    return open_as("secretariat", "decision")


def _do(at, label: str, **inputs):
    """Fill the named inputs, press the button, and return the page as it is then."""
    for name, value in inputs.items():
        if name == "slot":
            at.selectbox(key="sel_slot").set_value(value).run()
        elif name == "answer":
            next(r for r in at.radio if r.label == "Answer").set_value(value)
            next(c for c in at.checkbox if c.label.startswith("I confirm the answer")).check()
        else:
            next(a for a in at.text_area if a.label == name).input(value)
    if label == "Record the signature":
        next(c for c in at.checkbox if c.label == "I confirm the host agreement is signed").check()
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_declined_first_choice_then_a_signed_host_agreement(open_as, demo_db):
    at = _do(_page(open_as), "Record the selection", slot="africa",
             Rationale="First on the list; the Bureau concurred.")
    assert "kept as the decision record" in texts(at)
    _do(_page(open_as), "Record the notification")
    at = _do(_page(open_as), "Record the answer", answer="declined")
    assert "declined" in texts(at)

    at = _do(_page(open_as), "Record the selection", slot="africa", Rationale="Second on the list.")
    assert "Bureau's advice on the next candidate" in errors(at)
    _do(_page(open_as), "Record the advice", slot="africa",
        **{"The Bureau's advice": "Offer it to the second on the list."})
    at = _do(_page(open_as), "Record the selection", slot="africa", Rationale="Second on the list, after a decline.")
    assert not errors(at), errors(at)
    _do(_page(open_as), "Record the notification")
    _do(_page(open_as), "Record the answer", answer="accepted")
    at = _do(_page(open_as), "Record the signature")

    chain = demo_db.execute("SELECT proposal_id, acceptance, agreement_signed_on IS NOT NULL FROM selections "
                            "ORDER BY id").fetchall()
    assert [(a, b) for _, a, b in chain] == [("declined", 0), ("accepted", 1)]
    assert chain[0][0] != chain[1][0]
    assert "Its fingerprint, printed on the report and the letters" in texts(at)
    at = _do(at, "Verify the record against the database")
    assert "The record is intact" in texts(at)


def _fill(at, key: str, reason: str, *, tick: bool):
    at.text_area(key=f"{key}_reason").input(reason)
    if tick:
        at.checkbox(key=f"{key}_sure").check()
    return at


def _selected(open_as, demo_db) -> int:
    _do(_page(open_as), "Record the selection", slot="africa", Rationale="First on the list.")
    return demo_db.execute("SELECT id FROM selections").fetchone()[0]


def test_cancelling_a_selection_asks_for_a_confirmation_and_a_reason(open_as, demo_db):
    sid = _selected(open_as, demo_db)
    at = _fill(_page(open_as), f"cancel_{sid}", "Recorded for the wrong slot.", tick=False)
    at = _do(at, "Cancel the selection")
    assert "Tick the box to confirm" in errors(at)
    assert demo_db.execute("SELECT cancelled_at FROM selections").fetchone()[0] is None

    at = _do(_fill(_page(open_as), f"cancel_{sid}", "", tick=True), "Cancel the selection")
    assert "Reason for the correction (kept on record) — this cannot be left empty" in errors(at)
    assert demo_db.execute("SELECT cancelled_at FROM selections").fetchone()[0] is None

    at = _do(_fill(_page(open_as), f"cancel_{sid}", "Recorded for the wrong slot.", tick=True),
             "Cancel the selection")
    assert not errors(at), errors(at)
    assert "cancelled; the slot is open again" in texts(at)
    assert demo_db.execute("SELECT cancel_reason FROM selections").fetchone()[0] == "Recorded for the wrong slot."
    assert "Cancelled on" in texts(at) and "selection cancelled" in texts(at)  # the offer and the corrections list
    assert any(b.label == "Record the selection" for b in at.button)  # the slot can be decided again


def test_a_recorded_answer_offers_no_second_answer_but_a_date_correction(open_as, demo_db):
    sid = _selected(open_as, demo_db)
    _do(_page(open_as), "Record the notification")
    at = _do(_page(open_as), "Record the answer", answer="accepted")
    assert not any(b.label == "Record the answer" for b in at.button)
    at = _page(open_as)
    at.selectbox(key=f"fix_{sid}_f").set_value("answered_on")
    day = clock.today() + dt.timedelta(days=1)  # the answer cannot come before the notification, made today
    at.date_input(key=f"fix_{sid}_d").set_value(day)
    at = _do(_fill(at, f"fix_{sid}", "The letter is dated a day later.", tick=True), "Correct the date")
    assert not errors(at), errors(at)
    assert demo_db.execute("SELECT answered_on FROM selections").fetchone()[0] == day.isoformat()
    assert "answer date corrected" in texts(at)


def test_the_secretariat_reopens_a_submitted_review_from_the_decision_page(open_as, demo_db):
    before = demo_db.execute("SELECT count(*) FROM review_submissions").fetchone()[0]
    at = _page(open_as)
    which = at.selectbox(key="reopen_which").value
    at = _do(_fill(at, "reopen", "The member scored the wrong file.", tick=True), "Reopen the review")
    assert not errors(at), errors(at)
    assert "Review reopened" in texts(at)
    assert demo_db.execute("SELECT count(*) FROM review_submissions").fetchone()[0] == before - 1
    assert not demo_db.execute("SELECT 1 FROM review_submissions WHERE proposal_id = ? AND reviewer_id = ?",
                               list(which)).fetchone()


def test_the_answer_is_chosen_and_every_follow_up_step_says_what_was_recorded(open_as, demo_db):
    _do(_page(open_as), "Record the selection", slot="africa", Rationale="First on the list.")
    at = _do(_page(open_as), "Record the notification")
    assert "notified on" in texts(at) and "one calendar month to accept" in texts(at)
    at = _page(open_as)
    assert next(r for r in at.radio if r.label == "Answer").value is None
    next(c for c in at.checkbox if c.label.startswith("I confirm the answer")).check()
    next(b for b in at.button if b.label == "Record the answer").click().run()
    assert "Answer — choose accepted or declined" in errors(at)
    assert demo_db.execute("SELECT acceptance FROM selections").fetchone()[0] == "pending"
    at = _do(_page(open_as), "Record the answer", answer="accepted")
    assert "the offer was accepted on" in texts(at)
    at = _page(open_as)
    next(b for b in at.button if b.label == "Record the signature").click().run()  # not confirmed
    assert "Tick the box to confirm the signature; nothing was recorded." in errors(at)
    at = _do(_page(open_as), "Record the signature")
    assert "host agreement signed on" in texts(at)


def test_the_rationale_typed_for_one_slot_stays_with_that_slot(open_as):
    at = _page(open_as)
    at.selectbox(key="sel_slot").set_value("africa").run()
    next(a for a in at.text_area if a.label == "Rationale").input("Only for Africa.")
    at.selectbox(key="sel_slot").set_value("global").run()
    assert next(a for a in at.text_area if a.label == "Rationale").value == ""


def test_a_selection_before_the_submission_deadline_asks_to_be_confirmed(open_as, demo_db):
    """Nobody closes a call early by accident: while proposals may still arrive, the selection needs a tick."""
    import datetime as dt

    from selection import clock

    later = (clock.today() + dt.timedelta(days=18)).isoformat()
    demo_db.execute("UPDATE calls SET submission_deadline = ?", [later])
    at = _do(_page(open_as), "Record the selection", slot="africa", Rationale="First on the list.")
    assert "Proposals may still arrive until" in texts(at)
    assert "nothing was recorded" in errors(at)
    assert demo_db.execute("SELECT count(*) FROM selections").fetchone()[0] == 0
    at = _page(open_as)
    at.selectbox(key="sel_slot").set_value("africa").run()
    at.checkbox(key="early_africa").check()
    next(a for a in at.text_area if a.label == "Rationale").input("First on the list; the call allows it.")
    next(b for b in at.button if b.label == "Record the selection").click().run()
    assert demo_db.execute("SELECT count(*) FROM selections").fetchone()[0] == 1
