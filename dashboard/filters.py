"""The shared filters, held in the page URL so a view can be shared: the sidebar's period and
sites, and the case list's own filters, which a figure sets when it drills to the cases behind it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from dashboard import labels
from dashboard.navigation import CASE_LIST
from queries.cases import CaseSelection
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


# Words for who of a family's parents is engaged now (queries.cases.ENGAGED).
ENGAGED_WORDS = {"both": "Both parents", "mother": "Mother only",
                 "father_or_co_parent": "Father or co-parent only", "neither": "Neither parent"}


@dataclass(frozen=True)
class CaseFilter:
    """One of the case list's filters: its label, the words for "any", and words for its codes."""

    label: str
    any: str
    words: dict


# The case list's filters, keyed by the CaseSelection field they set. A figure drills to the cases
# behind it by naming these keys as columns of its table (and of its chart's custom data).
CASE_FILTERS = {
    "stage": CaseFilter("Stage", "Any stage", labels.STAGE),
    "engaged": CaseFilter("Engaged now", "Any", ENGAGED_WORDS),
    "open_escalation": CaseFilter("Open escalation", "Any", {True: "Yes", False: "No"}),
    "escalation_level": CaseFilter("Open escalation at level", "Any level", labels.ESCALATION_LEVEL),
    "social_care_level": CaseFilter("Social care now", "Any", labels.SOCIAL_CARE_LEVEL),
    "source": CaseFilter("Referred in the period by", "Any source", labels.SOURCE),
    "check": CaseFilter("Data quality problem", "None chosen", labels.CHECK),
}
FILTERS_PER_ROW = 4


def case_selection() -> CaseSelection:
    """Draw the case list's filters (held in the page URL) and return what they select."""
    chosen = {}
    columns = st.columns(FILTERS_PER_ROW)
    for place, (key, choice) in enumerate(CASE_FILTERS.items()):
        words = columns[place % FILTERS_PER_ROW].selectbox(
            choice.label, [choice.any, *choice.words.values()], key=key, bind="query-params")
        chosen[key] = next((code for code, w in choice.words.items() if w == words), None)
    return CaseSelection(**chosen)


PENDING_DRILL = "_pending_drill"


def open_case_list(chosen: dict[str, str]) -> None:
    """Open the case list behind a bar, point or table row: `chosen` holds its site and case-list
    filters (CASE_FILTERS keys) in words. Bound widgets cannot be changed once drawn in this run,
    so the sidebar applies the drill before drawing them on the next."""
    st.session_state[PENDING_DRILL] = dict(chosen)
    # The case list's filters go in its URL as well, so the link can be shared: its widgets are
    # not drawn here (so not bound yet), and a widget new to a run does not write a value set
    # through session state into the URL. The sidebar's bound filters put theirs back themselves.
    st.switch_page(CASE_LIST, query_params={key: value for key, value in chosen.items() if key in CASE_FILTERS})


def _apply_pending_drill(site_names: set[str]) -> None:
    drill = st.session_state.pop(PENDING_DRILL, None)
    if drill is None:
        return
    if drill.get("site") in site_names:
        st.session_state["sites"] = [drill["site"]]
    # Every case-list filter is set, so none chosen on an earlier visit narrows this drill.
    for key, choice in CASE_FILTERS.items():
        st.session_state[key] = drill[key] if drill.get(key) in choice.words.values() else choice.any


class ImpossiblePeriod(ValueError):
    """The custom range cannot be a period (its end is before its start)."""


def _financial_years(first: date, last: date) -> list[int]:
    return list(range(financial_year_of(last), financial_year_of(first) - 1, -1))


def _choose_period(first_data: date, data_as_at: date, kinds: tuple[str, ...]) -> Period:
    bar = st.sidebar
    kind = PERIOD_KINDS[bar.radio("Period", list(kinds), key="period", bind="query-params", horizontal=True)]
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


def sidebar_filters(site_names: dict[int, str], first_data: date, data_as_at: date, *,
                    protected: bool = False) -> Filters:
    """Draw the period and site filters and return what they select (raises ImpossiblePeriod).
    A `protected` viewer (trustee, commissioner) chooses among PROTECTED_PERIOD_KINDS only."""
    _apply_pending_drill(set(site_names.values()))
    period = _choose_period(first_data, data_as_at, PROTECTED_PERIOD_KINDS if protected else tuple(PERIOD_KINDS))
    ids_by_name = {name: site_id for site_id, name in site_names.items()}
    chosen = st.sidebar.multiselect(
        "Sites", list(ids_by_name), key="sites", bind="query-params",
        placeholder="All sites", help="Leave empty to include every site you can see.",
    )
    return Filters(period, frozenset(ids_by_name[name] for name in chosen))
