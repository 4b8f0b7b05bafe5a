"""The Bureau's advice page: each slot's advice is its own, and recording it says so."""

from __future__ import annotations

from tests.ui.conftest import texts


def _advice_box(at):
    return next(a for a in at.text_area if a.label == "Advice")


def _record(at, text):
    _advice_box(at).input(text)
    next(b for b in at.button if b.label == "Record the advice").click().run()


def test_advice_for_one_slot_does_not_carry_over_to_the_next(open_as, demo_db):
    at = open_as("bureau", "advice")
    at.selectbox(key="advice_slot").set_value("global").run()
    _record(at, "Global: prefer a network with wide reach.")
    assert "Advice recorded for Global coordination entity." in texts(at)
    at.selectbox(key="advice_slot").set_value("africa").run()
    assert _advice_box(at).value == ""
    _record(at, "Africa: prefer Woodlands.")
    stored = dict(demo_db.execute("SELECT slot_id, advice FROM bureau_advice ORDER BY id").fetchall())
    assert stored == {"global": "Global: prefer a network with wide reach.", "africa": "Africa: prefer Woodlands."}


def test_text_typed_but_not_recorded_for_one_slot_is_not_offered_for_another(open_as, demo_db):
    at = open_as("bureau", "advice")
    at.selectbox(key="advice_slot").set_value("global").run()
    _advice_box(at).input("Half-written thought on the global slot")
    at.selectbox(key="advice_slot").set_value("africa").run()
    assert _advice_box(at).value == ""
    assert not demo_db.execute("SELECT count(*) FROM bureau_advice").fetchone()[0]
