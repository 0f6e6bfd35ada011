"""The sign-in form, and what it says when signing in does not work."""

from __future__ import annotations

import streamlit as st
import streamlit_authenticator as stauth
from streamlit_authenticator.utilities.exceptions import LoginError

from dashboard import auth

FIELDS = {"Form name": "Sign in", "Username": "Username", "Password": "Password", "Login": "Sign in"}


def sign_in_form(authenticator: stauth.Authenticate, users: auth.Users, demo: bool) -> None:
    st.title("For Baby's Sake · programme monitoring")
    if users.cookie_name in st.context.cookies and not st.session_state.get("logout"):
        st.warning("Your previous sign-in has expired or could not be checked. Please sign in again.",
                   icon=":material/lock_clock:")
    try:
        authenticator.login(location="main", max_login_attempts=auth.MAX_LOGIN_ATTEMPTS, fields=FIELDS)
    except LoginError:
        st.error("This account is locked after too many failed attempts. Try again in "
                 f"{auth.LOCKOUT_SECONDS // 60} minutes, or ask the Trust's administrator.",
                 icon=":material/lock:")
        return
    if st.session_state.get("authentication_status") is True:
        st.success("Signed in. Opening the page…", icon=":material/check_circle:")
        return
    if st.session_state.get("authentication_status") is False:
        st.error("That username and password do not match an account. Check them and try again.",
                 icon=":material/error:")
    if demo:
        st.info("**Demo accounts** (synthetic data only): `leader`, `trustee` and `commissioner`, "
                "each with the password `fbs-demo`.", icon=":material/science:")
