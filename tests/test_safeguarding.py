"""Safeguarding escalations: queries against answers worked out by hand from SAFEGUARDING_TABLES,
scope, the free-text column, and the page in AppTest for every role.

Period: 2024/25 Q3 (Tue 1 Oct – Tue 31 Dec 2024). The data-as-at date is 15 Jan 2025 (escalation
E9, the latest date recorded), so the snapshot for "open" figures is the period's end, 31 Dec 2024.
"""

from __future__ import annotations

import base64
import json
from datetime import date

import numpy
import pandas as pd
import pytest
from sqlalchemy import create_engine, event

from dashboard.viz import charts
from queries import safeguarding
from queries.periods import Period
from queries.scope import Filters, Scope
from tests import apptest, case_db
from tests.case_db import escalation, family, referral, site, social_care
from tests.test_scope_everywhere import query_functions

Q3 = Period.quarter(2024, 3)
ALL = (Scope.leadership(), Filters(Q3))
SOUTHBY = frozenset({2})
SOUTHBY_COMMISSIONER = (Scope("commissioner", SOUTHBY), Filters(Q3))
# Query tests run on SQLite and on a throwaway PostgreSQL (tests/conftest.py); page tests on SQLite.
both_backends = pytest.mark.both_backends
FREE_TEXT = "Alex Example disclosed an incident at 1 Sample Street"

