"""Secretariat: assign the panel by optimisation — preview, adjust, then save in one go."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from selection import countries
from selection.i18n import _, ngettext
from selection.services import assignment
from ui import common, tables

PLAN = "assignment_plan"


def _panel_facts(conn, user, call) -> None:
    """What the detection and the regional match read: each member's affiliation, country and regions."""
    regions = assignment.regions(conn, call["id"])
    people = assignment.members(conn, call["id"])
    if not people:
        st.info(_("Invite advisory group members under People first."))
        return
    st.dataframe(pd.DataFrame([{_("Member"): m.name, _("Affiliation"): m.affiliation or "",
                                _("Country"): countries.name(m.country),
                                _("Regions known"): ", ".join(m.regions)} for m in people]),
                 hide_index=True, width="stretch")
    with st.expander(_("Edit a member's affiliation, country and regions")):
        chosen = st.selectbox(_("Member"), [m.reviewer for m in people],
                              format_func=lambda r: next(m.name for m in people if m.reviewer == r), key="facts_member")
        m = next(x for x in people if x.reviewer == chosen)
        codes = [""] + countries.codes()
        with st.form(f"facts_{chosen}"):
            affiliation = st.text_input(_("Affiliation"), value=m.affiliation or "")
            country = st.selectbox(_("Country"), codes, index=codes.index(m.country) if m.country in codes else 0,
                                   format_func=lambda c: countries.name(c) or _("Not given"))
            known = st.multiselect(_("Regions the member knows"), regions,
                                   default=[r for r in m.regions if r in regions])
            if st.form_submit_button(_("Save the member's facts")):
                with common.refusals():
                    assignment.set_member_profile(conn, user=user, call_id=call["id"], reviewer=chosen,
                                                  affiliation=affiliation, country=country, regions=known)
                    st.session_state.pop(PLAN, None)
                    st.session_state["flash"] = _("Saved the facts of {name}.", name=common.md(m.name))
                    st.rerun()


def _settings(conn, user, call) -> tuple[int, int | None, bool]:
    need, most = assignment.per_proposal_range(conn, call["id"])
    left, right = st.columns(2)
    per = left.number_input(_("Members per proposal"), min_value=need, max_value=most, value=need, step=1,
                            help=ngettext("At least the call's reviews needed ({need}); at most the panel's {n} member.",
                                          "At least the call's reviews needed ({need}); at most the panel's {n} "
                                          "members.", most, need=need))
    load = right.number_input(_("Maximum proposals per member (0: the even share)"), min_value=0, value=0, step=1)
    rule = st.checkbox(_("A member of an applicant's country has a potential conflict"),
                          value=bool(call["same_country_rule"]))
    if rule != bool(call["same_country_rule"]):
        with common.refusals():
            assignment.set_country_rule(conn, user=user, call_id=call["id"], on=rule)
            st.session_state.pop(PLAN, None)
            st.rerun()
    return int(per), (int(load) or None), rule


def _preview(plan: assignment.Plan) -> None:
    names = {r: m.name for r, m in plan.members.items()}
    low, high = plan.share
    share = low if low == high else _("{low} or {high}", low=low, high=high)
    st.markdown(ngettext("Each proposal gets **{members}** members; the even share is **{share}** proposal per member "
                         "(at most {most}).", "Each proposal gets **{members}** members; the even share is **{share}** "
                         "proposals per member (at most {most}).", high, members=plan.per_proposal, share=share,
                         most=plan.max_load))
    for s in plan.short:
        st.warning(ngettext("{entity} lacks {n} member: {reason}.", "{entity} lacks {n} members: {reason}.",
                            s["missing"], entity=common.md(s["entity"]), reason=common.md(s["reason"])))
    for s in plan.fewer_than_asked:
        st.caption(ngettext("{entity} gets {n} member, enough for the call but fewer than asked.",
                            "{entity} gets {n} members, enough for the call but fewer than asked.", s["got"],
                            entity=common.md(s["entity"])))
    for s in plan.same_country:
        entity = next(a["entity"] for a in plan.assignments if a["proposal"] == s["proposal"])
        st.caption(_("Two members of {country} review {entity}: there was no other way within the rules.",
                     country=common.md(s["country"]), entity=common.md(entity)))
    by_member = pd.DataFrame([{
        _("Member"): names[r], _("Proposals"): load,
        _("Regions known"): ", ".join(plan.members[r].regions),
        _("Preferences met"): (_("{met} of {stated}", met=plan.preferences_met[r][0], stated=plan.preferences_met[r][1])
                               if plan.preferences_met.get(r, (0, 0))[1] else _("none stated")),
    } for r, load in plan.loads.items()])
    st.markdown(_("**Per member**"))
    st.dataframe(by_member, hide_index=True, width="stretch")
    avoided = {}
    for d in plan.detected:
        if not d["included"] and not d["assigned"]:
            avoided.setdefault(d["proposal"], []).append(names[d["reviewer"]])
    st.markdown(_("**Per proposal**"))
    entity, members, new, avoided_label = _("Entity"), _("Members"), _("New"), _("Potential conflicts avoided")
    st.dataframe(pd.DataFrame([{
        entity: a["entity"],
        members: ", ".join(names[r] for r in a["reviewers"]),
        new: ", ".join(names[r] for r in a["new"]),
        avoided_label: ", ".join(avoided.get(a["proposal"], [])),
    } for a in plan.assignments]), hide_index=True, width="stretch",
        column_config={entity: tables.text(250), members: tables.text(330), new: tables.text(160),
                       avoided_label: tables.text(160, _("Conflicts avoided"), help=avoided_label)})


