"""Notices and reminders, through the real services and a real SMTP server (aiosmtpd on 127.0.0.1).

The clock is set by each test (``set_clock``); the call's dates are those of conftest.py:
questions until 2026-04-15, proposals until 2026-05-31, the advisory group meets on 2026-07-01.
"""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from selection import accounts, mail, store
from selection.cli import cli
from selection.errors import Forbidden
from selection.models import Role
from selection.services import decision, inquiries, intake, meeting, notices
from tests.selection.test_mail import (  # noqa: F401 (the fixtures dead_port, inbox, mail_off, mail_on)
    Inbox,
    dead_port_fixture,
    inbox_fixture,
    mail_off_fixture,
    mail_on_fixture,
)

PASSWORD = "a long enough password"


def applicant(w, username: str, *, email: str | None = None, contact: str | None = None, country: str = "KE"):
    """A registered applicant with an organisation profile in the call (account e-mail, contact e-mail)."""
    user = accounts.register_applicant(w.db, username=username, display_name=f"{username.title()} Staff",
                                       password=PASSWORD, email=email)
    intake.save_profile(w.db, user=user, call_id=w.call_id,
                        profile={"name": f"Institute {username}", "country": country, "contact_email": contact})
    return user


def invited(w, username: str, role: Role, email: str | None):
    code = accounts.invite(w.db, user=w.sec, role=role, display_name=f"{username.title()} Person", email=email)
    return accounts.accept_invitation(w.db, code=code, username=username, password=PASSWORD)


def submitted(w, username: str, *, slots=("africa",), **kw) -> str:
    user = applicant(w, username, **kw)
    pid = w.draft(user, slots=slots)
    intake.submit(w.db, user=user, call_id=w.call_id)
    return pid


def selected(w, proposal_id: str, slot: str = "africa") -> int:
    """Consensus scores put the proposal on the shortlist; the secretariat screens and selects it."""
    w.eligible(proposal_id)
    for criterion in w.CRITERIA:
        meeting.record_consensus(w.db, user=w.sec, call_id=w.call_id, proposal_id=proposal_id,
                                 criterion_id=criterion, score=4.0, note="Agreed at the meeting.")
    return decision.record_selection(w.db, user=w.sec, call_id=w.call_id, slot_id=slot, proposal_id=proposal_id,
                                     rationale="First in the ranking; the Bureau concurred.")


def kept(w) -> list[dict]:
    return mail.messages(w.db, w.call_id)


def remind(w) -> list[dict]:
    return notices.send_reminders(w.db, user=w.sec, call_id=w.call_id)


def due(w, day: str, set_clock) -> list[tuple[str, str]]:
    """(kind, address) of every reminder due on ``day``, with the clock set to that day."""
    set_clock(day)
    today = dt.date.fromisoformat(day)
    return sorted((r["kind"], r["to_address"]) for r in notices.reminders(w.db, call_id=w.call_id, today=today))


# --------------------------------------------------------------------------- notices after an action


def test_a_published_answer_is_mailed_to_every_applicant_of_the_call(world, mail_on):
    w = world
    asker = applicant(w, "lakes", email="ana@lakes.example.org")
    applicant(w, "coast", contact="info@coast.example.org")  # no account e-mail: the entity's contact
    applicant(w, "dunes")  # no address at all: kept, marked not sent
    accounts.register_applicant(w.db, username="elsewhere", display_name="Not in this call", password=PASSWORD,
                                email="other@example.org")  # no organisation in this call
    qid = inquiries.ask(w.db, user=asker, call_id=w.call_id, question="Can Ana's consortium apply?")
    inquiries.answer(w.db, user=w.sec, call_id=w.call_id, inquiry_id=qid,
                     text="Yes: one member of the consortium leads and signs the host agreement.",
                     question="May a consortium of institutes apply?")

    assert sorted(a for e in mail_on.envelopes for a in e.rcpt_tos) == ["ana@lakes.example.org",
                                                                         "info@coast.example.org"]
    for msg in mail_on.messages:
        text = Inbox.text(msg)
        assert "Yes: one member of the consortium leads and signs the host agreement." in text
        assert "May a consortium of institutes apply?" in text
        assert "Ana" not in text and "lakes" not in text.lower()  # the asker is never named
        assert msg["Subject"] == "TSC-2026-01: a new answer to a question about the call"
    rows = kept(w)
    assert len(rows) == 3 and {r["kind"] for r in rows} == {"notice.answer"}
    assert [r["error"] for r in rows if not r["sent_at"]] == [mail.NO_ADDRESS]


