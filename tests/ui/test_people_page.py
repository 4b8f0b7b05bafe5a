"""The People page and the reset flow through AppTest: every action ends with what was recorded."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from selection import account_admin, accounts, audit
from selection.errors import Invalid
from selection.models import Role
from tests.selection.test_mail import (  # noqa: F401 (the fixtures inbox, mail_off, mail_on)
    Inbox,
    inbox_fixture,
    mail_off_fixture,
    mail_on_fixture,
)
from tests.ui.conftest import account_id, errors, texts

NEW = "a brand new passphrase"


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def field(widgets, label: str):
    return next(w for w in widgets if w.label == label)


def secretariat(db):
    return accounts.get_user(db, account_id(db, "secretariat"))


def manage(open_as, demo_db, username: str) -> AppTest:
    at = open_as("secretariat", "people")
    field(at.selectbox, "Account").set_value(account_id(demo_db, username)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_accounts_are_listed_by_role_in_people_words(open_as, demo_db):
    at = open_as("secretariat", "people")
    shown = texts(at)
    for heading in ("Secretariat (1)", "Advisory group members (8)", "Bureau members (1)", "Applicants ("):
        assert heading in shown
    frames = [d.value for d in at.dataframe]
    assert all(list(f.columns) == ["Name", "Username", "E-mail", "Status", "Signed in now"] for f in frames)
    assert {s for f in frames for s in f["Status"]} == {"Active"}
    assert list(frames[0]["Signed in now"]) == ["yes"]  # the secretariat, signed in to open this page
    assert {s for f in frames[1:] for s in f["Signed in now"]} == {"no"}


def test_an_invitation_is_listed_with_its_expiry_and_revoked(open_as, demo_db):
    code = accounts.invite(demo_db, user=secretariat(demo_db), role=Role.BUREAU, display_name="**Dr** Ana _Lima_")
    at = open_as("secretariat", "people")
    [line] = [t.value for t in at.text if "Ana" in t.value]
    assert line.startswith("**Dr** Ana _Lima_ — Bureau member — invited on ")  # user text shown as typed
    assert "valid until" in line
    button(at, "Revoke").click().run()
    assert "revoked: its code no longer works" in texts(at)
    assert not [t for t in at.text if "Ana" in t.value]
    with pytest.raises(Invalid, match="withdrawn"):
        accounts.accept_invitation(demo_db, code=code, username="ana", password=NEW)


def test_disabling_an_account_signs_it_out_at_its_next_action(open_as, demo_db):
    member = open_as("member1")
    assert member.title[0].value == "My reviews"
    at = manage(open_as, demo_db, "member1")
    button(at, "Disable the account").click().run()
    assert "is disabled: signed out everywhere, and cannot sign in." in texts(at)
    assert "disabled" in field(at.selectbox, "Account").format_func(account_id(demo_db, "member1"))
    member.run()
    assert member.title[0].value == "Host selection"
    assert "This account was disabled by the secretariat." in texts(member)
    button(at, "Enable the account").click().run()
    assert "is enabled again and can sign in." in texts(at)
    assert accounts.sign_in(demo_db, username="member1", password="demo-password").username == "member1"


def test_a_paused_account_is_shown_and_its_pause_lifted(open_as, demo_db):
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(Invalid):
            accounts.sign_in(demo_db, username="applicant", password="a wrong guess")
    at = manage(open_as, demo_db, "applicant")
    assert "Paused after failed sign-ins" in {s for d in at.dataframe for s in d.value["Status"]}
    button(at, "Lift the sign-in pause").click().run()
    assert "The sign-in pause of" in texts(at) and "is lifted" in texts(at)
    assert [e["target"] for e in audit.events(demo_db, action_prefix="account.unlocked")] == ["account:applicant"]


def test_a_role_is_changed_and_confirmed(open_as, demo_db):
    at = manage(open_as, demo_db, "member2")
    field(at.selectbox, "New role").set_value(Role.BUREAU).run()
    button(at, "Change the role").click().run()
    assert "is now: bureau member." in texts(at)
    assert accounts.get_user(demo_db, account_id(demo_db, "member2")).role is Role.BUREAU


def test_an_applicant_s_role_cannot_be_changed_from_the_page(open_as, demo_db):
    at = manage(open_as, demo_db, "applicant")
    assert not [b for b in at.button if b.label == "Change the role"]


def test_the_last_secretariat_is_told_why_it_cannot_be_disabled(open_as, demo_db):
    at = manage(open_as, demo_db, "secretariat")
    button(at, "Disable the account").click().run()
    assert "this is the only active secretariat account" in errors(at)
    assert accounts.get_user(demo_db, account_id(demo_db, "secretariat")) is not None


def test_a_reset_code_issued_on_the_people_page_sets_a_new_password_on_the_sign_in_page(open_as, demo_db):
    applicant = open_as("applicant")
    at = manage(open_as, demo_db, "applicant")
    button(at, "Issue a reset code").click().run()
    assert "valid for 3 days and shown only once" in texts(at)
    code = at.code[0].value

    visitor = open_as(None)
    field(visitor.text_input, "Reset code").input(code)
    field(visitor.text_input, f"New password (at least {accounts.MIN_PASSWORD} characters)").input(NEW)
    button(visitor, "Set the new password").click().run()
    assert not visitor.exception
    assert "Your new password is set. You are signed in as applicant." in texts(visitor)
    assert visitor.title[0].value == "My proposal"

    applicant.run()  # the session opened before the reset has ended
    assert "The password of this account was reset." in texts(applicant)
    with pytest.raises(Invalid):
        accounts.sign_in(demo_db, username="applicant", password="demo-password")


def test_a_common_password_is_refused_on_the_reset_form(open_as, demo_db):
    code = account_admin.issue_reset(demo_db, user=secretariat(demo_db), account_id=account_id(demo_db, "bureau"))
    visitor = open_as(None)
    field(visitor.text_input, "Reset code").input(code)
    field(visitor.text_input, f"New password (at least {accounts.MIN_PASSWORD} characters)").input("1234567890")
    button(visitor, "Set the new password").click().run()
    assert "most common passwords" in errors(visitor)
    assert visitor.title[0].value == "Host selection"


def test_with_mail_on_an_invitation_is_e_mailed(open_as, demo_db, mail_on):
    at = open_as("secretariat", "people")
    field(at.selectbox, "Role").set_value("Advisory group member")
    field(at.text_input, "Name").input("Dr Amina Diallo")
    field(at.text_input, "E-mail (optional)").input("amina@example.org")
    assert field(at.checkbox, "Send the invitation by e-mail").value is True
    button(at, "Create an invitation code").click().run()
    assert "The invitation was e-mailed to amina@example.org." in texts(at)
    [message] = mail_on.to("amina@example.org")
    body = Inbox.text(message)
    assert at.code[0].value in body and "I have an invitation" in body
    user = accounts.accept_invitation(demo_db, code=at.code[0].value, username="amina", password=NEW)
    assert user.role is Role.MEMBER


def test_with_mail_off_there_is_no_e_mail_choice(open_as, mail_off):
    at = open_as("secretariat", "people")
    assert not [c for c in at.checkbox if c.label == "Send the invitation by e-mail"]


def test_codes_invited_one_after_another_stay_on_screen_and_an_empty_name_is_named_by_its_label(open_as, demo_db):
    """The walk lost the first two of three codes created in a row, and read 'display name' for 'Name'."""
    at = open_as("secretariat", "people")
    button(at, "Create an invitation code").click().run()
    assert "Name" in errors(at) and "display name" not in errors(at)
    codes = []
    for name in ("Aminata Koné", "Мария Лебедева", "李文静"):
        field(at.selectbox, "Role").set_value("Advisory group member")
        field(at.text_input, "Name").input(name)
        button(at, "Create an invitation code").click().run()
        codes.append(at.code[-1].value)
    shown = [c.value for c in at.code]
    assert all(code in shown for code in codes)
    button(at, "I have passed these codes on: put them away").click().run()
    assert not at.code
