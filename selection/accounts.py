"""Local accounts: argon2-hashed passwords, invitations, throttled sign-in.

The embedded default needs no outside identity provider: the first person to
open a fresh database creates the secretariat account; the secretariat invites
advisory group and Bureau members with one-time codes that expire after 14 days
and can be revoked; applicants register themselves. Sign-in gives the same
message for an unknown account and a wrong password.

The pause after repeated failures holds under concurrent guesses: each attempt
is written, inside a ``BEGIN IMMEDIATE`` transaction that also counts the
attempts before it, before its password is checked; it counts as a failure
until the password proves right. Guessing cannot lock the owner out for good:
the pause counts attempts from unknown browsers apart from those of a browser
the account has signed in from before (its known-browser token), and the
secretariat can lift a pause (``account_admin.unlock``).
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

from selection import audit, clock, mail, passwords, words
from selection.i18n import N_, _
from selection.errors import Invalid, from_pydantic, plain_message
from selection.models import Email, Record, Role
from selection.permissions import User, may_manage_accounts, require
from selection.store import transaction

MIN_PASSWORD = passwords.MIN_PASSWORD
MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
SESSION_IDLE = dt.timedelta(minutes=30)
INVITATION_VALID = dt.timedelta(days=14)
BAD_CREDENTIALS = N_("Unknown username or wrong password.")
PAUSED_MESSAGE = N_("Too many failed attempts; try again in {minutes} minutes. A browser you have signed in from "
                    "before can still sign in, and the secretariat can lift the pause.")
PAUSED = PAUSED_MESSAGE.format(minutes=LOCKOUT.seconds // 60)
# Why a one-time code is refused, per kind of code (an invitation, a password reset).
CODE_REFUSALS = {
    "invitation": {"used": N_("this invitation code was used already"),
                   "revoked": N_("this invitation code was withdrawn by the secretariat; ask for a new one"),
                   "expired": N_("this invitation code expired on {date}; ask the secretariat for a new one")},
    "reset": {"used": N_("this reset code was used already"),
              "revoked": N_("this reset code was withdrawn by the secretariat; ask for a new one"),
              "expired": N_("this reset code expired on {date}; ask the secretariat for a new one")},
}

_hasher = PasswordHasher()


class NewAccount(Record):
    """What a person types to open an account (:mod:`selection.passwords` then checks the password)."""

    model_config = Record.model_config | {"strict": False, "str_strip_whitespace": True}

    username: Annotated[str, StringConstraints(min_length=3, max_length=100, pattern=r"^[\w.@+-]+$")]
    display_name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    password: Annotated[str, StringConstraints(max_length=passwords.MAX_PASSWORD)]
    email: Email | None = None

    @pydantic.field_validator("email", mode="before")
    @classmethod
    def _blank_is_none(cls, v):
        return v or None



_EMAIL = pydantic.TypeAdapter(Email)


_ACCOUNT_WORDS = {"username": N_("3 to 100 letters, digits or . @ + - _ (no spaces)"),
                  "display_name": N_("give your name (at most 200 characters)")}


def _validated(**fields) -> NewAccount:
    """The account as typed, or one refusal listing every problem (name, username, e-mail, password) at once."""
    problems = []
    try:
        form = NewAccount(**fields)
    except pydantic.ValidationError as e:
        for err in e.errors(include_url=False):
            field = str(err["loc"][0]) if err["loc"] else "form"
            problems.append((field, _(_ACCOUNT_WORDS[field]) if field in _ACCOUNT_WORDS else plain_message(err)))
    try:
        passwords.check(fields.get("password") or "", fields.get("username") or "")
    except Invalid as e:
        problems.append((e.field, e.message))
    first = {}
    for field, message in problems:
        first.setdefault(field, message)
    if first:
        order = ["display_name", "username", "email", "password"]
        raise Invalid.all(sorted(first.items(), key=lambda p: order.index(p[0]) if p[0] in order else 9)) from None
    return form


def _email(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return _EMAIL.validate_python(value)
    except pydantic.ValidationError as e:
        raise Invalid("email", from_pydantic(e).message) from None


def hash_password(password: str) -> str:
    return _hasher.hash(passwords.typed(password))


def _user(row: dict) -> User:
    return User(id=row["id"], username=row["username"], display_name=row["display_name"],
                role=Role(row["role"]), email=row["email"], language=row.get("language"))


def needs_first_account(db: sqlite_utils.Database) -> bool:
    return db.execute("SELECT count(*) FROM accounts").fetchone()[0] == 0


def add_account(db: sqlite_utils.Database, form: NewAccount, role: Role, actor: str) -> User:
    if db.execute("SELECT 1 FROM accounts WHERE username = ?", [form.username]).fetchone():
        raise Invalid("username", _("this username is taken"))
    account_id = db["accounts"].insert(
        {
            "username": form.username,
            "display_name": form.display_name,
            "role": role.value,
            "email": form.email,
            "password_hash": hash_password(form.password),
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
            raise Invalid("username", _("the first account exists already; ask the secretariat for an invitation"))
        return add_account(db, form, Role.SECRETARIAT, actor="setup")


def register_applicant(db: sqlite_utils.Database, *, username: str, display_name: str, password: str,
                       email: str | None = None) -> User:
    form = _validated(username=username, display_name=display_name, password=password, email=email)
    with transaction(db):
        return add_account(db, form, Role.APPLICANT, actor=f"applicant:{form.username}")


def digest(secret: str) -> str:
    """What is stored of a one-time code or a token: its SHA-256, never the secret itself."""
    return hashlib.sha256(secret.strip().encode()).hexdigest()


def new_code() -> str:
    """A one-time code a person can read out or type: 72 random bits in three groups."""
    return "-".join(secrets.token_hex(3) for _ in range(3))


def invite(db: sqlite_utils.Database, *, user: User, role: Role, display_name: str, email: str | None = None) -> str:
    """A one-time code for a new advisory group member, Bureau member or secretariat colleague (14 days)."""
    require(may_manage_accounts(user), _("Only the secretariat invites people."))
    if role is Role.APPLICANT:
        raise Invalid("role", _("applicants register themselves"))
    if not display_name.strip():
        raise Invalid("display_name", _("give the person's name"))
    email = _email(email)
    code = new_code()
    expires = (clock.now() + INVITATION_VALID).isoformat(timespec="seconds")
    with transaction(db):
        db["invitations"].insert(
            {"code_hash": digest(code), "role": role.value, "display_name": display_name.strip(),
             "email": email, "created_by": user.username, "created_at": clock.stamp(), "expires_at": expires}
        )
        audit.record(db, actor=user.actor, call=None, action="invitation.created", target=f"invitation:{role.value}",
                     new={"display_name": display_name.strip(), "role": role.value, "expires_at": expires})
    return code


def usable(row: dict, what: str) -> None:
    """Refuse a used, revoked or expired one-time code, saying which (the holder of the code may know)."""
    refusals = CODE_REFUSALS[what]
    if row.get("used_at"):
        raise Invalid("code", _(refusals["used"]))
    if row.get("revoked_at"):
        raise Invalid("code", _(refusals["revoked"]))
    if row["expires_at"] <= clock.stamp():
        day = dt.datetime.fromisoformat(row["expires_at"])
        raise Invalid("code", _(refusals["expired"], date=words.date(day)))


def accept_invitation(db: sqlite_utils.Database, *, code: str, username: str, password: str) -> User:
    with transaction(db):
        rows = list(db.query("SELECT * FROM invitations WHERE code_hash = ?", [digest(code or "")]))
        if not rows:
            raise Invalid("code", _("this invitation code is unknown; check it, or ask the secretariat for a new one"))
        inv = rows[0]
        usable(inv, "invitation")
        form = _validated(username=username, display_name=inv["display_name"], password=password, email=inv["email"])
        user = add_account(db, form, Role(inv["role"]), actor=f"{inv['role']}:{form.username}")
        db.execute("UPDATE invitations SET used_at = ?, account_id = ? WHERE id = ?", [clock.stamp(), user.id, inv["id"]])
    return user


def pending_invitations(db: sqlite_utils.Database) -> list[dict]:
    """Invitations not used and not revoked, oldest first; ``expired`` tells those past their 14 days."""
    rows = db.query("SELECT id, display_name, role, email, created_by, created_at, expires_at FROM invitations "
                    "WHERE used_at IS NULL AND revoked_at IS NULL ORDER BY id")
    now = clock.stamp()
    return [{**r, "expired": r["expires_at"] <= now} for r in rows]


def revoke_invitation(db: sqlite_utils.Database, *, user: User, invitation_id: int) -> dict:
    """Withdraw an unused invitation: its code no longer opens an account."""
    require(may_manage_accounts(user), _("Only the secretariat revokes invitations."))
    with transaction(db):
        rows = list(db.query("SELECT * FROM invitations WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL",
                             [invitation_id]))
        if not rows:
            raise Invalid("invitation", _("this invitation was used or revoked already"))
        db.execute("UPDATE invitations SET revoked_at = ?, revoked_by = ? WHERE id = ?",
                   [clock.stamp(), user.username, invitation_id])
        audit.record(db, actor=user.actor, call=None, action="invitation.revoked",
                     target=f"invitation:{rows[0]['role']}", old={"display_name": rows[0]["display_name"]})
    return rows[0]


def send_invitation(db: sqlite_utils.Database, *, user: User, code: str) -> dict:
    """E-mail a new invitation's code to the address it was made for; the message as kept (sent or why not).

    Kept with no call, so no call's outbox lists it; the code in it is useless once used, revoked or expired.
    """
    require(may_manage_accounts(user), _("Only the secretariat invites people."))
    rows = list(db.query("SELECT * FROM invitations WHERE code_hash = ? AND used_at IS NULL AND revoked_at IS NULL",
                         [digest(code or "")]))
    if not rows:
        raise Invalid("code", _("this invitation was used or revoked already"))
    inv = rows[0]
    if not inv["email"]:
        raise Invalid("email", _("give the person's e-mail address to send the invitation"))
    subject, body = _invitation(inv, user, code)
    return mail.send(db, call_id=None, kind="invitation", to_address=inv["email"], to_name=inv["display_name"],
                     subject=subject, body=body, dedupe_key=f"invitation:{inv['id']}")


def _invitation(inv: dict, user: User, code: str) -> tuple[str, str]:
    """The invitation's subject and body in the inviter's language: the invited person's own is not known yet.
    (The translation function is imported here, beside the only text of this module this area translates.)"""
    from selection.i18n import _

    invited_as = {Role.SECRETARIAT: _("a colleague in the secretariat"),
                  Role.MEMBER: _("a member of the informal advisory group"),
                  Role.BUREAU: _("a member of the Bureau")}[Role(inv["role"])]
    until = dt.datetime.fromisoformat(inv["expires_at"])
    return _("Your invitation to host-selection"), _("Dear {name},\n\n{inviter} invites you to host-selection, the tool in which the secretariat runs the "
             "selection of the hosts of the technical and scientific cooperation centres, as {role}.\n\n"
             "Your one-time invitation code is:\n\n    {code}\n\n"
             "Open host-selection, choose \"I have an invitation\" on the sign-in page, and enter the code with a "
             "username and a password of your choice. The code works once, until {date}.\n\n"
             "If you did not expect this message, ignore it.\n", name=inv["display_name"], inviter=user.display_name,
             role=invited_as, code=code.strip(), date=words.date(until))


# --------------------------------------------------------------------------- sign-in


def _known_browser(db: sqlite_utils.Database, account_id: int | None, token: str | None) -> str | None:
    """The stored hash of ``token`` when it is a browser this account signed in from before."""
    if not token or account_id is None:
        return None
    h = digest(token)
    row = db.execute("SELECT 1 FROM known_browsers WHERE token_hash = ? AND account_id = ?", [h, account_id]).fetchone()
    return h if row else None


def _failures(db: sqlite_utils.Database, username: str, browser: str | None) -> int:
    """Attempts not (yet) proven right in the last 15 minutes, from this known browser or from unknown ones."""
    since = (clock.now() - LOCKOUT).isoformat(timespec="seconds")
    unlocked = db.execute("SELECT unlocked_at FROM accounts WHERE username = ?", [username]).fetchone()
    if unlocked and unlocked[0] and unlocked[0] >= since:
        return db.execute("SELECT count(*) FROM sign_in_failures WHERE username = ? AND at > ? AND ok = 0 "
                          "AND browser IS ?", [username, unlocked[0], browser]).fetchone()[0]
    return db.execute("SELECT count(*) FROM sign_in_failures WHERE username = ? AND at >= ? AND ok = 0 "
                      "AND browser IS ?", [username, since, browser]).fetchone()[0]


def paused(db: sqlite_utils.Database, username: str) -> bool:
    """Whether sign-in from an unknown browser is paused for this username now."""
    return _failures(db, username, None) >= MAX_FAILURES


def sign_in(db: sqlite_utils.Database, *, username: str, password: str, browser: str | None = None) -> User:
    """The account for these credentials, or :class:`Invalid` with one message for every failure.

    ``browser`` is the known-browser token the person's browser holds, if any.
    """
    username = (username or "").strip()
    password = passwords.typed(password)
    with transaction(db):
        rows = list(db.query("SELECT * FROM accounts WHERE username = ? AND disabled = 0", [username]))
        known = _known_browser(db, rows[0]["id"] if rows else None, browser)
        if _failures(db, username, known) >= MAX_FAILURES:
            raise Invalid("password", _(PAUSED_MESSAGE, minutes=LOCKOUT.seconds // 60))
        attempt = db["sign_in_failures"].insert({"username": username, "at": clock.stamp(), "browser": known}).last_pk
    try:
        if not rows:
            _hasher.hash(password or "-")  # same cost as a real check, so timing tells nothing
            raise VerifyMismatchError
        _hasher.verify(rows[0]["password_hash"], password)
    except VerificationError:
        raise Invalid("password", _(BAD_CREDENTIALS)) from None
    with transaction(db):
        db.execute("UPDATE sign_in_failures SET ok = 1 WHERE id = ?", [attempt])
    return _user(rows[0])


def get_user(db: sqlite_utils.Database, account_id: int) -> User | None:
    rows = list(db.query("SELECT * FROM accounts WHERE id = ? AND disabled = 0", [account_id]))
    return _user(rows[0]) if rows else None


def set_language(db: sqlite_utils.Database, *, user: User, language: str) -> User:
    """Keep the language a person chose with their account, so every device opens in it."""
    from selection import i18n

    code = i18n.known(language)
    if code is None or code == i18n.PSEUDO:
        raise Invalid("language", _("choose one of the six languages"))
    with transaction(db):
        db.execute("UPDATE accounts SET language = ? WHERE id = ?", [code, user.id])
    return get_user(db, user.id) or user


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
