"""The decision page's corrections: each asks for a reason and a confirmation, then calls one service.

A correction never overwrites a recorded fact: the service keeps the old value
and the reason in the audit trail, and ``verify`` and the timeline list it.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from selection import corrections, states, words
from selection.i18n import N_, _
from selection.services import decision, review
from ui import common, forms

DATE_LABELS = {"notified_on": N_("Notification"), "answered_on": N_("Answer"),
               "agreement_signed_on": N_("Host agreement signed")}


def _form(key: str, *, confirm: str, button: str, done: str, inputs: Callable[[], dict],
          act: Callable[..., None]) -> None:
    """A correction form: its own inputs, a reason, a box to tick, and the button; refused without the tick."""
    with st.form(key):
        values = inputs()
        reason = st.text_area(_("Reason for the correction (kept on record)"), key=f"{key}_reason")
        sure = st.checkbox(confirm, key=f"{key}_sure")
        if st.form_submit_button(button):
            if not sure:
                st.error(_("Tick the box to confirm the correction; nothing was changed."))
                return
            with common.refusals(), forms.labelled({"reason": _("Reason for the correction (kept on record)"),
                                                    **{k: _(v) for k, v in DATE_LABELS.items()}}):
                act(reason=reason, **values)
                st.session_state["flash"] = done
                st.rerun()


def offer(conn, user, call, s: dict) -> None:
    """Cancel a selection recorded by mistake, or correct a follow-up date, where the offer's state allows."""
    moves = states.allowed(states.OFFER, states.offer_state(s), by=states.SECRETARIAT)
    dates = [f for f, where in states.OFFER_DATES.items() if states.offer_state(s) in where]
    if not ({"cancel", "correct_date"} & moves):
        return
    facts = {"entity": common.md(s["entity"]), "slot": common.md(s["slot_name"])}
    with st.expander(_("Correct this offer (a fact recorded by mistake)")):
        if "cancel" in moves:
            _form(f"cancel_{s['id']}", confirm=_("I confirm: cancel the selection of {entity} for {slot}", **facts),
                  button=_("Cancel the selection"),
                  done=_("Selection of {entity} for {slot} cancelled; the slot is open again.", **facts),
                  inputs=dict, act=lambda reason: decision.cancel_selection(
                      conn, user=user, call_id=call["id"], selection_id=s["id"], reason=reason))
        if "correct_date" in moves and dates:
            def inputs() -> dict:
                field = st.selectbox(_("Date to correct"), dates, format_func={f: _(DATE_LABELS[f]) for f in dates}.get,
                                     key=f"fix_{s['id']}_f")
                day = st.date_input(_("Correct date"), value=None, format="DD/MM/YYYY", key=f"fix_{s['id']}_d")
                return {"field": field, "day": day}

            _form(f"fix_{s['id']}", confirm=_("I confirm: replace the recorded date"), button=_("Correct the date"),
                  done=_("Date corrected; the old date stays in the audit trail."), inputs=inputs,
                  act=lambda reason, field, day: decision.correct_date(
                      conn, user=user, call_id=call["id"], selection_id=s["id"], field=field, day=day,
                      reason=reason))


def advice(conn, user, call, slot: str) -> None:
    """Amend advice on record for this slot (after the selection it informed, too)."""
    rows = corrections.advice_on_slot(conn, call["id"], slot)
    if not rows:
        return
    with st.expander(_("Amend advice on record (correction)")):
        by_id = {r["id"]: r for r in rows}
        aid = st.selectbox(_("Advice"), list(by_id), key=f"amend_{slot}_which",
                           format_func=lambda i: f"{by_id[i]['member']}: {by_id[i]['advice'][:60]}")
        _form(f"amend_{slot}_{aid}", confirm=_("I confirm: amend this advice (the earlier text is kept)"),
              button=_("Amend the advice"), done=_("Advice amended; the earlier text is kept in its history."),
              inputs=lambda: {"advice": st.text_area(_("Amended advice"), value=by_id[aid]["advice"],
                                                     key=f"amend_{slot}_{aid}_text")},
              act=lambda reason, advice: decision.amend_advice(conn, user=user, call_id=call["id"], advice_id=aid,
                                                               advice=advice, reason=reason))


def assessment(conn, user, call) -> None:
    """Reopen a submitted review, or withdraw a conflict declared by mistake (on the member's request)."""
    rows = corrections.reviews_on_record(conn, call["id"])
    submitted = {(r["proposal_id"], r["reviewer_id"]): r for r in rows if r["submitted_at"] and not r["conflict"]}
    conflicts = {(r["proposal_id"], r["reviewer_id"]): r for r in rows if r["conflict"]}
    if not (submitted or conflicts):
        return
    st.subheader(_("Corrections to the assessment"))
    _review_form(conn, user, call, "reopen", submitted, picker=_("Submitted review"), service=review.reopen_review,
                 confirm=_("I confirm: reopen this review for the member to change it"), button=_("Reopen the review"),
                 done=_("Review reopened; the member may change it and submit it again."))
    _review_form(conn, user, call, "unconflict", conflicts, picker=_("Declared conflict"),
                 service=review.withdraw_conflict, button=_("Withdraw the conflict"),
                 confirm=_("I confirm: the member asked, and the conflict was declared by mistake"),
                 done=_("Conflict withdrawn; the member declares again."))


def _review_form(conn, user, call, key: str, table: dict, *, picker: str, service: Callable, confirm: str,
                 button: str, done: str) -> None:
    """Pick a (proposal, reviewer) of ``table`` and apply the review correction ``service`` to it."""
    if not table:
        return
    named = {k: _("{member} on {entity}", member=r["member"], entity=r["entity"]) for k, r in table.items()}
    _form(key, confirm=confirm, button=button, done=done,
          inputs=lambda: {"which": st.selectbox(picker, list(table), key=f"{key}_which", format_func=named.get)},
          act=lambda reason, which: service(conn, user=user, call_id=call["id"], proposal_id=which[0],
                                            reviewer=which[1], reason=reason))


def on_record(conn, call) -> None:
    """Every correction of the call, newest last, with its reason."""
    done = corrections.corrections(conn, call)
    if done:
        st.subheader(_("Corrections on record"))
        for c in done:
            st.markdown(_("{date} — {what} — reason: {reason}", date=words.date(c["at"]), what=common.md(c["what"]),
                          reason=common.md(c["reason"])))
