"""Outcome trends: social-care involvement, babies' development and parents' wellbeing.

Which records a period selects: a time point's record counts in the period in which it was made
(social care: `recorded_on`; assessments: `assessed_on`), so a quarter's 24-month figures are
"of the families who reached 24 months this quarter ...". A record with no date is never counted.
For a parent's change in wellbeing the later assessment decides the period; the entry score may
be from any date.

Each measure comes as a total and by site and by enrolment cohort (the financial year, April to
March, in which the family enrolled); the three share one query, differing only in what it groups by.

Counts come in pairs (a number and the rest of its denominator, both as rows) so that small-number
suppression can protect the complement as well: "11 of 12 babies within the normal range" would
otherwise reveal the one baby outside it.
"""

from __future__ import annotations

import typing
from collections.abc import Hashable

import pandas as pd
from sqlalchemy import Connection, Integer, Label, and_, case, cast, extract, func, select

from queries.periods import fy_label
from queries.schema import (
    ASQ3_DOMAINS,
    PARENT_ROLES,
    SOCIAL_CARE_TIME_POINTS,
    assessments,
    families,
    parents,
    sites,
    social_care_status,
)
from queries.scope import Filters, Scope, site_condition

# The programme's evaluation (King's College London, 2020): children's social care was involved
# with about 70% of families at baseline and about a third at the two-year stage.
EVALUATION_2020_INVOLVED = {"baseline": 0.70, "m24": 0.33}

BABY_INSTRUMENTS = ASQ3_DOMAINS + ("asq_se2",)
BABY_TIME_POINTS = ("m12", "m24")
LATER_TIME_POINTS = ("birth", "m12", "m24")  # a parent's CORE-10 compared with their entry score
# CORE-10: 0–40, higher is more distress. A fall of 6 points or more is the reliable change
# threshold commonly used for CORE-10 (docs/case-database.md defines reliable improvement so).
RELIABLE_IMPROVEMENT_POINTS = 6

INVOLVEMENT = ("involved", "not_involved")
NORMAL_RANGE = ("within", "outside")
IMPROVEMENT = ("reliable_improvement", "no_reliable_improvement")


def _order(frame: pd.DataFrame, orders: dict[str, tuple[Hashable, ...]]) -> pd.DataFrame:
    """Sort by each column in the fixed order of its codes (unknown codes last), then the rest."""
    keys = list(orders)
    # sort_values hands the key each column of `keys`, so its name is one of the orders' (text) keys.
    return frame.sort_values(
        keys,
        key=lambda column: column.map({code: i for i, code in enumerate(orders[typing.cast(str, column.name)])}).fillna(
            len(orders[typing.cast(str, column.name)])
        ),
        kind="stable",
        ignore_index=True,
    )


def _pairs(
    frame: pd.DataFrame, keys: list[str], *, part: str, total: str, name: str, codes: tuple[str, str], value: str
) -> pd.DataFrame:
    """One row per group and each of the two codes of `name`: the part, and the rest of the total.
    Columns: name, *keys, value, total, share (of the total; missing when the total is 0)."""
    # Typed, or mypy joins text and a Series to a Collection, which pandas-stubs does not take as a column.
    first_columns: dict[str, str | pd.Series] = {name: codes[0], value: frame[part]}
    second_columns: dict[str, str | pd.Series] = {name: codes[1], value: frame[total] - frame[part]}
    first = frame[keys + [total]].assign(**first_columns)
    second = frame[keys + [total]].assign(**second_columns)
    out = pd.concat([first, second], ignore_index=True)
    out[value] = out[value].astype(int)
    out[total] = out[total].astype(int)
    out["share"] = out[value] / out[total].where(out[total] > 0)
    return out[[name, *keys, value, total, "share"]]


# --- Breakdowns: by site and by enrolment cohort ----------------------------------------------

SITE, COHORT = "site", "cohort"


def _enrolment_financial_year() -> Label[int]:
    """The first calendar year of the financial year (April–March) of the family's enrolment."""
    year = cast(extract("year", families.c.enrolled_on), Integer)
    month = cast(extract("month", families.c.enrolled_on), Integer)
    return case((month >= 4, year), else_=year - 1).label("cohort_year")


