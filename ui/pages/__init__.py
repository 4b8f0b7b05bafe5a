"""The pages each role sees, in the order of its work. One module per thing a person does."""

from __future__ import annotations

from selection.i18n import N_, _
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

SIGNED_OUT = [(N_("Sign in"), "sign-in", signin.page), (N_("Open calls"), "open-calls", public_call.page)]
PAGES_BY_ROLE = {
    Role.SECRETARIAT: [
        (N_("Dashboard"), "dashboard", dashboard.page),
        (N_("Call set-up"), "call", call_setup.page),
        (N_("Questions"), "questions", inquiries.secretariat_page),
        (N_("Proposals"), "proposals", proposals.page),
        (N_("Panel assignment"), "assignment", assignment.page),
        (N_("Clarifications"), "clarifications", clarifications.page),
        (N_("Meeting"), "meeting", meeting.page),
        (N_("Assessment report"), "report", report.page),
        (N_("Decision and follow-up"), "decision", decision.page),
        (N_("People"), "people", people.page),
    ],
    Role.MEMBER: [
        (N_("My reviews"), "reviews", member.page),
        (N_("Review preferences"), "preferences", preferences.page),
    ],
    Role.BUREAU: [
        (N_("Shortlist and advice"), "advice", bureau.page),
        (N_("Assessment report"), "report", report.page),
    ],
    Role.APPLICANT: [
        (N_("My proposal"), "my-proposal", applicant.page),
        (N_("Questions and answers"), "questions", inquiries.applicant_page),
        (N_("Clarifications"), "clarifications", my_clarifications.page),
    ],
}


SIGNED_OUT = [("Sign in", "sign-in", signin.page), ("Open calls", "open-calls", public_call.page)]


def pages_for(conn, user) -> list[tuple]:
    """Each page's title in the reader's language, its address and its function."""
    entries = SIGNED_OUT if user is None else PAGES_BY_ROLE[user.role]
    return [(_(title), path, fn) for title, path, fn in entries]


def linked_elsewhere(user) -> list[tuple]:
    """Every other page's address, kept reachable but out of the menu, so that a link from an e-mail never
    lands on "Page not found": signed out, it asks to sign in and, once signed in, opens the page it names;
    signed in, a page of another role's work says so and points to the person's own pages."""
    own = {path for _, path, _ in pages_for(None, user)}
    others = {path: title for entries in [SIGNED_OUT, *PAGES_BY_ROLE.values()] for title, path, _ in entries
              if path not in own}
    if user is None:
        return [(_(title), path, signin.page_for_link) for path, title in others.items()]
    return [(_(title), path, signin.not_for_this_role) for path, title in others.items() if path != "sign-in"]
