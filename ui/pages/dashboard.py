"""Secretariat: every call, the step it is at, and every deadline with days left or overdue."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from selection import clock, queries
from ui import common


def _state(row: dict) -> str:
    if row["state"] == "upcoming":
        return f"in {int(row['days_left'])} days"
    if row["state"] == "overdue":
        return f"OVERDUE by {-int(row['days_left'])} days"
    return row["state"]


def page() -> None:
    conn = common.db()
    st.title("Dashboard")
    calls = list(conn.query("SELECT * FROM calls ORDER BY id DESC"))
    if not calls:
        st.info("No call yet. Create one under **Call set-up**, or load the demo call with "
                "`python -m selection demo`.")
        return
    today = clock.today()
    for call in calls:
        with st.container(border=True):
            st.subheader(f"{common.md(call['reference'])} — {common.md(call['title'])}")
            st.write(f"**Current step:** {queries.current_step(conn, call, today)}")
            counts = queries.proposals_overview(conn, call["id"])["Status"].value_counts()
            cols = st.columns(4)
            for col, status in zip(cols, ("submitted", "eligible", "ineligible", "withdrawn")):
                col.metric(status.capitalize(), int(counts.get(status, 0)))
            steps = pd.DataFrame(queries.timeline(conn, call, today))
            steps["status"] = [_state(r) for r in steps.to_dict("records")]
            overdue = steps[steps["state"] == "overdue"]
            if len(overdue):
                st.error(f"{len(overdue)} overdue: " + "; ".join(common.md(s) for s in overdue["step"]))
            st.dataframe(steps[["step", "date", "status"]], hide_index=True, width="stretch")
