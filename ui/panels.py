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
from selection import i18n, queries, words
from selection.i18n import N_, _
from selection.services import intake
from selection.views import CallView
from ui import clarification_view, common, tables

EXCLUDED_WHY = {"partial": N_("not every criterion scored"), "conflict": N_("conflict of interest declared")}
# Why a proposal is not ranked (a status, or too few valid reviews), as the page says it.
UNRANKED_WHY = {"insufficient_reviews": N_("insufficient reviews"), "draft": N_("draft"), "submitted": N_("submitted"),
                "ineligible": N_("ineligible"), "withdrawn": N_("withdrawn")}
# Kendall's W in words (``criteria.analytics.reading``), in the reader's language.
READINGS = {"not measurable": N_("not measurable"), "very weak agreement": N_("very weak agreement"),
            "weak agreement": N_("weak agreement"), "moderate agreement": N_("moderate agreement"),
            "strong agreement": N_("strong agreement"), "very strong agreement": N_("very strong agreement")}
# The ranking table's columns (``queries.SlotView.table``) under the reader's headers.
RANKING_HEADERS = {"Rank": N_("Rank"), "Entity": N_("Entity"), "Country": N_("Country"), "Total": N_("Total"),
                   "Shortlisted": N_("Shortlisted"), "Passes": N_("Passes"), "Tie": N_("Tie"), "Reviews": N_("Reviews")}


DIVERGENCES_SHOWN = 300  # a meeting discusses the widest; thousands of rows only slow the page down


def _kept(view: CallView, name: str, build) -> pa.Table:
    """A frame built once per fresh view and language, as the Arrow table Streamlit sends."""
    return view.keep(f"{name}:{i18n.language()}", lambda: pa.Table.from_pandas(build(), preserve_index=False))


def _table(view: CallView, name: str, build, **fit) -> None:
    """``fit``: the column widths and row height that keep the table within the page (see ``ui.tables``)."""
    st.dataframe(_kept(view, name, build), hide_index=True, width="stretch", **fit)


def _ranking(view: CallView, t: pd.DataFrame) -> pd.DataFrame:
    """A slot's ranking as people read it: criteria under short headers, ticks as "Yes" or a dash."""
    out = t.rename(columns=tables.letters(list(view.criteria))).assign(Total=t["Total"].round(1))
    out = out.assign(**{col: out[col].map(tables.yes) for col in ("Shortlisted", "Passes", "Tie") if col in out})
    return out.rename(columns={k: _(v) for k, v in RANKING_HEADERS.items()})


def _ranking_fit(view: CallView) -> dict:
    short = tables.letters(list(view.criteria))
    widths = {"Rank": tables.number(45), "Entity": tables.text(260), "Country": tables.text(90),
              "Total": tables.number(55, places=1), "Shortlisted": tables.text(80), "Passes": tables.text(55),
              "Tie": tables.text(40), "Reviews": tables.number(60)}
    return {"column_config": {**{_(RANKING_HEADERS[k]): w for k, w in widths.items()},
                              **{short[c]: tables.number(50, help=name, places=2) for c, name in view.criteria.items()}}}


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
                st.caption(_("No proposal is ranked yet in this slot."))
            else:
                _table(view, f"ranking:{slot.slot['id']}", lambda t=slot.table: _ranking(view, t), **_ranking_fit(view))
                st.caption(" · ".join(f"{s} {common.md(view.criteria[c])}"
                                      for c, s in tables.letters(list(view.criteria)).items()))
            st.markdown(_("**Shortlist:** {entities}", entities="; ".join(common.md(s) for s in slot.shortlist)
                          or _("none yet")))
            if slot.tie_across_cutoff:
                st.warning(_("A tie across third place shortlists more than three: the advisory group, "
                             "not the program, breaks it."))
            for u in slot.unranked:
                why = UNRANKED_WHY.get(u["reason"])
                st.caption(_("Not ranked: {entity} ({reason})", entity=common.md(u["entity"]),
                             reason=_(why) if why else u["reason"].replace("_", " ")))


