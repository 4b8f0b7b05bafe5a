"""The clarification round as its readers see it beside a proposal: questions, answers, the attached PDF."""

from __future__ import annotations

import streamlit as st

from selection import words
from selection.services import clarifications
from ui import common


def show(conn, user, call, pid: str, criteria: list[dict]) -> None:
    """Every request on the proposal, with its state and answers; nothing when there is none."""
    requests = clarifications.for_proposal(conn, user=user, call_id=call["id"], proposal_id=pid)
    if not requests:
        return
    names = {c["id"]: c["name"] for c in criteria}
    st.markdown("**Clarifications asked by the advisory group**")
    for r in requests:
        st.caption(f"Asked on {common.md(words.date(r['asked_at']))}, answer due by {clarifications.day(r['reply_by'])}: "
                   f"{common.md(r['state'])}" + (f" on {common.md(words.date(r['answered_at']))}" if r["answered_at"] else ""))
        for n, q in enumerate(r["questions"]):
            about = f" (about {common.md(names.get(q['criterion'], q['criterion']))})" if q["criterion"] else ""
            st.markdown(f"*Question {n + 1}{about}:* {common.md(q['question'])}")
            if r["answers"]:
                st.markdown(f"*Answer:* {common.md(r['answers'][n])}")
        if r["stored_name"]:
            if st.button(f"Prepare the file {common.md(r['file_name'])}", key=f"prep_clar_{r['id']}"):
                name, data = clarifications.file_bytes(conn, user=user, call_id=call["id"], request_id=r["id"])
                st.download_button(f"Download {common.md(name)}", data, file_name=name, mime="application/pdf",
                                   key=f"clar_file_{r['id']}")

