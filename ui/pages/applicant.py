"""Applicant: the organisation's profile, the expression of interest and proposal, files, submission, status."""

from __future__ import annotations

import streamlit as st

from selection import queries
from selection.services import intake
from selection.services.common import criteria_rows
from selection.services.intake import MAX_ATTACHMENT_BYTES
from ui import common, words

STATUS_WORDS = {
    "draft": "Draft — not yet submitted",
    "submitted": "Submitted — being screened by the secretariat",
    "eligible": "Eligible — being assessed by the advisory group",
    "ineligible": "Not eligible",
    "withdrawn": "Withdrawn",
}


def _profile(conn, user, call) -> None:
    entity = next(iter(conn.query("SELECT * FROM entities WHERE call_id = ? AND account_id = ?",
                                  [call["id"], user.id])), {})
    with st.form("profile"):
        st.subheader("1. Your organisation")
        name = st.text_input("Name of the organisation", entity.get("name") or "")
        c1, c2, c3 = st.columns(3)
        acronym = c1.text_input("Acronym", entity.get("acronym") or "")
        country = c2.text_input("Country (ISO code, e.g. KE)", entity.get("country") or "", max_chars=2)
        kinds = ["intergovernmental", "research institute", "university", "non-governmental", "government agency",
                 "other"]
        kind = c3.selectbox("Kind", kinds, index=kinds.index(entity["kind"]) if entity.get("kind") in kinds else None,
                            placeholder="Choose the kind of organisation")
        website = st.text_input("Website", entity.get("website") or "")
        email = st.text_input("Contact e-mail", entity.get("contact_email") or user.email or "")
        if st.form_submit_button("Save the profile"):
            with common.refusals():
                intake.save_profile(conn, user=user, call_id=call["id"], profile={
                    "name": name, "acronym": acronym, "country": country, "kind": kind,
                    "website": website, "contact_email": email})
                st.success("Profile saved.")


def _proposal(conn, user, call, proposal) -> None:
    slots = list(conn.query("SELECT id, name FROM slots WHERE call_id = ? ORDER BY position", [call["id"]]))
    names = {s["id"]: s["name"] for s in slots}
    criteria = criteria_rows(conn, call["id"])
    total_weight = sum(c["weight"] for c in criteria)
    p = proposal or {"slots": [], "statement": "", "summary": "", "sections": {}}
    if p.get("status") in ("eligible", "ineligible", "withdrawn"):
        st.subheader("2. Your proposal, as submitted")
        st.caption("It has been screened and can no longer be changed.")
        st.markdown("**Centres:** " + common.md(", ".join(names.get(s, s) for s in p["slots"])))
        for label, text in (("Statement of interest", p["statement"]), ("Summary", p["summary"])):
            st.markdown(f"**{label}**")
            st.markdown(common.md(text or "—"))
        for c in criteria:
            st.markdown(f"**{common.md(c['name'])}**")
            st.markdown(common.md(p["sections"].get(c["id"], "—")))
        return
    with st.form("proposal"):
        st.subheader("2. Expression of interest")
        chosen = st.multiselect("Centres you wish to host", list(names), default=p["slots"], format_func=names.get)
        statement = st.text_area("Statement of interest", p["statement"] or "", max_chars=20_000)
        st.subheader("3. Detailed proposal")
        summary = st.text_area("Summary", p["summary"] or "", max_chars=20_000)
        sections = {}
        for c in criteria:
            text_col, guide_col = st.columns([3, 2])
            sections[c["id"]] = text_col.text_area(
                f"{c['name']} ({100 * c['weight'] / total_weight:.0f} % of the score)",
                p["sections"].get(c["id"], ""), height=180, key=f"sec_{c['id']}", max_chars=100_000)
            guide_col.caption("What to give as evidence")
            guide_col.markdown(common.md(c["applicant_guidance"] or c["description"] or ""))
        label = "Save the draft" if p.get("status", "draft") == "draft" else "Save the changes (checked as a new submission)"
        if st.form_submit_button(label):
            with common.refusals():
                intake.save_draft(conn, user=user, call_id=call["id"], slots=chosen, statement=statement,
                                  summary=summary, sections=sections)
                st.success("Draft saved.")
                st.rerun()


def _files(conn, user, call, proposal) -> None:
    st.subheader("4. Supporting documents (PDF)")
    for a in proposal["attachments"]:
        st.markdown(f"- {common.md(a['filename'])} ({words.size(a['size'])})")
    upload = st.file_uploader(f"Add a PDF (at most {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB)", type=["pdf"],
                              key=f"upload_{len(proposal['attachments'])}")
    if upload is not None and st.button("Attach the file"):
        with common.refusals():
            intake.add_attachment(conn, user=user, call_id=call["id"], filename=upload.name, data=upload.getvalue())
            st.rerun()


def page() -> None:
    conn, user, call = common.open_page("My proposal")
    if call is None:
        return
    st.caption(f"Questions until {words.date(call['inquiry_deadline'])} · proposals until "
               f"{words.date(call['submission_deadline'])}")
    proposal = intake.my_proposal(conn, user=user, call_id=call["id"])
    if proposal:
        st.info(f"**Status:** {STATUS_WORDS[proposal['status']]}"
                + (f" — {common.md(proposal['status_reason'])}" if proposal["status_reason"] else ""))
        for line in queries.outcome(conn, call["id"], proposal["id"]):
            st.success(line)
        if proposal["receipt"]:
            st.success(f"Receipt {proposal['receipt']} — submitted "
                       f"{words.moment(proposal['submitted_at'], common.time_zone())}")
    _profile(conn, user, call)
    _proposal(conn, user, call, proposal)
    if proposal is None:
        return
    if proposal["status"] in ("draft", "submitted"):
        _files(conn, user, call, proposal)
    if proposal["status"] == "draft":
        st.subheader("5. Submit")
        if st.button("Submit the proposal", type="primary"):
            with common.refusals():
                receipt = intake.submit(conn, user=user, call_id=call["id"])
                st.session_state["flash"] = f"Proposal submitted. Your receipt: {receipt}"
                st.rerun()
