"""Engagement and retention: queries against answers worked out by hand from ENGAGEMENT_TABLES,
the Kaplan–Meier estimator against hand-computed survival, and the page in AppTest.

The data-as-at date is 30 Jun 2025 (referral R7). Most tests use financial year 2024/25
(1 Apr 2024 – 31 Mar 2025), whose enrolment cohorts are 2024/25 Q2 (families 1, 2), Q3 (3, 4, 5)
and Q4 (6). Family 7 enrolled in 2023/24 and is in no cohort of 2024/25.

Time points are days after the birth (the due date while no birth is recorded): birth +0,
6 months +183, 12 months +365 (18: +548, 24: +730). A parent is engaged at T if they attended a
session in [T − 60 days, T] and the family had not exited before T.

Family by family (M: mother, F: father, C: co-parent; A: attended, DNA, CBP/CBS: cancelled by
parent/service):

F1 Northby, enrolled 10 Jul 2024, born 25 Sep 2024, open.
   P1 M  A 15 Jul, 1 Sep, 20 Oct, 15 Dec, 10 Feb, 20 Mar, 10 May, 25 Jun; DNA 15 Aug; CBS 5 Oct.
   P2 F  A 20 Jul, 10 Sep, 20 Nov, 25 Jan, 28 Mar; DNA 10 Dec; CBP 15 Jan (the father who
   stops attending).
   Birth (25 Sep 2024, window from 27 Jul): P1 (1 Sep) and P2 (10 Sep) engaged.
   6 months (27 Mar 2025, window from 26 Jan): P1 (10 Feb, 20 Mar) engaged; P2 not: 25 Jan is
   61 days before, 28 Mar the day after.
   12 months (25 Sep 2025): after the data-as-at date, not reached.
   KM: P1 censored at 355 days (last session 25 Jun, 5 days before 30 Jun); P2 disengaged:
   last attended 28 Mar, 261 days after enrolment (94 days before 30 Jun).
F2 Northby, enrolled 1 Aug 2024, due 29 Dec 2024, no birth recorded, exited 20 Nov 2024 as
   'disengaged' (before the birth).
   P3 M  A 5 Aug, 2 Sep; DNA 1 Oct.   P4 F  A 12 Aug, 5 Nov.
   Birth (due date 29 Dec 2024, window from 30 Oct) and 6 months (30 Jun 2025: the data-as-at
   date itself) are reached: not engaged, though P4 attended on 5 Nov, because the family had left.
   KM: P3 event at 32 days (2 Sep, 79 days before the exit); P4 event at 96 days (5 Nov: only
   15 days before the exit, but the family left as disengaged).
F3 Northby, enrolled 20 Oct 2024, born 3 Feb 2025, open.
   P5 M  A 1 Nov, 20 Dec, 25 Jan, 15 Mar, 1 May, 20 Jun.
   P6 F  A 5 Nov, 20 Jan, 20 May (a 76-day pause, then back: not a disengagement).
   Birth (window from 5 Dec 2024): both engaged. 6 months (5 Aug 2025) not reached.
   KM: both censored at 253 days.
F4 Southby, enrolled 15 Nov 2024, born 25 Feb 2025, open; mother only.
   P7 M  A 20 Nov, 10 Jan; CBS 5 Mar 2025.
   Birth (window from 27 Dec 2024): engaged (10 Jan). KM: event at 56 days (10 Jan).
F5 Northby, enrolled 1 Dec 2024, born 28 Mar 2025, exited on the day of the birth, 'moved_away'.
   P8 M  A 5 Dec, 2 Jan; DNA 1 Feb.   P9 F  A 10 Dec, 28 Mar (group), 20 Apr (after the exit).
   Birth (28 Mar 2025, window from 27 Jan): P8 not engaged; P9 engaged (on the day itself, the
   family leaving that day and not before it).
   KM: P8 event at 32 days (2 Jan; 85 days before the exit); P9 censored at the exit, 117 days.
F6 Northby, enrolled 15 Jan 2025, born 18 May 2025, open.
   P10 M A 20 Jan, 19 Mar, 20 May, 10 Jun.   P11 C DNA 25 Jan; CBP 10 Feb (never attended).
   Birth (18 May 2025, window from 19 Mar): P10 engaged (19 Mar, exactly 60 days before; 20 May
   is after), P11 not. KM: P10 censored at 166 days;
   P11 disengaged at enrolment (day 0).
F7 Northby, enrolled 1 Mar 2024 (outside FY 2024/25), P12 M A 10 Mar 2024.
F8 Northby, enrolled 1 May 2025 (FY 2025/26), due 1 Oct 2025: no time point reached yet.
   P13 M A 10 May 2025.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from queries import engagement
from queries.periods import Period
from queries.scope import Filters, Scope
from tests import apptest, case_db
from tests.apptest import text_of
from tests.case_db import family, parent, practitioner, referral, session, site
from tests.test_scope_everywhere import query_functions

FY = Period.financial_year(2024)
Q3 = Period.quarter(2024, 3)
ALL = (Scope.leadership(), Filters(FY))
SOUTHBY = frozenset({2})
SOUTHBY_COMMISSIONER = (Scope("commissioner", SOUTHBY), Filters(FY))
both_backends = pytest.mark.both_backends


def _sessions(rows):
    return [
        session(i, parent_id, on, status=status, session_type=kind)
        for i, (parent_id, on, status, kind) in enumerate(rows, start=1)
    ]


A, DNA, CBP, CBS = "attended", "did_not_attend", "cancelled_by_parent", "cancelled_by_service"
IND, VIG, SAFETY, GROUP = "individual", "vig", "safety_planning", "group"

ENGAGEMENT_TABLES = {
    "sites": [site(1, "Northby"), site(2, "Southby")],
    "practitioners": [practitioner(1, 1), practitioner(2, 1), practitioner(3, 2)],
    "families": [
        family(1, 1, "2024-07-10", due="2024-10-01", birth="2024-09-25"),
        family(2, 1, "2024-08-01", due="2024-12-29", exit_on="2024-11-20", reason="disengaged"),
        family(3, 1, "2024-10-20", due="2025-01-30", birth="2025-02-03"),
        family(4, 2, "2024-11-15", due="2025-03-01", birth="2025-02-25"),
        family(5, 1, "2024-12-01", due="2025-04-01", birth="2025-03-28", exit_on="2025-03-28", reason="moved_away"),
        family(6, 1, "2025-01-15", due="2025-05-20", birth="2025-05-18"),
        family(7, 1, "2024-03-01", due="2024-06-01", birth="2024-06-01"),
        family(8, 1, "2025-05-01", due="2025-10-01"),
    ],
    "referrals": [
        referral(1, 1, "2024-06-20", decided="2024-06-25", family_id=1),
        referral(2, 1, "2024-07-15", decided="2024-07-20", family_id=2),
        referral(3, 1, "2024-10-01", decided="2024-10-05", family_id=3),
        referral(4, 2, "2024-11-01", decided="2024-11-05", family_id=4),
        referral(5, 1, "2024-11-15", decided="2024-11-20", family_id=5),
        referral(6, 1, "2025-01-02", decided="2025-01-05", family_id=6),
        referral(7, 1, "2025-06-30", decision="pending"),  # the data-as-at date
        referral(8, 1, "2024-02-01", decided="2024-02-05", family_id=7),
    ],
    "parents": [
        parent(1, 1, "mother", 1),
        parent(2, 1, "father", 2),
        parent(3, 2, "mother", 1),
        parent(4, 2, "father", 2),
        parent(5, 3, "mother", 1),
        parent(6, 3, "father", 2),
        parent(7, 4, "mother", 3),
        parent(8, 5, "mother", 1),
        parent(9, 5, "father", 2),
        parent(10, 6, "mother", 1),
        parent(11, 6, "co_parent", 2),
        parent(12, 7, "mother", 1),
        parent(13, 8, "mother", 1),
    ],
    "sessions": _sessions(
        [
            (1, "2024-07-15", A, IND),
            (1, "2024-08-15", DNA, IND),
            (1, "2024-09-01", A, IND),
            (1, "2024-10-05", CBS, IND),
            (1, "2024-10-20", A, SAFETY),
            (1, "2024-12-15", A, IND),
            (1, "2025-02-10", A, VIG),
            (1, "2025-03-20", A, VIG),
            (1, "2025-05-10", A, GROUP),
            (1, "2025-06-25", A, IND),
            (2, "2024-07-20", A, IND),
            (2, "2024-09-10", A, SAFETY),
            (2, "2024-11-20", A, IND),
            (2, "2024-12-10", DNA, IND),
            (2, "2025-01-15", CBP, IND),
            (2, "2025-01-25", A, IND),
            (2, "2025-03-28", A, IND),
            (3, "2024-08-05", A, IND),
            (3, "2024-09-02", A, IND),
            (3, "2024-10-01", DNA, IND),
            (4, "2024-08-12", A, IND),
            (4, "2024-11-05", A, IND),
            (5, "2024-11-01", A, IND),
            (5, "2024-12-20", A, IND),
            (5, "2025-01-25", A, IND),
            (5, "2025-03-15", A, VIG),
            (5, "2025-05-01", A, IND),
            (5, "2025-06-20", A, IND),
            (6, "2024-11-05", A, IND),
            (6, "2025-01-20", A, IND),
            (6, "2025-05-20", A, IND),
            (7, "2024-11-20", A, IND),
            (7, "2025-01-10", A, IND),
            (7, "2025-03-05", CBS, IND),
            (8, "2024-12-05", A, IND),
            (8, "2025-01-02", A, IND),
            (8, "2025-02-01", DNA, IND),
            (9, "2024-12-10", A, IND),
            (9, "2025-03-28", A, GROUP),
            (9, "2025-04-20", A, IND),
            (10, "2025-01-20", A, IND),
            (10, "2025-03-19", A, IND),
            (10, "2025-05-20", A, IND),
            (10, "2025-06-10", A, IND),
            (11, "2025-01-25", DNA, IND),
            (11, "2025-02-10", CBP, IND),
            (12, "2024-03-10", A, IND),
            (13, "2025-05-10", A, IND),
        ]
    ),
}


@pytest.fixture(scope="module")
def db(tmp_path_factory, backend):
    with case_db.connected(tmp_path_factory.mktemp("engagement") / "engagement.sqlite", ENGAGEMENT_TABLES) as conn:
        yield conn


def records(frame: pd.DataFrame) -> list[tuple]:
    return [
        tuple(None if isinstance(v, float) and math.isnan(v) else v for v in row)
        for row in frame.itertuples(index=False)
    ]


# --- Retention --------------------------------------------------------------------------------


def retention_dict(frame: pd.DataFrame) -> dict[tuple, tuple]:
    return {(r.cohort, r.time_point, r.group): (r.engaged, r.reached) for r in frame.itertuples()}


NOT_REACHED = ("m12", "m18", "m24")


@both_backends
def test_retention_by_cohort_for_the_financial_year(db):
    frame = engagement.retention_by_cohort(db, *ALL)
    assert list(frame.columns) == ["cohort", "time_point", "group", "engaged", "reached", "share"]
    got = retention_dict(frame)
    expected = {
        # Q2: F1 engaged at birth (both parents), F2 left before its due date.
        ("2024/25 Q2", "birth", "families"): (1, 2),
        ("2024/25 Q2", "birth", "mother"): (1, 2),
        ("2024/25 Q2", "birth", "father"): (1, 2),
        ("2024/25 Q2", "birth", "co_parent"): (0, 0),
        ("2024/25 Q2", "birth", "both"): (1, 2),
        # At 6 months only F1's mother still attends; F1's father last came 61 days before.
        ("2024/25 Q2", "m6", "families"): (1, 2),
        ("2024/25 Q2", "m6", "mother"): (1, 2),
        ("2024/25 Q2", "m6", "father"): (0, 2),
        ("2024/25 Q2", "m6", "co_parent"): (0, 0),
        ("2024/25 Q2", "m6", "both"): (0, 2),
        # Q3: F3 both, F4 the mother (mother only: not among 'both'), F5 the father only.
        ("2024/25 Q3", "birth", "families"): (3, 3),
        ("2024/25 Q3", "birth", "mother"): (2, 3),
        ("2024/25 Q3", "birth", "father"): (2, 2),
        ("2024/25 Q3", "birth", "co_parent"): (0, 0),
        ("2024/25 Q3", "birth", "both"): (1, 2),
        ("2024/25 Q3", "m6", "families"): (0, 0),
        ("2024/25 Q3", "m6", "mother"): (0, 0),
        ("2024/25 Q3", "m6", "father"): (0, 0),
        ("2024/25 Q3", "m6", "co_parent"): (0, 0),
        ("2024/25 Q3", "m6", "both"): (0, 0),
        # Q4: F6's mother engaged, the co-parent never attended.
        ("2024/25 Q4", "birth", "families"): (1, 1),
        ("2024/25 Q4", "birth", "mother"): (1, 1),
        ("2024/25 Q4", "birth", "father"): (0, 0),
        ("2024/25 Q4", "birth", "co_parent"): (0, 1),
        ("2024/25 Q4", "birth", "both"): (0, 1),
        ("2024/25 Q4", "m6", "families"): (0, 0),
        ("2024/25 Q4", "m6", "mother"): (0, 0),
        ("2024/25 Q4", "m6", "father"): (0, 0),
        ("2024/25 Q4", "m6", "co_parent"): (0, 0),
        ("2024/25 Q4", "m6", "both"): (0, 0),
    }
    for cohort in ("2024/25 Q2", "2024/25 Q3", "2024/25 Q4"):
        for point in NOT_REACHED:
            for group in ("families", "mother", "father", "co_parent", "both"):
                expected[(cohort, point, group)] = (0, 0)
    assert got == expected
    # Rows run by cohort, time point (birth first) and group.
    assert frame["time_point"].iloc[:10].tolist() == ["birth"] * 5 + ["m6"] * 5
    assert frame["group"].iloc[:5].tolist() == ["families", "mother", "father", "co_parent", "both"]


@both_backends
def test_retention_shares_and_time_points_not_yet_known(db):
    frame = engagement.retention_by_cohort(db, *ALL).set_index(["cohort", "time_point", "group"])
    assert frame.loc[("2024/25 Q3", "birth", "mother"), "share"] == pytest.approx(2 / 3)
    assert frame.loc[("2024/25 Q2", "m6", "father"), "share"] == 0
    # Not reached by 30 Jun 2025: unknown, not zero.
    assert math.isnan(frame.loc[("2024/25 Q3", "m6", "families"), "share"])
    assert math.isnan(frame.loc[("2024/25 Q2", "m12", "mother"), "share"])


@both_backends
def test_retention_for_one_quarter_and_a_commissioner(db):
    # 2024/25 Q3: only its own cohort, the same figures as in the financial year.
    quarter = engagement.retention_by_cohort(db, Scope.leadership(), Filters(Q3))
    assert set(quarter["cohort"]) == {"2024/25 Q3"}
    assert retention_dict(quarter)[("2024/25 Q3", "birth", "both")] == (1, 2)
    # Southby holds F4 only: a mother, engaged at birth; no co-parent, so no co-parent rows.
    theirs = engagement.retention_by_cohort(db, *SOUTHBY_COMMISSIONER)
    assert {k: v for k, v in retention_dict(theirs).items() if k[1] == "birth"} == {
        ("2024/25 Q3", "birth", "families"): (1, 1),
        ("2024/25 Q3", "birth", "mother"): (1, 1),
        ("2024/25 Q3", "birth", "father"): (0, 0),
        ("2024/25 Q3", "birth", "both"): (0, 0),
    }


@both_backends
def test_retention_of_a_cohort_with_nothing_reached_yet(db):
    frame = engagement.retention_by_cohort(db, Scope.leadership(), Filters(Period.quarter(2025, 1)))
    assert set(frame["cohort"]) == {"2025/26 Q1"} and len(frame) == 5 * 4  # no co-parent
    assert (frame["reached"] == 0).all() and frame["share"].isna().all()


@both_backends
def test_retention_with_no_families_enrolled(db):
    frame = engagement.retention_by_cohort(db, Scope.leadership(), Filters(Period.month(2025, 2)))
    assert frame.empty and list(frame.columns) == ["cohort", "time_point", "group", "engaged", "reached", "share"]


# --- Follow-up and Kaplan–Meier ---------------------------------------------------------------


@both_backends
def test_follow_up_by_parent(db):
    assert records(engagement.follow_up_by_parent(db, *ALL)) == [
        ("co_parent", 0, 1),  # P11 never attended
        ("father", 96, 1),
        ("father", 117, 0),  # P4 (exit 'disengaged'); P9 moved away
        ("father", 253, 0),
        ("father", 261, 1),  # P6 came back; P2 stopped attending
        ("mother", 32, 1),
        ("mother", 32, 1),
        ("mother", 56, 1),  # P3, P8; P7
        ("mother", 166, 0),
        ("mother", 253, 0),
        ("mother", 355, 0),  # P10, P5, P1 still engaged
    ]


@both_backends
def test_time_to_disengagement_by_role(db):
    frame = engagement.time_to_disengagement(db, *ALL)
    assert list(frame.columns) == ["parent_role", "day", "survival", "at_risk", "events", "censored"]
    got = [(r.parent_role, r.day, r.at_risk, r.events, r.censored) for r in frame.itertuples()]
    assert got == [
        ("mother", 0, 6, 0, 0),
        ("mother", 32, 6, 2, 0),
        ("mother", 56, 4, 1, 0),
        ("mother", 166, 3, 0, 1),
        ("mother", 253, 2, 0, 1),
        ("mother", 355, 1, 0, 1),
        ("father", 0, 4, 0, 0),
        ("father", 96, 4, 1, 0),
        ("father", 117, 3, 0, 1),
        ("father", 253, 2, 0, 1),
        ("father", 261, 1, 1, 0),
        ("co_parent", 0, 1, 1, 0),
    ]
    # Mothers: 1 − 2/6 = 2/3 after the tie at 32 days, × (1 − 1/4) = 1/2 at 56, then flat.
    # Fathers: 3/4 at 96 days; censored at 117 and 253, so the last one at risk at 261 and
    # 3/4 × (1 − 1/1) = 0. The co-parent: 0 at day 0.
    assert frame["survival"].tolist() == pytest.approx(
        [1, 2 / 3, 1 / 2, 1 / 2, 1 / 2, 1 / 2, 1, 3 / 4, 3 / 4, 3 / 4, 0, 0]
    )


@both_backends
def test_survival_every_six_months(db):
    frame = engagement.survival_every_six_months(db, *ALL)
    # Days 0 and 182 (the longest follow-up is 355 days). At 182: at risk = parents followed
    # to 182 days or more; events since day 0.
    assert records(frame) == [
        ("mother", 0, 1.0, 6, 0),
        ("mother", 182, 0.5, 2, 3),
        ("father", 0, 1.0, 4, 0),
        ("father", 182, 0.75, 2, 1),
        ("co_parent", 0, 0.0, 1, 1),
        ("co_parent", 182, None, 0, 0),
    ]


@both_backends
def test_survival_of_mothers_and_partners(db):
    frame = engagement.survival_of_mothers_and_partners(db, *ALL)
    # Fathers and the co-parent together: 5 at risk on day 0, and the co-parent's event that day
    # (1 − 1/5 = 4/5); P4 at 96 days (4/5 × (1 − 1/4) = 3/5); P9 censored at 117; at 182 days
    # P6 and P2 are still followed (2 at risk), and P4's is the one event since day 0.
    assert [(r.parent_role, r.day, r.at_risk, r.events) for r in frame.itertuples()] == [
        ("mother", 0, 6, 0),
        ("mother", 182, 2, 3),
        ("partner", 0, 5, 1),
        ("partner", 182, 2, 1),
    ]
    assert frame["survival"].tolist() == pytest.approx([1.0, 0.5, 0.8, 0.6])


@both_backends
def test_time_to_disengagement_for_a_commissioner(db):
    # Southby: P7 only, disengaged 56 days after enrolment.
    assert records(engagement.time_to_disengagement(db, *SOUTHBY_COMMISSIONER)) == [
        ("mother", 0, 1.0, 1, 0, 0),
        ("mother", 56, 0.0, 1, 1, 0),
    ]


def test_kaplan_meier_with_ties_and_censoring():
    # Nine people; on day 2 two events and a censoring, on day 4 an event and a censoring.
    follow_up = pd.DataFrame(
        {"parent_role": "mother", "duration_days": [1, 2, 2, 2, 3, 4, 4, 5, 6], "event": [1, 1, 1, 0, 0, 1, 0, 1, 0]}
    )
    frame = engagement.kaplan_meier(follow_up)
    assert [(r.day, r.at_risk, r.events, r.censored) for r in frame.itertuples()] == [
        (0, 9, 0, 0),
        (1, 9, 1, 0),
        (2, 8, 2, 1),
        (3, 5, 0, 1),
        (4, 4, 1, 1),
        (5, 2, 1, 0),
        (6, 1, 0, 1),
    ]
    # S(1) = 8/9; S(2) = 8/9 × 6/8 = 2/3 (the one censored on day 2 is at risk on it);
    # S(3) = 2/3; S(4) = 2/3 × 3/4 = 1/2; S(5) = 1/2 × 1/2 = 1/4; S(6) = 1/4.
    assert frame["survival"].tolist() == pytest.approx([1, 8 / 9, 2 / 3, 2 / 3, 1 / 2, 1 / 4, 1 / 4])

    every_two = engagement.at_intervals(frame, 2)
    # Day 2: at risk 8, events on days 1–2: 3, censored 1. Day 4: at risk 4, events on 3–4: 1,
    # censored 2. Day 6: at risk 1, event on day 5, censored on day 6.
    assert records(every_two) == [
        ("mother", 0, 9, 0, 0, 1.0),
        ("mother", 2, 8, 3, 1, pytest.approx(2 / 3)),
        ("mother", 4, 4, 1, 2, 0.5),
        ("mother", 6, 1, 1, 1, 0.25),
    ]


def test_kaplan_meier_groups_and_an_event_on_day_zero():
    follow_up = pd.DataFrame(
        {"parent_role": ["father", "father", "father", "mother"], "duration_days": [0, 0, 10, 7], "event": [1, 0, 1, 0]}
    )
    frame = engagement.kaplan_meier(follow_up)
    # Fathers: 3 at risk on day 0, one disengages (2/3), one censored; then 1 at risk on day 10.
    assert records(frame) == [
        ("father", 0, 3, 1, 1, pytest.approx(2 / 3)),
        ("father", 10, 1, 1, 0, 0.0),
        ("mother", 0, 1, 0, 0, 1.0),
        ("mother", 7, 1, 0, 1, 1.0),
    ]
    # Read every 5 days up to the longest follow-up (10): the mother is no longer followed on day 10.
    assert records(engagement.at_intervals(frame, 5)) == [
        ("father", 0, 3, 1, 1, pytest.approx(2 / 3)),
        ("father", 5, 1, 0, 0, pytest.approx(2 / 3)),
        ("father", 10, 1, 1, 0, 0.0),
        ("mother", 0, 1, 0, 0, 1.0),
        ("mother", 5, 1, 0, 0, 1.0),
        ("mother", 10, 0, 0, 1, None),
    ]


def test_kaplan_meier_agrees_with_scipy_on_random_follow_up():
    from scipy import stats

    rng = np.random.default_rng(7)
    durations = rng.integers(0, 60, 400)  # many ties
    events = rng.random(400) < 0.6
    frame = engagement.kaplan_meier(
        pd.DataFrame({"parent_role": "father", "duration_days": durations, "event": events.astype(int)})
    )
    reference = stats.ecdf(stats.CensoredData(uncensored=durations[events], right=durations[~events]))
    assert frame["survival"].to_numpy() == pytest.approx(reference.sf.evaluate(frame["day"].to_numpy()))


# --- Attendance and session mix ---------------------------------------------------------------


@both_backends
def test_attendance_rate_by_site_and_month(db):
    frame = engagement.attendance_by_site_month(db, *ALL)
    assert list(frame.columns) == ["month", "site", "attended", "offered", "rate"]
    # Every month of the year for both sites (24 rows); those with no sessions are 0 of 0.
    assert len(frame) == 24
    frame["month"] = frame["month"].dt.strftime("%Y-%m")
    offered = {(r.month, r.site): (r.attended, r.offered) for r in frame.itertuples() if r.offered}
    assert offered == {
        ("2024-07", "Northby"): (2, 2),
        ("2024-08", "Northby"): (2, 3),  # P1's DNA
        ("2024-09", "Northby"): (3, 3),
        ("2024-10", "Northby"): (1, 2),  # P1's service cancellation is not offered; P3's DNA is
        ("2024-11", "Northby"): (4, 4),
        ("2024-11", "Southby"): (1, 1),
        ("2024-12", "Northby"): (4, 5),
        ("2025-01", "Northby"): (5, 7),  # P2 cancelled (and came once), P11 did not attend
        ("2025-01", "Southby"): (1, 1),
        ("2025-02", "Northby"): (1, 3),
        ("2025-03", "Northby"): (5, 5),
    }
    rates = frame.set_index(["month", "site"])["rate"]
    assert rates[("2024-12", "Northby")] == pytest.approx(0.8)
    assert rates[("2025-02", "Northby")] == pytest.approx(1 / 3)
    # March 2025 at Southby: only a session the service cancelled, so nothing offered and no rate.
    assert frame.set_index(["month", "site"]).loc[("2025-03", "Southby"), ["attended", "offered"]].tolist() == [0, 0]
    assert math.isnan(rates[("2025-03", "Southby")])
    assert rates.isna().sum() == 24 - len(offered)


@both_backends
def test_attendance_summed_over_the_sites_by_month(db):
    frame = engagement.attendance_by_month(db, *ALL)
    assert list(frame.columns) == ["month", "attended", "offered", "rate"]
    frame["month"] = frame["month"].dt.strftime("%Y-%m")
    # The by-site table above, Northby and Southby added: every month, empty ones 0 of 0.
    assert [(r.month, r.attended, r.offered) for r in frame.itertuples()] == [
        ("2024-04", 0, 0),
        ("2024-05", 0, 0),
        ("2024-06", 0, 0),
        ("2024-07", 2, 2),
        ("2024-08", 2, 3),
        ("2024-09", 3, 3),
        ("2024-10", 1, 2),
        ("2024-11", 5, 5),
        ("2024-12", 4, 5),
        ("2025-01", 6, 8),
        ("2025-02", 1, 3),
        ("2025-03", 5, 5),
    ]
    assert frame.set_index("month")["rate"]["2025-01"] == pytest.approx(6 / 8)
    assert math.isnan(frame.set_index("month")["rate"]["2024-04"])
    southby = engagement.attendance_by_month(db, *SOUTHBY_COMMISSIONER)
    assert southby.loc[southby["offered"] > 0, ["attended", "offered"]].values.tolist() == [[1, 1], [1, 1]]
    # FY 2025/26 runs past the data-as-at date (30 Jun 2025): April to June only.
    later = engagement.attendance_by_month(db, Scope.leadership(), Filters(Period.financial_year(2025)))
    assert later["month"].dt.strftime("%Y-%m").tolist() == ["2025-04", "2025-05", "2025-06"]


@both_backends
def test_attendance_for_a_commissioner_and_to_the_data_as_at_date(db):
    theirs = engagement.attendance_by_site_month(db, *SOUTHBY_COMMISSIONER)
    assert set(theirs["site"]) == {"Southby"} and len(theirs) == 12
    # FY 2025/26 runs past 30 Jun 2025: April to June only.
    later = engagement.attendance_by_site_month(db, Scope.leadership(), Filters(Period.financial_year(2025), SOUTHBY))
    assert later["month"].dt.strftime("%Y-%m").tolist() == ["2025-04", "2025-05", "2025-06"]


@both_backends
def test_sessions_attended_by_type_and_month(db):
    frame = engagement.attended_by_type_month(db, *ALL)
    frame["month"] = frame["month"].dt.strftime("%Y-%m")
    assert records(frame) == [
        ("2024-07", "individual", 2),
        ("2024-08", "individual", 2),
        ("2024-09", "individual", 2),
        ("2024-09", "safety_planning", 1),
        ("2024-10", "safety_planning", 1),
        ("2024-11", "individual", 5),
        ("2024-12", "individual", 4),
        ("2025-01", "individual", 6),
        ("2025-02", "vig", 1),
        ("2025-03", "group", 1),
        ("2025-03", "individual", 2),
        ("2025-03", "vig", 2),
    ]
    southby = engagement.attended_by_type_month(db, *SOUTHBY_COMMISSIONER)
    assert southby["sessions"].tolist() == [1, 1]


# --- Scope, everywhere ------------------------------------------------------------------------

QUERIES = list(query_functions(engagement))


def test_the_queries_were_found():
    assert len(QUERIES) == 8, [q.__name__ for q in QUERIES]


@both_backends
@pytest.mark.parametrize("period", [FY, Q3, Period.month(2025, 1)], ids=lambda p: p.label)
@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.__name__)
def test_a_commissioner_gets_their_site_and_nothing_else(db, query, period):
    theirs = query(db, Scope("commissioner", SOUTHBY), Filters(period))
    pd.testing.assert_frame_equal(theirs, query(db, Scope.leadership(), Filters(period, SOUTHBY)))
    if "site" in theirs.columns:
        assert set(theirs["site"]) <= {"Southby"}
    # Asking for another site through the filter narrows to nothing, never widens.
    assert query(db, Scope("commissioner", SOUTHBY), Filters(period, frozenset({1}))).empty


# --- The page ---------------------------------------------------------------------------------

FY_PARAMS = {"period": "Financial year", "fy": "2024/25"}
Q3_PARAMS = {"period": "Quarter", "quarter": "2024/25 Q3"}
FILTERS = [FY_PARAMS, Q3_PARAMS, {**Q3_PARAMS, "sites": "Southby"}]
PANELS = [
    "Retention by enrolment cohort",
    "Time to disengagement",
    "Session attendance rate",
    "Sessions attended by type",
    "Who is engaged now, by site",
]


@pytest.fixture
def engagement_url(tmp_path, monkeypatch):
    return case_db.served(tmp_path / "engagement.sqlite", ENGAGEMENT_TABLES, monkeypatch)


def open_page(query_params: dict[str, str], user: str = "leader") -> AppTest:
    return apptest.open_app(user, query_params, "engagement")


@pytest.mark.parametrize("params", FILTERS, ids=lambda p: "-".join(p.values()))
@pytest.mark.parametrize("user", ["leader", "trustee", "commissioner"])
def test_the_page_renders_for_every_role_under_filters(engagement_url, user, params):
    app = open_page(params, user)
    assert not app.exception
    assert [s.value for s in app.subheader] == PANELS
    # The definition of "engaged" is shown at the top, not only beside a figure.
    assert any("the parent attended a session on that day or in the 60 days before it" in box.value for box in app.info)
    assert not any(w in text_of(app).lower() for w in ("victim", "perpetrator"))


@pytest.mark.parametrize("params", FILTERS, ids=lambda p: "-".join(p.values()))
@pytest.mark.parametrize("user", ["trustee", "commissioner"])
def test_no_small_count_reaches_a_trustee_or_commissioners_table(engagement_url, user, params):
    app = open_page(params, user)
    assert not app.exception
    assert app.dataframe, "no table was shown"
    for table in app.dataframe:
        frame = table.value
        assert apptest.count_columns(frame), f"no count column in {list(frame.columns)}"
        assert not (shown := apptest.unprotected_counts(frame)), f"{shown} shown to a {user}"
        # No share or survival over fewer than 10 cases: every one in this small fixture.
        for column in ("Share engaged", "Share not yet disengaged", "Attendance rate"):
            if column in frame.columns:
                assert all(isinstance(v, str) or pd.isna(v) for v in frame[column]), frame[column].tolist()


def test_the_leaders_tables_hold_the_figures(engagement_url):
    app = open_page(FY_PARAMS)
    retention = app.dataframe[0].value
    birth_q3 = retention[(retention["Enrolment cohort"] == "2024/25 Q3") & (retention["Time point"] == "Birth")]
    assert dict(zip(birth_q3["Group"], zip(birth_q3["Engaged"], birth_q3["Reached"]))) == {
        "Families (either parent)": (3, 3),
        "Mothers": (2, 3),
        "Fathers": (2, 2),
        "Other co-parents": (0, 0),
        "Both parents": (1, 2),
    }
    survival = app.dataframe[1].value
    assert survival[survival["Days since enrolment"] == 182].set_index("Parents")["At risk"].to_dict() == {
        "Mothers": 2,
        "Fathers": 2,
        "Other co-parents": 0,
    }
    attendance = app.dataframe[2].value
    assert len(attendance) == 24
    # The chart of every day's estimate and its own download, for leadership only.
    assert len(app.get("plotly_chart")) == 5
    assert any("every day" in b.proto.label for b in app.get("download_button"))


def test_attendance_by_quarter_recomputes_the_rate(engagement_url):
    app = open_page(FY_PARAMS)
    app.segmented_control(key="attendance_grain").set_value("Quarter").run()
    table = app.dataframe[2].value.set_index(["Quarter", "Site"])
    # Northby Q2: 7 of 8; Q3: 9 of 11; Q4: 11 of 15. Southby Q4: January's 1 of 1 (March: nothing offered).
    assert table.loc[("2024/25 Q2", "Northby"), "Attendance rate"] == pytest.approx(7 / 8)
    assert table.loc[("2024/25 Q3", "Northby"), "Attendance rate"] == pytest.approx(9 / 11)
    assert table.loc[("2024/25 Q4", "Northby"), ["Attended", "Offered"]].tolist() == [11, 15]
    assert table.loc[("2024/25 Q4", "Southby"), "Attendance rate"] == 1
    assert math.isnan(table.loc[("2024/25 Q1", "Northby"), "Attendance rate"])


def test_a_cohort_with_nothing_reached_yet_draws_no_empty_chart(engagement_url):
    app = open_page({"period": "Quarter", "quarter": "2025/26 Q1"})
    assert not app.exception
    assert (app.dataframe[0].value["Reached"] == 0).all()
    assert "No share to draw" in app.get("plotly_chart")[0].proto.spec


def test_the_trustee_sees_no_every_day_estimate(engagement_url):
    app = open_page(FY_PARAMS, "trustee")
    assert not any("every day" in b.proto.label for b in app.get("download_button"))


def test_the_retention_chart_draws_each_group_s_shares_in_its_own_panel(engagement_url):
    app = open_page(FY_PARAMS)
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    titles = [a["text"] for a in spec["layout"]["annotations"]]
    assert titles == ["Families (either parent)", "Mothers", "Fathers", "Other co-parents", "Both parents"]

    def panel(trace) -> str:  # subplot n has axes "x{n}" (the first plain "x"), titled in order
        return titles[int(trace.get("xaxis", "x")[1:] or 1) - 1]

    lines = {(panel(t), t["name"]): dict(zip(t["x"], t["y"])) for t in spec["data"]}
    # From the table above: the 2024/25 Q3 cohort at birth, families 3 of 3, mothers 2 of 3,
    # fathers 2 of 2, both parents 1 of 2.
    assert lines[("Families (either parent)", "2024/25 Q3")][0] == 1
    assert lines[("Mothers", "2024/25 Q3")][0] == pytest.approx(2 / 3)
    assert lines[("Fathers", "2024/25 Q3")][0] == 1
    assert lines[("Both parents", "2024/25 Q3")][0] == pytest.approx(1 / 2)
    # The only co-parent (P11, cohort Q4) was not engaged at the birth; Q3 has none: no point.
    assert lines[("Other co-parents", "2024/25 Q4")][0] == 0
    assert all(share is None for share in lines[("Other co-parents", "2024/25 Q3")].values())
    # Each cohort is named once in the legend, whatever the number of panels.
    shown = [t["name"] for t in spec["data"] if t.get("showlegend", True)]
    assert len(shown) == len(set(shown)) == len({name for _, name in lines})
