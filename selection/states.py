"""The states of each record and who may move it from which state to which, in one place.

Every service asks :func:`check` before it writes, so a page, a second tab or
a hand-made call can never take a record along a path this table does not
list. A refusal is an ``Invalid`` naming the record and saying what would be
allowed instead; a move that needs a reason refuses an empty one.

The tables here are the ones docs/ACCESS.md shows to people.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlite_utils

from selection import clock, words
from selection.errors import Invalid
from selection.i18n import N_, _
from selection.services.common import parse_date, required_text

APPLICANT, MEMBER, SECRETARIAT, BUREAU = "applicant", "member", "secretariat", "bureau"
REASON_LIMIT = 5_000


@dataclass(frozen=True)
class Move:
    """One allowed move: from one of ``sources``, by ``by``; ``target`` None keeps the state."""

    sources: frozenset[str]
    target: str | None
    by: frozenset[str]
    reason: bool = False
    words: str = ""


def move(sources, target, by, *, reason: bool = False, words: str = "") -> Move:
    return Move(frozenset(sources), target, frozenset([by] if isinstance(by, str) else by), reason, words)


# Proposal: draft -> submitted -> eligible | ineligible; withdrawn by the applicant before the deadline,
# or recorded by the secretariat (with a reason) at any time after submission; a screening is undone (back to
# submitted, "not yet screened") with a reason.
PROPOSAL = {
    "edit": move({"draft", "submitted"}, None, APPLICANT, words=N_("change the proposal or its files")),
    "submit": move({"draft", "submitted"}, "submitted", APPLICANT, words=N_("submit")),
    "withdraw": move({"draft", "submitted"}, "withdrawn", APPLICANT, reason=True, words=N_("withdraw")),
    "eligible": move({"submitted", "eligible", "ineligible"}, "eligible", SECRETARIAT, words=N_("mark eligible")),
    "ineligible": move({"submitted", "eligible", "ineligible"}, "ineligible", SECRETARIAT, reason=True,
                       words=N_("mark ineligible")),
    "record_withdrawal": move({"submitted", "eligible", "ineligible"}, "withdrawn", SECRETARIAT, reason=True,
                              words=N_("record a withdrawal")),
    "unscreen": move({"eligible", "ineligible"}, "submitted", SECRETARIAT, reason=True, words=N_("undo the screening")),
}
# The applicant's moves are open only until the submission deadline (that day included).
APPLICANT_WINDOW = frozenset({"edit", "submit", "withdraw"})

# Review of one proposal by one member. "locked": a selection is recorded on a slot the proposal applied to.
REVIEW = {
    "declare": move({"assigned", "open", "scored", "submitted"}, None, MEMBER, words=N_("declare")),
    "score": move({"open", "scored", "submitted"}, None, MEMBER, words=N_("change the scores")),
    "submit": move({"scored", "submitted"}, "submitted", MEMBER, words=N_("submit the review")),
    "reopen": move({"submitted", "locked"}, "scored", SECRETARIAT, reason=True, words=N_("reopen the review")),
    "withdraw_conflict": move({"conflict"}, "assigned", SECRETARIAT, reason=True, words=N_("withdraw the conflict")),
}

# An offer of a slot: offered -> notified -> accepted | declined | lapsed; accepted -> signed.
OFFER = {
    "notify": move({"offered"}, "notified", SECRETARIAT, words=N_("record the notification")),
    "answer": move({"notified"}, None, SECRETARIAT, words=N_("record the answer")),
    "lapse": move({"notified"}, "lapsed", SECRETARIAT, words=N_("mark the offer lapsed")),
    "sign": move({"accepted"}, "signed", SECRETARIAT, words=N_("record the host agreement")),
    "budget": move({"offered", "notified", "accepted", "signed"}, None, SECRETARIAT, words=N_("record the budget need")),
    "cancel": move({"offered", "notified", "accepted"}, "cancelled", SECRETARIAT, reason=True,
                   words=N_("cancel the selection")),
    "correct_date": move({"notified", "accepted", "declined", "lapsed", "signed"}, None, SECRETARIAT, reason=True,
                         words=N_("correct a date")),
}
# Which dates a correction may change, and in which states each one exists.
OFFER_DATES = {
    "notified_on": frozenset({"notified", "accepted", "declined", "lapsed", "signed"}),
    "answered_on": frozenset({"accepted", "declined", "signed"}),
    "agreement_signed_on": frozenset({"signed"}),
}

# The Bureau's advice on a slot, one per round of offers and author.
ADVICE = {
    "edit": move({"open"}, None, {BUREAU, SECRETARIAT}, words=N_("change the advice")),
    "amend": move({"open", "locked"}, None, {BUREAU, SECRETARIAT}, reason=True, words=N_("amend the advice")),
}

STATE_WORDS = {
    "draft": N_("a draft"), "submitted": N_("submitted"), "eligible": N_("eligible"), "ineligible": N_("ineligible"),
    "withdrawn": N_("withdrawn"), "assigned": N_("waiting for the declaration"), "open": N_("declared, not yet scored"),
    "scored": N_("scored, not yet submitted"), "conflict": N_("a declared conflict"), "locked":
        N_("locked by the selection"), "offered": N_("offered, not yet notified"),
    "notified": N_("notified, waiting for the answer"),
    "accepted": N_("accepted"), "declined": N_("declined"), "lapsed": N_("lapsed"), "signed": N_("signed (host agreement)"),
    "cancelled": N_("cancelled"),
}


# Who may make a move, as the refusal names them ("only the secretariat may ...").
WHO = {APPLICANT: N_("applicant"), MEMBER: N_("member"), SECRETARIAT: N_("secretariat"), BUREAU: N_("bureau")}


def _who(by: frozenset[str]) -> str:
    names = [_(WHO.get(b, b)) for b in sorted(by)]
    return names[0] if len(names) == 1 else _("{first} or the {second}", first=names[0], second=names[1])


def state_words(state: str) -> str:
    """A stored state in the reader's words ('submitted'); the state itself is stored untranslated."""
    return _(STATE_WORDS[state]) if state in STATE_WORDS else state


