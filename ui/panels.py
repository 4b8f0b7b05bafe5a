"""Pieces of pages that several pages show: the ranking of each slot, the panel's analytics."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from selection import queries
from selection.services import intake
from selection.services.common import criteria_rows
from ui import common, words


EXCLUDED_WHY = {"partial": "not every criterion scored", "conflict": "conflict of interest declared"}


def rankings(conn, call, ranking) -> None:
    """Every slot's ranking table with its shortlist, tie warning and unranked proposals."""
    names = criterion_names(conn, call)
    for view in queries.ranking_view(conn, call["reference"], ranking):
        with st.container(border=True):
            st.subheader(common.md(view.slot["name"]))
            if view.table.empty:
                st.caption("No proposal is ranked yet in this slot.")
            else:
                table = view.table.rename(columns=names).assign(Total=view.table["Total"].round(1))
                st.dataframe(table, hide_index=True, width="stretch", column_config={
                    "Total": st.column_config.NumberColumn(format="%.1f"),
                    **{n: st.column_config.NumberColumn(n, help=n, format="%.2f", width="small")
                       for n in names.values()}})
            st.markdown("**Shortlist:** " + ("; ".join(common.md(s) for s in view.shortlist) or "none yet"))
            if view.tie_across_cutoff:
                st.warning("A tie across third place shortlists more than three: the advisory group, "
                           "not the program, breaks it.")
            for u in view.unranked:
                st.caption(f"Not ranked: {common.md(u['entity'])} ({u['reason'].replace('_', ' ')})")


def criterion_names(conn, call) -> dict[str, str]:
    return {c["id"]: c["name"] for c in criteria_rows(conn, call["id"])}


def _names(conn, call) -> tuple[dict, dict]:
    members = {r["id"]: r["name"] for r in conn.query("SELECT id, name FROM reviewers WHERE call_id = ?", [call["id"]])}
    who = {p: common.entity_label(e) for p, e in queries.proposal_entities(conn, call["id"]).items()}
    return members, who


def analytics(conn, call, inputs, doc: dict) -> None:
    """What the meeting discusses beside the ranking: divergences, leniency, agreement, robustness."""
    members, who = _names(conn, call)
    criteria = criterion_names(conn, call)
    st.subheader("Divergent scores to discuss")
    st.caption(f"Two members differ by {doc['divergence_gap']:g} points or more on the same criterion.")
    if doc["divergences"]:
        rows = [{"Entity": who[d["proposal"]], "Criterion": criteria[d["criterion"]], "Range": d["range"],
                 "Scores": ", ".join(f"{members.get(r, r)} {v:g}" for r, v in d["scores"].items()),
                 "Consensus": d["consensus"]} for d in doc["divergences"]]
        st.dataframe(pd.DataFrame(rows).style.highlight_max(subset=["Range"], color="#f6d6c9")
                     .format({"Range": "{:g}", "Consensus": lambda v: "" if pd.isna(v) else f"{v:g}"}),
                     hide_index=True, width="stretch")
    else:
        st.caption("No two members differ that much on any proposal.")

    left, right = st.columns(2)
    with left:
        st.subheader("Leniency of each member")
        st.caption("Mean difference from the panel's mean on the same proposal and criterion.")
        lenient = pd.DataFrame(doc["leniency"]).assign(member=lambda f: f["reviewer"].map(members))
        st.altair_chart(alt.Chart(lenient).mark_bar().encode(
            x=alt.X("leniency:Q", title="points above (+) or below (−) the panel", axis=alt.Axis(format="+.2f")),
            y=alt.Y("member:N", sort="-x", title=None),
            color=alt.condition("datum.leniency > 0", alt.value("#1f6f5c"), alt.value("#b5651d")),
            tooltip=["member", alt.Tooltip("leniency:Q", format="+.2f"), "scores"]), width="stretch")
    with right:
        st.subheader("Score distribution")
        valid = inputs.criterion_scores().valid
        valid = valid.assign(criterion=valid["criterion"].map(criteria))
        st.altair_chart(alt.Chart(valid).mark_bar().encode(
            x=alt.X("score:O", title="score"), y=alt.Y("count():Q", title="scores"),
            color=alt.Color("criterion:N"), xOffset="criterion:N",
            tooltip=["criterion", "score", "count()"]), width="stretch")

    excluded = pd.DataFrame(doc["excluded_reviews"])
    if not excluded.empty:
        st.subheader("Reviews left out of every figure")
        st.dataframe(pd.DataFrame({"Member": excluded["reviewer"].map(members), "Entity": excluded["proposal"].map(who),
                                   "Why": excluded["reason"].map(EXCLUDED_WHY).fillna(excluded["reason"]),
                                   "Scores": excluded["scores"]}), hide_index=True, width="stretch")

    st.subheader("Agreement and robustness of each shortlist")
    method = doc["robustness_method"]
    st.caption(f"Robustness: the call's weights are varied at random {method['draws']:,} times around their "
               "chosen values; the share is how often each entity stays in the shortlist.")
    slots = queries.slot_names(conn, call["id"])
    for s in doc["slots"]:
        with st.expander(common.md(slots[s["slot"]]), expanded=False):
            a = s["agreement"]
            st.markdown(f"**Panel agreement:** {a['reading']}" + (f" (Kendall's W = {a['w']:.2f})" if a["w"] is not None
                                                                  else ""))
            sturdy = pd.DataFrame(s["robustness"]["proposals"])
            if sturdy.empty:
                st.caption("No ranked proposal.")
                continue
            sturdy["entity"] = sturdy["proposal"].map(who)
            sturdy["share"] = 100 * sturdy["shortlisted_share"]
            st.altair_chart(alt.Chart(sturdy).mark_bar().encode(
                x=alt.X("share:Q", title="% of weight draws in the shortlist", scale=alt.Scale(domain=[0, 100])),
                y=alt.Y("entity:N", sort=alt.EncodingSortField("rank"), title=None),
                color=alt.condition("datum.shortlisted", alt.value("#1f6f5c"), alt.value("#a9b8b2")),
                tooltip=["entity", "rank", alt.Tooltip("share:Q", format=".1f"), "rank_min", "rank_max"]),
                width="stretch")
            tips = s["robustness"]["tipping_points"]
            if tips:
                t = min(tips, key=lambda t: t["change_points"])
                st.markdown(f"Smallest change that alters the shortlist: **{common.md(criteria[t['criterion']])}** "
                            f"{t['direction']} by "
                            f"{t['change_points']:g} percentage points of weight (from {t['share_before']:g} % to "
                            f"{t['share_after']:g} %).")
            else:
                st.markdown("No change to a single weight alters this shortlist.")


