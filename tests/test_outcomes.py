"""Outcome trends: queries against answers worked out by hand from OUTCOME_TABLES, scope, and the
page in AppTest for each role.

Main period: financial year 2024/25 (1 Apr 2024 – 31 Mar 2025); also 2024/25 Q3 (Oct – Dec 2024),
and the two years 2023/24 and 2024/25 to follow cohorts.
A record counts in the period in which it was recorded (recorded_on / assessed_on).
Sites: 1 Northby (families 1–4, 9, 11), 2 Southby (families 5–8, 10; the test commissioner's).
Enrolment cohorts (financial years): 2022/23 families 3, 4, 6, 7, 8, 9 (1 Mar 2023), 11;
2023/24 family 10 (1 Apr 2023); 2024/25 families 1, 2, 5.
"""

from __future__ import annotations

import base64
import json
import math

import numpy as np
import pandas as pd
import pytest

from queries import outcomes
from queries.periods import Period
from queries.scope import Filters, Scope
from tests import apptest, case_db
from tests.apptest import infos_under
from tests.case_db import assessment, family, parent, referral, site, social_care
from tests.test_scope_everywhere import query_functions

both_backends = pytest.mark.both_backends

FY = Period.financial_year(2024)
Q3 = Period.quarter(2024, 3)
TWO_YEARS = Period.custom(FY.start.replace(year=2023), FY.end)
LEADERSHIP = Scope.leadership()
SOUTHBY = frozenset({2})
COMMISSIONER = Scope("commissioner", SOUTHBY)


def core10(assessment_id, family_id, parent_id, time_point, score, on):
    return assessment(
        assessment_id,
        family_id,
        "core10",
        time_point,
        score=score,
        normal=None if score is None else score < 11,
        assessed=on,
        parent_id=parent_id,
    )


def baby(assessment_id, family_id, instrument, time_point, normal, on):
    return assessment(
        assessment_id,
        family_id,
        instrument,
        time_point,
        score=None if normal is None else (50.0 if normal else 20.0),
        normal=normal,
        assessed=on,
    )


OUTCOME_TABLES = {
    "sites": [site(1, "Northby"), site(2, "Southby")],
    "families": [
        family(1, 1, "2024-05-01", birth="2024-10-08"),
        family(2, 1, "2024-06-01", birth="2024-11-18"),
        family(3, 1, "2022-08-01", birth="2023-10-01", exit_on="2024-10-20", reason="disengaged"),
        family(4, 1, "2022-10-01", birth="2023-01-20"),
        family(5, 2, "2024-07-15", birth="2025-01-08"),
        family(6, 2, "2022-09-01", birth="2022-12-14"),
        family(7, 2, "2022-06-10", birth="2022-11-10"),
        family(8, 2, "2023-01-10", birth="2023-03-30"),
        family(9, 1, "2023-03-01", birth="2023-12-01"),  # cohort 2022/23 (March)
        family(10, 2, "2023-04-01", birth="2023-09-01"),  # cohort 2023/24 (its first day)
        family(11, 1, "2022-05-01", birth="2022-12-01"),
    ],
    # data as at 1 May 2025 (the last referral), so 2024/25 and its quarters can be chosen.
    "referrals": [referral(1, 1, "2022-04-01"), referral(2, 2, "2025-05-01")],
    "social_care_status": [
        social_care(1, "baseline", "child_protection", "2024-05-01"),
        social_care(1, "birth", "early_help", "2024-10-10"),
        social_care(2, "baseline", "none", "2024-06-01"),
        social_care(2, "birth", "none", "2024-11-20"),
        social_care(3, "baseline", "child_protection", "2022-08-01"),
        social_care(3, "birth", "child_protection", "2023-10-03"),
        social_care(3, "m12", "none", "2024-03-31"),  # the day before FY 2024/25: not in it
        # family 3 left before 24 months: no m24 record, so not in that denominator
        social_care(4, "baseline", "child_in_need", "2022-10-01"),
        social_care(4, "birth", "early_help", "2023-01-25"),
        social_care(4, "m12", "early_help", "2024-01-22"),
        social_care(4, "m24", "none", "2025-03-31"),  # the FY's last day: in it
        social_care(5, "baseline", "child_protection", "2024-07-15"),
        social_care(5, "birth", "none", "2025-01-10"),
        social_care(6, "m12", "none", "2023-12-15"),
        social_care(6, "m24", "child_in_need", "2024-12-15"),
        social_care(7, "baseline", "early_help", None),  # no date: never counted
        social_care(7, "m24", "looked_after", "2024-11-11"),
        social_care(8, "m24", "none", "2025-04-01"),  # the day after the FY
        social_care(9, "m12", "early_help", "2024-12-02"),
        social_care(10, "m12", "child_protection", "2024-09-03"),
        social_care(11, "m24", "none", "2024-12-03"),
    ],
    "parents": [
        parent(1, 1, "mother"),
        parent(2, 1, "father"),
        parent(3, 9, "mother"),
        parent(4, 9, "father"),
        parent(5, 6, "mother"),
        parent(6, 6, "father"),
        parent(7, 10, "mother"),
        parent(8, 11, "father"),
    ],
    "assessments": [
        baby(1, 9, "asq3_communication", "m12", True, "2024-12-05"),
        baby(2, 9, "asq3_gross_motor", "m12", False, "2024-12-05"),
        baby(3, 9, "asq_se2", "m12", True, "2024-12-05"),
        baby(4, 10, "asq3_communication", "m12", True, "2024-09-05"),
        baby(5, 10, "asq3_gross_motor", "m12", True, "2024-09-05"),
        baby(6, 10, "asq_se2", "m12", False, "2024-09-05"),
        baby(7, 6, "asq3_communication", "m24", False, "2024-12-16"),
        baby(8, 6, "asq_se2", "m24", True, "2024-12-16"),
        baby(9, 7, "asq3_communication", "m24", True, "2024-11-12"),  # family 7: no ASQ:SE-2 at all
        baby(10, 11, "asq3_communication", "m24", True, "2024-12-04"),
        baby(11, 11, "asq_se2", "m24", None, "2024-12-04"),  # no result recorded
        baby(12, 4, "asq3_communication", "m24", True, "2025-04-02"),  # after the FY
        baby(13, 3, "asq3_communication", "m12", True, None),  # no date
        baby(14, 6, "asq3_communication", "m12", True, "2023-12-16"),  # family 6 at 12 months too,
        baby(15, 6, "asq_se2", "m12", False, "2023-12-16"),  # in FY 2023/24
        core10(20, 1, 1, "entry", 20, "2024-05-02"),
        core10(21, 1, 1, "birth", 14, "2024-10-12"),  # fell by exactly 6: reliable
        core10(22, 1, 2, "entry", 18, "2024-05-02"),
        core10(23, 1, 2, "birth", 13, "2024-10-12"),  # fell by 5: not reliable
        core10(24, 9, 3, "entry", 25, "2023-03-02"),
        core10(25, 9, 3, "birth", 22, "2023-12-03"),  # before the FY
        core10(26, 9, 3, "m12", 15, "2024-12-06"),  # −10
        core10(27, 9, 4, "entry", 12, "2023-03-02"),  # entry and no later score: not counted
        core10(28, 6, 5, "entry", 16, "2022-09-02"),
        core10(29, 6, 5, "m12", 14, "2023-12-16"),  # before the FY
        core10(30, 6, 5, "m24", 18, "2024-12-17"),  # +2: worse
        core10(31, 6, 6, "entry", None, "2022-09-02"),  # entry with no score ...
        core10(32, 6, 6, "m24", 10, "2024-12-17"),  # ... so this later score is not counted
        core10(33, 10, 7, "entry", 22, "2023-04-02"),
        core10(34, 10, 7, "m12", 13, "2024-09-04"),  # −9 (in Q2, not Q3)
        core10(35, 11, 8, "entry", 15, "2022-05-02"),
        core10(36, 11, 8, "m24", 8, "2024-12-04"),  # −7
    ],
}


