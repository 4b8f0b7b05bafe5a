"""The clarification round: the panel asks an applicant, on the record, and the applicant answers by a date.

The secretariat sends the request for the panel; the applicant reads it on its
proposal page and answers (text, and one PDF if it wishes) until the reply date
ends; the answer is attached beside the proposal, never into it, so the
proposal as submitted stays what was scored. Assigned members without a
conflict read it with the proposal, and may then revise their scores under the
usual rule (a reason, the old value kept). Every step is audited and told by
mail through the outbox.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

import sqlite_utils

from selection import audit, clock, files, mail, queries, words
from selection.errors import Invalid
from selection.i18n import _
from selection.permissions import User, may_manage_call, may_view_proposal, owns_proposal, require
from selection.services.common import call_row, criteria_rows, parse_date, proposal_row, required_text
from selection.services.intake import MAX_ATTACHMENT_BYTES
from selection.services.review import SCORABLE
from selection.store import transaction

MAX_QUESTIONS = 20


def day(d: dt.date) -> str:
    """4 May 2027: a date as a reader writes it."""
    return words.date(d)


def _decode(row: dict) -> dict:
    row = dict(row)
    row["questions"] = json.loads(row["questions"])
    row["answers"] = json.loads(row["answers"]) if row["answers"] else None
    row["reply_by"] = dt.date.fromisoformat(row["reply_by"])
    return row


def state(row: dict, today: dt.date) -> str:
    """'answered', 'awaiting an answer', or 'unanswered at its deadline'."""
    if row["answered_at"]:
        return "answered"
    return "unanswered at its deadline" if today > row["reply_by"] else "awaiting an answer"


def request(db: sqlite_utils.Database, *, user: User, call_id: int, proposal_id: str, questions: list[dict],
            reply_by) -> int:
    """Send one request of one or more questions ({"criterion": id or None, "question": text})."""
    require(may_manage_call(user), _("Only the secretariat sends clarification requests, for the panel."))
    call = call_row(db, call_id)
    p = proposal_row(db, call_id, proposal_id)
    if p["status"] not in SCORABLE:
        raise Invalid("proposal", _("this proposal is {status}: it is not being assessed",
                                    status=_(queries.STATUS_WORDS[p["status"]])))
    criteria = {c["id"] for c in criteria_rows(db, call_id)}
    asked = []
    for i, q in enumerate(questions or []):
        text = (q.get("question") or "").strip()
        if not text:
            continue
        if q.get("criterion") not in (None, "") and q["criterion"] not in criteria:
            raise Invalid(f"questions.{i}.criterion", _("not a criterion of this call"))
        asked.append({"criterion": q.get("criterion") or None, "question": required_text(text, "question", 5_000)})
    if not asked:
        raise Invalid("question", _("write at least one question"))
    if len(asked) > MAX_QUESTIONS:
        raise Invalid("question", _("at most {count} questions in one request", count=MAX_QUESTIONS))
    due = parse_date(reply_by, "reply_by")
    if due is None:
        raise Invalid("reply_by", _("give the date by which the applicant must answer"))
    if due < clock.today():
        raise Invalid("reply_by", _("the reply date cannot be in the past"))
    with transaction(db):
        request_id = db["clarifications"].insert({
            "call_id": call_id, "proposal_id": proposal_id, "questions": json.dumps(asked, ensure_ascii=False),
            "reply_by": due.isoformat(), "asked_by": user.actor, "asked_at": clock.stamp()}).last_pk
        audit.record(db, actor=user.actor, call=call["reference"], action="clarification.requested",
                     target=f"proposal:{proposal_id}", new={"request": request_id, "questions": asked,
                                                             "reply_by": due.isoformat()})
    contact = queries.applicant_contact(db, call_id, proposal_id)
    address, entity = contact["address"], contact["entity"]
    listed = "\n\n".join(f"{n}. {q['question']}" for n, q in enumerate(asked, 1))
    from selection.services.notices import long_date

    mail.send(db, call_id=call_id, kind="notice.clarification", to_address=address, to_name=entity,
              subject=f"{call['reference']}: the advisory group asks you to clarify your proposal",
              body=(f"Dear colleagues of {entity},\n\nThe informal advisory group assessing the proposals received "
                    f"under \"{call['title']}\" asks you to clarify the following points of your proposal:\n\n"
                    f"{listed}\n\nPlease answer in the application, under \"Clarifications\", by {long_date(due)}. "
                    "Your answer is added beside your proposal; the proposal itself cannot be changed.\n\n"
                    "The Secretariat"),
              dedupe_key=f"notice.clarification:{request_id}")
    return request_id


def answer(db: sqlite_utils.Database, *, user: User, call_id: int, request_id: int, answers: list[str],
           file: tuple[str, bytes] | None = None) -> None:
    """The applicant answers every question (and may attach one PDF) until the reply date ends."""
    row = _row(db, call_id, request_id)
    require(owns_proposal(db, user, call_id, row["proposal_id"]),
            _("Only the applicant who sent the proposal answers."))
    call = call_row(db, call_id)
    if clock.today() > row["reply_by"]:
        raise Invalid("answer", _("the reply date ({date}) has passed", date=day(row["reply_by"])))
    texts = [(a or "").strip() for a in (answers or [])]
    if len(texts) != len(row["questions"]) or not all(texts):
        missing = [str(i + 1) for i, a in enumerate(texts + [""] * (len(row["questions"]) - len(texts))) if not a]
        raise Invalid("answer", _("answer every question (question {numbers} is empty)", numbers=", ".join(missing)))
    for t in texts:
        if len(t) > 20_000:
            raise Invalid("answer", _("at most {n} characters per answer", n=words.number(20_000, 0)))
    stored = shown = None
    if file is not None:
        name, data = file
        if len(data) > MAX_ATTACHMENT_BYTES:
            raise Invalid("file", _("files are limited to {size} MB", size=MAX_ATTACHMENT_BYTES // (1024 * 1024)))
        problem = files.pdf_problem(data)
        if problem:
            raise Invalid("file", problem)
        shown = (name or "clarification.pdf").replace("\\", "/").rsplit("/", 1)[-1][:200] or "clarification.pdf"
        stored = f"{uuid.uuid4().hex}.pdf"
    try:
        with transaction(db):
            if stored:
                files.recover(db)
                files.stage(db, stored, data)
            before = next(db.query("SELECT answers, stored_name FROM clarifications WHERE id = ?", [request_id]))
            changes = {"answers": json.dumps(texts, ensure_ascii=False), "answered_by": user.actor,
                       "answered_at": clock.stamp()}
            if stored:
                changes.update(file_name=shown, stored_name=stored, file_size=len(data))
            db["clarifications"].update(request_id, changes)
            audit.record(db, actor=user.actor, call=call["reference"], action="clarification.answered",
                         target=f"proposal:{row['proposal_id']}",
                         old={"answers": json.loads(before["answers"])} if before["answers"] else None,
                         new={"request": request_id, "answers": texts, "file": shown})
    except BaseException:
        if stored:
            files.unstage(db, stored)
        raise
    if stored:
        files.place(db, stored)
    for s in db.query("SELECT display_name, email FROM accounts WHERE role = 'secretariat' AND disabled = 0 "
                      "AND email IS NOT NULL"):
        mail.send(db, call_id=call_id, kind="notice.clarification_answered", to_address=s["email"],
                  to_name=s["display_name"], subject=f"{call['reference']}: a clarification was answered",
                  body=f"The applicant answered clarification request {request_id}. The answer is shown beside the "
                       "proposal to its assigned members.",
                  dedupe_key=f"notice.clarification_answered:{request_id}:{changes['answered_at']}:{s['email']}")


def _row(db: sqlite_utils.Database, call_id: int, request_id: int) -> dict:
    rows = list(db.query("SELECT * FROM clarifications WHERE id = ? AND call_id = ?", [request_id, call_id]))
    if not rows:
        raise Invalid("request", _("no such clarification request"))
    return _decode(rows[0])


def for_proposal(db: sqlite_utils.Database, *, user: User, call_id: int, proposal_id: str) -> list[dict]:
    """The requests on a proposal, oldest first, for those who may read the proposal; each with its state."""
    require(may_view_proposal(db, user, call_id, proposal_id), _("You may not read this proposal."))
    return on_proposal(db, call_id, proposal_id)


def on_proposal(db: sqlite_utils.Database, call_id: int, proposal_id: str) -> list[dict]:
    """The requests on a proposal, oldest first, each with its state; the caller has checked who reads them."""
    today = clock.today()
    out = []
    for r in db.query("SELECT * FROM clarifications WHERE call_id = ? AND proposal_id = ? ORDER BY id",
                      [call_id, proposal_id]):
        r = _decode(r)
        r["state"] = state(r, today)
        out.append(r)
    return out


def all_requests(db: sqlite_utils.Database, *, user: User, call_id: int) -> list[dict]:
    """Every request of the call with its entity and state, for the secretariat's list."""
    require(may_manage_call(user), _("Only the secretariat follows the clarification round."))
    today = clock.today()
    out = []
    for r in db.query("""SELECT c.*, e.name AS entity FROM clarifications c
                         JOIN proposals p ON p.call_id = c.call_id AND p.id = c.proposal_id
                         JOIN entities e ON e.call_id = p.call_id AND e.id = p.entity_id
                         WHERE c.call_id = ? ORDER BY c.id""", [call_id]):
        r = _decode(r)
        r["state"] = state(r, today)
        out.append(r)
    return out


