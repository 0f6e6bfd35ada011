"""Data quality (leadership only): records with missing or impossible values, by check and site."""

from functools import partial

import pandas as pd
import streamlit as st

from dashboard.privacy.disclosure import Counts
from dashboard.shell import context
from dashboard.shell.panels import figure_panel, page_header
from dashboard.viz import charts
from dashboard.words import labels
from dashboard.words.definitions import data_quality as definitions
from queries import data_quality

view = context.current()
page_header(
    view,
    "Data quality",
    "Records with missing or impossible values that would distort the dashboard's figures. "
    "Every record of these sites is checked, whatever its date: the period does not apply.",
)

problems = view.query(data_quality.problems_by_site)
no_problems = not problems.empty and problems["records"].sum() == 0
if no_problems:
    st.success("No problems found: every record of these sites passes every check.", icon=":material/check_circle:")

figure_panel(
    view,
    "Problems by check",
    definitions.DATA_QUALITY,
    labels.in_words(problems),
    None
    if no_problems
    # bars of nothing: the table of zeros says it
    else partial(
        charts.bars,
        x="check",
        y="records",
        colour="site",
        colours=charts.site_colours(list(view.site_names.values())),
        horizontal=True,
        axis_titles=("Records", ""),
        custom_data=["site", "check"],
    ),
    columns={"site": "Site", "check": "Check", "records": "Records"},
    counts=Counts("records", ("site", "check")),
    drill_to=() if no_problems else ("site", "check"),  # the families with a record failing the check
)

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
