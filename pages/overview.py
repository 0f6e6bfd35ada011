"""Overview: the headline figures for the selected period and sites, with change on the previous period."""

import streamlit as st

from dashboard.shell import context
from dashboard.shell.panels import count_metric, page_header
from dashboard.words.definitions.overview import HEADLINE
from queries import overview

view = context.current()
previous = view.filters.period.comparison(view.data_as_at)

page_header(view, "Overview", "The programme's headline figures for the period.")

now = view.query(overview.headline_figures).iloc[0]
before = view.query(overview.headline_figures, view.filters.with_period(previous)).iloc[0]

for column, measure in zip(st.columns(len(HEADLINE)), HEADLINE):
    with column:
        count_metric(
            view, measure.label, int(now[measure.column]), measure.definition, before=int(before[measure.column])
        )
if previous == view.filters.period.previous():
    st.caption(f"Change shown against the previous period: {previous.label}.")
else:
    st.caption(
        f"Change shown against the same part of the previous period, {previous.label}, "
        "because this period is still running."
    )

with st.expander("How these figures are defined"):
    for measure in HEADLINE:
        st.markdown(f"**{measure.label}**: {measure.definition}")
