"""Advisory group member: before assignment, say which proposals you prefer, can or cannot review."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from selection.i18n import _, ngettext
from selection.services import assignment
from ui import common


def _label(p: dict) -> str:
    name = p["name"] + (f" ({p['acronym']})" if p["acronym"] else "")
    return f"{name} — {p['country']}" if p["country"] else name


def page() -> None:
    conn, user, call = common.open_page(_("Review preferences"))
    if call is None:
        return
    st.caption(_("Before the secretariat assigns the proposals, say which you would prefer to review and which you "
                 "cannot review, and why (a link with the institution, a language you do not read…). \"Cannot "
                 "review\" is respected like a conflict; \"prefer\" is honoured as far as even loads allow. Every "
                 "other proposal counts as \"can review\". You still declare conflicts on each proposal you are "
                 "assigned."))
    proposals = assignment.to_assess(conn, call["id"])
    if not proposals:
        st.info(_("No proposal is waiting for assessment yet."))
        return
    by_id = {p["id"]: p for p in proposals}
    mine = assignment.my_preferences(conn, user=user, call_id=call["id"])
    preferred = [pid for pid, x in mine.items() if x["preference"] == "prefer" and pid in by_id]
    cannot = {pid: x["reason"] for pid, x in mine.items() if x["preference"] == "cannot" and pid in by_id}
    st.subheader(_("Proposals you would prefer to review"))
    chosen = st.multiselect(_("Preferred proposals"), [p for p in by_id if p not in cannot], default=preferred,
                            format_func=lambda pid: _label(by_id[pid]), key=f"prefer_{call['id']}")
    if st.button(_("Save my preferred proposals"), type="primary"):
        with common.refusals():
            changes = ([(pid, "prefer") for pid in chosen if pid not in preferred]
                       + [(pid, "can") for pid in preferred if pid not in chosen])
            for pid, preference in changes:
                assignment.state_preference(conn, user=user, call_id=call["id"], proposal_id=pid,
                                            preference=preference)
            st.session_state["flash"] = (ngettext("Saved: you prefer {n} proposal.", "Saved: you prefer {n} proposals.",
                                                  len(chosen)) if changes else _("Nothing changed."))
            st.rerun()

    st.subheader(_("Proposals you cannot review"))
    if cannot:
        st.dataframe(pd.DataFrame([{_("Entity"): _label(by_id[pid]), _("Why"): why} for pid, why in cannot.items()]),
                     hide_index=True, width="stretch")
    with st.form("cannot_review", clear_on_submit=True):
        pid = st.selectbox(_("Proposal"), [p for p in by_id if p not in cannot], index=None,
                           format_func=lambda x: _label(by_id[x]), placeholder=_("Choose a proposal"))
        reason = st.text_area(_("Why you cannot review it"))
        if st.form_submit_button(_("Record that I cannot review it")):
            if pid is None:
                st.error(_("**Proposal** — choose the proposal you cannot review."))
            else:
                with common.refusals():
                    assignment.state_preference(conn, user=user, call_id=call["id"], proposal_id=pid,
                                                preference="cannot", reason=reason)
                    st.session_state["flash"] = _("Recorded: you cannot review {name}.",
                                                  name=common.md(by_id[pid]["name"]))
                    st.rerun()
    if cannot:
        back = st.selectbox(_("Back to \"can review\""), list(cannot), index=None,
                            format_func=lambda x: _label(by_id[x]), placeholder=_("Choose a proposal"),
                            key="back_to_can")
        if st.button(_("Set it back to can review"), disabled=back is None):
            with common.refusals():
                assignment.state_preference(conn, user=user, call_id=call["id"], proposal_id=back, preference="can")
                st.session_state["flash"] = _("{name} is back to \"can review\".", name=common.md(by_id[back]["name"]))
                st.rerun()
