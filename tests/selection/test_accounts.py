"""Local accounts: the first secretariat, registration, invitations, throttled sign-in, idle sessions."""

from __future__ import annotations

import datetime as dt

import pytest

from selection import accounts, audit, store
from selection.errors import Forbidden, Invalid
from selection.models import Role

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
GOOD = "correct horse battery"


@pytest.fixture
def at(set_clock):
    """``at(datetime)`` sets the clock; it starts at T0."""
    return set_clock


@pytest.fixture
def adb(tmp_path, at):
    database = store.connect(tmp_path / "accounts.db")
    yield database
    database.conn.close()


@pytest.fixture
def sec(adb):
    return accounts.create_first_secretariat(adb, username="sec", display_name="Secretariat Officer", password=GOOD)


@pytest.fixture
def alice(adb, sec):
    return accounts.register_applicant(adb, username="alice", display_name="Lakes Institute", password=GOOD,
                                       email="alice@lakes.example")


# --------------------------------------------------------------------------- first account


def test_the_first_secretariat_is_created_once(adb):
    assert accounts.needs_first_account(adb)
    user = accounts.create_first_secretariat(adb, username="sec", display_name="Officer", password=GOOD)
    assert user.role is Role.SECRETARIAT
    assert not accounts.needs_first_account(adb)
    with pytest.raises(Invalid) as e:
        accounts.create_first_secretariat(adb, username="intruder", display_name="Intruder", password=GOOD)
    assert e.value.field == "username"
    assert [u.username for u in accounts.accounts(adb)] == ["sec"]


def test_passwords_are_stored_as_argon2_hashes(adb, sec):
    stored = adb.execute("SELECT password_hash FROM accounts WHERE username = 'sec'").fetchone()[0]
    assert stored.startswith("$argon2id$")
    assert GOOD not in stored


def test_account_creation_is_audited_without_the_password(adb, sec):
    [event] = [e for e in audit.events(adb) if e["action"] == "account.created"]
    assert event["target"] == "account:sec"
    assert event["new"] == {"role": "secretariat", "display_name": "Secretariat Officer"}
    assert GOOD not in str(event)


# --------------------------------------------------------------------------- registration


def test_an_applicant_registers_and_signs_in(adb, alice):
    assert alice.role is Role.APPLICANT
    assert alice.email == "alice@lakes.example"
    assert accounts.sign_in(adb, username="alice", password=GOOD) == alice
    assert accounts.sign_in(adb, username="  alice ", password=GOOD) == alice


@pytest.mark.parametrize("password", ["", "short", "123456789"])
def test_a_short_password_is_refused_naming_the_password_field(adb, password):
    with pytest.raises(Invalid) as e:
        accounts.register_applicant(adb, username="alice", display_name="Lakes", password=password)
    assert e.value.field == "password"
    assert "10" in e.value.message
    assert accounts.accounts(adb) == []


def test_ten_characters_are_enough(adb):
    assert accounts.register_applicant(adb, username="alice", display_name="Lakes", password="x" * 10)


@pytest.mark.parametrize("username", ["al", "has space", "semi;colon", ""])
def test_a_bad_username_is_refused(adb, username):
    with pytest.raises(Invalid) as e:
        accounts.register_applicant(adb, username=username, display_name="Lakes", password=GOOD)
    assert e.value.field == "username"


def test_a_bad_email_is_refused(adb):
    with pytest.raises(Invalid) as e:
        accounts.register_applicant(adb, username="alice", display_name="Lakes", password=GOOD, email="alice at lakes")
    assert e.value.field == "email"


def test_a_username_is_taken_once_whatever_its_case(adb, alice):
    for name in ("alice", "Alice", "ALICE"):
        with pytest.raises(Invalid) as e:
            accounts.register_applicant(adb, username=name, display_name="Someone else", password=GOOD + "2")
        assert e.value.field == "username"
        assert "taken" in e.value.message
    assert accounts.sign_in(adb, username="alice", password=GOOD) == alice


def test_unicode_names_and_display_names_are_welcome(adb):
    accounts.register_applicant(adb, username="青岚山", display_name="青岚山地生态合作研究院", password=GOOD)
    assert accounts.sign_in(adb, username="青岚山", password=GOOD).display_name == "青岚山地生态合作研究院"


# --------------------------------------------------------------------------- invitations


@pytest.mark.parametrize("role", [Role.MEMBER, Role.BUREAU, Role.SECRETARIAT])
def test_an_invitation_code_opens_an_account_with_its_role(adb, sec, role):
    code = accounts.invite(adb, user=sec, role=role, display_name="Dr Amina Diallo", email="amina@example.org")
    assert [i["display_name"] for i in accounts.pending_invitations(adb)] == ["Dr Amina Diallo"]
    user = accounts.accept_invitation(adb, code=f"  {code} ", username="amina", password=GOOD)
    assert (user.role, user.display_name, user.email) == (role, "Dr Amina Diallo", "amina@example.org")
    assert accounts.pending_invitations(adb) == []
    assert accounts.sign_in(adb, username="amina", password=GOOD) == user


def test_an_invitation_code_works_once(adb, sec):
    code = accounts.invite(adb, user=sec, role=Role.MEMBER, display_name="Amina")
    accounts.accept_invitation(adb, code=code, username="amina", password=GOOD)
    with pytest.raises(Invalid) as e:
        accounts.accept_invitation(adb, code=code, username="amina2", password=GOOD)
    assert e.value.field == "code"
    assert [u.username for u in accounts.accounts(adb, Role.MEMBER)] == ["amina"]


def test_an_unknown_code_is_refused(adb, sec):
    accounts.invite(adb, user=sec, role=Role.MEMBER, display_name="Amina")
    with pytest.raises(Invalid) as e:
        accounts.accept_invitation(adb, code="000000-000000-000000", username="amina", password=GOOD)
    assert e.value.field == "code"


