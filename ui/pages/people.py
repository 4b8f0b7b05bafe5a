"""Secretariat: invite advisory group members, Bureau members and colleagues; see who has an account."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from selection import accounts
from selection.models import Role
from ui import common, words

INVITABLE = {"Advisory group member": Role.MEMBER, "Bureau member": Role.BUREAU, "Secretariat colleague": Role.SECRETARIAT}


def page() -> None:
    conn = common.db()
    user = common.current_user(conn)
    st.title("People")
    with st.form("invite", clear_on_submit=True):
        st.subheader("Invite someone")
        kind = st.selectbox("Role", list(INVITABLE))
        name = st.text_input("Name")
        email = st.text_input("E-mail (optional)")
        if st.form_submit_button("Create an invitation code", type="primary"):
            with common.refusals():
                code = accounts.invite(conn, user=user, role=INVITABLE[kind], display_name=name, email=email)
                st.success("Send this one-time code to the person; it is shown only once. They open the app, choose "
                           "the tab **I have an invitation** on the sign-in page, and enter it with a username and "
                           "password of their choice.")
                st.code(code, language=None)
    pending = accounts.pending_invitations(conn)
    if pending:
        st.subheader("Invitations not yet used")
        st.dataframe(pd.DataFrame([{"Name": i["display_name"], "Role": words.role(i["role"]),
                                    "E-mail": i["email"] or "", "Invited by": i["created_by"],
                                    "Invited on": words.date(i["created_at"])} for i in pending]),
                     hide_index=True, width="stretch")
    st.subheader("Accounts")
    st.dataframe(pd.DataFrame([{"Name": u.display_name, "Username": u.username, "Role": words.role(u.role.value),
                                "E-mail": u.email or ""} for u in accounts.accounts(conn)]),
                 hide_index=True, width="stretch")
