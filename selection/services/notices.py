"""Notices and reminders by e-mail: what is due, to whom, sent once through :mod:`selection.mail`.

Three notices follow a secretariat's action (called by the services after their
transaction, so a mail problem never undoes the action):

- :func:`answer_published`: an answer to a question goes to every applicant
  account of the call, that is every applicant account that keeps an
  organisation profile (an entity) in this call. Applicants of other calls are
  not written to; anyone else reads the answer in the app, where all answers
  are public.
- :func:`call_amended`: a published call changed; every applicant account of
  the call (as for an answer) receives the secretariat's notice of what changed.
- :func:`selection_notified`: the selected entity is told, with the date by
  which it must confirm acceptance (one calendar month after notification).

:func:`reminders` computes what is due on a given day; :func:`send_reminders`
(secretariat only) sends it. Each message carries a ``dedupe_key``
``"<kind>:<target>:<due date>"``, so running the reminders every day (or twice
in a row) sends each one once. Recipients' addresses: an account's e-mail,
else the entity's contact e-mail (the reverse for the selected entity, whose
formal contact is its contact e-mail); a person with neither still gets a
message kept on record, marked not sent.
"""

from __future__ import annotations

import datetime as dt

import sqlite_utils

from selection import audit, clock, i18n, mail, queries, report_queries, words
from selection.i18n import N_, _, ngettext
from selection.errors import Invalid
from selection.permissions import User, may_manage_call, require
from selection.services.common import call_row
from selection.store import transaction

SUBMISSION_WARNING_DAYS = 7
REVIEW_WARNING_DAYS = 7
ACCEPTANCE_WARNING_DAYS = 7
AGREEMENT_WARNING_DAYS = 14


long_date = words.date


def _when(days: int) -> str:
    """When a date is, from today, in the reader's language ("in 3 days", "tomorrow", "2 days ago")."""
    if days > 1:
        return ngettext("in {n} day", "in {n} days", days)
    if days == 1:
        return _("tomorrow")
    if days == 0:
        return _("today")
    return ngettext("{n} day ago", "{n} days ago", -days)


def _signature(call: dict) -> str:
    return _("\n\n{secretariat}\n(sent by host-selection for {reference})\n",
             secretariat=call.get("secretariat_name") or _("The secretariat"), reference=call["reference"])


def _secretariat(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("SELECT id, display_name, email, language FROM accounts WHERE role = 'secretariat' "
                         "AND disabled = 0 ORDER BY id"))


def _in_their_language(account: dict):
    """Write a message in the language its recipient chose for the account (English when none)."""
    return i18n.use(i18n.negotiate(account.get("language")))


# an accepted offer's state as the secretariat's reminder says it
ACCEPTANCE_WORDS = {"pending": N_("still awaited"), "accepted": N_("recorded")}


# --------------------------------------------------------------------------- notices after an action


def applicants(db: sqlite_utils.Database, call_id: int) -> list[dict]:
    """Every applicant account that keeps an organisation profile in the call, with its address."""
    return list(db.query(
        """SELECT a.id, a.display_name, coalesce(a.email, e.contact_email) AS address,
                  coalesce(e.language, a.language) AS language
           FROM entities e JOIN accounts a ON a.id = e.account_id
           WHERE e.call_id = ? AND a.role = 'applicant' AND a.disabled = 0 ORDER BY a.id""", [call_id]))


def _to_every_applicant(db: sqlite_utils.Database, call: dict, kind: str, dedupe: str, write) -> list[dict]:
    """One message per applicant of the call, ``write()`` giving its subject and body in the applicant's language."""
    def draft(r: dict) -> dict:
        with i18n.use(i18n.negotiate(r["language"])):
            subject, body = write()
            return {"call_id": call["id"], "kind": kind, "to_address": r["address"], "to_name": r["display_name"],
                    "subject": subject, "body": body + _signature(call), "dedupe_key": f"{dedupe}:account:{r['id']}"}

    return mail.send_all(db, [draft(r) for r in applicants(db, call["id"])])


