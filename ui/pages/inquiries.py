"""Questions and answers: applicants ask; the secretariat answers and publishes to every applicant."""

from __future__ import annotations

import streamlit as st

from selection import words
from selection.i18n import _, ngettext
from selection.services import inquiries as service
from ui import common, forms


def show_published(conn, call_id: int) -> None:
    answered = service.published(conn, call_id)
    if not answered:
        st.caption(_("No answers published yet."))
    for q in answered:
        with st.container(border=True):
            st.markdown(_("**Q:** {question}", question=common.md(q["question"])))
            st.markdown(_("**A:** {answer}", answer=common.md(q["answer"])))
            st.caption(_("Published {date}", date=words.date(q["answered_at"])))


def applicant_page() -> None:
    conn, user, call = common.open_page(_("Questions and answers"))
    if call is None:
        return
    st.write(_("Every answer is published to all applicants, without your name."))
    with st.form("ask", clear_on_submit=True):
        question = st.text_area(_("Your question"), max_chars=5000)
        if st.form_submit_button(_("Send the question"), type="primary"):
            with common.refusals(), forms.labelled({"question": _("Your question")}):
                service.ask(conn, user=user, call_id=call["id"], question=question)
                st.success(_("Sent. The answer will appear below once the secretariat publishes it."))
    mine = service.mine(conn, user=user, call_id=call["id"])
    if mine:
        st.subheader(_("Your questions"))
        for q in mine:
            state = _("Answered and published") if q["published"] else _("Waiting for an answer")
            with st.container(border=True):
                st.markdown(common.md(q["question"]))
                st.caption(state)
    st.subheader(_("Published answers"))
    show_published(conn, call["id"])


def secretariat_page() -> None:
    conn, user, call = common.open_page(_("Questions"))
    if call is None:
        return
    waiting = [q for q in service.all_inquiries(conn, user=user, call_id=call["id"]) if not q["published"]]
    st.write(ngettext("{n} question waiting. An answer is published to every applicant of the call; reword the "
                      "question if it names the applicant.", "{n} questions waiting. An answer is published to every "
                      "applicant of the call; reword the question if it names the applicant.", len(waiting)))
    for q in waiting:
        with st.form(f"answer_{q['id']}"):
            st.caption(_("Asked by {name} on {date}", name=common.md(q["asker"]), date=words.date(q["asked_at"])))
            question = st.text_area(_("Question as it will be published"), q["question"], key=f"q_{q['id']}")
            answer = st.text_area(_("Answer"), key=f"a_{q['id']}")
            if st.form_submit_button(_("Publish the answer to all applicants"), type="primary"):
                with common.refusals(), forms.labelled({"question": _("Question as it will be published"),
                                                        "answer": _("Answer")}):
                    service.answer(conn, user=user, call_id=call["id"], inquiry_id=q["id"], text=answer,
                                   question=question)
                    st.rerun()
    st.subheader(_("Published"))
    show_published(conn, call["id"])
