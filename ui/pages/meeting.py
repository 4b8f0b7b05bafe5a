"""Secretariat at the advisory group's meeting: consolidated scores, what-if weights, consensus scores."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from criteria import ranking as rk
from criteria.sets import weight_percentages
from selection import queries, views
from selection.services import meeting
from selection.services.common import criteria_rows
from ui import common, forms, panels
from ui.meeting_record import meeting_record_section

CHANGE_WORDS = {rk.UNCHANGED: "shortlist unchanged", rk.ORDER_CHANGED: "same shortlist, in another order",
                rk.SHORTLIST_CHANGED: "shortlist CHANGES"}


def _weights(criteria) -> dict[str, float] | None:
    """One slider per criterion, in percent of the call's weights, each with its share of the sliders' sum."""
    today = weight_percentages({c["id"]: c["weight"] for c in criteria})
    cols = st.columns(len(criteria))
    weights = {c["id"]: col.slider(common.md(c["name"]), 0.0, 100.0, round(today[c["id"]], 1), 1.0, key=f"w_{c['id']}",
                                   format="%.0f %%")
               for col, c in zip(cols, criteria)}
    if any(w <= 0 for w in weights.values()):
        st.warning("Every weight must be above zero.")
        return None
    share = weight_percentages(weights)
    for col, c in zip(cols, criteria):
        col.caption(f"{share[c['id']]:.0f} % of the total (today {today[c['id']]:.0f} %)")
    return weights


def _top(view: views.CallView, slot: rk.SlotRanking) -> list[tuple[int, str, float]]:
    """The shortlist as (rank, entity, total rounded to one decimal)."""
    t, chosen = slot.table, slot.table["shortlisted"].to_numpy(dtype=bool)
    return [(r, view.labels[p], round(total, 1)) for p, r, total in
            zip(*(t[c].to_numpy()[chosen].tolist() for c in ("proposal", "rank", "total")))]


@st.fragment
def _what_if(view: views.CallView, criteria) -> None:
    """Re-rank under the sliders' weights; only this part of the page reruns when a slider moves."""
    st.subheader("What if the weights were different?")
    st.caption("Move the sliders to re-rank live. This is for discussion only: the call's weights stay as published.")
    weights = _weights(criteria)
    if weights is None:
        return
    other = view.what_if(weights)
    rows = []
    for today, then, labelled in zip(view.ranking.slots, other.slots, view.slots):
        name = common.md(labelled.slot["name"])
        change = rk.shortlist_change(today, then)
        was, now = _top(view, today), _top(view, then)
        if change == rk.UNCHANGED:
            st.markdown(f"**{name}** — {CHANGE_WORDS[change]}")
        elif change == rk.ORDER_CHANGED:
            st.info(f"**{name}** — {CHANGE_WORDS[change]}: the same entities are shortlisted, ranked differently.")
        else:
            entering = [view.labels[p] for p in then.shortlist if p not in today.shortlist]
            leaving = [view.labels[p] for p in today.shortlist if p not in then.shortlist]
            st.warning(f"**{name}** — {CHANGE_WORDS[change]}: "
                       + "; ".join([*(f"{common.md(e)} enters" for e in entering),
                                    *(f"{common.md(e)} leaves" for e in leaving)]))
        blank = (None, "", None)
        for k in range(max(len(was), len(now))):
            (r0, e0, t0), (r1, e1, t1) = was[k] if k < len(was) else blank, now[k] if k < len(now) else blank
            rows.append({"Slot": labelled.slot["name"], "Rank today": r0, "Today": e0, "Total today": t0,
                         "Rank": r1, "With these weights": e1, "Total": t1})
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _consensus(conn, user, call, view: views.CallView, criteria) -> None:
    st.subheader("Record a consensus score")
    who = view.labels
    proposals = view.inputs.proposals
    ids = proposals.loc[proposals["status"].isin(["submitted", "eligible"]), "proposal"].tolist()
    recorded = queries.consensus_recorded(conn, call["id"])
    if recorded:
        names = {c["id"]: c["name"] for c in criteria}
        st.dataframe(pd.DataFrame([{"Entity": who[r["proposal_id"]],
                                    "Criterion": names.get(r["criterion_id"], r["criterion_id"]),
                                    "Agreed score": r["score"], "Note": r["note"]} for r in recorded]),
                     hide_index=True, width="stretch")
    with st.form("consensus"):
        pid = st.selectbox("Proposal", ids, format_func=who.get)
        crit = st.selectbox("Criterion", [c["id"] for c in criteria],
                            format_func=lambda c: next(x["name"] for x in criteria if x["id"] == c))
        score = st.number_input("Agreed score", min_value=float(call["scale_min"]), max_value=float(call["scale_max"]),
                                step=float(call["scale_step"]), value=None, placeholder="Choose the agreed score")
        note = st.text_area("What the group agreed, and why")
        if st.form_submit_button("Record the consensus score", type="primary"):
            with common.refusals(), forms.labelled({"score": "Agreed score", "note": "What the group agreed, and why", "proposal": "Proposal", "criterion": "Criterion"}):
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
    with st.spinner("Computing the ranking, the panel's analytics and the robustness of each shortlist…"):
        view = views.for_call(conn, call["reference"])
        view.analysis()
    criteria = criteria_rows(conn, call["id"])
    panels.rankings(view)
    panels.analytics(view)
    panels.calibration(view)
    _what_if(view, criteria)
    _consensus(conn, user, call, view, criteria)
    meeting_record_section(conn, user, call)
