"""Sign-in, roles, pages per role and the setup checks that keep a real deployment safe."""

from __future__ import annotations

import json

import bcrypt
import pytest
import yaml

from dashboard.access import auth, settings
from dashboard.privacy.disclosure import MARKER
from dashboard.problems import SetupProblem
from dashboard.shell.navigation import VIEWS
from tests import case_db
from tests.apptest import open_app, text_of
from tests.conftest import OVERVIEW_TABLES


@pytest.fixture
def fixture_db(tmp_path, monkeypatch):
    return case_db.served(tmp_path / "cases.sqlite", OVERVIEW_TABLES, monkeypatch)


def menu(app) -> list[str]:
    return [link.proto.label for link in app.get("page_link")]


# --- the users file and the cookie key ---


def demo_accounts() -> dict:
    return yaml.safe_load(auth.DEMO_USERS_FILE.read_text())["credentials"]["usernames"]


def test_demo_accounts_have_the_documented_password_and_roles():
    accounts = demo_accounts()
    assert {name: a["roles"] for name, a in accounts.items()} == {
        "leader": ["leadership"],
        "trustee": ["trustee"],
        "commissioner": ["commissioner"],
    }
    for account in accounts.values():
        assert bcrypt.checkpw(b"fbs-demo", account["password"].encode())
    assert accounts["commissioner"]["sites"] == ["Suffolk"]


def test_the_demo_commissioners_site_is_one_demo_site():
    from seed_data import generate

    sites = generate(scale=1, seed=42)["sites"]["name"].tolist()
    assert demo_accounts()["commissioner"]["sites"][0] in sites


@pytest.mark.parametrize(
    "change, complaint",
    [
        (lambda a: a["leader"].update(roles=["leadership", "trustee"]), "exactly one role"),
        (lambda a: a["leader"].update(roles=["admin"]), "exactly one role"),
        (lambda a: a["commissioner"].pop("sites"), "must list the sites"),
        (lambda a: a["trustee"].update(password="fbs-demo"), "no bcrypt-hashed password"),
        (lambda a: a.update(Leader=a.pop("leader")), "write it as 'leader'"),
    ],
)
def test_a_users_file_with_a_mistake_is_refused(change, complaint):
    config = yaml.safe_load(auth.DEMO_USERS_FILE.read_text())
    change(config["credentials"]["usernames"])
    with pytest.raises(SetupProblem) as problem:
        auth.parse_users(yaml.safe_dump(config), "users.yaml")
    assert complaint in " ".join(problem.value.details)


def test_outside_demo_mode_a_missing_public_or_short_cookie_key_is_refused(monkeypatch):
    monkeypatch.delenv("AUTH_COOKIE_KEY")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///cases.sqlite")
    with pytest.raises(SetupProblem):
        auth.cookie_key(settings.read())
    for weak in (auth.DEMO_COOKIE_KEY, "some_key", "short-but-set"):
        monkeypatch.setenv("AUTH_COOKIE_KEY", weak)
        with pytest.raises(SetupProblem):
            auth.cookie_key(settings.read())
    monkeypatch.setenv("AUTH_COOKIE_KEY", "x" * 40)
    assert auth.cookie_key(settings.read()) == "x" * 40
    monkeypatch.delenv("AUTH_COOKIE_KEY")
    monkeypatch.delenv("DATABASE_URL")
    assert auth.cookie_key(settings.read()) == auth.DEMO_COOKIE_KEY


def test_a_locked_account_is_released_after_the_lockout():
    users = auth.parse_users(auth.DEMO_USERS_FILE.read_text(), "demo")
    users.credentials["usernames"]["trustee"]["failed_login_attempts"] = auth.MAX_LOGIN_ATTEMPTS
    auth.release_expired_lockouts(users, now=1000.0)
    auth.release_expired_lockouts(users, now=1000.0 + auth.LOCKOUT_SECONDS - 1)
    assert users.credentials["usernames"]["trustee"]["failed_login_attempts"] == auth.MAX_LOGIN_ATTEMPTS
    auth.release_expired_lockouts(users, now=1000.0 + auth.LOCKOUT_SECONDS)
    assert users.credentials["usernames"]["trustee"]["failed_login_attempts"] == 0


