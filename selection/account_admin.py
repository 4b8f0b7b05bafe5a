"""The secretariat's care of accounts: disable, enable, unlock, change a role, issue a reset code.

Each action is the secretariat's only, is audited, and keeps the tool usable:
the last active secretariat account can be neither disabled nor given another
role. A reset code (valid 3 days, one use) lets the person set a new password
themselves on the sign-in page; using it ends every session of the account,
forgets the browsers it signed in from (whoever knew the old password may have
used one) and lifts a sign-in pause. Disabling ends every session at once.
"""

from __future__ import annotations

import datetime as dt

import sqlite_utils

from selection import accounts, audit, clock, passwords, sessions
from selection.errors import Invalid
from selection.i18n import _
from selection.models import Role
from selection.permissions import User, may_manage_accounts, require
from selection.store import transaction

RESET_VALID = dt.timedelta(days=3)
STAFF_ROLES = (Role.SECRETARIAT, Role.MEMBER, Role.BUREAU)


def _account(db: sqlite_utils.Database, account_id: int) -> dict:
    rows = list(db.query("SELECT * FROM accounts WHERE id = ?", [account_id]))
    if not rows:
        raise Invalid("account", _("no such account"))
    return rows[0]


def _other_secretariat(db: sqlite_utils.Database, account_id: int) -> bool:
    return db.execute("SELECT 1 FROM accounts WHERE role = 'secretariat' AND disabled = 0 AND id != ?",
                      [account_id]).fetchone() is not None


def _keeps_a_secretariat(db: sqlite_utils.Database, row: dict) -> None:
    if row["role"] == Role.SECRETARIAT.value and not row["disabled"] and not _other_secretariat(db, row["id"]):
        raise Invalid("account", _("this is the only active secretariat account; invite a colleague first, "
                                   "or nobody could run the calls"))


def overview(db: sqlite_utils.Database, *, user: User) -> list[dict]:
    """Every account, with whether it is disabled, paused by failed sign-ins, and signed in somewhere."""
    require(may_manage_accounts(user), _("Only the secretariat manages accounts."))
    out = []
    order = "CASE role WHEN 'secretariat' THEN 0 WHEN 'member' THEN 1 WHEN 'bureau' THEN 2 ELSE 3 END"
    for row in db.query(f"SELECT * FROM accounts ORDER BY {order}, display_name COLLATE NOCASE"):
        out.append({"id": row["id"], "username": row["username"], "display_name": row["display_name"],
                    "role": Role(row["role"]), "email": row["email"], "disabled": bool(row["disabled"]),
                    "paused": accounts.paused(db, row["username"]), "sessions": sessions.live(db, row["id"])})
    return out


def set_disabled(db: sqlite_utils.Database, *, user: User, account_id: int, disabled: bool) -> dict:
    """Disable an account (it can no longer sign in; its sessions end) or enable it again."""
    require(may_manage_accounts(user), _("Only the secretariat disables or enables accounts."))
    with transaction(db):
        row = _account(db, account_id)
        if bool(row["disabled"]) == disabled:
            raise Invalid("account", _("this account is disabled already") if disabled else _("this account is active"))
        if disabled:
            _keeps_a_secretariat(db, row)
        db.execute("UPDATE accounts SET disabled = ? WHERE id = ?", [int(disabled), account_id])
        if disabled:
            sessions.end_all(db, account_id, "disabled")
        audit.record(db, actor=user.actor, call=None, action="account.disabled" if disabled else "account.enabled",
                     target=f"account:{row['username']}", old={"disabled": bool(row["disabled"])},
                     new={"disabled": disabled})
    return _account(db, account_id)


def unlock(db: sqlite_utils.Database, *, user: User, account_id: int) -> dict:
    """Lift a sign-in pause now: failures before this moment no longer count."""
    require(may_manage_accounts(user), _("Only the secretariat lifts a sign-in pause."))
    with transaction(db):
        row = _account(db, account_id)
        db.execute("UPDATE accounts SET unlocked_at = ? WHERE id = ?", [clock.stamp(), account_id])
        audit.record(db, actor=user.actor, call=None, action="account.unlocked", target=f"account:{row['username']}")
    return _account(db, account_id)


def change_role(db: sqlite_utils.Database, *, user: User, account_id: int, role: Role) -> dict:
    """Move a staff account between secretariat, advisory group and Bureau (applicants stay applicants)."""
    require(may_manage_accounts(user), _("Only the secretariat changes roles."))
    role = Role(role)
    with transaction(db):
        row = _account(db, account_id)
        if row["role"] == Role.APPLICANT.value or role is Role.APPLICANT:
            raise Invalid("role", _("an applicant's account keeps its organisation's proposals and stays an "
                                    "applicant's; other roles are given by invitation"))
        if row["role"] == role.value:
            raise Invalid("role", _("the account has this role already"))
        _keeps_a_secretariat(db, row)
        db.execute("UPDATE accounts SET role = ? WHERE id = ?", [role.value, account_id])
        audit.record(db, actor=user.actor, call=None, action="account.role_changed",
                     target=f"account:{row['username']}", old={"role": row["role"]}, new={"role": role.value})
    return _account(db, account_id)


def issue_reset(db: sqlite_utils.Database, *, user: User, account_id: int) -> str:
    """A one-time code (3 days) with which the person sets a new password; earlier unused codes stop working."""
    require(may_manage_accounts(user), _("Only the secretariat issues reset codes."))
    code = accounts.new_code()
    now = clock.stamp()
    expires = (clock.now() + RESET_VALID).isoformat(timespec="seconds")
    with transaction(db):
        row = _account(db, account_id)
        if row["disabled"]:
            raise Invalid("account", _("this account is disabled; enable it first"))
        db.execute("UPDATE password_resets SET revoked_at = ? WHERE account_id = ? AND used_at IS NULL "
                   "AND revoked_at IS NULL", [now, account_id])
        db["password_resets"].insert({"code_hash": accounts.digest(code), "account_id": account_id,
                                      "created_by": user.username, "created_at": now, "expires_at": expires})
        audit.record(db, actor=user.actor, call=None, action="account.reset_issued",
                     target=f"account:{row['username']}", new={"expires_at": expires})
    return code


def reset_password(db: sqlite_utils.Database, *, code: str, password: str) -> User:
    """Set a new password with a reset code; every session of the account ends and any pause is lifted."""
    with transaction(db):
        rows = list(db.query("SELECT * FROM password_resets WHERE code_hash = ?", [accounts.digest(code or "")]))
        if not rows:
            raise Invalid("code", _("this reset code is unknown; check it, or ask the secretariat for a new one"))
        reset = rows[0]
        accounts.usable(reset, "reset")
        row = _account(db, reset["account_id"])
        if row["disabled"]:
            raise Invalid("code", _("this account is disabled; ask the secretariat"))
        new = passwords.check(password, row["username"])
        now = clock.stamp()
        db.execute("UPDATE accounts SET password_hash = ?, unlocked_at = ? WHERE id = ?",
                   [accounts.hash_password(new), now, row["id"]])
        db.execute("UPDATE password_resets SET used_at = ? WHERE id = ?", [now, reset["id"]])
        sessions.end_all(db, row["id"], "password reset")
        sessions.forget_browsers(db, row["id"])
        audit.record(db, actor=f"{row['role']}:{row['username']}", call=None, action="account.password_reset",
                     target=f"account:{row['username']}")
    return accounts.get_user(db, row["id"])
