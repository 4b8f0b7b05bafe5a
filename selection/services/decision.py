"""Steps 5-8: the Bureau's advice, the selection, notification, acceptance, donors, host agreement.

The selected entity has one calendar month from notification to accept; the
host agreement process is due within three months of the decision.
"""

from __future__ import annotations

import sqlite_utils

from selection import audit, clock, queries, record, states, words
from selection.errors import Invalid
from selection.i18n import N_, _
from selection.permissions import User, may_manage_call, may_record_advice, require
from selection.services import funding, notices
from selection.services.funding import add_pledge  # noqa: F401  (kept where callers found it)
from selection.services.common import call_row, parse_date, proposal_row, required_text
from selection.store import transaction

# A refusal is one whole sentence per state, so that each language writes it its own way.
NOT_SELECTABLE = {"draft": N_("a draft proposal cannot be selected"),
                  "ineligible": N_("an ineligible proposal cannot be selected"),
                  "withdrawn": N_("a withdrawn proposal cannot be selected")}
ALREADY_OFFERED = {"pending": N_("this entity was already offered the slot (pending)"),
                   "accepted": N_("this entity was already offered the slot (accepted)"),
                   "declined": N_("this entity was already offered the slot (declined)"),
                   "lapsed": N_("this entity was already offered the slot (lapsed)")}


def _slot(db: sqlite_utils.Database, call_id: int, slot_id: str) -> dict:
    rows = list(db.query("SELECT * FROM slots WHERE call_id = ? AND id = ?", [call_id, slot_id]))
    if not rows:
        raise Invalid("slot", _("not a slot of this call"))
    return rows[0]


def _applies(db: sqlite_utils.Database, call_id: int, proposal_id: str, slot_id: str) -> None:
    if not db.execute("SELECT 1 FROM proposal_slots WHERE call_id = ? AND proposal_id = ? AND slot_id = ?",
                      [call_id, proposal_id, slot_id]).fetchone():
        raise Invalid("proposal", _("this proposal did not apply for this slot"))


def _advice_row(db: sqlite_utils.Database, call_id: int, advice_id: int) -> dict:
    rows = list(db.query("SELECT * FROM bureau_advice WHERE id = ? AND call_id = ?", [advice_id, call_id]))
    if not rows:
        raise Invalid("advice", _("no such advice"))
    return rows[0]


def _replace_advice(db: sqlite_utils.Database, user: User, old: dict, text: str, preferred: str | None,
                    reason: str | None) -> None:
    """Keep the version being replaced in the advice's history, then write the new one."""
    stamp = clock.stamp()
    db["bureau_advice_history"].insert({"advice_id": old["id"], "advice": old["advice"],
                                        "preferred_proposal_id": old["preferred_proposal_id"],
                                        "given_at": old["updated_at"] or old["given_at"], "replaced_at": stamp,
                                        "replaced_by": user.actor, "reason": reason})
    db["bureau_advice"].update(old["id"], {"advice": text, "preferred_proposal_id": preferred, "updated_at": stamp})


def record_advice(db: sqlite_utils.Database, *, user: User, call_id: int, slot_id: str, advice: str,
                  preferred_proposal: str | None = None) -> int:
    """One advice per slot, round of offers and author: giving it again in the same round edits it (the earlier
    text is kept in its history), until the selection of that round is recorded."""
    require(may_record_advice(user), _("Only Bureau members give advice (the secretariat may record it for them)."))
    call = call_row(db, call_id)
    _slot(db, call_id, slot_id)
    text = required_text(advice, "advice")
    if preferred_proposal:
        proposal_row(db, call_id, preferred_proposal)
        _applies(db, call_id, preferred_proposal, slot_id)
    preferred = preferred_proposal or None
    with transaction(db):
        round_ = states.advice_round(db, call_id, slot_id)
        states.check_advice(db, call_id, slot_id, round_, "edit", by=user.role.value)
        mine = list(db.query("SELECT * FROM bureau_advice WHERE call_id = ? AND slot_id = ? AND round = ? "
                             "AND author_account_id = ?", [call_id, slot_id, round_, user.id]))
        if mine:
            old = mine[0]
            _replace_advice(db, user, old, text, preferred, None)
            advice_id = old["id"]
            audit.record(db, actor=user.actor, call=call["reference"], action="advice.edited",
                         target=f"slot:{slot_id}",
                         old={"advice": old["advice"], "preferred": old["preferred_proposal_id"]},
                         new={"advice": text, "preferred": preferred, "round": round_})
        else:
            advice_id = db["bureau_advice"].insert({
                "call_id": call_id, "slot_id": slot_id, "member": user.display_name, "advice": text,
                "preferred_proposal_id": preferred, "given_at": clock.stamp(), "round": round_,
                "author_account_id": user.id}).last_pk
            audit.record(db, actor=user.actor, call=call["reference"], action="advice.recorded",
                         target=f"slot:{slot_id}", new={"advice": text, "preferred": preferred, "round": round_})
    return advice_id


