"""The sidebar's filters, held in the page URL so a view can be shared: the period and the sites."""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard.shell.case_filters import apply_pending_drill
from queries.periods import Period, financial_year_of, fy_label
from queries.scope import Filters

PERIOD_KINDS = {
    "Financial year": "financial_year",
    "Quarter": "quarter",
    "Month": "month",
    "Custom range": "custom",
}
# Trustees and commissioners choose whole financial years and quarters: published statistics'
# periods. Months and ranges of their choosing (down to a day) would let differences between
# overlapping periods narrow a small count far more than any one figure does (docs/privacy.md).
PROTECTED_PERIOD_KINDS = ("Financial year", "Quarter")


class ImpossiblePeriod(ValueError):
    """The custom range cannot be a period (its end is before its start)."""


def _financial_years(first: date, last: date) -> list[int]:
    return list(range(financial_year_of(last), financial_year_of(first) - 1, -1))


def _choose_period(first_data: date, data_as_at: date, kinds: tuple[str, ...]) -> Period:
    bar = st.sidebar
    kind = PERIOD_KINDS[bar.radio("Period", list(kinds), key="period", bind="query-params", horizontal=True)]
    years = _financial_years(first_data, data_as_at)
    if kind == "financial_year":
        years_by_label = {fy_label(y): y for y in years}
        chosen = bar.selectbox("Financial year (April to March)", list(years_by_label), key="fy", bind="query-params")
        return Period.financial_year(years_by_label[chosen])
    if kind == "quarter":
        labels: dict[str, Period] = {
            f"{fy_label(y)} Q{q}": Period.quarter(y, q)
            for y in years
            for q in (4, 3, 2, 1)
            if Period.quarter(y, q).start <= data_as_at
        }
        chosen = bar.selectbox("Quarter of the financial year", list(labels), key="quarter", bind="query-params")
        return labels[chosen]
    if kind == "month":
        months, cursor = [], Period.month(data_as_at.year, data_as_at.month)
        while cursor.end >= first_data:
            months.append(cursor)
            cursor = cursor.previous()
        labels = {p.label: p for p in months}
        chosen = bar.selectbox("Month", list(labels), key="month", bind="query-params")
        return labels[chosen]
    start = bar.date_input(
        "From", value=Period.financial_year(years[0]).start, key="from", bind="query-params", format="DD/MM/YYYY"
    )
    end = bar.date_input("To", value=data_as_at, key="to", bind="query-params", format="DD/MM/YYYY")
    if end < start:
        raise ImpossiblePeriod(
            f"The custom range ends on {end:%d %B %Y}, before it starts on {start:%d %B %Y}. "
            "Choose an end date on or after the start date."
        )
    return Period.custom(start, end)


def sidebar_filters(
    site_names: dict[int, str], first_data: date, data_as_at: date, *, protected: bool = False
) -> Filters:
    """Draw the period and site filters and return what they select (raises ImpossiblePeriod).
    A `protected` viewer (trustee, commissioner) chooses among PROTECTED_PERIOD_KINDS only."""
    apply_pending_drill(set(site_names.values()))
    period = _choose_period(first_data, data_as_at, PROTECTED_PERIOD_KINDS if protected else tuple(PERIOD_KINDS))
    ids_by_name = {name: site_id for site_id, name in site_names.items()}
    chosen = st.sidebar.multiselect(
        "Sites",
        list(ids_by_name),
        key="sites",
        bind="query-params",
        placeholder="All sites",
        help="Leave empty to include every site you can see.",
    )
    return Filters(period, frozenset(ids_by_name[name] for name in chosen))