SAFEGUARDING_TABLES = {
    "sites": [site(1, "Northby"), site(2, "Southby"), site(3, "Eastby")],
    "families": [
        # Active in Q3's months (enrolled by the month's end, not exited before its start):
        # Oct F1 F2 F3 F4 = 4; Nov F1 F2 F3 F4 F7 = 5; Dec F1 F2 F4 F5 F7 F8 = 6.
        # Southby alone: Oct F4 = 1; Nov F4 = 1; Dec F4 F5 F8 = 3.
        family(1, 1, "2024-05-01"),
        family(2, 1, "2024-10-15"),
        family(3, 1, "2023-01-01", exit_on="2024-11-01", reason="completed"),  # active on 1 Nov
        family(4, 2, "2024-06-01"),
        family(5, 2, "2024-12-05"),
        family(6, 2, "2022-01-01", exit_on="2024-09-30", reason="disengaged"),  # left before Q3
        family(7, 1, "2024-11-20"),
        family(8, 2, "2024-12-20"),
    ],
    "referrals": [
        referral(1, 1, "2024-04-20", family_id=1, decided="2024-04-25"),
        referral(2, 2, "2024-05-20", family_id=4, decided="2024-05-25"),
    ],
    "safeguarding_events": [
        # E1 Northby: raised Fri 4 Oct, reviewed Mon 7 Oct (within); resolved after 16 days.
        escalation(
            1,
            1,
            "2024-10-04",
            reviewed="2024-10-07",
            resolved="2024-10-20",
            level="dsl_internal",
            concern="domestic_abuse_incident",
            summary=FREE_TEXT,
        ),
        # E2 Northby: raised Tue 15 Oct, reviewed Thu 17 Oct, two working days later (not within);
        # resolved on the period's last day after 77 days.
        escalation(
            2,
            2,
            "2024-10-15",
            reviewed="2024-10-17",
            resolved="2024-12-31",
            level="child_in_need",
            concern="baby_welfare",
            summary=FREE_TEXT,
        ),
        # E3 Southby: raised and reviewed Mon 4 Nov (within); open at Q3's end (57 days old).
        escalation(
            3,
            4,
            "2024-11-04",
            reviewed="2024-11-04",
            resolved="2025-01-10",
            level="police",
            concern="domestic_abuse_incident",
            summary=FREE_TEXT,
        ),
        # E4 Southby: raised Wed 18 Dec, never reviewed (not within); open, 13 days old.
        escalation(4, 4, "2024-12-18", level="child_protection", concern="parental_mental_health", summary=FREE_TEXT),
        # E5 Northby: raised in June, resolved 15 Nov after 158 days (resolved in Q3, not raised).
        escalation(
            5, 3, "2024-06-10", reviewed="2024-06-10", resolved="2024-11-15", level="dsl_internal", summary=FREE_TEXT
        ),
        # E6 Northby: raised Fri 27 Dec, reviewed Mon 30 Dec (within); open, 4 days old.
        escalation(
            6, 1, "2024-12-27", reviewed="2024-12-30", level="dsl_internal", concern="substance_use", summary=FREE_TEXT
        ),
        # E7 Southby (family since left): raised 1 Sep, still open at Q3's end, 121 days old.
        escalation(7, 6, "2024-09-01", reviewed="2024-09-02", level="early_help", summary=FREE_TEXT),
        # E8 Southby: raised Fri 6 Dec, reviewed Tue 10 Dec (the Monday was the deadline: not
        # within); resolved the day it was raised (0 days).
        escalation(
            8,
            5,
            "2024-12-06",
            reviewed="2024-12-10",
            resolved="2024-12-06",
            level="dsl_internal",
            concern="housing_or_financial",
            summary=FREE_TEXT,
        ),
        # E9 Northby: raised after Q3 (sets the data-as-at date).
        escalation(9, 1, "2025-01-15", summary=FREE_TEXT),
        # E10 Northby: raised Mon 2 Dec, reviewed Tue 3 Dec (within); "resolved" 30 Nov, before it
        # was raised: a recording error, left out of days to resolution, not open at Q3's end.
        escalation(
            10,
            2,
            "2024-12-02",
            reviewed="2024-12-03",
            resolved="2024-11-30",
            level="early_help",
            concern="other",
            summary=FREE_TEXT,
        ),
        # E11 Northby: raised Sat 9 Nov, reviewed Mon 11 Nov (within); resolved after 21 days.
        escalation(
            11,
            7,
            "2024-11-09",
            reviewed="2024-11-11",
            resolved="2024-11-30",
            level="marac",
            concern="domestic_abuse_incident",
            summary=FREE_TEXT,
        ),
    ],
    "social_care_status": [
        social_care(1, "baseline", "none", "2024-05-01"),
        social_care(1, "birth", "child_in_need", "2024-11-01"),  # baseline→birth up
        social_care(2, "baseline", "child_protection", "2024-10-15"),
        social_care(2, "birth", "early_help", "2024-12-20"),  # baseline→birth down
        social_care(3, "baseline", "child_in_need", "2023-01-01"),
        social_care(3, "birth", "early_help", "2023-06-01"),  # down, but recorded before Q3
        social_care(3, "m12", "early_help", "2024-10-10"),  # birth→12 months same
        social_care(4, "baseline", "early_help", "2024-06-01"),
        social_care(4, "birth", "child_protection", "2024-10-20"),  # Southby: baseline→birth up
        social_care(5, "baseline", "none", "2024-12-05"),  # no later time point yet
        social_care(6, "m12", "looked_after", "2023-05-01"),
        social_care(6, "m24", "looked_after", "2024-12-31"),  # Southby: 12→24 same, Q3's last day
        social_care(7, "baseline", "none", "2024-11-20"),
        social_care(7, "birth", "child_protection", None),  # no recorded date: not counted
        social_care(8, "baseline", "child_in_need", "2024-12-20"),
        social_care(8, "m12", "none", "2024-12-21"),  # no birth status: gap not bridged
    ],
}


@pytest.fixture(scope="module")
def statements():
    return []


@pytest.fixture(scope="module")
def conn(tmp_path_factory, statements, backend):
    engine = create_engine(case_db.build(tmp_path_factory.mktemp("safeguarding") / "s.sqlite", SAFEGUARDING_TABLES))
    event.listen(
        engine, "before_cursor_execute", lambda _conn, _cursor, statement, *_rest: statements.append(statement)
    )
    with engine.connect() as connection:
        yield connection
    engine.dispose()


