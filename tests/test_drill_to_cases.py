"""From a figure to the cases behind it: each case-list selection worked by hand on a small database,
the Engagement page's count of open cases by who is engaged, and in AppTest every drillable table
row (and every drillable chart's custom data) opening exactly its cases, audited, for leadership only."""

from __future__ import annotations

import json

import pytest

from dashboard.shell import drilldown
from dashboard.shell.case_filters import CASE_FILTERS, PENDING_DRILL
from queries import cases
from queries.cases import CaseSelection
from queries.periods import Period
from queries.scope import Filters, Scope
from tests import case_db
from tests.apptest import open_app, page_file, text_of
from tests.case_db import escalation, family, parent, practitioner, referral, session, site, social_care
from tests.test_drilldown import audit_records

pytestmark = pytest.mark.both_backends

SECRET = "drill-test-pseudonym-secret-0123456789"
Q3 = Filters(Period.quarter(2024, 3))  # 1 Oct to 31 Dec 2024; the data run to 31 Dec 2024
Q3_PARAMS = {"period": "Quarter", "quarter": "2024/25 Q3"}

# Open on 31 Dec 2024: F1, F2, F3 at Northby and F4 at Southby. F5 (Southby) left on 30 Jun 2024.
# Engaged: attended on or after 1 Nov 2024 (60 days up to 31 Dec).
DRILL_TABLES = {
    "sites": [site(1, "Northby"), site(2, "Southby")],
    "practitioners": [practitioner(1, 1), practitioner(2, 2)],
    "families": [
        family(1, 1, "2024-06-10", due="2024-11-20", birth="2024-11-18"),  # baby 0-12 months
        family(2, 1, "2024-09-01", due="2025-02-01"),  # pregnancy
        family(3, 1, "2023-03-01", due="2023-05-01", birth="2023-05-01"),  # baby 12-24 months
        family(4, 2, "2024-10-20", due="2025-03-01"),  # pregnancy
        family(5, 2, "2023-01-10", exit_on="2024-06-30"),  # left, no reason recorded
    ],
    "referrals": [
        referral(1, 1, "2024-10-05", source="police", family_id=1),  # in Q3
        referral(2, 1, "2024-08-20", source="police", family_id=2),  # before Q3
        referral(3, 1, "2023-02-01", source="midwifery", family_id=3),
        referral(4, 2, "2024-10-10", source="police", family_id=4),  # in Q3
        referral(5, 2, "2022-12-15", source="police", family_id=5),
        referral(6, 1, "2024-11-11", source="police", decision="not_eligible", gestation=None),  # no family
    ],
    "parents": [
        parent(1, 1, "mother", 1),
        parent(2, 1, "father", 1),  # F1: both engaged
        parent(3, 2, "mother", 1),
        parent(4, 2, "father", 1),  # F2: only the mother engaged
        parent(5, 3, "father", 1),  # F3: a father alone, engaged
        parent(6, 4, "mother", 2),  # F4: never attended
        parent(7, 5, "mother", None),  # F5: no practitioner recorded
    ],
    "sessions": [
        session(1, 1, "2024-12-02"),
        session(2, 2, "2024-12-20"),
        session(3, 3, "2024-12-31"),
        session(4, 4, "2024-09-15"),
        session(5, 5, "2024-11-15"),
        session(6, 6, "2024-12-10", status="did_not_attend"),
    ],
    "safeguarding_events": [
        escalation(1, 1, "2024-12-03", level="child_in_need"),  # open
        escalation(2, 2, "2024-10-01", resolved="2024-11-01", level="child_in_need"),  # resolved
        escalation(3, 2, "2024-12-10", level="police"),  # open
        escalation(4, 4, "2024-12-30", level="child_in_need"),  # open
        escalation(5, 3, "2024-06-10", resolved="2024-06-01", level="early_help"),  # resolved before raised
    ],
    "social_care_status": [
        social_care(1, "baseline", "early_help", "2024-06-10"),
        social_care(1, "birth", "child_in_need", "2024-11-20"),  # F1 now: child in need
        social_care(2, "baseline", "none", "2024-09-01"),  # F2 now: none
        social_care(3, "baseline", "child_protection", "2023-03-01"),
        social_care(3, "birth", "none", "2023-05-01"),
        social_care(3, "m12", "early_help", "2025-01-10"),  # recorded after 31 Dec: F3 now none
    ],
}


@pytest.fixture(scope="module")
def drill_db(tmp_path_factory):
    with case_db.connected(tmp_path_factory.mktemp("drill") / "drill.sqlite", DRILL_TABLES) as conn:
        yield conn


LEADERSHIP = Scope.leadership()


