"""The decision page's donors: a pledge is recorded once and moved on, its history shown, never a second row."""

from __future__ import annotations

from tests.ui.conftest import texts


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def test_a_donor_is_recorded_then_its_pledge_moves_on_in_the_same_row(open_as, demo_db):
    at = open_as("secretariat", "decision")
    at.text_input(key="new_donor").input("Nordic Fund")
    _button(at, "Record the donor").click().run()
    assert "Nordic Fund recorded for Global coordination entity as contacted." in texts(at)
    [(pid,)] = demo_db.execute("SELECT id FROM pledges").fetchall()
    assert at.selectbox(key=f"move_status_{pid}").options[:2] == ["Contacted (unchanged)", "Pledged"]
    at.selectbox(key=f"move_status_{pid}").set_value("pledged")
    at.text_input(key=f"move_amount_{pid}").input("250,000")
    at.text_input(key=f"move_currency_{pid}").input("eur")
    at.text_input(key=f"move_note_{pid}").input("Letter of intent received.")
    _button(at, "Record the change").click().run()
    assert "Nordic Fund: pledged on" in texts(at)
    assert demo_db.execute("SELECT status, amount, currency FROM pledges").fetchall() == [("pledged", 250_000, "EUR")]
    history = at.dataframe[-1].value
    assert history["Status"].tolist() == ["contacted", "pledged"]
    assert history["Note"].tolist()[-1] == "Letter of intent received."
    assert "250,000 EUR" in history["Amount"].tolist()


def test_a_paid_pledge_offers_no_further_status(open_as, demo_db):
    at = open_as("secretariat", "decision")
    at.text_input(key="new_donor").input("Nordic Fund")
    next(s for s in at.selectbox if s.label == "Status" and "Paid" in s.options).set_value("paid")
    _button(at, "Record the donor").click().run()
    [(pid,)] = demo_db.execute("SELECT id FROM pledges").fetchall()
    assert at.selectbox(key=f"move_status_{pid}").options == ["Paid (unchanged)"]
    assert "that is final" in texts(at)