def records(frame: pd.DataFrame) -> list[tuple]:
    return [tuple(row) for row in frame.itertuples(index=False)]


def non_zero(frame: pd.DataFrame, value: str = "escalations") -> list[tuple]:
    frame = frame[frame[value] > 0].copy()
    if "month" in frame:
        frame["month"] = frame["month"].dt.strftime("%Y-%m")
    return records(frame)


QUERIES = list(query_functions(safeguarding))


def test_the_queries_were_found():
    assert {q.__name__ for q in QUERIES} == {
        "by_level_month",
        "by_concern_month",
        "open_by_age",
        "dsl_review_by_site",
        "resolution_by_level",
        "headline",
        "social_care_steps",
    }


# --- Escalations over time ---------------------------------------------------------------------


@both_backends
def test_escalations_by_level_and_month_with_rate_per_100_active_families(conn):
    frame = safeguarding.by_level_month(conn, *ALL)
    # Raised in Q3: Oct E1 (DSL), E2 (child in need); Nov E11 (MARAC), E3 (police);
    # Dec E6, E8 (DSL), E10 (early help), E4 (child protection). Active families 4, 5, 6.
    assert non_zero(frame) == [
        ("2024-10", "dsl_internal", 1, 4, 25.0),
        ("2024-10", "child_in_need", 1, 4, 25.0),
        ("2024-11", "police", 1, 5, 20.0),
        ("2024-11", "marac", 1, 5, 20.0),
        ("2024-12", "dsl_internal", 2, 6, pytest.approx(100 * 2 / 6)),
        ("2024-12", "early_help", 1, 6, pytest.approx(100 / 6)),
        ("2024-12", "child_protection", 1, 6, pytest.approx(100 / 6)),
    ]
    # Every month is listed for each of the six levels seen (care proceedings never is), 0 where none.
    assert len(frame) == 3 * 6
    assert "care_proceedings" not in set(frame["escalation_level"])
    october_police = frame[(frame["month"] == "2024-10-01") & (frame["escalation_level"] == "police")].iloc[0]
    assert (october_police["escalations"], october_police["per_100_families"]) == (0, 0.0)


@both_backends
def test_escalations_by_concern_and_month(conn):
    frame = safeguarding.by_concern_month(conn, *ALL)
    assert non_zero(frame) == [
        ("2024-10", "domestic_abuse_incident", 1, 4, 25.0),
        ("2024-10", "baby_welfare", 1, 4, 25.0),
        ("2024-11", "domestic_abuse_incident", 2, 5, 40.0),
        ("2024-12", "parental_mental_health", 1, 6, pytest.approx(100 / 6)),
        ("2024-12", "substance_use", 1, 6, pytest.approx(100 / 6)),
        ("2024-12", "housing_or_financial", 1, 6, pytest.approx(100 / 6)),
        ("2024-12", "other", 1, 6, pytest.approx(100 / 6)),
    ]


@both_backends
def test_escalations_by_level_for_a_commissioner(conn):
    # Southby: E3 (Nov, police), E4 (Dec, child protection), E8 (Dec, DSL); active 1, 1, 3.
    frame = safeguarding.by_level_month(conn, *SOUTHBY_COMMISSIONER)
    assert non_zero(frame) == [
        ("2024-11", "police", 1, 1, 100.0),
        ("2024-12", "dsl_internal", 1, 3, pytest.approx(100 / 3)),
        ("2024-12", "child_protection", 1, 3, pytest.approx(100 / 3)),
    ]
    assert frame.groupby(frame["month"].dt.month)["families_active"].first().to_dict() == {10: 1, 11: 1, 12: 3}


@both_backends
def test_a_period_after_the_data_has_no_months(conn):
    later = Filters(Period.quarter(2025, 2))  # Jul–Sep 2025, after the data-as-at date
    assert safeguarding.by_level_month(conn, Scope.leadership(), later).empty


# --- Open escalations ------------------------------------------------------------------------


