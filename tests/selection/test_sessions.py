"""Sessions kept on the server: found by a token whose hash alone is stored, ended by idleness or revocation."""

from __future__ import annotations

import datetime as dt

import pytest

from selection import account_admin, accounts, sessions
from tests.selection.test_accounts import T0, adb, alice, at, sec  # noqa: F401 (fixtures)


def test_a_token_finds_its_person_and_only_its_hash_is_stored(adb, alice):
    token = sessions.start(adb, alice)
    assert sessions.resume(adb, token).user == alice
    stored = adb.execute("SELECT token_hash FROM sessions").fetchone()[0]
    assert token not in stored and stored == accounts.digest(token)
    assert len(token) >= 40  # 32 random bytes


def test_two_sign_ins_get_different_tokens(adb, alice):
    assert sessions.start(adb, alice) != sessions.start(adb, alice)


@pytest.mark.parametrize("token", [None, "", "not-a-token"])
def test_no_or_a_made_up_token_is_nobody(adb, alice, token):
    assert sessions.resume(adb, token).user is None


def test_a_session_used_now_and_then_stays_open_past_30_minutes(adb, alice, at):
    token = sessions.start(adb, alice)
    for minutes in (20, 40, 60, 80):
        at(T0 + dt.timedelta(minutes=minutes))
        assert sessions.resume(adb, token).user == alice


def test_a_session_ends_after_30_idle_minutes(adb, alice, at):
    token = sessions.start(adb, alice)
    at(T0 + dt.timedelta(minutes=30, seconds=1))
    resumed = sessions.resume(adb, token)
    assert resumed.user is None and resumed.ended == "idle"
    assert "30 minutes" in resumed.message
    at(T0 + dt.timedelta(minutes=31))
    assert sessions.resume(adb, token).ended == "idle"  # ended for good, not revived


def test_signing_out_ends_every_session_of_that_person_only(adb, sec, alice):
    tab, laptop, other = sessions.start(adb, alice), sessions.start(adb, alice), sessions.start(adb, sec)
    assert sessions.end_all(adb, alice.id, "signed out") == 2
    for token in (tab, laptop):
        resumed = sessions.resume(adb, token)
        assert resumed.user is None and resumed.ended == "signed out"
    assert sessions.resume(adb, other).user == sec


def test_disabling_an_account_ends_its_sessions(adb, sec, alice):
    token = sessions.start(adb, alice)
    account_admin.set_disabled(adb, user=sec, account_id=alice.id, disabled=True)
    resumed = sessions.resume(adb, token)
    assert resumed.user is None and resumed.ended == "disabled"
    account_admin.set_disabled(adb, user=sec, account_id=alice.id, disabled=False)
    assert sessions.resume(adb, token).user is None  # enabling again does not revive an ended session


def test_a_session_of_an_account_disabled_directly_in_the_file_is_refused(adb, alice):
    token = sessions.start(adb, alice)
    adb.execute("UPDATE accounts SET disabled = 1 WHERE id = ?", [alice.id])
    assert sessions.resume(adb, token).ended == "disabled"


def test_a_password_reset_ends_every_session(adb, sec, alice):
    token = sessions.start(adb, alice)
    code = account_admin.issue_reset(adb, user=sec, account_id=alice.id)
    assert sessions.resume(adb, token).user == alice  # issuing a code alone changes nothing yet
    account_admin.reset_password(adb, code=code, password="a brand new passphrase")
    assert sessions.resume(adb, token).ended == "password reset"


def test_a_password_reset_forgets_the_known_browsers(adb, sec, alice):
    mine = sessions.remember_browser(adb, alice)
    account_admin.reset_password(adb, code=account_admin.issue_reset(adb, user=sec, account_id=alice.id),
                                 password="a brand new passphrase")
    assert sessions.remember_browser(adb, alice, mine) != mine


def test_a_known_browser_keeps_its_token_and_a_stranger_gets_a_new_one(adb, sec, alice):
    mine = sessions.remember_browser(adb, alice)
    assert sessions.remember_browser(adb, alice, mine) == mine
    assert sessions.remember_browser(adb, sec, mine) != mine  # another account's browser token is not reused
    assert sessions.remember_browser(adb, alice, "made-up") != "made-up"
    assert mine not in str(list(adb.query("SELECT * FROM known_browsers")))


def test_an_idle_session_no_longer_counts_as_signed_in(adb, alice, at):
    sessions.start(adb, alice)
    assert sessions.live(adb, alice.id) == 1
    at(T0 + dt.timedelta(minutes=31))
    assert sessions.live(adb, alice.id) == 0