@pytest.fixture(scope="module")
def conn(tmp_path_factory, backend):
    with case_db.connected(tmp_path_factory.mktemp("outcomes") / "o.sqlite", OUTCOME_TABLES) as connection:
        yield connection


def records(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    return [tuple(row) for row in frame[columns].itertuples(index=False)]


SOCIAL = ["involvement", "time_point", "families", "families_recorded"]


# --- Social care involvement ------------------------------------------------------------------


@both_backends
def test_social_care_involvement_in_a_financial_year(conn):
    frame = outcomes.social_care_involvement(conn, LEADERSHIP, Filters(FY))
    # Recorded in FY 2024/25 —
    #   baseline: F1 child protection, F2 none, F5 child protection → 2 of 3 (F3, F4 earlier; F7 undated)
    #   birth:    F1 early help, F2 none, F5 none                  → 1 of 3
    #   m12:      F9 early help, F10 child protection              → 2 of 2 (F3's on 31 Mar 2024 is out)
    #   m24:      F4 none (31 Mar 2025), F6 child in need, F7 looked after, F11 none → 2 of 4
    #             (F8's on 1 Apr 2025 is out; F1–F3, F5, F9, F10 have no m24 record in it)
    assert records(frame, SOCIAL) == [
        ("involved", "baseline", 2, 3),
        ("involved", "birth", 1, 3),
        ("involved", "m12", 2, 2),
        ("involved", "m24", 2, 4),
        ("not_involved", "baseline", 1, 3),
        ("not_involved", "birth", 2, 3),
        ("not_involved", "m12", 0, 2),
        ("not_involved", "m24", 2, 4),
    ]
    assert frame["share"].tolist() == pytest.approx([2 / 3, 1 / 3, 1, 1 / 2, 1 / 3, 2 / 3, 0, 1 / 2])


@both_backends
def test_social_care_involvement_in_a_quarter_lists_a_time_point_with_no_records(conn):
    frame = outcomes.social_care_involvement(conn, LEADERSHIP, Filters(Q3))
    # Oct–Dec 2024: no baseline; birth F1 involved, F2 not; m12 F9 involved;
    # m24 F6 and F7 involved, F11 not.
    assert records(frame, SOCIAL) == [
        ("involved", "baseline", 0, 0),
        ("involved", "birth", 1, 2),
        ("involved", "m12", 1, 1),
        ("involved", "m24", 2, 3),
        ("not_involved", "baseline", 0, 0),
        ("not_involved", "birth", 1, 2),
        ("not_involved", "m12", 0, 1),
        ("not_involved", "m24", 1, 3),
    ]
    assert math.isnan(frame["share"].iloc[0])  # 0 of 0 is no share at all


@both_backends
def test_social_care_involvement_by_site(conn):
    frame = outcomes.social_care_involvement_by_site(conn, LEADERSHIP, Filters(FY))
    # Northby: baseline F1 (involved), F2; birth F1 (involved), F2; m12 F9 (involved); m24 F4, F11.
    # Southby: baseline F5 (involved); birth F5; m12 F10 (involved); m24 F6, F7 (both involved).
    assert records(frame, ["involvement", "site", "time_point", "families", "families_recorded"]) == [
        ("involved", "Northby", "baseline", 1, 2),
        ("involved", "Northby", "birth", 1, 2),
        ("involved", "Northby", "m12", 1, 1),
        ("involved", "Northby", "m24", 0, 2),
        ("involved", "Southby", "baseline", 1, 1),
        ("involved", "Southby", "birth", 0, 1),
        ("involved", "Southby", "m12", 1, 1),
        ("involved", "Southby", "m24", 2, 2),
        ("not_involved", "Northby", "baseline", 1, 2),
        ("not_involved", "Northby", "birth", 1, 2),
        ("not_involved", "Northby", "m12", 0, 1),
        ("not_involved", "Northby", "m24", 2, 2),
        ("not_involved", "Southby", "baseline", 0, 1),
        ("not_involved", "Southby", "birth", 1, 1),
        ("not_involved", "Southby", "m12", 0, 1),
        ("not_involved", "Southby", "m24", 0, 2),
    ]


@both_backends
def test_social_care_involvement_by_enrolment_cohort(conn):
    frame = outcomes.social_care_involvement_by_cohort(conn, LEADERSHIP, Filters(FY))
    # Cohorts: F1, F2, F5 enrolled in 2024/25; F10 on 1 Apr 2023 → 2023/24; F9 on 1 Mar 2023 and
    # F4, F6, F7, F11 → 2022/23.
    assert records(frame, ["involvement", "cohort", "time_point", "families", "families_recorded"]) == [
        ("involved", "2022/23", "m12", 1, 1),
        ("involved", "2022/23", "m24", 2, 4),
        ("involved", "2023/24", "m12", 1, 1),
        ("involved", "2024/25", "baseline", 2, 3),
        ("involved", "2024/25", "birth", 1, 3),
        ("not_involved", "2022/23", "m12", 0, 1),
        ("not_involved", "2022/23", "m24", 2, 4),
        ("not_involved", "2023/24", "m12", 0, 1),
        ("not_involved", "2024/25", "baseline", 1, 3),
        ("not_involved", "2024/25", "birth", 2, 3),
    ]


@both_backends
def test_social_care_for_a_commissioner(conn):
    frame = outcomes.social_care_involvement(conn, COMMISSIONER, Filters(FY))
    # Southby only: baseline F5 involved; birth F5 not; m12 F10 involved; m24 F6, F7 involved.
    assert records(frame, SOCIAL) == [
        ("involved", "baseline", 1, 1),
        ("involved", "birth", 0, 1),
        ("involved", "m12", 1, 1),
        ("involved", "m24", 2, 2),
        ("not_involved", "baseline", 0, 1),
        ("not_involved", "birth", 1, 1),
        ("not_involved", "m12", 0, 1),
        ("not_involved", "m24", 0, 2),
    ]


# --- Babies -----------------------------------------------------------------------------------


@both_backends
def test_babies_within_the_normal_range(conn):
    frame = outcomes.babies_within_normal_range(conn, LEADERSHIP, Filters(FY))
    # Assessed in FY 2024/25 with a result:
    #   communication m12: F9 ✓, F10 ✓ → 2 of 2     gross motor m12: F9 ✗, F10 ✓ → 1 of 2
    #   ASQ:SE-2 m12: F9 ✓, F10 ✗ → 1 of 2
    #   communication m24: F6 ✗, F7 ✓, F11 ✓ → 2 of 3 (F4's is after the FY, F3's undated)
    #   ASQ:SE-2 m24: F6 ✓ → 1 of 1 (F7 has none, F11's has no result)
    # Fine motor, problem solving and personal-social: no assessment, not listed.
    assert records(frame, ["normal_range", "instrument", "time_point", "babies", "babies_assessed"]) == [
        ("within", "asq3_communication", "m12", 2, 2),
        ("within", "asq3_communication", "m24", 2, 3),
        ("within", "asq3_gross_motor", "m12", 1, 2),
        ("within", "asq_se2", "m12", 1, 2),
        ("within", "asq_se2", "m24", 1, 1),
        ("outside", "asq3_communication", "m12", 0, 2),
        ("outside", "asq3_communication", "m24", 1, 3),
        ("outside", "asq3_gross_motor", "m12", 1, 2),
        ("outside", "asq_se2", "m12", 1, 2),
        ("outside", "asq_se2", "m24", 0, 1),
    ]
    assert frame["share"].tolist()[:5] == pytest.approx([1, 2 / 3, 1 / 2, 1 / 2, 1])


@both_backends
def test_babies_for_a_commissioner(conn):
    frame = outcomes.babies_within_normal_range(conn, COMMISSIONER, Filters(FY))
    # Southby: F10 at 12 months (communication ✓, gross motor ✓, SE-2 ✗); F6, F7 at 24 months.
    assert records(
        frame[frame["normal_range"] == "within"], ["instrument", "time_point", "babies", "babies_assessed"]
    ) == [
        ("asq3_communication", "m12", 1, 1),
        ("asq3_communication", "m24", 1, 2),
        ("asq3_gross_motor", "m12", 1, 1),
        ("asq_se2", "m12", 0, 1),
        ("asq_se2", "m24", 1, 1),
    ]


BABIES = ["normal_range", "instrument", "time_point", "babies", "babies_assessed"]


@both_backends
def test_babies_within_the_normal_range_by_site(conn):
    frame = outcomes.babies_within_normal_range_by_site(conn, LEADERSHIP, Filters(FY))
    # Northby: F9 at 12 months (communication ✓, gross motor ✗, SE-2 ✓); F11 at 24 months
    #          (communication ✓; its SE-2 has no result, so F11 is in no SE-2 count).
    # Southby: F10 at 12 months (communication ✓, gross motor ✓, SE-2 ✗); at 24 months F6
    #          (communication ✗, SE-2 ✓) and F7 (communication ✓; no SE-2 at all).
    # F6's 12-month assessments (December 2023) are before the year.
    assert records(frame, ["normal_range", "site", *BABIES[1:]]) == [
        ("within", "Northby", "asq3_communication", "m12", 1, 1),
        ("within", "Northby", "asq3_communication", "m24", 1, 1),
        ("within", "Northby", "asq3_gross_motor", "m12", 0, 1),
        ("within", "Northby", "asq_se2", "m12", 1, 1),
        ("within", "Southby", "asq3_communication", "m12", 1, 1),
        ("within", "Southby", "asq3_communication", "m24", 1, 2),
        ("within", "Southby", "asq3_gross_motor", "m12", 1, 1),
        ("within", "Southby", "asq_se2", "m12", 0, 1),
        ("within", "Southby", "asq_se2", "m24", 1, 1),
        ("outside", "Northby", "asq3_communication", "m12", 0, 1),
        ("outside", "Northby", "asq3_communication", "m24", 0, 1),
        ("outside", "Northby", "asq3_gross_motor", "m12", 1, 1),
        ("outside", "Northby", "asq_se2", "m12", 0, 1),
        ("outside", "Southby", "asq3_communication", "m12", 0, 1),
        ("outside", "Southby", "asq3_communication", "m24", 1, 2),
        ("outside", "Southby", "asq3_gross_motor", "m12", 0, 1),
        ("outside", "Southby", "asq_se2", "m12", 1, 1),
        ("outside", "Southby", "asq_se2", "m24", 0, 1),
    ]
    assert frame["share"].tolist()[:9] == pytest.approx([1, 1, 0, 1, 1, 1 / 2, 1, 0, 1])


@both_backends
def test_babies_within_the_normal_range_by_enrolment_cohort(conn):
    frame = outcomes.babies_within_normal_range_by_cohort(conn, LEADERSHIP, Filters(FY))
    # 2022/23: F9 (enrolled 1 Mar 2023) at 12 months; F6, F7, F11 at 24 months.
    # 2023/24: F10 (enrolled 1 Apr 2023) at 12 months. No baby of the 2024/25 cohort was assessed.
    within = frame[frame["normal_range"] == "within"]
    assert records(within, ["cohort", *BABIES[1:]]) == [
        ("2022/23", "asq3_communication", "m12", 1, 1),
        ("2022/23", "asq3_communication", "m24", 2, 3),  # F6 ✗, F7 ✓, F11 ✓
        ("2022/23", "asq3_gross_motor", "m12", 0, 1),
        ("2022/23", "asq_se2", "m12", 1, 1),
        ("2022/23", "asq_se2", "m24", 1, 1),  # F6 only: F7 none, F11 no result
        ("2023/24", "asq3_communication", "m12", 1, 1),
        ("2023/24", "asq3_gross_motor", "m12", 1, 1),
        ("2023/24", "asq_se2", "m12", 0, 1),
    ]
    outside = frame[frame["normal_range"] == "outside"]
    assert outside["babies"].tolist() == [0, 1, 1, 0, 0, 0, 0, 1]
    assert outside["babies_assessed"].tolist() == within["babies_assessed"].tolist()


@both_backends
def test_a_cohort_followed_over_two_years_counts_a_baby_at_each_time_point(conn):
    frame = outcomes.babies_within_normal_range_by_cohort(conn, LEADERSHIP, Filters(TWO_YEARS))
    # 2023/24 and 2024/25 together add F6's 12-month assessments (December 2023: communication ✓,
    # SE-2 ✗) to the 2022/23 cohort, so F6 counts at 12 and at 24 months; F7 only at 24 months.
    within = frame[(frame["normal_range"] == "within") & (frame["cohort"] == "2022/23")]
    assert records(within, BABIES[1:]) == [
        ("asq3_communication", "m12", 2, 2),
        ("asq3_communication", "m24", 2, 3),
        ("asq3_gross_motor", "m12", 0, 1),
        ("asq_se2", "m12", 1, 2),
        ("asq_se2", "m24", 1, 1),
    ]


@both_backends
def test_babies_by_site_and_cohort_for_a_commissioner(conn):
    by_site = outcomes.babies_within_normal_range_by_site(conn, COMMISSIONER, Filters(FY))
    assert set(by_site["site"]) == {"Southby"}
    assert records(by_site[by_site["normal_range"] == "within"], BABIES[1:]) == [
        ("asq3_communication", "m12", 1, 1),
        ("asq3_communication", "m24", 1, 2),
        ("asq3_gross_motor", "m12", 1, 1),
        ("asq_se2", "m12", 0, 1),
        ("asq_se2", "m24", 1, 1),
    ]
    by_cohort = outcomes.babies_within_normal_range_by_cohort(conn, COMMISSIONER, Filters(FY))
    # Southby's babies: F6 and F7 (2022/23) at 24 months, F10 (2023/24) at 12 months.
    assert records(by_cohort[by_cohort["normal_range"] == "within"], ["cohort", *BABIES[1:]]) == [
        ("2022/23", "asq3_communication", "m24", 1, 2),
        ("2022/23", "asq_se2", "m24", 1, 1),
        ("2023/24", "asq3_communication", "m12", 1, 1),
        ("2023/24", "asq3_gross_motor", "m12", 1, 1),
        ("2023/24", "asq_se2", "m12", 0, 1),
    ]


# --- Parents' wellbeing -----------------------------------------------------------------------

CHANGE = ["parent_role", "time_point", "parents", "mean_entry", "mean_later", "mean_change"]


@both_backends
def test_parent_wellbeing_change(conn):
    frame = outcomes.parent_wellbeing_change(conn, LEADERSHIP, Filters(FY))
    # Later score assessed in FY 2024/25, with an entry score:
    #   mothers, birth: P1 20 → 14 (−6)           fathers, birth: P2 18 → 13 (−5)
    #   mothers, m12: P3 25 → 15 (−10), P7 22 → 13 (−9): entry 23.5, then 14, change −9.5
    #   mothers, m24: P5 16 → 18 (+2)             fathers, m24: P8 15 → 8 (−7)
    # Not counted: P4 (entry only), P6 (entry has no score), P3's birth and P5's m12 (before the FY).
    assert records(frame, CHANGE) == [
        ("mother", "birth", 1, 20, 14, -6),
        ("mother", "m12", 2, 23.5, 14, -9.5),
        ("mother", "m24", 1, 16, 18, 2),
        ("father", "birth", 1, 18, 13, -5),
        ("father", "m24", 1, 15, 8, -7),
    ]


@both_backends
def test_reliable_improvement_is_a_fall_of_six_or_more(conn):
    frame = outcomes.parent_reliable_improvement(conn, LEADERSHIP, Filters(FY))
    # P1 fell by exactly 6 (reliable), P2 by 5 (not); P3 by 10 and P7 by 9; P5 rose; P8 fell by 7.
    assert records(frame, ["improvement", "parent_role", "time_point", "parents", "parents_with_both"]) == [
        ("reliable_improvement", "mother", "birth", 1, 1),
        ("reliable_improvement", "mother", "m12", 2, 2),
        ("reliable_improvement", "mother", "m24", 0, 1),
        ("reliable_improvement", "father", "birth", 0, 1),
        ("reliable_improvement", "father", "m24", 1, 1),
        ("no_reliable_improvement", "mother", "birth", 0, 1),
        ("no_reliable_improvement", "mother", "m12", 0, 2),
        ("no_reliable_improvement", "mother", "m24", 1, 1),
        ("no_reliable_improvement", "father", "birth", 1, 1),
        ("no_reliable_improvement", "father", "m24", 0, 1),
    ]
    assert frame["share"].tolist()[:5] == [1, 1, 0, 0, 1]


@both_backends
def test_parent_wellbeing_in_a_quarter_and_for_a_commissioner(conn):
    quarter = outcomes.parent_wellbeing_change(conn, LEADERSHIP, Filters(Q3))
    # Oct–Dec 2024: as the year but without P7 (assessed at 12 months in September).
    assert records(quarter, CHANGE) == [
        ("mother", "birth", 1, 20, 14, -6),
        ("mother", "m12", 1, 25, 15, -10),
        ("mother", "m24", 1, 16, 18, 2),
        ("father", "birth", 1, 18, 13, -5),
        ("father", "m24", 1, 15, 8, -7),
    ]
    # Southby: P7 (family 10) at 12 months and P5 (family 6) at 24 months; P6 has no entry score.
    assert records(outcomes.parent_wellbeing_change(conn, COMMISSIONER, Filters(FY)), CHANGE) == [
        ("mother", "m12", 1, 22, 13, -9),
        ("mother", "m24", 1, 16, 18, 2),
    ]


@both_backends
def test_parent_wellbeing_change_by_site_and_cohort(conn):
    by_site = outcomes.parent_wellbeing_change_by_site(conn, LEADERSHIP, Filters(FY))
    # Northby: P1 (F1) and P2 at birth, P3 (F9) at 12 months, P8 (F11) at 24 months.
    # Southby: P7 (F10) at 12 months, P5 (F6) at 24 months; P6 has no entry score.
    assert records(by_site, ["site", *CHANGE]) == [
        ("Northby", "mother", "birth", 1, 20, 14, -6),
        ("Northby", "mother", "m12", 1, 25, 15, -10),
        ("Northby", "father", "birth", 1, 18, 13, -5),
        ("Northby", "father", "m24", 1, 15, 8, -7),
        ("Southby", "mother", "m12", 1, 22, 13, -9),
        ("Southby", "mother", "m24", 1, 16, 18, 2),
    ]
    by_cohort = outcomes.parent_wellbeing_change_by_cohort(conn, LEADERSHIP, Filters(FY))
    # 2022/23: P3 (F9, enrolled 1 Mar 2023), P5 (F6), P8 (F11); 2023/24: P7 (F10, 1 Apr 2023);
    # 2024/25: P1 and P2 (F1).
    assert records(by_cohort, ["cohort", *CHANGE]) == [
        ("2022/23", "mother", "m12", 1, 25, 15, -10),
        ("2022/23", "mother", "m24", 1, 16, 18, 2),
        ("2022/23", "father", "m24", 1, 15, 8, -7),
        ("2023/24", "mother", "m12", 1, 22, 13, -9),
        ("2024/25", "mother", "birth", 1, 20, 14, -6),
        ("2024/25", "father", "birth", 1, 18, 13, -5),
    ]


IMPROVED = ["improvement", "parent_role", "time_point", "parents", "parents_with_both"]


@both_backends
def test_reliable_improvement_by_site(conn):
    frame = outcomes.parent_reliable_improvement_by_site(conn, LEADERSHIP, Filters(FY))
    # Northby: P1 −6 (reliable), P2 −5 (not), P3 −10, P8 −7. Southby: P7 −9, P5 +2.
    assert records(frame, ["improvement", "site", *IMPROVED[1:]]) == [
        ("reliable_improvement", "Northby", "mother", "birth", 1, 1),
        ("reliable_improvement", "Northby", "mother", "m12", 1, 1),
        ("reliable_improvement", "Northby", "father", "birth", 0, 1),
        ("reliable_improvement", "Northby", "father", "m24", 1, 1),
        ("reliable_improvement", "Southby", "mother", "m12", 1, 1),
        ("reliable_improvement", "Southby", "mother", "m24", 0, 1),
        ("no_reliable_improvement", "Northby", "mother", "birth", 0, 1),
        ("no_reliable_improvement", "Northby", "mother", "m12", 0, 1),
        ("no_reliable_improvement", "Northby", "father", "birth", 1, 1),
        ("no_reliable_improvement", "Northby", "father", "m24", 0, 1),
        ("no_reliable_improvement", "Southby", "mother", "m12", 0, 1),
        ("no_reliable_improvement", "Southby", "mother", "m24", 1, 1),
    ]
    assert frame["share"].tolist()[:6] == [1, 1, 0, 1, 1, 0]
    theirs = outcomes.parent_reliable_improvement_by_site(conn, COMMISSIONER, Filters(FY))
    assert records(theirs, ["improvement", "site", *IMPROVED[1:]]) == [
        row for row in records(frame, ["improvement", "site", *IMPROVED[1:]]) if row[1] == "Southby"
    ]


@both_backends
def test_reliable_improvement_by_enrolment_cohort(conn):
    frame = outcomes.parent_reliable_improvement_by_cohort(conn, LEADERSHIP, Filters(FY))
    reliable = frame[frame["improvement"] == "reliable_improvement"]
    assert records(reliable, ["cohort", *IMPROVED[1:]]) == [
        ("2022/23", "mother", "m12", 1, 1),
        ("2022/23", "mother", "m24", 0, 1),
        ("2022/23", "father", "m24", 1, 1),
        ("2023/24", "mother", "m12", 1, 1),
        ("2024/25", "mother", "birth", 1, 1),
        ("2024/25", "father", "birth", 0, 1),
    ]


@both_backends
def test_wellbeing_of_a_cohort_followed_over_two_years(conn):
    # 2023/24 adds P3's birth score (25 → 22, −3, December 2023) and P5's 12-month score
    # (16 → 14, −2, December 2023), both of the 2022/23 cohort. At 12 months that cohort now has
    # P3 (−10, reliable) and P5 (−2): entry 20.5, later 14.5, change −6, 1 of 2 reliable.
    change = outcomes.parent_wellbeing_change_by_cohort(conn, LEADERSHIP, Filters(TWO_YEARS))
    assert records(change[change["cohort"] == "2022/23"], CHANGE) == [
        ("mother", "birth", 1, 25, 22, -3),
        ("mother", "m12", 2, 20.5, 14.5, -6),
        ("mother", "m24", 1, 16, 18, 2),
        ("father", "m24", 1, 15, 8, -7),
    ]
    improvement = outcomes.parent_reliable_improvement_by_cohort(conn, LEADERSHIP, Filters(TWO_YEARS))
    mothers_m12 = improvement[
        (improvement["cohort"] == "2022/23")
        & (improvement["parent_role"] == "mother")
        & (improvement["time_point"] == "m12")
    ]
    assert records(mothers_m12, ["improvement", "parents", "parents_with_both", "share"]) == [
        ("reliable_improvement", 1, 2, 0.5),
        ("no_reliable_improvement", 1, 2, 0.5),
    ]


@both_backends
def test_a_breakdown_with_nothing_to_count_has_its_columns(conn):
    nothing = Filters(Period.month(2021, 1))
    assert list(outcomes.babies_within_normal_range_by_cohort(conn, LEADERSHIP, nothing).columns) == [
        "normal_range",
        "cohort",
        "instrument",
        "time_point",
        "babies",
        "babies_assessed",
        "share",
    ]
    assert list(outcomes.parent_reliable_improvement_by_site(conn, LEADERSHIP, nothing).columns) == [
        "improvement",
        "site",
        "parent_role",
        "time_point",
        "parents",
        "parents_with_both",
        "share",
    ]
    assert list(outcomes.parent_wellbeing_change_by_cohort(conn, LEADERSHIP, nothing).columns) == [
        "cohort",
        "parent_role",
        "time_point",
        "parents",
        "mean_entry",
        "mean_later",
        "mean_change",
    ]


# --- Scope ------------------------------------------------------------------------------------

QUERIES = list(query_functions(outcomes))


def test_every_outcome_query_was_found():
    assert {q.__name__ for q in QUERIES} == {
        "social_care_involvement",
        "social_care_involvement_by_site",
        "social_care_involvement_by_cohort",
        "babies_within_normal_range",
        "babies_within_normal_range_by_site",
        "babies_within_normal_range_by_cohort",
        "parent_wellbeing_change",
        "parent_wellbeing_change_by_site",
        "parent_wellbeing_change_by_cohort",
        "parent_reliable_improvement",
        "parent_reliable_improvement_by_site",
        "parent_reliable_improvement_by_cohort",
    }


@both_backends
@pytest.mark.parametrize("period", [FY, Q3], ids=lambda p: p.label)
@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.__name__)
def test_a_commissioner_sees_only_their_site(conn, query, period):
    theirs = query(conn, COMMISSIONER, Filters(period))
    pd.testing.assert_frame_equal(theirs, query(conn, LEADERSHIP, Filters(period, SOUTHBY)))
    assert not theirs.empty
    # Everything Southby has differs from everything: the scope really narrowed the figures.
    assert not theirs.equals(query(conn, LEADERSHIP, Filters(period)))
    if "site" in theirs.columns:
        assert set(theirs["site"]) == {"Southby"}
    # Asking for another site through the filter gives nothing, never that site.
    assert query(conn, COMMISSIONER, Filters(period, frozenset({1}))).empty


