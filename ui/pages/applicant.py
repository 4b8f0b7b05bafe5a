"""Applicant: what the call asks for, the organisation's profile, the proposal, files, submission, withdrawal."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from selection import clock, permissions, queries, words
from selection.i18n import N_, _
from selection.services import checklist, clarifications, eligibility, intake
from selection.services.common import criteria_rows
from selection.services.intake import MAX_ATTACHMENT_BYTES
from ui import common, forms
from ui.profile_form import profile_form

STATUS_WORDS = {
    "draft": N_("Draft — not yet submitted"),
    "submitted": N_("Submitted — being screened by the secretariat"),
    "eligible": N_("Eligible — being assessed by the advisory group"),
    "ineligible": N_("Not eligible"),
    "withdrawn": N_("Withdrawn"),
}
CHANGEABLE = ("draft", "submitted")
REMOVING = "applicant:removing"  # the file whose removal awaits its confirmation


def _deadline_open(call) -> bool:
    deadline = call["submission_deadline"]
    return deadline is None or clock.today() <= dt.date.fromisoformat(deadline)


def _about(conn, user, call, first_visit: bool) -> None:
    """The call's own words, who may apply, and the checklist of what to send, ticked off as it is done."""
    with st.expander(_("About this call: who may apply and what to send"), expanded=first_visit):
        if call.get("notification_text"):
            st.markdown(common.md(call["notification_text"]))
        st.markdown(_("Questions until **{questions}** · proposals until **{proposals}**",
                      questions=words.date(call["inquiry_deadline"]),
                      proposals=words.date(call["submission_deadline"])))
        rules = eligibility.conditions(conn, call["id"])
        if rules:
            st.markdown(_("**Who may apply** — the secretariat checks each proposal against these conditions:")
                        + "\n\n"
                        + "\n".join(f"- {common.md(c['text'])}" for c in rules))
        st.markdown(_("**What to send**") + "  \n" + "  \n".join(
            f"{'☑' if part['done'] else '☐'} {common.md(part['item'])}"
            for part in checklist.what_to_send(conn, user=user, call_id=call["id"])))


def _read_only(p, names, criteria) -> None:
    st.subheader(_("2. Your proposal, as submitted"))
    st.caption(_("It has been screened and can no longer be changed."))
    st.markdown(_("**Centres:** {centres}", centres=common.md(", ".join(names.get(s, s) for s in p["slots"]))))
    for label, text in ((_("Statement of interest"), p["statement"]), (_("Summary"), p["summary"])):
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
    labels = {"slots": _("Centres you wish to host"), "statement": _("Statement of interest"), "summary": _("Summary"),
              **{f"sections.{c['id']}": c["name"] for c in criteria}}
    with st.form("proposal"):
        st.subheader(_("2. Expression of interest"))
        chosen = st.multiselect(labels["slots"], list(names), default=p["slots"], format_func=names.get)
        statement = st.text_area(labels["statement"], p["statement"] or "", max_chars=20_000)
        st.subheader(_("3. Detailed proposal"))
        summary = st.text_area(labels["summary"], p["summary"] or "", max_chars=20_000)
        sections = {}
        for c in criteria:
            text_col, guide_col = st.columns([3, 2])
            sections[c["id"]] = text_col.text_area(
                _("{criterion} ({share}% of the score)", criterion=common.isolated(c["name"]),
                  share=words.number(100 * c["weight"] / total_weight, 0)),
                p["sections"].get(c["id"], ""), height=180, key=f"sec_{c['id']}", max_chars=100_000)
            guide_col.caption(_("What to give as evidence"))
            guide_col.markdown(common.md(c["applicant_guidance"] or c["description"] or ""))
        resubmit = p["status"] == "submitted"
        save = st.form_submit_button(_("Save the changes (checked as a new submission)") if resubmit
                                     else _("Save the draft"))
        send = False if resubmit else st.form_submit_button(_("Save and submit the proposal"), type="primary")
    if save or send:
        with common.refusals(), forms.labelled(labels):
            intake.save_draft(conn, user=user, call_id=call["id"], slots=chosen, statement=statement,
                              summary=summary, sections=sections)
            if send:
                receipt = intake.submit(conn, user=user, call_id=call["id"])
                st.session_state["flash"] = _("Proposal submitted. Your receipt: {receipt}.",
                                              receipt=common.isolated(receipt))
            else:
                st.session_state["flash"] = (_("Changes saved; your proposal is still submitted, with a new receipt.")
                                             if resubmit else _("Draft saved. It is not sent until you submit it."))
            st.rerun()


