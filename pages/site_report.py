"""Site report: one site's figures for the period, laid out for printing and downloadable."""

import streamlit as st

from dashboard.reports import site_report
from dashboard.shell import context
from dashboard.shell.report_view import draw_report

view = context.current()
ids_by_name = {name: site_id for site_id, name in sorted(view.site_names.items(), key=lambda item: item[1])}
first_chosen = next((name for name, site_id in ids_by_name.items() if site_id in view.filters.site_ids), None)
name = st.selectbox(
    "Site",
    list(ids_by_name),
    index=list(ids_by_name).index(first_chosen) if first_chosen else 0,
    key="report_site",
    bind="query-params",
    help="The report covers one site, for the period chosen in the sidebar.",
)

with st.spinner("Putting the site report together…"):
    document = site_report.build(view, ids_by_name[name])
draw_report(document, key="site-report", slides=False)