def amend_advice(db: sqlite_utils.Database, *, user: User, call_id: int, advice_id: int, advice: str,
                 preferred_proposal: str | None = None, reason: str) -> None:
    """Correction: its author (or the secretariat, who records the Bureau's advice) amends advice, with a reason,
    also after the selection it informed; the earlier text stays in its history."""
    require(may_record_advice(user), _("Only the Bureau or the secretariat amends advice."))
    call = call_row(db, call_id)
    text = required_text(advice, "advice")
    with transaction(db):
        old = _advice_row(db, call_id, advice_id)
        require(user.role.value == states.SECRETARIAT or old["author_account_id"] == user.id,
                _("Only the author of this advice, or the secretariat, may amend it."))
        if preferred_proposal:
            proposal_row(db, call_id, preferred_proposal)
            _applies(db, call_id, preferred_proposal, old["slot_id"])
        reason = states.check_advice(db, call_id, old["slot_id"], old["round"], "amend", by=user.role.value,
                                     reason=reason)
        _replace_advice(db, user, old, text, preferred_proposal or None, reason)
        audit.record(db, actor=user.actor, call=call["reference"], action="advice.amended",
                     target=f"slot:{old['slot_id']}", old={"advice": old["advice"],
                                                           "preferred": old["preferred_proposal_id"]},
                     new={"advice": text, "preferred": preferred_proposal or None, "round": old["round"]},
                     reason=reason)


def advice_history(db: sqlite_utils.Database, *, call_id: int, advice_id: int) -> list[dict]:
    """Earlier versions of one advice, oldest first (the current text is in ``bureau_advice``)."""
    _advice_row(db, call_id, advice_id)
    return list(db.query("SELECT advice, preferred_proposal_id, given_at, replaced_at, replaced_by, reason "
                         "FROM bureau_advice_history WHERE advice_id = ? ORDER BY id", [advice_id]))


