"""Every page's address stays reachable, so a link never lands on "Page not found"."""

from __future__ import annotations

from selection.models import Role
from selection.permissions import User
from ui.pages import PAGES_BY_ROLE, linked_elsewhere, pages_for, signin


def _paths(entries) -> set[str]:
    return {path for _, path, _ in entries}


def test_signed_out_every_page_of_every_role_leads_to_the_sign_in_form():
    hidden = linked_elsewhere(None)
    every = set().union(*(_paths(entries) for entries in PAGES_BY_ROLE.values()))
    assert _paths(hidden) == every - _paths(pages_for(None, None))
    assert {fn for _, _, fn in hidden} == {signin.page_for_link}


def test_signed_in_another_role_s_page_says_so_and_no_address_is_registered_twice():
    applicant = User(id=1, username="inst", display_name="Institute", role=Role.APPLICANT)
    own, hidden = _paths(pages_for(None, applicant)), linked_elsewhere(applicant)
    assert {"decision", "meeting", "reviews", "open-calls"} <= _paths(hidden)
    assert not own & _paths(hidden) and "sign-in" not in _paths(hidden)
    assert {fn for _, _, fn in hidden} == {signin.not_for_this_role}
    assert len(hidden) == len(_paths(hidden))
