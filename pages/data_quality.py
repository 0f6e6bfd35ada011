"""Data quality (leadership only): records with missing or impossible values, by check and site."""

import pandas as pd
import streamlit as st

from dashboard.figures.data_quality import problems_by_check
from dashboard.shell import context
from dashboard.shell.panels import declared_panel, page_header
from dashboard.words import labels
from dashboard.words.definitions import data_quality as definitions

view = context.current()
page_header(
    view,
    "Data quality",
    "Records with missing or impossible values that would distort the dashboard's figures. "
    "Every record of these sites is checked, whatever its date: the period does not apply.",
)

problems = view.query(problems_by_check(True).query)
no_problems = not problems.empty and problems["records"].sum() == 0
if no_problems:
    st.success("No problems found: every record of these sites passes every check.", icon=":material/check_circle:")
figure = problems_by_check(not no_problems)
declared_panel(view, figure, figure.prepare(problems))

st.subheader("What each check counts")
st.dataframe(
    pd.DataFrame(
        {
            "Check": labels.CHECK.values(),
            "What it counts": [definitions.DATA_QUALITY_CHECKS[code] for code in labels.CHECK],
        }
    ),
    hide_index=True,
    width="stretch",
)
