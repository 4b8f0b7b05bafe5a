"""Pieces of pages that several pages show: the ranking of each slot, the panel's analytics.

Charts are Vega-Lite specifications written as data (``st.vega_lite_chart``): building them through Altair
validated every encoding against the schema on each rerun, most of the meeting page's time. Tables and chart data
are kept with the call's view as Arrow tables, so a rerun with nothing changed only sends them again.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import streamlit as st

from reports import dossier
from selection import queries, words
from selection.services import intake
from selection.views import CallView
from ui import clarification_view, common, tables

EXCLUDED_WHY = {"partial": "not every criterion scored", "conflict": "conflict of interest declared"}


DIVERGENCES_SHOWN = 300  # a meeting discusses the widest; thousands of rows only slow the page down


def _kept(view: CallView, name: str, build) -> pa.Table:
    """A frame built once per fresh view, as the Arrow table Streamlit sends."""
    return view.keep(name, lambda: pa.Table.from_pandas(build(), preserve_index=False))


def _table(view: CallView, name: str, build, **fit) -> None:
    """``fit``: the column widths and row height that keep the table within the page (see ``ui.tables``)."""
    st.dataframe(_kept(view, name, build), hide_index=True, width="stretch", **fit)


def _ranking(view: CallView, t: pd.DataFrame) -> pd.DataFrame:
    """A slot's ranking as people read it: criteria under short headers, ticks as "Yes" or a dash."""
    out = t.rename(columns=tables.letters(list(view.criteria))).assign(Total=t["Total"].round(1))
    return out.assign(**{col: out[col].map(tables.yes) for col in ("Shortlisted", "Passes", "Tie") if col in out})


def _ranking_fit(view: CallView) -> dict:
    short = tables.letters(list(view.criteria))
    return {"column_config": {
        "Rank": tables.number(45), "Entity": tables.text(260), "Country": tables.text(90), "Total": tables.number(55, places=1),
        "Shortlisted": tables.text(80), "Passes": tables.text(55), "Tie": tables.text(40),
        "Reviews": tables.number(60), **{short[c]: tables.number(50, help=name, places=2) for c, name in view.criteria.items()}}}


def _bars(data: pa.Table, x: dict, y: dict, **encoding) -> None:
    st.vega_lite_chart(data, {"mark": {"type": "bar"}, "encoding": {"x": x, "y": y, **encoding}}, width="stretch")


def _colour_if(test: str, yes: str, no: str) -> dict:
    return {"condition": {"test": test, "value": yes}, "value": no}


def rankings(view: CallView) -> None:
    """Every slot's ranking table with its shortlist, tie warning and unranked proposals."""
    for slot in view.slots:
        with st.container(border=True):
            st.subheader(common.md(slot.slot["name"]))
            if slot.table.empty:
                st.caption("No proposal is ranked yet in this slot.")
            else:
                _table(view, f"ranking:{slot.slot['id']}", lambda t=slot.table: _ranking(view, t), **_ranking_fit(view))
                st.caption(" · ".join(f"{s} {common.md(view.criteria[c])}"
                                      for c, s in tables.letters(list(view.criteria)).items()))
            st.markdown("**Shortlist:** " + ("; ".join(common.md(s) for s in slot.shortlist) or "none yet"))
            if slot.tie_across_cutoff:
                st.warning("A tie across third place shortlists more than three: the advisory group, "
                           "not the program, breaks it.")
            for u in slot.unranked:
                st.caption(f"Not ranked: {common.md(u['entity'])} ({u['reason'].replace('_', ' ')})")


