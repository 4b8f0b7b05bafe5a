"""Signed out: sign in, register an applicant's account, accept an invitation, set a new password with a
reset code, or set up a fresh database."""

from __future__ import annotations

import streamlit as st

from selection import account_admin, accounts, words
from ui import common, forms, problems

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


def _reset(conn) -> None:
    st.write("The secretariat gives you a reset code when you have forgotten your password. "
             "Setting a new password signs you out everywhere else.")
    with st.form("reset"):
        code = st.text_input("Reset code", key="rs_code")
        password = st.text_input(f"New password (at least {accounts.MIN_PASSWORD} characters)", type="password",
                                 key="rs_pass", help=POLICY)
        if st.form_submit_button("Set the new password"):
            with common.refusals(), forms.labelled({"code": "Reset code", "password": "New password"}):
                user = account_admin.reset_password(conn, code=code, password=password)
                common.sign_in_as(conn, user)
                st.session_state["flash"] = f"Your new password is set. You are signed in as {user.username}."
                st.rerun()


def page() -> None:
    conn = common.db()
    if accounts.needs_first_account(conn):
        _first_account(conn)
        return
    st.title("Host selection")
    st.write("Choosing the institutions that host the global, regional and subregional centres "
             "for technical and scientific cooperation.")
    if common.single_sign_on() and st.button("Sign in with your organisation's account", type="primary"):
        st.login()
    sign_in, register, invited, reset = st.tabs(["Sign in", "Register your organisation", "I have an invitation",
                                                 "I have a reset code"])
    with sign_in, st.form("sign_in"):
        username = st.text_input("Username", key="si_user")
        password = st.text_input("Password", type="password", key="si_pass")
        if st.form_submit_button("Sign in", type="primary"):
            with common.refusals(), forms.labelled({"username": "Username", "password": "Password"}):
                common.sign_in_as(conn, accounts.sign_in(conn, username=username, password=password,
                                                         browser=common.browser_token()))
                st.rerun()
    with register:
        st.write("Applicants: register once, then write your expression of interest and proposal.")
        with st.form("register"):
            name = st.text_input("Your name", key="rg_name")
            username = st.text_input("Username", key="rg_user")
            email = st.text_input("E-mail", key="rg_email")
            password = st.text_input(f"Password (at least {accounts.MIN_PASSWORD} characters)", type="password",
                                     key="rg_pass", help=POLICY)
            if st.form_submit_button("Register"):
                with common.refusals(), forms.labelled({"display_name": "Your name", "username": "Username", "email": "E-mail", "password": "Password"}):
                    user = accounts.register_applicant(conn, username=username, display_name=name,
                                                       password=password, email=email)
                    common.sign_in_as(conn, user)
                    st.rerun()
    with invited, st.form("invitation"):
        code = st.text_input("Invitation code", key="iv_code")
        username = st.text_input("Choose a username", key="iv_user")
        password = st.text_input(f"Choose a password (at least {accounts.MIN_PASSWORD} characters)",
                                 type="password", key="iv_pass", help=POLICY)
        if st.form_submit_button("Accept the invitation"):
            with common.refusals(), forms.labelled({"code": "Invitation code", "username": "Choose a username", "password": "Choose a password"}):
                common.sign_in_as(conn, accounts.accept_invitation(conn, code=code, username=username,
                                                                   password=password))
                st.rerun()
    with reset:
        _reset(conn)


def page_for_link() -> None:
    """A link to a page opened while signed out: the sign-in form; the address is kept, so the page opens once
    the person has signed in."""
    st.info("Sign in to open the page this link leads to.")
    page()


def not_for_this_role() -> None:
    user = common.current_user(common.db())
    st.title("This page is not part of your work")
    st.write(f"The link leads to a page for another role. You are signed in as "
             f"{common.md(user.display_name)} ({words.role(user.role.value).lower()}): your pages are in the menu.")