def test_a_password_check_counts_the_attempt_and_never_fails_outright():
    users = auth.parse_users(auth.DEMO_USERS_FILE.read_text(), "demo")
    account = users.credentials["usernames"]["trustee"]
    assert auth.check_password(users, "trustee", "x" * 100) == "refused"  # bcrypt takes 72 bytes at most
    assert auth.check_password(users, "nobody", "fbs-demo") == "refused"
    assert account["failed_login_attempts"] == 1
    assert auth.check_password(users, " Trustee ", "fbs-demo") == "signed_in"
    assert account["failed_login_attempts"] == 0


# --- the app ---


def test_real_data_without_a_users_file_shows_a_setup_message(fixture_db, monkeypatch):
    monkeypatch.delenv("USERS_FILE")
    app = open_app(None)
    assert not app.exception
    assert "No users file is configured" in text_of(app)
    assert not app.text_input  # no sign-in form


def test_real_data_without_a_cookie_key_shows_a_setup_message(fixture_db, monkeypatch):
    monkeypatch.delenv("AUTH_COOKIE_KEY")
    app = open_app(None)
    assert "cookie key is missing or not secret" in text_of(app)
    assert not app.metric


@pytest.mark.parametrize("setting", ["5", "0", "6", "7.5", "seven"])
def test_a_threshold_below_the_policy_or_not_whole_stops_the_dashboard(fixture_db, monkeypatch, setting):
    monkeypatch.setenv("SUPPRESSION_THRESHOLD", setting)
    app = open_app("trustee", {"period": "Quarter", "quarter": "2024/25 Q3"})
    assert not app.exception
    assert "SUPPRESSION_THRESHOLD" in text_of(app) and "at least 7" in text_of(app)
    assert not app.metric and not app.dataframe  # no figure at all, for anyone


def test_a_raised_threshold_is_obeyed(fixture_db, monkeypatch):
    monkeypatch.setenv("SUPPRESSION_THRESHOLD", "9")
    app = open_app("trustee", {"period": "Quarter", "quarter": "2024/25 Q3"})
    # Q3's three referrals: from 1 to 9, so the marker says so.
    assert {m.label: m.value for m in app.metric}["Referrals received"] == "1–9"


def test_signed_out_there_is_a_form_and_no_figures(fixture_db):
    app = open_app(None, page=None)
    assert not app.exception
    assert [t.label for t in app.text_input] == ["Username", "Password"]
    assert not app.metric
    # The one chart is the hidden, empty one that has the browser load the charting code early.
    charts = app.get("plotly_chart")
    assert len(charts) == 1 and json.loads(charts[0].proto.spec).get("data", []) == []
    assert "Demo accounts" not in text_of(app)  # only on the demo database


def sign_in(app, username: str, password: str):
    app.text_input[0].input(username)
    app.text_input[1].input(password)
    app.button[0].click()
    return app.run()


def browser_reports(app, change: str):
    """What the cookie component does once the browser has stored (or removed) the cookie."""
    app.session_state[change] = True
    return app.run()


def test_signing_in_through_the_form_opens_the_overview_once_the_cookie_is_stored(fixture_db):
    app = sign_in(open_app(None), "trustee", "fbs-demo")
    assert "Signed in. Opening the page" in text_of(app)
    assert not app.metric
    app.run()  # AppTest has no browser to report the cookie stored: the page waits, still asking
    assert "Signed in. Opening the page" in text_of(app)
    assert app.session_state[auth.COOKIE_CHANGE] == "set"
    app = browser_reports(app, "set")
    assert not app.exception
    assert auth.COOKIE_CHANGE not in app.session_state
    assert app.title[0].value == "Overview"
    assert "Signed in as **Demo trustee** (Trustee)" in text_of(app)


def test_without_remembered_sign_ins_no_cookie_is_waited_for(fixture_db, monkeypatch):
    monkeypatch.setenv("AUTH_COOKIE_EXPIRY_DAYS", "0")
    app = sign_in(open_app(None), "trustee", "fbs-demo")
    assert app.title[0].value == "Overview"
    assert auth.COOKIE_CHANGE not in app.session_state