def analytics(view: CallView) -> None:
    """What the meeting discusses beside the ranking: divergences, leniency, agreement, robustness."""
    doc, members, who = view.analysis(), view.members, view.labels
    criteria = view.criteria
    st.subheader("Divergent scores to discuss")
    st.caption(f"Two members differ by {doc['divergence_gap']:g} points or more on the same criterion; "
               "the widest first.")
    if doc["divergences"]:
        widest = sorted(doc["divergences"], key=lambda d: -d["range"])[:DIVERGENCES_SHOWN]
        if len(doc["divergences"]) > len(widest):
            st.caption(f"The {len(widest):,} widest of {len(doc['divergences']):,} are listed.")
        _table(view, "divergences", lambda: pd.DataFrame([
            {"Entity": who[d["proposal"]], "Criterion": criteria.get(d["criterion"], d["criterion"]), "Range": d["range"],
             "Scores": ", ".join(f"{members.get(r, r)} {v:g}" for r, v in d["scores"].items()),
             "Consensus": "" if d["consensus"] is None else f"{d['consensus']:g}"} for d in widest]))
    else:
        st.caption("No two members differ that much on any proposal.")

    left, right = st.columns(2)
    with left:
        st.subheader("Leniency of each member")
        st.caption("Mean difference from the panel's mean on the same proposal and criterion.")
        _bars(_kept(view, "leniency", lambda: pd.DataFrame(doc["leniency"]).assign(
                  member=lambda f: f["reviewer"].map(members))),
              {"field": "leniency", "type": "quantitative", "title": "points above (+) or below (−) the panel",
               "axis": {"format": "+.2f"}},
              {"field": "member", "type": "nominal", "sort": "-x", "title": None},
              color=_colour_if("datum.leniency > 0", "#1f6f5c", "#b5651d"),
              tooltip=[{"field": "member", "type": "nominal"},
                       {"field": "leniency", "type": "quantitative", "format": "+.2f"},
                       {"field": "scores", "type": "quantitative"}])
    with right:
        st.subheader("Score distribution")
        _bars(_kept(view, "distribution", view.score_counts), {"field": "score", "type": "ordinal", "title": "score"},
              {"field": "scores", "type": "quantitative", "title": "scores"},
              color={"field": "criterion", "type": "nominal"}, xOffset={"field": "criterion", "type": "nominal"},
              tooltip=[{"field": "criterion", "type": "nominal"}, {"field": "score", "type": "ordinal"},
                       {"field": "scores", "type": "quantitative"}])

    if doc["excluded_reviews"]:
        st.subheader("Reviews left out of every figure")
        _table(view, "excluded", lambda: pd.DataFrame([
            {"Member": members.get(r["reviewer"], r["reviewer"]), "Entity": who.get(r["proposal"], r["proposal"]),
             "Why": EXCLUDED_WHY.get(r["reason"], r["reason"]), "Scores": r["scores"]} for r in doc["excluded_reviews"]]))

    st.subheader("Agreement and robustness of each shortlist")
    method = doc["robustness_method"]
    st.caption(f"Robustness: the call's weights are varied at random {method['draws']:,} times around their "
               "chosen values; the share is how often each entity stays in the shortlist.")
    slots = {v.slot["id"]: v.slot["name"] for v in view.slots}
    for s in doc["slots"]:
        with st.expander(common.md(slots[s["slot"]]), expanded=False):
            a = s["agreement"]
            st.markdown(f"**Panel agreement:** {a['reading']}" + (f" (Kendall's W = {a['w']:.2f})" if a["w"] is not None
                                                                  else ""))
            if not s["robustness"]["proposals"]:
                st.caption("No ranked proposal.")
                continue
            _bars(_kept(view, f"robustness:{s['slot']}", lambda s=s: pd.DataFrame(s["robustness"]["proposals"]).assign(
                      entity=lambda f: f["proposal"].map(who), share=lambda f: 100 * f["shortlisted_share"])[
                      ["entity", "rank", "share", "shortlisted", "rank_min", "rank_max"]]),
                  {"field": "share", "type": "quantitative", "title": "% of weight draws in the shortlist",
                   "scale": {"domain": [0, 100]}},
                  {"field": "entity", "type": "nominal", "sort": {"field": "rank"}, "title": None},
                  color=_colour_if("datum.shortlisted", "#1f6f5c", "#a9b8b2"),
                  tooltip=[{"field": "entity", "type": "nominal"}, {"field": "rank", "type": "quantitative"},
                           {"field": "share", "type": "quantitative", "format": ".1f"},
                           {"field": "rank_min", "type": "quantitative"},
                           {"field": "rank_max", "type": "quantitative"}])
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


def _calibrated(rows: pd.DataFrame, who: dict) -> pd.DataFrame:
    return pd.DataFrame({
        "Entity": rows["proposal"].map(who),
        "Raw rank": rows["raw_rank"],
        "Calibrated rank": rows["calibrated_rank"],
        "Raw total": rows["raw_total"].round(1),
        "Calibrated total": rows["calibrated_total"].round(1),
        "Shortlisted (raw)": rows["shortlisted_raw"].map(words.yes_no),
        "Shortlisted (calibrated)": rows["shortlisted_calibrated"].map(words.yes_no),
    })


def calibration(view: CallView) -> None:
    """The calibrated view beside the contract's ranking, and the members whose calibration moved a proposal
    across the shortlist line."""
    cal = view.analysis()["calibration"]
    members, who = view.members, view.labels
    slots = {v.slot["id"]: v.slot["name"] for v in view.slots}
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
            _table(view, f"calibration:{s['slot']}", lambda s=s: _calibrated(pd.DataFrame(s["rows"]), who))
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
    rows = queries.advice_given(conn, call["id"])
    if not rows:
        st.caption("No advice recorded yet.")
        return
    st.dataframe(pd.DataFrame([{"Slot": r["slot"], "Given by": r["member"], "Advice": r["advice"],
                                "Advises selecting": common.entity_label(who[r["preferred_proposal_id"]])
                                if r["preferred_proposal_id"] else "",
                                "Given on": words.moment(r["given_at"], common.time_zone())} for r in rows]),
                 hide_index=True, width="stretch",
                 column_config={"Slot": tables.text(150), "Given by": tables.text(120), "Advice": tables.text(280),
                                "Advises selecting": tables.text(190), "Given on": tables.text(150)})


def dossier_download(conn, user, call, pid: str) -> None:
    """The proposal's dossier as one PDF (profile, sections, clarifications, files), built when clicked."""
    st.download_button("Download the dossier (PDF)", common.dossier_on_click(user, call["id"], pid),
                       file_name=dossier.file_name(conn, call["id"], pid), mime="application/pdf",
                       key=f"dossier_{pid}", icon=":material/picture_as_pdf:",
                       help="The whole proposal in one PDF to read or print: profile, expression of interest, "
                            "every section, the clarifications, and the files the applicant sent.")


def shortlist_dossiers(conn, user, call, view: CallView) -> None:
    """The dossier of any proposal on a shortlist, for those who advise on the shortlists."""
    picked = list(dict.fromkeys(pid for s in view.ranking.slots for pid in s.shortlist))
    if not picked:
        return
    st.subheader("Dossiers of the shortlisted proposals")
    who = view.labels
    pid = st.selectbox("Shortlisted proposal", picked, format_func=lambda p: who.get(p, p), key="dossier_proposal")
    dossier_download(conn, user, call, pid)


def proposal(conn, user, call, pid: str, criteria: list[dict]) -> None:
    """A proposal as its readers see it: statement, summary, one section per criterion, and its PDF files."""
    with common.refusals():
        p = intake.read_proposal(conn, user=user, call_id=call["id"], proposal_id=pid)
        dossier_download(conn, user, call, pid)
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
        clarification_view.show(conn, user, call, pid, criteria)