def _breakdown_columns(by: str | None) -> list[Label[str] | Label[int]]:
    """What a breakdown adds to a query's SELECT and GROUP BY (the query must join `sites`): the
    site's name, or the first year of the enrolment cohort; nothing for the total."""
    if by is None:
        return []
    return [sites.c.name.label("site") if by == SITE else _enrolment_financial_year()]


def _breakdown_key(
    counts: pd.DataFrame, by: str | None
) -> tuple[pd.DataFrame, list[str], dict[str, tuple[Hashable, ...]]]:
    """`counts` ready to order by the breakdown, its key column (a list of none or one) and the
    order of its values: sites by name, cohorts by year."""
    if by is None:
        return counts, [], {}
    key = "site" if by == SITE else "cohort_year"
    if by == COHORT:
        counts = counts.astype({key: int})
    return counts, [key], {key: tuple(sorted(counts[key].unique()))}


def _cohorts_named(frame: pd.DataFrame) -> pd.DataFrame:
    """A cohort's first year (2023) as its financial year ('2023/24'), in a column 'cohort'."""
    if "cohort_year" not in frame.columns:
        return frame
    frame = frame.rename(columns={"cohort_year": COHORT})
    frame[COHORT] = frame[COHORT].astype(int).map(fy_label)
    return frame


def _split(
    counts: pd.DataFrame,
    keys: list[str],
    orders: dict[str, tuple[Hashable, ...]],
    *,
    part: str,
    total: str,
    name: str,
    codes: tuple[str, str],
    value: str,
) -> pd.DataFrame:
    """Each group's `part` and the rest of its `total` as a pair of rows (see _pairs), in the fixed
    order of the codes, then of `orders`; cohorts named. No counts give no rows, same columns."""
    if counts.empty:
        return _cohorts_named(pd.DataFrame(columns=[name, *keys, value, total, "share"]))
    long = _pairs(counts, keys, part=part, total=total, name=name, codes=codes, value=value)
    return _cohorts_named(_order(long, {name: codes, **orders}))


# --- Social care involvement ------------------------------------------------------------------


def _social_care_counts(conn: Connection, scope: Scope, filters: Filters, by: str | None) -> pd.DataFrame:
    """Families with a social-care status recorded in the period, by the breakdown and time
    point: families_recorded, and families_involved (level other than 'none')."""
    status = social_care_status.c
    groups = _breakdown_columns(by)
    stmt = (
        select(
            *groups,
            status.time_point,
            func.count().label("families_recorded"),
            func.count(case((status.level != "none", 1))).label("families_involved"),
        )
        .select_from(social_care_status.join(families).join(sites))
        .where(
            site_condition(families.c.site_id, scope, filters),
            status.recorded_on.between(filters.period.start, filters.period.end),
        )
        .group_by(*groups, status.time_point)
    )
    return pd.read_sql(stmt, conn)


