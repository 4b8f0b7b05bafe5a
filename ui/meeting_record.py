"""The meeting on record, on the meeting page: its date, the members present, the minutes of each slot."""

from __future__ import annotations

import streamlit as st

from selection import clock, queries, words
from selection.i18n import ngettext
from selection.services import meeting_record as service
from ui import common, forms

LABELS = {"held_on": "Date of the meeting", "present": "Members present", "minutes": "Minutes"}


def meeting_record_section(conn, user, call) -> None:
    st.subheader("The meeting on record")
    record = service.meeting_record(conn, call["id"])
    if record["held_on"]:
        st.markdown(f"Held on **{words.date(record['held_on'])}** with "
                    + common.md(", ".join(record["present"])) + ".")
    else:
        st.caption("Not recorded yet: after the meeting, give its date and the members present.")
    members = queries.reviewer_names(conn, call["id"])
    with st.form("meeting_held"):
        left, right = st.columns([1, 3])
        held_on = left.date_input(LABELS["held_on"], value=record["held_on"] or clock.today(), format="DD/MM/YYYY")
        present = right.multiselect(LABELS["present"], list(members), default=record["present_ids"],
                                    format_func=members.get)
        if st.form_submit_button("Record the meeting"):
            with common.refusals(), forms.labelled(LABELS):
                service.record_meeting(conn, user=user, call_id=call["id"], held_on=held_on, present=present)
                st.session_state["flash"] = (f"Meeting recorded: held on {words.date(held_on)}, "
                                             f"{ngettext('{n:,} member', '{n:,} members', len(present))} present.")
                st.rerun()
    slots = queries.slot_names(conn, call["id"])
    written = {m["slot"]: m["text"] for m in record["minutes"]}
    slot = st.selectbox("Minutes for the slot", list(slots), format_func=slots.get, key="minutes_slot")
    with st.form(f"minutes_{slot}"):  # one form per slot: minutes never carry over to another slot
        text = st.text_area(LABELS["minutes"], written.get(slot, ""), height=160)
        if st.form_submit_button("Save the minutes"):
            with common.refusals(), forms.labelled(LABELS):
                service.record_minutes(conn, user=user, call_id=call["id"], slot_id=slot, text=text)
                st.session_state["flash"] = f"Minutes saved for {common.md(slots[slot])}."
                st.rerun()
