"""Overview: the headline figures for a period."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import ColumnElement, Connection, Select, func, or_, select

from queries.caseloads import active_between
from queries.schema import families, referrals, safeguarding_events
from queries.scope import Filters, Scope, site_condition


def headline_figures(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """One row: referrals received, families active, new enrolments, exits, open escalations."""
    start, end = filters.period.start, filters.period.end
    in_family_sites = site_condition(families.c.site_id, scope, filters)

    def count_families(*conditions: ColumnElement[bool]) -> Select[int]:
        return select(func.count()).select_from(families).where(in_family_sites, *conditions)

    referrals_received = (
        select(func.count())
        .select_from(referrals)
        .where(
            site_condition(referrals.c.site_id, scope, filters),
            referrals.c.received_on.between(start, end),
        )
    )
    families_active = count_families(active_between(start, end))
    new_enrolments = count_families(families.c.enrolled_on.between(start, end))
    exits = count_families(families.c.exit_on.between(start, end))
    open_escalations = (
        select(func.count())
        .select_from(safeguarding_events.join(families))
        .where(
            in_family_sites,
            safeguarding_events.c.raised_on <= end,
            or_(safeguarding_events.c.resolved_on.is_(None), safeguarding_events.c.resolved_on > end),
        )
    )
    stmt = select(
        referrals_received.scalar_subquery().label("referrals_received"),
        families_active.scalar_subquery().label("families_active"),
        new_enrolments.scalar_subquery().label("new_enrolments"),
        exits.scalar_subquery().label("exits"),
        open_escalations.scalar_subquery().label("open_escalations"),
    )
    return pd.read_sql(stmt, conn)
