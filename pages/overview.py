"""Overview: the headline figures for the selected period and sites, with change on the previous period."""

import streamlit as st

from dashboard import context
from dashboard.definitions import DATA_AS_AT, HEADLINE
from queries import overview

view = context.current()
period = view.filters.period
previous = period.previous()

st.title("Overview")
st.markdown(f"**{period.label}** · {view.sites_label}")
st.caption(f"Data as at {view.data_as_at:%d %B %Y}", help=DATA_AS_AT)
if period.end > view.data_as_at:
    st.caption(f"This period runs past the data-as-at date: its figures are to {view.data_as_at:%d %B %Y}.")

now = view.query(overview.headline_figures).iloc[0]
before = view.query(overview.headline_figures, view.filters.with_period(previous)).iloc[0]

for column, measure in zip(st.columns(len(HEADLINE)), HEADLINE):
    value, earlier = int(now[measure.column]), int(before[measure.column])
    column.metric(measure.label, f"{value:,}", delta=f"{value - earlier:+,}", delta_color="off",
                  help=measure.definition, border=True)
st.caption(f"Change shown against the previous period: {previous.label}.")

with st.expander("How these figures are defined"):
    for measure in HEADLINE:
        st.markdown(f"**{measure.label}**: {measure.definition}")
