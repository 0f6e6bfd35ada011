"""Entry point: `streamlit run dashboard/app.py`.

Opens the case database (the demo one, generated on first run, when DATABASE_URL
is unset), draws the shared sidebar and runs the chosen page.
"""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run dashboard/app.py` puts dashboard/ on the path, not the project root.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from sqlalchemy.exc import DBAPIError  # noqa: E402

from dashboard import case_database, context, messages  # noqa: E402
from dashboard.db import DatabaseProblem, configured_url  # noqa: E402
from dashboard.filters import ImpossiblePeriod, sidebar_filters  # noqa: E402
from queries.scope import Scope  # noqa: E402

PAGES = ROOT / "pages"

st.set_page_config(page_title="For Baby's Sake · Programme monitoring", page_icon=":material/child_care:",
                   layout="wide")

try:
    url = configured_url() or case_database.demo_database_url()
    summary = case_database.database_summary(url)
except DatabaseProblem as problem:
    messages.show_database_problem(problem)
    st.stop()

# Until sign-in exists every viewer is senior leadership, with every site in scope.
scope = Scope.leadership()
site_names = case_database.site_names(url, scope)

st.sidebar.title("For Baby's Sake")
st.sidebar.caption("Programme monitoring")
try:
    filters = sidebar_filters(site_names, summary.first_referral, summary.data_as_at)
except ImpossiblePeriod as impossible:
    st.title("Choose a period")
    st.error(str(impossible), icon=":material/event_busy:")
    st.stop()

if summary.synthetic:
    messages.show_synthetic_banner()

context.set_current(context.PageContext(
    database_url=url,
    scope=scope,
    filters=filters,
    data_as_at=summary.data_as_at,
    synthetic=summary.synthetic,
    site_names=site_names,
))

navigation = st.navigation([
    st.Page(PAGES / "overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page(PAGES / "referrals.py", title="Referral sources", icon=":material/call_received:"),
    st.Page(PAGES / "caseloads.py", title="Site caseloads", icon=":material/groups:"),
])
try:
    navigation.run()
except DBAPIError:
    # The database went away (or changed) after the shell checked it.
    st.cache_data.clear()
    messages.show_database_problem(DatabaseProblem(
        "The case database stopped answering while this page was being drawn.",
        advice="Reload the page in a minute; if it persists, check the database server.",
    ))