def families_of(conn, selection: CaseSelection, filters: Filters = Q3, scope: Scope = LEADERSHIP):
    return sorted(cases.case_rows(conn, scope, filters, selection)["family_id"])


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (CaseSelection(), [1, 2, 3, 4]),
        (CaseSelection(engaged="both"), [1]),
        (CaseSelection(engaged="mother"), [2]),
        (CaseSelection(engaged="father_or_co_parent"), [3]),
        (CaseSelection(engaged="neither"), [4]),
        (CaseSelection(open_escalation=True), [1, 2, 4]),
        (CaseSelection(open_escalation=False), [3]),
        (CaseSelection(escalation_level="child_in_need"), [1, 4]),  # F2's was resolved
        (CaseSelection(escalation_level="police"), [2]),
        (CaseSelection(escalation_level="early_help"), []),  # F3's was not open
        (CaseSelection(social_care_level="child_in_need"), [1]),
        (CaseSelection(social_care_level="none"), [2, 3]),
        (CaseSelection(social_care_level="early_help"), []),  # superseded, or recorded too late
        (CaseSelection(source="police"), [1, 4]),  # F2's police referral came before Q3
        (CaseSelection(source="midwifery"), []),
        (CaseSelection(stage="pregnancy", engaged="neither", source="police"), [4]),
        (CaseSelection(check="resolved_before_raised"), [3]),
        (CaseSelection(check="exit_without_reason"), [5]),  # closed, listed all the same
        (CaseSelection(check="parent_without_practitioner"), [5]),
        (CaseSelection(check="missing_gestation"), []),  # its referral enrolled nobody
    ],
    ids=repr,
)
def test_each_selection_worked_by_hand(drill_db, selection, expected):
    assert families_of(drill_db, selection) == expected


def test_selections_keep_to_scope_and_sites(drill_db):
    southby = Scope("commissioner", frozenset({2}))
    assert families_of(drill_db, CaseSelection(source="police"), scope=southby) == [4]
    assert families_of(drill_db, CaseSelection(check="exit_without_reason"), Filters(Q3.period, frozenset({1}))) == []
    assert families_of(
        drill_db, CaseSelection(escalation_level="child_in_need"), Filters(Q3.period, frozenset({1}))
    ) == [1]


def test_a_check_ignores_the_period_and_describes_cases_now(drill_db):
    long_ago = Filters(Period.quarter(2021, 1))  # April to June 2021: before every record
    rows = cases.case_rows(drill_db, Scope.leadership(), long_ago, CaseSelection(check="exit_without_reason"))
    # As at 31 Dec 2024 (the data-as-at date): left on 30 Jun 2024, 17 months after enrolling.
    assert rows[["family_id", "site", "stage", "months_in_programme", "open_escalation"]].values.tolist() == [
        [5, "Southby", "exited", 17, "no"]
    ]
    rows = cases.case_rows(drill_db, Scope.leadership(), Q3, CaseSelection(check="resolved_before_raised"))
    assert rows[["family_id", "stage", "months_in_programme", "social_care_level"]].values.tolist() == [
        [3, "12-24 months", 21, "none"]
    ]


def test_open_cases_by_engagement_count_the_case_list(drill_db):
    frame = cases.open_cases_by_engagement(drill_db, Scope.leadership(), Q3)
    assert frame.values.tolist() == [
        ["Northby", "both", 1],
        ["Northby", "mother", 1],
        ["Northby", "father_or_co_parent", 1],
        ["Southby", "neither", 1],
    ]
    theirs = cases.open_cases_by_engagement(drill_db, Scope("commissioner", frozenset({2})), Q3)
    assert theirs.values.tolist() == [["Southby", "neither", 1]]
    # On 31 Oct (engaged: attended since 1 Sep) only F2's father was engaged.
    october = cases.open_cases_by_engagement(drill_db, Scope.leadership(), Filters(Period.month(2024, 10)))
    assert october.values.tolist() == [
        ["Northby", "father_or_co_parent", 1],
        ["Northby", "neither", 2],
        ["Southby", "neither", 1],
    ]


# --- In AppTest: from each drillable figure to its case list -----------------------------------


