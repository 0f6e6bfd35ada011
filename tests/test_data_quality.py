"""Data quality checks against faults placed by hand (Northby, Southby; Eastby is clean and holds
the edge cases that must not count), against the generator's own faults, and the page in AppTest."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import create_engine
from streamlit.testing.v1 import AppTest

import seed_data
from dashboard.words import labels
from dashboard.words.definitions import data_quality as definitions
from queries import data_quality
from queries.periods import Period
from queries.scope import NO_SITE_FILTER, Filters, Scope
from seed_data.faults import FAULT_ROWS_PER_SCALE, FAULTS
from tests import case_db
from tests.case_db import d, escalation, family, parent, practitioner, referral, session, site

pytestmark = pytest.mark.both_backends

ROOT = Path(__file__).resolve().parents[1]
CHECKS = list(data_quality.CHECKS)


def assessment(
    assessment_id: int, family_id: int, time_point: str, on: str | None, *, parent_id: int | None = None
) -> case_db.Row:
    """A parent's CORE-10 when parent_id is given, else the baby's ASQ-3 communication score."""
    return {
        "assessment_id": assessment_id,
        "family_id": family_id,
        "subject": "parent" if parent_id else "baby",
        "parent_id": parent_id,
        "instrument": "core10" if parent_id else "asq3_communication",
        "time_point": time_point,
        "assessed_on": d(on) if on else None,
        "score": 10.0,
        "within_normal_range": True,
    }


DQ_TABLES = {
    "sites": [site(1, "Northby"), site(2, "Southby"), site(3, "Eastby")],
    "practitioners": [practitioner(1, 1), practitioner(2, 2), practitioner(3, 3)],
    "families": [
        # Northby
        family(1, 1, "2024-01-20", birth="2024-01-05"),  # born 5 days before referral R1
        family(2, 1, "2023-09-01", birth="2023-08-20"),  # born the day R2 came: not before
        family(3, 1, "2023-05-01", birth="2023-07-01", exit_on="2024-06-30", reason="disengaged"),
        family(4, 1, "2023-06-01", exit_on="2024-02-01"),  # exit without a reason
        family(5, 1, "2023-07-01", reason="other"),  # a reason without an exit
        # Southby
        family(6, 2, "2024-02-01", birth="2024-01-25"),  # born 3 days before R5
        family(7, 2, "2024-03-01", birth="2024-02-10"),  # born 5 days before R6
        family(8, 2, "2023-03-01", birth="2023-05-01", exit_on="2024-05-01", reason="moved_away"),
        # Eastby: clean
        family(9, 3, "2022-06-01", birth="2022-08-01", exit_on="2024-08-01", reason="completed"),
        family(10, 3, "2024-09-01"),
    ],
    "referrals": [
        referral(1, 1, "2024-01-10", family_id=1),
        referral(2, 1, "2023-08-20", family_id=2),
        referral(3, 1, "2023-04-15", family_id=3),
        referral(4, 1, "2024-03-01", decision="not_eligible", gestation=None),  # gestation missing
        referral(5, 2, "2024-01-28", family_id=6),
        referral(6, 2, "2024-02-15", family_id=7),
        referral(7, 2, "2023-02-20", family_id=8),
        referral(8, 3, "2022-05-15", family_id=9, gestation=22),
        referral(9, 3, "2024-08-20", family_id=10, gestation=18),
    ],
    "parents": [
        parent(1, 1, "mother", 1),
        parent(2, 1, "father", None),  # no practitioner
        parent(3, 3, "mother", 1),
        parent(4, 6, "mother", None),
        parent(5, 7, "mother", None),  # no practitioner (both)
        parent(6, 8, "mother", 2),
        parent(7, 9, "mother", 3),
        parent(8, 10, "mother", 3),
    ],
    "sessions": [
        session(1, 3, "2024-06-30"),  # on F3's exit day: fine
        session(2, 3, "2024-07-05"),  # after F3's exit
        session(3, 3, "2024-07-20", status="did_not_attend"),  # after F3's exit (any status)
        session(4, 6, "2024-04-20"),
        session(5, 6, "2024-05-02", status="cancelled_by_service"),  # after F8's exit
        session(6, 7, "2024-07-15"),
        session(7, 7, "2024-08-01"),  # on F9's exit day: fine
    ],
    "safeguarding_events": [
        escalation(1, 1, "2024-05-10", resolved="2024-05-01"),  # resolved before raised
        escalation(2, 2, "2024-05-10", resolved="2024-05-10"),  # resolved the same day: fine
        escalation(3, 3, "2024-01-01"),  # still open: fine
        escalation(4, 8, "2024-01-10", resolved="2024-02-01"),
        escalation(5, 9, "2023-01-01", resolved="2023-02-01"),
    ],
    # Windows: F1 enrolled 2024-01-20; F6 enrolled 2024-02-01; F2 born 2023-08-20, so its m12 is
    # 2024-08-19 and m24 2025-08-19 (365 and 730 days on).
    "assessments": [
        assessment(1, 1, "entry", "2024-04-30", parent_id=1),  # 101 days after enrolment: out
        assessment(2, 2, "m12", "2024-11-16"),  # 89 days after m12: in
        assessment(3, 2, "m24", "2025-05-20"),  # 91 days before m24: out
        assessment(4, 2, "birth", None),  # no date: not counted
        assessment(5, 6, "entry", "2023-10-20", parent_id=4),  # 104 days before enrolment: out
        # Eastby: F9 enrolled 2022-06-01, born 2022-08-01 (m12 2023-08-01, m24 2024-07-31)
        assessment(6, 9, "entry", "2022-03-03", parent_id=7),  # exactly 90 days before: in
        assessment(7, 9, "birth", "2022-10-30"),  # exactly 90 days after: in
        assessment(8, 9, "m12", "2023-08-01"),
        assessment(9, 9, "m24", "2024-10-29"),  # exactly 90 days after: in
        assessment(10, 10, "entry", "2024-09-01", parent_id=8),
    ],
}

# Worked by hand from the comments above.
EXPECTED = {
    "Northby": {
        "birth_before_referral": 1,
        "session_after_exit": 2,
        "resolved_before_raised": 1,
        "assessment_outside_window": 2,
        "parent_without_practitioner": 1,
        "missing_gestation": 1,
        "exit_without_reason": 2,
    },
    "Southby": {
        "birth_before_referral": 2,
        "session_after_exit": 1,
        "resolved_before_raised": 0,
        "assessment_outside_window": 1,
        "parent_without_practitioner": 2,
        "missing_gestation": 0,
        "exit_without_reason": 0,
    },
    "Eastby": dict.fromkeys(CHECKS, 0),
}

Q3 = Filters(Period.quarter(2024, 3))


@pytest.fixture(scope="module")
def dq_db(tmp_path_factory):
    with case_db.connected(tmp_path_factory.mktemp("dq") / "dq.sqlite", DQ_TABLES) as conn:
        yield conn


def as_nested(frame: pd.DataFrame) -> dict[str, dict[str, int]]:
    return {site_name: dict(zip(rows["check"], rows["records"])) for site_name, rows in frame.groupby("site")}


def test_every_check_counts_the_faults_placed_at_each_site(dq_db):
    frame = data_quality.problems_by_site(dq_db, Scope.leadership(), Q3)
    assert list(frame.columns) == ["site", "check", "records"]
    assert len(frame) == 3 * len(CHECKS)  # every check for every site, zeros included
    assert as_nested(frame) == EXPECTED
    # Ordered by site, then in the order the checks are listed.
    assert list(frame["check"][: len(CHECKS)]) == CHECKS
    assert list(frame["site"].unique()) == ["Eastby", "Northby", "Southby"]


def test_the_period_does_not_apply(dq_db):
    # Every placed fault is dated outside 2020/21, yet the figures are the same for that year.
    a_year_with_none_of_the_records = Filters(Period.custom(date(2020, 4, 1), date(2021, 3, 31)))
    frame = data_quality.problems_by_site(dq_db, Scope.leadership(), a_year_with_none_of_the_records)
    assert as_nested(frame) == EXPECTED


def test_a_commissioner_sees_only_their_sites(dq_db):
    frame = data_quality.problems_by_site(dq_db, Scope("commissioner", frozenset({2})), Q3)
    assert as_nested(frame) == {"Southby": EXPECTED["Southby"]}
    # A site filter outside the commissioner's scope selects nothing.
    frame = data_quality.problems_by_site(
        dq_db, Scope("commissioner", frozenset({2})), Filters(Q3.period, frozenset({1}))
    )
    assert frame.empty


def test_the_site_filter_narrows_leadership(dq_db):
    frame = data_quality.problems_by_site(dq_db, Scope.leadership(), Filters(Q3.period, frozenset({3})))
    assert as_nested(frame) == {"Eastby": EXPECTED["Eastby"]}


# The families behind each check's records, from the comments above: a family with several faulty
# records once; a faulty referral that enrolled nobody (R4) has no family.
AFFECTED = {
    "birth_before_referral": [1, 6, 7],
    "session_after_exit": [3, 8],
    "resolved_before_raised": [1],
    "assessment_outside_window": [1, 2, 6],
    "parent_without_practitioner": [1, 6, 7],
    "missing_gestation": [],
    "exit_without_reason": [4, 5],
}


@pytest.mark.parametrize("check", CHECKS)
def test_the_families_affected_by_each_check(dq_db, check):
    got = sorted(row[0] for row in dq_db.execute(data_quality.affected_families(check)))
    assert got == AFFECTED[check]


def test_every_check_has_a_name_and_definition():
    assert list(labels.CHECK) == CHECKS
    assert list(definitions.DATA_QUALITY_CHECKS) == CHECKS
    window = definitions.DATA_QUALITY_CHECKS["assessment_outside_window"]
    assert f"{data_quality.ASSESSMENT_WINDOW_DAYS} days" in window


# --- The generator's data ---


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Totals per check over all sites, for the generator's data without and with faults."""
    totals = {}
    for faults in (False, True):
        tables = seed_data.generate(scale=1, seed=42, as_at=date(2026, 11, 1), faults=faults)
        load_url, _ = case_db.empty_database(tmp_path_factory.mktemp("generated") / "cases.sqlite")
        engine = create_engine(load_url)
        seed_data.load(tables, engine, durable=False)
        with engine.connect() as conn:
            frame = data_quality.problems_by_site(conn, Scope.leadership(), NO_SITE_FILTER)
        engine.dispose()
        totals[faults] = frame.groupby("check")["records"].sum().to_dict()
    return totals