@pytest.mark.parametrize("username, password", [("trustee", "wrong"), ("nobody", "fbs-demo")])
def test_a_wrong_password_or_unknown_user_gets_a_message_and_no_access(fixture_db, username, password):
    app = sign_in(open_app(None), username, password)
    assert "do not match an account" in text_of(app)
    assert not app.metric


def test_repeated_failures_lock_the_account(fixture_db):
    app = open_app(None)
    for _ in range(auth.MAX_LOGIN_ATTEMPTS):
        app = sign_in(app, "leader", "guess")
    app = sign_in(app, "leader", "fbs-demo")  # even the right password, once locked
    assert "locked after too many failed attempts" in text_of(app)
    assert not app.metric


@pytest.mark.parametrize(
    "user, pages",
    [
        ("leader", [v.title for v in VIEWS]),
        ("trustee", [v.title for v in VIEWS if "trustee" in v.roles]),
        ("commissioner", [v.title for v in VIEWS if "commissioner" in v.roles]),
    ],
)
def test_each_role_gets_exactly_its_pages(fixture_db, user, pages):
    app = open_app(user)
    assert not app.exception
    assert menu(app) == pages
    assert "Data quality" in [v.title for v in VIEWS]  # a leadership-only page exists to withhold


@pytest.mark.parametrize("user", ["trustee", "commissioner"])
def test_a_forbidden_page_by_url_says_so_and_shows_no_data(fixture_db, user):
    app = open_app(user, page="data_quality")
    assert not app.exception
    assert "not available for your role" in text_of(app)
    assert not app.metric and not app.dataframe and not app.get("plotly_chart")


def test_signing_out_removes_access_and_the_cookie(fixture_db):
    app = open_app("leader")
    [sign_out] = [b for b in app.button if b.label == "Sign out"]
    sign_out.click()
    app.run()
    assert not app.metric
    assert "Signing out" in text_of(app)
    assert app.session_state[auth.COOKIE_CHANGE] == "delete"
    app = browser_reports(app, "delete")
    assert auth.COOKIE_CHANGE not in app.session_state
    assert [t.label for t in app.text_input] == ["Username", "Password"]
    assert not app.metric


def test_a_commissioner_sees_their_site_only(fixture_db):
    app = open_app("commissioner", {"period": "Quarter", "quarter": "2024/25 Q3"})
    assert app.multiselect(key="sites").options == ["Southby"]
    figures = {m.label: m.value for m in app.metric}
    # Southby in Q3 (conftest): one referral, one family active, one enrolment, no exit, one
    # open escalation. Every count from 1 to 7 is the marker for a commissioner; 0 stays 0.
    assert figures == {
        "Referrals received": MARKER,
        "Families active": MARKER,
        "New enrolments": MARKER,
        "Exits": "0",
        "Open escalations": MARKER,
    }
    assert "protect families' privacy" in text_of(app)


def test_leadership_sees_exact_small_figures(fixture_db):
    app = open_app("leader", {"period": "Quarter", "quarter": "2024/25 Q3", "sites": "Southby"})
    assert {m.label: m.value for m in app.metric}["Referrals received"] == "1"
    assert "protect families' privacy" not in text_of(app)


def test_continue_goes_on_should_the_browser_never_report_the_cookie(fixture_db):
    app = sign_in(open_app(None), "trustee", "fbs-demo")
    [go_on] = [b for b in app.button if b.label == "Continue"]
    go_on.click()
    app.run()
    assert app.title[0].value == "Overview"
    assert auth.COOKIE_CHANGE not in app.session_state


def test_people_signing_in_to_one_account_at_once_do_not_lock_it():
    from concurrent.futures import ThreadPoolExecutor

    users = auth.parse_users(auth.DEMO_USERS_FILE.read_text(), "demo")
    tries = 2 * auth.MAX_LOGIN_ATTEMPTS
    with ThreadPoolExecutor(max_workers=tries) as pool:
        results = list(pool.map(lambda _: auth.check_password(users, "leader", "fbs-demo"), range(tries)))
    assert results == ["signed_in"] * tries
    assert users.credentials["usernames"]["leader"]["failed_login_attempts"] == 0
