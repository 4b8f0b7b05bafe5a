"""Secretariat: create or edit a call — slots, criteria with guidance and weights, scale, dates — and publish it."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from criteria.sets import default_criteria, guidance_for
from selection.services import calls as call_service
from ui import common, document_settings

DEFAULT_SLOTS = [
    {"id": "global", "name": "Global coordination entity", "level": "global", "region": None},
    {"id": "africa", "name": "Regional support centre - Africa", "level": "regional", "region": "Africa"},
    {"id": "asia-pacific", "name": "Regional support centre - Asia and the Pacific", "level": "regional",
     "region": "Asia-Pacific"},
    {"id": "grulac", "name": "Regional support centre - Latin America and the Caribbean", "level": "regional",
     "region": "Latin America and the Caribbean"},
    {"id": "ceec", "name": "Regional support centre - Central and Eastern Europe", "level": "regional",
     "region": "Central and Eastern Europe"},
    {"id": "weog", "name": "Regional support centre - Western Europe and others", "level": "regional",
     "region": "Western Europe and others"},
]


def _blank() -> dict:
    crits = default_criteria(threshold=2.5)
    for c in crits:
        c.update({k: guidance_for(c["id"])[k] for k in call_service.GUIDANCE_FIELDS})
    return {"reference": "", "title": "", "secretariat_name": "Secretariat of the Convention on Biological Diversity",
            "scale": {"min": 0.0, "max": 5.0, "step": 0.5}, "min_reviews": 3, "overall_threshold": None,
            "dates": {k: None for k in call_service.DATE_FIELDS}, "slots": DEFAULT_SLOTS, "criteria": crits}


def _date(value):
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else value


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows of an edited table, blank cells as None and empty rows dropped."""
    frame = frame.astype(object).where(frame.notna(), None)
    return [r for r in frame.to_dict("records") if any(v not in (None, "") for v in r.values())]


def call_form(data: dict, key: str) -> dict | None:
    """The call form; returns the edited call when submitted."""
    with st.form(key):
        c1, c2 = st.columns([1, 3])
        reference = c1.text_input("Reference", data["reference"])
        title = c2.text_input("Title", data["title"])
        secretariat = st.text_input("Prepared by (secretariat's name, printed on the report)",
                                    data.get("secretariat_name") or "")
        anonymous = st.checkbox("Name members as Member A, B… in the report's conflicts annex and the exports",
                                value=bool(data.get("anonymous_conflicts")))
        st.markdown("**Scale and rules**")
        s1, s2, s3, s4, s5 = st.columns(5)
        lo = s1.number_input("Scale minimum", value=float(data["scale"]["min"]), step=0.5)
        hi = s2.number_input("Scale maximum", value=float(data["scale"]["max"]), step=0.5)
        step = s3.number_input("Step", value=float(data["scale"]["step"]), min_value=0.01, step=0.5)
        min_reviews = s4.number_input("Reviews needed", value=int(data["min_reviews"]), min_value=1, step=1)
        overall = s5.number_input("Overall threshold (0-100, optional)", value=data["overall_threshold"],
                                  min_value=0.0, max_value=100.0, step=5.0)
        st.markdown("**Dates of each step**")
        date_cols = st.columns(5)
        dates = {}
        for col, (name, label) in zip(date_cols, [("notified_on", "Notification"), ("inquiry_deadline", "Questions until"),
                                                  ("submission_deadline", "Proposals until"),
                                                  ("advisory_meeting_on", "Advisory meeting"),
                                                  ("decided_on", "Decision")]):
            dates[name] = col.date_input(label, value=_date(data["dates"].get(name)), format="YYYY-MM-DD")
        st.markdown("**Slots** (one row per centre to host)")
        slots = st.data_editor(pd.DataFrame(data["slots"], columns=["id", "name", "level", "region"]),
                               num_rows="dynamic", key=f"{key}_slots", width="stretch",
                               column_config={"level": st.column_config.SelectboxColumn(
                                   options=["global", "regional", "subregional"], required=True)})
        st.markdown("**Criteria** — weights are shown to applicants as a share of their sum; priority 1 breaks ties first")
        criteria = st.data_editor(
            pd.DataFrame(data["criteria"], columns=["id", "name", "description", "weight", "threshold", "priority",
                                                    "applicant_guidance", "reviewer_guidance"]),
            num_rows="dynamic", key=f"{key}_criteria", width="stretch")
        if not st.form_submit_button("Save the call", type="primary"):
            return None
    crits = _records(criteria)
    for c in crits:
        c["priority"] = int(c["priority"]) if c.get("priority") is not None else None
    return {"reference": reference.strip(), "title": title.strip(), "secretariat_name": secretariat,
            "anonymous_conflicts": anonymous,
            "scale": {"min": lo, "max": hi, "step": step}, "min_reviews": int(min_reviews),
            "overall_threshold": overall, "dates": dates, "slots": _records(slots), "criteria": crits}


def page() -> None:
    conn = common.db()
    user = common.current_user(conn)
    st.title("Call set-up")
    new, edit = st.tabs(["New call", "Edit the chosen call"])
    with new:
        submitted = call_form(_blank(), "new_call")
        if submitted:
            with common.refusals():
                call_service.create_call(conn, user=user, data=submitted)
                st.session_state["call_ref"] = submitted["reference"]
                st.success("The call is saved as a draft. Publish it on the tab **Edit the chosen call** when it is "
                           "ready; applicants see it only then.")
    with edit:
        call = common.choose_call(conn, user)
        if call is None:
            st.info("No call yet.")
            return
        if call["published_at"]:
            st.success(f"Published on {call['published_at'][:10]}.")
        else:
            st.warning("Draft: applicants do not see this call yet.")
            if st.button("Publish the call", type="primary"):
                with common.refusals():
                    call_service.publish_call(conn, user=user, call_id=call["id"])
                    st.rerun()
        edited = call_form(call_service.call_form_data(conn, call["id"]), "edit_call")
        document_settings.section(conn, user, call)
        if edited:
            with common.refusals():
                call_service.update_call(conn, user=user, call_id=call["id"], data=edited)
                st.session_state["call_ref"] = edited["reference"]
                st.success("Saved.")
