"""The sign-in form, and what it says when signing in does not work."""

from __future__ import annotations

import streamlit as st
import streamlit_authenticator as stauth
from streamlit_authenticator.utilities.exceptions import LoginError

from dashboard import auth

USERNAME_KEY = "sign_in_username"
PASSWORD_KEY = "sign_in_password"
OUTCOME_KEY = "sign_in_outcome"  # "refused" or "locked", for the message under the form


def _submit(authenticator: stauth.Authenticate, users: auth.Users) -> None:
    # Checked in the button's callback, which runs before the script: a rerun that arrives while
    # the script is drawing (the cookie manager's first report, late on a busy server) replaces
    # that run, and a check made inside it would be lost with it, leaving the form as it was.
    username = st.session_state.get(USERNAME_KEY, "")
    password = st.session_state.get(PASSWORD_KEY, "")
    st.session_state.pop(OUTCOME_KEY, None)
    if not (username.strip() and password.strip()):
        return
    try:
        if not auth.check_password(authenticator, users, username, password):
            st.session_state[OUTCOME_KEY] = "refused"
    except LoginError:
        st.session_state[OUTCOME_KEY] = "locked"


def sign_in_form(authenticator: stauth.Authenticate, users: auth.Users, demo: bool) -> None:
    st.title("For Baby's Sake · programme monitoring")
    if st.session_state.get("authentication_status") is True:
        # Until the browser has the cookie: a page opened by URL in another tab would ask again.
        st.success("Signed in. Opening the page…", icon=":material/check_circle:")
        return
    if users.cookie_name in st.context.cookies and not st.session_state.get("logout"):
        st.warning("Your previous sign-in has expired or could not be checked. Please sign in again.",
                   icon=":material/lock_clock:")
    with st.form("sign_in"):
        st.subheader("Sign in")
        st.text_input("Username", key=USERNAME_KEY, autocomplete="username")
        st.text_input("Password", type="password", key=PASSWORD_KEY, autocomplete="current-password")
        st.form_submit_button("Sign in", on_click=_submit, args=(authenticator, users))
    outcome = st.session_state.get(OUTCOME_KEY)
    if outcome == "locked":
        st.error("This account is locked after too many failed attempts. Try again in "
                 f"{auth.LOCKOUT_SECONDS // 60} minutes, or ask the Trust's administrator.",
                 icon=":material/lock:")
    elif outcome == "refused":
        st.error("That username and password do not match an account. Check them and try again.",
                 icon=":material/error:")
    if demo:
        st.info("**Demo accounts** (synthetic data only): `leader`, `trustee` and `commissioner`, "
                "each with the password `fbs-demo`.", icon=":material/science:")
