"""Single cases, for leadership's anonymised drill-down.

Nothing here selects a name, date of birth, postcode, NHS number, practitioner or free text, and
every date leaves as a month ('YYYY-MM'). Family ids are returned only so that the dashboard's
drill-down module can turn them into pseudonyms; no page ever shows one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import (
    Case,
    ColumnElement,
    Connection,
    Exists,
    Function,
    Label,
    Subquery,
    and_,
    case,
    exists,
    func,
    or_,
    select,
)

from queries import data_quality
from queries.caseloads import open_on, snapshot_date, stage_on
from queries.meta import data_as_at
from queries.schema import (
    PARTNER_ROLES,
    assessments,
    families,
    parents,
    referrals,
    safeguarding_events,
    sessions,
    sites,
    social_care_status,
)
from queries.scope import NO_SITE_FILTER, Filters, Scope, site_condition
from queries.sql import month_start

ENGAGED_DAYS = 60  # a parent is engaged if they attended a session in this many days up to the date
RECENT_DAYS = 90
TIME_POINT_ORDER = {"baseline": 0, "birth": 1, "m12": 2, "m24": 3}


@dataclass(frozen=True)
class CaseSelection:
    """What a drill-down or the case list's own filters ask for beyond the period and sites
    (None: any). Codes as stored, except `engaged` (an ENGAGED code) and `open_escalation`.

    With a data-quality `check`, the cases are the families with a record failing it, open or
    closed, described as at the data-as-at date: like the Data quality view, the period does not
    apply. Otherwise they are the families open at the snapshot date."""

    stage: str | None = None
    engaged: str | None = None  # who is engaged now (ENGAGED)
    open_escalation: bool | None = None
    escalation_level: str | None = None  # an escalation at this level is open
    social_care_level: str | None = None  # the latest level recorded
    source: str | None = None  # the family's referral came from this source, within the period
    check: str | None = None  # a data-quality check (queries.data_quality.CHECKS) one of its records fails


# Who of a family's parents is engaged now: mother and father or co-parent, only one, or neither.
ENGAGED = ("both", "mother", "father_or_co_parent", "neither")


def _month(column: ColumnElement[date]) -> Function[str]:
    return func.substr(month_start(column), 1, 7)


def _engagement(day: date, roles: tuple[str, ...]) -> Case[str]:
    has_parent = exists().where(parents.c.family_id == families.c.family_id, parents.c.role.in_(roles))
    # Engaged: a session attended in the ENGAGED_DAYS up to the day. Asked as "is there one in
    # that window" (a short range of each parent's sessions), not "is the latest one in it",
    # which read every session of every parent up to the day.
    attended_lately = (
        exists()
        .select_from(sessions.join(parents))
        .where(
            parents.c.family_id == families.c.family_id,
            parents.c.role.in_(roles),
            sessions.c.status == "attended",
            sessions.c.session_on.between(day - timedelta(days=ENGAGED_DAYS), day),
        )
    )
    return case((~has_parent, "none"), (attended_lately, "engaged"), else_="not engaged")


def _open_escalation(day: date, *levels: str) -> Exists:
    return exists().where(
        safeguarding_events.c.family_id == families.c.family_id,
        safeguarding_events.c.raised_on <= day,
        or_(safeguarding_events.c.resolved_on.is_(None), safeguarding_events.c.resolved_on > day),
        *([safeguarding_events.c.level.in_(levels)] if levels else []),
    )


def _engagement_columns(day: date) -> list[Label[str]]:
    return [
        _engagement(day, ("mother",)).label("mother_engagement"),
        _engagement(day, PARTNER_ROLES).label("father_engagement"),
    ]


def _who_is_engaged(rows: Subquery) -> Case[str]:
    """ENGAGED, from a subquery's mother_engagement and father_engagement."""
    mother, partner = rows.c.mother_engagement == "engaged", rows.c.father_engagement == "engaged"
    return case((and_(mother, partner), ENGAGED[0]), (mother, ENGAGED[1]), (partner, ENGAGED[2]), else_=ENGAGED[3])


def _case_day(conn: Connection, filters: Filters, selection: CaseSelection) -> date:
    if selection.check:
        return data_as_at(conn) or filters.period.end
    return snapshot_date(conn, filters)


