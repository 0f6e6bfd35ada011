"""Sign-in with streamlit-authenticator: the users file, the cookie key, and who is signed in.

A users file holds streamlit-authenticator credentials (bcrypt-hashed passwords), one role per
user and, for commissioners, the names of the sites they commission. The demo accounts in
seed_data/demo_users.yaml are used only on the embedded demo database.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st
import streamlit_authenticator as stauth
import yaml
from streamlit_authenticator.utilities.exceptions import LoginError

from dashboard.db import ROOT
from dashboard.problems import SetupProblem
from queries.scope import ROLES

DEMO_USERS_FILE = ROOT / "seed_data" / "demo_users.yaml"
DEMO_COOKIE_KEY = "fbs-demo-cookie-key: for the synthetic demo database only"
# Keys that are public (the demo's and the library's own default) or too short to be secret.
PUBLIC_COOKIE_KEYS = {DEMO_COOKIE_KEY, "some_key", "some_signature_key"}
MIN_COOKIE_KEY_LENGTH = 32
MAX_LOGIN_ATTEMPTS = 5
LOCKOUT_SECONDS = 15 * 60
# The change still owed to the browser's sign-in cookie: "set" after signing in, "delete" after
# signing out. Each is also the key of the cookie component that makes it, whose value turns True
# once the browser reports it done.
COOKIE_CHANGE = "sign_in_cookie_change"


@dataclass(frozen=True)
class User:
    username: str
    name: str
    role: str
    site_names: tuple[str, ...] = ()


@dataclass
class Users:
    """The users file, parsed and checked. `credentials` is the dict streamlit-authenticator reads
    and writes (it counts failed attempts in it), shared by every session of this server."""

    credentials: dict
    by_username: dict[str, User]
    cookie_name: str
    expiry_days: float
    locked_since: dict[str, float] = field(default_factory=dict)


def _setting(name: str) -> str | None:
    """An environment variable, or the same name in Streamlit secrets ([auth] table or top level)."""
    if os.environ.get(name):
        return os.environ[name]
    try:
        auth = st.secrets.get("auth", {})
        return auth.get(name.lower()) or auth.get(name) or st.secrets.get(name)
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return None


def users_file(demo: bool) -> Path:
    configured = _setting("USERS_FILE")
    if configured:
        return Path(configured)
    if demo:
        return DEMO_USERS_FILE
    raise SetupProblem(
        "No users file is configured, so nobody can sign in.",
        advice="Set USERS_FILE (or users_file in the [auth] section of .streamlit/secrets.toml) to a "
               "streamlit-authenticator credentials file; seed_data/demo_users.yaml shows the format.",
    )


def cookie_key(demo: bool) -> str:
    configured = _setting("AUTH_COOKIE_KEY")
    if configured and (demo or (configured not in PUBLIC_COOKIE_KEYS
                                and len(configured) >= MIN_COOKIE_KEY_LENGTH)):
        return configured
    if demo and not configured:
        return DEMO_COOKIE_KEY
    raise SetupProblem(
        "The sign-in cookie key is missing or not secret, so the dashboard will not start on real data.",
        (f"It must be set, at least {MIN_COOKIE_KEY_LENGTH} characters long, and not a published "
         "default.",),
        "Set AUTH_COOKIE_KEY (or cookie_key in the [auth] section of .streamlit/secrets.toml) to a "
        "long random value, for example the output of: python -c 'import secrets; print(secrets.token_urlsafe(48))'",
    )


def parse_users(text: str, source: str) -> Users:
    """Check a users file's content: every user has a hashed password and one known role, and
    every commissioner names at least one site."""
    try:
        config = yaml.safe_load(text) or {}
        accounts = config["credentials"]["usernames"]
    except (yaml.YAMLError, KeyError, TypeError):
        raise SetupProblem(f"The users file {source} is not in the expected format.",
                           advice="seed_data/demo_users.yaml shows the format.") from None
    problems, users = [], {}
    for username, account in accounts.items():
        roles = account.get("roles") or []
        sites = tuple(account.get("sites") or ())
        if len(roles) != 1 or roles[0] not in ROLES:
            problems.append(f"User '{username}' needs exactly one role of: {', '.join(ROLES)}.")
        elif roles[0] == "commissioner" and not sites:
            problems.append(f"Commissioner '{username}' must list the sites they commission.")
        if not str(account.get("password", "")).startswith("$2"):
            problems.append(f"User '{username}' has no bcrypt-hashed password.")
        if not problems:
            users[username] = User(username, account.get("name", username), roles[0], sites)
    if problems:
        raise SetupProblem(f"The users file {source} has problems.", tuple(problems))
    cookie = config.get("cookie") or {}
    expiry = float(_setting("AUTH_COOKIE_EXPIRY_DAYS") or cookie.get("expiry_days", 1))
    return Users(config["credentials"], users, cookie.get("name", "fbs_dashboard"), expiry)


@st.cache_resource(show_spinner=False)
def _shared_users(path: str, modified: float) -> Users:
    # One parsed copy per users file (and per edit of it), shared by every session, so that
    # failed sign-in attempts are counted across sessions and browsers.
    return parse_users(Path(path).read_text(encoding="utf-8"), path)


def load_users(demo: bool) -> Users:
    path = users_file(demo)
    if not path.is_file():
        raise SetupProblem(f"The users file {path} was not found.")
    return _shared_users(str(path), path.stat().st_mtime)


def authenticator(users: Users, demo: bool) -> stauth.Authenticate:
    """Created once per run, before navigation (its cookie manager is a widget)."""
    return stauth.Authenticate(users.credentials, users.cookie_name, cookie_key(demo),
                               users.expiry_days, auto_hash=False)


def sign_in_from_cookie(authenticator: stauth.Authenticate) -> None:
    """Sign the session in from the browser's sign-in cookie, when it holds an unexpired token
    signed with this server's key for a user still in the users file."""
    if st.session_state.get("authentication_status"):
        return
    token = authenticator.cookie_controller.get_cookie()
    if token:
        try:
            authenticator.authentication_controller.login(token=token)
        except LoginError:  # the token names a user no longer in the users file
            pass


