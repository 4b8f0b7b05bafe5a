"""The organisation profile form: what a secretariat needs to know of an applicant, with a country picker."""

from __future__ import annotations

import json

import streamlit as st

from selection import countries
from selection.i18n import _
from selection.services import intake
from ui import common, forms
from ui.organisation import KINDS, LABELS, kind_name


def profile_form(conn, user, call) -> None:
    """Save the profile; every part but the name is optional, and the country is chosen by its name."""
    entity = intake.my_entity(conn, user=user, call_id=call["id"]) or {}
    details = json.loads(entity["profile"]) if entity.get("profile") else {}
    names = countries.names()
    codes = list(names)
    if entity.get("country") and entity["country"] not in names:
        codes.insert(0, entity["country"])
    L = {field: _(label) for field, label in LABELS.items()}
    with st.form("profile"):
        st.subheader(_("1. Your organisation"))
        name = st.text_input(L["name"], entity.get("name") or "")
        c1, c2, c3 = st.columns(3)
        acronym = c1.text_input(L["acronym"], entity.get("acronym") or "")
        kind = c2.selectbox(L["kind"], KINDS, index=KINDS.index(entity["kind"]) if entity.get("kind") in KINDS
                            else None, placeholder=_("Choose the kind of organisation"),
                            format_func=kind_name)
        legal_status = c3.text_input(L["profile.legal_status"], details.get("legal_status", ""),
                                     placeholder=_("e.g. public research institute under national law"))
        c1, c2 = st.columns(2)
        country = c1.selectbox(L["country"], codes, format_func=countries.name,
                               index=codes.index(entity["country"]) if entity.get("country") in codes else None,
                               placeholder=_("Type to find your country"))
        website = c2.text_input(L["website"], entity.get("website") or "")
        address = st.text_area(L["profile.address"], details.get("address", ""), height=90)
        c1, c2 = st.columns(2)
        head = c1.text_input(L["profile.head"], details.get("head", ""))
        contact = c2.text_input(L["profile.contact_person"], details.get("contact_person", ""))
        c1, c2 = st.columns(2)
        email = c1.text_input(L["contact_email"], entity.get("contact_email") or user.email or "")
        phone = c2.text_input(L["profile.contact_phone"], details.get("contact_phone", ""))
        partners = st.text_area(L["profile.partners"], "\n".join(details.get("partners", [])), height=90)
        if st.form_submit_button(_("Save the profile")):
            with common.refusals(), forms.labelled(L):
                intake.save_profile(conn, user=user, call_id=call["id"], profile={
                    "name": name, "acronym": acronym, "country": country, "kind": kind,
                    "website": website, "contact_email": email,
                    "profile": {"legal_status": legal_status, "address": address, "head": head,
                                "contact_person": contact, "contact_phone": phone, "partners": partners}})
                st.session_state["flash"] = _("Profile saved.")
                st.rerun()