@both_backends
def test_open_escalations_at_the_period_end_by_age(conn):
    frame = safeguarding.open_by_age(conn, *ALL)
    # Open on 31 Dec: E6 (4 days), E4 (13), E3 (57; resolved after Q3), E7 (121). E2 was resolved
    # on 31 Dec itself and E10's resolution is dated earlier: neither is open.
    assert non_zero(frame) == [
        ("0-7 days", "dsl_internal", 1),
        ("8-30 days", "child_protection", 1),
        ("31-90 days", "police", 1),
        ("over 90 days", "early_help", 1),
    ]
    assert frame["age_band"].unique().tolist() == ["0-7 days", "8-30 days", "31-90 days", "over 90 days"]
    assert len(frame) == 4 * 4


@both_backends
def test_open_escalations_snapshot_is_the_data_as_at_date_when_earlier(conn):
    # FY 2024/25 ends 31 Mar 2025, after the data-as-at date 15 Jan 2025: E3 is resolved by then,
    # E9 is open (0 days); E4 is 28 days old, E6 19, E7 136.
    frame = safeguarding.open_by_age(conn, Scope.leadership(), Filters(Period.financial_year(2024)))
    assert non_zero(frame) == [
        ("0-7 days", "dsl_internal", 1),
        ("8-30 days", "dsl_internal", 1),
        ("8-30 days", "child_protection", 1),
        ("over 90 days", "early_help", 1),
    ]
    row = safeguarding.headline(conn, Scope.leadership(), Filters(Period.financial_year(2024))).iloc[0]
    assert (row["snapshot_on"], row["open_at_snapshot"]) == (date(2025, 1, 15), 4)


# --- DSL review within one working day ------------------------------------------------------------


@both_backends
@pytest.mark.parametrize(
    ("raised", "deadline"),
    [
        ("2024-10-07", "2024-10-08"),  # Monday → Tuesday
        ("2024-10-10", "2024-10-11"),  # Thursday → Friday
        ("2024-10-11", "2024-10-14"),  # Friday → Monday
        ("2024-10-12", "2024-10-14"),  # Saturday → Monday
        ("2024-10-13", "2024-10-14"),  # Sunday → Monday
    ],
)
def test_the_next_working_day(raised, deadline):
    assert safeguarding._next_working_day(date.fromisoformat(raised)) == date.fromisoformat(deadline)


@both_backends
def test_share_reviewed_within_one_working_day_by_site(conn):
    frame = safeguarding.dsl_review_by_site(conn, *ALL)
    # Northby raised E1 (Fri→Mon: within), E2 (Tue→Thu: later), E6 (Fri→Mon: within),
    # E10 (next day: within), E11 (Sat→Mon: within). Southby raised E3 (same day: within),
    # E4 (not reviewed) and E8 (Fri→Tue: later). Eastby raised none and is not listed.
    assert [row[:4] for row in records(frame)] == [
        ("Northby", "within", 4, 5),
        ("Northby", "later", 1, 5),
        ("Northby", "not_reviewed", 0, 5),
        ("Southby", "within", 1, 3),
        ("Southby", "later", 1, 3),
        ("Southby", "not_reviewed", 1, 3),
    ]
    assert frame["share"].tolist() == pytest.approx([4 / 5, 1 / 5, 0, 1 / 3, 1 / 3, 1 / 3])


@both_backends
def test_headline(conn):
    row = safeguarding.headline(conn, *ALL).iloc[0]
    # Raised in Q3: E1 E2 E3 E4 E6 E8 E10 E11 = 8, of which 5 within one working day.
    # Resolved in Q3 (E10 left out): E1 16, E2 77, E5 158, E8 0, E11 21 days → median 21.
    assert (row["raised"], row["reviewed_within"]) == (8, 5)
    assert (row["resolved"], row["median_days_to_resolution"]) == (5, 21)
    assert (row["open_at_snapshot"], row["snapshot_on"]) == (4, date(2024, 12, 31))


