"""Secretariat: create or edit a call — slots, criteria with guidance and weights, scale, dates — and publish it."""

from __future__ import annotations

import datetime as dt
import json

import streamlit as st

from criteria.sets import default_criteria, guidance_for
from selection import i18n, words
from selection.i18n import N_, _
from selection.errors import Forbidden, Invalid
from selection.services import calls as call_service
from selection.services import notices
from ui import call_form, call_translations, common, document_settings, language
from ui.eligibility import conditions_editor
from ui.pages import dashboard, public_call

DEFAULT_SLOTS = [
    {"id": "global", "name": "Global coordination entity", "level": "global", "region": None},
    {"id": "africa", "name": "Regional support centre - Africa", "level": "regional", "region": "Africa"},
    {"id": "asia-pacific", "name": "Regional support centre - Asia and the Pacific", "level": "regional",
     "region": "Asia-Pacific"},
    {"id": "grulac", "name": "Regional support centre - Latin America and the Caribbean", "level": "regional",
     "region": "Latin America and the Caribbean"},
    {"id": "ceec", "name": "Regional support centre - Central and Eastern Europe", "level": "regional",
     "region": "Central and Eastern Europe"},
    {"id": "weog", "name": "Regional support centre - Western Europe and others", "level": "regional",
     "region": "Western Europe and others"},
]
DONE = "call_setup:done"
TAB = "call_setup:tab"
NEW, EDIT = N_("New call"), N_("Edit the chosen call")


def _blank() -> dict:
    crits = default_criteria(threshold=2.5)
    for c in crits:
        guidance = guidance_for(c["id"])
        c.update({k: guidance[k] for k in call_service.GUIDANCE_FIELDS})
        c["anchors"] = {int(k): v for k, v in json.loads(guidance["anchors"]).items()}
    return {"reference": "", "title": "", "secretariat_name": "Secretariat of the Convention on Biological Diversity",
            "notification_text": "", "scale": {"min": 0.0, "max": 5.0, "step": 0.5}, "min_reviews": 3,
            "overall_threshold": None, "dates": {k: None for k in call_service.DATE_FIELDS}, "slots": DEFAULT_SLOTS,
            "criteria": crits}


def _save(key: str, call_id: int | None, published: bool) -> None:
    """The Save button's action, run before the page is drawn so that problems appear beside their fields."""
    conn = common.db()
    user = common.current_user(conn)
    language.settle(conn, user)  # a button's action runs before the page sets the reader's language
    data = call_form.gather(key)
    try:
        if call_id is None:
            call_service.create_call(conn, user=user, data=data)
            done = _("The call is saved as a draft. Check it below, then publish it: applicants see it only "
                     "then.")
        elif published:
            kept = call_service.amend_call(conn, user=user, call_id=call_id, data=data,
                                           notice=st.session_state[f"{key}:notice"])
            done = i18n.ngettext("The amendment is saved and the notice was sent to {n} applicant.",
                                 "The amendment is saved and the notice was sent to {n} applicants.", len(kept))
        else:
            call_service.update_call(conn, user=user, call_id=call_id, data=data)
            done = _("The draft call is saved.")
    except Invalid as e:
        call_form.refused(key, e.problems)
        return
    except Forbidden as e:
        call_form.refused(key, [("call", str(e))])
        return
    # the saved call opens on the edit tab, where it is checked and published
    st.session_state["call_ref"] = st.session_state["call_select"] = data["reference"]
    st.session_state[TAB] = _(EDIT)
    st.session_state[DONE] = done
    call_form.forget(key)


