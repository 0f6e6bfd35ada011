"""The case list's own filters, held in the page URL, and the drill from a figure to the cases
behind it, which sets them (and the sidebar's sites) on the next run."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard.shell.navigation import CASE_LIST
from dashboard.words import labels
from queries.cases import CaseSelection


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
    "engaged": CaseFilter("Engaged now", "Any", labels.ENGAGED),
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
            choice.label, [choice.any, *choice.words.values()], key=key, bind="query-params"
        )
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


def apply_pending_drill(site_names: set[str]) -> None:
    """Before the sidebar draws its bound filters: set them, and the case list's, to a drill
    made on the previous run (open_case_list)."""
    drill = st.session_state.pop(PENDING_DRILL, None)
    if drill is None:
        return
    if drill.get("site") in site_names:
        st.session_state["sites"] = [drill["site"]]
    # Every case-list filter is set, so none chosen on an earlier visit narrows this drill.
    for key, choice in CASE_FILTERS.items():
        st.session_state[key] = drill[key] if drill.get(key) in choice.words.values() else choice.any
