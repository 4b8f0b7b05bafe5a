"""Secretariat: the Bureau's advice, the selection with its rationale, and the follow-up to a host agreement."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from selection import clock, queries
from selection.services import decision
from ui import common


def _advice(conn, call) -> None:
    rows = list(conn.query("SELECT slot_id AS slot, member, advice, preferred_proposal_id AS preferred, given_at "
                           "FROM bureau_advice WHERE call_id = ? ORDER BY id", [call["id"]]))
    st.subheader("The Bureau's advice")
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    else:
        st.caption("No advice recorded yet.")


def _select(conn, user, call, ranking, who) -> None:
    slots = list(conn.query("SELECT id, name FROM slots WHERE call_id = ? ORDER BY position", [call["id"]]))
    with st.form("select"):
        st.subheader("Record the selection")
        slot = st.selectbox("Slot", [s["id"] for s in slots],
                            format_func=lambda i: next(s["name"] for s in slots if s["id"] == i))
        candidates = ranking.slot(slot).shortlist if slot else []
        pid = st.selectbox("Selected entity (from the shortlist)", candidates,
                           format_func=lambda p: common.entity_label(who[p]))
        rationale = st.text_area("Rationale")
        if st.form_submit_button("Record the selection", type="primary"):
            with common.refusals():
                decision.record_selection(conn, user=user, call_id=call["id"], slot_id=slot, proposal_id=pid,
                                          rationale=rationale)
                st.rerun()


def _follow_up(conn, user, call) -> None:
    chosen = queries.selections(conn, call["id"])
    if not chosen:
        return
    st.subheader("Follow-up")
    for s in chosen:
        with st.container(border=True):
            st.markdown(f"**{common.md(s['slot_name'])}: {common.md(s['entity'])}** — {s['acceptance']}")
            st.caption(f"Decided {s['decided_at'][:10]} · acceptance due {s['acceptance_due'] or 'after notification'}"
                       f" · host agreement due {s['agreement_due']}")
            c1, c2, c3 = st.columns(3)
            with c1, st.form(f"notify_{s['id']}"):
                day = st.date_input("Notified on", value=clock.today(), format="YYYY-MM-DD")
                if st.form_submit_button("Record the notification"):
                    with common.refusals():
                        decision.record_notification(conn, user=user, call_id=call["id"], selection_id=s["id"],
                                                     notified_on=day)
                        st.rerun()
            with c2, st.form(f"answer_{s['id']}"):
                answer = st.radio("Answer", ["accepted", "declined"], horizontal=True)
                day = st.date_input("Answered on", value=clock.today(), format="YYYY-MM-DD")
                if st.form_submit_button("Record the answer"):
                    with common.refusals():
                        decision.record_answer(conn, user=user, call_id=call["id"], selection_id=s["id"],
                                               accepted=answer == "accepted", answered_on=day)
                        st.rerun()
            with c3, st.form(f"agreement_{s['id']}"):
                day = st.date_input("Host agreement signed on", value=clock.today(), format="YYYY-MM-DD")
                if st.form_submit_button("Record the signature"):
                    with common.refusals():
                        decision.record_agreement(conn, user=user, call_id=call["id"], selection_id=s["id"],
                                                  signed_on=day)
                        st.rerun()


def _donors(conn, user, call) -> None:
    st.subheader("Donors and pledges")
    pledges = list(conn.query("SELECT slot_id AS slot, donor, contacted_on, amount, currency, pledged_on, status "
                              "FROM pledges WHERE call_id = ? ORDER BY id", [call["id"]]))
    if pledges:
        st.dataframe(pd.DataFrame(pledges), hide_index=True, width="stretch")
    slots = [r[0] for r in conn.execute("SELECT id FROM slots WHERE call_id = ? ORDER BY position", [call["id"]])]
    with st.form("pledge", clear_on_submit=True):
        c1, c2, c3, c4, c5 = st.columns(5)
        slot = c1.selectbox("Slot", slots)
        donor = c2.text_input("Donor")
        amount = c3.number_input("Amount", min_value=0.0, value=None, step=1000.0)
        currency = c4.text_input("Currency", "USD", max_chars=3)
        status = c5.selectbox("Status", ["contacted", "pledged", "paid", "declined"])
        if st.form_submit_button("Record"):
            with common.refusals():
                decision.add_pledge(conn, user=user, call_id=call["id"], slot_id=slot, donor=donor, amount=amount,
                                    currency=currency, status=status,
                                    pledged_on=clock.today() if status in ("pledged", "paid") else None)
                st.rerun()


def page() -> None:
    conn = common.db()
    user = common.current_user(conn)
    st.title("Decision and follow-up")
    call = common.need_call(conn, user)
    if call is None:
        return
    ranking = queries.ranking_inputs(conn, call["reference"]).rank()
    who = queries.proposal_entities(conn, call["id"])
    _advice(conn, call)
    _select(conn, user, call, ranking, who)
    _follow_up(conn, user, call)
    _donors(conn, user, call)