# --- The page ---------------------------------------------------------------------------------


@pytest.fixture
def outcomes_url(tmp_path, monkeypatch):
    return case_db.served(tmp_path / "outcomes.sqlite", OUTCOME_TABLES, monkeypatch)


FY_PARAMS = {"period": "Financial year", "fy": "2024/25"}
Q3_PARAMS = {"period": "Quarter", "quarter": "2024/25 Q3"}
# Each measure for all the chosen sites together unless a breakdown is chosen (test_outcomes_breakdowns.py).
PANELS = [
    "Families with social care involved",
    "Babies within the normal range",
    "Parents' wellbeing: change from entry",
    "Parents with reliable improvement",
]


def open_page(user: str, params: dict[str, str]):
    return apptest.open_app(user, params, page="outcomes")


def tables(app) -> dict[str, pd.DataFrame]:
    """Each panel's table by its title (a panel with nothing to show has none)."""
    found, title = {}, None
    for node in app.main:
        if node.type == "subheader":
            title = node.value
        elif node.type == "dataframe":
            found[title] = node.value
    return found


@pytest.mark.parametrize(
    "params", [FY_PARAMS, Q3_PARAMS, {**Q3_PARAMS, "sites": "Southby"}], ids=["year", "quarter", "quarter-southby"]
)
@pytest.mark.parametrize("user", ["leader", "trustee", "commissioner"])
def test_the_page_renders_for_every_role(outcomes_url, user, params):
    app = open_page(user, params)
    assert not app.exception
    assert [s.value for s in app.subheader] == PANELS
    assert "counts in the period in which it was recorded" in apptest.text_of(app)