def check_password(authenticator: stauth.Authenticate, users: Users, username: str, password: str) -> bool:
    """Check a username and password (raises LoginError once the account is locked); on success
    the session is signed in and, unless sign-ins are not to be remembered (expiry 0 days), the
    browser is owed a sign-in cookie."""
    if authenticator.authentication_controller.login(username, password,
                                                     max_login_attempts=MAX_LOGIN_ATTEMPTS):
        if users.expiry_days > 0:
            st.session_state[COOKIE_CHANGE] = "set"
        return True
    return False


def storing_cookie() -> bool:
    """Signed in, and the browser has not yet reported the sign-in cookie stored."""
    return st.session_state.get(COOKIE_CHANGE) == "set"


def sign_out(authenticator: stauth.Authenticate) -> None:
    """End the session's sign-in; the browser is owed the cookie's removal."""
    authenticator.authentication_controller.logout()
    st.session_state[COOKIE_CHANGE] = "delete"


def keep_cookie_in_step(authenticator: stauth.Authenticate) -> None:
    """Draw the component that writes or removes the sign-in cookie on every run until the browser
    reports it done. Drawn only once, it can be lost: a rerun that arrives before the browser mounts
    it (the cookie manager reports once it has loaded) replaces the run that carried it."""
    change = st.session_state.get(COOKIE_CHANGE)
    if change == "set" and st.session_state.get("authentication_status"):
        authenticator.cookie_controller.set_cookie()
    elif change == "delete":
        authenticator.cookie_controller.delete_cookie()
    else:
        return
    if st.session_state.get(change) is True:
        del st.session_state[COOKIE_CHANGE]


def release_expired_lockouts(users: Users, now: float | None = None) -> None:
    """streamlit-authenticator locks an account after too many failures and never unlocks it:
    unlock it once LOCKOUT_SECONDS have passed since it was locked."""
    now = time.time() if now is None else now
    for username, account in users.credentials["usernames"].items():
        if account.get("failed_login_attempts", 0) < MAX_LOGIN_ATTEMPTS:
            users.locked_since.pop(username, None)
            continue
        since = users.locked_since.setdefault(username, now)
        if now - since >= LOCKOUT_SECONDS:
            account["failed_login_attempts"] = 0
            users.locked_since.pop(username, None)


def signed_in(users: Users) -> User | None:
    """The signed-in user, from the users file (not from anything the browser sent)."""
    if st.session_state.get("authentication_status") is not True:
        return None
    return users.by_username.get(st.session_state.get("username"))