def _in_case_set(day: date, scope: Scope, filters: Filters, selection: CaseSelection) -> list[ColumnElement[bool]]:
    """The conditions on families that the selection sets before any per-case column is worked out."""
    conditions = [site_condition(families.c.site_id, scope, filters)]
    if selection.check:
        conditions.append(families.c.family_id.in_(data_quality.affected_families(selection.check)))
    else:
        conditions.append(open_on(day))
    if selection.escalation_level:
        conditions.append(_open_escalation(day, selection.escalation_level))
    if selection.source:
        conditions.append(
            exists().where(
                referrals.c.family_id == families.c.family_id,
                referrals.c.source == selection.source,
                referrals.c.received_on.between(filters.period.start, filters.period.end),
            )
        )
    return conditions


def case_rows(conn: Connection, scope: Scope, filters: Filters, selection: CaseSelection) -> pd.DataFrame:
    """The cases the selection asks for in scope (CaseSelection says which), one row each:
    family_id (for pseudonyms only), site, stage (or 'exited'), months in programme (to the exit
    if earlier), mother's and father's (or co-parent's) engagement, attended sessions in the
    last 90 days, whether an escalation is open, and the latest social-care level recorded, all
    as at the snapshot date (the data-as-at date for a data-quality check)."""
    day = _case_day(conn, filters, selection)
    recent = (
        select(func.count())
        .select_from(sessions.join(parents))
        .where(
            parents.c.family_id == families.c.family_id,
            sessions.c.status == "attended",
            sessions.c.session_on.between(day - timedelta(days=RECENT_DAYS), day),
        )
        .scalar_subquery()
    )
    order = case(*[(social_care_status.c.time_point == point, rank) for point, rank in TIME_POINT_ORDER.items()])
    care_now = (
        select(social_care_status.c.level)
        .where(
            social_care_status.c.family_id == families.c.family_id,
            or_(social_care_status.c.recorded_on.is_(None), social_care_status.c.recorded_on <= day),
        )
        .order_by(order.desc())
        .limit(1)
        .scalar_subquery()
    )
    exited = and_(families.c.exit_on.is_not(None), families.c.exit_on <= day)
    rows = (
        select(
            families.c.family_id,
            sites.c.name.label("site"),
            case((exited, "exited"), else_=stage_on(day)).label("stage"),
            families.c.enrolled_on,
            families.c.exit_on,
            *_engagement_columns(day),
            recent.label("sessions_attended_90_days"),
            case((_open_escalation(day), "yes"), else_="no").label("open_escalation"),
            care_now.label("social_care_level"),
        )
        .select_from(families.join(sites))
        .where(*_in_case_set(day, scope, filters, selection))
        .subquery()
    )
    stmt = select(rows).order_by(rows.c.site, rows.c.enrolled_on, rows.c.family_id)
    wanted = {
        "stage": selection.stage,
        "social_care_level": selection.social_care_level,
        "open_escalation": None
        if selection.open_escalation is None
        else ("yes" if selection.open_escalation else "no"),
    }
    for column, value in wanted.items():
        if value is not None:
            stmt = stmt.where(rows.c[column] == value)
    if selection.engaged:
        stmt = stmt.where(_who_is_engaged(rows) == selection.engaged)
    frame = pd.read_sql(stmt, conn)
    enrolled = pd.to_datetime(frame.pop("enrolled_on"))
    exit_on = pd.to_datetime(frame.pop("exit_on"))
    end = exit_on.where(exit_on <= pd.Timestamp(day), pd.Timestamp(day))
    frame.insert(
        3, "months_in_programme", ((end.dt.year - enrolled.dt.year) * 12 + end.dt.month - enrolled.dt.month).astype(int)
    )
    return frame


