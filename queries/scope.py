"""Who is asking (Scope) and what they asked for (Filters), applied in SQL.

Every query takes both. A scope's sites bound what any filter can select, so a
commissioner's site filter can only narrow within the sites they commission.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from sqlalchemy import ColumnElement, false, true

from queries.periods import Period

Role = Literal["leadership", "trustee", "commissioner"]
ROLES: tuple[Role, ...] = ("leadership", "trustee", "commissioner")


@dataclass(frozen=True)
class Scope:
    """The caller's role and the sites they may see (None: every site)."""

    role: Role
    site_ids: frozenset[int] | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"Unknown role {self.role!r}.")
        if self.role == "commissioner" and not self.site_ids:
            raise ValueError("A commissioner's scope must name the sites they commission.")

    @classmethod
    def leadership(cls) -> Scope:
        return cls("leadership")


@dataclass(frozen=True)
class Filters:
    """The period and the sites a page is filtered to (no sites chosen: every site in scope)."""

    period: Period
    site_ids: frozenset[int] = field(default_factory=frozenset)

    def with_period(self, period: Period) -> Filters:
        return Filters(period, self.site_ids)


# For questions that are not about a period (which sites exist): the scope alone applies.
NO_SITE_FILTER = Filters(Period.custom(date.min, date.max))


def visible_sites(scope: Scope, filters: Filters) -> frozenset[int] | None:
    """The sites a query may read: the filter's choice within the scope (None: no restriction)."""
    if not isinstance(scope, Scope) or not isinstance(filters, Filters):
        raise TypeError("Every query needs the caller's Scope and the page's Filters.")
    if scope.site_ids is None:
        return filters.site_ids or None
    if not filters.site_ids:
        return scope.site_ids
    return scope.site_ids & filters.site_ids


def site_condition(site_column: ColumnElement[int], scope: Scope, filters: Filters) -> ColumnElement[bool]:
    """A WHERE clause keeping rows of the sites this caller may see and asked for."""
    sites = visible_sites(scope, filters)
    if sites is None:
        return true()
    if not sites:
        return false()
    return site_column.in_(sorted(sites))
