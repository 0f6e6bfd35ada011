"""Leadership's drill-down: case rows worked by hand, pseudonyms, coarsening, the audit trail, and a
canary database whose identifying columns must never reach the screen."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from sqlalchemy import create_engine, text

from dashboard.shell import drilldown
from queries import cases
from queries.periods import Period
from queries.scope import Filters, Scope
from tests import case_db
from tests.apptest import open_app
from tests.case_db import d, escalation, family, parent, practitioner, session, site, social_care
from tests.test_views_queries import VIEWS_TABLES

Q3 = Filters(Period.quarter(2024, 3))
SECRET = "test-pseudonym-secret-0123456789"
CASE_ID = 987654  # distinctive, so its appearance anywhere would be noticed
CANARIES = (
    "CANARY-NAME-Zebedee",
    "1901-02-03",
    "QX9 9QX",
    "9990001112",
    "CANARY-PRACTITIONER",
    "CANARY-FREE-TEXT",
    str(CASE_ID),
)

pytestmark = pytest.mark.both_backends


def test_case_rows_worked_by_hand(tmp_path):
    with case_db.connected(tmp_path / "views.sqlite", VIEWS_TABLES) as conn:
        rows = cases.case_rows(conn, Scope.leadership(), Q3, cases.CaseSelection())
        pregnant = cases.case_rows(
            conn, Scope("commissioner", frozenset({2})), Q3, cases.CaseSelection(stage="pregnancy")
        )
    got = {
        r.family_id: (
            r.site,
            r.stage,
            r.months_in_programme,
            r.mother_engagement,
            r.father_engagement,
            r.sessions_attended_90_days,
            r.open_escalation,
        )
        for r in rows.itertuples()
    }
    # Snapshot 31 Dec 2024; engaged = attended on or after 1 Nov; last 90 days from 2 Oct.
    assert got == {
        1: ("Northby", "pregnancy", 2, "engaged", "not engaged", 2, "no"),  # father last came 20 Oct
        2: ("Northby", "0-12 months", 2, "engaged", "none", 2, "no"),
        3: ("Northby", "12-24 months", 14, "engaged", "not engaged", 2, "no"),  # father only cancelled
        4: ("Southby", "pregnancy", 0, "not engaged", "none", 0, "no"),
    }
    assert pregnant["family_id"].tolist() == [4]


def test_engaged_means_a_session_attended_in_the_60_days_up_to_the_day(tmp_path):
    # The data run to 10 Jan 2025; Q3 ends 31 Dec 2024, the day asked about. The 60 days up to it
    # start on 1 Nov, both ends counted.
    tables = {
        "sites": [site(1, "Northby")],
        "practitioners": [practitioner(1, 1)],
        "families": [family(f, 1, "2024-06-01") for f in (1, 2, 3)],
        "parents": [
            parent(1, 1, "mother"),
            parent(2, 1, "father"),
            parent(3, 2, "mother"),
            parent(4, 2, "co_parent"),
            parent(5, 3, "mother"),
            parent(6, 3, "father"),
        ],
        "sessions": [
            session(1, 1, "2024-11-01"),  # the window's first day: engaged
            session(2, 2, "2024-10-31"),  # the day before it: not
            session(3, 3, "2024-12-31"),  # the day itself: engaged
            session(4, 4, "2024-12-20", status="did_not_attend"),  # offered, not attended: not
            session(5, 4, "2024-06-20"),
            session(6, 5, "2025-01-10"),  # only after the day: not
            session(7, 6, "2024-12-01", status="cancelled_by_parent"),
        ],
    }
    with case_db.connected(tmp_path / "engaged.sqlite", tables) as conn:
        rows = cases.case_rows(conn, Scope.leadership(), Q3, cases.CaseSelection())
        by_engagement = cases.open_cases_by_engagement(conn, Scope.leadership(), Q3)
    assert {r.family_id: (r.mother_engagement, r.father_engagement) for r in rows.itertuples()} == {
        1: ("engaged", "not engaged"),
        2: ("engaged", "not engaged"),
        3: ("not engaged", "not engaged"),
    }
    assert dict(zip(by_engagement["engaged"], by_engagement["families"])) == {"mother": 2, "neither": 1}


def test_pseudonyms_are_stable_keyed_and_not_the_id():
    first = drilldown.pseudonym(CASE_ID, b"one secret")
    assert first == drilldown.pseudonym(CASE_ID, b"one secret")
    assert first != drilldown.pseudonym(CASE_ID, b"another secret")
    assert first != drilldown.pseudonym(CASE_ID + 1, b"one secret")
    assert re.fullmatch(r"[A-Z2-7]{4}-[A-Z2-7]{4}", first)
    assert str(CASE_ID) not in first


CANARY_TABLES = {
    "sites": [site(1, "Northby"), site(2, "Southby")],
    "practitioners": [practitioner(1, 1, name="CANARY-PRACTITIONER")],
    "families": [family(CASE_ID, 1, "2024-06-10", due="2024-11-20", birth="2024-11-18")],
    "referrals": [case_db.referral(1, 1, "2024-06-01", decided="2024-06-05", family_id=CASE_ID)],
    "parents": [
        parent(
            1,
            CASE_ID,
            "mother",
            1,
            full_name="CANARY-NAME-Zebedee",
            date_of_birth=d("1901-02-03"),
            postcode="QX9 9QX",
            nhs_number="9990001112",
        )
    ],
    "sessions": [session(1, 1, "2024-12-02", practitioner_id=1)],
    "safeguarding_events": [escalation(1, CASE_ID, "2024-12-03", reviewed="2024-12-04", summary="CANARY-FREE-TEXT")],
    "social_care_status": [social_care(CASE_ID, "baseline", "child_in_need", "2024-06-10")],
}


@pytest.fixture
def canary_db(tmp_path, monkeypatch):
    case_db.served(tmp_path / "canary.sqlite", CANARY_TABLES, monkeypatch)
    monkeypatch.setenv("PSEUDONYM_SECRET", SECRET)
    monkeypatch.setenv("AUDIT_DATABASE_URL", f"sqlite:///{tmp_path / 'audit.sqlite'}")
    return tmp_path / "audit.sqlite"


def everything_shown(app) -> str:
    parts = [str(getattr(e, "value", "")) for e in app.main]  # headings, text, metrics …
    parts += [
        str(e.value)
        for kind in ("markdown", "caption", "metric", "info", "warning", "error", "subheader")
        for e in getattr(app, kind)
    ]
    parts += [t.value.to_csv(index=False) for t in app.dataframe]
    parts += [chart.proto.spec for chart in app.get("plotly_chart")]
    return "\n".join(parts)


def audit_records(path) -> pd.DataFrame:
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        frame = pd.read_sql(text("SELECT username, role, page, detail FROM audit_log ORDER BY record_id"), conn)
    engine.dispose()
    return frame


Q3_PARAMS = {"period": "Quarter", "quarter": "2024/25 Q3"}


def test_no_identifier_reaches_the_case_list_or_timeline(canary_db):
    code = drilldown.pseudonym(CASE_ID, SECRET.encode())
    case_list = open_app("leader", Q3_PARAMS, page="cases")
    assert not case_list.exception
    assert case_list.dataframe[0].value["Case"].tolist() == [code]
    timeline = open_app("leader", {**Q3_PARAMS, "case": code}, page="case_timeline")
    assert not timeline.exception
    shown = everything_shown(case_list) + everything_shown(timeline)
    assert code in shown and "Northby" in shown
    assert not [canary for canary in CANARIES if canary in shown]
    # Dates leave only as months: nothing with a day in it.
    assert not re.findall(r"\b\d{4}-\d{2}-\d{2}\b", "\n".join(t.value.to_csv() for t in timeline.dataframe))
    assert "2024-11" in shown  # the birth month


def test_each_opening_is_recorded(canary_db):
    code = drilldown.pseudonym(CASE_ID, SECRET.encode())
    open_app("leader", Q3_PARAMS, page="cases")
    open_app("leader", {**Q3_PARAMS, "case": code}, page="case_timeline")
    records = audit_records(canary_db)
    assert records[["username", "role", "page"]].values.tolist() == [
        ["leader", "leadership", "case list"],
        ["leader", "leadership", "case timeline"],
    ]
    assert '"period": ["2024-10-01", "2024-12-31"]' in records["detail"][0]
    assert records["detail"][1] == code
    assert "Audit log" in [t.value for t in open_app("leader", page="audit_log").title]


def test_a_drill_down_is_refused_when_the_audit_store_cannot_be_written(canary_db, monkeypatch, tmp_path):
    store = tmp_path / "readonly-audit.sqlite"
    engine = create_engine(f"sqlite:///{store}")
    from dashboard.access.audit import audit_metadata

    audit_metadata.create_all(engine)
    engine.dispose()
    monkeypatch.setenv("AUDIT_DATABASE_URL", f"sqlite:///file:{store}?mode=ro&uri=true")
    app = open_app("leader", Q3_PARAMS, page="cases")
    assert not app.exception
    assert "audit log could not be written" in everything_shown(app)
    assert not app.dataframe


def test_an_unknown_code_finds_nothing(canary_db):
    app = open_app("leader", {**Q3_PARAMS, "case": "AAAA-BBBB"}, page="case_timeline")
    assert "No case with the code AAAA-BBBB" in everything_shown(app)
    assert not app.dataframe


@pytest.fixture
def two_cases(canary_db, tmp_path, monkeypatch) -> dict[int, str]:
    """The canary case at Northby and another at Southby: each family id's case code."""
    tables = {**CANARY_TABLES, "families": [*CANARY_TABLES["families"], family(CASE_ID + 1, 2, "2024-07-01")]}
    case_db.served(tmp_path / "two.sqlite", tables, monkeypatch)
    return {family_id: drilldown.pseudonym(family_id, SECRET.encode()) for family_id in (CASE_ID, CASE_ID + 1)}


