"""Sign-in: the users file, the cookie key, the password and sign-in cookie checks (the cookie is
streamlit-authenticator's, written by its cookie component), and who is signed in.

A users file holds streamlit-authenticator credentials (bcrypt-hashed passwords), one role per
user and, for commissioners, the names of the sites they commission. The demo accounts in
seed_data/demo_users.yaml are used only on the embedded demo database.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import jwt
import streamlit as st
import streamlit_authenticator as stauth
import yaml
from streamlit_authenticator.controllers import CookieController

from dashboard.access.settings import Settings
from dashboard.paths import SEED_DATA
from dashboard.problems import SetupProblem
from queries.scope import ROLES

DEMO_USERS_FILE = SEED_DATA / "demo_users.yaml"
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
ATTEMPT_RESULT = "sign_in_result"  # the last sign-in attempt's result, for the form's message


@dataclass(frozen=True)
class User:
    username: str
    name: str
    role: str
    site_names: tuple[str, ...] = ()


@dataclass
class Users:
    """The users file, parsed and checked, shared by every session of this server: `credentials`
    (streamlit-authenticator's format) also counts each account's failed attempts, and
    `signed_out_at` says when each user last signed out."""

    credentials: dict
    by_username: dict[str, User]
    cookie_name: str
    expiry_days: float
    locked_since: dict[str, float] = field(default_factory=dict)
    signed_out_at: dict[str, float] = field(default_factory=dict)
    attempts_lock: threading.Lock = field(default_factory=threading.Lock)


def users_file(settings: Settings) -> Path:
    if settings.users_file is not None:
        return settings.users_file
    if settings.demo:
        return DEMO_USERS_FILE
    raise SetupProblem(
        "No users file is configured, so nobody can sign in.",
        advice="Set USERS_FILE (or users_file in the [auth] section of .streamlit/secrets.toml) to a "
        "streamlit-authenticator credentials file; seed_data/demo_users.yaml shows the format.",
    )


def cookie_key(settings: Settings) -> str:
    configured, demo = settings.cookie_key, settings.demo
    if configured and (demo or (configured not in PUBLIC_COOKIE_KEYS and len(configured) >= MIN_COOKIE_KEY_LENGTH)):
        return configured
    if demo and not configured:
        return DEMO_COOKIE_KEY
    raise SetupProblem(
        "The sign-in cookie key is missing or not secret, so the dashboard will not start on real data.",
        (f"It must be set, at least {MIN_COOKIE_KEY_LENGTH} characters long, and not a published default.",),
        "Set AUTH_COOKIE_KEY (or auth_cookie_key in the [auth] section of .streamlit/secrets.toml) to a "
        "long random value, for example the output of: python -c 'import secrets; print(secrets.token_urlsafe(48))'",
    )


def parse_users(text: str, source: str, expiry_days: float | None = None) -> Users:
    """Check a users file's content: every user has a hashed password and one known role, and
    every commissioner names at least one site. `expiry_days` (AUTH_COOKIE_EXPIRY_DAYS) overrides
    the file's cookie expiry."""
    try:
        config = yaml.safe_load(text) or {}
        accounts = config["credentials"]["usernames"]
    except (yaml.YAMLError, KeyError, TypeError):
        raise SetupProblem(
            f"The users file {source} is not in the expected format.",
            advice="seed_data/demo_users.yaml shows the format.",
        ) from None
    problems, users = [], {}
    for username, account in accounts.items():
        roles = account.get("roles") or []
        sites = tuple(account.get("sites") or ())
        if len(roles) != 1 or roles[0] not in ROLES:
            problems.append(f"User '{username}' needs exactly one role of: {', '.join(ROLES)}.")
        elif roles[0] == "commissioner" and not sites:
            problems.append(f"Commissioner '{username}' must list the sites they commission.")
        if username != str(username).strip().lower():
            problems.append(
                f"User '{username}': usernames are matched in lower case, without spaces; "
                f"write it as '{str(username).strip().lower()}'."
            )
        if not str(account.get("password", "")).startswith("$2"):
            problems.append(f"User '{username}' has no bcrypt-hashed password.")
        if not problems:
            users[username] = User(username, account.get("name", username), roles[0], sites)
    if problems:
        raise SetupProblem(f"The users file {source} has problems.", tuple(problems))
    cookie = config.get("cookie") or {}
    expiry = expiry_days if expiry_days is not None else float(cookie.get("expiry_days", 1))
    return Users(config["credentials"], users, cookie.get("name", "fbs_dashboard"), expiry)


@st.cache_resource(show_spinner=False)
def _shared_users(path: str, modified: float, expiry_days: float | None) -> Users:
    # One parsed copy per users file (and per edit of it), shared by every session, so that
    # failed sign-in attempts are counted across sessions and browsers.
    return parse_users(Path(path).read_text(encoding="utf-8"), path, expiry_days)


def load_users(settings: Settings) -> Users:
    path = users_file(settings)
    if not path.is_file():
        raise SetupProblem(f"The users file {path} was not found.")
    return _shared_users(str(path), path.stat().st_mtime, settings.cookie_expiry_days)


def sign_in_from_cookie(users: Users, key: str) -> None:
    """Sign the session in from the sign-in cookie the browser sent when it connected: a token
    (streamlit-authenticator's, PyJWT HS256) signed with this server's key, unexpired, for a user
    still in the users file, issued after that user last signed out. Not after signing out in this
    session, whose cookie may still be the one sent then, nor when sign-ins are not remembered."""
    if st.session_state.get("authentication_status") or st.session_state.get("logout") or users.expiry_days <= 0:
        return
    token = st.context.cookies.get(users.cookie_name)
    if not token:
        return
    try:
        claims = jwt.decode(token, key, algorithms=["HS256"])
    except jwt.PyJWTError:
        return
    username, expires = claims.get("username"), float(claims.get("exp_date", 0))
    issued = expires - users.expiry_days * 24 * 3600
    if username in users.by_username and expires > time.time() and issued > users.signed_out_at.get(username, 0):
        _sign_in_as(users, username)


def _sign_in_as(users: Users, username: str) -> None:
    st.session_state["authentication_status"] = True
    st.session_state["username"] = username
    st.session_state["name"] = users.by_username[username].name


# A bcrypt hash of a password no account has: an unknown username is refused after the same work
# as a known one, so the time taken does not tell which usernames exist.
_NO_ACCOUNT_HASH = "$2b$12$uqip0UAzf/.uwGn7lKg7retwmma6WTl0TSNYcMoyeMOqMi4iyL.7u"


def check_password(users: Users, username: str, password: str) -> str:
    """Check a username and password against the users file: "signed_in", "refused", or "locked"
    once MAX_LOGIN_ATTEMPTS failures in a row have been made. Failures are counted under a lock,
    so failures made side by side in several sessions are all counted (not counted before the
    check: people signing in to one account at once with the right password would lock it)."""
    account = users.credentials["usernames"].get(username.lower().strip())
    if account is not None and account.get("failed_login_attempts", 0) >= MAX_LOGIN_ATTEMPTS:
        return "locked"
    try:
        matches = stauth.Hasher.check_pw(password.strip(), account["password"] if account else _NO_ACCOUNT_HASH)
    except ValueError:  # bcrypt refuses a password over 72 bytes
        matches = False
    if account is None:
        return "refused"
    with users.attempts_lock:
        account["failed_login_attempts"] = 0 if matches else account.get("failed_login_attempts", 0) + 1
    return "signed_in" if matches else "refused"


def sign_in(users: Users, username: str, password: str) -> None:
    """Sign the session in if the password is right, owing the browser a cookie unless sign-ins
    are not remembered (expiry 0 days); ATTEMPT_RESULT says how the attempt went ("incomplete"
    when a field was left empty)."""
    if not (username.strip() and password.strip()):
        st.session_state[ATTEMPT_RESULT] = "incomplete"
        return
    result = check_password(users, username, password)
    st.session_state[ATTEMPT_RESULT] = result
    if result == "signed_in":
        _sign_in_as(users, username.lower().strip())
        if users.expiry_days > 0:
            owe_cookie_change("set")


def sign_out(users: Users) -> None:
    """End the session's sign-in. Cookies issued to this user before now are refused from now on
    (by this server), whether or not the browser removes its own; it is owed that removal."""
    username = st.session_state.get("username")
    if username:
        users.signed_out_at[username] = time.time()
    for name in ("authentication_status", "username", "name", ATTEMPT_RESULT):
        st.session_state.pop(name, None)
    st.session_state["logout"] = True
    owe_cookie_change("delete")


def owe_cookie_change(change: str | None) -> None:
    """Owe the browser a change to its sign-in cookie ("set" or "delete"); None: stop waiting."""
    if change is None:
        st.session_state.pop(COOKIE_CHANGE, None)
    else:
        st.session_state[COOKIE_CHANGE] = change


def cookie_change_owed() -> str | None:
    """ "set" or "delete" while the browser has not reported the sign-in cookie stored or removed."""
    return st.session_state.get(COOKIE_CHANGE)


def draw_owed_cookie_change(users: Users, key: str) -> None:
    """While a cookie change is owed, draw the streamlit-authenticator cookie component that makes
    it, on every run until the browser reports it done (the component's value, under its own key
    "set" or "delete", turns True): drawn once, it can be replaced by a rerun before the browser
    mounts it. Drawn only then: its cookie manager reruns the app once it has loaded, and a rerun
    that lands as a button's run starts loses that click (Streamlit drops the trigger), so no page
    a person can click on carries it."""
    change = cookie_change_owed()
    if change is None:
        return
    # The controller alone: streamlit-authenticator's Authenticate would also rewrite the shared
    # credentials (it lower-cases their usernames in place).
    cookies = CookieController(users.cookie_name, key, users.expiry_days)
    if change == "set":
        cookies.set_cookie()
    else:
        cookies.delete_cookie()
    if st.session_state.get(change) is True:
        owe_cookie_change(None)


def release_expired_lockouts(users: Users, now: float | None = None) -> None:
    """An account is locked after MAX_LOGIN_ATTEMPTS failures in a row (check_password): unlock it
    once LOCKOUT_SECONDS have passed since it was locked."""
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
    return users.by_username.get(str(st.session_state.get("username", "")))
