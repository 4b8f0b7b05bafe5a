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


SIGNED_OUT = [("Sign in", "sign-in", signin.page), ("Open calls", "open-calls", public_call.page)]


def pages_for(conn, user) -> list[tuple]:
    if user is None:
        return SIGNED_OUT
    return PAGES_BY_ROLE[user.role]


def linked_elsewhere(user) -> list[tuple]:
    """Every other page's address, kept reachable but out of the menu, so that a link from an e-mail never
    lands on "Page not found": signed out, it asks to sign in and, once signed in, opens the page it names;
    signed in, a page of another role's work says so and points to the person's own pages."""
    own = {path for _, path, _ in pages_for(None, user)}
    others = {path: title for entries in [SIGNED_OUT, *PAGES_BY_ROLE.values()] for title, path, _ in entries
              if path not in own}
    if user is None:
        return [(title, path, signin.page_for_link) for path, title in others.items()]
    return [(title, path, signin.not_for_this_role) for path, title in others.items() if path != "sign-in"]
