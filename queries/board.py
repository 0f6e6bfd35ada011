"""Board pack: the figures that compare sites with one another on a funnel plot.

The board pack's other figures (monthly trends, quarter headlines) come from the views' own
queries, so a number in the board pack is the same number the view shows.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import ColumnElement, Connection, FunctionFilter, and_, exists, func, select

from queries.caseloads import active_between
from queries.schema import (
    PARTNER_ROLES,
    families,
    parents,
    safeguarding_events,
    sessions,
    sites,
)
from queries.scope import Filters, Scope, site_condition


def site_comparison(conn: Connection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """For each site with a family active in the period (enrolled by its end, not exited before
    its start): families_active; with_co_parent, those of them with a father or co-parent on the
    programme; co_parent_attended, those whose father or co-parent attended a session in the
    period; escalated, those with a safeguarding escalation raised in the period.
    Columns: site, families_active, with_co_parent, co_parent_attended, escalated."""
    start, end = filters.period.start, filters.period.end
    co_parent = and_(parents.c.family_id == families.c.family_id, parents.c.role.in_(PARTNER_ROLES))
    has_co_parent = exists().where(co_parent)
    co_parent_attended = exists().where(
        co_parent,
        sessions.c.parent_id == parents.c.parent_id,
        sessions.c.status == "attended",
        sessions.c.session_on.between(start, end),
    )
    escalated = exists().where(
        safeguarding_events.c.family_id == families.c.family_id, safeguarding_events.c.raised_on.between(start, end)
    )

    def families_where(condition: ColumnElement[bool]) -> FunctionFilter[int]:
        return func.count(families.c.family_id).filter(condition)

    stmt = (
        select(
            sites.c.name.label("site"),
            func.count(families.c.family_id).label("families_active"),
            families_where(has_co_parent).label("with_co_parent"),
            families_where(co_parent_attended).label("co_parent_attended"),
            families_where(escalated).label("escalated"),
        )
        .select_from(families.join(sites, sites.c.site_id == families.c.site_id))
        .where(site_condition(families.c.site_id, scope, filters), active_between(start, end))
        .group_by(sites.c.name)
        .order_by(sites.c.name)
    )
    counts = ["families_active", "with_co_parent", "co_parent_attended", "escalated"]
    return pd.read_sql(stmt, conn).astype({column: "int64" for column in counts})
