"""Case list: the open cases behind a figure, by pseudonym (leadership only; every opening audited)."""

import streamlit as st

from dashboard.shell import context, drilldown
from dashboard.shell.case_filters import case_selection
from dashboard.shell.navigation import CASE_TIMELINE
from dashboard.shell.panels import page_header
from dashboard.words import labels
from dashboard.words.definitions import cases as definitions

EXITED = "Left the programme"  # a data-quality problem's case may be closed

view = context.current()
page_header(view, "Case list", "The open cases behind a figure.")
st.caption(definitions.PRIVACY)

selection = case_selection()
if selection.check:
    st.info(definitions.CHECK_CASES, icon=":material/rule:")

rows = drilldown.opened(drilldown.case_list, view, selection)

st.subheader(f"{len(rows):,} {'cases' if selection.check else 'open cases'}")
st.caption(definitions.CASE_LIST)
shown = labels.in_words(rows, {"stage": {**labels.STAGE, "exited": EXITED}}).rename(
    columns={
        "case": "Case",
        "site": "Site",
        "stage": "Stage",
        "months_in_programme": "Months in programme",
        "mother_engagement": "Mother",
        "father_engagement": "Father or co-parent",
        "sessions_attended_90_days": "Sessions attended, last 90 days",
        "open_escalation": "Open escalation",
        "social_care_level": "Social care now",
    }
)
chosen = st.dataframe(
    shown, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row", key="case_rows"
)
if chosen.selection.rows:
    # The timeline's case box is not drawn yet in this run, so it can take the code directly;
    # the filters live in bound widgets, which put them back in the URL on the next run.
    st.session_state["case"] = shown.iloc[chosen.selection.rows[0]]["Case"]
    del st.session_state["case_rows"]  # so coming back to the list does not open it again
    st.switch_page(CASE_TIMELINE, query_params={})