def test_the_leaders_tables_hold_the_hand_worked_figures(outcomes_url):
    app = open_page("leader", FY_PARAMS)
    shown = tables(app)
    social = shown["Families with social care involved"]
    assert list(social.columns) == [
        "Social care",
        "Time point",
        "Families",
        "Families with a status recorded",
        "Share of families recorded (%)",
    ]
    involved = social[social["Social care"] == "Social care involved"]
    assert involved["Time point"].tolist() == ["Baseline (enrolment)", "Birth", "12 months", "24 months"]
    assert involved["Families"].tolist() == [2, 1, 2, 2]
    assert involved["Families with a status recorded"].tolist() == [3, 3, 2, 4]
    assert involved["Share of families recorded (%)"].tolist() == [66.7, 33.3, 100.0, 50.0]
    reliable = shown["Parents with reliable improvement"]
    improved = reliable[reliable["Change from entry"] == "Reliable improvement"]
    assert list(
        zip(
            improved["Role"],
            improved["Compared with entry at"],
            improved["Parents"],
            improved["Parents with both scores"],
        )
    ) == [
        ("Mothers", "Birth", 1, 1),
        ("Mothers", "12 months", 2, 2),
        ("Mothers", "24 months", 0, 1),
        ("Fathers", "Birth", 0, 1),
        ("Fathers", "24 months", 1, 1),
    ]
    change = shown["Parents' wellbeing: change from entry"]
    mothers_m12 = change[(change["Role"] == "Mothers") & (change["Compared with entry at"] == "12 months")]
    assert mothers_m12[["Parents with both scores", "Mean change (points)"]].values.tolist() == [[2, -9.5]]