@both_backends
def test_headline_for_a_commissioner(conn):
    row = safeguarding.headline(conn, *SOUTHBY_COMMISSIONER).iloc[0]
    # Southby: raised E3 (within), E4, E8; resolved E8 (0 days); open E3, E4, E7.
    assert (row["raised"], row["reviewed_within"], row["resolved"]) == (3, 1, 1)
    assert row["median_days_to_resolution"] == 0
    assert row["open_at_snapshot"] == 3


# --- Days to resolution ---------------------------------------------------------------------------


@both_backends
def test_median_days_to_resolution_by_level(conn):
    # DSL: E1 16, E5 158, E8 0 → median 16; child in need: E2 77 (resolved on Q3's last day);
    # MARAC: E11 21. E10 (resolved before raised) and E3 (resolved after Q3) are left out.
    assert records(safeguarding.resolution_by_level(conn, *ALL)) == [
        ("dsl_internal", 3, 16.0),
        ("child_in_need", 1, 77.0),
        ("marac", 1, 21.0),
    ]


# --- Social care steps ---------------------------------------------------------------------------


@both_backends
def test_social_care_steps_between_successive_time_points(conn):
    frame = safeguarding.social_care_steps(conn, *ALL)
    # Later status recorded in Q3: F1 none→child in need (up), F2 child protection→early help
    # (down), F4 early help→child protection (up); F3 early help→early help at 12 months (same);
    # F6 looked after→looked after at 24 months (same, recorded on Q3's last day). Not counted:
    # F3's baseline→birth (recorded 2023), F7's birth (no date), F8 (no birth status between).
    assert [row[:4] for row in records(frame)] == [
        ("baseline_birth", "up", 2, 3),
        ("baseline_birth", "same", 0, 3),
        ("baseline_birth", "down", 1, 3),
        ("birth_m12", "up", 0, 1),
        ("birth_m12", "same", 1, 1),
        ("birth_m12", "down", 0, 1),
        ("m12_m24", "up", 0, 1),
        ("m12_m24", "same", 1, 1),
        ("m12_m24", "down", 0, 1),
    ]
    assert frame["share"].tolist() == pytest.approx([2 / 3, 0, 1 / 3, 0, 1, 0, 0, 1, 0])


@both_backends
def test_social_care_steps_for_a_commissioner(conn):
    frame = safeguarding.social_care_steps(conn, *SOUTHBY_COMMISSIONER)
    # Southby: F4 up (baseline→birth), F6 same (12→24 months); nobody compared birth→12 months.
    assert non_zero(frame, "families") == [("baseline_birth", "up", 1, 1, 1.0), ("m12_m24", "same", 1, 1, 1.0)]
    assert frame[frame["transition"] == "birth_m12"]["share"].isna().all()


# --- Scope and free text ------------------------------------------------------------------------


@both_backends
@both_backends
@pytest.mark.parametrize("period", [Q3, Period.financial_year(2024), Period.month(2024, 12)], ids=lambda p: p.label)
@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.__name__)
def test_a_commissioner_gets_their_site_and_nothing_else(conn, query, period):
    theirs = query(conn, Scope("commissioner", SOUTHBY), Filters(period))
    leadership_view = query(conn, Scope.leadership(), Filters(period, SOUTHBY))
    pd.testing.assert_frame_equal(theirs, leadership_view)
    if "site" in theirs.columns:
        assert set(theirs["site"]) <= {"Southby"}
    # Asking for another site through the filter narrows to nothing, never widens.
    other = query(conn, Scope("commissioner", SOUTHBY), Filters(period, frozenset({1})))
    if query is safeguarding.headline:
        assert other.iloc[0][["raised", "reviewed_within", "resolved", "open_at_snapshot"]].tolist() == [0, 0, 0, 0]
    else:
        assert other.empty


@both_backends
def test_a_commissioners_figures_differ_from_everyone_elses(conn):
    # Guards the test above against passing because the scope is ignored everywhere.
    assert records(safeguarding.headline(conn, *SOUTHBY_COMMISSIONER))[0][:3] == (3, 1, 1)
    assert records(safeguarding.headline(conn, *ALL))[0][:3] == (8, 5, 5)


