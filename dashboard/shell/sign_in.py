"""The sign-in form, and what it says when signing in does not work."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from dashboard.access import auth
from dashboard.access.settings import Settings
from dashboard.problems import Problem

USERNAME_KEY = "sign_in_username"
PASSWORD_KEY = "sign_in_password"
CHART_CODE_KEY = "chart-code-warm-up"


def _submit(configured: Settings) -> None:
    # In the button's callback, before the script runs, so the attempt is made whatever the script
    # then does. The users file is read afresh: a password changed since the form was drawn is
    # the one checked.
    try:
        users = auth.load_users(configured)
    except Problem:
        return  # the script, about to run, says what is wrong with the users file
    auth.sign_in(users, st.session_state.get(USERNAME_KEY, ""), st.session_state.get(PASSWORD_KEY, ""))


def _waiting_for_the_browser(change: str) -> None:
    # The page moves on once the browser reports the cookie stored (or removed), so that a page
    # then opened by URL in another tab finds the session as it now is: within a second or two.
    # Should the report never come (the cookie component blocked), nobody is left waiting.
    if change == "set":
        st.success("Signed in. Opening the page…", icon=":material/check_circle:")
    else:
        st.info("Signing out…", icon=":material/logout:")
    st.button(
        "Continue",
        on_click=auth.owe_cookie_change,
        args=(None,),
        help="Go on without waiting for the browser. A page opened in another tab may then ask you to sign in.",
    )


def sign_in_form(users: auth.Users, configured: Settings) -> None:
    st.title("For Baby's Sake · programme monitoring")
    change = auth.cookie_change_owed()
    if change:
        _waiting_for_the_browser(change)
        return
    if users.cookie_name in st.context.cookies and not st.session_state.get("logout"):
        st.warning(
            "Your previous sign-in has expired or could not be checked. Please sign in again.",
            icon=":material/lock_clock:",
        )
    with st.form("sign_in"):
        st.subheader("Sign in")
        st.text_input("Username", key=USERNAME_KEY, autocomplete="username")
        st.text_input("Password", type="password", key=PASSWORD_KEY, autocomplete="current-password")
        st.form_submit_button("Sign in", on_click=_submit, args=(configured,))
    result = st.session_state.get(auth.ATTEMPT_RESULT)
    if result == "locked":
        st.error(
            "This account is locked after too many failed attempts. Try again in "
            f"{auth.LOCKOUT_SECONDS // 60} minutes, or ask the Trust's administrator.",
            icon=":material/lock:",
        )
    elif result == "refused":
        st.error(
            "That username and password do not match an account. Check them and try again.", icon=":material/error:"
        )
    elif result == "incomplete":
        st.warning("Enter both your username and your password.", icon=":material/edit:")
    if configured.demo:
        st.info(
            "**Demo accounts** (synthetic data only): `leader`, `trustee` and `commissioner`, "
            "each with the password `fbs-demo`.",
            icon=":material/science:",
        )
    _load_chart_code()


def _load_chart_code() -> None:
    # The browser loads and compiles the charting library's code (Plotly, several megabytes) the
    # first time it draws a chart, a wait that would fall on the first page with a chart. An empty
    # chart, drawn here and hidden, has that done while the person types. Hidden with display:
    # none, it is out of sight and out of the accessibility tree. Not the tables' code as well:
    # with many browsers starting together, the form's own fields then waited long for their code
    # (docs/performance.md).
    with st.container(key=CHART_CODE_KEY):
        st.plotly_chart(go.Figure(), config={"staticPlot": True})
    st.html(f"<style>.st-key-{CHART_CODE_KEY} {{display: none}}</style>")
