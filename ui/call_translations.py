"""Call set-up, one section: the call's own texts in the other languages of the United Nations.

Applicants, members and the Bureau read the call in their language where a text is translated here, and
as written (marked as the original) elsewhere. One language at a time; a blank box leaves that text in the
original.
"""

from __future__ import annotations

import streamlit as st

from selection import content, i18n
from selection.i18n import _
from selection.services import calls as call_service
from ui import common

ANCHOR_POINTS = range(len(content.ANCHOR_POINTS))


def _box(label: str, original: str | None, current: str | None, key: str, long: bool = False) -> str:
    widget = st.text_area if long else st.text_input
    return widget(label, current or "", key=key, help=_("As written: {text}", text=common.md(original or "—")))


def section(conn, user, call: dict) -> None:
    """The expander in which the secretariat translates ``call``'s title, notification, slots and criteria."""
    original = call_service.original_language(conn, call["id"])
    data = call_service.call_form_data(conn, call["id"])
    with st.expander(_("Texts in other languages")):
        st.caption(_("The call is written in {language}. Readers whose language has a translation here read it; "
                     "the others read the call as written, marked as such.", language=i18n.LANGUAGES[original]))
        choices = [code for code in i18n.LANGUAGES if code != original]
        lang = st.selectbox(_("Language"), choices, format_func=i18n.LANGUAGES.get,
                            key=f"translate_lang_{call['id']}")
        have = content.translations(conn, call["id"], lang)
        texts: dict[tuple[str, str, str], str] = {}
        with st.form(f"translate_{call['id']}_{lang}"):
            key = f"tr_{call['id']}_{lang}"
            texts[("call", "", "title")] = _box(_("Title"), data["title"], have.get(("call", "", "title")),
                                                f"{key}_title")
            texts[("call", "", "notification_text")] = _box(
                _("Notification text"), data["notification_text"], have.get(("call", "", "notification_text")),
                f"{key}_notification", long=True)
            for s in data["slots"]:
                texts[("slot", s["id"], "name")] = _box(_("Centre: {name}", name=common.md(s["name"])), s["name"],
                                                        have.get(("slot", s["id"], "name")), f"{key}_slot_{s['id']}")
            for c in data["criteria"]:
                st.markdown(f"**{common.md(c['name'])}**")
                for field, label, long in (("name", _("Name"), False), ("description", _("Definition"), True),
                                           ("applicant_guidance", _("Guidance for applicants"), True),
                                           ("reviewer_guidance", _("Guidance for reviewers"), True)):
                    texts[("criterion", c["id"], field)] = _box(label, c[field], have.get(("criterion", c["id"], field)),
                                                                f"{key}_{c['id']}_{field}", long)
                anchors = content.CallTexts(conn, call["id"], lang, original).anchors(c["id"], {}) or {}
                words = {}
                for point in ANCHOR_POINTS:
                    typed = _box(_("Scale word for point {point} of 5", point=point), c["anchors"].get(point),
                                 anchors.get(point), f"{key}_{c['id']}_anchor{point}")
                    if typed.strip():
                        words[str(point)] = typed.strip()
                texts[("criterion", c["id"], "anchors")] = content.anchors_text(words)
            if st.form_submit_button(_("Save the translations")):
                with common.refusals():
                    changed = content.set_texts(conn, user=user, call_id=call["id"], lang=lang, texts=texts)
                    st.session_state["flash"] = i18n.ngettext(
                        "{n} text saved in {language}.", "{n} texts saved in {language}.", changed,
                        language=i18n.LANGUAGES[lang])
                    st.rerun()