@pytest.fixture
def drill_app(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", case_db.build(tmp_path / "drill.sqlite", DRILL_TABLES))
    monkeypatch.setenv("PSEUDONYM_SECRET", SECRET)
    monkeypatch.setenv("AUDIT_DATABASE_URL", f"sqlite:///{tmp_path / 'audit.sqlite'}")
    return tmp_path / "audit.sqlite"


def codes(*family_ids: int) -> set[str]:
    return {drilldown.pseudonym(i, SECRET.encode()) for i in family_ids}


# Each drillable figure: its page, title, the table row (by its shown values) and the chart's
# custom data (in the order the figure names its drill_to columns) drilled, what the case list's
# filters then become, and the cases it lists.
DRILLS = [
    (
        "caseloads",
        "Open cases by stage",
        {"Site": "Northby", "Stage": "Pregnancy"},
        {"site": "Northby", "stage": "Pregnancy"},
        {"sites": ["Northby"], "stage": "Pregnancy"},
        codes(2),
    ),
    (
        "referrals",
        "Referrals by site and source",
        {"Site": "Northby", "Source": "Police"},
        {"site": "Northby", "source": "Police"},
        {"sites": ["Northby"], "source": "Police"},
        codes(1),
    ),  # 2 referrals, of which R6 enrolled nobody
    (
        "engagement",
        "Who is engaged now, by site",
        {"Site": "Northby", "Engaged now": "Mother only"},
        {"site": "Northby", "engaged": "Mother only"},
        {"sites": ["Northby"], "engaged": "Mother only"},
        codes(2),
    ),
    (
        "safeguarding",
        "Open escalations by age",
        {"Days since raised": "0-7 days", "Level": "Child in need"},
        {"escalation_level": "Child in need"},
        {"sites": [], "escalation_level": "Child in need"},
        codes(1, 4),
    ),
    (
        "data_quality",
        "Problems by check",
        {"Site": "Southby", "Check": "Exit and reason not both recorded"},
        {"site": "Southby", "check": "Exit and reason not both recorded"},
        {"sites": ["Southby"], "check": "Exit and reason not both recorded"},
        codes(5),
    ),
    (
        "data_quality",
        "Problems by check",
        {"Site": "Northby", "Check": "Gestation not recorded"},
        {"site": "Northby", "check": "Gestation not recorded"},
        {"sites": ["Northby"], "check": "Gestation not recorded"},
        set(),
    ),
]
DRILL_IDS = [f"{drill[0]}-{'-'.join(drill[3].values())}" for drill in DRILLS]


def table_of(app, title):
    [table] = [t for t in app.dataframe if t.key == f"table-{title}"]
    return table


def row_index(frame, values: dict[str, str]) -> int:
    matches = frame.index[(frame[list(values)] == list(values.values())).all(axis=1)].tolist()
    assert len(matches) == 1, (values, frame)
    return matches[0]


def listed(app) -> set[str]:
    assert next(t.value for t in app.title) == "Case list"
    return set(app.dataframe[0].value["Case"])


def case_filters_of(app) -> dict:
    return {"sites": app.multiselect(key="sites").value, **{key: app.selectbox(key=key).value for key in CASE_FILTERS}}


@pytest.mark.parametrize(("page", "title", "row", "drill", "filters", "expected"), DRILLS, ids=DRILL_IDS)
def test_a_table_row_opens_its_cases(drill_app, page, title, row, drill, filters, expected):
    app = open_app("leader", Q3_PARAMS, page=page)
    assert not app.exception
    # A filter left from an earlier visit to the case list must not narrow the drill.
    app.session_state["open_escalation"] = "No"
    app.session_state[f"table-{title}"] = {
        "selection": {"rows": [row_index(table_of(app, title).value, row)], "columns": [], "cells": []}
    }
    app.run()
    assert not app.exception
    assert listed(app) == expected
    assert case_filters_of(app) == {**{key: f.any for key, f in CASE_FILTERS.items()}, **filters}
    # The drill's link can be shared: its URL holds the period kind and every filter it set (the
    # quarter is left out, as the default: the latest).
    shared = {key: value for key, value in filters.items() if key != "sites"}
    if filters["sites"]:
        shared["sites"] = filters["sites"][0]
    assert dict(app.query_params) == {"period": "Quarter", **shared}
    detail = json.loads(audit_records(drill_app)["detail"].iloc[-1])
    assert detail["period"] == ["2024-10-01", "2024-12-31"]
    assert detail["sites"] == filters["sites"]


@pytest.mark.parametrize(("page", "title", "row", "drill", "filters", "expected"), DRILLS, ids=DRILL_IDS)
def test_a_charts_custom_data_opens_the_same_cases(drill_app, page, title, row, drill, filters, expected):
    """The drawn chart carries the drill's values with a bar, in order, and those values (what a
    click sends) open the same case list. The click itself is tested in Chromium
    (tests/browser/test_drill_browser.py)."""
    app = open_app("leader", Q3_PARAMS, page=page)
    [chart] = [c for c in app.get("plotly_chart") if c.proto.id.endswith(f"chart-{title}")]
    points = [tuple(point) for trace in json.loads(chart.proto.spec)["data"] for point in trace.get("customdata") or []]
    assert tuple(drill.values()) in points
    app.session_state[PENDING_DRILL] = drill
    app.switch_page(page_file("cases"))
    app.run()
    assert not app.exception
    assert listed(app) == expected
    assert case_filters_of(app) == {**{key: f.any for key, f in CASE_FILTERS.items()}, **filters}


@pytest.mark.parametrize("user", ["trustee", "commissioner"])
@pytest.mark.parametrize("page", ["caseloads", "referrals", "engagement", "safeguarding"])
def test_no_figure_drills_for_trustees_or_commissioners(drill_app, user, page):
    app = open_app(user, Q3_PARAMS, page=page)
    assert not app.exception
    assert not [t.key for t in app.dataframe if t.key]  # no table takes a selection
    assert "see the cases behind it" not in text_of(app)
    assert not drill_app.exists() or audit_records(drill_app).empty


def test_the_case_list_filters_come_from_its_url(drill_app):
    app = open_app("leader", {**Q3_PARAMS, "engaged": "Neither parent", "source": "Police"}, page="cases")
    assert not app.exception
    assert listed(app) == codes(4)
    app = open_app("leader", {**Q3_PARAMS, "check": "Exit and reason not both recorded"}, page="cases")
    assert listed(app) == codes(5)
    assert app.dataframe[0].value["Stage"].tolist() == ["Left the programme"]
    assert "open or closed, whatever the period" in text_of(app)
