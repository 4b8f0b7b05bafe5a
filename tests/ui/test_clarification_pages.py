"""The clarification round in the app, for the three roles: the secretariat asks, the applicant answers,
an assigned member reads the answer beside the proposal."""

from __future__ import annotations

import datetime as dt

from selection import clock
from tests.ui.conftest import errors, texts


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def test_ask_answer_and_read(open_as, demo_db, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2027, 4, 20, 9, 0, tzinfo=dt.UTC))
    owned = demo_db.execute("SELECT p.id, e.name FROM proposals p JOIN entities e ON e.call_id = p.call_id "
                            "AND e.id = p.entity_id JOIN accounts a ON a.id = e.account_id "
                            "WHERE a.username = 'applicant'").fetchone()
    at = open_as("secretariat", "clarifications")
    assert at.title[0].value == "Clarifications"
    button(at, "Send the request").click().run()
    assert "Proposal — choose the proposal to ask about." in errors(at)
    next(s for s in at.selectbox if s.label == "Proposal").set_value(owned[0])
    next(t for t in at.text_area if t.label == "Question 1").input("Which partners **signed** <b>the</b> letters?")
    button(at, "Send the request").click().run()
    assert not at.exception
    assert f"Request sent to {owned[1]}" in texts(at)
    assert "awaiting an answer" in set(at.dataframe[0].value["State"])

    told = "The advisory group asks you to clarify your proposal: answer its questions under Clarifications by"
    assert told in texts(open_as("applicant", "my-proposal"))
    at = open_as("applicant", "clarifications")
    raw = "\n".join(m.value for m in at.markdown)
    assert "\\*\\*signed\\*\\*" in raw and "**signed**" not in raw            # user text escaped, shown as typed
    assert "Which partners signed <b>the</b> letters?" in texts(at)
    button(at, "Send my answers").click().run()
    assert "answer every question (question 1 is empty)" in errors(at)
    next(t for t in at.text_area if t.label == "Answer to question 1").input("The ministries of two countries.")
    button(at, "Send my answers").click().run()
    assert "Your answers were sent." in texts(at)
    assert told not in texts(open_as("applicant", "my-proposal"))

    reader = demo_db.execute("SELECT a.username FROM assignments s JOIN reviewers r ON r.call_id = s.call_id AND "
                             "r.id = s.reviewer_id JOIN accounts a ON a.id = r.account_id WHERE s.proposal_id = ? "
                             "AND coalesce(s.conflict, 0) = 0", [owned[0]]).fetchone()[0]
    at = open_as(reader, "reviews")
    shown = texts(at)
    if "Clarifications asked by the advisory group" not in shown:        # the member picks the proposal first
        picker = next(s for s in at.selectbox if owned[0] in s.options)
        picker.set_value(owned[0]).run()
        shown = texts(at)
    assert "Clarifications asked by the advisory group" in shown
    assert "The applicant answered the advisory group's clarification request" in shown
    assert "The whole proposal: statement, summary, files and clarifications" in [e.label for e in at.expander]
    assert "The ministries of two countries." in shown