def record_selection(db: sqlite_utils.Database, *, user: User, call_id: int, slot_id: str, proposal_id: str,
                     rationale: str) -> int:
    require(may_manage_call(user), _("Only the secretariat records the selection."))
    call = call_row(db, call_id)
    _slot(db, call_id, slot_id)
    p = proposal_row(db, call_id, proposal_id)
    _applies(db, call_id, proposal_id, slot_id)
    if p["status"] == "submitted":
        raise Invalid("proposal", _("this proposal is not yet screened: mark it eligible before selecting it"))
    if p["status"] != "eligible":
        raise Invalid("proposal", _(NOT_SELECTABLE[p["status"]]))
    text = required_text(rationale, "rationale")
    with transaction(db):
        open_choice = db.execute("SELECT 1 FROM selections WHERE call_id = ? AND slot_id = ? AND cancelled_at IS NULL "
                                 "AND acceptance IN ('pending', 'accepted')", [call_id, slot_id]).fetchone()
        if open_choice:
            raise Invalid("slot", _("a host is already selected for this slot (record a decline first)"))
        reserve = queries.reserve_list(db, call_id, slot_id)
        candidate = next((c for c in reserve if c["proposal"] == proposal_id), None)
        if candidate is None:
            raise Invalid("proposal", _("only an entity on the slot's shortlist can be selected"))
        if candidate["state"] != "available":
            raise Invalid("proposal", _(ALREADY_OFFERED[candidate["state"]]))
        round_ = states.advice_round(db, call_id, slot_id)
        if round_ > 1 and not db.execute("SELECT 1 FROM bureau_advice WHERE call_id = ? AND slot_id = ? AND round = ?",
                                         [call_id, slot_id, round_]).fetchone():
            raise Invalid("advice", _("the first choice declined or lapsed: record the Bureau's advice on the next "
                                      "candidate before selecting again"))
        stamp = clock.stamp()
        selection_id = db["selections"].insert({"call_id": call_id, "slot_id": slot_id, "proposal_id": proposal_id,
                                                "rationale": text, "decided_at": stamp}).last_pk
        first = not db.execute("SELECT 1 FROM selections WHERE call_id = ? AND id <> ? AND cancelled_at IS NULL",
                               [call_id, selection_id]).fetchone()
        if first:  # the planned date gives way to the actual date of the first selection
            db["calls"].update(call_id, {"decided_on": stamp[:10]})
        record_id, sha = record.freeze(db, call_id=call_id, selection_id=selection_id, actor=user.actor)
        audit.record(db, actor=user.actor, call=call["reference"], action="selection.recorded",
                     target=f"slot:{slot_id}", old={"decided_on": call["decided_on"]} if first else None,
                     new={"proposal": proposal_id, "rationale": text, "selection": selection_id, "round": round_,
                          "record": record_id, "sha256": sha, **({"decided_on": stamp[:10]} if first else {})})
    return selection_id


def record_lapse(db: sqlite_utils.Database, *, user: User, call_id: int, selection_id: int) -> None:
    """The selected entity did not confirm within one calendar month of notification: the offer lapses."""
    def lapse(s: dict) -> dict:
        due = queries.acceptance_due(s)
        if clock.today() <= due:
            raise Invalid("selection", _("the entity has until {date} to accept", date=words.date(due)))
        return {"acceptance": "lapsed", "lapsed_on": clock.today().isoformat(), "closed_at": clock.stamp()}

    _update_selection(db, user, call_id, selection_id, lapse, "selection.lapsed", move="lapse",
                      refusal=_("only a notified offer still waiting for an answer can lapse"))


def set_budget_need(db: sqlite_utils.Database, *, user: User, call_id: int, selection_id: int, amount: float,
                    currency: str) -> None:
    """The selected host's stated budget need, which pledges are totalled against."""
    need = funding.amount_of(amount, "budget_need")
    if need is None:
        raise Invalid("budget_need", _("a number of zero or more"))
    currency = funding.currency_code(currency)
    if currency is None:
        raise Invalid("currency", _("a three-letter ISO code such as USD or EUR"))
    _update_selection(db, user, call_id, selection_id, {"budget_need": need, "budget_currency": currency},
                      "selection.budget")


def _selection(db: sqlite_utils.Database, call_id: int, selection_id: int) -> dict:
    rows = list(db.query("SELECT * FROM selections WHERE id = ? AND call_id = ?", [selection_id, call_id]))
    if not rows:
        raise Invalid("selection", _("no such selection"))
    return rows[0]


def _update_selection(db, user: User, call_id: int, selection_id: int, changes, action: str, *,
                      move: str = "budget", reason: str | None = None, field: str = "selection",
                      refusal: str | None = None) -> None:
    """One move of the offer table (``states.OFFER``), read and written inside one transaction.

    ``changes`` is a dict, or a function of the current row giving one (it may refuse); ``refusal`` replaces
    the table's words when the move is not allowed from the current state.
    """
    require(may_manage_call(user), _("Only the secretariat records the follow-up."))
    call = call_row(db, call_id)
    with transaction(db):
        old = _selection(db, call_id, selection_id)
        try:
            reason = states.check_offer(old, move, by=states.SECRETARIAT, reason=reason)
        except Invalid as e:
            if refusal is None or e.field == "reason":
                raise
            raise Invalid(field, refusal) from None
        new = changes(old) if callable(changes) else changes
        states.check_offer_dates({**old, **new})
        db["selections"].update(selection_id, new)
        audit.record(db, actor=user.actor, call=call["reference"], action=action, target=f"selection:{selection_id}",
                     old={k: old[k] for k in new}, new=new, reason=reason)


