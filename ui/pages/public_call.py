"""Anyone, before signing in: the published call as applicants read it, so an institution can decide to register.

The secretariat sees the same view before publishing (``show_call``), so what
it confirms is exactly what applicants will read.
"""

from __future__ import annotations

import streamlit as st

from selection import words
from selection.i18n import N_, _
from selection.services import calls as call_service
from ui import common

LEVELS = {"global": N_("global"), "regional": N_("regional"), "subregional": N_("subregional")}


def _day(day) -> str:
    return words.date(day) if day else _("not set yet")


def _num(x: float) -> str:
    return words.score(x)


def _slot(s: dict) -> str:
    level = _(LEVELS[s["level"]]) if s["level"] in LEVELS else common.md(s["level"])
    if s["region"]:
        return _("{name} ({level}, {region})", name=common.isolated(s["name"]), level=level,
                 region=common.isolated(s["region"]))
    return _("{name} ({level})", name=common.isolated(s["name"]), level=level)


def show_call(view: dict) -> None:
    """One call's text, slots, criteria with weights and guidance, dates, amendments and answers."""
    st.header(common.md(view["title"]))
    reference, day = common.isolated(view["reference"]), _day(view["published_on"])
    st.caption(_("Call {reference} · published on {date} by {secretariat}", reference=reference, date=day,
                 secretariat=common.isolated(view["secretariat_name"])) if view["secretariat_name"]
               else _("Call {reference} · published on {date}", reference=reference, date=day))
    if view.get("original"):
        st.caption(_("Parts of this call are shown in {language}, the language it was written in: no translation "
                     "of them is given yet.", language=view["original"]))
    if view["notification_text"]:
        st.markdown(common.md(view["notification_text"]))
    for a in view["amendments"]:
        st.warning(_("Amended on {date}: {notice}", date=_day(a["on"]), notice=common.md(a["notice"])))
    st.subheader(_("Dates"))
    st.markdown("\n".join(f"- {_(label)}: **{_day(day)}**" for label, day in view["dates"]))
    if view.get("conditions"):
        st.subheader(_("Who may apply"))
        st.markdown(_("The secretariat checks each proposal against these conditions:") + "\n\n"
                    + "\n".join(f"- {common.md(text)}" for text in view["conditions"]))
    st.subheader(_("Centres to host"))
    st.markdown("  \n".join(f"• {_slot(s)}" for s in view["slots"]))
    st.subheader(_("How proposals are assessed"))
    st.write(_("The advisory group scores each proposal on each criterion from {low} to {high} (in steps of "
               "{step}); at least {reviews} members score each proposal. The weighted total decides the ranking; "
               "the top three of each centre are shortlisted.", low=_num(view["scale_min"]),
               high=_num(view["scale_max"]), step=_num(view["scale_step"]), reviews=view["min_reviews"]))
    for c in view["criteria"]:
        with st.container(border=True):
            weight = words.percent(c["share"] / 100)
            st.markdown(_("**{criterion}** — weight {weight}, at least {threshold} needed",
                          criterion=common.isolated(c["name"]), weight=weight, threshold=_num(c["threshold"]))
                        if c["threshold"] is not None
                        else _("**{criterion}** — weight {weight}", criterion=common.isolated(c["name"]),
                               weight=weight))
            if c["description"]:
                st.markdown(common.md(c["description"]))
            if c["applicant_guidance"]:
                st.markdown(_("*What to show:* {guidance}", guidance=common.md(c["applicant_guidance"])))
            if c["anchors"]:
                lo, hi = view["scale_min"], view["scale_max"]
                st.caption(" · ".join(f"{_num(lo + k * (hi - lo) / 5)}: {common.md(text)}"
                                      for k, text in sorted(c["anchors"].items())))
    st.subheader(_("Questions and answers"))
    if not view["answers"]:
        st.caption(_("No answers published yet. Registered applicants may ask questions; every answer is "
                     "published here for all."))
    for q in view["answers"]:
        with st.container(border=True):
            st.markdown(_("**Q:** {question}", question=common.md(q["question"])))
            st.markdown(_("**A:** {answer}", answer=common.md(q["answer"])))


def page() -> None:
    conn = common.db()
    st.title(_("Open calls"))
    published = call_service.published_calls(conn)
    if not published:
        st.info(_("No call is open at the moment."))
        return
    st.write(_("Read the call before you register. To apply, register your organisation on the sign-in page."))
    ref = st.selectbox(_("Call"), [c["reference"] for c in published], key="public_call",
                       format_func=lambda r: next(f"{c['reference']} — {c['title']}" for c in published
                                                  if c["reference"] == r))
    show_call(call_service.public_view(conn, next(c["id"] for c in published if c["reference"] == ref)))