def test_the_selected_entity_is_told_the_acceptance_deadline(world, mail_on, set_clock):
    w = world
    lakes = submitted(w, "lakes", email="ana@lakes.example.org", contact="director@lakes.example.org")
    peaks = submitted(w, "peaks", slots=("global",), email="desk@peaks.example.org", country="CH")
    set_clock("2026-03-10")  # selected after the call's publication, before either notification
    for pid, slot, day in ((lakes, "africa", "2026-08-31"), (peaks, "global", "2026-03-31")):
        sid = selected(w, pid, slot)
        decision.record_notification(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, notified_on=day)

    [director] = mail_on.to("director@lakes.example.org")  # the contact e-mail before the account's
    assert director["Subject"] == ("TSC-2026-01: selected to host the Regional support centre - Africa - "
                                   "please confirm by 30 September 2026")
    text = Inbox.text(director)
    assert "Institute lakes has been selected to host the Regional support centre - Africa" in text
    assert "by 30 September 2026" in text and "31 August 2026" in text
    [desk] = mail_on.to("desk@peaks.example.org")  # no contact e-mail: the account's
    assert "30 April 2026" in Inbox.text(desk)  # one calendar month after 31 March
    assert mail_on.to("ana@lakes.example.org") == []
    assert {r["kind"] for r in kept(w)} == {"notice.selection"}


def test_with_mail_off_the_actions_work_and_every_notice_is_kept_unsent(world, mail_off, inbox, set_clock):
    w = world
    asker = applicant(w, "lakes", email="ana@lakes.example.org", contact="director@lakes.example.org")
    qid = inquiries.ask(w.db, user=asker, call_id=w.call_id, question="Is French accepted?")
    inquiries.answer(w.db, user=w.sec, call_id=w.call_id, inquiry_id=qid, text="Yes, any UN language.")
    w.draft(asker)
    intake.submit(w.db, user=asker, call_id=w.call_id)
    set_clock("2026-07-10")
    sid = selected(w, w.db.execute("SELECT id FROM proposals").fetchone()[0])
    decision.record_notification(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, notified_on="2026-07-10")

    assert inbox.envelopes == []
    rows = kept(w)
    assert sorted(r["kind"] for r in rows) == ["notice.answer", "notice.selection"]
    assert all(r["sent_at"] is None and r["error"].startswith("not sent: mail is off") for r in rows)
    assert "10 August 2026" in next(r["body"] for r in rows if r["kind"] == "notice.selection")


def test_a_server_that_is_down_does_not_undo_the_notification(world, dead_port, set_clock):
    w = world
    pid = submitted(w, "lakes", contact="director@lakes.example.org")
    set_clock("2026-07-10")
    sid = selected(w, pid)
    decision.record_notification(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, notified_on="2026-07-10")
    assert w.db.execute("SELECT notified_on FROM selections WHERE id = ?", [sid]).fetchone()[0] == "2026-07-10"
    [row] = kept(w)
    assert row["sent_at"] is None and "ConnectionRefusedError" in row["error"]


# --------------------------------------------------------------------------- reminders


def test_drafts_are_reminded_in_the_last_week_before_the_deadline_once(world, mail_on, set_clock, audit_events):
    w = world
    w.draft(applicant(w, "lakes", email="ana@lakes.example.org"))
    submitted(w, "coast", email="info@coast.example.org")
    assert due(w, "2026-05-23", set_clock) == []  # eight days before
    assert due(w, "2026-05-24", set_clock) == [("reminder.submission", "ana@lakes.example.org")]
    [sent] = remind(w)
    assert sent["sent_at"] and sent["dedupe_key"] == "reminder.submission:proposal:p-lakes:2026-05-31"
    assert remind(w) == []
    set_clock("2026-05-30")
    assert remind(w) == []
    [msg] = mail_on.messages
    assert "31 May 2026, in 7 days" in Inbox.text(msg)
    assert [r["already"] for r in notices.reminders(w.db, call_id=w.call_id, today=dt.date(2026, 5, 30))] == [True]
    assert due(w, "2026-06-01", set_clock) == []  # the deadline has passed: nothing to remind of
    [event] = audit_events(w.db, "reminders.sent")
    assert event["actor"] == "secretariat:sec" and event["new"]["messages"] == 1 and event["new"]["sent"] == 1


