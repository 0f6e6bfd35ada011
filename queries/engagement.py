"""Engagement and retention: who is still engaged at the baby's birth and after, how long parents
stay engaged, how often offered sessions take place, and which kinds of session.

"Engaged at a time point T": the parent attended a session on T or in the ENGAGED_WITHIN_DAYS
days before it, and their family had not left the programme before T. Disengagement (for the
Kaplan–Meier estimate) is the same rule seen from the other side: more than ENGAGED_WITHIN_DAYS
days after a parent's last attended session with the family still in the programme.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import (
    Case,
    ColumnElement,
    Connection,
    Date,
    FromClause,
    Function,
    Integer,
    String,
    Subquery,
    and_,
    case,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)

from queries.caseloads import snapshot_date
from queries.meta import data_as_at
from queries.periods import quarter_label
from queries.schema import (
    PARENT_ROLES,
    PARTNER_ROLES,
    families,
    parents,
    sessions,
)
from queries.scope import Filters, Scope, site_condition, visible_sites
from queries.sql import add_days, as_month, days_between, every_site_and_month, month_start

ENGAGED_WITHIN_DAYS = 60
# Each time point and its days after the baby's birth (the due date while no birth is recorded).
TIME_POINTS = (("birth", 0), ("m6", 183), ("m12", 365), ("m18", 548), ("m24", 730))
# The groups a retention share is given for; co_parent only when the period's cohorts hold one.
RETENTION_GROUPS = ("families", "mother", "father", "co_parent", "both")
OFFERED_STATUSES = ("attended", "did_not_attend", "cancelled_by_parent")  # not cancelled_by_service
SURVIVAL_EVERY_DAYS = 182  # the survival table: about every six months, so its counts are not tiny


def _cohort_families(scope: Scope, filters: Filters) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """Families enrolled in the period at the sites asked for: the cohorts."""
    return (
        site_condition(families.c.site_id, scope, filters),
        families.c.enrolled_on.between(filters.period.start, filters.period.end),
    )


def _cohort_label(month: str) -> str:
    """'2024-11-01' → '2024/25 Q3': the financial-year quarter of an enrolment month."""
    return quarter_label(date.fromisoformat(month))


def _sessions_at_sites(scope: Scope, filters: Filters) -> FromClause:
    """Sessions joined to their parent's family, so their site can be asked for; sessions alone
    when every site is asked for, so a count over every session pays for no join."""
    if visible_sites(scope, filters) is None:
        return sessions
    return sessions.join(parents, parents.c.parent_id == sessions.c.parent_id).join(
        families, families.c.family_id == parents.c.family_id
    )


def _time_points_table() -> Subquery:
    rows = [
        select(literal(code, String).label("time_point"), literal(days, Integer).label("offset_days"))
        for code, days in TIME_POINTS
    ]
    return union_all(*rows).subquery("time_points")


# --- 1. Retention by enrolment cohort ------------------------------------------------------------

_FAMILY_COUNTS = (
    "families_reached",
    "families_engaged",
    "mothers_reached",
    "mothers_engaged",
    "fathers_reached",
    "fathers_engaged",
    "co_parents_reached",
    "co_parents_engaged",
    "both_reached",
    "both_engaged",
)
_GROUP_COLUMNS = {
    "families": "families",
    "mother": "mothers",
    "father": "fathers",
    "co_parent": "co_parents",
    "both": "both",
}


def retention_by_cohort(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """For each enrolment cohort (the financial-year quarter a family enrolled in, for families
    enrolled in the period), each time point and each group: how many were engaged at the time
    point (engaged) of those whose time point had been reached by the data-as-at date (reached),
    and the share. Groups: families (either parent engaged), mother, father, co_parent (listed
    only when the cohorts hold one), both (families with a mother and a father or co-parent:
    the mother and at least one of them engaged). A family that left before a time point counts
    as reached and not engaged. Columns: cohort, time_point, group, engaged, reached, share
    (missing where nothing was reached yet: not yet known)."""
    columns = ["cohort", "time_point", "group", "engaged", "reached", "share"]
    as_at = data_as_at(conn)
    if as_at is None:
        return pd.DataFrame(columns=columns)
    points = _time_points_table()
    at_day = add_days(func.coalesce(families.c.birth_on, families.c.due_on), points.c.offset_days)
    family_points = (
        select(
            families.c.family_id,
            month_start(families.c.enrolled_on).label("enrol_month"),
            points.c.time_point,
            at_day.label("at_day"),
            families.c.exit_on,
            case((at_day <= literal(as_at, Date), 1), else_=0).label("reached"),
        )
        .select_from(families.join(points, true()))
        .where(*_cohort_families(scope, filters))
        .subquery("family_points")
    )
    fp = family_points
    # Selecting the id (not *) lets the lookup be answered from the index alone.
    attended_in_window = (
        select(sessions.c.session_id)
        .where(
            sessions.c.parent_id == parents.c.parent_id,
            sessions.c.status == "attended",
            sessions.c.session_on >= add_days(fp.c.at_day, -ENGAGED_WITHIN_DAYS),
            sessions.c.session_on <= fp.c.at_day,
        )
        .exists()
    )
    still_in = or_(fp.c.exit_on.is_(None), fp.c.exit_on >= fp.c.at_day)
    # One row per parent and time point (a family without parents keeps one row, role missing).
    parent_points = (
        select(
            fp.c.family_id,
            fp.c.enrol_month,
            fp.c.time_point,
            fp.c.reached,
            parents.c.role,
            case(
                (and_(fp.c.reached == 1, parents.c.parent_id.is_not(None), still_in, attended_in_window), 1), else_=0
            ).label("engaged"),
        )
        .select_from(fp.outerjoin(parents, parents.c.family_id == fp.c.family_id))
        # Worked out once: merged into the query below, each of its six uses of `engaged` would
        # repeat the session lookup.
        .cte("parent_points")
        .prefix_with("MATERIALIZED")
    )
    pp = parent_points

    def of_role(*roles: str, then: int | ColumnElement[int] = 1) -> Case[int]:
        return case((pp.c.role.in_(roles), then), else_=0)

    has_mother = func.max(of_role("mother"))
    has_partner = func.max(of_role(*PARTNER_ROLES))
    mother_engaged = func.max(of_role("mother", then=pp.c.engaged))
    partner_engaged = func.max(of_role(*PARTNER_ROLES, then=pp.c.engaged))
    # One row per family and time point.
    family_rows = (
        select(
            pp.c.enrol_month,
            pp.c.time_point,
            func.max(pp.c.reached).label("reached"),
            func.max(pp.c.engaged).label("engaged"),
            func.sum(of_role("mother")).label("mothers"),
            func.sum(of_role("mother", then=pp.c.engaged)).label("mothers_engaged"),
            func.sum(of_role("father")).label("fathers"),
            func.sum(of_role("father", then=pp.c.engaged)).label("fathers_engaged"),
            func.sum(of_role("co_parent")).label("co_parents"),
            func.sum(of_role("co_parent", then=pp.c.engaged)).label("co_parents_engaged"),
            case((and_(has_mother == 1, has_partner == 1), 1), else_=0).label("both"),
            case((and_(mother_engaged == 1, partner_engaged == 1), 1), else_=0).label("both_engaged"),
        )
        .group_by(pp.c.family_id, pp.c.enrol_month, pp.c.time_point)
        .subquery("family_rows")
    )
    fr = family_rows
    reached = fr.c.reached == 1

    def when_reached(column: int | ColumnElement[int]) -> Function[int]:
        return func.coalesce(func.sum(case((reached, column), else_=0)), 0)

    stmt = select(
        fr.c.enrol_month,
        fr.c.time_point,
        when_reached(1).label("families_reached"),
        when_reached(fr.c.engaged).label("families_engaged"),
        when_reached(fr.c.mothers).label("mothers_reached"),
        when_reached(fr.c.mothers_engaged).label("mothers_engaged"),
        when_reached(fr.c.fathers).label("fathers_reached"),
        when_reached(fr.c.fathers_engaged).label("fathers_engaged"),
        when_reached(fr.c.co_parents).label("co_parents_reached"),
        when_reached(fr.c.co_parents_engaged).label("co_parents_engaged"),
        when_reached(fr.c.both).label("both_reached"),
        when_reached(fr.c.both_engaged).label("both_engaged"),
        func.sum(fr.c.co_parents).label("co_parents_enrolled"),
    ).group_by(fr.c.enrol_month, fr.c.time_point)
    by_month = pd.read_sql(stmt, conn)
    if by_month.empty:
        return pd.DataFrame(columns=columns)
    by_month["cohort"] = by_month["enrol_month"].map(_cohort_label)
    counts = [*_FAMILY_COUNTS, "co_parents_enrolled"]
    by_cohort = (
        by_month.astype({c: "int64" for c in counts}).groupby(["cohort", "time_point"], as_index=False)[counts].sum()
    )
    groups = [g for g in RETENTION_GROUPS if g != "co_parent" or by_cohort["co_parents_enrolled"].sum()]
    long = pd.concat(
        [
            pd.DataFrame(
                {
                    "cohort": by_cohort["cohort"],
                    "time_point": by_cohort["time_point"],
                    "group": group,
                    "engaged": by_cohort[f"{_GROUP_COLUMNS[group]}_engaged"],
                    "reached": by_cohort[f"{_GROUP_COLUMNS[group]}_reached"],
                }
            )
            for group in groups
        ],
        ignore_index=True,
    )
    long["share"] = long["engaged"] / long["reached"].where(long["reached"] > 0)
    order = {"time_point": [code for code, _ in TIME_POINTS], "group": list(RETENTION_GROUPS)}
    keys = {name: long[name].map(values.index) for name, values in order.items()}
    return (
        long.assign(_tp=keys["time_point"], _group=keys["group"])
        .sort_values(["cohort", "_tp", "_group"], ignore_index=True)
        .drop(columns=["_tp", "_group"])[columns]
    )


# --- 2. Time to disengagement (Kaplan–Meier) ----------------------------------------------------


def follow_up_by_parent(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """One row per parent in a family enrolled in the period: parent_role, duration_days (from
    the family's enrolment) and event (1: disengaged; 0: censored).

    Each parent is followed from enrolment to the family's exit, or to the data-as-at date while
    the family is open. Their last attended session in that time (the enrolment date if none) is
    where disengagement is dated: it happened if more than ENGAGED_WITHIN_DAYS days passed after
    it before the follow-up ended, or if the family left as 'disengaged'. Otherwise the parent is
    censored at the end of follow-up (completion, another exit, or the data-as-at date)."""
    columns = ["parent_role", "duration_days", "event"]
    as_at = data_as_at(conn)
    if as_at is None:
        return pd.DataFrame(columns=columns)
    exited = and_(families.c.exit_on.is_not(None), families.c.exit_on <= literal(as_at, Date))
    end_on = case((exited, families.c.exit_on), else_=literal(as_at, Date))
    # Looked up parent by parent through the (parent_id, session_on) index, not by scanning sessions.
    last_attended_on = (
        select(func.max(sessions.c.session_on))
        .where(
            sessions.c.parent_id == parents.c.parent_id,
            sessions.c.status == "attended",
            sessions.c.session_on >= families.c.enrolled_on,
            sessions.c.session_on <= end_on,
        )
        .scalar_subquery()
    )
    followed = (
        select(
            parents.c.role,
            families.c.enrolled_on,
            end_on.label("end_on"),
            case((and_(exited, families.c.exit_reason == "disengaged"), 1), else_=0).label("left_disengaged"),
            func.coalesce(last_attended_on, families.c.enrolled_on).label("last_on"),
        )
        .select_from(parents.join(families, families.c.family_id == parents.c.family_id))
        .where(*_cohort_families(scope, filters), families.c.enrolled_on <= end_on)
        .subquery("followed")
    )
    disengaged = or_(
        days_between(followed.c.last_on, followed.c.end_on) > ENGAGED_WITHIN_DAYS, followed.c.left_disengaged == 1
    )
    stmt = select(
        followed.c.role.label("parent_role"),
        case(
            (disengaged, days_between(followed.c.enrolled_on, followed.c.last_on)),
            else_=days_between(followed.c.enrolled_on, followed.c.end_on),
        ).label("duration_days"),
        case((disengaged, 1), else_=0).label("event"),
    ).order_by(followed.c.role, "duration_days", "event")
    frame = pd.read_sql(stmt, conn)
    return frame.astype({"duration_days": "int64", "event": "int64"})[columns]


def kaplan_meier(follow_up: pd.DataFrame, by: str = "parent_role") -> pd.DataFrame:
    """The Kaplan–Meier estimate of survival (here: not yet disengaged) for each group of `by`,
    from one row per person with duration_days and event (1 event, 0 censored).

    One row per group at day 0 and at every day on which someone's follow-up ends: at_risk (still
    followed on that day: duration ≥ day), events and censored on that day, and survival just
    after it, S(day) = Π over event days ≤ day of (1 − events / at_risk). Ties: everyone ending on
    a day is at risk on it, and censoring is taken to come after that day's events.
    Columns: <by>, day, at_risk, events, censored, survival."""
    columns = [by, "day", "at_risk", "events", "censored", "survival"]
    parts = []
    for group, people in follow_up.groupby(by, sort=True):
        ending = people.groupby("duration_days")["event"].agg(["size", "sum"])
        ending = ending.reindex(sorted({0, *ending.index}), fill_value=0)
        at_risk = len(people) - ending["size"].cumsum().shift(1, fill_value=0)
        parts.append(
            pd.DataFrame(
                {
                    by: group,
                    "day": ending.index.to_numpy(),
                    "at_risk": at_risk.to_numpy(),
                    "events": ending["sum"].to_numpy(),
                    "censored": (ending["size"] - ending["sum"]).to_numpy(),
                    "survival": (1 - ending["sum"] / at_risk).cumprod().to_numpy(),
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True).astype(
        {"day": "int64", "at_risk": "int64", "events": "int64", "censored": "int64", "survival": "float64"}
    )


def at_intervals(estimate: pd.DataFrame, every: int, by: str = "parent_role") -> pd.DataFrame:
    """A Kaplan–Meier table (from `kaplan_meier`) read every `every` days, the same days for every
    group (0, every, 2 × every … up to the longest follow-up of any group): at_risk on the day,
    events and censored after the previous day shown up to this one (day 0: on day 0), and
    survival on the day (missing once nobody in the group is followed any longer).
    Columns: <by>, day, at_risk, events, censored, survival."""
    columns = [by, "day", "at_risk", "events", "censored", "survival"]
    if estimate.empty:
        return pd.DataFrame(columns=columns)
    days = np.arange(0, int(estimate["day"].max()) + 1, every)
    parts = []
    for group, table in estimate.groupby(by, sort=True):
        table = table.sort_values("day")
        ends = table["day"].to_numpy()
        first_on_or_after = np.searchsorted(ends, days, side="left")
        upto = np.searchsorted(ends, days, side="right")  # rows with day ≤ each day shown
        followed = first_on_or_after < len(ends)
        at_risk = np.where(followed, table["at_risk"].to_numpy()[np.minimum(first_on_or_after, len(ends) - 1)], 0)
        survival = np.where(followed, table["survival"].to_numpy()[np.maximum(upto - 1, 0)], np.nan)
        since = {}
        for name in ("events", "censored"):
            cumulative = np.concatenate([[0], table[name].cumsum().to_numpy()])
            since[name] = cumulative[upto] - cumulative[np.r_[0, upto[:-1]]]
        parts.append(pd.DataFrame({by: group, "day": days, "at_risk": at_risk, **since, "survival": survival}))
    return pd.concat(parts, ignore_index=True).astype(
        {"day": "int64", "at_risk": "int64", "events": "int64", "censored": "int64", "survival": "float64"}
    )


PARTNER = "partner"  # fathers and other co-parents together (survival_of_mothers_and_partners)


def _in_role_order(estimate: pd.DataFrame) -> pd.DataFrame:
    """Mothers, then fathers, then other co-parents (or their partners together), each by day."""
    order = estimate["parent_role"].map([*PARENT_ROLES, PARTNER].index)
    return estimate.assign(_order=order).sort_values(["_order", "day"], ignore_index=True).drop(columns="_order")


def time_to_disengagement(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """Kaplan–Meier survival (not yet disengaged) by parent role for parents in families enrolled
    in the period, at every day a follow-up ends: parent_role, day, survival, at_risk, events,
    censored. See `follow_up_by_parent` for what is an event and what is censored."""
    estimate = _in_role_order(kaplan_meier(follow_up_by_parent(conn, scope, filters)))
    return estimate[["parent_role", "day", "survival", "at_risk", "events", "censored"]]


def survival_every_six_months(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """The same estimate read every SURVIVAL_EVERY_DAYS days from enrolment (see `at_intervals`), so
    that its counts are large enough to show where small numbers are hidden: parent_role, day,
    survival, at_risk, events (since the previous day shown)."""
    return _every_six_months(follow_up_by_parent(conn, scope, filters))


def survival_of_mothers_and_partners(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """As survival_every_six_months, with fathers and other co-parents estimated together (role
    'partner'): where small numbers are hidden, other co-parents alone are too few to show."""
    follow_up = follow_up_by_parent(conn, scope, filters)
    partners = follow_up["parent_role"].isin(PARTNER_ROLES)
    return _every_six_months(follow_up.assign(parent_role=follow_up["parent_role"].where(~partners, PARTNER)))


def _every_six_months(follow_up: pd.DataFrame) -> pd.DataFrame:
    table = _in_role_order(at_intervals(kaplan_meier(follow_up), SURVIVAL_EVERY_DAYS))
    return table[["parent_role", "day", "survival", "at_risk", "events"]]


# --- 3. Attendance rate ------------------------------------------------------------------------


def attendance_by_site_month(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """For every site asked for and every month of the period (to the data-as-at date): sessions
    attended, sessions offered (attended, did not attend, cancelled by the parent; sessions the
    service cancelled are left out) and the attendance rate attended / offered (missing when
    nothing was offered). A session belongs to the site of its parent's family.
    Columns: month, site, attended, offered, rate."""
    last = snapshot_date(conn, filters)
    month = month_start(sessions.c.session_on).label("month")
    counted = (
        select(
            month,
            families.c.site_id,
            func.count(case((sessions.c.status == "attended", 1))).label("attended"),
            func.count(case((sessions.c.status.in_(OFFERED_STATUSES), 1))).label("offered"),
        )
        .select_from(
            sessions.join(parents, parents.c.parent_id == sessions.c.parent_id).join(
                families, families.c.family_id == parents.c.family_id
            )
        )
        .where(
            site_condition(families.c.site_id, scope, filters),
            sessions.c.session_on.between(filters.period.start, last),
        )
        .group_by(month, families.c.site_id)
        .subquery("counted")
    )
    stmt = every_site_and_month(counted, last, scope, filters)
    frame = pd.read_sql(stmt, conn).astype({"attended": "int64", "offered": "int64"})
    frame["rate"] = frame["attended"] / frame["offered"].where(frame["offered"] > 0)
    return as_month(frame)


def attendance_by_month(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """The same counts summed over every site asked for, for every month of the period (to the
    data-as-at date): month, attended, offered, rate (missing when nothing was offered)."""
    columns = ["month", "attended", "offered", "rate"]
    last = snapshot_date(conn, filters)
    if last < filters.period.start or visible_sites(scope, filters) == frozenset():
        return pd.DataFrame(columns=columns)  # no month, or no site the caller may see
    # Day by day first: over every site the index already holds sessions in date order, so this
    # grouping needs no sort of millions of sessions; the months then sum a few hundred days.
    by_day = (
        select(
            sessions.c.session_on.label("day"),
            func.count(case((sessions.c.status == "attended", 1))).label("attended"),
            func.count(case((sessions.c.status.in_(OFFERED_STATUSES), 1))).label("offered"),
        )
        .select_from(_sessions_at_sites(scope, filters))
        .where(
            site_condition(families.c.site_id, scope, filters),
            sessions.c.session_on.between(filters.period.start, last),
        )
        .group_by(sessions.c.session_on)
        .subquery("by_day")
    )
    month = month_start(by_day.c.day).label("month")
    stmt = select(
        month, func.sum(by_day.c.attended).label("attended"), func.sum(by_day.c.offered).label("offered")
    ).group_by(month)
    counted = as_month(pd.read_sql(stmt, conn)).set_index("month")
    months = pd.date_range(filters.period.start.replace(day=1), last, freq="MS", name="month")
    frame = counted.reindex(months, fill_value=0).reset_index().astype({"attended": "int64", "offered": "int64"})
    frame["rate"] = frame["attended"] / frame["offered"].where(frame["offered"] > 0)
    return frame[columns]


# --- 4. Session mix ----------------------------------------------------------------------------


def attended_by_type_month(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """Sessions attended in the period by month and session type (a joint session counts once for
    each parent who attended): month, session_type, sessions."""
    # Day by day first (see attendance_by_month): a cheaper grouping than by month directly.
    by_day = (
        select(sessions.c.session_on.label("day"), sessions.c.session_type, func.count().label("sessions"))
        .select_from(_sessions_at_sites(scope, filters))
        .where(
            site_condition(families.c.site_id, scope, filters),
            sessions.c.status == "attended",
            sessions.c.session_on.between(filters.period.start, filters.period.end),
        )
        .group_by(sessions.c.session_on, sessions.c.session_type)
        .subquery("by_day")
    )
    month = month_start(by_day.c.day).label("month")
    stmt = (
        select(month, by_day.c.session_type, func.sum(by_day.c.sessions).label("sessions"))
        .group_by(month, by_day.c.session_type)
        .order_by(month, by_day.c.session_type)
    )
    frame = pd.read_sql(stmt, conn).astype({"sessions": "int64"})
    return as_month(frame)
