"""Secretariat at the advisory group's meeting: consolidated scores, what-if weights, consensus scores."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from criteria import ranking as rk
from selection import analysis, queries
from selection.services import meeting
from selection.services.common import criteria_rows
from ui import common, panels


def _what_if(conn, call, ranking, rules, criteria) -> None:
    st.subheader("What if the weights were different?")
    st.caption("Move the sliders to re-rank live. This is for discussion only: the call's weights stay as published.")
    cols = st.columns(len(criteria))
    weights = {c["id"]: col.slider(common.md(c["name"]), 0.0, 100.0, float(c["weight"]), 5.0, key=f"w_{c['id']}")
               for col, c in zip(cols, criteria)}
    if sum(weights.values()) <= 0 or any(w <= 0 for w in weights.values()):
        st.warning("Every weight must be above zero.")
        return
    other = rk.what_if(ranking, rules, weights)
    now = {s.slot: s.shortlist for s in ranking.slots}
    for view, slot in zip(queries.ranking_view(conn, call["reference"], other), other.slots):
        names = "; ".join(common.md(s) for s in view.shortlist) or "none"
        if slot.shortlist == now[slot.slot]:
            st.markdown(f"**{common.md(view.slot['name'])}** — shortlist unchanged: {names}")
        else:
            st.warning(f"**{common.md(view.slot['name'])}** — shortlist CHANGES to: {names}")


def _consensus(conn, user, call, inputs, criteria) -> None:
    st.subheader("Record a consensus score")
    who = queries.proposal_entities(conn, call["id"])
    ids = inputs.proposals.loc[inputs.proposals["status"].isin(["submitted", "eligible"]), "proposal"].tolist()
    recorded = list(conn.query("SELECT proposal_id, criterion_id, score, note FROM consensus WHERE call_id = ? "
                               "ORDER BY rowid", [call["id"]]))
    if recorded:
        names = {c["id"]: c["name"] for c in criteria}
        st.dataframe(pd.DataFrame([{"Entity": common.entity_label(who[r["proposal_id"]]),
                                    "Criterion": names.get(r["criterion_id"], r["criterion_id"]),
                                    "Agreed score": r["score"], "Note": r["note"]} for r in recorded]),
                     hide_index=True, width="stretch")
    with st.form("consensus"):
        pid = st.selectbox("Proposal", ids, format_func=lambda p: common.entity_label(who[p]))
        crit = st.selectbox("Criterion", [c["id"] for c in criteria],
                            format_func=lambda c: next(x["name"] for x in criteria if x["id"] == c))
        score = st.number_input("Agreed score", min_value=float(call["scale_min"]), max_value=float(call["scale_max"]),
                                step=float(call["scale_step"]))
        note = st.text_area("What the group agreed, and why")
        if st.form_submit_button("Record the consensus score", type="primary"):
            with common.refusals():
                meeting.record_consensus(conn, user=user, call_id=call["id"], proposal_id=pid, criterion_id=crit,
                                         score=score, note=note)
                st.session_state["flash"] = ("Consensus score recorded; it replaces the mean of the reviews on that "
                                             "criterion. A proposal with fewer valid reviews than needed is ranked "
                                             "once it has a consensus score on every criterion.")
                st.rerun()


def page() -> None:
    conn, user, call = common.open_page("Advisory group meeting")
    if call is None:
        return
    inputs = queries.ranking_inputs(conn, call["reference"])
    criteria = criteria_rows(conn, call["id"])
    ranking = inputs.rank()
    panels.rankings(conn, call, ranking)
    with st.spinner("Computing the panel's analytics and the robustness of each shortlist…"):
        doc = analysis.analyse(inputs)
    panels.analytics(conn, call, inputs, doc)
    panels.calibration(conn, call, doc)
    _what_if(conn, call, ranking, inputs.rules, criteria)
    _consensus(conn, user, call, inputs, criteria)