def page() -> None:
    conn, user, call = common.open_page(_("Panel assignment"))
    if call is None:
        return
    st.caption(_("The program proposes who reviews what: every proposal gets its members, loads stay even, declared "
                 "conflicts and \"cannot review\" are never assigned, detected potential conflicts are left out "
                 "unless you let them through, two members of one country are kept apart, and preferences and "
                 "regional knowledge are honoured as far as the rest allows. Nothing is saved until you save."))
    st.subheader(_("The panel"))
    _panel_facts(conn, user, call)
    st.subheader(_("Propose an assignment"))
    per, load, _rule = _settings(conn, user, call)
    state = st.session_state.get(PLAN)
    let_through = set(state["let_through"]) if state else set()
    if st.button(_("Propose an assignment"), type="primary"):
        with common.refusals():
            plan = assignment.plan(conn, user=user, call_id=call["id"], per_proposal=per, max_load=load,
                                   let_through=let_through)
            st.session_state[PLAN] = {"call": call["id"], "plan": plan, "let_through": sorted(let_through),
                                      "removed": [], "added": []}
            state = st.session_state[PLAN]
    if not state or state["call"] != call["id"]:
        return
    plan: assignment.Plan = state["plan"]
    names = {r: m.name for r, m in plan.members.items()}
    entities = {a["proposal"]: a["entity"] for a in plan.assignments}
    if plan.detected:
        st.markdown(_("**Potential conflicts detected** — tick those you let through, then propose again."))
        let, member, entity, why, already = (_("Let through"), _("Member"), _("Entity"), _("Why"),
                                             _("Already reviewing"))
        table = pd.DataFrame([{let: d["included"], member: names[d["reviewer"]],
                               entity: entities.get(d["proposal"], ""), why: d["reason"],
                               already: _("yes") if d["assigned"] else ""} for d in plan.detected])
        edited = st.data_editor(table, hide_index=True, width="stretch", disabled=[member, entity, why, already],
                                key="let_through_editor")
        chosen = {(d["reviewer"], d["proposal"]) for d, keep in zip(plan.detected, edited[let]) if keep}
        if chosen != set(state["let_through"]):
            if st.button(_("Propose again with these let through")):
                with common.refusals():
                    state["plan"] = assignment.plan(conn, user=user, call_id=call["id"], per_proposal=per,
                                                    max_load=load, let_through=chosen)
                    state.update(let_through=sorted(chosen), removed=[], added=[])
                    st.rerun()
    _preview(plan)
    proposed = plan.new_pairs
    pairs = [p for i, p in enumerate(proposed) if i not in state["removed"]] + state["added"]
    label = {p: f"{entities.get(p[1], '')} — {names.get(p[0], '')}" for p in proposed + state["added"]}
    with st.expander(_("Adjust before saving")):
        state["removed"] = st.multiselect(_("Leave out these new assignments"), list(range(len(proposed))),
                                          default=state["removed"], format_func=lambda i: label[proposed[i]])
        pairs = [p for i, p in enumerate(proposed) if i not in state["removed"]] + state["added"]
        left, right = st.columns(2)
        add_p = left.selectbox(_("Add: proposal"), list(entities), format_func=entities.get, key="add_p")
        add_r = right.selectbox(_("Add: member"), list(names), format_func=names.get, key="add_r")
        if st.button(_("Add this assignment")):
            if (add_r, add_p) not in pairs and add_r not in next(a["reviewers"] for a in plan.assignments
                                                               if a["proposal"] == add_p):
                state["added"].append((add_r, add_p))
            st.rerun()
    if st.button(ngettext("Save {n} new assignment", "Save {n} new assignments", len(pairs)), type="primary",
                 disabled=not pairs):
        with common.refusals():
            added = assignment.save(conn, user=user, call_id=call["id"], pairs=pairs)
            st.session_state.pop(PLAN, None)
            st.session_state["flash"] = ngettext(
                "Saved {n} assignment. Members see them under My reviews; run the assignment again after new "
                "proposals or conflicts to fill the gaps.", "Saved {n} assignments. Members see them under My "
                "reviews; run the assignment again after new proposals or conflicts to fill the gaps.", added)
            st.rerun()