def _complete_time_points(counts: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Every time point for each group present, with 0 where none was recorded."""
    if counts.empty:
        return counts
    groups = counts[keys].drop_duplicates() if keys else pd.DataFrame(index=[0])
    grid = groups.merge(pd.DataFrame({"time_point": SOCIAL_CARE_TIME_POINTS}), how="cross")
    out = grid.merge(counts, on=[*keys, "time_point"], how="left")
    return out.fillna({"families_recorded": 0, "families_involved": 0})


def _social_care(conn: Connection, scope: Scope, filters: Filters, by: str | None) -> pd.DataFrame:
    counts, key, order = _breakdown_key(_social_care_counts(conn, scope, filters, by), by)
    if by != COHORT:  # a cohort is listed only at the time points it reached in the period
        counts = _complete_time_points(counts, key)
    return _split(
        counts,
        [*key, "time_point"],
        {**order, "time_point": SOCIAL_CARE_TIME_POINTS},
        part="families_involved",
        total="families_recorded",
        name="involvement",
        codes=INVOLVEMENT,
        value="families",
    )


def social_care_involvement(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """Families with a social-care status recorded in the period at each time point, split into
    involved (any level but 'none') and not involved: involvement, time_point, families,
    families_recorded (the time point's denominator), share. Every time point is listed when
    anything was recorded; nothing at all gives no rows."""
    return _social_care(conn, scope, filters, None)


def social_care_involvement_by_site(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """As social_care_involvement, for each site with a status recorded in the period:
    involvement, site, time_point, families, families_recorded, share."""
    return _social_care(conn, scope, filters, SITE)


def social_care_involvement_by_cohort(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """As social_care_involvement, by enrolment cohort (the financial year the family enrolled in,
    e.g. '2023/24'): involvement, cohort, time_point, families, families_recorded, share. Only the
    time points a cohort has a record at in the period are listed."""
    return _social_care(conn, scope, filters, COHORT)


# --- Babies' development ----------------------------------------------------------------------


def _babies(conn: Connection, scope: Scope, filters: Filters, by: str | None) -> pd.DataFrame:
    a = assessments.c
    groups = _breakdown_columns(by)
    stmt = (
        select(
            *groups,
            a.instrument,
            a.time_point,
            func.count().label("babies_assessed"),
            func.count(case((a.within_normal_range.is_(True), 1))).label("babies_within"),
        )
        .select_from(assessments.join(families).join(sites))
        .where(
            site_condition(families.c.site_id, scope, filters),
            a.subject == "baby",
            a.instrument.in_(BABY_INSTRUMENTS),
            a.time_point.in_(BABY_TIME_POINTS),
            a.assessed_on.between(filters.period.start, filters.period.end),
            a.within_normal_range.is_not(None),
        )
        .group_by(*groups, a.instrument, a.time_point)
    )
    counts, key, order = _breakdown_key(pd.read_sql(stmt, conn), by)
    return _split(
        counts,
        [*key, "instrument", "time_point"],
        {**order, "instrument": BABY_INSTRUMENTS, "time_point": BABY_TIME_POINTS},
        part="babies_within",
        total="babies_assessed",
        name="normal_range",
        codes=NORMAL_RANGE,
        value="babies",
    )


def babies_within_normal_range(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """Babies assessed in the period on each ASQ-3 domain and on ASQ:SE-2 at 12 and 24 months,
    split into within and outside the normal range: normal_range, instrument, time_point, babies,
    babies_assessed (the denominator: assessments with a result recorded), share. An assessment
    with no date or no result is not counted; an instrument and time point with no assessment is
    not listed."""
    return _babies(conn, scope, filters, None)


def babies_within_normal_range_by_site(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """As babies_within_normal_range, for each site with a baby assessed in the period:
    normal_range, site, instrument, time_point, babies, babies_assessed, share."""
    return _babies(conn, scope, filters, SITE)


def babies_within_normal_range_by_cohort(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """As babies_within_normal_range, by the family's enrolment cohort (financial year, e.g.
    '2023/24'): normal_range, cohort, instrument, time_point, babies, babies_assessed, share."""
    return _babies(conn, scope, filters, COHORT)


# --- Parents' wellbeing (CORE-10) -------------------------------------------------------------


def _wellbeing_pairs(
    conn: Connection, scope: Scope, filters: Filters, by: str | None
) -> tuple[pd.DataFrame, list[str], dict[str, tuple[Hashable, ...]]]:
    """Parents with a CORE-10 score at entry and at a later time point assessed in the period, by
    the breakdown, role and later time point: parents, mean_entry, mean_later, mean_change
    (later − entry), reliable_improvement (parents whose score fell by RELIABLE_IMPROVEMENT_POINTS
    or more). Also the breakdown's key and order (see _breakdown_key)."""
    entry, later = assessments.alias("entry"), assessments.alias("later")
    fall = entry.c.score - later.c.score
    groups = _breakdown_columns(by)
    stmt = (
        select(
            *groups,
            parents.c.role.label("parent_role"),
            later.c.time_point,
            func.count().label("parents"),
            func.avg(entry.c.score).label("mean_entry"),
            func.avg(later.c.score).label("mean_later"),
            func.avg(later.c.score - entry.c.score).label("mean_change"),
            func.count(case((fall >= RELIABLE_IMPROVEMENT_POINTS, 1))).label("reliable_improvement"),
        )
        .select_from(
            later.join(
                entry,
                and_(
                    entry.c.parent_id == later.c.parent_id,
                    entry.c.instrument == "core10",
                    entry.c.time_point == "entry",
                ),
            )
            .join(parents, parents.c.parent_id == later.c.parent_id)
            .join(families, families.c.family_id == parents.c.family_id)
            .join(sites, sites.c.site_id == families.c.site_id)
        )
        .where(
            site_condition(families.c.site_id, scope, filters),
            later.c.subject == "parent",
            later.c.instrument == "core10",
            later.c.time_point.in_(LATER_TIME_POINTS),
            later.c.assessed_on.between(filters.period.start, filters.period.end),
            later.c.score.is_not(None),
            entry.c.score.is_not(None),
        )
        .group_by(*groups, parents.c.role, later.c.time_point)
    )
    frame, key, order = _breakdown_key(pd.read_sql(stmt, conn), by)
    for column in ("mean_entry", "mean_later", "mean_change"):
        frame[column] = frame[column].astype(float)
    return _order(frame, {**order, "parent_role": PARENT_ROLES, "time_point": LATER_TIME_POINTS}), key, order


def _wellbeing_change(conn: Connection, scope: Scope, filters: Filters, by: str | None) -> pd.DataFrame:
    frame, key, _ = _wellbeing_pairs(conn, scope, filters, by)
    return _cohorts_named(
        frame[[*key, "parent_role", "time_point", "parents", "mean_entry", "mean_later", "mean_change"]]
    )


def parent_wellbeing_change(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """CORE-10 change from entry for parents with a score at entry and at a later time point
    (birth, 12 or 24 months) assessed in the period, by role and later time point: parent_role,
    time_point, parents, mean_entry, mean_later, mean_change (later − entry: below 0 is less
    distress). A parent with no later score, or no entry score, is not counted."""
    return _wellbeing_change(conn, scope, filters, None)


def parent_wellbeing_change_by_site(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """As parent_wellbeing_change, for each site: site, parent_role, time_point, parents,
    mean_entry, mean_later, mean_change."""
    return _wellbeing_change(conn, scope, filters, SITE)


def parent_wellbeing_change_by_cohort(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """As parent_wellbeing_change, by the family's enrolment cohort (e.g. '2023/24'): cohort,
    parent_role, time_point, parents, mean_entry, mean_later, mean_change."""
    return _wellbeing_change(conn, scope, filters, COHORT)


def _reliable_improvement(conn: Connection, scope: Scope, filters: Filters, by: str | None) -> pd.DataFrame:
    frame, key, order = _wellbeing_pairs(conn, scope, filters, by)
    return _split(
        frame.rename(columns={"parents": "parents_with_both"}),
        [*key, "parent_role", "time_point"],
        {**order, "parent_role": PARENT_ROLES, "time_point": LATER_TIME_POINTS},
        part="reliable_improvement",
        total="parents_with_both",
        name="improvement",
        codes=IMPROVEMENT,
        value="parents",
    )


def parent_reliable_improvement(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """The parents of parent_wellbeing_change split into those whose CORE-10 score fell by 6 points
    or more from entry (reliable improvement) and the rest: improvement, parent_role, time_point,
    parents, parents_with_both (the denominator), share."""
    return _reliable_improvement(conn, scope, filters, None)


def parent_reliable_improvement_by_site(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """As parent_reliable_improvement, for each site: improvement, site, parent_role, time_point,
    parents, parents_with_both, share."""
    return _reliable_improvement(conn, scope, filters, SITE)


def parent_reliable_improvement_by_cohort(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """As parent_reliable_improvement, by the family's enrolment cohort (e.g. '2023/24'):
    improvement, cohort, parent_role, time_point, parents, parents_with_both, share."""
    return _reliable_improvement(conn, scope, filters, COHORT)