def test_members_with_reviews_to_submit_are_reminded_before_the_meeting(world, mail_on, set_clock):
    w = world
    lakes = submitted(w, "lakes")
    coast = submitted(w, "coast", country="TZ")
    amina = invited(w, "amina", Role.MEMBER, "amina@panel.example.org")
    done = invited(w, "done", Role.MEMBER, "done@panel.example.org")
    conflicted = invited(w, "conflicted", Role.MEMBER, "conflicted@panel.example.org")
    undeclared = invited(w, "undeclared", Role.MEMBER, "undeclared@panel.example.org")
    w.assign(amina, lakes)
    w.assign(amina, coast)
    w.assign(done, lakes)
    w.score(done, lakes, 4)
    w.assign(conflicted, lakes, declare=True)
    w.assign(undeclared, coast, declare=None)

    assert due(w, "2026-06-23", set_clock) == []
    assert due(w, "2026-06-24", set_clock) == [("reminder.review", "amina@panel.example.org"),
                                               ("reminder.review", "undeclared@panel.example.org")]
    remind(w)
    [msg] = mail_on.to("amina@panel.example.org")
    assert msg["Subject"] == "TSC-2026-01: 2 reviews to submit before the meeting of 1 July 2026"
    assert "- Institute lakes\n- Institute coast" in Inbox.text(msg)
    set_clock("2026-07-03")  # the meeting has passed and two reviews are still missing: no second reminder
    assert remind(w) == []
    assert len(mail_on.envelopes) == 2


def test_acceptance_and_host_agreement_are_reminded_on_time_and_once(world, mail_on, set_clock):
    w = world
    invited(w, "officer", Role.SECRETARIAT, "officer@cbd.example.org")  # the first account has no address
    pid = submitted(w, "lakes", contact="director@lakes.example.org")
    set_clock("2026-07-15")
    sid = selected(w, pid)  # host agreement due 2026-10-15
    decision.record_notification(w.db, user=w.sec, call_id=w.call_id, selection_id=sid,
                                 notified_on="2026-08-03")  # acceptance due 2026-09-03
    assert len(mail_on.to("director@lakes.example.org")) == 1  # the notice

    assert due(w, "2026-08-26", set_clock) == []
    assert due(w, "2026-08-27", set_clock) == [("reminder.acceptance", "director@lakes.example.org")]
    assert [m["kind"] for m in remind(w)] == ["reminder.acceptance"]
    [_, reminder] = mail_on.to("director@lakes.example.org")
    assert "3 September 2026" in Inbox.text(reminder)

    set_clock("2026-09-04")  # overdue: the secretariat is told, the entity is not reminded twice
    assert sorted((m["kind"], m["to_address"], m["error"]) for m in remind(w)) == [
        ("reminder.acceptance-overdue", "", mail.NO_ADDRESS),
        ("reminder.acceptance-overdue", "officer@cbd.example.org", None)]
    assert "1 day overdue" in Inbox.text(mail_on.to("officer@cbd.example.org")[0])
    assert remind(w) == []

    decision.record_answer(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, accepted=True,
                           answered_on="2026-09-05")
    assert due(w, "2026-09-30", set_clock) == []
    assert due(w, "2026-10-01", set_clock) == [("reminder.agreement", ""),
                                               ("reminder.agreement", "officer@cbd.example.org")]
    remind(w)
    assert "15 October 2026" in Inbox.text(mail_on.to("officer@cbd.example.org")[1])
    set_clock("2026-10-20")
    assert remind(w) == []
    decision.record_agreement(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, signed_on="2026-10-21")
    assert due(w, "2026-10-22", set_clock) == []
    assert len(mail_on.envelopes) == 4