def _publish(call_id: int) -> None:
    conn = common.db()
    user = common.current_user(conn)
    language.settle(conn, user)
    try:
        call_service.publish_call(conn, user=user, call_id=call_id)
    except Invalid as e:
        field = f"dates.{e.field}" if e.field in call_service.DATE_FIELDS else e.field
        st.session_state["call_setup:publish_error"] = _("**{field}** — {problem}", field=common.md(
            call_form.label_of(field)), problem=common.md(e.message))
        return
    except Forbidden as e:
        st.session_state["call_setup:publish_error"] = common.md(e)
        return
    st.session_state.pop("call_setup:confirm", None)
    st.session_state[DONE] = _("The call is published: anyone can now read it, and applicants can register and apply.")


def _publishing(conn, call: dict) -> None:
    """A draft: publishing asks for confirmation and shows what applicants will read."""
    st.warning(_("Draft: applicants do not see this call yet."))
    error = st.session_state.pop("call_setup:publish_error", None)
    if error:
        st.error(error)
    if st.session_state.get("call_setup:confirm") != call["id"]:
        if st.button(_("Publish the call…"), type="primary"):
            st.session_state["call_setup:confirm"] = call["id"]
            st.rerun()
        return
    with st.container(border=True):
        st.markdown(_("**Publish this call?** Once published, anyone can read it before signing in, and applicants "
                      "can register, ask questions and send proposals until the deadline. They will read the call "
                      "as saved (unsaved changes below are not included): its title and notification text, the "
                      "centres to host, each criterion with its weight, guidance and scale words, the dates, and "
                      "every answer published later."))
        with st.expander(_("What applicants will see")):
            public_call.show_call(call_service.public_view(conn, call["id"], preview=True))
        a, b = st.columns([1, 4])
        a.button(_("Yes, publish the call"), type="primary", on_click=_publish, args=(call["id"],))
        if b.button(_("Not yet")):
            st.session_state.pop("call_setup:confirm", None)
            st.rerun()


def page() -> None:
    conn = common.db()
    user = common.current_user(conn)
    st.title(_("Call set-up"))
    done = st.session_state.pop(DONE, None)
    if done:
        st.success(done)
    # a tracked tab: every action on the edit tab reruns the page on that tab, with its result shown there;
    # once a call exists the page opens on it
    new, edit = st.tabs([_(NEW), _(EDIT)], key=TAB, on_change="rerun",
                        default=_(EDIT) if common.calls_for(conn, user) else _(NEW))
    if new.open:
        with new:
            _new_call()
    if edit.open:
        with edit:
            _edit_call(conn, user)


def _new_call() -> None:
    call_form.seed("new_call", _blank())
    call_form.render("new_call")
    st.button(_("Save the call"), type="primary", key="new_call:save", on_click=_save, args=("new_call", None, False))


def _edit_call(conn, user) -> None:
    call = common.choose_call(conn, user)
    if call is None:
        st.info(_("No call yet: set one up on the tab **New call**."))
        return
    dashboard.show_next_step(conn, call, here="Call set-up")
    key = f"edit_call_{call['id']}"
    published = bool(call["published_at"])
    if published:
        day = dt.date.fromisoformat(call["published_at"][:10])
        st.success(_("Published on {date}. Applicants read it as shown on the page **Open calls**; a change is an "
                     "amendment, sent to every applicant.", date=words.date(day)))
    else:
        _publishing(conn, call)
    conditions_editor(conn, user, call)
    call_form.seed(key, call_service.call_form_data(conn, call["id"]))
    call_form.render(key)
    if published:
        count = len(notices.applicants(conn, call["id"]))
        st.text_area(_("Notice to applicants (what changed and why; sent to the one applicant)") if count == 1 else
                     i18n.ngettext("Notice to applicants (what changed and why; sent to all {n} applicant)",
                                   "Notice to applicants (what changed and why; sent to all {n} applicants)", count),
                     key=f"{key}:notice")
        call_form.problems_of(key, "notice")
        label = _("Save the amendment and notify applicants")
    else:
        label = _("Save the call")
    st.button(label, type="primary", key=f"{key}:save", on_click=_save, args=(key, call["id"], published))
    document_settings.section(conn, user, call)
    call_translations.section(conn, user, call)
