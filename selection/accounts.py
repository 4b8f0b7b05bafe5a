"""Local accounts: argon2-hashed passwords, invitations, throttled sign-in.

The embedded default needs no outside identity provider: the first person to
open a fresh database creates the secretariat account; the secretariat invites
advisory group and Bureau members with one-time codes; applicants register
themselves. Sign-in gives the same message for an unknown account and a wrong
password, and pauses an account after repeated failures.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Annotated

import pydantic
import sqlite_utils
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError, VerifyMismatchError
from pydantic import StringConstraints

from selection import audit, clock
from selection.errors import Invalid, from_pydantic
from selection.models import Email, Record, Role
from selection.permissions import User, may_manage_call, require
from selection.store import transaction

MIN_PASSWORD = 10
MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
SESSION_IDLE = dt.timedelta(minutes=30)
BAD_CREDENTIALS = "Unknown username or wrong password."

_hasher = PasswordHasher()


class NewAccount(Record):
    """What a person types to open an account."""

    model_config = Record.model_config | {"strict": False, "str_strip_whitespace": True}

    username: Annotated[str, StringConstraints(min_length=3, max_length=100, pattern=r"^[\w.@+-]+$")]
    display_name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    password: Annotated[str, StringConstraints(min_length=MIN_PASSWORD, max_length=1000)]
    email: Email | None = None

    @pydantic.field_validator("email", mode="before")
    @classmethod
    def _blank_is_none(cls, v):
        return v or None


def _validated(**fields) -> NewAccount:
    try:
        return NewAccount(**fields)
    except pydantic.ValidationError as e:
        err = from_pydantic(e)
        if err.field == "password":
            raise Invalid("password", f"use at least {MIN_PASSWORD} characters") from None
        if err.field == "username":
            raise Invalid("username", "3 to 100 letters, digits or . @ + - _ (no spaces)") from None
        raise err from None


def _user(row: dict) -> User:
    return User(id=row["id"], username=row["username"], display_name=row["display_name"],
                role=Role(row["role"]), email=row["email"])


def needs_first_account(db: sqlite_utils.Database) -> bool:
    return db.execute("SELECT count(*) FROM accounts").fetchone()[0] == 0


def add_account(db: sqlite_utils.Database, form: NewAccount, role: Role, actor: str) -> User:
    if db.execute("SELECT 1 FROM accounts WHERE username = ?", [form.username]).fetchone():
        raise Invalid("username", "this username is taken")
    account_id = db["accounts"].insert(
        {
            "username": form.username,
            "display_name": form.display_name,
            "role": role.value,
            "email": form.email,
            "password_hash": _hasher.hash(form.password),
            "created_at": clock.stamp(),
        }
    ).last_pk
    audit.record(db, actor=actor, call=None, action="account.created", target=f"account:{form.username}",
                 new={"role": role.value, "display_name": form.display_name})
    return get_user(db, account_id)


def create_first_secretariat(db: sqlite_utils.Database, *, username: str, display_name: str, password: str,
                             email: str | None = None) -> User:
    form = _validated(username=username, display_name=display_name, password=password, email=email)
    with transaction(db):
        if not needs_first_account(db):
            raise Invalid("username", "the first account exists already; ask the secretariat for an invitation")
        return add_account(db, form, Role.SECRETARIAT, actor="setup")


def register_applicant(db: sqlite_utils.Database, *, username: str, display_name: str, password: str,
                       email: str | None = None) -> User:
    form = _validated(username=username, display_name=display_name, password=password, email=email)
    with transaction(db):
        return add_account(db, form, Role.APPLICANT, actor=f"applicant:{form.username}")


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


def invite(db: sqlite_utils.Database, *, user: User, role: Role, display_name: str, email: str | None = None) -> str:
    """A one-time code for a new advisory group member, Bureau member or secretariat colleague."""
    require(may_manage_call(user), "Only the secretariat invites people.")
    if role is Role.APPLICANT:
        raise Invalid("role", "applicants register themselves")
    if not display_name.strip():
        raise Invalid("display_name", "give the person's name")
    code = "-".join(secrets.token_hex(3) for _ in range(3))
    with transaction(db):
        db["invitations"].insert(
            {"code_hash": _code_hash(code), "role": role.value, "display_name": display_name.strip(),
             "email": email or None, "created_by": user.username, "created_at": clock.stamp()}
        )
        audit.record(db, actor=user.actor, call=None, action="invitation.created", target=f"invitation:{role.value}",
                     new={"display_name": display_name.strip(), "role": role.value})
    return code


def accept_invitation(db: sqlite_utils.Database, *, code: str, username: str, password: str) -> User:
    with transaction(db):
        rows = list(db.query("SELECT * FROM invitations WHERE code_hash = ? AND used_at IS NULL", [_code_hash(code)]))
        if not rows:
            raise Invalid("code", "this invitation code is unknown or already used")
        inv = rows[0]
        form = _validated(username=username, display_name=inv["display_name"], password=password, email=inv["email"])
        user = add_account(db, form, Role(inv["role"]), actor=f"{inv['role']}:{form.username}")
        db.execute("UPDATE invitations SET used_at = ?, account_id = ? WHERE id = ?", [clock.stamp(), user.id, inv["id"]])
    return user


def pending_invitations(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("SELECT display_name, role, email, created_by, created_at FROM invitations "
                         "WHERE used_at IS NULL ORDER BY id"))


def sign_in(db: sqlite_utils.Database, *, username: str, password: str) -> User:
    """The account for these credentials, or :class:`Invalid` with one message for every failure."""
    username = (username or "").strip()
    since = (clock.now() - LOCKOUT).isoformat(timespec="seconds")
    failures = db.execute("SELECT count(*) FROM sign_in_failures WHERE username = ? AND at >= ?",
                          [username, since]).fetchone()[0]
    if failures >= MAX_FAILURES:
        raise Invalid("password", f"Too many failed attempts; try again in {LOCKOUT.seconds // 60} minutes.")
    rows = list(db.query("SELECT * FROM accounts WHERE username = ? AND disabled = 0", [username]))
    try:
        if not rows:
            _hasher.hash(password or "-")  # same cost as a real check, so timing tells nothing
            raise VerifyMismatchError
        _hasher.verify(rows[0]["password_hash"], password or "")
    except VerificationError:
        with transaction(db):
            db["sign_in_failures"].insert({"username": username, "at": clock.stamp()})
        raise Invalid("password", BAD_CREDENTIALS) from None
    return _user(rows[0])


def get_user(db: sqlite_utils.Database, account_id: int) -> User | None:
    rows = list(db.query("SELECT * FROM accounts WHERE id = ? AND disabled = 0", [account_id]))
    return _user(rows[0]) if rows else None


def accounts(db: sqlite_utils.Database, role: Role | None = None) -> list[User]:
    sql, params = "SELECT * FROM accounts WHERE disabled = 0", []
    if role is not None:
        sql += " AND role = ?"
        params.append(role.value)
    return [_user(r) for r in db.query(sql + " ORDER BY display_name", params)]


def session_expired(last_seen: dt.datetime, now: dt.datetime | None = None) -> bool:
    return (now or clock.now()) - last_seen > SESSION_IDLE


def by_email(db: sqlite_utils.Database, email: str | None) -> User | None:
    """The account an identity provider vouches for, matched on its verified e-mail address."""
    if not email:
        return None
    rows = list(db.query("SELECT * FROM accounts WHERE lower(email) = lower(?) AND disabled = 0 ORDER BY id",
                         [email.strip()]))
    return _user(rows[0]) if len(rows) == 1 else None