def plotted(values) -> list:
    """A trace's values from the chart's JSON: a base64 typed array, or a list in which a value
    not drawn is null (read here as NaN, as the typed array writes it)."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return [math.nan if v is None else v for v in values]


def test_the_social_care_chart_carries_the_evaluations_markers(outcomes_url):
    app = open_page("leader", FY_PARAMS)
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    lines = [s for s in spec["layout"]["shapes"] if s["line"].get("dash") == "dash"]
    # Baseline is the first time point on the axis, 24 months the fourth.
    assert sorted((round((s["x0"] + s["x1"]) / 2), s["y0"]) for s in lines) == [(0, 70), (3, 33)]
    labels_drawn = [a["text"] for a in spec["layout"]["annotations"]]
    assert labels_drawn == ["2020 evaluation: 70%", "2020 evaluation: 33%"]
    assert spec["data"][0]["x"] == ["Baseline (enrolment)", "Birth", "12 months", "24 months"]
    # The bars: 2 of 3, 1 of 3, 2 of 2 and 2 of 4 families, as percentages.
    assert plotted(spec["data"][0]["y"]) == [66.7, 33.3, 100.0, 50.0]


def test_a_commissioner_sees_only_their_site_on_the_page(outcomes_url):
    app = open_page("commissioner", {**FY_PARAMS, "social_care_by": "By site"})
    by_site = tables(app)["Social care involvement by site"]
    assert set(by_site["Site"]) == {"Southby"}


# A larger database for the disclosure checks: enough families that some figures may be shown.
def _disclosure_tables() -> dict[str, list]:
    northby = range(101, 116)  # 15 Northby families whose babies turned two in December 2024
    southby = range(301, 308)  # 7 Southby families who enrolled in May 2024
    rows: dict[str, list] = {
        "sites": [site(1, "Northby"), site(2, "Southby")],
        "families": [family(f, 1, "2022-06-01", birth="2022-12-01") for f in northby]
        + [family(f, 2, "2024-05-01") for f in southby],
        "referrals": [referral(1, 1, "2022-04-01"), referral(2, 2, "2025-05-01")],
        "social_care_status": [],
        "parents": [],
        "assessments": [],
    }
    # 24 months: Northby 101–110 child in need, 111 and 112 none. Baseline: all 7 Southby families
    # involved (7 of 7: no count to hide, but a share over fewer than 10 families).
    for f in list(northby)[:12]:
        rows["social_care_status"].append(social_care(f, "m24", "child_in_need" if f <= 110 else "none", "2024-12-02"))
    for f in southby:
        rows["social_care_status"].append(social_care(f, "baseline", "early_help", "2024-05-01"))
    ids = iter(range(1, 1000))
    for f in northby:
        if f <= 112:  # communication: 11 of 12 within the normal range (1 outside)
            rows["assessments"].append(baby(next(ids), f, "asq3_communication", "m24", f != 112, "2024-12-03"))
        # ASQ:SE-2: 9 of 15 within; gross motor: 7 of 15 within
        rows["assessments"].append(baby(next(ids), f, "asq_se2", "m24", f <= 109, "2024-12-03"))
        rows["assessments"].append(baby(next(ids), f, "asq3_gross_motor", "m24", f <= 107, "2024-12-03"))
    # 12 mothers with entry 20: 7 fall to 12 (−8, reliable), 5 to 17 (−3).
    for i, f in enumerate(list(northby)[:12]):
        rows["parents"].append(parent(1000 + f, f, "mother"))
        rows["assessments"].append(core10(next(ids), f, 1000 + f, "entry", 20, "2022-06-02"))
        rows["assessments"].append(core10(next(ids), f, 1000 + f, "m24", 12 if i < 7 else 17, "2024-12-04"))
    return rows


@pytest.fixture
def disclosure_url(tmp_path, monkeypatch):
    return case_db.served(tmp_path / "disclosure.sqlite", _disclosure_tables(), monkeypatch)


@pytest.fixture(params=["hand-worked", "larger"])
def any_url(request, tmp_path, monkeypatch):
    data = OUTCOME_TABLES if request.param == "hand-worked" else _disclosure_tables()
    return case_db.served(tmp_path / "cases.sqlite", data, monkeypatch)


def number(value) -> float | None:
    """A table cell as a number. A column holding the marker "1–7" (or a withheld "–") is all
    text, so "10" must count as 10; the marker and "–" are no number."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def small_counts(frame: pd.DataFrame) -> list:
    """Counts a trustee or commissioner must never see: any but 0, a multiple of 5 and the marker."""
    return apptest.unprotected_counts(frame)