def answer_published(db: sqlite_utils.Database, *, call_id: int, inquiry_id: int) -> list[dict]:
    """Tell every applicant of the call that an answer was published (with the question and the answer)."""
    call = call_row(db, call_id)
    rows = list(db.query("SELECT * FROM inquiries WHERE id = ? AND call_id = ? AND published = 1",
                         [inquiry_id, call_id]))
    if not rows:
        return []
    q = rows[0]
    return _to_every_applicant(db, call, "notice.answer", f"notice.answer:inquiry:{inquiry_id}:{q['answered_at']}", lambda: (
        _("{reference}: a new answer to a question about the call", reference=call["reference"]),
        _("A question about the call \"{title}\" ({reference}) has been answered. The answer is "
          "published to every applicant, without the name of who asked.\n\n"
          "Question:\n{question}\n\nAnswer:\n{answer}\n\n"
          "Every published answer is under \"Questions and answers\" in the application.",
          title=call["title"], reference=call["reference"], question=q["question"], answer=q["answer"])))


def call_amended(db: sqlite_utils.Database, *, call_id: int, amendment_id: int) -> list[dict]:
    """Tell every applicant of the call that the published call changed, in the secretariat's words."""
    call = call_row(db, call_id)
    rows = list(db.query("SELECT * FROM call_amendments WHERE id = ? AND call_id = ?", [amendment_id, call_id]))
    if not rows:
        return []
    return _to_every_applicant(db, call, "notice.amendment", f"notice.amendment:{amendment_id}", lambda: (
        _("{reference}: the call has been amended", reference=call["reference"]),
        _("The call \"{title}\" ({reference}) has been amended.\n\nWhat changed:\n{notice}\n\n"
          "The call as it stands now, with its criteria, guidance and dates, is in the "
          "application; please check that your proposal still answers it.",
          title=call["title"], reference=call["reference"], notice=rows[0]["notice"])))


def _selected(db: sqlite_utils.Database, call_id: int, selection_id: int) -> dict:
    found = [s for s in queries.selections(db, call_id) if s["id"] == selection_id]
    if not found:
        raise Invalid("selection", "no such selection")
    s = found[0]
    s["address"] = queries.applicant_contact(db, call_id, s["proposal_id"])["address"]
    entity_id = db.execute("SELECT entity_id FROM proposals WHERE call_id = ? AND id = ?",
                           [call_id, s["proposal_id"]]).fetchone()[0]
    s["language"] = report_queries.recipient_language(db, call_id, entity_id)
    return s


def selection_notified(db: sqlite_utils.Database, *, call_id: int, selection_id: int) -> dict | None:
    """Tell the selected entity, stating the date by which it must confirm acceptance."""
    call = call_row(db, call_id)
    s = _selected(db, call_id, selection_id)
    due = s["acceptance_due"]
    if due is None:
        return None
    with i18n.use(s["language"]):
        body = _("Dear colleagues of {entity},\n\n"
                 "Following the call \"{title}\" ({reference}), {entity} has been selected to host the {slot}.\n\n"
                 "Please confirm whether you accept by {due}: one calendar month after the notification of "
                 "{notified}.\n\n"
                 "Once you accept, the process for the host agreement begins (due within three months of the "
                 "decision).", entity=s["entity"], title=call["title"], reference=call["reference"],
                 slot=s["slot_name"], due=long_date(due), notified=long_date(dt.date.fromisoformat(s["notified_on"])))
        subject = _("{reference}: selected to host the {slot} - please confirm by {due}", reference=call["reference"],
                    slot=s["slot_name"], due=long_date(due))
        body += _signature(call)
    return mail.send(db, call_id=call_id, kind="notice.selection", to_address=s["address"], to_name=s["entity"],
                     subject=subject, body=body,
                     dedupe_key=f"notice.selection:selection:{selection_id}:{s['notified_on']}")


# --------------------------------------------------------------------------- reminders


def _submission(db: sqlite_utils.Database, call: dict, today: dt.date) -> list[dict]:
    """Applicants whose proposal is still a draft when the submission deadline is at most 7 days away."""
    deadline = dt.date.fromisoformat(call["submission_deadline"]) if call["submission_deadline"] else None
    if deadline is None or not 0 <= (deadline - today).days <= SUBMISSION_WARNING_DAYS:
        return []
    days = (deadline - today).days
    rows = db.query(
        """SELECT p.id, e.name, a.display_name, coalesce(a.email, e.contact_email) AS address,
                  coalesce(e.language, a.language) AS language
           FROM proposals p JOIN entities e ON e.call_id = p.call_id AND e.id = p.entity_id
           LEFT JOIN accounts a ON a.id = e.account_id
           WHERE p.call_id = ? AND p.status = 'draft' ORDER BY p.position""", [call["id"]])
    def draft(r: dict) -> dict:
        with i18n.use(i18n.negotiate(r["language"])):
            return {"kind": "reminder.submission", "to_address": r["address"],
                    "to_name": r["display_name"] or r["name"], "due": deadline,
                    "subject": _("{reference}: your proposal is not submitted yet - deadline {date}",
                                 reference=call["reference"], date=long_date(deadline)),
                    "body": _("The proposal of {entity} to the call \"{title}\" ({reference}) is still a draft. The "
                              "deadline for proposals is {date}, {when}.\n\n"
                              "A draft is never assessed: open \"My proposal\" in the application, complete every "
                              "section and submit it before the deadline.", entity=r["name"], title=call["title"],
                              reference=call["reference"], date=long_date(deadline), when=_when(days))
                    + _signature(call),
                    "dedupe_key": f"reminder.submission:proposal:{r['id']}:{deadline.isoformat()}"}

    return [draft(r) for r in rows]


