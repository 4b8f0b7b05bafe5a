"""The secretariat's editor of a call's eligibility conditions: one line each, reworded in place."""

from __future__ import annotations

import streamlit as st

from selection.i18n import _
from selection.services import eligibility
from ui import common

SPARE = 3


def conditions_editor(conn, user, call) -> None:
    """Applicants read these before they apply; screening checks every proposal against each of them."""
    current = eligibility.conditions(conn, call["id"])
    with st.expander(_("Eligibility conditions ({count})", count=len(current)), expanded=not current), \
            st.form(f"conditions_{call['id']}", clear_on_submit=True):
        st.caption(_("Applicants read these on their first page; each proposal is screened against every one. "
                     "Clear a line to remove its condition (one already used in screening can only be reworded)."))
        rows = [*current, *({"id": None, "text": ""} for _ in range(SPARE))]
        # keyed by the condition (a new line by its place after the last one), so a saved list shows as saved
        items = [{"id": r["id"], "text": st.text_input(_("Condition {number}", number=i), r["text"], max_chars=1_000,
                                                        key=f"cond_{call['id']}_{r['id'] or f'new{i}-{len(current)}'}")}
                 for i, r in enumerate(rows, 1)]
        if st.form_submit_button(_("Save the conditions")):
            with common.refusals():
                saved = eligibility.save_conditions(conn, user=user, call_id=call["id"], items=items)
                st.session_state["flash"] = _("Eligibility conditions saved ({count}).", count=len(saved))
                st.rerun()
