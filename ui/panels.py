"""Pieces of pages that several pages show: the ranking of each slot, the panel's analytics."""

from __future__ import annotations

import streamlit as st

from selection import queries
from ui import common


def rankings(conn, call, ranking) -> None:
    """Every slot's ranking table with its shortlist, tie warning and unranked proposals."""
    for view in queries.ranking_view(conn, call["reference"], ranking):
        with st.container(border=True):
            st.subheader(common.md(view.slot["name"]))
            if view.table.empty:
                st.caption("No proposal is ranked yet in this slot.")
            else:
                st.dataframe(view.table, hide_index=True, width="stretch")
            st.markdown("**Shortlist:** " + ("; ".join(common.md(s) for s in view.shortlist) or "none yet"))
            if view.tie_across_cutoff:
                st.warning("A tie across third place shortlists more than three: the advisory group, "
                           "not the program, breaks it.")
            for u in view.unranked:
                st.caption(f"Not ranked: {common.md(u['entity'])} ({u['reason'].replace('_', ' ')})")


def analytics(conn, call, inputs) -> None:
    """What the meeting discusses beside the ranking: reviews left out of the figures."""
    excluded = inputs.criterion_scores().excluded
    st.subheader("Reviews left out of every figure")
    if excluded.empty:
        st.caption("None: every review is complete and no reviewer declared a conflict on a proposal they scored.")
    else:
        names = {r["id"]: r["name"] for r in conn.query("SELECT id, name FROM reviewers WHERE call_id = ?",
                                                          [call["id"]])}
        who = queries.proposal_entities(conn, call["id"])
        st.dataframe(excluded.assign(reviewer=excluded["reviewer"].map(names),
                                     proposal=[common.entity_label(who[p]) for p in excluded["proposal"]]),
                     hide_index=True, width="stretch")
