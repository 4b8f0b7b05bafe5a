"""E-mail through a real SMTP server (aiosmtpd on 127.0.0.1): settings, storing, sending once, failing softly.

The fixtures here (``inbox``, ``mail_off``, ``mail_on``, ``dead_port``) are imported by
tests/selection/services/test_notices.py as well (as ``<name>_fixture``, registered under ``<name>``).
"""

from __future__ import annotations

import email
import email.policy
import socket
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from selection import mail

SMTP_VARIABLES = ("SMTP_HOST", "SMTP_PORT", "SMTP_USER", "SMTP_PASSWORD", "SMTP_FROM", "SMTP_STARTTLS")
SENDER = "secretariat@cbd.example.org"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Inbox:
    """An aiosmtpd handler that keeps every message; ``refuse`` lists recipients answered with 550."""

    refuse: set = field(default_factory=set)
    envelopes: list = field(default_factory=list)
    logins: list = field(default_factory=list)
    port: int = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    # reading back
    @property
    def messages(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(e.original_content or e.content, policy=email.policy.default)
                for e in self.envelopes]

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for e, m in zip(self.envelopes, self.messages, strict=True) if address in e.rcpt_tos]

    @staticmethod
    def text(message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


def _authenticate(inbox: Inbox):
    def check(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"mailer", b"s3cret")
        inbox.logins.append((mechanism, ok))
        return AuthResult(success=ok, handled=False)  # the server answers 235 or 535

    return check


@pytest.fixture(name="inbox")
def inbox_fixture():
    """A real SMTP server on 127.0.0.1 and a free port, accepting a login as mailer / s3cret (no TLS)."""
    box = Inbox()
    box.port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=box.port, authenticator=_authenticate(box),
                            auth_require_tls=False)
    controller.start()
    yield box
    controller.stop()


@pytest.fixture(name="mail_off")
def mail_off_fixture(monkeypatch, tmp_path):
    """No SMTP variable set and a secrets file that does not exist: mail is off."""
    for name in SMTP_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SELECTION_SECRETS", str(tmp_path / "no-secrets.toml"))


@pytest.fixture(name="mail_on")
def mail_on_fixture(mail_off, monkeypatch, inbox):
    """Mail on, through the ``inbox`` server (no TLS, no login)."""
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(inbox.port))
    monkeypatch.setenv("SMTP_FROM", SENDER)
    return inbox


@pytest.fixture(name="dead_port")
def dead_port_fixture(mail_off, monkeypatch):
    """Mail configured for a server that is not there (nothing listens on the port)."""
    port = free_port()
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(port))
    monkeypatch.setenv("SMTP_FROM", SENDER)
    return port


def _send(db, **changes) -> dict:
    args = {"call_id": None, "kind": "test", "to_address": "ana@lakes.example.org", "to_name": "Ana Lakes",
            "subject": "Deadline", "body": "The deadline is 2026-05-31.", "dedupe_key": None}
    return mail.send(db, **{**args, **changes})


def _count(db) -> int:
    return db.execute("SELECT count(*) FROM messages").fetchone()[0]


# --------------------------------------------------------------------------- settings


def test_with_nothing_configured_mail_is_off_and_says_so(mail_off):
    s = mail.settings()
    assert not s.on and not mail.mail_is_on()
    assert s.problem == "no SMTP server is configured"
    assert mail.status_line().startswith("Mail is off (no SMTP server is configured)")


def test_settings_come_from_the_secrets_file_and_the_environment_wins_key_by_key(mail_off, monkeypatch, tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[auth]\nclient_id = "x"\n\n[smtp]\nhost = "smtp.example.org"\nport = 587\n'
                       'user = "mailer@example.org"\npassword = "from-file"\nfrom = "file@example.org"\n',
                       encoding="utf-8")
    monkeypatch.setenv("SELECTION_SECRETS", str(secrets))
    s = mail.settings()
    assert (s.host, s.port, s.user, s.password, s.sender, s.starttls, s.on) == (
        "smtp.example.org", 587, "mailer@example.org", "from-file", "file@example.org", True, True)
    assert "from-file" not in repr(s)
    monkeypatch.setenv("SMTP_FROM", "env@example.org")
    monkeypatch.setenv("SMTP_STARTTLS", "false")
    monkeypatch.setenv("SMTP_PASSWORD", "")  # an empty variable does not hide the file's value
    s = mail.settings()
    assert (s.host, s.sender, s.starttls, s.password) == ("smtp.example.org", "env@example.org", False, "from-file")
    assert mail.status_line() == "Mail is on: sent from env@example.org through smtp.example.org:587."


def test_the_default_secrets_file_is_streamlit_s_relative_to_the_working_directory(mail_off, monkeypatch, tmp_path):
    monkeypatch.delenv("SELECTION_SECRETS")
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text('[smtp]\nhost = "mx.example.org"\nuser = "a@b.org"\n')
    s = mail.settings()
    assert (s.host, s.port, s.sender, s.on) == ("mx.example.org", 25, "a@b.org", True)  # From defaults to the user