def record_notification(db: sqlite_utils.Database, *, user: User, call_id: int, selection_id: int,
                        notified_on) -> None:
    day = parse_date(notified_on, "notified_on")
    if day is None:
        raise Invalid("notified_on", _("give the date the entity was notified"))
    published = call_row(db, call_id)["published_at"]
    if published and day.isoformat() < str(published)[:10]:
        raise Invalid("notified_on", _("the notification cannot come before the call was published ({date})",
                                       date=words.date(str(published)[:10])))
    _update_selection(db, user, call_id, selection_id, {"notified_on": day.isoformat()}, "selection.notified",
                      move="notify", field="notified_on",
                      refusal=_("the notification is already recorded (correct its date instead, with a reason)"))
    notices.selection_notified(db, call_id=call_id, selection_id=selection_id)  # after the commit


def record_answer(db: sqlite_utils.Database, *, user: User, call_id: int, selection_id: int, accepted: bool | None,
                  answered_on) -> None:
    """Accepted or declined, once: an answer on record is changed only by correcting its date or cancelling.
    The answer is chosen, never assumed: ``accepted`` None is refused."""
    if accepted is None:
        raise Invalid("answer", _("choose accepted or declined"))
    day = parse_date(answered_on, "answered_on")
    if day is None:
        raise Invalid("answered_on", _("give the date of the answer"))
    if states.offer_state(_selection(db, call_id, selection_id)) == "offered":
        raise Invalid("answered_on", _("record the notification first"))
    _update_selection(db, user, call_id, selection_id,
                      {"acceptance": "accepted" if accepted else "declined", "answered_on": day.isoformat(),
                       **({} if accepted else {"closed_at": clock.stamp()})}, "selection.answered",
                      move="answer", field="answered_on", refusal=_("the answer is already recorded"))


def record_agreement(db: sqlite_utils.Database, *, user: User, call_id: int, selection_id: int, signed_on) -> None:
    day = parse_date(signed_on, "agreement_signed_on")
    if day is None:
        raise Invalid("agreement_signed_on", _("give the date the host agreement was signed"))
    signed = states.offer_state(_selection(db, call_id, selection_id)) == "signed"
    _update_selection(db, user, call_id, selection_id, {"agreement_signed_on": day.isoformat()}, "agreement.signed",
                      move="sign", field="agreement_signed_on",
                      refusal=_("the signature is already recorded (correct its date instead, with a reason)") if signed
                      else _("the entity has not accepted"))


def cancel_selection(db: sqlite_utils.Database, *, user: User, call_id: int, selection_id: int, reason: str) -> None:
    """Correction: a selection recorded by mistake is cancelled (never deleted); the entity is available again
    and the slot open. A signed host agreement or a closed offer is not cancelled."""
    reason = required_text(reason, "reason", states.REASON_LIMIT)
    _update_selection(db, user, call_id, selection_id, {"cancelled_at": clock.stamp(), "cancel_reason": reason},
                      "selection.cancelled", move="cancel", reason=reason)


def correct_date(db: sqlite_utils.Database, *, user: User, call_id: int, selection_id: int, field: str, day,
                 reason: str) -> None:
    """Correction: a follow-up date recorded wrongly (notification, answer, host agreement), with a reason."""
    if field not in states.OFFER_DATES:
        raise Invalid("field", _("choose the notification, the answer or the host agreement"))
    value = parse_date(day, field)
    if value is None:
        raise Invalid(field, _("give the correct date"))

    def change(s: dict) -> dict:
        if states.offer_state(s) not in states.OFFER_DATES[field]:
            raise Invalid(field, _("this date is not recorded for this offer"))
        if s[field] == value.isoformat():
            raise Invalid(field, _("this is already the recorded date"))
        return {field: value.isoformat()}

    _update_selection(db, user, call_id, selection_id, change, "selection.date_corrected", move="correct_date",
                      reason=reason)