@both_backends
@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.__name__)
def test_the_free_text_summary_is_never_read(conn, statements, query):
    statements.clear()
    frame = query(conn, *ALL)
    assert statements, "no SQL was captured"
    assert not [s for s in statements if "summary" in s.lower()]
    assert "summary" not in frame.columns
    assert not frame.astype(str).apply(lambda column: column.str.contains("Sample Street")).any().any()


# --- The page --------------------------------------------------------------------------------------

PAGE_TITLES = [
    "Escalations by level",
    "Escalations by concern type",
    "Open escalations by age",
    "Reviewed by the DSL within one working day",
    "Days to resolution",
    "Social care involvement: steps up and down",
]
QUARTER = {"period": "Quarter", "quarter": "2024/25 Q3"}
FILTERS = [
    QUARTER,
    {**QUARTER, "sites": "Southby"},
    {"period": "Financial year"},
    {"period": "Month", "month": "December 2024"},
]


@pytest.fixture
def page_url(tmp_path, monkeypatch):
    return case_db.served(tmp_path / "safeguarding.sqlite", SAFEGUARDING_TABLES, monkeypatch)


def open_page(params, user="leader"):
    return apptest.open_app(user, params, "safeguarding")


@pytest.mark.parametrize("params", FILTERS, ids=lambda p: "-".join(p.values()))
@pytest.mark.parametrize("user", ["leader", "trustee", "commissioner"])
def test_the_page_renders_for_every_role_under_filters(page_url, user, params):
    app = open_page(params, user)
    assert not app.exception
    assert [s.value for s in app.subheader] == PAGE_TITLES
    assert FREE_TEXT not in apptest.text_of(app)
    for table in app.dataframe:
        assert not table.value.astype(str).apply(lambda c: c.str.contains("Sample Street")).any().any()
    if user != "leader":
        for table in app.dataframe:
            frame = table.value
            assert apptest.count_columns(frame), f"no count column in {list(frame.columns)}"
            assert not (shown := apptest.unprotected_counts(frame)), f"{shown} shown to a {user}"
        metrics = {m.label: m.value for m in app.metric}
        assert not [v for v in metrics.values() if v.isdigit() and 0 < int(v) <= 7], metrics


@both_backends
def test_the_page_shows_the_hand_worked_figures_to_leadership(page_url):
    app = open_page(QUARTER)
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics == {
        "Escalations raised": "8",
        "Reviewed in 1 working day": "62%",
        "Median days to resolution": "21",
        "Open on 31 Dec 2024": "4",
    }
    review = app.dataframe[3].value
    northby = review[review["Site"] == "Northby"].set_index("DSL review")["Escalations"].to_dict()
    assert northby == {"Within one working day": 4, "Later than one working day": 1, "Not yet reviewed": 0}
    steps = app.dataframe[5].value
    assert steps.groupby("Social care involvement")["Families"].sum().to_dict() == {
        "Stepped up": 2,
        "Stayed the same": 2,
        "Stepped down": 1,
    }
    assert len(app.get("plotly_chart")) == 6


def plotted_values(values) -> list[float]:
    """A trace's values from the figure JSON (Plotly writes numeric arrays as base64 typed arrays)."""
    if isinstance(values, dict):
        return numpy.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)


def test_the_rate_view_draws_rates(page_url):
    app = open_page(QUARTER)
    app.segmented_control(key="escalation_measure").set_value("Per 100 active families").run()
    assert not app.exception
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["yaxis"]["title"]["text"] == "Escalations per 100 active families"
    # The December bars: DSL 2, early help 1 and child protection 1 per 6 active families.
    december = {
        trace["name"]: float(y)
        for trace in spec["data"]
        for x, y in zip(trace["x"], plotted_values(trace["y"]))
        if x.startswith("2024-12") and y
    }
    assert december == pytest.approx(
        {"Designated Safeguarding Lead": 100 * 2 / 6, "Early help": 100 / 6, "Child protection": 100 / 6}
    )


