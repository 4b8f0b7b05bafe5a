"""Secretariat: the proposals received, screening, assignment to members, and scoring progress."""

from __future__ import annotations

import streamlit as st

from selection import accounts, queries
from selection.models import Role
from selection.services import review, screening
from selection.services.common import criteria_rows
from ui import common, panels, words


def page() -> None:
    conn, user, call = common.open_page("Proposals")
    if call is None:
        return
    overview = queries.proposals_overview(conn, call["id"])
    if overview.empty:
        st.info("No proposal has been submitted yet.")
        return
    slots = queries.slot_names(conn, call["id"])
    st.dataframe(overview.drop(columns=["Proposal"]).assign(
        Slots=overview["Slots"].map(lambda ids: ", ".join(slots.get(s, s) for s in (ids or "").split(", ") if s)),
        Reason=overview["Reason"].fillna(""),
        Submitted=overview["Submitted"].map(lambda t: words.moment(t, common.time_zone()))),
        hide_index=True, width="stretch")
    labels = {r["Proposal"]: f"{r['Entity']} ({r['Acronym']})" if r["Acronym"] else r["Entity"]
              for r in overview.to_dict("records")}
    with st.expander("Read a proposal"):
        pid = st.selectbox("Proposal to read", list(labels), format_func=labels.get, key="read_p")
        panels.proposal(conn, user, call, pid, criteria_rows(conn, call["id"]))

    screen, assign = st.columns(2)
    with screen:
        st.subheader("Screening")
        pid = st.selectbox("Proposal", list(labels), format_func=labels.get, key="screen_p")
        current = overview.loc[overview["Proposal"] == pid, "Status"].iloc[0]
        with st.form("screen"):
            status = st.radio("Status", screening.SCREENING, horizontal=True, index=screening.SCREENING.index(current))
            reason = st.text_input("Reason (required when ineligible or withdrawn)")
            if st.form_submit_button("Save the status", type="primary"):
                with common.refusals():
                    screening.set_status(conn, user=user, call_id=call["id"], proposal_id=pid, status=status,
                                         reason=reason)
                    st.session_state["flash"] = f"Status saved: {status}."
                    st.rerun()
    members = accounts.accounts(conn, Role.MEMBER)
    with assign, st.form("assign"):
        st.subheader("Assign to advisory group members")
        if not members:
            st.caption("Invite advisory group members under People first.")
        chosen = st.multiselect("Proposals", list(labels), format_func=labels.get, key="assign_p")
        who = st.multiselect("Members", [m.id for m in members],
                             format_func=lambda i: next(m.display_name for m in members if m.id == i))
        if st.form_submit_button("Assign", type="primary"):
            if not (chosen and who):
                st.warning("Choose at least one proposal and one member.")
            else:
                with common.refusals():
                    for pid in chosen:
                        for member_id in who:
                            review.assign(conn, user=user, call_id=call["id"], proposal_id=pid, member_id=member_id)
                    st.success(f"{len(chosen) * len(who)} assignment(s) made.")
    need = call["min_reviews"]
    short = overview[(overview["Status"].isin(["submitted", "eligible"])) & (overview["Reviews submitted"] < need)]
    st.subheader("Scoring progress")
    st.progress(1 - len(short) / max(1, int(overview["Status"].isin(["submitted", "eligible"]).sum())),
                text=f"{len(short)} proposal(s) still below {need} submitted reviews")