@pytest.mark.parametrize("params", [FY_PARAMS, {**Q3_PARAMS, "sites": "Northby"}], ids=["year", "quarter-northby"])
@pytest.mark.parametrize("user", ["trustee", "commissioner"])
def test_no_small_count_reaches_a_trustee_or_commissioner(any_url, user, params):
    app = open_page(user, params)
    assert not app.exception
    shown = tables(app)
    assert len(shown) == len(app.dataframe)
    for title, frame in shown.items():
        assert apptest.count_columns(frame), f"{title} has no count column"
        assert not small_counts(frame), f"{title} shows {small_counts(frame)} to a {user}"
        if user == "commissioner" and "Site" in frame.columns:
            # Asking for Northby in the URL cannot show a Southby commissioner Northby's figures.
            assert set(frame["Site"]) == {"Southby"}


MARKER = "1–7"  # a count from 1 to 7 (docs/privacy.md); "–" a share or statistic withheld
ROUNDED_10 = range(8, 13)  # what a published 10 may be: 8 to 12 (rounded to the nearest 5)


def complements(published_total: range, published_part: range) -> set[int]:
    """What a count shown as the marker may be when the total and the other part are published
    rounded: every difference of the two that is itself from 1 to 7."""
    return {total - part for total in published_total for part in published_part if 1 <= total - part <= 7}


