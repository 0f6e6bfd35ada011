"""The shared sidebar filters: period and sites, held in the page URL so a view can be shared."""

from __future__ import annotations

from datetime import date

import streamlit as st

from queries.periods import Period, financial_year_of, fy_label
from queries.scope import Filters

PERIOD_KINDS = {
    "Financial year": "financial_year",
    "Quarter": "quarter",
    "Month": "month",
    "Custom range": "custom",
}


PENDING_DRILL = "_pending_drill"


def drill_to_cases(site: str | None, stage: str | None) -> None:
    """Ask for the case list of one site (and stage) on the next run. Bound widgets cannot be
    changed once drawn in this run, so the sidebar applies it before drawing them next time."""
    st.session_state[PENDING_DRILL] = {"site": site, "stage": stage}


def _apply_pending_drill() -> None:
    drill = st.session_state.pop(PENDING_DRILL, None)
    if drill:
        if drill["site"]:
            st.session_state["sites"] = [drill["site"]]
        st.session_state["stage"] = drill["stage"] or "Any stage"


class ImpossiblePeriod(ValueError):
    """The custom range cannot be a period (its end is before its start)."""


def _financial_years(first: date, last: date) -> list[int]:
    return list(range(financial_year_of(last), financial_year_of(first) - 1, -1))


def _choose_period(first_data: date, data_as_at: date) -> Period:
    bar = st.sidebar
    kind = PERIOD_KINDS[
        bar.radio("Period", list(PERIOD_KINDS), key="period", bind="query-params", horizontal=True)
    ]
    years = _financial_years(first_data, data_as_at)
    if kind == "financial_year":
        labels = {fy_label(y): y for y in years}
        chosen = bar.selectbox("Financial year (April to March)", list(labels), key="fy", bind="query-params")
        return Period.financial_year(labels[chosen])
    if kind == "quarter":
        labels = {f"{fy_label(y)} Q{q}": Period.quarter(y, q) for y in years for q in (4, 3, 2, 1)
                  if Period.quarter(y, q).start <= data_as_at}
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
    start = bar.date_input("From", value=Period.financial_year(years[0]).start, key="from",
                           bind="query-params", format="DD/MM/YYYY")
    end = bar.date_input("To", value=data_as_at, key="to", bind="query-params", format="DD/MM/YYYY")
    if end < start:
        raise ImpossiblePeriod(
            f"The custom range ends on {end:%d %B %Y}, before it starts on {start:%d %B %Y}. "
            "Choose an end date on or after the start date."
        )
    return Period.custom(start, end)


def sidebar_filters(site_names: dict[int, str], first_data: date, data_as_at: date) -> Filters:
    """Draw the period and site filters and return what they select (raises ImpossiblePeriod)."""
    _apply_pending_drill()
    period = _choose_period(first_data, data_as_at)
    ids_by_name = {name: site_id for site_id, name in site_names.items()}
    chosen = st.sidebar.multiselect(
        "Sites", list(ids_by_name), key="sites", bind="query-params",
        placeholder="All sites", help="Leave empty to include every site you can see.",
    )
    return Filters(period, frozenset(ids_by_name[name] for name in chosen))
