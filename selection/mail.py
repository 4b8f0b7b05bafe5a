"""E-mail: notices and reminders sent through an SMTP server, every one of them kept in ``messages``.

Configuration comes from the environment (``SMTP_HOST``, ``SMTP_PORT``,
``SMTP_USER``, ``SMTP_PASSWORD``, ``SMTP_FROM``, ``SMTP_STARTTLS``) and from the
``[smtp]`` section of ``.streamlit/secrets.toml`` (keys ``host``, ``port``,
``user``, ``password``, ``from``, ``starttls``; the file is read with tomllib,
never through streamlit; ``SELECTION_SECRETS`` names another file). A variable
that is set wins over the file, key by key.

Mail is *on* when a host and a From address are known (the From address
defaults to ``SMTP_USER`` when that is an address). With mail off the program
works the same: every message is still stored, with ``sent_at`` empty and
``error`` saying why it was not sent.

A message is stored first, in its own transaction, and sent afterwards, so a
slow or broken server never holds the database's write lock and never loses
the record. A ``dedupe_key`` that is already stored makes :func:`send` do
nothing and return the stored row: a reminder is never sent twice. SMTP
failures never raise; they are recorded on the message and shown in the app.
"""

from __future__ import annotations

import dataclasses
import os
import smtplib
import ssl
import tomllib
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path

import sqlite_utils

from selection import clock
from selection.i18n import N_, _
from selection.store import transaction

SECRETS_FILE = Path(".streamlit") / "secrets.toml"
TIMEOUT_SECONDS = 10
ERROR_LIMIT = 1_000
NO_ADDRESS = "not sent: no e-mail address on record"
FIELDS = ("host", "port", "user", "password", "from", "starttls")


@dataclasses.dataclass(frozen=True)
class Settings:
    """Where and how to send; ``problem`` says why mail is off (None when it is on)."""

    host: str | None = None
    port: int = 25
    user: str | None = None
    password: str | None = dataclasses.field(default=None, repr=False)
    sender: str | None = None
    starttls: bool = False
    problem: str | None = N_("no SMTP server is configured")

    @property
    def on(self) -> bool:
        return self.problem is None

    @property
    def implicit_tls(self) -> bool:
        """Port 465 speaks TLS from the first byte (SMTPS) instead of upgrading with STARTTLS."""
        return self.port == 465


def secrets_path() -> Path:
    return Path(os.environ.get("SELECTION_SECRETS") or SECRETS_FILE)


def _from_file(path: Path) -> tuple[dict, str | None]:
    """The ``[smtp]`` section of the secrets file (empty when there is none), and a problem reading it."""
    try:
        with path.open("rb") as f:
            section = tomllib.load(f).get("smtp", {})
    except FileNotFoundError:
        return {}, None
    except (OSError, tomllib.TOMLDecodeError) as e:
        return {}, f"the secrets file {path} could not be read ({e})"
    if not isinstance(section, dict):
        return {}, f"[smtp] in {path} is not a section"
    return {k: section[k] for k in FIELDS if section.get(k) not in (None, "")}, None


def _from_env() -> dict:
    return {k: os.environ[f"SMTP_{k.upper()}"].strip() for k in FIELDS
            if os.environ.get(f"SMTP_{k.upper()}", "").strip()}


def _flag(value) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    return None


def settings() -> Settings:
    """The mail settings: environment first, then ``[smtp]`` in the secrets file."""
    raw, problem = _from_file(secrets_path())
    raw.update(_from_env())
    host = str(raw.get("host") or "").strip() or None
    user = str(raw.get("user") or "").strip() or None
    sender = str(raw.get("from") or "").strip() or (user if user and "@" in user else None)
    try:
        port = int(raw.get("port") or 25)
        if not 0 < port < 65536:
            raise ValueError
    except (TypeError, ValueError):
        port, problem = 25, problem or f"the SMTP port {raw.get('port')!r} is not a port number"
    starttls = _flag(raw["starttls"]) if "starttls" in raw else port == 587
    if starttls is None:
        starttls, problem = False, problem or f"SMTP starttls {raw['starttls']!r} is not true or false"
    if problem is None and host is None:
        problem = N_("no SMTP server is configured")
    if problem is None and sender is None:
        problem = N_("no From address is configured (SMTP_FROM)")
    return Settings(host=host, port=port, user=user, password=None if raw.get("password") is None
                    else str(raw["password"]), sender=sender, starttls=starttls, problem=problem)


def mail_is_on() -> bool:
    return settings().on


def status_line(config: Settings | None = None) -> str:
    """One sentence for the app and the command line: is mail on, from whom, through which server."""
    config = config or settings()
    if config.on:
        server = f"{config.host}:{config.port}"
        return _("Mail is on: sent from {sender} through {server}.", sender=config.sender, server=server)
    problem = _(config.problem) if config.problem else ""
    return _("Mail is off ({problem}): messages are kept here but not sent.", problem=problem)


# --------------------------------------------------------------------------- storing and sending