NOTHING_TO_DRAW = (
    "Every number in this chart is from 1 to 7, shown as “1–7” in the table, so there is nothing "
    "to draw. Choose a longer period or more sites."
)


def test_a_trustee_cannot_work_out_a_hidden_complement(disclosure_url):
    app = open_page("trustee", FY_PARAMS)
    shown = tables(app)
    social = shown["Families with social care involved"].set_index(["Social care", "Time point"])
    # 24 months: 10 of 12 involved, 2 not. 10 → 10 and 12 → 10 (nearest 5), so the share is from
    # the rounded figures: 100 × 10 / 10 = 100 (not 83); the 2 not involved is the marker, its share
    # withheld. The columns holding the marker or "–" are text.
    m24 = social.loc[("Social care involved", "24 months")]
    assert (m24["Families"], m24["Families with a status recorded"], m24["Share of families recorded (%)"]) == (
        "10",
        "10",
        "100",
    )
    not_involved = social.loc[("No social care involvement", "24 months")]
    assert (not_involved["Families"], not_involved["Share of families recorded (%)"]) == (MARKER, "–")
    # The 2 cannot be worked out: recorded and involved may each be 8 to 12, so the marker may be
    # 1, 2, 3 or 4 (e.g. 9 − 8 = 1 … 12 − 8 = 4), not only 2.
    assert complements(ROUNDED_10, ROUNDED_10) == {1, 2, 3, 4}
    babies = shown["Babies within the normal range"].set_index(["Result", "Measure"])
    # Communication: 11 of 12 within (11 → 10, 12 → 10: 100 × 10 / 10 = 100); the 1 outside is
    # the marker and, as above, may be anything from 1 to 4.
    within = babies.loc["Within the normal range"]
    assert within.loc["ASQ-3 communication", ["Babies", "Share of babies assessed (%)"]].tolist() == ["10", "100"]
    assert number(within.loc["ASQ-3 communication", "Babies assessed"]) == 10
    assert babies.loc[("Outside the normal range", "ASQ-3 communication"), "Babies"] == MARKER
    assert babies.loc[("Outside the normal range", "ASQ-3 communication"), "Share of babies assessed (%)"] == "–"
    # Not everything is hidden. Of 15 babies: SE-2 9 within (→ 10), 100 × 10 / 15 = 66.7 → 67;
    # gross motor 7 within (the marker, share withheld), 8 outside (→ 10, 67).
    assert within.loc["ASQ:SE-2 social-emotional", ["Babies", "Share of babies assessed (%)"]].tolist() == ["10", "67"]
    assert within.loc["ASQ-3 gross motor", ["Babies", "Share of babies assessed (%)"]].tolist() == [MARKER, "–"]
    assert babies.loc[("Outside the normal range", "ASQ-3 gross motor"), "Babies"] == "10"
    assert {number(n) for n in within["Babies assessed"]} == {10, 15}
    reliable = shown["Parents with reliable improvement"].set_index("Change from entry")
    # 7 of 12 mothers improved reliably, 5 did not: both from 1 to 7, so both the marker and both
    # shares withheld; the 12 with both scores is published as 10. With 10 meaning 8 to 12 and each
    # part 1 to 7, the 7 could be anything from 1 to 7 (1 + 7 = 8 … 7 + 5 = 12).
    assert reliable["Parents"].tolist() == [MARKER, MARKER]
    assert reliable["Share of parents with both scores (%)"].tolist() == ["–", "–"]
    assert [number(n) for n in reliable["Parents with both scores"]] == [10, 10]
    assert complements(ROUNDED_10, range(1, 8)) == set(range(1, 8))
    change = shown["Parents' wellbeing: change from entry"]
    mothers = change[change["Role"] == "Mothers"].iloc[0]
    # Twelve mothers (12 → 10): a mean over more than 7 may be shown. (7 × −8 + 5 × −3) / 12 = −5.9.
    assert (number(mothers["Parents with both scores"]), number(mothers["Mean change (points)"])) == (10, -5.9)


def test_a_chart_with_every_share_withheld_says_so(disclosure_url):
    app = open_page("commissioner", FY_PARAMS)
    social = tables(app)["Families with social care involved"].set_index(["Social care", "Time point"])
    # Southby: 7 of 7 families involved at baseline. Both 7s are from 1 to 7, so both are the
    # marker and the share is withheld (its denominator is not 10 or more); every other time
    # point is 0 of 0. With every count the marker or 0, there is nothing to draw, and the panel
    # says so in place of its chart.
    baseline = social.loc[("Social care involved", "Baseline (enrolment)")]
    assert (
        baseline["Families"],
        baseline["Families with a status recorded"],
        baseline["Share of families recorded (%)"],
    ) == (MARKER, MARKER, "–")
    assert {number(n) for n in social["Families"]} - {None} == {0}
    assert not [c for c in app.get("plotly_chart") if c.proto.id.endswith("chart-Families with social care involved")]
    assert infos_under(app, "Families with social care involved") == [NOTHING_TO_DRAW]
