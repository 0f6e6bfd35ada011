"""Case timeline: one case's history by month (leadership only; every opening audited)."""

import pandas as pd
import streamlit as st

from dashboard.shell import context, drilldown
from dashboard.viz import charts
from dashboard.words import labels
from dashboard.words.definitions import cases as definitions

view = context.current()
st.title("Case timeline")
st.caption(definitions.PRIVACY)
code = (
    st.text_input(
        "Case code",
        key="case",
        bind="query-params",
        placeholder="for example ABCD-EFGH",
        help="Open a case from the case list, or type its code.",
    )
    .strip()
    .upper()
)
if not code:
    st.info("Choose a case from the case list, or type its code.", icon=":material/info:")
    st.stop()

parts = drilldown.opened(drilldown.case_timeline, view, code)
if not parts:
    st.warning(f"No case with the code {code} at the sites you can see.", icon=":material/search_off:")
    st.stop()

st.caption(definitions.TIMELINE)
summary = parts["summary"].iloc[0]
events = [
    ("Referred", summary["referred"]),
    ("Enrolled", summary["enrolled"]),
    ("Due", summary["due"]),
    ("Born", summary["born"]),
    ("Left the programme", summary["exited"]),
]
for column, (label, month) in zip(st.columns(len(events)), events):
    column.metric(label, month or "–", border=True)
weeks = int(summary["gestation_weeks"]) if pd.notna(summary["gestation_weeks"]) else "–"
st.markdown(
    f"**Site:** {summary['site']} · **Referred by:** {labels.SOURCE.get(summary['source'], '–')} · "
    f"**Weeks of pregnancy at referral:** {weeks}"
    + (
        f" · **Exit reason:** {labels.MOVEMENT.get(summary['exit_reason'], summary['exit_reason'])}"
        if summary["exit_reason"]
        else ""
    )
)

st.subheader("Parents")
st.dataframe(
    labels.in_words(parts["parents"]).rename(columns={"parent_role": "Parent", "age_band": "Age band"}), hide_index=True
)

st.subheader("Sessions each month")
sessions = labels.in_words(parts["sessions"])
if sessions.empty:
    st.info("No sessions recorded.", icon=":material/info:")
else:
    by_status = sessions.groupby(["month", "status"], as_index=False)[["sessions"]].sum()
    st.plotly_chart(
        charts.bars(
            by_status,
            x="month",
            y="sessions",
            colour="status",
            colours=charts.SESSION_STATUS_COLOURS,
            axis_titles=("Month", "Sessions"),
        ),
        width="stretch",
        theme=None,
        config={"displaylogo": False},
    )
    st.dataframe(
        sessions.rename(
            columns={
                "month": "Month",
                "parent_role": "Parent",
                "session_type": "Type",
                "status": "Status",
                "sessions": "Sessions",
            }
        ),
        hide_index=True,
        width="stretch",
    )

for key, title, columns in (
    (
        "escalations",
        "Safeguarding escalations",
        {
            "raised": "Raised",
            "escalation_level": "Level",
            "concern_type": "Concern",
            "reviewed": "Reviewed by the DSL",
            "resolved": "Resolved",
            "outcome": "Outcome",
        },
    ),
    (
        "social_care",
        "Social-care status",
        {"time_point": "Time point", "social_care_level": "Level", "recorded": "Recorded"},
    ),
    (
        "assessments",
        "Assessments",
        {
            "subject": "Who",
            "instrument": "Measure",
            "time_point": "Time point",
            "assessed": "Assessed",
            "within_normal_range": "Within the normal range",
        },
    ),
):
    st.subheader(title)
    table = parts[key]
    if table.empty:
        st.info("None recorded.", icon=":material/info:")
    else:
        st.dataframe(
            labels.in_words(table, {"subject": {**labels.PARENT_ROLE, "baby": "Baby"}}).rename(columns=columns),
            hide_index=True,
            width="stretch",
        )