def _reviews(db: sqlite_utils.Database, call: dict, today: dt.date) -> list[dict]:
    """Members with assigned proposals not yet submitted when the meeting is at most 7 days away or past."""
    meeting = dt.date.fromisoformat(call["advisory_meeting_on"]) if call["advisory_meeting_on"] else None
    if meeting is None or (meeting - today).days > REVIEW_WARNING_DAYS:
        return []
    rows = db.execute(
        """SELECT a.reviewer_id, r.name, acc.display_name, acc.email, acc.language, e.name AS entity
           FROM assignments a JOIN reviewers r ON r.call_id = a.call_id AND r.id = a.reviewer_id
           LEFT JOIN accounts acc ON acc.id = r.account_id
           JOIN proposals p ON p.call_id = a.call_id AND p.id = a.proposal_id
           JOIN entities e ON e.call_id = p.call_id AND e.id = p.entity_id
           WHERE a.call_id = ? AND coalesce(a.conflict, 0) = 0 AND p.status IN ('submitted', 'eligible')
             AND NOT EXISTS (SELECT 1 FROM review_submissions s WHERE s.call_id = a.call_id
                             AND s.reviewer_id = a.reviewer_id AND s.proposal_id = a.proposal_id)
           ORDER BY r.position, p.position""", [call["id"]]).fetchall()
    waiting: dict[str, dict] = {}
    for rid, name, display_name, email, language, entity in rows:
        w = waiting.setdefault(rid, {"name": display_name or name, "email": email, "language": language,
                                     "entities": []})
        w["entities"].append(entity)
    days = (meeting - today).days
    out = []
    for rid, w in waiting.items():
        with _in_their_language(w):
            when = _("is {when}", when=_when(days)) if days >= 0 else _("was {when}", when=_when(days))
            out.append({
                "kind": "reminder.review", "to_address": w["email"], "to_name": w["name"], "due": meeting,
                "subject": ngettext("{reference}: {n} review to submit before the meeting of {date}",
                                    "{reference}: {n} reviews to submit before the meeting of {date}",
                                    len(w["entities"]), reference=call["reference"], date=long_date(meeting)),
                "body": _("The advisory group meeting for the call \"{title}\" ({reference}) {when}, on {date}. These "
                          "proposals assigned to you have no submitted review yet:\n\n{proposals}\n\nOpen \"My "
                          "reviews\" in the application to declare any conflict of interest, score each criterion "
                          "with your reasons, and submit.", title=call["title"], reference=call["reference"],
                          when=when, date=long_date(meeting), proposals="\n".join(f"- {e}" for e in w["entities"]))
                + _signature(call),
                "dedupe_key": f"reminder.review:reviewer:{rid}:{meeting.isoformat()}"})
    return out


def _decisions(db: sqlite_utils.Database, call: dict, today: dt.date) -> list[dict]:
    """Acceptance due within 7 days or overdue (the entity; the secretariat when overdue), and the host
    agreement due within 14 days or overdue and not signed (the secretariat)."""
    out = []
    staff = _secretariat(db)
    for s in queries.selections(db, call["id"]):
        due = s["acceptance_due"]
        if s["acceptance"] == "pending" and due and (due - today).days <= ACCEPTANCE_WARNING_DAYS:
            days = (due - today).days
            s = _selected(db, call["id"], s["id"])
            with i18n.use(s["language"]):
                state = (_("is due {when}", when=_when(days)) if days >= 0 else
                         _("was due {when} and has not been received", when=_when(days)))
                out.append({
                    "kind": "reminder.acceptance", "to_address": s["address"], "to_name": s["entity"], "due": due,
                    "subject": _("{reference}: please confirm acceptance by {date}", reference=call["reference"],
                                 date=long_date(due)),
                    "body": _("{entity} was notified on {notified} of its selection to host the {slot} under the call "
                              "\"{title}\" ({reference}). Its answer (acceptance or decline) {state}: the deadline is "
                              "{date}.\n\nPlease reply to the secretariat.", entity=s["entity"],
                              notified=long_date(dt.date.fromisoformat(s["notified_on"])), slot=s["slot_name"],
                              title=call["title"], reference=call["reference"], state=state, date=long_date(due))
                    + _signature(call),
                    "dedupe_key": f"reminder.acceptance:selection:{s['id']}:{due.isoformat()}"})
            if days < 0:
                out += [_acceptance_overdue(call, s, a, due, days) for a in staff]
        due = s["agreement_due"]
        days = (due - today).days
        if s["acceptance"] in ("pending", "accepted") and not s["agreement_signed_on"] \
                and days <= AGREEMENT_WARNING_DAYS:
            out += [_agreement_due(call, s, a, due, days) for a in staff]
    return out