@pytest.mark.parametrize("content,problem", [
    ("[smtp\nhost = 1", "could not be read"),
    ('[smtp]\nhost = "mx.example.org"\nport = "twenty-five"\nfrom = "a@b.org"\n', "not a port number"),
    ('[smtp]\nhost = "mx.example.org"\nstarttls = "maybe"\nfrom = "a@b.org"\n', "not true or false"),
    ('[smtp]\nhost = "mx.example.org"\nuser = "mailer"\n', "no From address"),
])
def test_a_bad_configuration_turns_mail_off_with_the_reason_and_never_raises(mail_off, monkeypatch, tmp_path,
                                                                           content, problem):
    secrets = tmp_path / "bad.toml"
    secrets.write_text(content, encoding="utf-8")
    monkeypatch.setenv("SELECTION_SECRETS", str(secrets))
    assert not mail.mail_is_on()
    assert problem in mail.settings().problem


# --------------------------------------------------------------------------- sending


def test_a_message_is_kept_then_sent_through_the_server(db, mail_on):
    row = _send(db, to_name="Zhang Wei 张伟", subject="截止日期 - deadline 2026-05-31",
                body="Бюджет: the deadline is 2026-05-31.\nمع التحية")
    assert row["new"] and row["sent_at"] and row["error"] is None
    [envelope] = mail_on.envelopes
    assert envelope.mail_from == SENDER and envelope.rcpt_tos == ["ana@lakes.example.org"]
    [msg] = mail_on.messages
    assert msg["Subject"] == "截止日期 - deadline 2026-05-31"
    assert msg["To"].addresses[0].display_name == "Zhang Wei 张伟"
    assert msg["From"] == SENDER
    assert mail_on.text(msg).strip() == "Бюджет: the deadline is 2026-05-31.\nمع التحية"
    assert mail.messages(db, None) == [] and _count(db) == 1  # a message without a call is kept, listed by call


def test_a_dedupe_key_already_kept_sends_nothing_and_returns_the_kept_row(db, mail_on):
    first = _send(db, dedupe_key="reminder:x:2026-05-31")
    again = _send(db, dedupe_key="reminder:x:2026-05-31", subject="Another subject")
    assert again["new"] is False and again["id"] == first["id"] and again["subject"] == "Deadline"
    assert len(mail_on.envelopes) == 1 and _count(db) == 1


def test_many_messages_share_one_connection_and_each_is_recorded(db, mail_on):
    rows = mail.send_all(db, [{"call_id": None, "kind": "t", "to_address": f"p{i}@example.org", "to_name": None,
                               "subject": f"n{i}", "body": "b", "dedupe_key": f"k{i}"} for i in range(5)])
    assert [r["sent_at"] is not None for r in rows] == [True] * 5
    assert sorted(e.rcpt_tos[0] for e in mail_on.envelopes) == [f"p{i}@example.org" for i in range(5)]


def test_login_is_used_when_a_user_and_password_are_set(db, mail_on, monkeypatch):
    monkeypatch.setenv("SMTP_USER", "mailer")
    monkeypatch.setenv("SMTP_PASSWORD", "s3cret")
    assert _send(db)["sent_at"]
    assert mail_on.logins == [(mail_on.logins[0][0], True)]
    monkeypatch.setenv("SMTP_PASSWORD", "wrong")
    row = _send(db)
    assert row["sent_at"] is None and "SMTPAuthenticationError" in row["error"]
    assert "wrong" not in row["error"]
    assert len(mail_on.envelopes) == 1


def test_with_mail_off_nothing_is_sent_but_the_message_is_kept_and_marked(db, mail_off, inbox):
    row = _send(db)
    assert row["sent_at"] is None
    assert row["error"] == "not sent: mail is off (no SMTP server is configured)"
    assert inbox.envelopes == [] and _count(db) == 1


def test_a_server_that_is_down_is_recorded_and_nothing_raises(db, dead_port):
    row = _send(db)
    assert row["sent_at"] is None and "ConnectionRefusedError" in row["error"]
    assert _count(db) == 1


def test_a_refused_recipient_is_recorded_and_the_others_still_go(db, mail_on):
    mail_on.refuse.add("nobody@lakes.example.org")
    refused, ok = mail.send_all(db, [
        {"call_id": None, "kind": "t", "to_address": a, "to_name": None, "subject": "s", "body": "b"}
        for a in ("nobody@lakes.example.org", "ana@lakes.example.org")])
    assert refused["sent_at"] is None and "550" in refused["error"] and "No such mailbox" in refused["error"]
    assert ok["sent_at"] and ok["error"] is None
    assert [e.rcpt_tos for e in mail_on.envelopes] == [["ana@lakes.example.org"]]


def test_starttls_against_a_server_without_it_is_recorded_not_raised(db, mail_on, monkeypatch):
    monkeypatch.setenv("SMTP_STARTTLS", "true")
    row = _send(db)
    assert row["sent_at"] is None and "STARTTLS" in row["error"]
    assert mail_on.envelopes == []


def test_a_person_without_an_address_gets_a_kept_message_marked_not_sent(db, mail_on):
    row = _send(db, to_address=None)
    assert (row["to_address"], row["sent_at"], row["error"]) == ("", None, mail.NO_ADDRESS)
    assert mail_on.envelopes == []


def test_a_name_or_subject_cannot_add_headers(db, mail_on):
    _send(db, to_name="Ana\r\nBcc: spy@example.org", subject="Hello\nBcc: spy@example.org")
    [envelope] = mail_on.envelopes
    assert envelope.rcpt_tos == ["ana@lakes.example.org"]
    [msg] = mail_on.messages
    assert msg["Bcc"] is None and msg["Subject"] == "Hello Bcc: spy@example.org"
