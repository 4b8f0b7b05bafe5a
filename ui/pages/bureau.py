"""Bureau member: read each slot's shortlist and record advice on it."""

from __future__ import annotations

import streamlit as st

from selection import queries, views
from selection.i18n import _
from selection.services import decision
from ui import common, forms, panels


def page() -> None:
    conn, user, call = common.open_page(_("Shortlist and advice"))
    if call is None:
        return
    view = views.for_call(conn, call["reference"])
    panels.rankings(view)
    panels.shortlist_dossiers(conn, user, call, view)
    who = queries.proposal_entities(conn, call["id"])
    slots = queries.slot_names(conn, call["id"])
    st.subheader(_("Your advice"))
    labels = {"advice": _("Advice"), "slot": _("Slot"), "preferred_proposal": _("Entity you advise selecting (optional)")}
    slot = st.selectbox(labels["slot"], list(slots), format_func=slots.get, key="advice_slot")
    shortlist = view.ranking.slot(slot).shortlist
    if not shortlist:
        st.info(_("This slot has no shortlist yet: the Bureau advises once the advisory group has scored the "
                  "proposals and the ranking gives a shortlist."))
    else:
        with st.form(f"advice_{slot}", clear_on_submit=True):  # one form per slot: nothing typed carries over
            preferred = st.selectbox(labels["preferred_proposal"], [None, *shortlist],
                                     format_func=lambda p: "—" if p is None else common.entity_label(who[p]))
            text = st.text_area(labels["advice"])
            if st.form_submit_button(_("Record the advice"), type="primary"):
                with common.refusals(), forms.labelled(labels):
                    decision.record_advice(conn, user=user, call_id=call["id"], slot_id=slot, advice=text,
                                           preferred_proposal=preferred)
                    st.session_state["flash"] = _("Advice recorded for {slot}.", slot=common.md(slots[slot]))
                    st.rerun()
    panels.advice(conn, call, who)
