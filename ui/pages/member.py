"""Advisory group member: declare conflicts, read each assigned proposal, score it with reasons, submit."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from criteria.sets import anchor_for
from selection import countries
from selection.errors import Forbidden
from selection.i18n import N_, _, ngettext
from selection.models import Scale
from selection.permissions import has_submitted_review
from selection.services import clarifications, intake, review
from selection.services.common import criteria_rows
from ui import common, forms, panels, problems, tables

NEXT = "member_proposal:next"
# The anchored scale's words when the call gives none (``criteria.sets.ANCHOR_LABELS``), in the reader's language.
ANCHOR_WORDS = (N_("No evidence"), N_("Very weak"), N_("Weak"), N_("Adequate"), N_("Strong"), N_("Outstanding"))


DONE = ("submitted", "conflict")


def _state(a: dict) -> str:
    """Where the member is with this proposal: to declare, conflict, submitted or scoring."""
    if a["declared_at"] is None:
        return "declare"
    if a["conflict"]:
        return "conflict"
    return "submitted" if a["submitted_at"] else "scoring"


def _state_words(a: dict) -> str:
    state = _state(a)
    if state == "scoring":
        return ngettext("{n} score saved", "{n} scores saved", a["scored"])
    return {"declare": _("declare conflicts first"), "conflict": _("conflict declared"),
            "submitted": _("submitted")}[state]


def _declare(conn, user, call, pid) -> None:
    with st.form(f"declare_{pid}"):
        st.write(_("Before you read and score this proposal, declare whether you have a conflict of interest "
                   "(employment, membership, funding, close collaboration, family)."))
        labels = {"conflict": _("Conflict of interest"), "reason": _("If you have a conflict, say what it is")}
        conflict = st.radio(labels["conflict"], [False, True], horizontal=True, index=None,
                            format_func={False: _("No conflict"), True: _("I have a conflict")}.get)
        reason = st.text_input(labels["reason"])
        if st.form_submit_button(_("Declare"), type="primary"):
            with common.refusals(), forms.labelled(labels):
                review.declare(conn, user=user, call_id=call["id"], proposal_id=pid, conflict=conflict,
                               reason=reason)
                st.session_state["flash"] = (_("Conflict of interest declared: this proposal is set aside for you.")
                                             if conflict else _("No conflict declared: you may now read and score "
                                                                "this proposal."))
                st.rerun()


def _score_form(conn, user, call, pid, criteria, submitted: bool) -> None:
    """One criterion per row: the applicant's section on the left, the score and reasons on the right.

    No score is chosen for the member: the box is empty until they pick one.
    """
    scale = Scale(min=call["scale_min"], max=call["scale_max"], step=call["scale_step"])
    mine = review.my_scores(conn, user=user, call_id=call["id"], proposal_id=pid)
    text = intake.read_proposal(conn, user=user, call_id=call["id"], proposal_id=pid)["sections"]
    changing = _("Why are you changing a submitted score?")
    labels = {**{f"scores.{c['id']}": _("Score for “{criterion}”", criterion=c["name"]) for c in criteria},
              **{f"justification.{c['id']}": _("Reasons for “{criterion}”", criterion=c["name"]) for c in criteria},
              "reason": changing, "review": _("Review")}
    between = _("between {low} and {high}")  # a half point, between two anchors' words
    with st.form(f"scores_{pid}"):
        beside = problems.Beside(labels)
        values = {}
        for c in criteria:
            anchors = ({int(k): v for k, v in json.loads(c["anchors"]).items()} if c["anchors"]
                       else dict(enumerate(map(_, ANCHOR_WORDS))))
            st.markdown(f"**{common.md(c['name'])}**")
            left, right = st.columns([3, 2])
            with left.container(height=260):
                st.caption(_("What the applicant wrote"))
                st.markdown(common.md(text.get(c["id"], _("(no text)"))))
            if c["reviewer_guidance"]:
                right.caption(common.md(c["reviewer_guidance"]))
            old = mine.get(c["id"])
            points = scale.points()
            score = right.selectbox(
                _("Score"), points, index=points.index(old["score"]) if old else None, key=f"s_{pid}_{c['id']}",
                placeholder=_("Choose a score"),
                format_func=lambda v, a=anchors: f"{v:g} — {anchor_for(v, scale.min, scale.max, a, between)}")
            beside.place(f"scores.{c['id']}", right)
            why = right.text_area(_("Reasons for this score"), (old or {}).get("justification") or "",
                                  key=f"j_{pid}_{c['id']}", max_chars=20_000)
            beside.place(f"justification.{c['id']}", right)
            values[c["id"]] = (score, why)
        reason = st.text_input(changing) if submitted else None
        beside.place("reason")
        save = st.form_submit_button(_("Save the scores"))
        send = False if submitted else st.form_submit_button(_("Save and submit"), type="primary")
    if save or send:
        with beside.refusals():
            changed = review.save_scores(conn, user=user, call_id=call["id"], proposal_id=pid, scores=values,
                                         reason=reason)
            if send:
                review.submit_review(conn, user=user, call_id=call["id"], proposal_id=pid)
                _after_submit(conn, user, call, pid)
            else:
                st.session_state["flash"] = _("Scores saved ({changed} changed).", changed=changed)
            st.rerun()


def _after_submit(conn, user, call, pid) -> None:
    """The member moves on to the next proposal left, if any; else stays here, where the panel's scores show."""
    mine = review.my_assignments(conn, user=user, call_id=call["id"])
    order = [a["proposal_id"] for a in mine]
    left = [a for a in mine[order.index(pid) + 1:] + mine[:order.index(pid)]
            if _state(a) not in DONE]
    if not left:
        st.session_state["flash"] = _("Review submitted, and it was your last: the other members' scores are shown.")
        return
    st.session_state[NEXT] = left[0]["proposal_id"]
    done = next(a for a in mine if a["proposal_id"] == pid)
    st.session_state["flash"] = _("Review of {entity} submitted (choose it again to see the other members' scores). "
                                  "Next: {next}.", entity=common.md(common.entity_label(done)),
                                  next=common.md(common.entity_label(left[0])))


