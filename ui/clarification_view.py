"""The clarification round as its readers see it beside a proposal: questions, answers, the attached PDF."""

from __future__ import annotations

import streamlit as st

from selection import words
from selection.i18n import N_, _
from selection.services import clarifications
from ui import common


STATE_WORDS = {"answered": N_("answered"), "awaiting an answer": N_("awaiting an answer"),
               "unanswered at its deadline": N_("unanswered at its deadline")}


def _state(r: dict) -> str:
    state = _(STATE_WORDS[r["state"]]) if r["state"] in STATE_WORDS else common.md(r["state"])
    if r["answered_at"]:
        return _("{state} on {date}", state=state, date=words.date(r["answered_at"]))
    return state


def show(conn, user, call, pid: str, criteria: list[dict]) -> None:
    """Every request on the proposal, with its state and answers; nothing when there is none."""
    requests = clarifications.for_proposal(conn, user=user, call_id=call["id"], proposal_id=pid)
    if not requests:
        return
    names = {c["id"]: c["name"] for c in criteria}
    st.markdown(_("**Clarifications asked by the advisory group**"))
    for r in requests:
        st.caption(_("Asked on {asked}, answer due by {due}: {state}", asked=words.date(r["asked_at"]),
                     due=clarifications.day(r["reply_by"]), state=_state(r)))
        for n, q in enumerate(r["questions"]):
            question = common.md(q["question"])
            st.markdown(_("*Question {number} (about {criterion}):* {question}", number=n + 1, question=question,
                          criterion=common.isolated(names.get(q["criterion"], q["criterion"])))
                        if q["criterion"] else _("*Question {number}:* {question}", number=n + 1, question=question))
            if r["answers"]:
                st.markdown(_("*Answer:* {answer}", answer=common.md(r["answers"][n])))
        if r["stored_name"]:
            if st.button(_("Prepare the file {file}", file=common.isolated(r["file_name"])),
                         key=f"prep_clar_{r['id']}"):
                name, data = clarifications.file_bytes(conn, user=user, call_id=call["id"], request_id=r["id"])
                st.download_button(_("Download {file}", file=common.isolated(name)), data, file_name=name,
                                   mime="application/pdf",
                                   key=f"clar_file_{r['id']}")

