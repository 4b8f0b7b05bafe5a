"""Secretariat: the clarification round — ask an applicant, for the panel, and follow the answers."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from selection import clock, queries
from selection.services import clarifications
from selection.services.common import criteria_rows
from ui import clarification_view, common


def page() -> None:
    conn, user, call = common.open_page("Clarifications")
    if call is None:
        return
    st.caption("When the panel needs an applicant to clarify a point, ask here. The applicant answers in the "
               "application by the reply date, in text and with one PDF if it wishes; the answer is shown beside the "
               "proposal to its assigned members and in the report, and the proposal itself does not change.")
    requests = clarifications.all_requests(conn, user=user, call_id=call["id"])
    if requests:
        st.dataframe(pd.DataFrame([{
            "Entity": r["entity"], "Questions": len(r["questions"]), "Reply by": f"{clarifications.day(r['reply_by'])}",
            "State": r["state"]} for r in requests]), hide_index=True, width="stretch")
    criteria = criteria_rows(conn, call["id"])
    proposals = {pid: e for pid, e in queries.assessed_entities(conn, call["id"]).items()}
    if not proposals:
        st.info("No proposal is being assessed yet.")
        return
    st.subheader("Ask for a clarification")
    count = st.number_input("How many questions", min_value=1, max_value=clarifications.MAX_QUESTIONS, value=1)
    with st.form("clarify", clear_on_submit=True):
        pid = st.selectbox("Proposal", list(proposals), index=None, format_func=proposals.get,
                           placeholder="Choose a proposal")
        questions = []
        for n in range(int(count)):
            about = st.selectbox(f"Question {n + 1} is about", [None] + [c["id"] for c in criteria],
                                 format_func=lambda c: "the proposal as a whole" if c is None else
                                 next(x["name"] for x in criteria if x["id"] == c), key=f"clar_c_{n}")
            text = st.text_area(f"Question {n + 1}", key=f"clar_q_{n}")
            questions.append({"criterion": about, "question": text})
        reply_by = st.date_input("Reply by", value=clock.today() + dt.timedelta(days=14), min_value=clock.today(),
                                 format="DD/MM/YYYY")
        if st.form_submit_button("Send the request", type="primary"):
            if pid is None:
                st.error("**Proposal** — choose the proposal to ask about.")
            else:
                with common.refusals():
                    clarifications.request(conn, user=user, call_id=call["id"], proposal_id=pid, questions=questions,
                                           reply_by=reply_by)
                    st.session_state["flash"] = (f"Request sent to {common.md(proposals[pid])}: answer due by "
                                                 f"{clarifications.day(reply_by)}. The applicant was told by mail.")
                    st.rerun()
    if requests:
        st.subheader("Read a request and its answer")
        asked = sorted({r["proposal_id"] for r in requests})
        chosen = st.selectbox("Proposal asked", asked, format_func=lambda p: proposals.get(p, p), key="clar_read")
        clarification_view.show(conn, user, call, chosen, criteria)
