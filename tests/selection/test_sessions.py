"""Sessions kept on the server: found by a token whose hash alone is stored, ended by idleness or revocation."""

from __future__ import annotations

import datetime as dt

import pytest

from selection import account_admin, accounts, sessions, store

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
GOOD = "correct horse battery"


@pytest.fixture
def sdb(tmp_path, set_clock):
    database = store.connect(tmp_path / "sessions.db")
    yield database
    database.conn.close()


@pytest.fixture
def sec(sdb):
    return accounts.create_first_secretariat(sdb, username="sec", display_name="Officer", password=GOOD)


@pytest.fixture
def alice(sdb, sec):
    return accounts.register_applicant(sdb, username="alice", display_name="Lakes Institute", password=GOOD)


def test_a_token_finds_its_person_and_only_its_hash_is_stored(sdb, alice):
    token = sessions.start(sdb, alice)
    assert sessions.resume(sdb, token).user == alice
    stored = sdb.execute("SELECT token_hash FROM sessions").fetchone()[0]
    assert token not in stored and stored == accounts.digest(token)
    assert len(token) >= 40  # 32 random bytes


def test_two_sign_ins_get_different_tokens(sdb, alice):
    assert sessions.start(sdb, alice) != sessions.start(sdb, alice)


@pytest.mark.parametrize("token", [None, "", "not-a-token"])
def test_no_or_a_made_up_token_is_nobody(sdb, alice, token):
    assert sessions.resume(sdb, token).user is None


def test_a_session_used_now_and_then_stays_open_past_30_minutes(sdb, alice, set_clock):
    token = sessions.start(sdb, alice)
    for minutes in (20, 40, 60, 80):
        set_clock(T0 + dt.timedelta(minutes=minutes))
        assert sessions.resume(sdb, token).user == alice


def test_a_session_ends_after_30_idle_minutes(sdb, alice, set_clock):
    token = sessions.start(sdb, alice)
    set_clock(T0 + dt.timedelta(minutes=30, seconds=1))
    resumed = sessions.resume(sdb, token)
    assert resumed.user is None and resumed.ended == "idle"
    assert "30 minutes" in resumed.message
    set_clock(T0 + dt.timedelta(minutes=31))
    assert sessions.resume(sdb, token).ended == "idle"  # ended for good, not revived


def test_signing_out_ends_every_session_of_that_person_only(sdb, sec, alice):
    tab, laptop, other = sessions.start(sdb, alice), sessions.start(sdb, alice), sessions.start(sdb, sec)
    assert sessions.end_all(sdb, alice.id, "signed out") == 2
    for token in (tab, laptop):
        resumed = sessions.resume(sdb, token)
        assert resumed.user is None and resumed.ended == "signed out"
    assert sessions.resume(sdb, other).user == sec


def test_disabling_an_account_ends_its_sessions(sdb, sec, alice):
    token = sessions.start(sdb, alice)
    account_admin.set_disabled(sdb, user=sec, account_id=alice.id, disabled=True)
    resumed = sessions.resume(sdb, token)
    assert resumed.user is None and resumed.ended == "disabled"
    account_admin.set_disabled(sdb, user=sec, account_id=alice.id, disabled=False)
    assert sessions.resume(sdb, token).user is None  # enabling again does not revive an ended session


def test_a_session_of_an_account_disabled_directly_in_the_file_is_refused(sdb, alice):
    token = sessions.start(sdb, alice)
    sdb.execute("UPDATE accounts SET disabled = 1 WHERE id = ?", [alice.id])
    assert sessions.resume(sdb, token).ended == "disabled"


def test_a_password_reset_ends_every_session(sdb, sec, alice):
    token = sessions.start(sdb, alice)
    code = account_admin.issue_reset(sdb, user=sec, account_id=alice.id)
    assert sessions.resume(sdb, token).user == alice  # issuing a code alone changes nothing yet
    account_admin.reset_password(sdb, code=code, password="a brand new passphrase")
    assert sessions.resume(sdb, token).ended == "password reset"


def test_a_known_browser_keeps_its_token_and_a_stranger_gets_a_new_one(sdb, sec, alice):
    mine = sessions.remember_browser(sdb, alice)
    assert sessions.remember_browser(sdb, alice, mine) == mine
    assert sessions.remember_browser(sdb, sec, mine) != mine  # another account's browser token is not reused
    assert sessions.remember_browser(sdb, alice, "made-up") != "made-up"
    assert mine not in str(list(sdb.query("SELECT * FROM known_browsers")))


def test_an_idle_session_no_longer_counts_as_signed_in(sdb, alice, set_clock):
    sessions.start(sdb, alice)
    assert sessions.live(sdb, alice.id) == 1
    set_clock(T0 + dt.timedelta(minutes=31))
    assert sessions.live(sdb, alice.id) == 0