def open_cases_by_engagement(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """Families open at the snapshot date by site and who of their parents is engaged then (an
    ENGAGED code; engaged as in the case list): site, engaged, families. The case list's own
    rows counted, so each count opens as exactly that many cases."""
    day = snapshot_date(conn, filters)
    rows = (
        select(sites.c.name.label("site"), *_engagement_columns(day))
        .select_from(families.join(sites))
        .where(*_in_case_set(day, scope, filters, CaseSelection()))
        .subquery()
    )
    engaged = _who_is_engaged(rows).label("engaged")
    frame = pd.read_sql(
        select(rows.c.site, engaged, func.count().label("families")).group_by(rows.c.site, engaged), conn
    )
    order = frame["engaged"].map(ENGAGED.index)
    return frame.assign(order=order).sort_values(["site", "order"], ignore_index=True).drop(columns="order")


def family_ids(conn: Connection, scope: Scope) -> list[int]:
    """Every family id in scope (to find the one a pseudonym stands for)."""
    stmt = select(families.c.family_id).where(site_condition(families.c.site_id, scope, NO_SITE_FILTER))
    return [row[0] for row in conn.execute(stmt)]


def timeline(conn: Connection, scope: Scope, family_id: int) -> dict[str, pd.DataFrame]:
    """One family's history, every date as a month, within scope (empty tables if out of scope)."""
    in_scope = and_(families.c.family_id == family_id, site_condition(families.c.site_id, scope, NO_SITE_FILTER))
    summary = pd.read_sql(
        select(
            sites.c.name.label("site"),
            _month(referrals.c.received_on).label("referred"),
            referrals.c.source,
            referrals.c.gestation_weeks,
            _month(families.c.enrolled_on).label("enrolled"),
            _month(families.c.due_on).label("due"),
            _month(families.c.birth_on).label("born"),
            _month(families.c.exit_on).label("exited"),
            families.c.exit_reason,
        )
        .select_from(families.join(sites).outerjoin(referrals, referrals.c.family_id == families.c.family_id))
        .where(in_scope),
        conn,
    )
    if summary.empty:
        return {}
    family_parents = pd.read_sql(
        select(parents.c.role.label("parent_role"), parents.c.age_band)
        .select_from(parents.join(families))
        .where(in_scope)
        .order_by(parents.c.role),
        conn,
    )
    month = _month(sessions.c.session_on).label("month")
    family_sessions = pd.read_sql(
        select(
            month,
            parents.c.role.label("parent_role"),
            sessions.c.session_type,
            sessions.c.status,
            func.count().label("sessions"),
        )
        .select_from(sessions.join(parents).join(families))
        .where(in_scope)
        .group_by(month, parents.c.role, sessions.c.session_type, sessions.c.status)
        .order_by(month, parents.c.role),
        conn,
    )
    escalations = pd.read_sql(
        select(
            _month(safeguarding_events.c.raised_on).label("raised"),
            safeguarding_events.c.level.label("escalation_level"),
            safeguarding_events.c.concern_type,
            _month(safeguarding_events.c.dsl_reviewed_on).label("reviewed"),
            _month(safeguarding_events.c.resolved_on).label("resolved"),
            safeguarding_events.c.outcome,
        )
        .select_from(safeguarding_events.join(families))
        .where(in_scope)
        .order_by(safeguarding_events.c.raised_on),
        conn,
    )
    order = case(*[(social_care_status.c.time_point == p, r) for p, r in TIME_POINT_ORDER.items()])
    social_care = pd.read_sql(
        select(
            social_care_status.c.time_point,
            social_care_status.c.level.label("social_care_level"),
            _month(social_care_status.c.recorded_on).label("recorded"),
        )
        .select_from(social_care_status.join(families))
        .where(in_scope)
        .order_by(order),
        conn,
    )
    subject = case((assessments.c.parent_id.is_(None), "baby"), else_=parents.c.role)
    family_assessments = pd.read_sql(
        select(
            subject.label("subject"),
            assessments.c.instrument,
            assessments.c.time_point,
            _month(assessments.c.assessed_on).label("assessed"),
            assessments.c.within_normal_range,
        )
        .select_from(assessments.join(families).outerjoin(parents, parents.c.parent_id == assessments.c.parent_id))
        .where(in_scope)
        .order_by(assessments.c.time_point, assessments.c.instrument),
        conn,
    )
    return {
        "summary": summary,
        "parents": family_parents,
        "sessions": family_sessions,
        "escalations": escalations,
        "social_care": social_care,
        "assessments": family_assessments,
    }
