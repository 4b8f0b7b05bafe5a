"""Secretariat and Bureau: the assessment report (PDF) in any of the six languages and the tables behind it
(CSV, XLSX); the secretariat also downloads the evaluation summaries and the decision letters."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from reports import assessment, exports, letters, summaries
from selection import clock, i18n, words
from selection.i18n import _
from selection.permissions import may_manage_call, may_read_report, require
from ui import common

REPORT_KEY = "report_pdf"  # session state: (reference, language, PDF bytes, when it was made)


def _prepared(ref: str, key: str, asked: tuple[str, str], build: Callable[[], bytes], offered: tuple[str, str, str],
              **look) -> None:
    """A document built when asked (it takes seconds), kept for this call in the session, then offered:
    ``asked`` is the button's label and the spinner's words, ``offered`` the download's label, file name, type."""
    if st.button(asked[0], **look):
        with st.spinner(asked[1]):
            st.session_state[key] = (ref, build())
    built = st.session_state.get(key)
    if built and built[0] == ref:
        label, file_name, mime = offered
        st.download_button(label, common.on_click(built[1]), file_name=file_name, mime=mime, **look)


def _report(conn, ref: str) -> None:
    """The report in the language chosen (the page's by default); once made, when it was made, to make it again."""
    codes = list(i18n.LANGUAGES)
    lang = st.selectbox(_("Language of the report"), codes, key="report_language_select",
                        index=codes.index(i18n.language()) if i18n.language() in codes else codes.index(i18n.DEFAULT),
                        format_func=i18n.LANGUAGES.get)
    built = st.session_state.get(REPORT_KEY)
    current = built is not None and built[:2] == (ref, lang)
    if st.button(_("Make the report again") if current else _("Generate the report"), type="primary"):
        with st.spinner(_("Building the PDF…")):
            st.session_state[REPORT_KEY] = (ref, lang, assessment.build(conn, ref, lang=lang), clock.now())
        st.rerun()  # the button's label and the time the PDF was made, as they now are
    if current:
        st.caption(_("This PDF, in {language}, was made on {moment}.", language=i18n.language_name(lang),
                     moment=words.moment(built[3], common.time_zone())))
        st.download_button(_("Download the PDF"), common.on_click(built[2]), file_name=f"{ref}-assessment-{lang}.pdf",
                           mime="application/pdf", type="primary")


def page() -> None:
    conn, user, call = common.open_page(_("Assessment report"))
    if call is None:
        return
    ref = call["reference"]
    with common.refusals():
        require(may_read_report(user), _("Only the secretariat and the Bureau read the assessment report."))
        st.write(_("The report lists the top three per slot and explains how the criteria were applied."))
        _report(conn, ref)

        st.subheader(_("Rankings, scores and analytics"))
        st.caption(_("The figures of the report as tables (and, once made, the Bureau's advice and the selection): "
                     "a zip of CSV files, or one workbook with a sheet each."))
        if st.button(_("Prepare the tables")):
            with st.spinner(_("Computing the rankings and the analytics…")):
                frames = exports.tables(conn, ref)
                st.session_state["report_tables"] = (ref, exports.to_csv_zip(frames), exports.to_xlsx(frames))
        tables = st.session_state.get("report_tables")
        if tables and tables[0] == ref:
            left, right = st.columns(2)
            left.download_button(_("Download CSV (zip)"), common.on_click(tables[1]),
                                 file_name=f"{ref}{exports.SUFFIX['csv']}", mime=exports.MIME["csv"])
            right.download_button(_("Download XLSX"), common.on_click(tables[2]),
                                  file_name=f"{ref}{exports.SUFFIX['xlsx']}", mime=exports.MIME["xlsx"])

        if may_manage_call(user):
            st.subheader(_("Evaluation summaries"))
            st.caption(_("One PDF per applicant, named by its organisation: its scores, the advisory group's "
                         "comments, its rank and outcome for each centre. Each applicant downloads its own from its "
                         "page once a host is selected for every centre it applied to."))
            _prepared(ref, "report_summaries",
                      (_("Prepare the evaluation summaries"), _("Writing one summary per applicant…")),
                      lambda: summaries.build_all(conn, ref),
                      (_("Download the evaluation summaries (zip)"), f"{ref}-evaluation-summaries.zip",
                       "application/zip"))

            st.subheader(_("Decision letters"))
            if not letters.pending(conn, ref):
                st.info(_("No selection is recorded yet: record it under Decision and follow-up, then write the "
                          "letters here."))
                return
            st.caption(_("One letter per entity, covering every centre it applied for: to each selected entity, with "
                         "its acceptance deadline, to the entities on a reserve list, and to every other applicant "
                         "for the centres decided. All in one PDF (a bookmark per letter), or one PDF per letter in a "
                         "zip."))
            if st.button(_("Prepare the letters")):
                with st.spinner(_("Writing the letters…")):
                    made = letters.build_set(conn, ref)
                    st.session_state["report_letters"] = (ref, made.pdf, made.zipped(), len(made))
            built = st.session_state.get("report_letters")
            if built and built[0] == ref:
                st.write(i18n.ngettext("{count} letter written.", "{count} letters written.", built[3],
                                       count=words.number(built[3], 0)))
                left, right = st.columns(2)
                left.download_button(_("Download the letters (PDF)"), common.on_click(built[1]),
                                     file_name=f"{ref}-letters.pdf", mime="application/pdf")
                right.download_button(_("Download one PDF per letter (zip)"), common.on_click(built[2]),
                                      file_name=f"{ref}-letters.zip", mime="application/zip")
