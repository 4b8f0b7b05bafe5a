"""Secretariat: the Bureau's advice, the selection from the reserve list, and the follow-up to a host agreement."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from selection import clock, queries, record, states, words
from selection.i18n import N_, _, ngettext
from selection.services import decision
from ui import common, corrections, forms, panels
from ui.donors import donors_section

STATE_WORDS = {"available": N_("not offered yet"), "pending": N_("offered — waiting for the answer"),
               "accepted": N_("accepted"), "declined": N_("declined"), "lapsed": N_("lapsed (no answer within a month)")}

ANSWERS = {"accepted": N_("Accepted"), "declined": N_("Declined")}
ANSWERED = {"accepted": N_("{entity}: the offer was accepted on {date}, recorded."),
            "declined": N_("{entity}: the offer was declined on {date}, recorded.")}


def _reserve(conn, user, call, slots, who) -> None:
    st.subheader(_("Reserve list and selection"))
    st.caption(_("The shortlist in rank order is the reserve list: if the selected entity declines, or has not "
                 "accepted one calendar month after notification, the next one is offered the slot, with the "
                 "Bureau's advice recorded again."))
    slot = st.selectbox(_("Slot"), list(slots), format_func=slots.get, key="sel_slot")
    reserve = queries.reserve_list(conn, call["id"], slot)
    if not reserve:
        st.info(_("This slot has no shortlist yet."))
        return
    st.dataframe(pd.DataFrame([{_("Rank"): c["rank"], _("Entity"): common.entity_label(who[c["proposal"]]),
                                _("Total"): words.number(c["total"]), _("Offer"): _(STATE_WORDS[c["state"]])}
                               for c in reserve]),
                 hide_index=True, width="stretch")
    with st.expander(_("Record advice the Bureau gave on this slot at a meeting or by letter")), \
            st.form(f"advice_for_bureau_{slot}"):
        text = st.text_area(_("The Bureau's advice"), key=f"adv_text_{slot}")
        if st.form_submit_button(_("Record the advice")):
            with common.refusals(), forms.labelled({"advice": _("The Bureau's advice"), "slot": _("Slot")}):
                decision.record_advice(conn, user=user, call_id=call["id"], slot_id=slot, advice=text)
                st.session_state["flash"] = _("The Bureau's advice on this slot is recorded.")
                st.rerun()
    corrections.advice(conn, user, call, slot)
    if any(c["state"] in ("pending", "accepted") for c in reserve):
        return
    available = [c["proposal"] for c in reserve if c["state"] == "available"]
    if not available:
        st.warning(_("Every entity on the reserve list has been offered this slot."))
        return
    open_until = queries.still_open_until(call, clock.today())
    with st.form(f"select_{slot}"):
        pid = st.selectbox(_("Entity to select (the next on the list comes first)"), available,
                           format_func=lambda p: common.entity_label(who[p]))
        rationale = st.text_area(_("Rationale"), key=f"rationale_{slot}")
        early = False
        if open_until:
            st.warning(_("Proposals may still arrive until {date}: a selection made now passes over any proposal "
                         "sent later. Select before the deadline only if the call says so.",
                         date=words.date(open_until)))
            early = st.checkbox(_("Select now, before the deadline"), key=f"early_{slot}")
        if st.form_submit_button(_("Record the selection"), type="primary"):
            if open_until and not early:
                st.error(_("Tick “Select now, before the deadline” to select before proposals close; nothing was "
                           "recorded."))
                return
            if any(s["slot_id"] == slot and s["proposal_id"] == pid and s["acceptance"] == "pending"
                   for s in queries.selections(conn, call["id"])):
                st.rerun()  # a second click: the first one recorded it, and the page shows it
            with common.refusals(), forms.labelled({"rationale": _("Rationale"), "proposal": _("Entity to select"),
                                                    "slot": _("Slot")}):
                decision.record_selection(conn, user=user, call_id=call["id"], slot_id=slot, proposal_id=pid,
                                          rationale=rationale)
                st.session_state["flash"] = _("Selection recorded. What it rests on is now kept as the decision "
                                              "record, whose fingerprint shows any later change.")
                st.rerun()


def _confirmed(button: str, tick: str, unticked: str, key: str) -> bool:
    """A form's submit button that acts only with its confirming tick: a fact recorded once."""
    sure = st.checkbox(tick, key=key)
    if not st.form_submit_button(button):
        return False
    if not sure:
        st.error(unticked)
    return sure


