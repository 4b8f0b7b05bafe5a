"""Bureau member: read each slot's shortlist and record advice on it."""

from __future__ import annotations

import streamlit as st

from selection import queries, views
from selection.services import decision
from ui import common, forms, panels


def page() -> None:
    conn, user, call = common.open_page("Shortlist and advice")
    if call is None:
        return
    view = views.for_call(conn, call["reference"])
    panels.rankings(view)
    panels.shortlist_dossiers(conn, user, call, view)
    who = queries.proposal_entities(conn, call["id"])
    slots = queries.slot_names(conn, call["id"])
    st.subheader("Your advice")
    slot = st.selectbox("Slot", list(slots), format_func=slots.get, key="advice_slot")
    shortlist = view.ranking.slot(slot).shortlist
    with st.form(f"advice_{slot}", clear_on_submit=True):  # one form per slot: nothing typed carries over
        preferred = st.selectbox("Entity you advise selecting (optional)", [None, *shortlist],
                                 format_func=lambda p: "—" if p is None else common.entity_label(who[p]))
        text = st.text_area("Advice")
        if st.form_submit_button("Record the advice", type="primary"):
            with common.refusals(), forms.labelled({"advice": "Advice", "slot": "Slot", "preferred_proposal": "Entity you advise selecting (optional)"}):
                decision.record_advice(conn, user=user, call_id=call["id"], slot_id=slot, advice=text,
                                       preferred_proposal=preferred)
                st.session_state["flash"] = f"Advice recorded for {common.md(slots[slot])}."
                st.rerun()
    panels.advice(conn, call, who)
