"""Safeguarding escalations: concerns raised, how quickly the DSL reviews them, how long they stay
open, and how families' social-care involvement steps up and down.

An escalation belongs to the site of its family. No query selects `safeguarding_events.summary`
(free text that may name people): every statement below names the columns it reads.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import pairwise

import pandas as pd
from sqlalchemy import Case, ColumnElement, Connection, Date, FromClause, and_, case, func, literal, or_, select

from queries.caseloads import families_active_by_month, snapshot_date
from queries.schema import (
    CONCERN_TYPES,
    ESCALATION_LEVELS,
    SOCIAL_CARE_LEVELS,
    SOCIAL_CARE_TIME_POINTS,
    families,
    safeguarding_events,
    sites,
    social_care_status,
)
from queries.scope import Filters, Scope, site_condition, visible_sites
from queries.sql import as_month, days_between, month_start

events = safeguarding_events

# Age of an open escalation in whole days since it was raised: (largest age in the band, band).
AGE_BANDS = ((7, "0-7 days"), (30, "8-30 days"), (90, "31-90 days"), (None, "over 90 days"))

# Whether the DSL reviewed an escalation within one working day of it being raised.
REVIEW_RESULTS = ("within", "later", "not_reviewed")

# Successive social-care time points, and the ways a family's involvement can move between them.
TRANSITIONS = tuple(f"{a}_{b}" for a, b in pairwise(SOCIAL_CARE_TIME_POINTS))
STEPS = ("up", "same", "down")


# --- Shared pieces -------------------------------------------------------------------------------


def _in_sites(scope: Scope, filters: Filters) -> ColumnElement[bool]:
    return site_condition(families.c.site_id, scope, filters)


def _events_at_sites(scope: Scope, filters: Filters) -> FromClause:
    """Escalations joined to their family, so their site can be asked for; escalations alone when
    every site is asked for, so the database is not led to read them family by family."""
    if visible_sites(scope, filters) is None:
        return events
    return events.join(families)


def _raised_in_period(scope: Scope, filters: Filters) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return (_in_sites(scope, filters), events.c.raised_on.between(filters.period.start, filters.period.end))


def _as_date(value: date | str | float | None) -> date | None:
    """A date read back from either database (a date, a timestamp or ISO text), None if missing
    (None, or NaN where pandas filled a gap)."""
    if value is None or pd.isna(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _next_working_day(day: date) -> date:
    """The next Monday-to-Friday day after `day` (Friday, Saturday and Sunday all lead to Monday).
    Bank holidays are not known to the case database and are treated as working days."""
    return day + timedelta(days={4: 3, 5: 2}.get(day.weekday(), 1))


def _review_result(raised_on: date | str | float | None, reviewed_on: date | str | float | None) -> str:
    """'within' when reviewed no later than the next working day after being raised, 'later' when
    reviewed after that, 'not_reviewed' when there is no review date yet."""
    reviewed = _as_date(reviewed_on)
    if reviewed is None:
        return "not_reviewed"
    raised = _as_date(raised_on)
    assert raised is not None, "raised_on is NOT NULL in the case database"
    return "within" if reviewed <= _next_working_day(raised) else "later"


def _raised_by_month(
    conn: Connection, scope: Scope, filters: Filters, category: str, column: ColumnElement[str], codes: tuple[str, ...]
) -> pd.DataFrame:
    """Escalations raised in the period by month and one category, with the families active in
    each month and the rate per 100 of them. Every month of the period (to the snapshot date) is
    listed for every category seen in the period, empty ones with 0."""
    columns = ["month", category, "escalations", "families_active", "per_100_families"]
    last = snapshot_date(conn, filters)
    if last < filters.period.start:
        return pd.DataFrame(columns=columns)
    month = month_start(events.c.raised_on).label("month")
    stmt = (
        select(month, column.label(category), func.count().label("escalations"))
        .select_from(_events_at_sites(scope, filters))
        .where(*_raised_in_period(scope, filters))
        .group_by(month, column)
    )
    raised = pd.read_sql(stmt, conn)
    if raised.empty:
        return pd.DataFrame(columns=columns)
    active = families_active_by_month(conn, scope, filters)
    seen = [code for code in codes if code in set(raised[category])]
    grid = pd.MultiIndex.from_product([active["month"], seen], names=["month", category]).to_frame(index=False)
    frame = grid.merge(raised, on=["month", category], how="left").merge(active, on="month", how="left")
    frame["escalations"] = frame["escalations"].fillna(0).astype(int)
    frame["families_active"] = frame["families_active"].astype(int)
    frame["per_100_families"] = (
        100 * frame["escalations"] / frame["families_active"].where(frame["families_active"] > 0)
    )
    return as_month(frame[columns])


# --- Queries ---------------------------------------------------------------------------------------


def by_level_month(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """Escalations raised in the period by month and escalation level: month, escalation_level,
    escalations, families_active (in the month), per_100_families."""
    return _raised_by_month(conn, scope, filters, "escalation_level", events.c.level, ESCALATION_LEVELS)


def by_concern_month(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """Escalations raised in the period by month and concern type: month, concern_type,
    escalations, families_active (in the month), per_100_families."""
    return _raised_by_month(conn, scope, filters, "concern_type", events.c.concern_type, CONCERN_TYPES)


def open_by_age(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """Escalations open at the snapshot date (raised by then and not resolved by then), by age in
    days since raised and level: age_band, escalation_level, escalations. Every band is listed for
    every level with an open escalation, empty ones with 0."""
    columns = ["age_band", "escalation_level", "escalations"]
    day = snapshot_date(conn, filters)
    age = days_between(events.c.raised_on, literal(day, Date))
    band = case(
        *[(age <= upper, name) for upper, name in AGE_BANDS if upper is not None], else_=AGE_BANDS[-1][1]
    ).label("age_band")
    stmt = (
        select(band, events.c.level.label("escalation_level"), func.count().label("escalations"))
        .select_from(_events_at_sites(scope, filters))
        .where(
            _in_sites(scope, filters),
            events.c.raised_on <= day,
            or_(events.c.resolved_on.is_(None), events.c.resolved_on > day),
        )
        .group_by(band, events.c.level)
    )
    counts = pd.read_sql(stmt, conn)
    if counts.empty:
        return pd.DataFrame(columns=columns)
    seen = [code for code in ESCALATION_LEVELS if code in set(counts["escalation_level"])]
    grid = pd.MultiIndex.from_product([[name for _, name in AGE_BANDS], seen], names=columns[:2]).to_frame(index=False)
    frame = grid.merge(counts, on=columns[:2], how="left")
    frame["escalations"] = frame["escalations"].fillna(0).astype(int)
    return frame


def _review_rows(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """One row per escalation raised in the period: site, review (a REVIEW_RESULTS code).
    Working days are worked out here, in Python, on a small table of two dates per escalation."""
    stmt = (
        select(sites.c.name.label("site"), events.c.raised_on, events.c.dsl_reviewed_on)
        .select_from(events.join(families).join(sites))
        .where(*_raised_in_period(scope, filters))
    )
    rows = pd.read_sql(stmt, conn)
    rows["review"] = [
        _review_result(raised, reviewed) for raised, reviewed in zip(rows["raised_on"], rows["dsl_reviewed_on"])
    ]
    return rows[["site", "review"]]


def dsl_review_by_site(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """Escalations raised in the period by site and whether the DSL reviewed them within one
    working day ('within'), later ('later') or not yet ('not_reviewed'): site, review,
    escalations, site_escalations (all the site's escalations in the period), share."""
    columns = ["site", "review", "escalations", "site_escalations", "share"]
    rows = _review_rows(conn, scope, filters)
    if rows.empty:
        return pd.DataFrame(columns=columns)
    site_names = sorted(rows["site"].unique())
    grid = pd.MultiIndex.from_product([site_names, REVIEW_RESULTS], names=columns[:2]).to_frame(index=False)
    counts = rows.groupby(["site", "review"]).size().rename("escalations").reset_index()
    frame = grid.merge(counts, on=["site", "review"], how="left")
    frame["escalations"] = frame["escalations"].fillna(0).astype(int)
    frame["site_escalations"] = frame.groupby("site")["escalations"].transform("sum").astype(int)
    frame["share"] = frame["escalations"] / frame["site_escalations"]
    return frame[columns]


def _resolution_rows(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """One row per escalation resolved in the period (not before it was raised): escalation_level,
    days from raised to resolved."""
    days = days_between(events.c.raised_on, events.c.resolved_on).label("days")
    stmt = (
        select(events.c.level.label("escalation_level"), days)
        .select_from(_events_at_sites(scope, filters))
        .where(
            _in_sites(scope, filters),
            events.c.resolved_on.between(filters.period.start, filters.period.end),
            events.c.resolved_on >= events.c.raised_on,
        )
    )
    return pd.read_sql(stmt, conn)


def resolution_by_level(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """Escalations resolved in the period by level: escalation_level, resolved (how many),
    median_days (from raised to resolved). A resolution dated before its raising is a recording
    error (counted on the Data quality page) and is left out."""
    columns = ["escalation_level", "resolved", "median_days"]
    rows = _resolution_rows(conn, scope, filters)
    if rows.empty:
        return pd.DataFrame(columns=columns)
    frame = rows.groupby("escalation_level", as_index=False).agg(
        resolved=("days", "size"), median_days=("days", "median")
    )
    order = {code: i for i, code in enumerate(ESCALATION_LEVELS)}
    frame = frame.sort_values("escalation_level", key=lambda s: s.map(order), ignore_index=True)
    frame["median_days"] = frame["median_days"].astype(float)
    return frame[columns]


def headline(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """One row: escalations raised in the period and how many the DSL reviewed within one working
    day; escalations resolved in the period and their median days to resolution; escalations open
    at the snapshot date, and that date."""
    reviews = _review_rows(conn, scope, filters)
    resolutions = _resolution_rows(conn, scope, filters)
    day = snapshot_date(conn, filters)
    open_now = (
        select(func.count())
        .select_from(_events_at_sites(scope, filters))
        .where(
            _in_sites(scope, filters),
            events.c.raised_on <= day,
            or_(events.c.resolved_on.is_(None), events.c.resolved_on > day),
        )
    )
    return pd.DataFrame(
        [
            {
                "raised": len(reviews),
                "reviewed_within": int((reviews["review"] == "within").sum()),
                "resolved": len(resolutions),
                "median_days_to_resolution": float(resolutions["days"].median()) if len(resolutions) else float("nan"),
                "open_at_snapshot": int(conn.execute(open_now).scalar_one()),
                "snapshot_on": day,
            }
        ]
    )


def social_care_steps(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """Families whose social-care involvement stepped up, stayed the same or stepped down between
    successive time points (baseline→birth, birth→12 months, 12→24 months), counting each
    transition whose later time point was recorded (recorded_on) in the period: transition, step,
    families, families_compared (all families in that transition), share.

    Levels are ordered none < early help < child in need < child protection plan < looked after.
    A family is only compared across successive time points both recorded (a missing time point is
    not bridged), and a later status with no recorded_on is not counted."""
    columns = ["transition", "step", "families", "families_compared", "share"]
    earlier, later = social_care_status.alias("earlier"), social_care_status.alias("later")

    def rank(level: ColumnElement[str]) -> Case[int]:
        return case(*[(level == code, i) for i, code in enumerate(SOCIAL_CARE_LEVELS)])

    pairs = list(pairwise(SOCIAL_CARE_TIME_POINTS))
    transition = case(*[(earlier.c.time_point == a, f"{a}_{b}") for a, b in pairs]).label("transition")
    step = case(
        (rank(later.c.level) > rank(earlier.c.level), "up"),
        (rank(later.c.level) == rank(earlier.c.level), "same"),
        else_="down",
    ).label("step")
    successive = or_(*[and_(earlier.c.time_point == a, later.c.time_point == b) for a, b in pairs])
    stmt = (
        select(transition, step, func.count().label("families"))
        .select_from(
            earlier.join(later, and_(later.c.family_id == earlier.c.family_id, successive)).join(
                families, families.c.family_id == earlier.c.family_id
            )
        )
        .where(_in_sites(scope, filters), later.c.recorded_on.between(filters.period.start, filters.period.end))
        .group_by(transition, step)
    )
    counts = pd.read_sql(stmt, conn)
    if counts.empty:
        return pd.DataFrame(columns=columns)
    grid = pd.MultiIndex.from_product([TRANSITIONS, STEPS], names=columns[:2]).to_frame(index=False)
    frame = grid.merge(counts, on=columns[:2], how="left")
    frame["families"] = frame["families"].fillna(0).astype(int)
    frame["families_compared"] = frame.groupby("transition")["families"].transform("sum").astype(int)
    frame["share"] = frame["families"] / frame["families_compared"].where(frame["families_compared"] > 0)
    return frame[columns]
