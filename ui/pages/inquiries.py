"""Questions and answers: applicants ask; the secretariat answers and publishes to every applicant."""

from __future__ import annotations

import streamlit as st

from selection import words
from selection.i18n import ngettext
from selection.services import inquiries as service
from ui import common, forms


def show_published(conn, call_id: int) -> None:
    answered = service.published(conn, call_id)
    if not answered:
        st.caption("No answers published yet.")
    for q in answered:
        with st.container(border=True):
            st.markdown(f"**Q:** {common.md(q['question'])}")
            st.markdown(f"**A:** {common.md(q['answer'])}")
            st.caption(f"Published {words.date(q['answered_at'])}")


def applicant_page() -> None:
    conn, user, call = common.open_page("Questions and answers")
    if call is None:
        return
    st.write("Every answer is published to all applicants, without your name.")
    with st.form("ask", clear_on_submit=True):
        question = st.text_area("Your question", max_chars=5000)
        if st.form_submit_button("Send the question", type="primary"):
            with common.refusals(), forms.labelled({"question": "Your question"}):
                service.ask(conn, user=user, call_id=call["id"], question=question)
                st.success("Sent. The answer will appear below once the secretariat publishes it.")
    mine = service.mine(conn, user=user, call_id=call["id"])
    if mine:
        st.subheader("Your questions")
        for q in mine:
            state = "answered and published" if q["published"] else "waiting for an answer"
            with st.container(border=True):
                st.markdown(common.md(q["question"]))
                st.caption(state.capitalize())
    st.subheader("Published answers")
    show_published(conn, call["id"])


def secretariat_page() -> None:
    conn, user, call = common.open_page("Questions")
    if call is None:
        return
    waiting = [q for q in service.all_inquiries(conn, user=user, call_id=call["id"]) if not q["published"]]
    st.write(f"{ngettext('{n:,} question', '{n:,} questions', len(waiting))} waiting. An answer is published to every applicant of the call; "
             "reword the question if it names the applicant.")
    for q in waiting:
        with st.form(f"answer_{q['id']}"):
            st.caption(f"Asked by {common.md(q['asker'])} on {words.date(q['asked_at'])}")
            question = st.text_area("Question as it will be published", q["question"], key=f"q_{q['id']}")
            answer = st.text_area("Answer", key=f"a_{q['id']}")
            if st.form_submit_button("Publish the answer to all applicants", type="primary"):
                with common.refusals(), forms.labelled({"question": "Question as it will be published", "answer": "Answer"}):
                    service.answer(conn, user=user, call_id=call["id"], inquiry_id=q["id"], text=answer,
                                   question=question)
                    st.rerun()
    st.subheader("Published")
    show_published(conn, call["id"])
