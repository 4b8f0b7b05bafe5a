"""The meeting on record, on the meeting page: its date, the members present, the minutes of each slot."""

from __future__ import annotations

import streamlit as st

from selection import clock, queries, words
from selection.i18n import N_, _, ngettext
from selection.services import meeting_record as service
from ui import common, forms

LABELS = {"held_on": N_("Date of the meeting"), "present": N_("Members present"), "minutes": N_("Minutes")}


def meeting_record_section(conn, user, call) -> None:
    st.subheader(_("The meeting on record"))
    record = service.meeting_record(conn, call["id"])
    labels = {k: _(v) for k, v in LABELS.items()}
    if record["held_on"]:
        st.markdown(_("Held on **{date}** with {members}.", date=words.date(record["held_on"]),
                      members=common.md(", ".join(record["present"]))))
    else:
        st.caption(_("Not recorded yet: after the meeting, give its date and the members present."))
    members = queries.reviewer_names(conn, call["id"])
    with st.form("meeting_held"):
        left, right = st.columns([1, 3])
        held_on = left.date_input(labels["held_on"], value=record["held_on"] or clock.today(), format="DD/MM/YYYY")
        present = right.multiselect(labels["present"], list(members), default=record["present_ids"],
                                    format_func=members.get)
        if st.form_submit_button(_("Record the meeting")):
            with common.refusals(), forms.labelled(labels):
                service.record_meeting(conn, user=user, call_id=call["id"], held_on=held_on, present=present)
                st.session_state["flash"] = ngettext("Meeting recorded: held on {date}, {n} member present.",
                                                     "Meeting recorded: held on {date}, {n} members present.",
                                                     len(present), date=words.date(held_on))
                st.rerun()
    slots = queries.slot_names(conn, call["id"])
    written = {m["slot"]: m["text"] for m in record["minutes"]}
    slot = st.selectbox(_("Minutes for the slot"), list(slots), format_func=slots.get, key="minutes_slot")
    with st.form(f"minutes_{slot}"):  # one form per slot: minutes never carry over to another slot
        text = st.text_area(labels["minutes"], written.get(slot, ""), height=160)
        if st.form_submit_button(_("Save the minutes")):
            with common.refusals(), forms.labelled(labels):
                service.record_minutes(conn, user=user, call_id=call["id"], slot_id=slot, text=text)
                st.session_state["flash"] = _("Minutes saved for {slot}.", slot=common.md(slots[slot]))
                st.rerun()
