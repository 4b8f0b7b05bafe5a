"""What a new password must be: long enough, not one of the commonest, not the username.

The same rules hold wherever a password is chosen (registration, an invitation,
a reset). Spaces at either end are dropped wherever a password is typed, at
sign-in as well, so a space a phone keyboard adds never locks anyone out;
spaces inside a passphrase count like any other character.
"""

from __future__ import annotations

import functools
from pathlib import Path

from selection.errors import Invalid
from selection.i18n import _

MIN_PASSWORD = 10
MAX_PASSWORD = 1000
COMMON_FILE = Path(__file__).with_name("common_passwords.txt")


def typed(password: str | None) -> str:
    """A password as it is hashed and checked: without spaces at either end."""
    return (password or "").strip()


@functools.cache
def common() -> frozenset[str]:
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def check(password: str, username: str) -> str:
    """The password to store, or :class:`Invalid` on the password field saying what to change."""
    password = typed(password)
    if len(password) < MIN_PASSWORD:
        raise Invalid("password", _("use at least {n} characters", n=MIN_PASSWORD))
    if len(password) > MAX_PASSWORD:
        raise Invalid("password", _("use at most {n} characters", n=MAX_PASSWORD))
    if password.lower() in common():
        raise Invalid("password", _("this is one of the most common passwords, the first that anyone guesses; "
                                    "choose another"))
    name = (username or "").strip().lower()
    if name and name in password.lower():
        raise Invalid("password", _("a password must not contain the username; choose another"))
    return password