def file_bytes(db: sqlite_utils.Database, *, user: User, call_id: int, request_id: int) -> tuple[str, bytes]:
    row = _row(db, call_id, request_id)
    require(may_view_proposal(db, user, call_id, row["proposal_id"]), _("You may not read this file."))
    if not row["stored_name"]:
        raise Invalid("file", _("no file was attached to this answer"))
    return row["file_name"], files.read(db, row["stored_name"])


REMINDER_DAYS = 2


def reminders(db: sqlite_utils.Database, call: dict, today: dt.date) -> list[dict]:
    """Applicants with an unanswered request whose reply date is at most two days away."""
    from selection.services.notices import long_date

    out = []
    for r in db.query("SELECT * FROM clarifications WHERE call_id = ? AND answered_at IS NULL", [call["id"]]):
        r = _decode(r)
        if not 0 <= (r["reply_by"] - today).days <= REMINDER_DAYS:
            continue
        contact = queries.applicant_contact(db, call["id"], r["proposal_id"])
        address, entity = contact["address"], contact["entity"]
        out.append({"kind": "reminder.clarification", "to_address": address, "to_name": entity, "due": r["reply_by"],
                    "subject": f"{call['reference']}: please answer the advisory group's questions by "
                               f"{long_date(r['reply_by'])}",
                    "body": (f"Dear colleagues of {entity},\n\nThe advisory group's request for clarification of your "
                             f"proposal is not answered yet. Answers are accepted until {long_date(r['reply_by'])}, "
                             "in the application under \"Clarifications\".\n\nThe Secretariat"),
                    "dedupe_key": f"reminder.clarification:{r['id']}:{r['reply_by'].isoformat()}"})
    return out
