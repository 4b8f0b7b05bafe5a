"""Signed out: sign in, register an applicant's account, accept an invitation, set a new password with a
reset code, or set up a fresh database."""

from __future__ import annotations

import streamlit as st

from selection import account_admin, accounts, words
from selection.i18n import _
from ui import common, forms, language, problems

POLICY = (f"At least {accounts.MIN_PASSWORD} characters, not one of the commonest passwords, and not containing "
          "the username. Spaces at either end are ignored.")


def _first_account(conn) -> None:
    st.title("Set up host-selection")
    st.write("This database has no accounts yet. Create the first secretariat account; "
             "the secretariat then invites the advisory group and the Bureau.")
    password_label = f"Password (at least {accounts.MIN_PASSWORD} characters)"
    with st.form("first_account"):
        beside = problems.Beside({"display_name": "Your name", "username": "Username", "email": "E-mail (optional)",
                                  "password": "Password"})
        name = st.text_input("Your name")
        beside.place("display_name")
        username = st.text_input("Username")
        beside.place("username")
        email = st.text_input("E-mail (optional)")
        beside.place("email")
        password = st.text_input(password_label, type="password", help=POLICY)
        beside.place("password")
        if st.form_submit_button("Create the secretariat account", type="primary"):
            with beside.refusals():
                user = accounts.create_first_secretariat(conn, username=username, display_name=name,
                                                         password=password, email=email)
                common.sign_in_as(conn, user)
                st.session_state["flash"] = (f"Your secretariat account is created and you are signed in as "
                                             f"{user.username}. Start with Call set-up, or invite colleagues "
                                             "under People.")
                st.rerun()


def _policy() -> str:
    return _("At least {n} characters, not one of the commonest passwords, and not containing the username. "
             "Spaces at either end are ignored.", n=accounts.MIN_PASSWORD)


def _reset(conn) -> None:
    st.write(_("The secretariat gives you a reset code when you have forgotten your password. "
               "Setting a new password signs you out everywhere else."))
    with st.form("reset"):
        code = st.text_input(_("Reset code"), key="rs_code")
        password = st.text_input(_("New password (at least {n} characters)", n=accounts.MIN_PASSWORD),
                                 type="password", key="rs_pass", help=_policy())
        if st.form_submit_button(_("Set the new password")):
            with common.refusals(), forms.labelled({"code": _("Reset code"), "password": _("New password")}):
                user = account_admin.reset_password(conn, code=code, password=password)
                common.sign_in_as(conn, user)
                st.session_state["flash"] = _("Your new password is set. You are signed in as {username}.",
                                              username=common.isolated(user.username))
                st.rerun()


def page() -> None:
    conn = common.db()
    if accounts.needs_first_account(conn):
        _first_account(conn)
        return
    st.title(_("Host selection"))
    st.write(_("Choosing the institutions that host the global, regional and subregional centres "
               "for technical and scientific cooperation."))
    language.selector(key="language_signin")
    if common.single_sign_on() and st.button(_("Sign in with your organisation's account"), type="primary"):
        st.login()
    sign_in, register, invited, reset = st.tabs([_("Sign in"), _("Register your organisation"),
                                                 _("I have an invitation"), _("I have a reset code")])
    with sign_in, st.form("sign_in"):
        username = st.text_input(_("Username"), key="si_user")
        password = st.text_input(_("Password"), type="password", key="si_pass")
        if st.form_submit_button(_("Sign in"), type="primary"):
            with common.refusals(), forms.labelled({"username": _("Username"), "password": _("Password")}):
                common.sign_in_as(conn, accounts.sign_in(conn, username=username, password=password,
                                                         browser=common.browser_token()))
                st.rerun()
    with register:
        st.write(_("Applicants: register once, then write your expression of interest and proposal."))
        with st.form("register"):
            name = st.text_input(_("Your name"), key="rg_name")
            username = st.text_input(_("Username"), key="rg_user")
            email = st.text_input(_("E-mail"), key="rg_email")
            password = st.text_input(_("Password (at least {n} characters)", n=accounts.MIN_PASSWORD),
                                     type="password", key="rg_pass", help=_policy())
            if st.form_submit_button(_("Register")):
                with common.refusals(), forms.labelled({"display_name": _("Your name"), "username": _("Username"),
                                                        "email": _("E-mail"), "password": _("Password")}):
                    user = accounts.register_applicant(conn, username=username, display_name=name,
                                                       password=password, email=email)
                    common.sign_in_as(conn, user)
                    st.session_state["flash"] = _("Your account is created and you are signed in as {username}. "
                                                  "Next: fill in your organisation's profile, then your proposal.",
                                                  username=common.isolated(user.username))
                    st.rerun()
    with invited, st.form("invitation"):
        code = st.text_input(_("Invitation code"), key="iv_code")
        username = st.text_input(_("Choose a username"), key="iv_user")
        password = st.text_input(_("Choose a password (at least {n} characters)", n=accounts.MIN_PASSWORD),
                                 type="password", key="iv_pass", help=_policy())
        if st.form_submit_button(_("Accept the invitation")):
            with common.refusals(), forms.labelled({"code": _("Invitation code"), "username": _("Choose a username"),
                                                    "password": _("Choose a password")}):
                user = accounts.accept_invitation(conn, code=code, username=username, password=password)
                common.sign_in_as(conn, user)
                st.session_state["flash"] = _("Welcome: your account is created and you are signed in as {username} "
                                              "({role}). Your pages are in the menu.",
                                              username=common.isolated(user.username),
                                              role=words.role(user.role.value).lower())
                st.rerun()
    with reset:
        _reset(conn)


def page_for_link() -> None:
    """A link to a page opened while signed out: the sign-in form; the address is kept, so the page opens once
    the person has signed in."""
    st.info(_("Sign in to open the page this link leads to."))
    page()


def not_for_this_role() -> None:
    user = common.current_user(common.db())
    st.title(_("This page is not part of your work"))
    st.write(_("The link leads to a page for another role. You are signed in as {name} ({role}): your pages are "
               "in the menu.", name=common.isolated(user.display_name), role=words.role(user.role.value).lower()))