def _acceptance_overdue(call: dict, s: dict, account: dict, due: dt.date, days: int) -> dict:
    with _in_their_language(account):
        who = _("{entity} ({slot})", entity=s["entity"], slot=s["slot_name"])
        return {"kind": "reminder.acceptance-overdue", "to_address": account["email"],
                "to_name": account["display_name"], "due": due,
                "subject": _("{reference}: acceptance overdue - {who}", reference=call["reference"], who=who),
                "body": _("The acceptance of {who} was due on {date} and is not recorded ({overdue} overdue). Record "
                          "the answer under \"Decision and follow-up\", or record a decline and choose the next "
                          "candidate.", who=who, date=long_date(due), overdue=words.days(days)) + _signature(call),
                "dedupe_key": f"reminder.acceptance-overdue:selection:{s['id']}/account:{account['id']}:"
                              f"{due.isoformat()}"}


def _agreement_due(call: dict, s: dict, account: dict, due: dt.date, days: int) -> dict:
    with _in_their_language(account):
        who = _("{entity} ({slot})", entity=s["entity"], slot=s["slot_name"])
        state = _("is due {when}", when=_when(days)) if days >= 0 else _("was due {when}", when=_when(days))
        return {"kind": "reminder.agreement", "to_address": account["email"], "to_name": account["display_name"],
                "due": due,
                "subject": _("{reference}: host agreement due {date} - {who}", reference=call["reference"],
                             date=long_date(due), who=who),
                "body": _("The host agreement with {who} {state}, on {date} (three months after the decision), and is "
                          "not recorded as signed. The entity's acceptance is {acceptance}.", who=who, state=state,
                          date=long_date(due), acceptance=_(ACCEPTANCE_WORDS.get(s["acceptance"], s["acceptance"])))
                + _signature(call),
                "dedupe_key": f"reminder.agreement:selection:{s['id']}/account:{account['id']}:{due.isoformat()}"}


def reminders(db: sqlite_utils.Database, *, call_id: int, today: dt.date) -> list[dict]:
    """Every reminder due on ``today``: the keyword arguments of :func:`mail.send`, with ``due`` (the date
    reminded of) and ``already`` (True when it was sent, or kept, before: sending it again does nothing)."""
    call = call_row(db, call_id)
    if not call["published_at"]:
        return []
    from selection.services import clarifications

    due = (_submission(db, call, today) + _reviews(db, call, today) + _decisions(db, call, today)
           + clarifications.reminders(db, call, today))
    return [{"call_id": call_id, **r, "to_address": r["to_address"] or "", "already": mail.known(db, r["dedupe_key"])}
            for r in due]


def send_reminders(db: sqlite_utils.Database, *, user: User, call_id: int) -> list[dict]:
    """Send every reminder due today that was not sent before; returns the messages kept by this run."""
    require(may_manage_call(user), "Only the secretariat sends reminders.")
    call = call_row(db, call_id)
    due = [r for r in reminders(db, call_id=call_id, today=clock.today()) if not r["already"]]
    drafts = [{k: r[k] for k in ("call_id", "kind", "to_address", "to_name", "subject", "body", "dedupe_key")}
              for r in due]
    kept = [m for m in mail.send_all(db, drafts) if m["new"]]
    if kept:
        with transaction(db):
            audit.record(db, actor=user.actor, call=call["reference"], action="reminders.sent",
                         target=f"call:{call['reference']}",
                         new={"messages": len(kept), "sent": sum(1 for m in kept if m["sent_at"]),
                              "keys": [m["dedupe_key"] for m in kept]})
    return kept