def test_a_reminder_is_written_in_the_language_its_recipient_chose(world, mail_on, set_clock):
    """A member who reads French is reminded in French, a secretariat officer who reads Spanish in Spanish;
    the others in English, whatever the language of the person who sends the reminders."""
    w = world
    lakes = submitted(w, "lakes", contact="director@lakes.example.org")
    amina = invited(w, "amina", Role.MEMBER, "amina@panel.example.org")
    accounts.set_language(w.db, user=amina, language="fr")
    w.assign(amina, lakes)
    officer = invited(w, "officer", Role.SECRETARIAT, "officer@cbd.example.org")
    accounts.set_language(w.db, user=officer, language="es")
    assert due(w, "2026-06-24", set_clock)  # a week before the meeting
    remind(w)
    [msg] = mail_on.to("amina@panel.example.org")
    assert msg["Subject"] == "TSC-2026-01 : 1 évaluation à soumettre avant la réunion du 1 juillet 2026"
    assert "Ouvrez « Mes évaluations »" in Inbox.text(msg) and "- Institute lakes" in Inbox.text(msg)

    set_clock("2026-07-15")
    sid = selected(w, lakes)
    decision.record_notification(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, notified_on="2026-08-03")
    set_clock("2026-10-01")
    remind(w)
    [agreement] = [m for m in mail_on.to("officer@cbd.example.org") if "acuerdo de acogida" in m["Subject"]]
    assert "15 de octubre de 2026" in agreement["Subject"]
    assert "La aceptación de la entidad está aún pendiente." in Inbox.text(agreement)


def test_only_the_secretariat_sends_reminders(world, mail_on, set_clock):
    w = world
    lakes = applicant(w, "lakes", email="ana@lakes.example.org")
    w.draft(lakes)
    member = w.member("amina")
    bureau = w.bureau()
    set_clock("2026-05-28")
    for who in (lakes, member, bureau, None):
        with pytest.raises(Forbidden):
            notices.send_reminders(w.db, user=who, call_id=w.call_id)
    assert kept(w) == [] and mail_on.envelopes == []
    assert len(remind(w)) == 1


# --------------------------------------------------------------------------- command line and page


def test_the_remind_command_lists_then_sends_once_as_the_secretariat(world, mail_on, set_clock, audit_events):
    w = world
    w.draft(applicant(w, "lakes", email="ana@lakes.example.org"))
    set_clock("2026-05-28")
    path = str(store.database_file(w.db))
    runner = CliRunner()

    dry = runner.invoke(cli, ["remind", "--db", path, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Mail is on: sent from secretariat@cbd.example.org through 127.0.0.1:" in dry.output
    assert "due          reminder.submission" in dry.output and "ana@lakes.example.org" in dry.output
    assert "1 reminder to send, 0 already sent (dry run: nothing sent)" in dry.output
    assert kept(w) == [] and mail_on.envelopes == []

    first = runner.invoke(cli, ["remind", "--db", path, "--call", "TSC-2026-01"])
    assert first.exit_code == 0, first.output
    assert "1 reminder kept, 1 sent" in first.output and "[sent]" in first.output
    again = runner.invoke(cli, ["remind", "--db", path])
    assert "0 reminders kept, 0 sent" in again.output
    assert len(mail_on.envelopes) == 1
    assert "already sent" in runner.invoke(cli, ["remind", "--db", path, "--dry-run"]).output
    [event] = audit_events(w.db, "reminders.sent")
    assert event["actor"] == "secretariat:cli"

    unknown = runner.invoke(cli, ["remind", "--db", path, "--call", "NOPE"])
    assert unknown.exit_code == 2 and "no call with reference 'NOPE'" in unknown.output


def test_the_dashboard_says_mail_is_off_sends_reminders_and_lists_the_messages(world, mail_off, set_clock,
                                                                                 monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.ui.conftest import APP, signed_in, texts

    w = world
    w.draft(applicant(w, "lakes", email="ana@lakes.example.org"))
    set_clock("2026-05-28")
    monkeypatch.setenv("SELECTION_DB", str(store.database_file(w.db)))
    at = AppTest.from_file(APP, default_timeout=60)
    signed_in(at, w.db, w.sec.username)
    at.session_state["goto"] = "dashboard"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Mail is off (no SMTP server is configured): messages are kept here but not sent." in texts(at)
    assert [e.label for e in at.expander] == ["Messages (0)"]
    next(b for b in at.button if b.label == "Send due reminders now").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "1 reminder kept, 0 sent." in texts(at)
    assert [e.label for e in at.expander] == ["Messages (1)"]
    table = at.dataframe[-1].value
    assert list(table.columns) == ["Date", "To", "Subject", "Sent"]
    assert table.iloc[0]["To"] == "Lakes Staff <ana@lakes.example.org>"
    assert table.iloc[0]["Sent"].startswith("not sent: mail is off")
