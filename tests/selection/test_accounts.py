"""Local accounts: the first secretariat, registration, password policy, invitations, throttled sign-in."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from argon2 import PasswordHasher

from selection import account_admin, accounts, audit, sessions, store
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
def audit_trail():
    """``audit_trail(db, action)``: the events of one kind, oldest first."""
    return lambda db, action: [e for e in audit.events(db) if e["action"] == action]


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


@pytest.mark.parametrize(("password", "words"), [
    ("", "at least 10"), ("short", "at least 10"), ("123456789", "at least 10"),
    ("qwertyuiop", "most common"), ("Password123", "most common"), ("1q2w3e4r5t", "most common"),
    ("MANCHESTER", "most common"),
    ("alice-in-wonderland", "username"), ("my ALICE password", "username"), ("1234Alice567", "username"),
])
def test_a_password_the_policy_refuses_names_the_password_field_and_says_why(adb, password, words):
    with pytest.raises(Invalid) as e:
        accounts.register_applicant(adb, username="Alice", display_name="Lakes", password=password)
    assert e.value.field == "password"
    assert words in e.value.message
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


# --------------------------------------------------------------------------- password policy


def test_an_invited_person_s_password_follows_the_same_policy(adb, sec):
    code = accounts.invite(adb, user=sec, role=Role.MEMBER, display_name="Amina")
    for password in ("1234567890", "amina-secret-words", "short"):
        with pytest.raises(Invalid) as e:
            accounts.accept_invitation(adb, code=code, username="amina", password=password)
        assert e.value.field == "password"
    assert accounts.accept_invitation(adb, code=code, username="amina", password=GOOD).role is Role.MEMBER


def test_ten_spaces_do_not_make_a_password(adb):
    with pytest.raises(Invalid) as e:
        accounts.register_applicant(adb, username="alice", display_name="Lakes", password=" " * 12 + "abc")
    assert e.value.field == "password"


@pytest.mark.parametrize(("registered", "typed"), [(f"  {GOOD} ", GOOD), (GOOD, f" {GOOD}  "), (GOOD, f"{GOOD}\t")])
def test_spaces_around_a_password_are_treated_the_same_at_registration_and_sign_in(adb, registered, typed):
    alice = accounts.register_applicant(adb, username="alice", display_name="Lakes", password=registered)
    assert accounts.sign_in(adb, username="alice", password=typed) == alice


def test_spaces_inside_a_passphrase_count(adb):
    accounts.register_applicant(adb, username="alice", display_name="Lakes", password="correct horse battery")
    with pytest.raises(Invalid):
        accounts.sign_in(adb, username="alice", password="correcthorsebattery")


# --------------------------------------------------------------------------- invitations expire and are revoked


def test_an_invitation_expires_after_14_days(adb, sec, at):
    code = accounts.invite(adb, user=sec, role=Role.MEMBER, display_name="Amina")
    [pending] = accounts.pending_invitations(adb)
    assert dt.datetime.fromisoformat(pending["expires_at"]) == T0 + dt.timedelta(days=14)
    assert not pending["expired"]
    at(T0 + dt.timedelta(days=14))
    with pytest.raises(Invalid) as e:
        accounts.accept_invitation(adb, code=code, username="amina", password=GOOD)
    assert e.value.field == "code"
    assert "expired on 16 March 2026" in e.value.message
    assert [i["expired"] for i in accounts.pending_invitations(adb)] == [True]
    assert accounts.accounts(adb, Role.MEMBER) == []


def test_an_invitation_is_usable_until_its_last_second(adb, sec, at):
    code = accounts.invite(adb, user=sec, role=Role.MEMBER, display_name="Amina")
    at(T0 + dt.timedelta(days=14) - dt.timedelta(seconds=1))
    assert accounts.accept_invitation(adb, code=code, username="amina", password=GOOD).role is Role.MEMBER


def test_a_revoked_invitation_opens_no_account(adb, sec, audit_trail):
    code = accounts.invite(adb, user=sec, role=Role.SECRETARIAT, display_name="Former colleague")
    [pending] = accounts.pending_invitations(adb)
    accounts.revoke_invitation(adb, user=sec, invitation_id=pending["id"])
    assert accounts.pending_invitations(adb) == []
    with pytest.raises(Invalid) as e:
        accounts.accept_invitation(adb, code=code, username="former", password=GOOD)
    assert "withdrawn" in e.value.message
    [event] = audit_trail(adb, "invitation.revoked")
    assert (event["actor"], event["old"]) == ("secretariat:sec", {"display_name": "Former colleague"})
    with pytest.raises(Invalid):
        accounts.revoke_invitation(adb, user=sec, invitation_id=pending["id"])


def test_only_the_secretariat_revokes_an_invitation(adb, sec, alice):
    accounts.invite(adb, user=sec, role=Role.MEMBER, display_name="Amina")
    [pending] = accounts.pending_invitations(adb)
    for who in (alice, None):
        with pytest.raises(Forbidden):
            accounts.revoke_invitation(adb, user=who, invitation_id=pending["id"])
    assert len(accounts.pending_invitations(adb)) == 1


# --------------------------------------------------------------------------- nobody is locked out for good


def _pause(adb, username: str, browser: str | None = None) -> None:
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(Invalid):
            accounts.sign_in(adb, username=username, password="a wrong guess", browser=browser)


def test_a_known_browser_signs_in_while_strangers_keep_the_account_paused(adb, sec, at):
    mine = sessions.remember_browser(adb, sec)
    for minute in range(0, 120, 15):  # someone guesses all the time, five guesses every quarter of an hour
        at(T0 + dt.timedelta(minutes=minute))
        _pause(adb, "sec")
        with pytest.raises(Invalid) as e:
            accounts.sign_in(adb, username="sec", password=GOOD)
        assert e.value.message == accounts.PAUSED
        assert accounts.sign_in(adb, username="sec", password=GOOD, browser=mine) == sec


def test_a_known_browser_has_its_own_pause(adb, sec, alice):
    mine = sessions.remember_browser(adb, sec)
    _pause(adb, "sec", browser=mine)
    with pytest.raises(Invalid) as e:
        accounts.sign_in(adb, username="sec", password=GOOD, browser=mine)
    assert e.value.message == accounts.PAUSED
    assert accounts.sign_in(adb, username="sec", password=GOOD) == sec


def test_another_account_s_browser_token_does_not_pass_the_pause(adb, sec, alice):
    alices = sessions.remember_browser(adb, alice)
    _pause(adb, "sec")
    with pytest.raises(Invalid) as e:
        accounts.sign_in(adb, username="sec", password=GOOD, browser=alices)
    assert e.value.message == accounts.PAUSED


def test_a_made_up_browser_token_is_an_unknown_browser(adb, sec):
    _pause(adb, "sec")
    with pytest.raises(Invalid) as e:
        accounts.sign_in(adb, username="sec", password=GOOD, browser="made-up-token")
    assert e.value.message == accounts.PAUSED


def test_the_secretariat_lifts_a_pause(adb, sec, alice, at):
    _pause(adb, "alice")
    assert accounts.paused(adb, "alice")
    at(T0 + dt.timedelta(minutes=2))
    account_admin.unlock(adb, user=sec, account_id=alice.id)
    assert not accounts.paused(adb, "alice")
    assert accounts.sign_in(adb, username="alice", password=GOOD) == alice
    at(T0 + dt.timedelta(minutes=3))
    _pause(adb, "alice")  # the count starts again from the unlock
    assert accounts.paused(adb, "alice")


# --------------------------------------------------------------------------- concurrent guesses


class SlowHasher(PasswordHasher):
    """Argon2 at its real pace: the check takes long enough for every guess to be in flight at once."""

    def verify(self, hash, password):
        time.sleep(0.3)
        return super().verify(hash, password)


def test_the_pause_holds_under_24_simultaneous_guesses(db_path, monkeypatch, set_clock):
    setup = store.connect(db_path)
    accounts.create_first_secretariat(setup, username="sec", display_name="Officer", password=GOOD)
    monkeypatch.setattr(accounts, "_hasher", SlowHasher(time_cost=1, memory_cost=1024, parallelism=1))
    guesses = 24
    start = threading.Barrier(guesses)
    answers: list[str] = []

    def guess(i: int) -> None:
        conn = store.connect(db_path)
        start.wait()
        try:
            accounts.sign_in(conn, username="sec", password=f"guess number {i}")
        except Invalid as e:
            answers.append(e.message)
        finally:
            conn.conn.close()

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(guesses)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(answers) == guesses
    assert answers.count(accounts.BAD_CREDENTIALS) == accounts.MAX_FAILURES  # only five passwords were checked
    assert answers.count(accounts.PAUSED) == guesses - accounts.MAX_FAILURES
    assert setup.execute("SELECT count(*) FROM sign_in_failures WHERE ok = 0").fetchone()[0] == accounts.MAX_FAILURES
    with pytest.raises(Invalid) as e:
        accounts.sign_in(setup, username="sec", password=GOOD)
    assert e.value.message == accounts.PAUSED
