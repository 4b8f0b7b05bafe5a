"""Secretariat and Bureau: the assessment report (PDF) and the tables behind it (CSV, XLSX);
the secretariat also downloads the decision letters."""

from __future__ import annotations

import streamlit as st

from reports import assessment, exports, letters, summaries
from selection.permissions import may_manage_call, may_read_report, require
from ui import common


def page() -> None:
    conn, user, call = common.open_page("Assessment report")
    if call is None:
        return
    ref = call["reference"]
    with common.refusals():
        require(may_read_report(user), "Only the secretariat and the Bureau read the assessment report.")
        st.write("The report lists the top three per slot and explains how the criteria were applied.")
        if st.button("Generate the report", type="primary"):
            with st.spinner("Building the PDF…"):
                st.session_state["report_pdf"] = (ref, assessment.build(conn, ref))
        built = st.session_state.get("report_pdf")
        if built and built[0] == ref:
            st.download_button("Download the PDF", common.on_click(built[1]), file_name=f"{ref}-assessment.pdf",
                               mime="application/pdf", type="primary")

        st.subheader("Rankings, scores and analytics")
        st.caption("The figures of the report as tables: a zip of CSV files, or one workbook with a sheet each.")
        if st.button("Prepare the tables"):
            with st.spinner("Computing the rankings and the analytics…"):
                frames = exports.tables(conn, ref)
                st.session_state["report_tables"] = (ref, exports.to_csv_zip(frames), exports.to_xlsx(frames))
        tables = st.session_state.get("report_tables")
        if tables and tables[0] == ref:
            left, right = st.columns(2)
            left.download_button("Download CSV (zip)", common.on_click(tables[1]), file_name=f"{ref}{exports.SUFFIX['csv']}",
                                 mime=exports.MIME["csv"])
            right.download_button("Download XLSX", common.on_click(tables[2]), file_name=f"{ref}{exports.SUFFIX['xlsx']}",
                                  mime=exports.MIME["xlsx"])

        if may_manage_call(user):
            st.subheader("Evaluation summaries")
            st.caption("One PDF per applicant, named by its organisation: its scores, the advisory group's comments, "
                       "its rank and outcome for each centre. Each applicant downloads its own from its page once a "
                       "host is selected for every centre it applied to.")
            if st.button("Prepare the evaluation summaries"):
                with st.spinner("Writing one summary per applicant…"):
                    st.session_state["report_summaries"] = (ref, summaries.build_all(conn, ref))
            built = st.session_state.get("report_summaries")
            if built and built[0] == ref:
                st.download_button("Download the evaluation summaries (zip)", common.on_click(built[1]),
                                   file_name=f"{ref}-evaluation-summaries.zip", mime="application/zip")

            st.subheader("Decision letters")
            if not letters.pending(conn, ref):
                st.info("No selection is recorded yet: record it under Decision and follow-up, then write the "
                        "letters here.")
                return
            st.caption("One PDF, a letter per page: to each selected entity, with its acceptance deadline, and to "
                       "every other applicant for those slots.")
            if st.button("Prepare the letters"):
                with st.spinner("Writing the letters…"):
                    st.session_state["report_letters"] = (ref, letters.build(conn, ref))
            built = st.session_state.get("report_letters")
            if built and built[0] == ref:
                st.download_button("Download the letters (PDF)", common.on_click(built[1]), file_name=f"{ref}-letters.pdf",
                                   mime="application/pdf")
