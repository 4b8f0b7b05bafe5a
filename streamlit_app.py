"""host-selection: choose the hosts of technical and scientific cooperation centres.

Run with ``streamlit run streamlit_app.py``. The store is ``data/selection.db``
unless ``SELECTION_DB`` names another file. Each role sees its own pages. A
signed-in person stays signed in across reloads and tabs (a session cookie,
checked against the server-side session on every run) until 30 idle minutes.
"""

import streamlit as st

from selection import words
from selection.i18n import _
from ui import common, language
from ui.pages import linked_elsewhere, pages_for

conn = common.db()
language.settle(conn, None)  # the messages of a session that ended are already in the reader's language
user = common.current_user(conn)
language.settle(conn, user)
st.set_page_config(page_title=_("Host selection"), page_icon="🌿", layout="wide")
entries = pages_for(conn, user)
wanted = st.session_state.pop("goto", None)
paths = [path for _, path, _ in entries]
default = wanted if wanted in paths else paths[0]
pages = [st.Page(fn, title=title, url_path=path, default=(path == default)) for title, path, fn in entries]
pages += [st.Page(fn, title=title, url_path=path, visibility="hidden") for title, path, fn in linked_elsewhere(user)]

language.lay_out()
with st.sidebar:
    language.selector()
if user is not None:
    with st.sidebar:
        st.caption(_("Signed in as **{name}** ({role})", name=common.isolated(user.display_name),
                     role=words.role(user.role.value).lower()))
        if st.button(_("Sign out"), key="sign_out", help=_("Signs you out in every tab and browser")):
            common.sign_out(conn, user)
            if common.single_sign_on() and st.user.is_logged_in:
                st.logout()
            st.rerun()

common.flash()
common.guard_unsaved()
st.navigation(pages).run()
common.keep_cookies()
