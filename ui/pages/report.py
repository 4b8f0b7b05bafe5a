"""Secretariat and Bureau: generate the assessment report and download it as a PDF."""

from __future__ import annotations

import streamlit as st

from reports import assessment
from selection.permissions import may_read_report, require
from ui import common


def page() -> None:
    conn = common.db()
    user = common.current_user(conn)
    st.title("Assessment report")
    call = common.need_call(conn, user)
    if call is None:
        return
    with common.refusals():
        require(may_read_report(user), "Only the secretariat and the Bureau read the assessment report.")
        st.write("The report lists the top three per slot and explains how the criteria were applied.")
        if st.button("Generate the report", type="primary"):
            with st.spinner("Building the PDF…"):
                st.session_state["report_pdf"] = (call["reference"], assessment.build(conn, call["reference"]))
        built = st.session_state.get("report_pdf")
        if built and built[0] == call["reference"]:
            st.download_button("Download the PDF", built[1], file_name=f"{call['reference']}-assessment.pdf",
                               mime="application/pdf", type="primary")
