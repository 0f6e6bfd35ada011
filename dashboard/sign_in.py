"""The sign-in form, and what it says when signing in does not work."""

from __future__ import annotations

import streamlit as st

from dashboard import auth

USERNAME_KEY = "sign_in_username"
PASSWORD_KEY = "sign_in_password"


def _submit(users: auth.Users) -> None:
    # In the button's callback, before the script runs: the check is done whatever the script
    # then does.
    username = st.session_state.get(USERNAME_KEY, "")
    password = st.session_state.get(PASSWORD_KEY, "")
    if username.strip() and password.strip():
        auth.sign_in(users, username, password)


def sign_in_form(users: auth.Users, demo: bool) -> None:
    st.title("For Baby's Sake · programme monitoring")
    # Until the browser has stored (or removed) the cookie, a page opened by URL in another tab
    # would not find the session as it now is.
    if auth.cookie_change_owed() == "set":
        st.success("Signed in. Opening the page…", icon=":material/check_circle:")
        return
    if auth.cookie_change_owed() == "delete":
        st.info("Signing out…", icon=":material/logout:")
        return
    if users.cookie_name in st.context.cookies and not st.session_state.get("logout"):
        st.warning("Your previous sign-in has expired or could not be checked. Please sign in again.",
                   icon=":material/lock_clock:")
    with st.form("sign_in"):
        st.subheader("Sign in")
        st.text_input("Username", key=USERNAME_KEY, autocomplete="username")
        st.text_input("Password", type="password", key=PASSWORD_KEY, autocomplete="current-password")
        st.form_submit_button("Sign in", on_click=_submit, args=(users,))
    result = st.session_state.get(auth.ATTEMPT_RESULT)
    if result == "locked":
        st.error("This account is locked after too many failed attempts. Try again in "
                 f"{auth.LOCKOUT_SECONDS // 60} minutes, or ask the Trust's administrator.",
                 icon=":material/lock:")
    elif result == "refused":
        st.error("That username and password do not match an account. Check them and try again.",
                 icon=":material/error:")
    if demo:
        st.info("**Demo accounts** (synthetic data only): `leader`, `trustee` and `commissioner`, "
                "each with the password `fbs-demo`.", icon=":material/science:")
