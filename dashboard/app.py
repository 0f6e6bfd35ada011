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

import streamlit as st
from sqlalchemy.exc import DBAPIError

from dashboard.access import auth, settings
from dashboard.access.scope import scope_for
from dashboard.privacy.disclosure import DisclosureRule, threshold_from
from dashboard.problems import DatabaseProblem, Problem
from dashboard.shell import case_database, context, messages, navigation
from dashboard.shell.preview import choose_preview, show_preview_banner
from dashboard.shell.sidebar import ImpossiblePeriod, sidebar_filters
from dashboard.shell.sign_in import sign_in_form
from queries.scope import Scope

ROLE_NAMES = {"leadership": "Senior leadership", "trustee": "Trustee", "commissioner": "Commissioner"}


@st.cache_resource(show_spinner=False)
def leave_the_imports_out_of_garbage_collection() -> bool:
    """Once per server: the modules imported by now (Plotly's thousands of classes, pandas,
    SQLAlchemy, Streamlit) live as long as the server, yet every full garbage collection walked
    them all again, a pause in most first renders at scale. Frozen, a collection
    walks only what the pages made. Frozen objects are still freed when nothing refers to them;
    only cycles among them are not. So what is garbage already is collected first: what stays
    frozen is the modules and the first session's objects of the moment, once."""
    gc.collect()
    gc.freeze()
    return True


leave_the_imports_out_of_garbage_collection()

st.set_page_config(
    page_title="For Baby's Sake · Programme monitoring", page_icon=":material/child_care:", layout="wide"
)

try:
    configured = settings.read()
    threshold = threshold_from(configured.suppression_threshold)
    url = configured.database_url or case_database.demo_database_url(configured.demo_database_path)
    summary = case_database.database_summary(url)
    users = auth.load_users(configured)
    cookie_key = auth.cookie_key(configured)
except Problem as problem:
    messages.show_problem(problem)
    st.stop()

auth.release_expired_lockouts(users)
auth.sign_in_from_cookie(users, cookie_key)
auth.draw_owed_cookie_change(users, cookie_key)
if auth.signed_in(users) is None or auth.cookie_change_owed():
    navigation.signed_out(lambda: sign_in_form(users, configured)).run()
    st.stop()

user = auth.signed_in(users)
assert user is not None  # just checked: signed out, the script has stopped
try:
    every_site = case_database.site_names(url, Scope.leadership())
    scope = scope_for(user, {name: site_id for site_id, name in every_site.items()})
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
    filters = sidebar_filters(site_names, summary.first_referral, summary.data_as_at, protected=disclosure.active)
except ImpossiblePeriod as impossible:
    st.title("Choose a period")
    st.error(str(impossible), icon=":material/event_busy:")
    st.stop()
st.sidebar.button("Sign out", on_click=auth.sign_out, args=(users,))

if summary.synthetic:
    messages.show_synthetic_banner()
if previewed is not None:
    show_preview_banner(previewed, everyone)

context.set_current(
    context.PageContext(
        database_url=url,
        scope=scope,
        filters=filters,
        data_as_at=summary.data_as_at,
        synthetic=summary.synthetic,
        site_names=site_names,
        disclosure=disclosure,
    )
)

try:
    views.run()
except DBAPIError:
    # The database went away (or changed) after the shell checked it.
    st.cache_data.clear()
    messages.show_problem(
        DatabaseProblem(
            "The case database stopped answering while this page was being drawn.",
            advice="Reload the page in a minute; if it persists, check the database server.",
        )
    )