def _one_line(text: str | None) -> str:
    """Header text on one line, so a name or subject can never add a header of its own."""
    return " ".join(str(text or "").split())


def _stored(db: sqlite_utils.Database, message_id: int) -> dict:
    return next(db.query("SELECT * FROM messages WHERE id = ?", [message_id]))


def _store(db: sqlite_utils.Database, draft: dict) -> tuple[dict, bool]:
    """Store one message unless its dedupe key is known: (row, stored now)."""
    with transaction(db):
        key = draft.get("dedupe_key")
        if key:
            rows = list(db.query("SELECT * FROM messages WHERE dedupe_key = ?", [key]))
            if rows:
                return rows[0], False
        row = {"call_id": draft.get("call_id"), "kind": draft["kind"], "dedupe_key": key or None,
               "to_address": _one_line(draft.get("to_address")), "to_name": _one_line(draft.get("to_name")) or None,
               "subject": _one_line(draft["subject"]), "body": draft["body"], "created_at": clock.stamp(),
               "sent_at": None, "error": None}
        message_id = db["messages"].insert(row).last_pk
    return _stored(db, message_id), True


def _record(db: sqlite_utils.Database, message_id: int, *, error: str | None) -> None:
    change = {"error": error[:ERROR_LIMIT]} if error else {"sent_at": clock.stamp(), "error": None}
    with transaction(db):
        db["messages"].update(message_id, change)


def _email(config: Settings, row: dict) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = config.sender
    msg["To"] = formataddr((row["to_name"] or "", row["to_address"]))
    msg["Subject"] = row["subject"]
    msg["Date"] = formatdate(clock.now().timestamp())
    msg["Message-ID"] = make_msgid(domain=config.sender.rpartition("@")[2] or None)
    msg.set_content(row["body"])
    return msg


def _why(error: BaseException) -> str:
    return f"not sent: {type(error).__name__}: {error}".strip()


def _deliver(config: Settings, rows: list[dict]) -> dict[int, str | None]:
    """Send over one connection: message id -> None (sent) or the error text. Never raises."""
    results: dict[int, str | None] = {}
    try:
        if config.implicit_tls:
            smtp = smtplib.SMTP_SSL(config.host, config.port, timeout=TIMEOUT_SECONDS,
                                    context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(config.host, config.port, timeout=TIMEOUT_SECONDS)
        with smtp:
            if config.starttls and not config.implicit_tls:
                smtp.starttls(context=ssl.create_default_context())
            if config.user and config.password is not None:
                smtp.login(config.user, config.password)
            for row in rows:
                try:
                    smtp.send_message(_email(config, row))
                    results[row["id"]] = None
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError,
                        smtplib.SMTPNotSupportedError, ValueError, UnicodeError) as e:
                    results[row["id"]] = _why(e)  # this message only; the connection goes on
    except (smtplib.SMTPException, OSError, ValueError, UnicodeError) as e:
        for row in rows:
            results.setdefault(row["id"], _why(e))
    return results


def send_all(db: sqlite_utils.Database, drafts: list[dict], *, config: Settings | None = None) -> list[dict]:
    """Store each draft (skipping known dedupe keys), then send the new ones over one connection.

    A draft has the keyword arguments of :func:`send`. Returns one row per
    draft, as stored after the attempt, with ``new`` telling whether it was
    stored by this call (False: its dedupe key was already there, nothing done).
    """
    config = config or settings()
    stored = [_store(db, d) for d in drafts]
    new = {row["id"]: row for row, fresh in stored if fresh}
    reachable = [row for row in new.values() if row["to_address"]]
    for row in new.values():
        if not row["to_address"]:
            _record(db, row["id"], error=NO_ADDRESS)
        elif not config.on:
            _record(db, row["id"], error=f"not sent: mail is off ({config.problem})")
    if config.on and reachable:
        for message_id, error in _deliver(config, reachable).items():
            _record(db, message_id, error=error)
    return [{**_stored(db, row["id"]), "new": fresh} for row, fresh in stored]


def send(db: sqlite_utils.Database, *, call_id: int | None, kind: str, to_address: str | None, to_name: str | None,
         subject: str, body: str, dedupe_key: str | None = None, config: Settings | None = None) -> dict:
    """Keep one message and send it; an existing ``dedupe_key`` returns the stored row untouched."""
    draft = {"call_id": call_id, "kind": kind, "to_address": to_address, "to_name": to_name, "subject": subject,
             "body": body, "dedupe_key": dedupe_key}
    return send_all(db, [draft], config=config)[0]


def messages(db: sqlite_utils.Database, call_id: int) -> list[dict]:
    """Every message kept for a call, newest first."""
    return list(db.query("SELECT * FROM messages WHERE call_id = ? ORDER BY id DESC", [call_id]))


def known(db: sqlite_utils.Database, dedupe_key: str) -> bool:
    return db.execute("SELECT 1 FROM messages WHERE dedupe_key = ?", [dedupe_key]).fetchone() is not None
