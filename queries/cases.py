"""Single cases, for leadership's anonymised drill-down.

Nothing here selects a name, date of birth, postcode, NHS number, practitioner or free text, and
every date leaves as a month ('YYYY-MM'). Family ids are returned only so that the dashboard's
drill-down module can turn them into pseudonyms; no page ever shows one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import Connection, and_, case, exists, func, or_, select

from queries.caseloads import open_on, snapshot_date, stage_on
from queries.schema import (assessments, families, parents, referrals, safeguarding_events, sessions, sites,
                            social_care_status)
from queries.scope import NO_SITE_FILTER, Filters, Scope, site_condition
from queries.sql import month_start

ENGAGED_DAYS = 60  # a parent is engaged if they attended a session in this many days up to the date
RECENT_DAYS = 90
TIME_POINT_ORDER = {"baseline": 0, "birth": 1, "m12": 2, "m24": 3}


@dataclass(frozen=True)
class CaseSelection:
    """What a drill-down asks for beyond the page filters: a stage, or only open escalations."""

    stage: str | None = None
    open_escalation_only: bool = False


def _month(column):
    return func.substr(month_start(column), 1, 7)


def _last_attended(day: date, roles: tuple[str, ...]):
    return (select(func.max(sessions.c.session_on)).select_from(sessions.join(parents))
            .where(parents.c.family_id == families.c.family_id, parents.c.role.in_(roles),
                   sessions.c.status == "attended", sessions.c.session_on <= day)
            .scalar_subquery())


def _engagement(day: date, roles: tuple[str, ...]):
    has_parent = exists().where(parents.c.family_id == families.c.family_id, parents.c.role.in_(roles))
    last = _last_attended(day, roles)
    return case((~has_parent, "none"),
                (last >= day - timedelta(days=ENGAGED_DAYS), "engaged"), else_="not engaged")


def case_rows(conn: Connection, scope: Scope, filters: Filters, selection: CaseSelection) -> pd.DataFrame:
    """Families open at the snapshot date (period end, or data-as-at if earlier) in scope, one row
    each: family_id (for pseudonyms only), site, stage, months in programme, mother's and
    father's (or co-parent's) engagement, attended sessions in the last 90 days, whether an
    escalation is open, and the latest social-care level recorded."""
    day = snapshot_date(conn, filters)
    recent = (select(func.count()).select_from(sessions.join(parents))
              .where(parents.c.family_id == families.c.family_id, sessions.c.status == "attended",
                     sessions.c.session_on.between(day - timedelta(days=RECENT_DAYS), day))
              .scalar_subquery())
    open_escalation = exists().where(
        safeguarding_events.c.family_id == families.c.family_id, safeguarding_events.c.raised_on <= day,
        or_(safeguarding_events.c.resolved_on.is_(None), safeguarding_events.c.resolved_on > day))
    order = case(*[(social_care_status.c.time_point == point, rank)
                   for point, rank in TIME_POINT_ORDER.items()])
    care_now = (select(social_care_status.c.level)
                .where(social_care_status.c.family_id == families.c.family_id,
                       or_(social_care_status.c.recorded_on.is_(None), social_care_status.c.recorded_on <= day))
                .order_by(order.desc()).limit(1).scalar_subquery())
    rows = (
        select(families.c.family_id, sites.c.name.label("site"), stage_on(day).label("stage"),
               families.c.enrolled_on,
               _engagement(day, ("mother",)).label("mother_engagement"),
               _engagement(day, ("father", "co_parent")).label("father_engagement"),
               recent.label("sessions_attended_90_days"),
               case((open_escalation, "yes"), else_="no").label("open_escalation"),
               care_now.label("social_care_level"))
        .select_from(families.join(sites))
        .where(site_condition(families.c.site_id, scope, filters), open_on(day))
        .subquery()
    )
    stmt = select(rows)
    if selection.stage:
        stmt = stmt.where(rows.c.stage == selection.stage)
    if selection.open_escalation_only:
        stmt = stmt.where(rows.c.open_escalation == "yes")
    frame = pd.read_sql(stmt, conn)
    enrolled = pd.to_datetime(frame.pop("enrolled_on"))
    frame.insert(3, "months_in_programme",
                 ((day.year - enrolled.dt.year) * 12 + day.month - enrolled.dt.month).astype(int))
    return frame


def family_ids(conn: Connection, scope: Scope) -> list[int]:
    """Every family id in scope (to find the one a pseudonym stands for)."""
    stmt = select(families.c.family_id).where(site_condition(families.c.site_id, scope, NO_SITE_FILTER))
    return [row[0] for row in conn.execute(stmt)]


def timeline(conn: Connection, scope: Scope, family_id: int) -> dict[str, pd.DataFrame]:
    """One family's history, every date as a month, within scope (empty tables if out of scope)."""
    in_scope = and_(families.c.family_id == family_id,
                    site_condition(families.c.site_id, scope, NO_SITE_FILTER))
    summary = pd.read_sql(
        select(sites.c.name.label("site"), _month(referrals.c.received_on).label("referred"),
               referrals.c.source, referrals.c.gestation_weeks,
               _month(families.c.enrolled_on).label("enrolled"), _month(families.c.due_on).label("due"),
               _month(families.c.birth_on).label("born"), _month(families.c.exit_on).label("exited"),
               families.c.exit_reason)
        .select_from(families.join(sites).outerjoin(referrals, referrals.c.family_id == families.c.family_id))
        .where(in_scope), conn)
    if summary.empty:
        return {}
    family_parents = pd.read_sql(
        select(parents.c.role.label("parent_role"), parents.c.age_band)
        .select_from(parents.join(families)).where(in_scope).order_by(parents.c.role), conn)
    month = _month(sessions.c.session_on).label("month")
    family_sessions = pd.read_sql(
        select(month, parents.c.role.label("parent_role"), sessions.c.session_type, sessions.c.status,
               func.count().label("sessions"))
        .select_from(sessions.join(parents).join(families)).where(in_scope)
        .group_by(month, parents.c.role, sessions.c.session_type, sessions.c.status)
        .order_by(month, parents.c.role), conn)
    escalations = pd.read_sql(
        select(_month(safeguarding_events.c.raised_on).label("raised"),
               safeguarding_events.c.level.label("escalation_level"), safeguarding_events.c.concern_type,
               _month(safeguarding_events.c.dsl_reviewed_on).label("reviewed"),
               _month(safeguarding_events.c.resolved_on).label("resolved"), safeguarding_events.c.outcome)
        .select_from(safeguarding_events.join(families)).where(in_scope)
        .order_by(safeguarding_events.c.raised_on), conn)
    order = case(*[(social_care_status.c.time_point == p, r) for p, r in TIME_POINT_ORDER.items()])
    social_care = pd.read_sql(
        select(social_care_status.c.time_point, social_care_status.c.level.label("social_care_level"),
               _month(social_care_status.c.recorded_on).label("recorded"))
        .select_from(social_care_status.join(families)).where(in_scope).order_by(order), conn)
    subject = case((assessments.c.parent_id.is_(None), "baby"), else_=parents.c.role)
    family_assessments = pd.read_sql(
        select(subject.label("subject"), assessments.c.instrument, assessments.c.time_point,
               _month(assessments.c.assessed_on).label("assessed"), assessments.c.within_normal_range)
        .select_from(assessments.join(families).outerjoin(parents, parents.c.parent_id == assessments.c.parent_id))
        .where(in_scope).order_by(assessments.c.time_point, assessments.c.instrument), conn)
    return {"summary": summary, "parents": family_parents, "sessions": family_sessions,
            "escalations": escalations, "social_care": social_care, "assessments": family_assessments}
