"""Secretariat at the advisory group's meeting: consolidated scores, what-if weights, consensus scores."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from criteria import ranking as rk
from criteria.sets import weight_percentages
from selection import queries, views, words
from selection.i18n import N_, _
from selection.services import meeting
from selection.services.common import criteria_rows
from ui import common, forms, panels, tables
from ui.meeting_record import meeting_record_section

CHANGE_WORDS = {rk.UNCHANGED: N_("shortlist unchanged"), rk.ORDER_CHANGED: N_("same shortlist, in another order"),
                rk.SHORTLIST_CHANGED: N_("shortlist CHANGES")}


def _weights(criteria) -> dict[str, float] | None:
    """One slider per criterion, in percent of the call's weights, each with its share of the sliders' sum."""
    today = weight_percentages({c["id"]: c["weight"] for c in criteria})
    cols = st.columns(len(criteria))
    weights = {c["id"]: col.slider(common.md(c["name"]), 0.0, 100.0, round(today[c["id"]], 1), 1.0, key=f"w_{c['id']}",
                                   format="%.0f %%")
               for col, c in zip(cols, criteria)}
    if any(w <= 0 for w in weights.values()):
        st.warning(_("Every weight must be above zero."))
        return None
    share = weight_percentages(weights)
    for col, c in zip(cols, criteria):
        col.caption(_("{share} % of the total (today {today} %)", share=words.number(share[c["id"]], 0),
                      today=words.number(today[c["id"]], 0)))
    return weights


def _top(view: views.CallView, slot: rk.SlotRanking) -> list[tuple[int, str, float]]:
    """The shortlist as (rank, entity, total rounded to one decimal)."""
    t, chosen = slot.table, slot.table["shortlisted"].to_numpy(dtype=bool)
    return [(r, view.labels[p], round(total, 1)) for p, r, total in
            zip(*(t[c].to_numpy()[chosen].tolist() for c in ("proposal", "rank", "total")))]


def _placed(shortlist: list[tuple[int, str, float]], k: int) -> str:
    """The ``k``-th of a shortlist in one cell, "1. Entity (79.6)", so the comparison fits the page."""
    if k >= len(shortlist):
        return ""
    rank, entity, total = shortlist[k]
    return _("{rank}. {entity} ({total})", rank=rank, entity=entity, total=words.number(total))


@st.fragment
def _what_if(view: views.CallView, criteria) -> None:
    """Re-rank under the sliders' weights; only this part of the page reruns when a slider moves."""
    st.subheader(_("What if the weights were different?"))
    st.caption(_("Move the sliders to re-rank live. This is for discussion only: the call's weights stay as "
                 "published."))
    weights = _weights(criteria)
    if weights is None:
        return
    other = view.what_if(weights)
    rows, heads = [], (_("Slot"), _("Today"), _("With these weights"))
    for today, then, labelled in zip(view.ranking.slots, other.slots, view.slots):
        name = common.md(labelled.slot["name"])
        change = rk.shortlist_change(today, then)
        was, now = _top(view, today), _top(view, then)
        if change == rk.UNCHANGED:
            st.markdown(f"**{name}** — {_(CHANGE_WORDS[change])}")
        elif change == rk.ORDER_CHANGED:
            st.info(_("**{slot}** — {change}: the same entities are shortlisted, ranked differently.", slot=name,
                      change=_(CHANGE_WORDS[change])))
        else:
            entering = [view.labels[p] for p in then.shortlist if p not in today.shortlist]
            leaving = [view.labels[p] for p in today.shortlist if p not in then.shortlist]
            st.warning(f"**{name}** — {_(CHANGE_WORDS[change])}: "
                       + "; ".join([*(_("{entity} enters", entity=common.md(e)) for e in entering),
                                    *(_("{entity} leaves", entity=common.md(e)) for e in leaving)]))
        for k in range(max(len(was), len(now))):
            rows.append({heads[0]: labelled.slot["name"], heads[1]: _placed(was, k), heads[2]: _placed(now, k)})
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                     column_config=dict(zip(heads, (tables.text(170), tables.text(350), tables.text(350)))))


def _consensus(conn, user, call, view: views.CallView, criteria) -> None:
    st.subheader(_("Record a consensus score"))
    who = view.labels
    proposals = view.inputs.proposals
    ids = proposals.loc[proposals["status"].isin(["submitted", "eligible"]), "proposal"].tolist()
    recorded = queries.consensus_recorded(conn, call["id"])
    if recorded:
        names = {c["id"]: c["name"] for c in criteria}
        st.dataframe(pd.DataFrame([{_("Entity"): who[r["proposal_id"]],
                                    _("Criterion"): names.get(r["criterion_id"], r["criterion_id"]),
                                    _("Agreed score"): r["score"], _("Note"): r["note"]} for r in recorded]),
                     hide_index=True, width="stretch")
    labels = {"score": _("Agreed score"), "note": _("What the group agreed, and why"), "proposal": _("Proposal"),
              "criterion": _("Criterion")}
    with st.form("consensus"):
        pid = st.selectbox(labels["proposal"], ids, format_func=who.get)
        crit = st.selectbox(labels["criterion"], [c["id"] for c in criteria],
                            format_func=lambda c: next(x["name"] for x in criteria if x["id"] == c))
        score = st.number_input(labels["score"], min_value=float(call["scale_min"]), max_value=float(call["scale_max"]),
                                step=float(call["scale_step"]), value=None, placeholder=_("Choose the agreed score"))
        note = st.text_area(labels["note"])
        if st.form_submit_button(_("Record the consensus score"), type="primary"):
            with common.refusals(), forms.labelled(labels):
                meeting.record_consensus(conn, user=user, call_id=call["id"], proposal_id=pid, criterion_id=crit,
                                         score=score, note=note)
                st.session_state["flash"] = _("Consensus score recorded; it replaces the mean of the reviews on that "
                                              "criterion. A proposal with fewer valid reviews than needed is ranked "
                                              "once it has a consensus score on every criterion.")
                st.rerun()


def page() -> None:
    conn, user, call = common.open_page(_("Advisory group meeting"))
    if call is None:
        return
    with st.spinner(_("Computing the ranking, the panel's analytics and the robustness of each shortlist…")):
        view = views.for_call(conn, call["reference"])
        view.analysis()
    criteria = criteria_rows(conn, call["id"])
    panels.rankings(view)
    panels.analytics(view)
    panels.calibration(view)
    _what_if(view, criteria)
    _consensus(conn, user, call, view, criteria)
    meeting_record_section(conn, user, call)
