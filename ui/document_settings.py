"""Call set-up, one section: how the call's documents read (the report's symbol, distribution and
masthead; the letters' signatory and reference). Blank fields take the defaults shown."""

from __future__ import annotations

import streamlit as st

from selection.i18n import N_, _
from selection.report_queries import LABELS, DocumentSettings, Distribution, document_settings
from selection.services import documents
from ui import common

HELP = {
    "symbol": N_("Printed at the top right of the report, e.g. CBD/SBSTTA/TSC/2027/1. Blank: the call's reference."),
    "signatory_name": N_("Who signs the decision letters. Blank: the secretariat's name."),
    "letter_reference": N_("Each letter's reference is this followed by its number. Blank: the call's reference."),
}
# The United Nations' distribution classes, stored as in English and named in the reader's language.
DISTRIBUTION_WORDS = {"Restricted": N_("Restricted"), "Limited": N_("Limited"), "General": N_("General")}


def section(conn, user, call: dict) -> None:
    """The expander with the document settings of ``call``; saves them through the service."""
    current = document_settings(conn, call["id"])
    defaults = DocumentSettings()
    with st.expander(_("Documents: symbol, distribution, signatory")), st.form(f"documents_{call['id']}"):
        values = {}
        for field in LABELS:
            if field == "distribution":
                choices = [d.value for d in Distribution]
                values[field] = st.selectbox(_(LABELS[field]), choices, index=choices.index(current.distribution.value),
                                             format_func=lambda d: _(DISTRIBUTION_WORDS[d]))
                continue
            shown = getattr(current, field) or ""
            default = getattr(defaults, field)
            values[field] = st.text_input(_(LABELS[field]), shown, help=_(HELP[field]) if field in HELP else None,
                                          placeholder=default or "")
        if st.form_submit_button(_("Save the document settings")):
            with common.refusals():
                documents.save_document_settings(conn, user=user, call_id=call["id"], data=values)
                st.success(_("The document settings are saved."))
