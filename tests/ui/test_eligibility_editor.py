"""The secretariat writes the call's eligibility conditions on the call set-up page."""

from __future__ import annotations

from selection.services import eligibility
from tests.ui.conftest import on_edit_tab, texts


def _line(at, n):
    return next(t for t in at.text_input if t.label == f"Condition {n}")


def test_conditions_are_written_reworded_and_removed_from_call_set_up(open_as, demo_db):
    at = on_edit_tab(open_as("secretariat", "call"))
    _line(at, 1).input("A legal entity able to sign a host agreement")
    _line(at, 2).input("Based in a Party")
    next(b for b in at.button if b.label == "Save the conditions").click().run()
    assert "Eligibility conditions saved (2)." in texts(at)
    _line(at, 1).input("")
    _line(at, 2).input("Based in a Party to the Convention")
    next(b for b in at.button if b.label == "Save the conditions").click().run()
    assert [c["text"] for c in eligibility.conditions(demo_db, 1)] == ["Based in a Party to the Convention"]
    assert _line(at, 1).value == "Based in a Party to the Convention"
