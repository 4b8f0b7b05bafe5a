"""The secretariat's care of accounts: disable, enable, unlock, change a role, reset codes; every action audited."""

from __future__ import annotations

import datetime as dt

import pytest

from selection import account_admin, accounts, audit
from selection.errors import Forbidden, Invalid
from selection.models import Role
from tests.selection.test_accounts import GOOD, T0, adb, alice, at, sec  # noqa: F401 (fixtures)

NEW = "a brand new passphrase"


@pytest.fixture
def member(adb, sec):
    code = accounts.invite(adb, user=sec, role=Role.MEMBER, display_name="Amina Diallo")
    return accounts.accept_invitation(adb, code=code, username="amina", password=GOOD)


def events(adb, action: str) -> list[dict]:
    return [e for e in audit.events(adb) if e["action"] == action]


def test_a_disabled_account_cannot_sign_in_until_enabled_again(adb, sec, alice):
    account_admin.set_disabled(adb, user=sec, account_id=alice.id, disabled=True)
    with pytest.raises(Invalid) as e:
        accounts.sign_in(adb, username="alice", password=GOOD)
    assert e.value.message == accounts.BAD_CREDENTIALS
    account_admin.set_disabled(adb, user=sec, account_id=alice.id, disabled=False)
    assert accounts.sign_in(adb, username="alice", password=GOOD) == alice
    assert [(e["action"], e["actor"], e["target"], e["new"]) for e in audit.events(adb)
            if e["action"].startswith("account.") and e["action"] != "account.created"] == [
        ("account.disabled", "secretariat:sec", "account:alice", {"disabled": True}),
        ("account.enabled", "secretariat:sec", "account:alice", {"disabled": False}),
    ]


def test_the_last_active_secretariat_cannot_be_disabled_or_demoted(adb, sec):
    with pytest.raises(Invalid) as e:
        account_admin.set_disabled(adb, user=sec, account_id=sec.id, disabled=True)
    assert "only active secretariat" in e.value.message
    with pytest.raises(Invalid):
        account_admin.change_role(adb, user=sec, account_id=sec.id, role=Role.BUREAU)
    assert accounts.sign_in(adb, username="sec", password=GOOD).role is Role.SECRETARIAT


def test_with_a_colleague_a_secretariat_account_can_be_disabled(adb, sec):
    code = accounts.invite(adb, user=sec, role=Role.SECRETARIAT, display_name="Colleague")
    colleague = accounts.accept_invitation(adb, code=code, username="colleague", password=GOOD)
    account_admin.set_disabled(adb, user=colleague, account_id=sec.id, disabled=True)
    assert accounts.get_user(adb, sec.id) is None


def test_a_role_changes_between_staff_roles_and_is_audited(adb, sec, member):
    account_admin.change_role(adb, user=sec, account_id=member.id, role=Role.BUREAU)
    assert accounts.get_user(adb, member.id).role is Role.BUREAU
    [event] = events(adb, "account.role_changed")
    assert (event["old"], event["new"], event["target"]) == ({"role": "member"}, {"role": "bureau"}, "account:amina")


def test_nobody_becomes_an_applicant_and_an_applicant_stays_one(adb, sec, alice, member):
    with pytest.raises(Invalid) as e:
        account_admin.change_role(adb, user=sec, account_id=member.id, role=Role.APPLICANT)
    assert e.value.field == "role"
    with pytest.raises(Invalid):
        account_admin.change_role(adb, user=sec, account_id=alice.id, role=Role.SECRETARIAT)
    assert accounts.get_user(adb, alice.id).role is Role.APPLICANT


def test_a_reset_code_sets_a_new_password_once(adb, sec, alice):
    code = account_admin.issue_reset(adb, user=sec, account_id=alice.id)
    assert accounts.sign_in(adb, username="alice", password=GOOD) == alice  # the old one works until the reset
    assert account_admin.reset_password(adb, code=f" {code} ", password=NEW) == alice
    with pytest.raises(Invalid):
        accounts.sign_in(adb, username="alice", password=GOOD)
    assert accounts.sign_in(adb, username="alice", password=NEW) == alice
    with pytest.raises(Invalid) as e:
        account_admin.reset_password(adb, code=code, password="yet another passphrase")
    assert (e.value.field, e.value.message) == ("code", "this reset code was used already")
    assert [e["actor"] for e in events(adb, "account.reset_issued")] == ["secretariat:sec"]
    assert [e["actor"] for e in events(adb, "account.password_reset")] == ["applicant:alice"]
    assert code not in str(audit.events(adb)) and NEW not in str(audit.events(adb))


