"""Data quality: records with missing or impossible values that would distort the figures.

Each check counts rows across all of a site's records, whatever their dates: the period filter
does not apply, because a fault in any year distorts the trends drawn from it. The caller's scope
and the page's site filter do apply. A row belongs to the site of its family (for referrals: the
site that received it).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, Select, String, and_, case, func, literal, or_, select, union_all

from queries.schema import assessments, families, parents, referrals, safeguarding_events, sessions, sites
from queries.scope import Filters, Scope, site_condition
from queries.sql import days_between

# How far an assessment may be dated from its time point's anchor date. The case system dates
# visits within a few weeks of it; three months out means the date (or the time point) is wrong.
ASSESSMENT_WINDOW_DAYS = 90

# Days from the anchor date (enrolled_on for entry, birth_on for the rest) to each time point.
TIME_POINT_OFFSET_DAYS = {"entry": 0, "birth": 0, "m12": 365, "m24": 730}


def _birth_before_referral() -> Select[int, int | None]:
    """Families whose baby's birth_on is before the received_on of the referral that enrolled
    the family (referrals.family_id = families.family_id): one row per family."""
    return (
        select(families.c.site_id, families.c.family_id)
        .select_from(families.join(referrals, referrals.c.family_id == families.c.family_id))
        .where(families.c.birth_on < referrals.c.received_on)
    )


def _session_after_exit() -> Select[int, int | None]:
    """Sessions (any status) dated after the exit_on of their parent's family: one row per session."""
    return (
        select(families.c.site_id, families.c.family_id)
        .select_from(sessions.join(parents).join(families))
        .where(sessions.c.session_on > families.c.exit_on)
    )


def _resolved_before_raised() -> Select[int, int | None]:
    """Safeguarding events whose resolved_on is before their raised_on: one row per event."""
    return (
        select(families.c.site_id, families.c.family_id)
        .select_from(safeguarding_events.join(families))
        .where(safeguarding_events.c.resolved_on < safeguarding_events.c.raised_on)
    )


def _assessment_outside_window() -> Select[int, int | None]:
    """Assessments whose assessed_on is more than ASSESSMENT_WINDOW_DAYS days either side of their
    time point's anchor: entry = the family's enrolled_on, birth = birth_on, m12 = birth_on + 365
    days, m24 = birth_on + 730 days. One row per assessment (one per instrument and subject).
    An assessment with no assessed_on, or anchored on a birth not recorded, is not counted."""
    anchor = case((assessments.c.time_point == "entry", families.c.enrolled_on), else_=families.c.birth_on)
    offset = case(
        *[(assessments.c.time_point == point, days) for point, days in TIME_POINT_OFFSET_DAYS.items() if days], else_=0
    )
    days_from_time_point = days_between(anchor, assessments.c.assessed_on) - offset
    return (
        select(families.c.site_id, families.c.family_id)
        .select_from(assessments.join(families))
        .where(func.abs(days_from_time_point) > ASSESSMENT_WINDOW_DAYS)
    )


def _parent_without_practitioner() -> Select[int, int | None]:
    """Parents (in open or closed families) with no practitioner_id: one row per parent."""
    return (
        select(families.c.site_id, families.c.family_id)
        .select_from(parents.join(families))
        .where(parents.c.practitioner_id.is_(None))
    )


def _missing_gestation() -> Select[int, int | None]:
    """Referrals (whatever their decision) with no gestation_weeks: one row per referral (its
    family_id missing unless the referral enrolled a family)."""
    return select(referrals.c.site_id, referrals.c.family_id).where(referrals.c.gestation_weeks.is_(None))


def _exit_without_reason() -> Select[int, int | None]:
    """Families with an exit_on but no exit_reason, or an exit_reason but no exit_on: one row
    per family."""
    return select(families.c.site_id, families.c.family_id).where(
        or_(
            and_(families.c.exit_on.is_not(None), families.c.exit_reason.is_(None)),
            and_(families.c.exit_on.is_(None), families.c.exit_reason.is_not(None)),
        )
    )


# Each check's code and the rows it counts (each select returns the site_id and family_id of every
# faulty row).
CHECKS = {
    "birth_before_referral": _birth_before_referral,
    "session_after_exit": _session_after_exit,
    "resolved_before_raised": _resolved_before_raised,
    "assessment_outside_window": _assessment_outside_window,
    "parent_without_practitioner": _parent_without_practitioner,
    "missing_gestation": _missing_gestation,
    "exit_without_reason": _exit_without_reason,
}


def problems_by_site(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """For every site in scope and every check in CHECKS (zeros included), the records failing
    it, over all dates: site, check (a code), records. Ordered by site, then as CHECKS lists them."""
    per_check = []
    for code, faulty_rows in CHECKS.items():
        faulty = faulty_rows().subquery(code)
        # Starting from sites keeps a row, with 0, for every site without the fault.
        per_check.append(
            select(
                sites.c.name.label("site"),
                literal(code, String).label("check"),
                func.count(faulty.c.site_id).label("records"),
            )
            .select_from(sites.outerjoin(faulty, faulty.c.site_id == sites.c.site_id))
            .where(site_condition(sites.c.site_id, scope, filters))
            .group_by(sites.c.site_id, sites.c.name)
        )
    frame = pd.read_sql(union_all(*per_check), conn)
    frame["records"] = frame["records"].astype(int)
    order = frame["check"].map(list(CHECKS).index)
    return frame.assign(order=order).sort_values(["site", "order"], ignore_index=True).drop(columns="order")


def affected_families(check: str) -> Select[int]:
    """The family ids of the records failing `check` (a CHECKS code), each once: a select to
    narrow a case list with. A faulty record of no family (a referral never enrolled) has none.
    Neither scope nor filters apply here: whoever uses it applies them to the families."""
    faulty = CHECKS[check]().subquery(check)
    return select(faulty.c.family_id).where(faulty.c.family_id.is_not(None)).distinct()
