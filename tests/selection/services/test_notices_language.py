"""Notices to applicants in the recipient's language: a French applicant reads French, its neighbour English."""

from __future__ import annotations

from selection import accounts, i18n
from selection.services import decision, inquiries
from tests.selection.services.test_notices import applicant, selected, submitted
from tests.selection.test_mail import (  # noqa: F401 (the fixtures dead_port, inbox, mail_off, mail_on)
    Inbox,
    dead_port_fixture,
    inbox_fixture,
    mail_off_fixture,
    mail_on_fixture,
)


def test_a_published_answer_reaches_a_french_applicant_in_french(world, mail_on):
    w = world
    lakes = applicant(w, "lakes", email="ana@lakes.example.org")
    accounts.set_language(w.db, user=lakes, language="fr")
    applicant(w, "coast", email="info@coast.example.org")
    qid = inquiries.ask(w.db, user=lakes, call_id=w.call_id, question="Can a consortium apply?")
    inquiries.answer(w.db, user=w.sec, call_id=w.call_id, inquiry_id=qid, text="Yes, with one lead member.",
                     question="May a consortium apply?")

    [french] = mail_on.to("ana@lakes.example.org")
    assert french["Subject"] == "TSC-2026-01 : nouvelle réponse à une question sur l'appel"
    text = Inbox.text(french)
    assert "a reçu une réponse" in text and "Question :" in text and "Réponse :" in text
    assert "Yes, with one lead member." in text  # the secretariat's words stay as written
    assert "has been answered" not in text and "published answer" not in text
    [english] = mail_on.to("info@coast.example.org")
    assert "has been answered" in Inbox.text(english)


def test_the_selected_entity_is_told_in_its_language(world, mail_on, set_clock):
    w = world
    pid = submitted(w, "lakes", email="ana@lakes.example.org")
    lakes = accounts.by_email(w.db, "ana@lakes.example.org")
    accounts.set_language(w.db, user=lakes, language="fr")
    set_clock("2026-01-10")
    sid = selected(w, pid, "africa")
    decision.record_notification(w.db, user=w.sec, call_id=w.call_id, selection_id=sid, notified_on="2026-08-31")

    [message] = mail_on.to("ana@lakes.example.org")
    text = Inbox.text(message)
    assert "a été sélectionnée pour accueillir" in text and "30 septembre 2026" in text and "31 août 2026" in text
    assert "accord d'accueil" in text and "Please confirm" not in text
    assert message["Subject"].endswith("confirmation attendue au plus tard le 30 septembre 2026")
    assert i18n.language() == i18n.DEFAULT  # the page's own language is left as it was
