"""The pages each role sees, in the order of its work. One module per thing a person does."""

from __future__ import annotations

from selection.models import Role
from ui.pages import (
    applicant,
    assignment,
    bureau,
    call_setup,
    clarifications,
    dashboard,
    decision,
    inquiries,
    meeting,
    member,
    my_clarifications,
    people,
    preferences,
    proposals,
    public_call,
    report,
    signin,
)

PAGES_BY_ROLE = {
    Role.SECRETARIAT: [
        ("Dashboard", "dashboard", dashboard.page),
        ("Call set-up", "call", call_setup.page),
        ("Questions", "questions", inquiries.secretariat_page),
        ("Proposals", "proposals", proposals.page),
        ("Panel assignment", "assignment", assignment.page),
        ("Clarifications", "clarifications", clarifications.page),
        ("Meeting", "meeting", meeting.page),
        ("Assessment report", "report", report.page),
        ("Decision and follow-up", "decision", decision.page),
        ("People", "people", people.page),
    ],
    Role.MEMBER: [("My reviews", "reviews", member.page), ("Review preferences", "preferences", preferences.page)],
    Role.BUREAU: [
        ("Shortlist and advice", "advice", bureau.page),
        ("Assessment report", "report", report.page),
    ],
    Role.APPLICANT: [
        ("My proposal", "my-proposal", applicant.page),
        ("Questions and answers", "questions", inquiries.applicant_page),
        ("Clarifications", "clarifications", my_clarifications.page),
    ],
}


def pages_for(conn, user) -> list[tuple]:
    if user is None:
        return [("Sign in", "sign-in", signin.page), ("Open calls", "open-calls", public_call.page)]
    return PAGES_BY_ROLE[user.role]
