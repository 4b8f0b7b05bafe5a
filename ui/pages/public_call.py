"""Anyone, before signing in: the published call as applicants read it, so an institution can decide to register.

The secretariat sees the same view before publishing (``show_call``), so what
it confirms is exactly what applicants will read.
"""

from __future__ import annotations

import streamlit as st

from selection import words
from selection.services import calls as call_service
from ui import common

LEVELS = {"global": "Global", "regional": "Regional", "subregional": "Subregional"}


def _day(day) -> str:
    return words.date(day) if day else "not set yet"


def _num(x: float) -> str:
    return f"{x:g}"


def show_call(view: dict) -> None:
    """One call's text, slots, criteria with weights and guidance, dates, amendments and answers."""
    st.header(common.md(view["title"]))
    st.caption(f"Call {common.md(view['reference'])} · published on {_day(view['published_on'])}"
               + (f" by {common.md(view['secretariat_name'])}" if view["secretariat_name"] else ""))
    if view["notification_text"]:
        st.markdown(common.md(view["notification_text"]))
    for a in view["amendments"]:
        st.warning(f"Amended on {_day(a['on'])}: {common.md(a['notice'])}")
    st.subheader("Dates")
    st.markdown("\n".join(f"- {label}: **{_day(day)}**" for label, day in view["dates"]))
    st.subheader("Centres to host")
    st.markdown("  \n".join(f"• {common.md(s['name'])} ({LEVELS.get(s['level'], s['level']).lower()}"
                            + (f", {common.md(s['region'])})" if s["region"] else ")") for s in view["slots"]))
    st.subheader("How proposals are assessed")
    st.write(f"The advisory group scores each proposal on each criterion from {_num(view['scale_min'])} to "
             f"{_num(view['scale_max'])} (in steps of {_num(view['scale_step'])}); at least "
             f"{view['min_reviews']} members score each proposal. The weighted total decides the ranking; the top "
             "three of each centre are shortlisted.")
    for c in view["criteria"]:
        with st.container(border=True):
            st.markdown(f"**{common.md(c['name'])}** — weight {c['share']:.0f}%"
                        + (f", at least {_num(c['threshold'])} needed" if c["threshold"] is not None else ""))
            if c["description"]:
                st.markdown(common.md(c["description"]))
            if c["applicant_guidance"]:
                st.markdown(f"*What to show:* {common.md(c['applicant_guidance'])}")
            if c["anchors"]:
                lo, hi = view["scale_min"], view["scale_max"]
                st.caption(" · ".join(f"{_num(lo + k * (hi - lo) / 5)}: {common.md(words)}"
                                      for k, words in sorted(c["anchors"].items())))
    st.subheader("Questions and answers")
    if not view["answers"]:
        st.caption("No answers published yet. Registered applicants may ask questions; every answer is published "
                   "here for all.")
    for q in view["answers"]:
        with st.container(border=True):
            st.markdown(f"**Q:** {common.md(q['question'])}")
            st.markdown(f"**A:** {common.md(q['answer'])}")


def page() -> None:
    conn = common.db()
    st.title("Open calls")
    published = call_service.published_calls(conn)
    if not published:
        st.info("No call is open at the moment.")
        return
    st.write("Read the call before you register. To apply, register your organisation on the sign-in page.")
    ref = st.selectbox("Call", [c["reference"] for c in published], key="public_call",
                       format_func=lambda r: next(f"{c['reference']} — {c['title']}" for c in published
                                                  if c["reference"] == r))
    show_call(call_service.public_view(conn, next(c["id"] for c in published if c["reference"] == ref)))
