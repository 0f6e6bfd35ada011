"""Entry point: `streamlit run dashboard/app.py`.

Opens the case database (the demo one, generated on first run, when DATABASE_URL is unset),
signs the viewer in, builds their scope and navigation, draws the shared sidebar and runs the
chosen page.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

# `streamlit run dashboard/app.py` puts dashboard/ on the path, not the project root.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from sqlalchemy.exc import DBAPIError  # noqa: E402

from dashboard import auth, case_database, context, messages, navigation  # noqa: E402
from dashboard.db import configured_url  # noqa: E402
from dashboard.disclosure import THRESHOLD_SETTING, DisclosureRule, threshold_from  # noqa: E402
from dashboard.filters import ImpossiblePeriod, sidebar_filters  # noqa: E402
from dashboard.preview import choose_preview, show_preview_banner  # noqa: E402
from dashboard.problems import DatabaseProblem, Problem  # noqa: E402
from dashboard.sign_in import sign_in_form  # noqa: E402

ROLE_NAMES = {"leadership": "Senior leadership", "trustee": "Trustee", "commissioner": "Commissioner"}


@st.cache_resource(show_spinner=False)
def leave_the_imports_out_of_garbage_collection() -> bool:
    """Once per server: the modules imported by now (Plotly's thousands of classes, pandas,
    SQLAlchemy, Streamlit) live as long as the server, yet every full garbage collection walked
    them all again: a pause of 0.1-0.17 s in most first renders at scale. Frozen, a collection
    walks only what the pages made. Frozen objects are still freed when nothing refers to them;
    only cycles among them are not. So what is garbage already is collected first: what stays
    frozen is the modules and the first session's objects of the moment, once."""
    gc.collect()
    gc.freeze()
    return True


leave_the_imports_out_of_garbage_collection()

st.set_page_config(page_title="For Baby's Sake · Programme monitoring", page_icon=":material/child_care:",
                   layout="wide")

demo = configured_url() is None
try:
    url = configured_url() or case_database.demo_database_url()
    summary = case_database.database_summary(url)
    users = auth.load_users(demo)
    cookie_key = auth.cookie_key(demo)
    threshold = threshold_from(auth.setting(THRESHOLD_SETTING))
except Problem as problem:
    messages.show_problem(problem)
    st.stop()

auth.release_expired_lockouts(users)
auth.sign_in_from_cookie(users, cookie_key)
auth.draw_owed_cookie_change(users, cookie_key)
if auth.signed_in(users) is None or auth.cookie_change_owed():
    navigation.signed_out(lambda: sign_in_form(users, demo)).run()
    st.stop()

user = auth.signed_in(users)
try:
    scope = case_database.scope_for(url, user)
except Problem as problem:
    messages.show_problem(problem)
    st.stop()
site_names = case_database.site_names(url, scope)

st.sidebar.title("For Baby's Sake")
st.sidebar.markdown(f"Programme monitoring  \nSigned in as **{user.name}** ({ROLE_NAMES[user.role]})")
previewed = choose_preview(site_names) if user.role == "leadership" else None
if previewed is not None:
    scope, everyone = previewed, site_names
    site_names = case_database.site_names(url, scope)
views = navigation.for_role(scope.role)
disclosure = DisclosureRule.for_role(scope.role, threshold)
try:
    filters = sidebar_filters(site_names, summary.first_referral, summary.data_as_at,
                              protected=disclosure.active)
except ImpossiblePeriod as impossible:
    st.title("Choose a period")
    st.error(str(impossible), icon=":material/event_busy:")
    st.stop()
st.sidebar.button("Sign out", on_click=auth.sign_out, args=(users,))

if summary.synthetic:
    messages.show_synthetic_banner()
if previewed is not None:
    show_preview_banner(previewed, everyone)

context.set_current(context.PageContext(
    database_url=url,
    scope=scope,
    filters=filters,
    data_as_at=summary.data_as_at,
    synthetic=summary.synthetic,
    site_names=site_names,
    disclosure=disclosure,
))

try:
    views.run()
except DBAPIError:
    # The database went away (or changed) after the shell checked it.
    st.cache_data.clear()
    messages.show_problem(DatabaseProblem(
        "The case database stopped answering while this page was being drawn.",
        advice="Reload the page in a minute; if it persists, check the database server.",
    ))
