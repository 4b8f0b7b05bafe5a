"""The decision page carries a call past the decision: a declined first choice, the next on the list, a signed host agreement."""

from __future__ import annotations

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
        else:
            next(a for a in at.text_area if a.label == name).input(value)
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_declined_first_choice_then_a_signed_host_agreement(open_as, demo_db):
    at = _do(_page(open_as), "Record the selection", slot="africa",
             Rationale="First on the list; the Bureau concurred.")
    assert "decision record is frozen" in texts(at)
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
    _do(_page(open_as), "Record the answer")
    at = _do(_page(open_as), "Record the signature")

    chain = demo_db.execute("SELECT proposal_id, acceptance, agreement_signed_on IS NOT NULL FROM selections "
                            "ORDER BY id").fetchall()
    assert [(a, b) for _, a, b in chain] == [("declined", 0), ("accepted", 1)]
    assert chain[0][0] != chain[1][0]
    assert "SHA-256" in texts(at)
    at = _do(at, "Verify the record against the database")
    assert "The record is intact" in texts(at)
