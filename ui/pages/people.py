"""Secretariat: invite people, follow and revoke invitations, and look after accounts.

Every action goes through :mod:`selection.accounts` or :mod:`selection.account_admin`
(which check the role and audit it) and ends with a message saying what was recorded.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from selection import account_admin, accounts, mail, words
from selection.i18n import N_, _
from selection.models import Role
from ui import common, forms

ROLE_NAMES = {Role.SECRETARIAT: N_("Secretariat"), Role.MEMBER: N_("Advisory group member"),
              Role.BUREAU: N_("Bureau member"), Role.APPLICANT: N_("Applicant")}
ROLE_GROUPS = {Role.SECRETARIAT: N_("Secretariat"), Role.MEMBER: N_("Advisory group members"),
               Role.BUREAU: N_("Bureau members"), Role.APPLICANT: N_("Applicants")}
INVITABLE = {N_("Advisory group member"): Role.MEMBER, N_("Bureau member"): Role.BUREAU,
             N_("Secretariat colleague"): Role.SECRETARIAT}
# a role inside a sentence ("… (bureau member)"), as each language writes it there
ROLE_IN_TEXT = {N_("Advisory group member"): N_("advisory group member"), N_("Bureau member"): N_("bureau member"),
                N_("Secretariat colleague"): N_("secretariat colleague"), N_("Secretariat"): N_("secretariat"),
                N_("Applicant"): N_("applicant")}


ISSUED = "people:issued"  # the codes created in this session, kept on screen until put away


def _issued() -> None:
    """Every code created in this session stays on screen (each is shown only once) until it is put away."""
    issued = st.session_state.get(ISSUED, [])
    if not issued:
        return
    with st.container(border=True):
        st.markdown(_("**Invitation codes created just now** — give each to its person; they are not shown again "
                      "once you put them away."))
        for who, code in issued:
            st.markdown(common.md(who))
            st.code(code, language=None)
        if st.button(_("I have passed these codes on: put them away")):
            st.session_state.pop(ISSUED, None)
            st.rerun()


def _invite(conn, user) -> None:
    _issued()
    with st.form("invite", clear_on_submit=True):
        st.subheader(_("Invite someone"))
        kind = st.selectbox(_("Role"), list(INVITABLE), format_func=_)
        name = st.text_input(_("Name"))
        email = st.text_input(_("E-mail (optional)"))
        send = st.checkbox(_("Send the invitation by e-mail"), value=True) if mail.mail_is_on() else False
        if st.form_submit_button(_("Create an invitation code"), type="primary"):
            with common.refusals(), forms.labelled({"display_name": _("Name"), "email": _("E-mail (optional)"),
                                                    "role": _("Role")}):
                code = accounts.invite(conn, user=user, role=INVITABLE[kind], display_name=name, email=email)
                who = _("{name} ({role})", name=name.strip(), role=_(ROLE_IN_TEXT[kind]))
                st.success(_("Invitation recorded for {who}, valid for 14 days. The code is shown only once: the "
                             "person opens the app, chooses the tab \"I have an invitation\" on the sign-in page, "
                             "and enters it with a username and password of their choice.", who=common.md(who)))
                st.code(code, language=None)
                st.session_state.setdefault(ISSUED, []).append((who, code))
                if send and email.strip():
                    message = accounts.send_invitation(conn, user=user, code=code)
                    if message["sent_at"]:
                        st.success(_("The invitation was e-mailed to {address}.",
                                     address=common.md(message["to_address"])))
                    else:
                        st.warning(_("The invitation was not e-mailed ({problem}); send the code yourself.",
                                     problem=common.md(message["error"])))


def _invitations(conn, user) -> None:
    pending = accounts.pending_invitations(conn)
    if not pending:
        return
    st.subheader(_("Invitations not yet used"))
    for inv in pending:
        left, right = st.columns([5, 1], vertical_alignment="center")
        until = (_("expired on {date}", date=words.date(inv["expires_at"])) if inv["expired"]
                 else _("valid until {date}", date=words.date(inv["expires_at"])))
        invited = _("invited on {date}, {until}", date=words.date(inv["created_at"]), until=until)
        left.text(" — ".join(part for part in (inv["display_name"], _(ROLE_NAMES[Role(inv["role"])]), inv["email"],
                                               invited) if part))
        if right.button(_("Revoke"), key=f"revoke_{inv['id']}"):
            with common.refusals():
                accounts.revoke_invitation(conn, user=user, invitation_id=inv["id"])
                st.session_state["flash"] = _("Invitation for {name} revoked: its code no longer works.",
                                              name=common.md(inv["display_name"]))
                st.rerun()


def _status(row: dict) -> str:
    if row["disabled"]:
        return _("Disabled")
    return _("Paused after failed sign-ins") if row["paused"] else _("Active")


def _status_in_text(row: dict) -> str:
    if row["disabled"]:
        return _("disabled")
    return _("paused after failed sign-ins") if row["paused"] else _("active")


def _accounts(rows: list[dict]) -> None:
    st.subheader(_("Accounts"))
    for role, heading in ROLE_GROUPS.items():
        group = [r for r in rows if r["role"] is role]
        if not group:
            continue
        st.markdown(f"**{_(heading)}** ({len(group)})")
        st.dataframe(pd.DataFrame([{_("Name"): r["display_name"], _("Username"): r["username"],
                                    _("E-mail"): r["email"] or "", _("Status"): _status(r),
                                    _("Signed in now"): words.yes_no(r["sessions"])}
                                   for r in group]), hide_index=True, width="stretch")


def _manage(conn, user, rows: list[dict]) -> None:
    st.subheader(_("Look after an account"))
    by_id = {r["id"]: r for r in rows}
    chosen = st.selectbox(_("Account"), list(by_id), key="manage_account",
                          format_func=lambda i: _("{name} ({username}) — {role}, {status}",
                                                  name=by_id[i]["display_name"], username=by_id[i]["username"],
                                                  role=_(ROLE_NAMES[by_id[i]["role"]]),
                                                  status=_status_in_text(by_id[i])))
    row = by_id[chosen]
    who = common.md(f"{row['display_name']} ({row['username']})")
    first, second, third = st.columns(3)
    toggle = first.button(_("Enable the account") if row["disabled"] else _("Disable the account"),
                          key="toggle_disabled", help=_("A disabled account cannot sign in; its sessions end at once"),
                          width="stretch")
    unlock = second.button(_("Lift the sign-in pause"), key="unlock", disabled=not row["paused"], width="stretch",
                           help=_("After five failed sign-ins within 15 minutes, sign-in is paused for 15 minutes"))
    reset = third.button(_("Issue a reset code"), key="issue_reset", width="stretch",
                         help=_("A one-time code, valid 3 days, with which the person sets a new password"))
    role = change = None
    if row["role"] is not Role.APPLICANT:
        staff = [r for r in ROLE_NAMES if r is not Role.APPLICANT]
        left, right = st.columns([2, 1], vertical_alignment="bottom")
        role = left.selectbox(_("New role"), staff, index=staff.index(row["role"]),
                              format_func=lambda r: _(ROLE_NAMES[r]), key="new_role")
        change = right.button(_("Change the role"), key="change_role", width="stretch")
    with common.refusals():
        if toggle:
            account_admin.set_disabled(conn, user=user, account_id=chosen, disabled=not row["disabled"])
            st.session_state["flash"] = (_("{who} is enabled again and can sign in.", who=who) if row["disabled"] else
                                         _("{who} is disabled: signed out everywhere, and cannot sign in.", who=who))
            st.rerun()
        if unlock:
            account_admin.unlock(conn, user=user, account_id=chosen)
            st.session_state["flash"] = _("The sign-in pause of {who} is lifted.", who=who)
            st.rerun()
        if change:
            account_admin.change_role(conn, user=user, account_id=chosen, role=role)
            st.session_state["flash"] = _("{who} is now: {role}.", who=who, role=_(ROLE_IN_TEXT[ROLE_NAMES[role]]))
            st.rerun()
        if reset:
            code = account_admin.issue_reset(conn, user=user, account_id=chosen)
            st.success(_("Reset code recorded for {who}, valid for 3 days and shown only once. The person chooses "
                         "\"I have a reset code\" on the sign-in page and sets a new password.", who=who))
            st.code(code, language=None)


def page() -> None:
    conn = common.db()
    user = common.current_user(conn)
    st.title(_("People"))
    _invite(conn, user)
    _invitations(conn, user)
    with common.refusals():
        rows = account_admin.overview(conn, user=user)
        _accounts(rows)
        _manage(conn, user, rows)