def _files(conn, user, call, proposal) -> None:
    st.subheader(_("4. Supporting documents (PDF)"))
    if proposal is None:
        st.caption(_("Save your proposal (sections 2 and 3) first; then add letters of support, statutes, "
                     "annual reports or audited accounts here."))
        return
    if proposal["status"] not in CHANGEABLE:
        for a in proposal["attachments"]:
            st.markdown(f"{common.md(a['filename'])} ({words.size(a['size'])})")
        return
    for a in proposal["attachments"]:
        name_col, button_col = st.columns([5, 1])
        name_col.markdown(f"{common.md(a['filename'])} ({words.size(a['size'])})")
        if st.session_state.get(REMOVING) != a["id"]:
            if button_col.button(_("Remove"), key=f"remove_{a['id']}"):
                st.session_state[REMOVING] = a["id"]
                st.rerun()
            continue
        with st.container(border=True):
            st.markdown(_("Remove {file} from your proposal?", file=common.isolated(a["filename"])))
            yes, no = st.columns([1, 4])
            if yes.button(_("Yes, remove it"), key=f"remove_yes_{a['id']}", type="primary"):
                st.session_state.pop(REMOVING, None)
                with common.refusals():
                    removed = intake.remove_attachment(conn, user=user, call_id=call["id"], attachment_id=a["id"])
                    st.session_state["flash"] = _changed_files(conn, user, call, proposal,
                                                               _("Removed {file}.", file=common.isolated(removed)))
                    st.rerun()
            if no.button(_("Keep it"), key=f"remove_no_{a['id']}"):
                st.session_state.pop(REMOVING, None)
                st.rerun()
    upload = st.file_uploader(_("Add a PDF (at most {size} MB)", size=MAX_ATTACHMENT_BYTES // (1024 * 1024)),
                              type=["pdf"],
                              key=f"upload_{len(proposal['attachments'])}")
    if upload is not None and st.button(_("Attach the file")):
        with common.refusals():
            intake.add_attachment(conn, user=user, call_id=call["id"], filename=upload.name, data=upload.getvalue())
            st.session_state["flash"] = _changed_files(conn, user, call, proposal,
                                                       _("Attached {file}.", file=common.isolated(upload.name)))
            st.rerun()


def _changed_files(conn, user, call, before: dict, done: str) -> str:
    """What a file change did, and, for a submitted proposal, that its receipt was renewed: the old one no
    longer matches what was sent."""
    after = intake.my_proposal(conn, user=user, call_id=call["id"])
    if not (before["receipt"] and after and after["receipt"] and after["receipt"] != before["receipt"]):
        return done
    return done + " " + _("Your proposal stays submitted. Its receipt is now {new}; it replaces {old}, which no "
                          "longer matches the files sent.", new=common.isolated(after["receipt"]),
                          old=common.isolated(before["receipt"]))


def _withdraw(conn, user, call, proposal) -> None:
    st.subheader(_("5. Withdraw"))
    if proposal is None or proposal["status"] not in CHANGEABLE or not _deadline_open(call):
        st.caption(_("A proposal can be withdrawn until the submission deadline, while it is not yet screened."))
        return
    with st.form("withdraw"):
        reason = st.text_input(_("Why you withdraw (the secretariat reads this)"))
        sure = st.checkbox(_("Yes, withdraw our proposal. It will not be assessed, and this cannot be undone."))
        if st.form_submit_button(_("Withdraw the proposal")):
            if not sure:
                st.error(_("Tick the box to confirm that you withdraw the proposal."))
                return
            with common.refusals(), forms.labelled({"reason": _("Why you withdraw")}):
                intake.withdraw(conn, user=user, call_id=call["id"], reason=reason)
                st.session_state["flash"] = _("Your proposal is withdrawn.")
                st.rerun()


def _summary(conn, user, call, proposal) -> None:
    """The evaluation summary, offered once a host is selected for every centre the proposal applied to."""
    if not permissions.may_read_summary(conn, user, call["id"], proposal["id"]):
        return
    st.download_button(_("Download your evaluation summary (PDF)"),
                       common.summary_on_click(user, call["id"], proposal["id"]),
                       file_name=f"{call['reference']}-evaluation-summary.pdf", mime="application/pdf")


def page() -> None:
    conn, user, call = common.open_page(_("My proposal"))
    if call is None:
        return
    proposal = intake.my_proposal(conn, user=user, call_id=call["id"])
    if proposal:
        outcome = queries.outcome(conn, call["id"], proposal["id"])
        status = (_("Assessed — the outcome is below") if outcome and proposal["status"] == "eligible"
                  else _(STATUS_WORDS[proposal["status"]]))
        st.info(_("**Status:** {status} — {reason}", status=status, reason=common.md(proposal["status_reason"]))
                if proposal["status_reason"] else _("**Status:** {status}", status=status))
        for line in outcome:
            st.success(common.md(line))
        _summary(conn, user, call, proposal)
        if proposal["receipt"] and proposal["submitted_at"]:
            renewed = bool(proposal.get("updated_at")) and proposal["updated_at"] > proposal["submitted_at"]
            st.success(_("Receipt {receipt} — submitted on {moment}; renewed on {renewed}, when the proposal last "
                         "changed (an earlier receipt no longer matches it)", receipt=common.isolated(proposal["receipt"]),
                         moment=words.moment(proposal["submitted_at"], common.time_zone()),
                         renewed=words.moment(proposal["updated_at"], common.time_zone())) if renewed else
                       _("Receipt {receipt} — submitted on {moment}", receipt=common.isolated(proposal["receipt"]),
                         moment=words.moment(proposal["submitted_at"], common.time_zone())))
        for r in clarifications.for_proposal(conn, user=user, call_id=call["id"], proposal_id=proposal["id"]):
            if r["state"] == "awaiting an answer" and not r["answers"]:
                st.warning(_("The advisory group asks you to clarify your proposal: answer its questions under "
                             "**Clarifications** by {date}.", date=clarifications.day(r["reply_by"])))
    _about(conn, user, call, first_visit=proposal is None)
    profile_form(conn, user, call)
    _proposal(conn, user, call, proposal)
    _files(conn, user, call, proposal)
    _withdraw(conn, user, call, proposal)