def allowed(table: dict[str, Move], state: str, *, by: str) -> set[str]:
    """The moves ``by`` may make from ``state``: what a page offers (the services check again)."""
    return {action for action, m in table.items() if state in m.sources and by in m.by}


def check(table: dict[str, Move], action: str, state: str, *, by: str, field: str,
          reason: str | None = None) -> str | None:
    """Refuse a move the table does not allow; return the reason, stripped, when the move needs one."""
    m = table[action]
    if by not in m.by:
        raise Invalid(field, _("only the {who} may {action}", who=_who(m.by), action=_(m.words)))
    if state not in m.sources:
        raise Invalid(field, _("cannot {action}: it is {state}", action=_(m.words), state=state_words(state)))
    if m.reason:
        return required_text(reason, "reason", REASON_LIMIT)
    return (reason or "").strip() or None


# --------------------------------------------------------------------------- proposals


def applicant_window_open(call: dict, today: dt.date | None = None) -> bool:
    """Published, and the submission deadline (inclusive) not passed."""
    if not call["published_at"]:
        return False
    deadline = parse_date(call["submission_deadline"], "submission_deadline")
    return deadline is None or (today or clock.today()) <= deadline


def check_proposal(call: dict, status: str, action: str, *, by: str, reason: str | None = None) -> str | None:
    """The proposal table, plus the applicant's window: their moves close at the submission deadline."""
    if action in APPLICANT_WINDOW and by == APPLICANT:
        if not call["published_at"]:
            raise Invalid("call", _("this call is not open for proposals"))
        if not applicant_window_open(call):
            deadline = parse_date(call["submission_deadline"], "submission_deadline")
            raise Invalid("call", _("the submission deadline ({date}) has passed; proposals can no longer be "
                                    "changed, submitted or withdrawn (ask the secretariat to record a withdrawal)",
                                    date=words.date(deadline)))
    return check(PROPOSAL, action, status, by=by, field="proposal", reason=reason)


SCREENING_MOVES = {"eligible": "eligible", "ineligible": "ineligible", "withdrawn": "record_withdrawal",
                   "submitted": "unscreen"}


def check_screening(call: dict, current: str, status: str, *, reason: str | None) -> str | None:
    """The secretariat's screening move; changing a decision already taken needs a reason, whichever way."""
    reason = check_proposal(call, current, SCREENING_MOVES[status], by=SECRETARIAT, reason=reason)
    if current in ("eligible", "ineligible"):
        reason = required_text(reason, "reason", REASON_LIMIT)
    return reason


def live_selection_on(db: sqlite_utils.Database, call_id: int, proposal_id: str) -> str | None:
    """When the latest selection still standing was recorded on a slot this proposal applied to, else None."""
    row = db.execute(
        "SELECT max(s.decided_at) FROM selections s JOIN proposal_slots ps ON ps.call_id = s.call_id "
        "AND ps.slot_id = s.slot_id WHERE s.call_id = ? AND ps.proposal_id = ? AND s.cancelled_at IS NULL",
        [call_id, proposal_id]).fetchone()
    return row[0]


# The facts a selection locks, as its refusal names them (the services pass these words).
LOCKED_FACTS = (N_("its consensus score"), N_("its screening"))


def refuse_after_selection(db: sqlite_utils.Database, call_id: int, proposal_id: str, what: str) -> None:
    """Facts a selection rested on stay as they were; a change comes after cancelling the selection."""
    if live_selection_on(db, call_id, proposal_id):
        raise Invalid("proposal", _("a selection is recorded on a slot this proposal applied to: {what} is "
                                    "locked (cancel the selection first, with a reason)", what=_(what)))


