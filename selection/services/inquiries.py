"""Step 2: applicants ask, the secretariat answers, and every answer is published to all.

Fairness asks that an answer given to one applicant is read by every
applicant; the asker's name is never published with it.
"""

from __future__ import annotations

import sqlite_utils

from selection import audit, clock, words
from selection.errors import Invalid
from selection.i18n import _
from selection.permissions import User, is_applicant, may_manage_call, require
from selection.services import notices
from selection.services.common import call_row, parse_date, required_text
from selection.store import transaction


def ask(db: sqlite_utils.Database, *, user: User, call_id: int, question: str) -> int:
    require(is_applicant(user), _("Only applicants ask questions here."))
    call = call_row(db, call_id)
    if not call["published_at"]:
        raise Invalid("call", _("this call is not published"))
    deadline = parse_date(call["inquiry_deadline"], "inquiry_deadline")
    if deadline and clock.today() > deadline:
        raise Invalid("question", _("the deadline for questions ({date}) has passed", date=words.date(deadline)))
    text = required_text(question, "question", 5_000)
    with transaction(db):
        inquiry_id = db["inquiries"].insert({"call_id": call_id, "asked_by": user.username, "question": text,
                                             "asked_at": clock.stamp(), "published": 0}).last_pk
        audit.record(db, actor=user.actor, call=call["reference"], action="inquiry.asked",
                     target=f"inquiry:{inquiry_id}", new={"question": text})
    return inquiry_id


def answer(db: sqlite_utils.Database, *, user: User, call_id: int, inquiry_id: int, text: str,
           question: str | None = None) -> None:
    """Answer and publish; the secretariat may reword the question so that it names no applicant."""
    require(may_manage_call(user), _("Only the secretariat answers questions."))
    call = call_row(db, call_id)
    body = required_text(text, "answer", 20_000)
    rows = list(db.query("SELECT * FROM inquiries WHERE id = ? AND call_id = ?", [inquiry_id, call_id]))
    if not rows:
        raise Invalid("inquiry", _("no such question"))
    old = rows[0]
    new = {"answer": body, "answered_at": clock.stamp(), "published": 1,
           "question": required_text(question, "question", 5_000) if question is not None else old["question"]}
    with transaction(db):
        db["inquiries"].update(inquiry_id, new)
        audit.record(db, actor=user.actor, call=call["reference"], action="inquiry.answered",
                     target=f"inquiry:{inquiry_id}", old={"answer": old["answer"], "question": old["question"]},
                     new={"answer": body, "question": new["question"]})
    notices.answer_published(db, call_id=call_id, inquiry_id=inquiry_id)  # after the commit: mail never undoes it


def published(db: sqlite_utils.Database, call_id: int) -> list[dict]:
    """Every published question and answer, without who asked: what all applicants read."""
    return list(db.query("SELECT id, question, answer, answered_at FROM inquiries "
                         "WHERE call_id = ? AND published = 1 ORDER BY answered_at", [call_id]))


def mine(db: sqlite_utils.Database, *, user: User, call_id: int) -> list[dict]:
    return list(db.query("SELECT id, question, answer, asked_at, published FROM inquiries "
                         "WHERE call_id = ? AND asked_by = ? ORDER BY id", [call_id, user.username]))


def all_inquiries(db: sqlite_utils.Database, *, user: User, call_id: int) -> list[dict]:
    require(may_manage_call(user), _("Only the secretariat sees every question."))
    # who asked, as the secretariat knows them: the applicant's organisation, else the person's name
    return list(db.query(
        "SELECT i.*, coalesce(e.name || coalesce(' (' || e.acronym || ')', ''), a.display_name, i.asked_by) AS asker "
        "FROM inquiries i LEFT JOIN accounts a ON a.username = i.asked_by "
        "LEFT JOIN entities e ON e.call_id = i.call_id AND e.account_id = a.id "
        "WHERE i.call_id = ? ORDER BY i.published, i.id", [call_id]))