def _offer(conn, user, call, s) -> None:
    cid, sid = call["id"], s["id"]
    state = states.offer_state(s)
    moves = states.allowed(states.OFFER, state, by=states.SECRETARIAT)
    with st.container(border=True):
        st.markdown(f"**{common.md(s['slot_name'])}: {common.md(s['entity'])}** — {states.state_words(state)}")
        due = s["acceptance_due"]
        st.caption(_("Decided {decided} · notified {notified} · acceptance due {due} · host agreement due {agreement}",
                     decided=words.date(s["decided_at"]), notified=words.date(s["notified_on"]),
                     due=words.date(due) if due else _("one month after notification"),
                     agreement=words.date(s["agreement_due"]))
                   + (" · " + _("signed {date}", date=words.date(s["agreement_signed_on"]))
                      if s["agreement_signed_on"] else ""))
        if state == "cancelled":
            st.caption(_("Cancelled on {date}: {reason}", date=words.date(s["cancelled_at"]),
                         reason=common.md(s["cancel_reason"])))
            return
        corrections.offer(conn, user, call, s)
        if state in ("declined", "lapsed"):
            return
        overdue = "lapse" in moves and clock.today() > due
        c1, c2, c3, c4 = st.columns(4)
        if "notify" in moves:
            with c1, st.form(f"notify_{sid}"):
                day = st.date_input(_("Notified on"), value=clock.today(), format="DD/MM/YYYY")
                if st.form_submit_button(_("Record the notification")):
                    with common.refusals(), forms.labelled({"notified_on": _("Notified on")}):
                        decision.record_notification(conn, user=user, call_id=cid, selection_id=sid,
                                                     notified_on=day)
                        st.session_state["flash"] = _("{entity}: notified on {date}, recorded; the entity has one "
                                                      "calendar month to accept.", entity=common.md(s["entity"]),
                                                      date=words.date(day))
                        st.rerun()
        if "answer" in moves:
            with c2, st.form(f"answer_{sid}"):
                answer = st.radio(_("Answer"), ["accepted", "declined"], horizontal=True, index=None,
                                  format_func={a: _(w) for a, w in ANSWERS.items()}.get)
                day = st.date_input(_("Answered on"), value=clock.today(), format="DD/MM/YYYY")
                if _confirmed(_("Record the answer"), _("I confirm the answer (it is recorded once)"),
                              _("Tick the box to confirm the answer; nothing was recorded."), f"answer_{sid}_sure"):
                    with common.refusals(), forms.labelled({"answer": _("Answer"), "answered_on": _("Answered on")}):
                        decision.record_answer(conn, user=user, call_id=cid, selection_id=sid,
                                               accepted=None if answer is None else answer == "accepted",
                                               answered_on=day)
                        st.session_state["flash"] = _(ANSWERED[answer], entity=common.md(s["entity"]),
                                                      date=words.date(day))
                        st.rerun()
                if overdue:
                    st.error(_("No answer by {date}: the offer can lapse.", date=words.date(due)))
        if overdue:
            if c2.button(_("Mark the offer lapsed"), key=f"lapse_{sid}"):
                with common.refusals():
                    decision.record_lapse(conn, user=user, call_id=cid, selection_id=sid)
                    st.session_state["flash"] = _("{entity}: the offer lapsed, recorded. Record the Bureau's advice on "
                                                  "the next entity of the reserve list.", entity=common.md(s["entity"]))
                    st.rerun()
        with c3, st.form(f"budget_{sid}"):
            need = st.number_input(_("Budget need"), min_value=0.0, value=s["budget_need"], step=10_000.0)
            currency = st.text_input(_("Currency"), s["budget_currency"] or "USD", max_chars=3)
            if st.form_submit_button(_("Save the budget need")):
                with common.refusals(), forms.labelled({"budget_need": _("Budget need"), "currency": _("Currency")}):
                    decision.set_budget_need(conn, user=user, call_id=cid, selection_id=sid, amount=need,
                                             currency=currency)
                    st.session_state["flash"] = _("{entity}: budget need saved.", entity=common.md(s["entity"]))
                    st.rerun()
        if "sign" in moves:
            with c4, st.form(f"agreement_{sid}"):
                day = st.date_input(_("Host agreement signed on"), value=clock.today(), format="DD/MM/YYYY")
                if _confirmed(_("Record the signature"), _("I confirm the host agreement is signed"),
                              _("Tick the box to confirm the signature; nothing was recorded."),
                              f"agreement_{sid}_sure"):
                    with common.refusals(), forms.labelled({"agreement_signed_on": _("Host agreement signed on")}):
                        decision.record_agreement(conn, user=user, call_id=cid, selection_id=sid, signed_on=day)
                        st.session_state["flash"] = _("{entity}: host agreement signed on {date}, recorded.",
                                                      entity=common.md(s["entity"]), date=words.date(day))
                        st.rerun()


def _record(conn, call) -> None:
    latest = record.latest(conn, call["id"])
    if latest is None:
        return
    st.subheader(_("Decision record"))
    st.markdown(_("Kept on {moment}. Its fingerprint, printed on the report and the letters, shows whether anything "
                  "it rests on has changed since.", moment=words.moment(latest["created_at"], common.time_zone())))
    with st.expander(_("The fingerprint (SHA-256)")):
        st.code(latest["sha256"], language=None)
    if st.button(_("Verify the record against the database")):
        with st.spinner(_("Recomputing the ranking from the record…")):
            result = record.verify(conn, call["reference"])
        if result.unchanged:
            st.success(_("The record is intact, its ranking recomputes exactly, and nothing has changed since."))
        else:
            if not (result.hash_ok and result.ranking_ok):
                st.error(_("The record does not match its hash or its ranking: it was altered."))
            if not result.trail_ok:
                st.error(common.md(result.trail))
            if result.changes:
                st.warning(ngettext("{n} change since the record:", "{n} changes since the record:",
                                    len(result.changes)))
                st.code("\n".join(result.changes), language=None)
        if result.corrections:
            st.info(ngettext("{n} correction on record since, each with its reason:",
                             "{n} corrections on record since, each with its reason:", len(result.corrections)))
            st.code("\n".join(result.corrections), language=None)


def page() -> None:
    conn, user, call = common.open_page(_("Decision and follow-up"))
    if call is None:
        return
    who = queries.proposal_entities(conn, call["id"])
    slots = queries.slot_names(conn, call["id"])
    panels.advice(conn, call, who)
    _reserve(conn, user, call, slots, who)
    chosen = queries.selections(conn, call["id"], cancelled=True)
    if chosen:
        st.subheader(_("Offers and follow-up"))
        for s in chosen:
            _offer(conn, user, call, s)
    corrections.assessment(conn, user, call)
    donors_section(conn, user, call, slots)
    _record(conn, call)
    corrections.on_record(conn, call)