def analytics(view: CallView) -> None:
    """What the meeting discusses beside the ranking: divergences, leniency, agreement, robustness."""
    doc, members, who = view.analysis(), view.members, view.labels
    criteria = view.criteria
    st.subheader(_("Divergent scores to discuss"))
    gap = words.score(doc["divergence_gap"])
    st.caption(_("Two members differ by {gap} points or more on the same criterion; the widest first.", gap=gap))
    if doc["divergences"]:
        widest = sorted(doc["divergences"], key=lambda d: -d["range"])[:DIVERGENCES_SHOWN]
        if len(doc["divergences"]) > len(widest):
            st.caption(_("The {shown} widest of {total} are listed.", shown=words.number(len(widest), 0),
                         total=words.number(len(doc["divergences"]), 0)))
        short = tables.letters(list(criteria))
        heads = {"Entity": _("Entity"), "Criterion": _("Criterion"), "Range": _("Range"), "Scores": _("Scores"),
                 "Consensus": _("Consensus")}
        _table(view, "divergences", lambda: pd.DataFrame([
            {heads["Entity"]: who[d["proposal"]], heads["Criterion"]: short.get(d["criterion"], d["criterion"]),
             heads["Range"]: d["range"],
             heads["Scores"]: ", ".join(f"{members.get(r, r)} {v:g}" for r, v in d["scores"].items()),
             heads["Consensus"]: "" if d["consensus"] is None else f"{d['consensus']:g}"} for d in widest]),
               column_config={heads["Entity"]: tables.text(230), heads["Criterion"]: tables.text(70),
                              heads["Range"]: tables.number(60), heads["Scores"]: tables.text(420),
                              heads["Consensus"]: tables.text(90)})
        st.caption(" · ".join(f"{s} {common.md(criteria[c])}" for c, s in short.items()))
    else:
        st.caption(_("No two members differ that much on any proposal."))

    left, right = st.columns(2)
    with left:
        st.subheader(_("Leniency of each member"))
        st.caption(_("Mean difference from the panel's mean on the same proposal and criterion."))
        _bars(_kept(view, "leniency", lambda: pd.DataFrame(doc["leniency"]).assign(
                  member=lambda f: f["reviewer"].map(members))),
              {"field": "leniency", "type": "quantitative", "title": _("points above (+) or below (−) the panel"),
               "axis": {"format": "+.2f"}},
              {"field": "member", "type": "nominal", "sort": "-x", "title": None},
              color=_colour_if("datum.leniency > 0", "#1f6f5c", "#b5651d"),
              tooltip=[{"field": "member", "type": "nominal"},
                       {"field": "leniency", "type": "quantitative", "format": "+.2f"},
                       {"field": "scores", "type": "quantitative"}])
    with right:
        st.subheader(_("Score distribution"))
        _bars(_kept(view, "distribution", view.score_counts), {"field": "score", "type": "ordinal", "title": _("score")},
              {"field": "scores", "type": "quantitative", "title": _("scores")},
              color={"field": "criterion", "type": "nominal"}, xOffset={"field": "criterion", "type": "nominal"},
              tooltip=[{"field": "criterion", "type": "nominal"}, {"field": "score", "type": "ordinal"},
                       {"field": "scores", "type": "quantitative"}])

    if doc["excluded_reviews"]:
        st.subheader(_("Reviews left out of every figure"))
        _table(view, "excluded", lambda: pd.DataFrame([
            {_("Member"): members.get(r["reviewer"], r["reviewer"]), _("Entity"): who.get(r["proposal"], r["proposal"]),
             _("Why"): _(EXCLUDED_WHY[r["reason"]]) if r["reason"] in EXCLUDED_WHY else r["reason"],
             _("Scores"): r["scores"]} for r in doc["excluded_reviews"]]))

    st.subheader(_("Agreement and robustness of each shortlist"))
    method = doc["robustness_method"]
    st.caption(_("Robustness: the call's weights are varied at random {draws} times around their chosen values; "
                 "the share is how often each entity stays in the shortlist.", draws=words.number(method["draws"], 0)))
    slots = {v.slot["id"]: v.slot["name"] for v in view.slots}
    for s in doc["slots"]:
        with st.expander(common.md(slots[s["slot"]]), expanded=False):
            a = s["agreement"]
            reading = _(READINGS[a["reading"]]) if a["reading"] in READINGS else a["reading"]
            st.markdown(_("**Panel agreement:** {reading} (Kendall's W = {w})", reading=reading,
                          w=words.number(a["w"], 2)) if a["w"] is not None
                        else _("**Panel agreement:** {reading}", reading=reading))
            if not s["robustness"]["proposals"]:
                st.caption(_("No ranked proposal."))
                continue
            _bars(_kept(view, f"robustness:{s['slot']}", lambda s=s: pd.DataFrame(s["robustness"]["proposals"]).assign(
                      entity=lambda f: f["proposal"].map(who), share=lambda f: 100 * f["shortlisted_share"])[
                      ["entity", "rank", "share", "shortlisted", "rank_min", "rank_max"]]),
                  {"field": "share", "type": "quantitative", "title": _("% of weight draws in the shortlist"),
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
                points, before, after = map(words.score, (t["change_points"], t["share_before"], t["share_after"]))
                st.markdown(_(TIPPING[t["direction"]], criterion=common.md(criteria[t["criterion"]]), points=points,
                              before=before, after=after))
            else:
                st.markdown(_("No change to a single weight alters this shortlist."))


TIPPING = {"up": N_("Smallest change that alters the shortlist: **{criterion}** up by {points} percentage points of "
                  "weight (from {before} % to {after} %)."),
           "down": N_("Smallest change that alters the shortlist: **{criterion}** down by {points} percentage points of "
                    "weight (from {before} % to {after} %).")}


def _signed(points: float) -> str:
    return f"{points:+.2f}".replace("-", "−")


CALIBRATED_TITLE = N_("Calibrated view — advice to the advisory group, not the contract's ranking")
CROSSING = {"leaves": N_("**{entity}** leaves the shortlist once calibrated (rank {before} → {after}, total "
                         "{total_before} → {total_after})."),
            "enters": N_("**{entity}** enters the shortlist once calibrated (rank {before} → {after}, total "
                         "{total_before} → {total_after}).")}
MOST_LOWERED = N_("Members whose calibration lowered its total most: {members}.")
MOST_RAISED = N_("Members whose calibration raised its total most: {members}.")
NONE_LOWERED = N_("No member's calibration lowered its total by {points} points or more: it crossed because other "
                  "proposals moved.")
NONE_RAISED = N_("No member's calibration raised its total by {points} points or more: it crossed because other "
                 "proposals moved.")
CALIBRATED_HEADERS = (N_("Entity"), N_("Rank: raw → calibrated"), N_("Total: raw → calibrated"),
                      N_("Shortlisted: raw → calibrated"))


def _calibrated(rows: pd.DataFrame, who: dict) -> pd.DataFrame:
    """Each entity's rank, total and place on the shortlist, the raw beside the calibrated in one cell each,
    so that the table fits the page."""
    def pair(raw, calibrated, write) -> list[str]:
        return [f"{write(a)} → {write(b)}" for a, b in zip(rows[raw], rows[calibrated])]

    entity, rank, total, listed = map(_, CALIBRATED_HEADERS)
    return pd.DataFrame({
        entity: rows["proposal"].map(who),
        rank: pair("raw_rank", "calibrated_rank", lambda r: f"{int(r)}"),
        total: pair("raw_total", "calibrated_total", words.number),
        listed: pair("shortlisted_raw", "shortlisted_calibrated", words.yes_no),
    })


def _calibrated_fit() -> dict:
    entity, rank, total, listed = map(_, CALIBRATED_HEADERS)
    return {"column_config": {entity: tables.text(330), rank: tables.text(160), total: tables.text(180),
                              listed: tables.text(200)}}


def calibration(view: CallView) -> None:
    """The calibrated view beside the contract's ranking, and the members whose calibration moved a proposal
    across the shortlist line."""
    cal = view.analysis()["calibration"]
    members, who = view.members, view.labels
    slots = {v.slot["id"]: v.slot["name"] for v in view.slots}
    st.subheader(_(CALIBRATED_TITLE))
    st.caption(_("Each member's scores are standardised over all their valid scores in this call (how far above "
                 "or below their own average, in their own spread) and put back on the scale with the panel's "
                 "average and spread; consensus scores are kept as agreed. This takes out the habit of scoring high "
                 "or low across the board. The ranking above, by the call's rules, is the one that counts."))
    for s in cal["slots"]:
        with st.container(border=True):
            st.markdown(f"**{common.md(slots[s['slot']])}**")
            if not s["rows"]:
                st.caption(_("No proposal is ranked yet in this slot."))
                continue
            _table(view, f"calibration:{s['slot']}", lambda s=s: _calibrated(pd.DataFrame(s["rows"]), who),
                   **_calibrated_fit())
            if not s["crossings"]:
                st.caption(_("Same shortlist in both views."))
            for x in s["crossings"]:
                st.markdown(_crossing(x, s, cal, who, members))


def _crossing(x: dict, s: dict, cal: dict, who: dict, members: dict) -> str:
    """Why a proposal crosses the shortlist line once calibrated, and whose calibration moved it most."""
    row = next(r for r in s["rows"] if r["proposal"] == x["proposal"])
    leaves = x["direction"] == "out"
    facts = {"entity": common.md(who[x["proposal"]]), "before": x["raw_rank"], "after": x["calibrated_rank"],
             "total_before": words.number(row["raw_total"]), "total_after": words.number(row["calibrated_total"])}
    text = _(CROSSING["leaves" if leaves else "enters"], **facts)
    if x["members"]:
        named = ", ".join(_("{member} ({points} points)", member=common.md(members.get(m["reviewer"], m["reviewer"])),
                            points=_signed(m["effect"])) for m in x["members"])
        text += " " + _(MOST_LOWERED if leaves else MOST_RAISED, members=named)
    else:
        text += " " + _(NONE_LOWERED if leaves else NONE_RAISED, points=words.score(cal["min_effect_points"]))
    if (x["change"] > 0) == leaves and x["change"] != 0:
        text += " " + _("Its own total went the other way: it crossed because other proposals moved more.")
    return text


def advice(conn, call, who) -> None:
    """Every piece of the Bureau's advice recorded on the call, newest last."""
    st.subheader(_("The Bureau's advice"))
    rows = queries.advice_given(conn, call["id"])
    if not rows:
        st.caption(_("No advice recorded yet."))
        return
    slot, by, text, selecting, on = (_("Slot"), _("Given by"), _("Advice"), _("Advises selecting"), _("Given on"))
    st.dataframe(pd.DataFrame([{slot: r["slot"], by: r["member"], text: r["advice"],
                                selecting: common.entity_label(who[r["preferred_proposal_id"]])
                                if r["preferred_proposal_id"] else "",
                                on: words.moment(r["given_at"], common.time_zone())} for r in rows]),
                 hide_index=True, width="stretch",
                 column_config={slot: tables.text(150), by: tables.text(120), text: tables.text(280),
                                selecting: tables.text(190), on: tables.text(150)})


def dossier_download(conn, user, call, pid: str) -> None:
    """The proposal's dossier as one PDF (profile, sections, clarifications, files), built when clicked."""
    st.download_button(_("Download the dossier (PDF)"), common.dossier_on_click(user, call["id"], pid),
                       file_name=dossier.file_name(conn, call["id"], pid), mime="application/pdf",
                       key=f"dossier_{pid}", icon=":material/picture_as_pdf:",
                       help=_("The whole proposal in one PDF to read or print: profile, expression of interest, "
                              "every section, the clarifications, and the files the applicant sent."))


def shortlist_dossiers(conn, user, call, view: CallView) -> None:
    """The dossier of any proposal on a shortlist, for those who advise on the shortlists."""
    picked = list(dict.fromkeys(pid for s in view.ranking.slots for pid in s.shortlist))
    if not picked:
        return
    st.subheader(_("Dossiers of the shortlisted proposals"))
    who = view.labels
    pid = st.selectbox(_("Shortlisted proposal"), picked, format_func=lambda p: who.get(p, p), key="dossier_proposal")
    dossier_download(conn, user, call, pid)


def proposal(conn, user, call, pid: str, criteria: list[dict]) -> None:
    """A proposal as its readers see it: statement, summary, one section per criterion, and its PDF files."""
    with common.refusals():
        p = intake.read_proposal(conn, user=user, call_id=call["id"], proposal_id=pid)
        dossier_download(conn, user, call, pid)
        for label, text in ((_("Statement of interest"), p["statement"]), (_("Summary"), p["summary"])):
            if text:
                st.markdown(f"**{label}**")
                st.markdown(common.md(text))
        for c in criteria:
            st.markdown(f"**{common.md(c['name'])}**")
            st.markdown(common.md(p["sections"].get(c["id"], _("(no text)"))))
        for a in p["attachments"]:
            st.download_button(f"{common.md(a['filename'])} ({words.size(a['size'])})",
                               common.attachment_on_click(user, call["id"], a["id"]), file_name=a["filename"],
                               mime="application/pdf", key=f"file_{a['id']}")
        clarification_view.show(conn, user, call, pid, criteria)
