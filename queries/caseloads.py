"""Site caseloads: families and parents in the programme, practitioners' caseloads, movement."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Case, ColumnElement, Connection, and_, case, func, literal, or_, select, true, union_all

from queries.meta import data_as_at
from queries.schema import families, parents, practitioners, sessions, sites
from queries.scope import Filters, Scope, site_condition
from queries.sql import as_month, every_site_and_month, month_start, months_table

STAGES = ("pregnancy", "0-12 months", "12-24 months")


def snapshot_date(conn: Connection, filters: Filters) -> date:
    """The day a 'now' figure describes: the period's last day, or the data-as-at date if earlier."""
    latest = data_as_at(conn)
    return min(filters.period.end, latest) if latest else filters.period.end


def open_on(day: date) -> ColumnElement[bool]:
    """Families in the programme at the end of `day`: enrolled by then and not yet exited."""
    return and_(families.c.enrolled_on <= day, or_(families.c.exit_on.is_(None), families.c.exit_on > day))


def active_between(first: date | ColumnElement[date], last: date | ColumnElement[date]) -> ColumnElement[bool]:
    """Families in the programme on any day from `first` to `last` (dates or date columns):
    enrolled by the last day and not left before the first."""
    return and_(families.c.enrolled_on <= last, or_(families.c.exit_on.is_(None), families.c.exit_on >= first))


def stage_on(day: date) -> Case[str]:
    """A family's stage on `day`: pregnancy (baby not yet born), or the baby's age band."""
    a_year_before = day.replace(year=day.year - 1) if (day.month, day.day) != (2, 29) else date(day.year - 1, 2, 28)
    return case(
        (or_(families.c.birth_on.is_(None), families.c.birth_on > day), STAGES[0]),
        (families.c.birth_on > a_year_before, STAGES[1]),
        else_=STAGES[2],
    )


def families_active_by_site_month(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """For each site and month of the period (to the data-as-at date): families active on any day
    of the month, and the site's target caseload. Columns: month, site, target_caseload,
    families_active."""
    months = months_table(filters.period.start, snapshot_date(conn, filters))
    stmt = (
        select(
            months.c.month,
            sites.c.name.label("site"),
            sites.c.target_caseload,
            func.count(families.c.family_id).label("families_active"),
        )
        .select_from(
            months.join(sites, true()).outerjoin(
                families,
                and_(families.c.site_id == sites.c.site_id, active_between(months.c.month_first, months.c.month_last)),
            )
        )
        .where(site_condition(sites.c.site_id, scope, filters))
        .group_by(months.c.month, sites.c.site_id, sites.c.name, sites.c.target_caseload)
        .order_by(months.c.month, sites.c.name)
    )
    return as_month(pd.read_sql(stmt, conn).astype({"target_caseload": "int64", "families_active": "int64"}))


def parents_active_by_site_month(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """For each site and month of the period (to the data-as-at date): parents who attended a
    session in the month. Columns: month, site, parents_active. Asked apart from the families
    because it reads every attended session: a page can draw the families while this runs."""
    last = snapshot_date(conn, filters)
    # Grouped by site id, not name: the sort behind the grouping is over every attended session.
    session_month = month_start(sessions.c.session_on).label("month")
    counted = (
        select(session_month, families.c.site_id, func.count(sessions.c.parent_id.distinct()).label("parents_active"))
        .select_from(families.join(parents).join(sessions))
        .where(
            site_condition(families.c.site_id, scope, filters),
            sessions.c.status == "attended",
            sessions.c.session_on.between(filters.period.start, last),
        )
        .group_by(session_month, families.c.site_id)
        .subquery("counted")
    )
    frame = pd.read_sql(every_site_and_month(counted, last, scope, filters), conn)
    return as_month(frame.astype({"parents_active": "int64"}))


def families_active_by_month(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """For each month of the period (to the snapshot date): families active on any day of the
    month, summed over every site asked for (as in families_active_by_site_month): month (as
    text, 'YYYY-MM-01'), families_active."""
    months = months_table(filters.period.start, snapshot_date(conn, filters))
    stmt = (
        select(months.c.month, func.count(families.c.family_id).label("families_active"))
        .select_from(
            months.outerjoin(
                families,
                and_(
                    site_condition(families.c.site_id, scope, filters),
                    active_between(months.c.month_first, months.c.month_last),
                ),
            )
        )
        .group_by(months.c.month)
        .order_by(months.c.month)
    )
    return pd.read_sql(stmt, conn)


def practitioner_caseloads(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """Each therapeutic practitioner in post at the snapshot date and how many parents in open
    families they hold: site, parents. No practitioner is named or numbered."""
    day = snapshot_date(conn, filters)
    held = (
        select(parents.c.practitioner_id, func.count().label("parents"))
        .select_from(parents.join(families))
        .where(open_on(day))
        .group_by(parents.c.practitioner_id)
        .subquery("held")
    )
    stmt = (
        select(sites.c.name.label("site"), func.coalesce(held.c.parents, 0).label("parents"))
        .select_from(
            practitioners.join(sites).outerjoin(held, held.c.practitioner_id == practitioners.c.practitioner_id)
        )
        .where(
            site_condition(practitioners.c.site_id, scope, filters),
            practitioners.c.role == "therapeutic_practitioner",
            practitioners.c.started_on <= day,
            or_(practitioners.c.left_on.is_(None), practitioners.c.left_on > day),
        )
        .order_by(sites.c.name, func.coalesce(held.c.parents, 0))
    )
    return pd.read_sql(stmt, conn)


def enrolments_and_exits(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """Families enrolling and leaving in the period by month and site: month, site, movement
    ('enrolled' or the exit reason), families."""
    in_sites = site_condition(families.c.site_id, scope, filters)
    start, end = filters.period.start, filters.period.end
    moves = union_all(
        select(
            month_start(families.c.enrolled_on).label("month"),
            families.c.site_id,
            literal("enrolled").label("movement"),
        ).where(in_sites, families.c.enrolled_on.between(start, end)),
        select(
            month_start(families.c.exit_on).label("month"), families.c.site_id, families.c.exit_reason.label("movement")
        ).where(in_sites, families.c.exit_on.between(start, end)),
    ).subquery("moves")
    stmt = (
        select(moves.c.month, sites.c.name.label("site"), moves.c.movement, func.count().label("families"))
        .select_from(moves.join(sites, sites.c.site_id == moves.c.site_id))
        .group_by(moves.c.month, sites.c.name, moves.c.movement)
        .order_by(moves.c.month, sites.c.name, moves.c.movement)
    )
    return as_month(pd.read_sql(stmt, conn))


def open_cases_by_stage(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """Families open at the snapshot date by site and stage: pregnancy (baby not yet born),
    0-12 months or 12-24 months (baby's age on that date): site, stage, families."""
    day = snapshot_date(conn, filters)
    stage = stage_on(day).label("stage")
    stmt = (
        select(sites.c.name.label("site"), stage, func.count().label("families"))
        .select_from(families.join(sites))
        .where(site_condition(families.c.site_id, scope, filters), open_on(day))
        .group_by(sites.c.name, stage)
        .order_by(sites.c.name, stage)
    )
    return pd.read_sql(stmt, conn)