def test_a_failed_acceptance_leaves_the_code_usable(adb, sec):
    code = accounts.invite(adb, user=sec, role=Role.MEMBER, display_name="Amina")
    with pytest.raises(Invalid) as e:
        accounts.accept_invitation(adb, code=code, username="amina", password="short")
    assert e.value.field == "password"
    assert accounts.accept_invitation(adb, code=code, username="amina", password=GOOD).role is Role.MEMBER


def test_only_the_secretariat_invites(adb, sec, alice):
    member = accounts.accept_invitation(
        adb, code=accounts.invite(adb, user=sec, role=Role.MEMBER, display_name="Amina"), username="amina",
        password=GOOD)
    for who in (alice, member, None):
        with pytest.raises(Forbidden):
            accounts.invite(adb, user=who, role=Role.SECRETARIAT, display_name="Myself again")
    assert accounts.pending_invitations(adb) == []


def test_applicants_are_not_invited(adb, sec):
    with pytest.raises(Invalid) as e:
        accounts.invite(adb, user=sec, role=Role.APPLICANT, display_name="An institute")
    assert e.value.field == "role"
    with pytest.raises(Invalid) as e:
        accounts.invite(adb, user=sec, role=Role.MEMBER, display_name="  ")
    assert e.value.field == "display_name"


# --------------------------------------------------------------------------- sign-in


def test_unknown_user_and_wrong_password_get_the_same_message(adb, alice):
    with pytest.raises(Invalid) as unknown:
        accounts.sign_in(adb, username="nobody", password=GOOD)
    with pytest.raises(Invalid) as wrong:
        accounts.sign_in(adb, username="alice", password="wrong password")
    assert (unknown.value.field, unknown.value.message) == (wrong.value.field, wrong.value.message)
    assert wrong.value.message == accounts.BAD_CREDENTIALS


def test_an_empty_password_is_refused(adb, alice):
    with pytest.raises(Invalid) as e:
        accounts.sign_in(adb, username="alice", password="")
    assert e.value.message == accounts.BAD_CREDENTIALS


def test_five_failures_pause_the_account_even_for_the_right_password(adb, alice, at):
    for _ in range(accounts.MAX_FAILURES - 1):
        with pytest.raises(Invalid):
            accounts.sign_in(adb, username="alice", password="guess")
    # four failures: the right password still works
    assert accounts.sign_in(adb, username="alice", password=GOOD) == alice
    with pytest.raises(Invalid) as e:
        accounts.sign_in(adb, username="alice", password="guess")
    assert e.value.message == accounts.BAD_CREDENTIALS

    with pytest.raises(Invalid) as e:
        accounts.sign_in(adb, username="alice", password=GOOD)
    assert e.value.message != accounts.BAD_CREDENTIALS
    assert "15 minutes" in e.value.message
    at(T0 + dt.timedelta(minutes=14, seconds=59))
    with pytest.raises(Invalid):
        accounts.sign_in(adb, username="alice", password=GOOD)

    at(T0 + dt.timedelta(minutes=15, seconds=1))
    assert accounts.sign_in(adb, username="alice", password=GOOD) == alice


def test_the_pause_is_per_account(adb, sec, alice):
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(Invalid):
            accounts.sign_in(adb, username="alice", password="guess")
    assert accounts.sign_in(adb, username="sec", password=GOOD) == sec
    with pytest.raises(Invalid):
        accounts.sign_in(adb, username="ALICE", password=GOOD)  # the same account, whatever the case


def test_an_unknown_username_is_paused_like_a_real_one(adb, alice):
    """Otherwise the pause itself would tell which usernames exist."""
    for name in ("alice", "nobody"):
        for _ in range(accounts.MAX_FAILURES):
            with pytest.raises(Invalid):
                accounts.sign_in(adb, username=name, password="guess")
    messages = set()
    for name in ("alice", "nobody"):
        with pytest.raises(Invalid) as e:
            accounts.sign_in(adb, username=name, password=GOOD)
        messages.add(e.value.message)
    assert len(messages) == 1


def test_failures_spread_over_time_do_not_pause(adb, alice, at):
    for i in range(accounts.MAX_FAILURES + 2):
        at(T0 + dt.timedelta(minutes=4 * i))
        with pytest.raises(Invalid) as e:
            accounts.sign_in(adb, username="alice", password="guess")
        assert e.value.message == accounts.BAD_CREDENTIALS
    assert accounts.sign_in(adb, username="alice", password=GOOD) == alice


def test_a_disabled_account_cannot_sign_in(adb, alice):
    adb.execute("UPDATE accounts SET disabled = 1 WHERE id = ?", [alice.id])
    with pytest.raises(Invalid) as e:
        accounts.sign_in(adb, username="alice", password=GOOD)
    assert e.value.message == accounts.BAD_CREDENTIALS
    assert accounts.get_user(adb, alice.id) is None


# --------------------------------------------------------------------------- sessions


@pytest.mark.parametrize(
    ("idle", "expired"),
    [(dt.timedelta(minutes=5), False), (dt.timedelta(minutes=29, seconds=59), False),
     (dt.timedelta(minutes=30), False), (dt.timedelta(minutes=30, seconds=1), True), (dt.timedelta(hours=3), True)],
)
def test_a_session_expires_after_30_idle_minutes(idle, expired):
    assert accounts.session_expired(T0, T0 + idle) is expired


def test_session_expiry_follows_the_clock(at):
    last_seen = T0
    at(T0 + dt.timedelta(minutes=29))
    assert not accounts.session_expired(last_seen)
    at(T0 + dt.timedelta(minutes=31))
    assert accounts.session_expired(last_seen)