def test_a_new_reset_code_replaces_the_earlier_one(adb, sec, alice):
    first = account_admin.issue_reset(adb, user=sec, account_id=alice.id)
    second = account_admin.issue_reset(adb, user=sec, account_id=alice.id)
    with pytest.raises(Invalid) as e:
        account_admin.reset_password(adb, code=first, password=NEW)
    assert "withdrawn" in e.value.message
    assert account_admin.reset_password(adb, code=second, password=NEW) == alice


def test_a_reset_code_expires_after_3_days(adb, sec, alice, at):
    code = account_admin.issue_reset(adb, user=sec, account_id=alice.id)
    at(T0 + dt.timedelta(days=3))
    with pytest.raises(Invalid) as e:
        account_admin.reset_password(adb, code=code, password=NEW)
    assert "expired on 5 March 2026" in e.value.message


def test_the_new_password_follows_the_policy_and_a_refusal_keeps_the_code(adb, sec, alice):
    code = account_admin.issue_reset(adb, user=sec, account_id=alice.id)
    for bad in ("short", "qwertyuiop", "alice-forever-and-ever"):
        with pytest.raises(Invalid) as e:
            account_admin.reset_password(adb, code=code, password=bad)
        assert e.value.field == "password"
    assert account_admin.reset_password(adb, code=code, password=NEW) == alice


def test_a_reset_lifts_a_sign_in_pause(adb, sec, alice, at):
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(Invalid):
            accounts.sign_in(adb, username="alice", password="a wrong guess")
    code = account_admin.issue_reset(adb, user=sec, account_id=alice.id)
    at(T0 + dt.timedelta(seconds=5))
    account_admin.reset_password(adb, code=code, password=NEW)
    at(T0 + dt.timedelta(seconds=10))
    assert accounts.sign_in(adb, username="alice", password=NEW) == alice


def test_an_unknown_reset_code_is_refused(adb, sec, alice):
    with pytest.raises(Invalid) as e:
        account_admin.reset_password(adb, code="000000-000000-000000", password=NEW)
    assert e.value.field == "code"


def test_the_overview_shows_disabled_paused_and_signed_in(adb, sec, alice, member):
    account_admin.set_disabled(adb, user=sec, account_id=member.id, disabled=True)
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(Invalid):
            accounts.sign_in(adb, username="alice", password="a wrong guess")
    rows = {r["username"]: r for r in account_admin.overview(adb, user=sec)}
    assert (rows["amina"]["disabled"], rows["alice"]["paused"], rows["sec"]["paused"]) == (True, True, False)
    account_admin.unlock(adb, user=sec, account_id=alice.id)
    assert [e["target"] for e in events(adb, "account.unlocked")] == ["account:alice"]


@pytest.mark.parametrize("action", ["overview", "disable", "unlock", "role", "reset"])
def test_only_the_secretariat_manages_accounts(adb, sec, alice, member, action):
    calls = {
        "overview": lambda who: account_admin.overview(adb, user=who),
        "disable": lambda who: account_admin.set_disabled(adb, user=who, account_id=sec.id, disabled=True),
        "unlock": lambda who: account_admin.unlock(adb, user=who, account_id=member.id),
        "role": lambda who: account_admin.change_role(adb, user=who, account_id=member.id, role=Role.SECRETARIAT),
        "reset": lambda who: account_admin.issue_reset(adb, user=who, account_id=sec.id),
    }
    for who in (alice, member, None):
        with pytest.raises(Forbidden):
            calls[action](who)
    assert [e for e in audit.events(adb) if e["action"] != "account.created" and e["action"] != "invitation.created"] == []
