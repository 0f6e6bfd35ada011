"""Overview: the headline figures for the selected period and sites, with change on the previous period."""

import streamlit as st

from dashboard import context
from dashboard.definitions.overview import HEADLINE
from dashboard.panels import count_text, page_header
from queries import overview

view = context.current()
previous = view.filters.period.comparison(view.data_as_at)

page_header(view, "Overview", "The programme's headline figures for the period.")

now = view.query(overview.headline_figures).iloc[0]
before = view.query(overview.headline_figures, view.filters.with_period(previous)).iloc[0]

for column, measure in zip(st.columns(len(HEADLINE)), HEADLINE):
    value, earlier = int(now[measure.column]), int(before[measure.column])
    # A change is only shown when both counts it comes from may be seen.
    hidden = view.disclosure.hides_count(value) or view.disclosure.hides_count(earlier)
    column.metric(measure.label, count_text(view, value), delta=None if hidden else f"{value - earlier:+,}",
                  delta_color="off", help=measure.definition, border=True)
if previous == view.filters.period.previous():
    st.caption(f"Change shown against the previous period: {previous.label}.")
else:
    st.caption(f"Change shown against the same part of the previous period, {previous.label}, "
               "because this period is still running.")

with st.expander("How these figures are defined"):
    for measure in HEADLINE:
        st.markdown(f"**{measure.label}**: {measure.definition}")