# --------------------------------------------------------------------------- reviews


def review_state(db: sqlite_utils.Database, call_id: int, reviewer_id: str, proposal_id: str) -> str:
    """assigned, conflict, open, scored, submitted or locked (see ``REVIEW``)."""
    rows = list(db.query("SELECT * FROM assignments WHERE call_id = ? AND reviewer_id = ? AND proposal_id = ?",
                         [call_id, reviewer_id, proposal_id]))
    if not rows:
        raise Invalid("proposal", _("this proposal is not assigned to this member"))
    a = rows[0]
    if a["declared_at"] is None:
        return "assigned"
    if a["conflict"]:
        return "conflict"
    decided = live_selection_on(db, call_id, proposal_id)
    if decided and not (a["reopened_at"] and a["reopened_at"] >= decided):
        return "locked"
    if db.execute("SELECT 1 FROM review_submissions WHERE call_id = ? AND reviewer_id = ? AND proposal_id = ?",
                  [call_id, reviewer_id, proposal_id]).fetchone():
        return "submitted"
    if db.execute("SELECT 1 FROM scores WHERE call_id = ? AND reviewer_id = ? AND proposal_id = ?",
                  [call_id, reviewer_id, proposal_id]).fetchone():
        return "scored"
    return "open"


def check_review(db: sqlite_utils.Database, call_id: int, reviewer_id: str, proposal_id: str, action: str, *,
                 by: str, reason: str | None = None) -> tuple[str, str | None]:
    """The review's state and the move's reason, or a refusal."""
    state = review_state(db, call_id, reviewer_id, proposal_id)
    return state, check(REVIEW, action, state, by=by, field="review", reason=reason)


# --------------------------------------------------------------------------- offers


def offer_state(row: dict) -> str:
    """offered, notified, accepted, declined, lapsed, signed or cancelled (see ``OFFER``)."""
    if row.get("cancelled_at"):
        return "cancelled"
    if row["acceptance"] == "pending":
        return "notified" if row["notified_on"] else "offered"
    if row["acceptance"] == "accepted" and row["agreement_signed_on"]:
        return "signed"
    return row["acceptance"]


def check_offer(row: dict, action: str, *, by: str, reason: str | None = None) -> str | None:
    return check(OFFER, action, offer_state(row), by=by, field="selection", reason=reason)


OFFER_DATE_ORDER = (("decided_at", N_("the selection")), ("notified_on", N_("the notification")),
                    ("answered_on", N_("the answer")), ("agreement_signed_on", N_("the signature of the host agreement")))


def check_offer_dates(row: dict) -> None:
    """The follow-up dates of an offer in the order the procedure takes them.

    Checked where a date is entered, so the report's timeline and the letters never
    tell a notification before the selection or an answer before the notification.
    """
    dated = [(key, what, dt.date.fromisoformat(str(row[key])[:10])) for key, what in OFFER_DATE_ORDER
             if row.get(key)]
    for (_first, before, day_before), (key, after, day) in zip(dated, dated[1:]):
        if day < day_before:
            raise Invalid(key, _("The date of {after} ({date}) cannot come before {before} ({date_before}).",
                                 after=_(after), date=words.date(day), before=_(before),
                                 date_before=words.date(day_before)))


# --------------------------------------------------------------------------- advice


def advice_round(db: sqlite_utils.Database, call_id: int, slot_id: str) -> int:
    """1, and one more for each offer of the slot that was declined or lapsed (cancelled ones count for nothing)."""
    closed = db.execute("SELECT count(*) FROM selections WHERE call_id = ? AND slot_id = ? AND cancelled_at IS NULL "
                        "AND acceptance IN ('declined', 'lapsed')", [call_id, slot_id]).fetchone()[0]
    return closed + 1


def advice_state(db: sqlite_utils.Database, call_id: int, slot_id: str, round_: int) -> str:
    """open until the selection of its round is recorded, then locked."""
    chosen = db.execute("SELECT count(*) FROM selections WHERE call_id = ? AND slot_id = ? AND cancelled_at IS NULL",
                        [call_id, slot_id]).fetchone()[0]
    return "locked" if chosen >= round_ else "open"


def check_advice(db: sqlite_utils.Database, call_id: int, slot_id: str, round_: int, action: str, *, by: str,
                 reason: str | None = None) -> str | None:
    state = advice_state(db, call_id, slot_id, round_)
    if state == "locked" and action == "edit":
        raise Invalid("advice", _("the selection this advice was for is recorded: amend the advice on record, "
                                  "with a reason"))
    return check(ADVICE, action, state, by=by, field="advice", reason=reason)
