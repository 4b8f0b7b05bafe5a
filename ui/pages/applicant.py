"""Applicant: what the call asks for, the organisation's profile, the proposal, files, submission, withdrawal."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from selection import clock, permissions, queries, words
from selection.services import checklist, clarifications, eligibility, intake
from selection.services.common import criteria_rows
from selection.services.intake import MAX_ATTACHMENT_BYTES
from ui import common, forms
from ui.profile_form import profile_form

STATUS_WORDS = {
    "draft": "Draft — not yet submitted",
    "submitted": "Submitted — being screened by the secretariat",
    "eligible": "Eligible — being assessed by the advisory group",
    "ineligible": "Not eligible",
    "withdrawn": "Withdrawn",
}
CHANGEABLE = ("draft", "submitted")


def _deadline_open(call) -> bool:
    deadline = call["submission_deadline"]
    return deadline is None or clock.today() <= dt.date.fromisoformat(deadline)


def _about(conn, user, call, first_visit: bool) -> None:
    """The call's own words, who may apply, and the checklist of what to send, ticked off as it is done."""
    with st.expander("About this call: who may apply and what to send", expanded=first_visit):
        if call.get("notification_text"):
            st.markdown(common.md(call["notification_text"]))
        st.markdown(f"Questions until **{words.date(call['inquiry_deadline'])}** · proposals until "
                    f"**{words.date(call['submission_deadline'])}**")
        rules = eligibility.conditions(conn, call["id"])
        if rules:
            st.markdown("**Who may apply** — the secretariat checks each proposal against these conditions:\n\n"
                        + "\n".join(f"- {common.md(c['text'])}" for c in rules))
        st.markdown("**What to send**  \n" + "  \n".join(
            f"{'☑' if part['done'] else '☐'} {common.md(part['item'])}"
            for part in checklist.what_to_send(conn, user=user, call_id=call["id"])))


def _read_only(p, names, criteria) -> None:
    st.subheader("2. Your proposal, as submitted")
    st.caption("It has been screened and can no longer be changed.")
    st.markdown("**Centres:** " + common.md(", ".join(names.get(s, s) for s in p["slots"])))
    for label, text in (("Statement of interest", p["statement"]), ("Summary", p["summary"])):
        st.markdown(f"**{label}**")
        st.markdown(common.md(text or "—"))
    for c in criteria:
        st.markdown(f"**{common.md(c['name'])}**")
        st.markdown(common.md(p["sections"].get(c["id"], "—")))


def _proposal(conn, user, call, proposal) -> None:
    names = queries.slot_names(conn, call["id"])
    criteria = criteria_rows(conn, call["id"])
    total_weight = sum(c["weight"] for c in criteria)
    p = proposal or {"slots": [], "statement": "", "summary": "", "sections": {}, "status": "draft"}
    if p["status"] not in CHANGEABLE:
        _read_only(p, names, criteria)
        return
    labels = {"slots": "Centres you wish to host", "statement": "Statement of interest", "summary": "Summary",
              **{f"sections.{c['id']}": c["name"] for c in criteria}}
    with st.form("proposal"):
        st.subheader("2. Expression of interest")
        chosen = st.multiselect(labels["slots"], list(names), default=p["slots"], format_func=names.get)
        statement = st.text_area(labels["statement"], p["statement"] or "", max_chars=20_000)
        st.subheader("3. Detailed proposal")
        summary = st.text_area(labels["summary"], p["summary"] or "", max_chars=20_000)
        sections = {}
        for c in criteria:
            text_col, guide_col = st.columns([3, 2])
            sections[c["id"]] = text_col.text_area(
                f"{c['name']} ({100 * c['weight'] / total_weight:.0f} % of the score)",
                p["sections"].get(c["id"], ""), height=180, key=f"sec_{c['id']}", max_chars=100_000)
            guide_col.caption("What to give as evidence")
            guide_col.markdown(common.md(c["applicant_guidance"] or c["description"] or ""))
        resubmit = p["status"] == "submitted"
        save = st.form_submit_button("Save the changes (checked as a new submission)" if resubmit
                                     else "Save the draft")
        send = False if resubmit else st.form_submit_button("Save and submit the proposal", type="primary")
    if save or send:
        with common.refusals(), forms.labelled(labels):
            intake.save_draft(conn, user=user, call_id=call["id"], slots=chosen, statement=statement,
                              summary=summary, sections=sections)
            if send:
                receipt = intake.submit(conn, user=user, call_id=call["id"])
                st.session_state["flash"] = f"Proposal submitted. Your receipt: {receipt}."
            else:
                st.session_state["flash"] = ("Changes saved; your proposal is still submitted, with a new receipt."
                                             if resubmit else "Draft saved. It is not sent until you submit it.")
            st.rerun()


