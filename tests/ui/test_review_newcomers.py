"""What a newcomer tripped over on the meeting, Bureau and decision pages (issue 12): amounts as people write them,
advice asked for only once there is a shortlist, a notification
dated before the call was published refused, and the meeting's tables within the page."""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from tests.ui.conftest import APP, errors, signed_in, texts


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def _french(db) -> AppTest:
    at = signed_in(AppTest.from_file(APP, default_timeout=60), db, "secretariat")
    at.session_state["goto"] = "decision"
    at.query_params["lang"] = "fr"
    return at.run()


def _pledge(at, donor: str, amount: str = "") -> None:
    at.text_input(key="new_donor").input(donor)
    if amount:
        at.text_input(key="new_amount").input(amount)
    _button(at, "Record the donor").click().run()


def test_a_pledge_s_amount_reads_as_people_write_it_and_is_stored_as_the_number(open_as, demo_db):
    at = open_as("secretariat", "decision")
    _pledge(at, "Nordic Fund", "200,000")
    [(pid, stored)] = demo_db.execute("SELECT id, amount FROM pledges").fetchall()
    assert stored == 200_000
    assert at.text_input(key=f"move_amount_{pid}").value == "200,000"
    at = _french(demo_db)
    assert at.text_input(key=f"move_amount_{pid}").value == "200\u202f000"
    at.text_input(key=f"move_amount_{pid}").input("250 000,50")
    at.text_input(key=f"move_note_{pid}").input("Montant revu.")
    _button(at, "Enregistrer la modification").click().run()
    assert not errors(at), errors(at)
    assert demo_db.execute("SELECT amount FROM pledges").fetchone()[0] == 250_000.5


def test_an_amount_that_is_not_a_number_is_refused_naming_the_box(open_as, demo_db):
    at = open_as("secretariat", "decision")
    _pledge(at, "Nordic Fund", "a lot")
    assert "Amount — write a number of zero or more, such as 200,000.50" in errors(at)
    assert demo_db.execute("SELECT count(*) FROM pledges").fetchone()[0] == 0


def test_the_bureau_is_told_what_must_happen_before_it_advises(open_as, demo_db):
    demo_db.execute("DELETE FROM scores")  # the call before the advisory group scored anything
    demo_db.conn.commit()
    at = open_as("bureau", "advice")
    assert not any(b.label == "Record the advice" for b in at.button)
    assert "the Bureau advises once the advisory group has scored the proposals" in texts(at)


def test_a_notification_before_the_call_was_published_is_refused_naming_the_field(open_as, demo_db):
    published = dt.date.fromisoformat(demo_db.execute("SELECT published_at FROM calls").fetchone()[0][:10])
    at = open_as("secretariat", "decision")
    at.selectbox(key="sel_slot").set_value("africa").run()
    next(a for a in at.text_area if a.label == "Rationale").input("First on the list.")
    _button(at, "Record the selection").click().run()
    assert not errors(at), errors(at)
    next(d for d in at.date_input if d.label == "Notified on").set_value(published - dt.timedelta(days=3))
    _button(at, "Record the notification").click().run()
    assert "Notified on — the notification cannot come before the call was published" in errors(at)
    assert demo_db.execute("SELECT notified_on FROM selections").fetchone()[0] is None
