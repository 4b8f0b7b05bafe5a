"""Secretariat: the clarification round — ask an applicant, for the panel, and follow the answers."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from selection import clock, queries
from selection.i18n import N_, _
from selection.services import clarifications
from selection.services.common import criteria_rows
from ui import clarification_view, common

STATES = {"answered": N_("answered"), "awaiting an answer": N_("awaiting an answer"),
          "unanswered at its deadline": N_("unanswered at its deadline")}


def page() -> None:
    conn, user, call = common.open_page(_("Clarifications"))
    if call is None:
        return
    st.caption(_("When the panel needs an applicant to clarify a point, ask here. The applicant answers in the "
                 "application by the reply date, in text and with one PDF if it wishes; the answer is shown beside "
                 "the proposal to its assigned members and in the report, and the proposal itself does not change."))
    requests = clarifications.all_requests(conn, user=user, call_id=call["id"])
    if requests:
        st.dataframe(pd.DataFrame([{
            _("Entity"): r["entity"], _("Questions"): len(r["questions"]),
            _("Reply by"): f"{clarifications.day(r['reply_by'])}", _("State"): _(STATES.get(r["state"], r["state"]))}
            for r in requests]), hide_index=True, width="stretch")
    criteria = criteria_rows(conn, call["id"])
    proposals = {pid: e for pid, e in queries.assessed_entities(conn, call["id"]).items()}
    if not proposals:
        st.info(_("No proposal is being assessed yet."))
        return
    st.subheader(_("Ask for a clarification"))
    count = st.number_input(_("How many questions"), min_value=1, max_value=clarifications.MAX_QUESTIONS, value=1)
    with st.form("clarify", clear_on_submit=True):
        pid = st.selectbox(_("Proposal"), list(proposals), index=None, format_func=proposals.get,
                           placeholder=_("Choose a proposal"))
        questions = []
        for n in range(int(count)):
            about = st.selectbox(_("Question {n} is about", n=n + 1), [None] + [c["id"] for c in criteria],
                                 format_func=lambda c: _("the proposal as a whole") if c is None else
                                 next(x["name"] for x in criteria if x["id"] == c), key=f"clar_c_{n}")
            text = st.text_area(_("Question {n}", n=n + 1), key=f"clar_q_{n}")
            questions.append({"criterion": about, "question": text})
        reply_by = st.date_input(_("Reply by"), value=clock.today() + dt.timedelta(days=14), min_value=clock.today(),
                                 format="DD/MM/YYYY")
        if st.form_submit_button(_("Send the request"), type="primary"):
            if pid is None:
                st.error(_("**Proposal** — choose the proposal to ask about."))
            else:
                with common.refusals():
                    clarifications.request(conn, user=user, call_id=call["id"], proposal_id=pid, questions=questions,
                                           reply_by=reply_by)
                    st.session_state["flash"] = _("Request sent to {entity}: answer due by {date}. The applicant was "
                                                  "told by mail.", entity=common.md(proposals[pid]),
                                                  date=clarifications.day(reply_by))
                    st.rerun()
    if requests:
        st.subheader(_("Read a request and its answer"))
        asked = sorted({r["proposal_id"] for r in requests})
        chosen = st.selectbox(_("Proposal asked"), asked, format_func=lambda p: proposals.get(p, p), key="clar_read")
        clarification_view.show(conn, user, call, chosen, criteria)