def _files(conn, user, call, proposal) -> None:
    st.subheader("4. Supporting documents (PDF)")
    if proposal is None:
        st.caption("Save your proposal (sections 2 and 3) first; then add letters of support, statutes, "
                   "annual reports or audited accounts here.")
        return
    if proposal["status"] not in CHANGEABLE:
        for a in proposal["attachments"]:
            st.markdown(f"{common.md(a['filename'])} ({words.size(a['size'])})")
        return
    for a in proposal["attachments"]:
        name_col, button_col = st.columns([5, 1])
        name_col.markdown(f"{common.md(a['filename'])} ({words.size(a['size'])})")
        if button_col.button("Remove", key=f"remove_{a['id']}"):
            with common.refusals():
                removed = intake.remove_attachment(conn, user=user, call_id=call["id"], attachment_id=a["id"])
                st.session_state["flash"] = f"Removed {removed}."
                st.rerun()
    upload = st.file_uploader(f"Add a PDF (at most {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB)", type=["pdf"],
                              key=f"upload_{len(proposal['attachments'])}")
    if upload is not None and st.button("Attach the file"):
        with common.refusals():
            intake.add_attachment(conn, user=user, call_id=call["id"], filename=upload.name, data=upload.getvalue())
            st.session_state["flash"] = f"Attached {upload.name}."
            st.rerun()


def _withdraw(conn, user, call, proposal) -> None:
    st.subheader("5. Withdraw")
    if proposal is None or proposal["status"] not in CHANGEABLE or not _deadline_open(call):
        st.caption("A proposal can be withdrawn until the submission deadline, while it is not yet screened.")
        return
    with st.form("withdraw"):
        reason = st.text_input("Why you withdraw (the secretariat reads this)")
        sure = st.checkbox("Yes, withdraw our proposal. It will not be assessed, and this cannot be undone.")
        if st.form_submit_button("Withdraw the proposal"):
            if not sure:
                st.error("Tick the box to confirm that you withdraw the proposal.")
                return
            with common.refusals(), forms.labelled({"reason": "Why you withdraw"}):
                intake.withdraw(conn, user=user, call_id=call["id"], reason=reason)
                st.session_state["flash"] = "Your proposal is withdrawn."
                st.rerun()


def _summary(conn, user, call, proposal) -> None:
    """The evaluation summary, offered once a host is selected for every centre the proposal applied to."""
    if not permissions.may_read_summary(conn, user, call["id"], proposal["id"]):
        return
    st.download_button("Download your evaluation summary (PDF)",
                       common.summary_on_click(user, call["id"], proposal["id"]),
                       file_name=f"{call['reference']}-evaluation-summary.pdf", mime="application/pdf")


def page() -> None:
    conn, user, call = common.open_page("My proposal")
    if call is None:
        return
    proposal = intake.my_proposal(conn, user=user, call_id=call["id"])
    if proposal:
        outcome = queries.outcome(conn, call["id"], proposal["id"])
        status = ("Assessed — the outcome is below" if outcome and proposal["status"] == "eligible"
                  else STATUS_WORDS[proposal["status"]])
        st.info(f"**Status:** {status}"
                + (f" — {common.md(proposal['status_reason'])}" if proposal["status_reason"] else ""))
        for line in outcome:
            st.success(common.md(line))
        _summary(conn, user, call, proposal)
        if proposal["receipt"] and proposal["submitted_at"]:
            st.success(f"Receipt {proposal['receipt']} — submitted on "
                       f"{words.moment(proposal['submitted_at'], common.time_zone())}")
        for r in clarifications.for_proposal(conn, user=user, call_id=call["id"], proposal_id=proposal["id"]):
            if r["state"] == "awaiting an answer" and not r["answers"]:
                st.warning(f"The advisory group asks you to clarify your proposal: answer its questions under "
                           f"**Clarifications** by {clarifications.day(r['reply_by'])}.")
    _about(conn, user, call, first_visit=proposal is None)
    profile_form(conn, user, call)
    _proposal(conn, user, call, proposal)
    _files(conn, user, call, proposal)
    _withdraw(conn, user, call, proposal)
