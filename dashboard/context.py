"""What a page needs to draw: who is looking, at which filters, and a cached way to ask queries.

The entry script builds the PageContext on every run; pages call `current()` and
`current().query(...)`, so no page opens a connection or writes SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st
from sqlalchemy import Connection

from dashboard.case_database import case_engine
from dashboard.disclosure import DisclosureRule
from queries.scope import Filters, Scope

CACHE_SECONDS = 15 * 60
_SESSION_KEY = "_page_context"

Query = Callable[[Connection, Scope, Filters], pd.DataFrame]


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False, max_entries=2000)
def _cached_frame(url: str, query_name: str, scope_sites: frozenset[int] | None, filters: Filters,
                  _scope: Scope, _query: Query) -> pd.DataFrame:
    # Keyed on the database, the query's name, the sites the caller's scope allows and the
    # filters, not on the role: queries read a scope only through its sites (disclosure happens
    # in the dashboard), so leadership and trustees share one cached frame per question, and so
    # do commissioners of the same sites. Leading underscores keep arguments out of the key.
    with case_engine(url).connect() as conn:
        return _query(conn, _scope, filters)


@dataclass(frozen=True)
class PageContext:
    database_url: str
    scope: Scope
    filters: Filters
    data_as_at: date
    synthetic: bool
    site_names: Mapping[int, str]
    disclosure: DisclosureRule

    def query(self, query: Query, filters: Filters | None = None) -> pd.DataFrame:
        """Run a query function for this viewer's scope and the page's (or given) filters, cached."""
        name = f"{query.__module__}.{query.__qualname__}"
        return _cached_frame(self.database_url, name, self.scope.site_ids, filters or self.filters,
                             self.scope, query)

    @property
    def sites_label(self) -> str:
        chosen = self.filters.site_ids
        if not chosen or set(chosen) >= set(self.site_names):
            return "All sites" if self.scope.site_ids is None else "All your sites"
        return ", ".join(sorted(self.site_names[s] for s in chosen if s in self.site_names))


def set_current(context: PageContext) -> None:
    st.session_state[_SESSION_KEY] = context


def current() -> PageContext:
    return st.session_state[_SESSION_KEY]