def test_a_commissioner_sees_only_their_site_on_the_page(page_url):
    app = open_page(QUARTER, "commissioner")
    assert not app.exception
    review = app.dataframe[3].value
    assert set(review["Site"]) == {"Southby"}


def test_a_period_with_no_escalations_says_so(page_url):
    app = open_page({"period": "Month", "month": "April 2024"})
    assert not app.exception
    # No escalation raised, resolved or open, and no social care status recorded, in April 2024.
    assert apptest.text_of(app).count("Nothing to show for this period and these sites.") == 6


def test_past_the_panel_limit_the_dsl_review_shares_are_of_every_sites_escalations(tmp_path, monkeypatch):
    # Eastby and a fourth site, Westby, each raise one in Q3: Eastby's reviewed the same day (Mon
    # 4 Nov), Westby's never. With Northby (4 within, 1 later) and Southby (1, 1 and 1 not
    # reviewed): 6 within, 2 later, 2 not reviewed, of 10.
    tables = {
        **SAFEGUARDING_TABLES,
        "sites": [*SAFEGUARDING_TABLES["sites"], site(4, "Westby")],
        "families": [*SAFEGUARDING_TABLES["families"], family(9, 3, "2024-06-01"), family(10, 4, "2024-06-01")],
        "safeguarding_events": [
            *SAFEGUARDING_TABLES["safeguarding_events"],
            escalation(21, 9, "2024-11-04", reviewed="2024-11-04", level="dsl_internal"),
            escalation(22, 10, "2024-11-06", level="dsl_internal"),
        ],
    }
    case_db.served(tmp_path / "four-sites.sqlite", tables, monkeypatch)
    monkeypatch.setattr(charts, "MAX_PANELS", 3)  # four sites are past it; the three review results are not
    app = open_page(QUARTER)
    assert not app.exception
    [chart] = [
        c for c in app.get("plotly_chart") if c.proto.id.endswith("chart-Reviewed by the DSL within one working day")
    ]
    bars = {trace["name"]: (trace["y"], plotted_values(trace["x"])) for trace in json.loads(chart.proto.spec)["data"]}
    assert bars == {
        "Within one working day": (["All 4 sites"], pytest.approx([6 / 10])),
        "Later than one working day": (["All 4 sites"], pytest.approx([2 / 10])),
        "Not yet reviewed": (["All 4 sites"], pytest.approx([2 / 10])),
    }
    assert "With more than 3 sites the chart shows all of them together" in apptest.text_of(app)
    # A trustee sees no site's count here: each site's escalations (Northby 4, 1, 0 of 5; Southby
    # 1, 1, 1 of 3; Eastby 1, 0, 0 of 1; Westby 0, 0, 1 of 1) are 0 or from 1 to 7, shown as the
    # marker, so every share is withheld (no denominator of 10 or more) and no share of all four
    # is drawn: the panel says there is nothing to draw instead.
    trustee = open_page(QUARTER, "trustee")
    assert not trustee.exception
    assert not [
        c
        for c in trustee.get("plotly_chart")
        if c.proto.id.endswith("chart-Reviewed by the DSL within one working day")
    ]
    review = trustee.dataframe[3].value
    assert set(review["Escalations"]) == {"1–7", "0"}
    assert set(review["Escalations at the site"]) == {"1–7"}
    assert set(review["Share of the site's escalations"]) == {"–"}
    assert apptest.infos_under(trustee, "Reviewed by the DSL within one working day") == [
        "Every number in this chart is from 1 to 7, shown as “1–7” in the table, so there is nothing to draw. "
        "Choose a longer period or more sites."
    ]


def test_up_to_the_panel_limit_the_dsl_review_definition_says_nothing_of_sites_together(page_url):
    assert "sites the chart shows" not in apptest.text_of(open_page(QUARTER))
