"""An applicant's organisation profile: the words for its fields and kinds, and the profile as a reader sees it."""

from __future__ import annotations

import json

import streamlit as st

from selection import countries
from selection.i18n import N_, _
from ui import common

KINDS = ["intergovernmental", "research institute", "university", "non-governmental", "government agency", "other"]
# The stored codes named as people say them (a code is translated where it is shown, never stored translated).
KIND_WORDS = {"intergovernmental": N_("Intergovernmental organisation"), "research institute": N_("Research institute"),
              "university": N_("University"), "non-governmental": N_("Non-governmental organisation"),
              "government agency": N_("Government agency"), "other": N_("Other")}
LABELS = {"name": N_("Legal name of the organisation"), "acronym": N_("Acronym"), "kind": N_("Kind of organisation"),
          "country": N_("Country"), "website": N_("Website"), "contact_email": N_("Contact e-mail"),
          "profile.legal_status": N_("Legal status"), "profile.address": N_("Postal address"),
          "profile.head": N_("Head of the institution"), "profile.contact_person": N_("Contact person"),
          "profile.contact_phone": N_("Contact telephone"),
          "profile.partners": N_("Consortium partners, if any (one per line)")}


def kind_name(code: str | None) -> str:
    return _(KIND_WORDS[code]) if code in KIND_WORDS else (code or "")


def show_profile(entity: dict) -> None:
    """The profile as the applicant entered it, every part it gave, user text shown as text."""
    details = json.loads(entity["profile"]) if entity.get("profile") else {}
    parts = [(_("Legal name of the organisation"), entity.get("name")), (_("Acronym"), entity.get("acronym")),
             (_("Kind of organisation"), kind_name(entity.get("kind"))),
             (_("Legal status"), details.get("legal_status")), (_("Country"), countries.name(entity.get("country"))),
             (_("Website"), entity.get("website")), (_("Head of the institution"), details.get("head")),
             (_("Contact person"), details.get("contact_person")), (_("Contact e-mail"), entity.get("contact_email")),
             (_("Contact telephone"), details.get("contact_phone"))]
    with st.container(border=True):
        st.markdown(_("**Organisation profile**"))
        st.markdown("  \n".join(_("{label}: {value}", label=label, value=common.isolated(value))
                                 for label, value in parts if value))
        if details.get("address"):
            st.markdown(_("{label}: {value}", label=_("Postal address"), value="  \n" + common.md(details["address"])))
        if details.get("partners"):
            st.markdown(_("{label}: {value}", label=_("Consortium partners"),
                          value="  \n" + "  \n".join(common.md(p) for p in details["partners"])))