def test_pseudonyms_are_worked_out_once_and_each_code_finds_its_own_case(two_cases, monkeypatch):
    hashed, real_pseudonym = [], drilldown.pseudonym
    monkeypatch.setattr(
        drilldown, "pseudonym", lambda family_id, key: hashed.append(family_id) or real_pseudonym(family_id, key)
    )
    app = open_app("leader", {"case": two_cases[CASE_ID]}, page="case_timeline")
    assert "**Site:** Northby" in everything_shown(app)
    app.text_input(key="case").set_value(two_cases[CASE_ID + 1]).run()
    assert "**Site:** Southby" in everything_shown(app)
    app.run()
    assert not app.exception
    assert sorted(hashed) == [CASE_ID, CASE_ID + 1]  # once per family over three runs


def test_a_case_new_since_the_pseudonyms_were_worked_out_is_found(two_cases, monkeypatch):
    every_family_id, asked = cases.family_ids, []

    def without_the_southby_case_at_first(conn, scope):
        asked.append(scope)
        return [i for i in every_family_id(conn, scope) if len(asked) > 1 or i != CASE_ID + 1]

    monkeypatch.setattr(cases, "family_ids", without_the_southby_case_at_first)
    app = open_app("leader", {"case": two_cases[CASE_ID]}, page="case_timeline")
    assert "**Site:** Northby" in everything_shown(app)
    app.text_input(key="case").set_value(two_cases[CASE_ID + 1]).run()
    assert "**Site:** Southby" in everything_shown(app)
    assert len(asked) == 2


@pytest.mark.parametrize("user", ["trustee", "commissioner"])
@pytest.mark.parametrize("page", ["cases", "case_timeline", "audit_log"])
def test_trustees_and_commissioners_cannot_open_drill_downs(canary_db, user, page):
    app = open_app(user, {"case": drilldown.pseudonym(CASE_ID, SECRET.encode())}, page=page)
    assert not app.exception
    assert "not available for your role" in everything_shown(app)
    assert not app.dataframe
    assert not canary_db.exists() or audit_records(canary_db).empty  # nothing was opened
