"""Which views exist, who may open them, and the navigation built for the signed-in role.

Every view's URL is always known to st.navigation. A view the role may not open is replaced by a
stand-in at the same URL that says so and shows no data; signed out, every URL leads to the
sign-in form, so a bookmarked page (and its filters) is still the page once signed in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from dashboard.paths import PAGES
from queries.scope import ROLES

EVERYONE = frozenset(ROLES)
LEADERSHIP = frozenset({"leadership"})


@dataclass(frozen=True)
class View:
    file: str
    title: str
    icon: str
    roles: frozenset[str]

    @property
    def url_path(self) -> str:
        return Path(self.file).stem


VIEWS = (
    View("overview.py", "Overview", ":material/dashboard:", EVERYONE),
    View("referrals.py", "Referral sources", ":material/call_received:", EVERYONE),
    View("caseloads.py", "Site caseloads", ":material/groups:", EVERYONE),
    View("engagement.py", "Engagement and retention", ":material/handshake:", EVERYONE),
    View("safeguarding.py", "Safeguarding escalations", ":material/shield:", EVERYONE),
    View("outcomes.py", "Outcome trends", ":material/trending_up:", EVERYONE),
    View("board_pack.py", "Board pack", ":material/co_present:", frozenset({"leadership", "trustee"})),
    View("site_report.py", "Site report", ":material/summarize:", frozenset({"leadership", "commissioner"})),
    View("data_quality.py", "Data quality", ":material/fact_check:", LEADERSHIP),
    View("cases.py", "Case list", ":material/list_alt:", LEADERSHIP),
    View("case_timeline.py", "Case timeline", ":material/timeline:", LEADERSHIP),
    View("audit_log.py", "Audit log", ":material/policy:", LEADERSHIP),
)
# Streamlit serves the default page at "/" but reserves a name for it too, and answers that name
# with "Page not found". So the default page is given this name, which no link uses, and the
# first view is also a page at its own name (`/overview`), drawing the same view.
DEFAULT_PAGE_NAME = "start"
CASE_LIST = PAGES / "cases.py"
CASE_TIMELINE = PAGES / "case_timeline.py"


def views_for(role: str) -> list[View]:
    return [view for view in VIEWS if role in view.roles]


def _stand_in(view: View, draw: Callable[[View], None], default: bool) -> StreamlitPage:
    def stand_in() -> None:
        draw(view)

    url_path = DEFAULT_PAGE_NAME if default else view.url_path
    return st.Page(stand_in, title=view.title, icon=view.icon, url_path=url_path, default=default)


def signed_out(sign_in: Callable[[], None]) -> StreamlitPage:
    """Navigation while nobody is signed in: every view's URL shows the sign-in form."""
    pages = [_stand_in(view, lambda _view: sign_in(), default=i == 0) for i, view in enumerate(VIEWS)]
    pages.append(_stand_in(VIEWS[0], lambda _view: sign_in(), default=False))
    return st.navigation(pages, position="hidden")


def not_available(view: View) -> None:
    st.title(view.title)
    st.info(
        f"The {view.title} page is not available for your role. Choose a page from the menu.", icon=":material/block:"
    )


def for_role(role: str) -> StreamlitPage:
    """Navigation for a signed-in role, with its menu in the sidebar."""
    allowed = set(views_for(role))
    pages: list[StreamlitPage] = []
    menu: list[StreamlitPage] = []
    for view in VIEWS:
        default = view in allowed and not menu
        if view in allowed:
            url_path = DEFAULT_PAGE_NAME if default else view.url_path
            page = st.Page(PAGES / view.file, title=view.title, icon=view.icon, url_path=url_path, default=default)
            menu.append(page)
        else:
            page = _stand_in(view, not_available, default=False)
        pages.append(page)
    first = views_for(role)[0]
    pages.append(st.Page(PAGES / first.file, title=first.title, icon=first.icon, url_path=first.url_path))
    navigation = st.navigation(pages, position="hidden")
    for page in menu:
        st.sidebar.page_link(page)
    return navigation
