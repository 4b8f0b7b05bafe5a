"""Screening one or many proposals: against the call's eligibility conditions, or by setting a status."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from selection import queries
from selection.i18n import ngettext
from selection.services import eligibility, screening
from ui import common, forms, problems

MET = {True: "Met", False: "Not met"}
STATUS_WORDS = {k: v for k, v in queries.STATUS_WORDS.items() if k != "draft"}


def _last_checks(conn, call, pid, conditions) -> None:
    done = screening.checks(conn, call["id"], pid)
    if not done:
        return
    st.caption("Last screening of this proposal")
    st.dataframe(pd.DataFrame([{"Condition": c["text"], "Answer": MET[bool(done[c["id"]]["met"])],
                                "Reason": done[c["id"]]["reason"] or "", "Checked by": done[c["id"]]["checked_by"]}
                               for c in conditions if c["id"] in done]), hide_index=True, width="stretch")


def _checklist(conn, user, call, picked: list[str], conditions: list[dict]) -> None:
    if len(picked) == 1:
        _last_checks(conn, call, picked[0], conditions)
    labels = {"proposals": "Proposals", "conditions": "Eligibility conditions"}
    for i in range(1, len(conditions) + 1):
        labels |= {f"condition {i}": f"Condition {i}", f"reason {i}": f"Reason for condition {i}"}
    with st.form("checklist"):  # a refusal keeps every answer given; a recorded screening clears them
        st.markdown(f"Check the {ngettext('{n:,} chosen proposal', '{n:,} chosen proposals', len(picked))} against each "
                    "condition; the same answers are recorded for each of them.")
        beside = problems.Beside(labels)
        answers = {}
        for i, c in enumerate(conditions, 1):
            met = st.radio(f"{i}. {c['text']}", [True, False], index=None, horizontal=True, format_func=MET.get,
                           key=f"met_{c['id']}")
            beside.place(f"condition {i}")
            reason = st.text_input("Reason, when not met", key=f"why_{c['id']}")
            beside.place(f"reason {i}")
            answers[c["id"]] = (met, reason)
        if st.form_submit_button("Record the screening", type="primary"):
            with beside.refusals():
                result = screening.screen_against_conditions(conn, user=user, call_id=call["id"], proposal_ids=picked,
                                                             answers=answers)
                eligible = sum(s == "eligible" for s in result.values())
                st.session_state["flash"] = (f"Screening recorded for "
                                             f"{ngettext('{n:,} proposal', '{n:,} proposals', len(result))}: {eligible} "
                                             f"eligible, {len(result) - eligible} not eligible.")
                for c in conditions:
                    st.session_state.pop(f"met_{c['id']}", None)
                    st.session_state.pop(f"why_{c['id']}", None)
                st.rerun()


def _direct(conn, user, call, pid: str, labels: dict[str, str]) -> None:
    with st.form("screen"):
        status = st.radio("Status", screening.SCREENING, horizontal=True, format_func=STATUS_WORDS.get, index=None)
        reason = st.text_input("Reason (required when not eligible, withdrawn, or changing a screening)")
        if st.form_submit_button("Save the status"):
            with common.refusals(), forms.labelled({"reason": "Reason", "status": "Status", "proposal": "Status"}):
                screening.set_status(conn, user=user, call_id=call["id"], proposal_id=pid, status=status,
                                     reason=reason)
                st.session_state["flash"] = f"{common.md(labels[pid])}: status saved as {STATUS_WORDS[status]}."
                st.rerun()


def screening_form(conn, user, call, picked: list[str], labels: dict[str, str]) -> None:
    conditions = eligibility.conditions(conn, call["id"])
    if conditions:
        _checklist(conn, user, call, picked, conditions)
    else:
        st.caption("This call has no eligibility conditions yet: set them under Call set-up to screen against "
                   "a checklist. Meanwhile, set the status directly.")
    if len(picked) == 1:
        with st.expander("Set the status directly (a withdrawal, or “not yet screened” to undo a screening)",
                         expanded=not conditions):
            _direct(conn, user, call, picked[0], labels)
    elif not conditions:
        st.caption("Choose a single proposal to set its status directly.")
