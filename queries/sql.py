"""Small SQL building blocks that read the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Date, Select, String, and_, false, func, literal, select, true, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import FunctionElement, Subquery

from queries.schema import sites
from queries.scope import Filters, Scope, site_condition


class month_start(FunctionElement[str]):
    """The first day of a date's month, as 'YYYY-MM-01' text on every dialect."""

    type = String()
    inherit_cache = True


@compiles(month_start)
def _month_start_default(element: month_start, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite keeps a date as 'YYYY-MM-DD' text: cutting it is much quicker than strftime's parsing,
    # which counts when millions of sessions are grouped by month.
    return f"(substr({compiler.process(element.clauses, **kw)}, 1, 7) || '-01')"


@compiles(month_start, "postgresql")
def _month_start_postgresql(element: month_start, compiler: SQLCompiler, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM-01')"


class days_between(FunctionElement[int]):
    """Whole days from the first date to the second (negative when the second is earlier)."""

    inherit_cache = True


@compiles(days_between)
def _days_between_default(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    first, second = list(element.clauses)
    return f"CAST(julianday({compiler.process(second, **kw)}) - julianday({compiler.process(first, **kw)}) AS INTEGER)"


@compiles(days_between, "postgresql")
def _days_between_postgresql(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    first, second = list(element.clauses)
    return f"({compiler.process(second, **kw)} - {compiler.process(first, **kw)})"


class add_days(FunctionElement[date]):
    """A date plus a whole number of days (negative to go back), comparable with date columns."""

    type = Date()
    inherit_cache = True


@compiles(add_days)
def _add_days_default(element: add_days, compiler: SQLCompiler, **kw: Any) -> str:
    day, days = list(element.clauses)
    return f"date({compiler.process(day, **kw)}, printf('%+d days', {compiler.process(days, **kw)}))"


@compiles(add_days, "postgresql")
def _add_days_postgresql(element: add_days, compiler: SQLCompiler, **kw: Any) -> str:
    day, days = list(element.clauses)
    return f"(CAST({compiler.process(day, **kw)} AS DATE) + CAST({compiler.process(days, **kw)} AS INTEGER))"


def months_table(first: date, last: date) -> Subquery:
    """One row per calendar month touching [first, last]: month (text), month_first, month_last."""
    starts = pd.date_range(first.replace(day=1), last, freq="MS")
    rows = [
        select(
            literal(start.strftime("%Y-%m-%d"), String).label("month"),
            literal(start.date(), Date).label("month_first"),
            literal((start + pd.offsets.MonthEnd(0)).date(), Date).label("month_last"),
        )
        for start in starts
    ]
    if not rows:  # a period starting after the data end (a custom range): no month, no row
        rows = [
            select(
                literal("", String).label("month"),
                literal(first, Date).label("month_first"),
                literal(first, Date).label("month_last"),
            ).where(false())
        ]
    return union_all(*rows).subquery("months")


def every_site_and_month(counted: Subquery, last: date, scope: Scope, filters: Filters) -> Select[*tuple[Any, ...]]:
    """Every site asked for and every month of the period up to `last` (the data-as-at date, if
    earlier than the period's end), with the counts of `counted` (grouped by month, as month_start
    text, and site_id) beside them, 0 where it has no row: month, site, then counted's other
    columns, by month and site name."""
    months = months_table(filters.period.start, last)
    counts = [
        func.coalesce(column, 0).label(column.name) for column in counted.c if column.name not in ("month", "site_id")
    ]
    return (
        select(months.c.month, sites.c.name.label("site"), *counts)
        .select_from(
            months.join(sites, true()).outerjoin(
                counted, and_(counted.c.month == months.c.month, counted.c.site_id == sites.c.site_id)
            )
        )
        .where(site_condition(sites.c.site_id, scope, filters))
        .order_by(months.c.month, sites.c.name)
    )


def as_month(frame: pd.DataFrame, name: str = "month") -> pd.DataFrame:
    """Turn a 'YYYY-MM-01' text column into datetimes, for charts and CSVs alike."""
    frame[name] = pd.to_datetime(frame[name])
    return frame