def test_generated_clean_data_pass_every_check(generated):
    # The generator always records gestation and gives every exit a reason, so every check is 0.
    assert generated[False] == dict.fromkeys(CHECKS, 0)


def test_every_generated_fault_is_found(generated):
    # seed_data/faults.py corrupts exactly FAULT_ROWS_PER_SCALE x scale rows per fault, no two
    # faults touching the same rows, and adds no missing gestation or exit without a reason.
    assert set(FAULTS) <= set(CHECKS)
    assert generated[True] == {check: FAULT_ROWS_PER_SCALE if check in FAULTS else 0 for check in CHECKS}


# --- The page ---


@pytest.fixture
def dq_url(tmp_path, monkeypatch):
    url = case_db.served(tmp_path / "dq.sqlite", DQ_TABLES, monkeypatch)
    monkeypatch.setenv("USERS_FILE", str(ROOT / "seed_data" / "demo_users.yaml"))
    monkeypatch.setenv("AUTH_COOKIE_KEY", "data-quality-test-cookie-key-0123456789abcdef")
    return url


def open_page(query_params: dict[str, str] | None = None) -> AppTest:
    """Run the app signed in as the demo senior leader, on the Data quality page."""
    app = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=60)
    app.query_params.update(query_params or {})
    app.session_state["authentication_status"] = True
    app.session_state["username"] = "leader"
    app.run()
    app.switch_page(str(ROOT / "pages" / "data_quality.py"))
    return app.run()


def test_page_shows_problems_for_leadership(dq_url):
    app = open_page()
    assert not app.exception
    assert [s.value for s in app.subheader] == ["Problems by check", "What each check counts"]
    assert len(app.get("plotly_chart")) == 1
    assert not app.success  # there are problems
    table = app.dataframe[0].value
    assert list(table.columns) == ["Site", "Check", "Records"]
    northby = table[table["Site"] == "Northby"].set_index("Check")["Records"].to_dict()
    assert northby[labels.CHECK["session_after_exit"]] == 2 and northby[labels.CHECK["exit_without_reason"]] == 2
    checks = app.dataframe[1].value
    assert list(checks["Check"]) == list(labels.CHECK.values())


def test_page_says_so_when_there_are_no_problems(dq_url):
    app = open_page({"sites": "Eastby"})
    assert not app.exception
    assert "No problems found" in app.success[0].value
    assert app.dataframe[0].value["Records"].sum() == 0
    assert not app.get("plotly_chart") and not app.tabs  # no empty axes: the table says it
    assert "Choose a row" not in [c.value for c in app.caption]  # no case list of nothing to open
