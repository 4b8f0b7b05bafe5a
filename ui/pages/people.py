"""Secretariat: invite people, follow and revoke invitations, and look after accounts.

Every action goes through :mod:`selection.accounts` or :mod:`selection.account_admin`
(which check the role and audit it) and ends with a message saying what was recorded.
"""

from __future__ import annotations


import pandas as pd
import streamlit as st

from selection import account_admin, accounts, mail, words
from selection.models import Role
from ui import common, forms

ROLE_NAMES = {Role.SECRETARIAT: "Secretariat", Role.MEMBER: "Advisory group member", Role.BUREAU: "Bureau member",
              Role.APPLICANT: "Applicant"}
ROLE_GROUPS = {Role.SECRETARIAT: "Secretariat", Role.MEMBER: "Advisory group members", Role.BUREAU: "Bureau members",
               Role.APPLICANT: "Applicants"}
INVITABLE = {"Advisory group member": Role.MEMBER, "Bureau member": Role.BUREAU, "Secretariat colleague": Role.SECRETARIAT}


ISSUED = "people:issued"  # the codes created in this session, kept on screen until put away


def _issued() -> None:
    """Every code created in this session stays on screen (each is shown only once) until it is put away."""
    issued = st.session_state.get(ISSUED, [])
    if not issued:
        return
    with st.container(border=True):
        st.markdown("**Invitation codes created just now** — give each to its person; they are not shown again "
                    "once you put them away.")
        for who, code in issued:
            st.markdown(common.md(who))
            st.code(code, language=None)
        if st.button("I have passed these codes on: put them away"):
            st.session_state.pop(ISSUED, None)
            st.rerun()


def _invite(conn, user) -> None:
    _issued()
    with st.form("invite", clear_on_submit=True):
        st.subheader("Invite someone")
        kind = st.selectbox("Role", list(INVITABLE))
        name = st.text_input("Name")
        email = st.text_input("E-mail (optional)")
        send = st.checkbox("Send the invitation by e-mail", value=True) if mail.mail_is_on() else False
        if st.form_submit_button("Create an invitation code", type="primary"):
            with common.refusals(), forms.labelled({"display_name": "Name", "email": "E-mail (optional)",
                                                    "role": "Role"}):
                code = accounts.invite(conn, user=user, role=INVITABLE[kind], display_name=name, email=email)
                st.success(f"Invitation recorded for {common.md(name.strip())} ({kind.lower()}), valid for 14 days. The code is "
                           "shown only once: the person opens the app, chooses the tab \"I have an invitation\" on "
                           "the sign-in page, and enters it with a username and password of their choice.")
                st.code(code, language=None)
                st.session_state.setdefault(ISSUED, []).append((f"{name.strip()} ({kind.lower()})", code))
                if send and email.strip():
                    message = accounts.send_invitation(conn, user=user, code=code)
                    if message["sent_at"]:
                        st.success(f"The invitation was e-mailed to {common.md(message['to_address'])}.")
                    else:
                        st.warning(f"The invitation was not e-mailed ({common.md(message['error'])}); send the code "
                                   "yourself.")


def _invitations(conn, user) -> None:
    pending = accounts.pending_invitations(conn)
    if not pending:
        return
    st.subheader("Invitations not yet used")
    for inv in pending:
        left, right = st.columns([5, 1], vertical_alignment="center")
        until = f"expired on {words.date(inv['expires_at'])}" if inv["expired"] else f"valid until {words.date(inv['expires_at'])}"
        left.text(f"{inv['display_name']} — {ROLE_NAMES[Role(inv['role'])]}"
                  f"{' — ' + inv['email'] if inv['email'] else ''} — invited on {words.date(inv['created_at'])}, {until}")
        if right.button("Revoke", key=f"revoke_{inv['id']}"):
            with common.refusals():
                accounts.revoke_invitation(conn, user=user, invitation_id=inv["id"])
                st.session_state["flash"] = f"Invitation for {common.md(inv['display_name'])} revoked: its code no longer works."
                st.rerun()


def _status(row: dict) -> str:
    if row["disabled"]:
        return "Disabled"
    return "Paused after failed sign-ins" if row["paused"] else "Active"


def _accounts(rows: list[dict]) -> None:
    st.subheader("Accounts")
    for role, heading in ROLE_GROUPS.items():
        group = [r for r in rows if r["role"] is role]
        if not group:
            continue
        st.markdown(f"**{heading}** ({len(group)})")
        st.dataframe(pd.DataFrame([{"Name": r["display_name"], "Username": r["username"], "E-mail": r["email"] or "",
                                    "Status": _status(r), "Signed in now": "yes" if r["sessions"] else "no"}
                                   for r in group]), hide_index=True, width="stretch")


def _manage(conn, user, rows: list[dict]) -> None:
    st.subheader("Look after an account")
    by_id = {r["id"]: r for r in rows}
    chosen = st.selectbox("Account", list(by_id), key="manage_account",
                          format_func=lambda i: f"{by_id[i]['display_name']} ({by_id[i]['username']}) — "
                                                f"{ROLE_NAMES[by_id[i]['role']]}, {_status(by_id[i]).lower()}")
    row = by_id[chosen]
    who = common.md(f"{row['display_name']} ({row['username']})")
    first, second, third = st.columns(3)
    toggle = first.button("Enable the account" if row["disabled"] else "Disable the account", key="toggle_disabled",
                          help="A disabled account cannot sign in; its sessions end at once", width="stretch")
    unlock = second.button("Lift the sign-in pause", key="unlock", disabled=not row["paused"], width="stretch",
                           help="After five failed sign-ins within 15 minutes, sign-in is paused for 15 minutes")
    reset = third.button("Issue a reset code", key="issue_reset", width="stretch",
                         help="A one-time code, valid 3 days, with which the person sets a new password")
    role = change = None
    if row["role"] is not Role.APPLICANT:
        staff = [r for r in ROLE_NAMES if r is not Role.APPLICANT]
        left, right = st.columns([2, 1], vertical_alignment="bottom")
        role = left.selectbox("New role", staff, index=staff.index(row["role"]), format_func=ROLE_NAMES.get,
                              key="new_role")
        change = right.button("Change the role", key="change_role", width="stretch")
    with common.refusals():
        if toggle:
            account_admin.set_disabled(conn, user=user, account_id=chosen, disabled=not row["disabled"])
            st.session_state["flash"] = (f"{who} is enabled again and can sign in." if row["disabled"] else
                                         f"{who} is disabled: signed out everywhere, and cannot sign in.")
            st.rerun()
        if unlock:
            account_admin.unlock(conn, user=user, account_id=chosen)
            st.session_state["flash"] = f"The sign-in pause of {who} is lifted."
            st.rerun()
        if change:
            account_admin.change_role(conn, user=user, account_id=chosen, role=role)
            st.session_state["flash"] = f"{who} is now: {ROLE_NAMES[role].lower()}."
            st.rerun()
        if reset:
            code = account_admin.issue_reset(conn, user=user, account_id=chosen)
            st.success(f"Reset code recorded for {who}, valid for 3 days and shown only once. The person chooses "
                       "\"I have a reset code\" on the sign-in page and sets a new password.")
            st.code(code, language=None)


def page() -> None:
    conn = common.db()
    user = common.current_user(conn)
    st.title("People")
    _invite(conn, user)
    _invitations(conn, user)
    with common.refusals():
        rows = account_admin.overview(conn, user=user)
        _accounts(rows)
        _manage(conn, user, rows)
