"""Screening one or many proposals: against the call's eligibility conditions, or by setting a status."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from selection import queries
from selection.i18n import N_, _, ngettext
from selection.services import eligibility, screening
from ui import common, forms, problems

MET = {True: N_("Met"), False: N_("Not met")}
STATUS_WORDS = {k: v for k, v in queries.STATUS_WORDS.items() if k != "draft"}


def status_word(status: str) -> str:
    """A proposal's stored status as its readers say it, in their language."""
    return _(queries.STATUS_WORDS[status]) if status in queries.STATUS_WORDS else status


def _last_checks(conn, call, pid, conditions) -> None:
    done = screening.checks(conn, call["id"], pid)
    if not done:
        return
    st.caption(_("Last screening of this proposal"))
    st.dataframe(pd.DataFrame([{_("Condition"): c["text"], _("Answer"): _(MET[bool(done[c["id"]]["met"])]),
                                _("Reason"): done[c["id"]]["reason"] or "",
                                _("Checked by"): done[c["id"]]["checked_by"]}
                               for c in conditions if c["id"] in done]), hide_index=True, width="stretch")


def _checklist(conn, user, call, picked: list[str], conditions: list[dict]) -> None:
    if len(picked) == 1:
        _last_checks(conn, call, picked[0], conditions)
    labels = {"proposals": _("Proposals"), "conditions": _("Eligibility conditions")}
    for i in range(1, len(conditions) + 1):
        labels |= {f"condition {i}": _("Condition {n}", n=i), f"reason {i}": _("Reason for condition {n}", n=i)}
    with st.form("checklist"):  # a refusal keeps every answer given; a recorded screening clears them
        st.markdown(ngettext("Check the {n} chosen proposal against each condition; the same answers are recorded "
                             "for each of them.", "Check the {n} chosen proposals against each condition; the same "
                             "answers are recorded for each of them.", len(picked)))
        beside = problems.Beside(labels)
        answers = {}
        for i, c in enumerate(conditions, 1):
            met = st.radio(f"{i}. {c['text']}", [True, False], index=None, horizontal=True,
                           format_func=lambda v: _(MET[v]), key=f"met_{c['id']}")
            beside.place(f"condition {i}")
            reason = st.text_input(_("Reason, when not met"), key=f"why_{c['id']}")
            beside.place(f"reason {i}")
            answers[c["id"]] = (met, reason)
        if st.form_submit_button(_("Record the screening"), type="primary"):
            with beside.refusals():
                result = screening.screen_against_conditions(conn, user=user, call_id=call["id"], proposal_ids=picked,
                                                             answers=answers)
                eligible = sum(s == "eligible" for s in result.values())
                st.session_state["flash"] = ngettext(
                    "Screening recorded for {n} proposal: {eligible} eligible, {ineligible} not eligible.",
                    "Screening recorded for {n} proposals: {eligible} eligible, {ineligible} not eligible.",
                    len(result), eligible=eligible, ineligible=len(result) - eligible)
                for c in conditions:
                    st.session_state.pop(f"met_{c['id']}", None)
                    st.session_state.pop(f"why_{c['id']}", None)
                st.rerun()


def _direct(conn, user, call, pid: str, labels: dict[str, str]) -> None:
    with st.form("screen"):
        status = st.radio(_("Status"), screening.SCREENING, horizontal=True, format_func=status_word, index=None)
        reason = st.text_input(_("Reason (required when not eligible, withdrawn, or changing a screening)"))
        if st.form_submit_button(_("Save the status")):
            with common.refusals(), forms.labelled({"reason": _("Reason"), "status": _("Status"),
                                                    "proposal": _("Status")}):
                screening.set_status(conn, user=user, call_id=call["id"], proposal_id=pid, status=status,
                                     reason=reason)
                st.session_state["flash"] = _("{proposal}: status saved as {status}.", proposal=common.md(labels[pid]),
                                              status=status_word(status))
                st.rerun()


def screening_form(conn, user, call, picked: list[str], labels: dict[str, str]) -> None:
    conditions = eligibility.conditions(conn, call["id"])
    if conditions:
        _checklist(conn, user, call, picked, conditions)
    else:
        st.caption(_("This call has no eligibility conditions yet: set them under Call set-up to screen against "
                     "a checklist. Meanwhile, set the status directly."))
    if len(picked) == 1:
        with st.expander(_("Set the status directly (a withdrawal, or “not yet screened” to undo a screening)"),
                         expanded=not conditions):
            _direct(conn, user, call, picked[0], labels)
    elif not conditions:
        st.caption(_("Choose a single proposal to set its status directly."))
