"""Referral sources: where referrals come from, what happens to them, and how quickly."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import ColumnElement, Connection, ScalarSelect, case, func, select

from queries.schema import parents, referrals, sessions, sites
from queries.scope import Filters, Scope, site_condition
from queries.sql import as_month, days_between, month_start

FUNNEL_STAGES = ("received", "decided", "accepted", "enrolled", "first_session")
REFERRED_BY_WEEKS = 28


def _in_period(scope: Scope, filters: Filters) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return (
        site_condition(referrals.c.site_id, scope, filters),
        referrals.c.received_on.between(filters.period.start, filters.period.end),
    )


def _first_attended_on() -> ScalarSelect[date]:
    """The referred family's first attended session (by any parent). Correlated, so it reads only
    that family's sessions through the indexes, never the whole sessions table."""
    return (
        select(func.min(sessions.c.session_on))
        .select_from(sessions.join(parents))
        .where(parents.c.family_id == referrals.c.family_id, sessions.c.status == "attended")
        .scalar_subquery()
    )


def by_source_month(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """Referrals received in the period by month and source: month, source, referrals."""
    month = month_start(referrals.c.received_on).label("month")
    stmt = (
        select(month, referrals.c.source, func.count().label("referrals"))
        .where(*_in_period(scope, filters))
        .group_by(month, referrals.c.source)
        .order_by(month, referrals.c.source)
    )
    return as_month(pd.read_sql(stmt, conn))


def by_site_source(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """Referrals received in the period by site and source: site, source, referrals."""
    stmt = (
        select(sites.c.name.label("site"), referrals.c.source, func.count().label("referrals"))
        .select_from(referrals.join(sites))
        .where(*_in_period(scope, filters))
        .group_by(sites.c.name, referrals.c.source)
        .order_by(sites.c.name, referrals.c.source)
    )
    return pd.read_sql(stmt, conn)


def funnel(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """Referrals received in the period and how far each got: stage, referrals, the count at the
    stage before, and the share of that stage reaching this one. A referral with no decision yet is
    received but not decided. First session: the family's first attended session, at any date.
    """
    stmt = select(
        func.count().label("received"),
        func.count(referrals.c.decided_on).label("decided"),
        func.count(case((referrals.c.decision == "accepted", 1))).label("accepted"),
        func.count(referrals.c.family_id).label("enrolled"),
        func.count(_first_attended_on()).label("first_session"),
    ).where(*_in_period(scope, filters))
    counts = pd.read_sql(stmt, conn).iloc[0]
    frame = pd.DataFrame({"stage": FUNNEL_STAGES, "referrals": [int(counts[stage]) for stage in FUNNEL_STAGES]})
    frame["previous_stage"] = frame["referrals"].shift(1)
    frame["share_of_previous"] = frame["referrals"] / frame["previous_stage"].where(frame["previous_stage"] > 0)
    return frame


def decision_outcomes(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """Referrals received in the period by decision (pending: not decided yet): decision, referrals."""
    stmt = (
        select(referrals.c.decision, func.count().label("referrals"))
        .where(*_in_period(scope, filters))
        .group_by(referrals.c.decision)
        .order_by(referrals.c.decision)
    )
    return pd.read_sql(stmt, conn)


# Four-week bands: fine enough to see the 28-week aim, coarse enough to keep counts meaningful.
GESTATION_BANDS = (
    (12, "up to 12"),
    (16, "13-16"),
    (20, "17-20"),
    (24, "21-24"),
    (28, "25-28"),
    (32, "29-32"),
    (None, "33 or more"),
)


def gestation_at_referral(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """Referrals received in the period by weeks of pregnancy at referral, in four-week bands
    (where recorded): band, referrals. Every band is listed, empty ones with 0."""
    weeks = referrals.c.gestation_weeks
    band = case(
        *[(weeks <= upper, name) for upper, name in GESTATION_BANDS if upper is not None], else_=GESTATION_BANDS[-1][1]
    ).label("band")
    stmt = (
        select(band, func.count().label("referrals"))
        .where(*_in_period(scope, filters), weeks.is_not(None))
        .group_by(band)
    )
    counts: dict[str, int] = dict(pd.read_sql(stmt, conn).itertuples(index=False))
    return pd.DataFrame(
        {
            "band": [name for _, name in GESTATION_BANDS],
            "referrals": [int(counts.get(name, 0)) for _, name in GESTATION_BANDS],
        }
    )


def timeliness(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """One row: median days referral→decision and referral→first attended session, with their
    counts, and the share of referrals (with a recorded gestation) made by 28 weeks."""
    stmt = select(
        days_between(referrals.c.received_on, referrals.c.decided_on).label("to_decision"),
        days_between(referrals.c.received_on, _first_attended_on()).label("to_first_session"),
        referrals.c.gestation_weeks,
    ).where(*_in_period(scope, filters))
    # One row per referral, three numbers each: small enough to summarise here.
    rows = pd.read_sql(stmt, conn)
    gestation = rows["gestation_weeks"].dropna()
    return pd.DataFrame(
        [
            {
                "referrals_decided": int(rows["to_decision"].notna().sum()),
                "median_days_to_decision": rows["to_decision"].median(),
                "referrals_with_first_session": int(rows["to_first_session"].notna().sum()),
                "median_days_to_first_session": rows["to_first_session"].median(),
                "referrals_with_gestation": len(gestation),
                "referred_by_28_weeks": int((gestation <= REFERRED_BY_WEEKS).sum()),
            }
        ]
    )
