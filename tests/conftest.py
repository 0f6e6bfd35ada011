from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest
import streamlit as st
import yaml
from hypothesis import settings

from tests import case_db
from tests.case_db import escalation, family, parent, referral, session, site

# The suite is the gate for landing work, so its property tests try the same examples on every
# run: a failure is reproduced by running again. HYPOTHESIS_PROFILE=explore searches afresh (and
# ten times as long), to look for new counter-examples before they are pinned with @example.
settings.register_profile("repeatable", derandomize=True, print_blob=True)
settings.register_profile(
    "explore", derandomize=False, print_blob=True, max_examples=settings.default.max_examples * 10
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


BROWSER_TESTS = Path(__file__).parent / "browser"


def pytest_collection_modifyitems(items):
    # The markers `./bin/test --fast` leaves out (pyproject.toml), given by what a test needs, so
    # that no test can forget its own: Chromium, under tests/browser; the PostgreSQL server, by
    # its fixture or its backend.
    for item in items:
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.browser)
        callspec = getattr(item, "callspec", None)
        on_postgres = callspec is not None and callspec.params.get("backend") == "postgresql"
        if on_postgres or "postgres_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgresql)


def pytest_generate_tests(metafunc):
    if metafunc.definition.get_closest_marker("both_backends"):
        metafunc.parametrize("backend", ["sqlite", "postgresql"], indirect=True, scope="module")


@pytest.fixture(scope="session")
def postgres_server():
    from tests.postgres import PostgresServer

    try:
        server = PostgresServer()
    except Exception as problem:  # a missing or broken PostgreSQL must fail the run, not skip
        pytest.fail(f"The PostgreSQL test server could not start: {problem}")
    yield server
    server.stop()


@pytest.fixture(scope="module", autouse=True)
def backend(request):
    """The database this module's fixtures are written to (see tests/case_db.py)."""
    name = getattr(request, "param", "sqlite")
    backend_token = case_db.BACKEND.set(name)
    server_token = case_db.POSTGRES.set(request.getfixturevalue("postgres_server")) if name == "postgresql" else None
    yield name
    if server_token is not None:
        case_db.POSTGRES.reset(server_token)
    case_db.BACKEND.reset(backend_token)


@pytest.fixture(autouse=True)
def _fresh_streamlit_caches(monkeypatch):
    # AppTest shares st.cache_* across tests in one process; one test's engine must not leak.
    st.cache_data.clear()
    st.cache_resource.clear()
    # With its resources cleared before every test, the app would freeze this whole process for
    # the garbage collector again and again (dashboard/app.py), keeping every earlier test's
    # garbage: the suite counts the calls instead (tests/test_app_shell.py).
    monkeypatch.setattr(gc, "freeze", lambda: None)
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


TEST_COOKIE_KEY = "test-only-cookie-key-that-is-long-enough-0123456789"


@pytest.fixture(autouse=True)
def _test_users(tmp_path_factory, monkeypatch):
    """The demo accounts, with the commissioner commissioning the fixture site 'Southby'."""
    from dashboard.access.auth import DEMO_USERS_FILE

    config = yaml.safe_load(DEMO_USERS_FILE.read_text())
    config["credentials"]["usernames"]["commissioner"]["sites"] = ["Southby"]
    path = tmp_path_factory.getbasetemp() / "users.yaml"
    path.write_text(yaml.safe_dump(config))
    monkeypatch.setenv("USERS_FILE", str(path))
    monkeypatch.setenv("AUTH_COOKIE_KEY", TEST_COOKIE_KEY)
    return path


# Three sites; the period most tests use is 2024/25 Q3 (1 Oct to 31 Dec 2024).
OVERVIEW_TABLES = {
    "sites": [site(1, "Northby"), site(2, "Southby"), site(3, "Eastby")],
    "families": [
        family(1, 1, "2024-05-01"),  # open throughout
        family(2, 1, "2024-10-15"),  # enrols in Q3
        family(3, 1, "2023-01-01", exit_on="2024-10-01", reason="completed"),  # exits on Q3's first day
        family(4, 2, "2024-02-01", exit_on="2024-09-30", reason="disengaged"),  # exits on Q2's last day
        family(5, 2, "2025-01-05"),  # enrols after Q3
        family(6, 2, "2024-12-31"),  # enrols on Q3's last day
    ],
    "referrals": [
        referral(1, 1, "2024-10-01", family_id=1, decided="2024-10-05"),
        referral(2, 1, "2024-12-31", decision="pending"),
        referral(3, 1, "2024-09-30", decision="not_eligible", decided="2024-10-02"),
        referral(4, 2, "2024-11-15", decision="pending"),
        referral(5, 2, "2025-01-01", decision="pending"),
    ],
    "parents": [parent(1, 1)],
    "sessions": [session(1, 1, "2025-01-20")],
    "safeguarding_events": [
        escalation(1, 1, "2024-11-01"),  # open at Q3's end
        escalation(2, 1, "2024-06-01", resolved="2024-12-31"),  # resolved on Q3's last day
        escalation(3, 6, "2024-12-31", resolved="2025-01-10"),  # raised on Q3's last day
        escalation(4, 3, "2025-01-02"),  # raised after Q3
        escalation(5, 4, "2024-08-01", resolved="2024-08-20"),  # opened and closed in Q2
    ],
}


@pytest.fixture
def overview_db(tmp_path) -> str:
    return case_db.build(tmp_path / "overview.sqlite", OVERVIEW_TABLES)