def _signed(points: float) -> str:
    return f"{points:+.2f}".replace("-", "−")


def calibration(conn, call, doc: dict) -> None:
    """The calibrated view beside the contract's ranking, and the members whose calibration moved a proposal
    across the shortlist line."""
    cal = doc["calibration"]
    members, who = _names(conn, call)
    slots = queries.slot_names(conn, call["id"])
    st.subheader(cal["label"])
    st.caption("Each member's scores are standardised over all their valid scores in this call (how far above "
               "or below their own average, in their own spread) and put back on the scale with the panel's "
               "average and spread; consensus scores are kept as agreed. This takes out the habit of scoring high "
               "or low across the board. The ranking above, by the call's rules, is the one that counts.")
    for s in cal["slots"]:
        with st.container(border=True):
            st.markdown(f"**{common.md(slots[s['slot']])}**")
            if not s["rows"]:
                st.caption("No proposal is ranked yet in this slot.")
                continue
            rows = pd.DataFrame(s["rows"])
            st.dataframe(pd.DataFrame({
                "Entity": rows["proposal"].map(who),
                "Raw rank": rows["raw_rank"],
                "Calibrated rank": rows["calibrated_rank"],
                "Raw total": rows["raw_total"].round(1),
                "Calibrated total": rows["calibrated_total"].round(1),
                "Shortlisted (raw)": rows["shortlisted_raw"].map(words.yes_no),
                "Shortlisted (calibrated)": rows["shortlisted_calibrated"].map(words.yes_no),
            }), hide_index=True, width="stretch")
            if not s["crossings"]:
                st.caption("Same shortlist in both views.")
            for x in s["crossings"]:
                row = next(r for r in s["rows"] if r["proposal"] == x["proposal"])
                leaves = x["direction"] == "out"
                moved = (f"**{common.md(who[x['proposal']])}** {'leaves' if leaves else 'enters'} the shortlist "
                         f"once calibrated (rank {x['raw_rank']} → {x['calibrated_rank']}, total "
                         f"{words.number(row['raw_total'])} → {words.number(row['calibrated_total'])}).")
                if x["members"]:
                    named = ", ".join(f"{common.md(members.get(m['reviewer'], m['reviewer']))} "
                                      f"({_signed(m['effect'])} points)" for m in x["members"])
                    why = f" Members whose calibration {'lowered' if leaves else 'raised'} its total most: {named}."
                else:
                    why = (f" No member's calibration {'lowered' if leaves else 'raised'} its total by "
                           f"{cal['min_effect_points']:g} points or more: it crossed because other proposals moved.")
                if (x["change"] > 0) == leaves and x["change"] != 0:
                    why += " Its own total went the other way: it crossed because other proposals moved more."
                st.markdown(moved + why)


def advice(conn, call, who) -> None:
    """Every piece of the Bureau's advice recorded on the call, newest last."""
    st.subheader("The Bureau's advice")
    rows = list(conn.query("SELECT s.name AS slot, a.member, a.advice, a.preferred_proposal_id, a.given_at "
                           "FROM bureau_advice a JOIN slots s ON s.call_id = a.call_id AND s.id = a.slot_id "
                           "WHERE a.call_id = ? ORDER BY a.id", [call["id"]]))
    if not rows:
        st.caption("No advice recorded yet.")
        return
    st.dataframe(pd.DataFrame([{"Slot": r["slot"], "Given by": r["member"], "Advice": r["advice"],
                                "Advises selecting": common.entity_label(who[r["preferred_proposal_id"]])
                                if r["preferred_proposal_id"] else "",
                                "Given on": words.moment(r["given_at"], common.time_zone())} for r in rows]),
                 hide_index=True, width="stretch")


def proposal(conn, user, call, pid: str, criteria: list[dict]) -> None:
    """A proposal as its readers see it: statement, summary, one section per criterion, and its PDF files."""
    with common.refusals():
        p = intake.read_proposal(conn, user=user, call_id=call["id"], proposal_id=pid)
        for label, text in (("Statement of interest", p["statement"]), ("Summary", p["summary"])):
            if text:
                st.markdown(f"**{label}**")
                st.markdown(common.md(text))
        for c in criteria:
            st.markdown(f"**{common.md(c['name'])}**")
            st.markdown(common.md(p["sections"].get(c["id"], "(no text)")))
        for a in p["attachments"]:
            st.download_button(f"{common.md(a['filename'])} ({words.size(a['size'])})",
                               common.attachment_on_click(user, call["id"], a["id"]), file_name=a["filename"],
                               mime="application/pdf", key=f"file_{a['id']}")
