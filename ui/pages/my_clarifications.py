"""Applicant: the advisory group's questions about your proposal, answered by their reply date."""

from __future__ import annotations

import streamlit as st

from selection.i18n import _
from selection.services import clarifications, intake
from selection.services.common import criteria_rows
from ui import clarification_view, common


def page() -> None:
    conn, user, call = common.open_page(_("Clarifications"))
    if call is None:
        return
    mine = intake.my_proposal(conn, user=user, call_id=call["id"])
    requests = (clarifications.for_proposal(conn, user=user, call_id=call["id"], proposal_id=mine["id"])
                if mine else [])
    if not requests:
        st.info(_("The advisory group has not asked you anything about your proposal. If it does, its questions "
                  "appear here, with the date by which to answer, and you are told by mail."))
        return
    criteria = criteria_rows(conn, call["id"])
    st.caption(_("Your answers are added beside your proposal for the members who assess it; the proposal "
                 "itself stays as you submitted it."))
    clarification_view.show(conn, user, call, mine["id"], criteria)
    for r in requests:
        if r["state"] == "unanswered at its deadline":
            continue
        title = _("Change your answer") if r["answers"] else _("Answer the questions")
        with st.form(f"answer_{r['id']}"):
            st.markdown(_("**{title}** (until {date})", title=title, date=clarifications.day(r["reply_by"])))
            answers = [st.text_area(_("Answer to question {number}", number=n + 1),
                                    value=(r["answers"] or [""] * 99)[n],
                                    key=f"ans_{r['id']}_{n}") for n in range(len(r["questions"]))]
            upload = st.file_uploader(_("A PDF to support your answers (optional, 10 MB at most)"), type=["pdf"],
                                      key=f"ans_file_{r['id']}")
            if st.form_submit_button(_("Send my answers"), type="primary"):
                with common.refusals():
                    clarifications.answer(conn, user=user, call_id=call["id"], request_id=r["id"], answers=answers,
                                          file=(upload.name, upload.getvalue()) if upload else None)
                    st.session_state["flash"] = _("Your answers were sent. The secretariat and the panel can read "
                                                  "them.")
                    st.rerun()