def _progress(mine: list[dict]) -> None:
    """What is done and what is left, in one line."""
    states = [_state(a) for a in mine]
    done = sum(s in DONE for s in states)
    to_declare = states.count("declare")
    left = len(mine) - done
    if to_declare:
        st.markdown(_("**{done} of {total} done** — {left} left ({waiting} waiting for your declaration). Done means "
                      "submitted, or set aside for a declared conflict.", done=done, total=len(mine), left=left,
                      waiting=to_declare))
    else:
        st.markdown(_("**{done} of {total} done** — {left} left. Done means submitted, or set aside for a declared "
                      "conflict.", done=done, total=len(mine), left=left))


def _panel(conn, user, call, pid, criteria) -> None:
    try:
        rows = review.panel_scores(conn, user=user, call_id=call["id"], proposal_id=pid)
    except Forbidden as e:
        st.caption(common.md(e))
        return
    st.subheader(_("The panel's scores"))
    frame = pd.DataFrame(rows)
    names = {c["id"]: c["name"] for c in criteria}
    short = tables.letters(list(names))
    table = frame.pivot_table(index="member", columns="criterion_id", values="score")
    st.dataframe(table[[c for c in names if c in table.columns]].rename(columns=short).rename_axis(
        index=_("Member"), columns=None), width="stretch",
        column_config={short[c]: tables.number(120, help=n) for c, n in names.items()})
    st.caption(" · ".join(f"{short[c]} {common.md(n)}" for c, n in names.items()))


def page() -> None:
    conn, user, call = common.open_page(_("My reviews"))
    if call is None:
        return
    mine = review.my_assignments(conn, user=user, call_id=call["id"])
    if not mine:
        st.info(_("No proposal is assigned to you in this call yet."))
        return
    _progress(mine)
    table = pd.DataFrame([{_("Entity"): common.entity_label(a), _("Country"): countries.name(a["country"]),
                           _("State"): _state_words(a)} for a in mine])
    st.dataframe(table, hide_index=True, width="stretch")
    labels = {a["proposal_id"]: common.entity_label(a) for a in mine}  # stable labels keep the choice across saves
    if NEXT in st.session_state:
        st.session_state["member_proposal"] = st.session_state.pop(NEXT)
    pid = st.selectbox(_("Proposal"), list(labels), format_func=labels.get, key="member_proposal")
    a = next(x for x in mine if x["proposal_id"] == pid)
    if a["declared_at"] is None:
        _declare(conn, user, call, pid)
        return
    if a["conflict"]:
        st.warning(_("You declared a conflict of interest on this proposal: you do not score it, and any score "
                     "you gave is left out of every figure."))
        return
    criteria = criteria_rows(conn, call["id"])
    asked = clarifications.for_proposal(conn, user=user, call_id=call["id"], proposal_id=pid)
    if any(r["answers"] for r in asked):
        st.info(_("The applicant answered the advisory group's clarification request: the answer is at the end of "
                  "the whole proposal, below. You may revise your scores after reading it (give a reason)."))
    title = (_("The whole proposal: statement, summary, files and clarifications") if asked
             else _("The whole proposal: statement, summary and files"))
    with st.expander(title, expanded=False):
        panels.proposal(conn, user, call, pid, criteria)
    submitted = has_submitted_review(conn, user, call["id"], pid)
    _score_form(conn, user, call, pid, criteria, submitted)
    if submitted:
        _panel(conn, user, call, pid, criteria)
