"""Referral and caseload queries against answers worked out by hand from VIEWS_TABLES.

Period: 2024/25 Q3 (1 Oct – 31 Dec 2024). The data-as-at date is 31 Dec 2024 (referral R4).
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from queries import caseloads, engagement, referrals
from queries.periods import Period
from queries.scope import Filters, Scope
from tests import case_db
from tests.case_db import family, parent, practitioner, referral, session, site

pytestmark = pytest.mark.both_backends

Q3 = Period.quarter(2024, 3)
ALL = (Scope.leadership(), Filters(Q3))
SOUTHBY_COMMISSIONER = (Scope("commissioner", frozenset({2})), Filters(Q3))

VIEWS_TABLES = {
    "sites": [site(1, "Northby", target=10), site(2, "Southby", target=20), site(3, "Eastby", target=5)],
    "practitioners": [
        practitioner(1, 1),
        practitioner(2, 1),
        practitioner(3, 2),
        {**practitioner(4, 1), "role": "team_manager"},
        {**practitioner(5, 1), "left_on": case_db.d("2024-06-30")},
    ],
    "families": [
        family(1, 1, "2024-10-15", due="2025-02-01", birth="2025-01-28"),
        family(2, 1, "2024-10-30", due="2024-12-20", birth="2024-12-18"),
        family(3, 1, "2023-10-01", due="2023-12-01", birth="2023-12-01"),
        family(4, 2, "2024-12-10", due="2025-03-01"),
        family(5, 2, "2022-01-01", birth="2022-03-01", exit_on="2024-03-01", reason="completed"),
        family(6, 1, "2023-06-01", birth="2023-09-01", exit_on="2024-11-15", reason="disengaged"),
    ],
    "referrals": [
        referral(1, 1, "2024-10-01", source="childrens_social_care", gestation=20, decided="2024-10-11", family_id=1),
        referral(2, 1, "2024-10-20", source="midwifery", gestation=30, decided="2024-10-25", family_id=2),
        referral(3, 1, "2024-11-05", source="midwifery", gestation=28, decision="not_eligible", decided="2024-11-12"),
        referral(4, 2, "2024-12-31", source="childrens_social_care", gestation=None, decision="pending"),
        referral(5, 2, "2024-11-10", source="police", gestation=12, decided="2024-11-30"),  # accepted, never enrolled
        referral(6, 1, "2023-09-20", source="childrens_social_care", decided="2023-09-25", family_id=3),
        referral(7, 2, "2024-12-01", source="childrens_social_care", gestation=24, decided="2024-12-03", family_id=4),
    ],
    "parents": [
        parent(1, 1, "mother", 1),
        parent(2, 1, "father", 2),
        parent(3, 2, "mother", 1),
        parent(4, 3, "mother", 2),
        parent(5, 3, "father", 1),
        parent(6, 4, "mother", 3),
        parent(7, 6, "mother", 2),
    ],
    "sessions": [
        session(1, 2, "2024-10-20"),
        session(2, 1, "2024-10-18", status="did_not_attend"),
        session(3, 1, "2024-11-02"),
        session(4, 3, "2024-11-09"),
        session(5, 4, "2024-10-05"),
        session(6, 5, "2024-12-12", status="cancelled_by_parent"),
        session(8, 7, "2024-10-10"),
        session(9, 4, "2024-12-05"),
        session(10, 3, "2024-12-20"),
    ],
}


@pytest.fixture(scope="module")
def views_db(tmp_path_factory):
    with case_db.connected(tmp_path_factory.mktemp("views") / "views.sqlite", VIEWS_TABLES) as conn:
        yield conn


def records(frame: pd.DataFrame) -> list[tuple]:
    return [tuple(row) for row in frame.itertuples(index=False)]


def test_referrals_by_source_and_month(views_db):
    frame = referrals.by_source_month(views_db, *ALL)
    frame["month"] = frame["month"].dt.strftime("%Y-%m")
    assert records(frame) == [
        ("2024-10", "childrens_social_care", 1),
        ("2024-10", "midwifery", 1),
        ("2024-11", "midwifery", 1),
        ("2024-11", "police", 1),
        ("2024-12", "childrens_social_care", 2),
    ]


def test_referrals_by_source_and_month_for_a_commissioner(views_db):
    frame = referrals.by_source_month(views_db, *SOUTHBY_COMMISSIONER)
    frame["month"] = frame["month"].dt.strftime("%Y-%m")
    assert records(frame) == [("2024-11", "police", 1), ("2024-12", "childrens_social_care", 2)]


def test_referrals_by_site_and_source_leave_out_a_site_with_none(views_db):
    assert records(referrals.by_site_source(views_db, *ALL)) == [
        ("Northby", "childrens_social_care", 1),
        ("Northby", "midwifery", 2),
        ("Southby", "childrens_social_care", 2),
        ("Southby", "police", 1),
    ]


def test_funnel_counts_and_conversion(views_db):
    frame = referrals.funnel(views_db, *ALL)
    # Received R1–R5, R7; R4 pending; R3 not eligible; R5 accepted but never enrolled;
    # first attended session: family 1 (father) and 2; family 4 has none.
    assert frame["stage"].tolist() == ["received", "decided", "accepted", "enrolled", "first_session"]
    assert frame["referrals"].tolist() == [6, 5, 4, 3, 2]
    assert math.isnan(frame["share_of_previous"].iloc[0])
    assert frame["previous_stage"].iloc[1:].tolist() == [6, 5, 4, 3]
    assert frame["share_of_previous"].iloc[1:].tolist() == pytest.approx([5 / 6, 4 / 5, 3 / 4, 2 / 3])


def test_funnel_within_a_commissioners_site(views_db):
    assert referrals.funnel(views_db, *SOUTHBY_COMMISSIONER)["referrals"].tolist() == [3, 2, 2, 1, 0]


def test_decision_outcomes(views_db):
    assert records(referrals.decision_outcomes(views_db, *ALL)) == [
        ("accepted", 4),
        ("not_eligible", 1),
        ("pending", 1),
    ]


def test_gestation_at_referral_in_bands_leaves_out_unrecorded(views_db):
    # Weeks 12, 20, 24, 28 and 30 (R4 has none); a band's upper week belongs to it.
    assert records(referrals.gestation_at_referral(views_db, *ALL)) == [
        ("up to 12", 1),
        ("13-16", 0),
        ("17-20", 1),
        ("21-24", 1),
        ("25-28", 1),
        ("29-32", 1),
        ("33 or more", 0),
    ]


def test_timeliness(views_db):
    row = referrals.timeliness(views_db, *ALL).iloc[0]
    # Days to decision: 10, 5, 7, 20, 2 → median 7. To first attended session: R1 19 (the father's
    # session on 20 Oct; the mother's earlier one was missed), R2 20 → median 19.5.
    assert row["referrals_decided"] == 5
    assert row["median_days_to_decision"] == 7
    assert row["referrals_with_first_session"] == 2
    assert row["median_days_to_first_session"] == 19.5
    assert (row["referrals_with_gestation"], row["referred_by_28_weeks"]) == (5, 4)


def _by_site_month(frame, value):
    return {
        (month.strftime("%Y-%m"), site): count
        for month, site, count in zip(frame["month"], frame["site"], frame[value])
    }


def test_active_families_by_site_and_month_with_targets(views_db):
    frame = caseloads.families_active_by_site_month(views_db, *ALL)
    # Northby: families 1, 2, 3 and 6 (exits 15 Nov); Southby: family 4 from December.
    assert _by_site_month(frame, "families_active") == {
        ("2024-10", "Northby"): 4,
        ("2024-11", "Northby"): 4,
        ("2024-12", "Northby"): 3,
        ("2024-10", "Southby"): 0,
        ("2024-11", "Southby"): 0,
        ("2024-12", "Southby"): 1,
        ("2024-10", "Eastby"): 0,
        ("2024-11", "Eastby"): 0,
        ("2024-12", "Eastby"): 0,
    }
    assert dict(zip(frame["site"], frame["target_caseload"])) == {"Northby": 10, "Southby": 20, "Eastby": 5}


def test_active_parents_by_site_and_month(views_db):
    # Parents who attended a session in the month; every site and month, with 0 where none did.
    assert _by_site_month(caseloads.parents_active_by_site_month(views_db, *ALL), "parents_active") == {
        ("2024-10", "Northby"): 3,
        ("2024-11", "Northby"): 2,
        ("2024-12", "Northby"): 2,
        ("2024-10", "Southby"): 0,
        ("2024-11", "Southby"): 0,
        ("2024-12", "Southby"): 0,
        ("2024-10", "Eastby"): 0,
        ("2024-11", "Eastby"): 0,
        ("2024-12", "Eastby"): 0,
    }


def test_families_active_by_month_over_the_sites_asked_for(views_db):
    frame = caseloads.families_active_by_month(views_db, *ALL)
    # The by-site counts above added up: Northby's 4, 4, 3 and Southby's family 4 in December.
    assert frame.values.tolist() == [["2024-10-01", 4], ["2024-11-01", 4], ["2024-12-01", 4]]
    southby = caseloads.families_active_by_month(views_db, *SOUTHBY_COMMISSIONER)
    assert southby["families_active"].tolist() == [0, 0, 1]


@pytest.mark.parametrize(
    "query",
    [
        caseloads.families_active_by_site_month,
        caseloads.parents_active_by_site_month,
        caseloads.families_active_by_month,
        engagement.attendance_by_site_month,
    ],
)
def test_a_custom_period_starting_after_the_data_end_has_no_month(views_db, query):
    # The data run to 31 Dec 2024; a custom range may be typed into the URL for any dates.
    later = Filters(Period.custom(date(2025, 2, 1), date(2025, 3, 31)))
    assert query(views_db, Scope.leadership(), later).empty


def test_practitioner_caseloads_count_parents_in_open_families(views_db):
    # Open on 31 Dec: families 1–4. Practitioner 1 holds parents 1, 3, 5; practitioner 2 holds
    # 2 and 4 (7's family has left); practitioner 3 holds 6. The team manager and the
    # practitioner who left in June are not counted.
    assert records(caseloads.practitioner_caseloads(views_db, *ALL)) == [("Northby", 2), ("Northby", 3), ("Southby", 1)]


def test_enrolments_and_exits_by_month(views_db):
    frame = caseloads.enrolments_and_exits(views_db, *ALL)
    frame["month"] = frame["month"].dt.strftime("%Y-%m")
    assert records(frame) == [
        ("2024-10", "Northby", "enrolled", 2),
        ("2024-11", "Northby", "disengaged", 1),
        ("2024-12", "Southby", "enrolled", 1),
    ]


def test_open_cases_by_stage(views_db):
    # Family 1's baby is born after 31 Dec (pregnancy); family 2's on 18 Dec (0-12 months);
    # family 3's on 1 Dec 2023, 13 months before (12-24 months); family 4 not yet born.
    assert records(caseloads.open_cases_by_stage(views_db, *ALL)) == [
        ("Northby", "0-12 months", 1),
        ("Northby", "12-24 months", 1),
        ("Northby", "pregnancy", 1),
        ("Southby", "pregnancy", 1),
    ]


@pytest.mark.parametrize(
    "query",
    [
        referrals.by_site_source,
        caseloads.families_active_by_site_month,
        caseloads.parents_active_by_site_month,
        caseloads.practitioner_caseloads,
        caseloads.enrolments_and_exits,
        caseloads.open_cases_by_stage,
    ],
)
def test_a_commissioner_sees_only_their_sites_rows(views_db, query):
    frame = query(views_db, *SOUTHBY_COMMISSIONER)
    assert set(frame["site"]) <= {"Southby"}
