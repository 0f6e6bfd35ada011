"""What a page needs to draw: who is looking, at which filters, and a cached way to ask queries.

The entry script builds the PageContext on every run; pages call `current()` and
`current().query(...)`, so no page opens a connection or writes SQL.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from dashboard.privacy.disclosure import Counts, DisclosureRule, Protected
from dashboard.privacy.grouping import Grouping, regroup
from dashboard.shell.case_database import case_engine
from queries.scope import Filters, Scope

CACHE_SECONDS = 15 * 60
_SESSION_KEY = "_page_context"

Query = Callable[..., pd.DataFrame]  # (conn, scope, filters, **arguments)
Ask = Query | tuple[Query, Filters]  # a query, for the page's filters or for the filters given
# Prefetched queries worked out at once, for the whole server: as many as this process may use
# cores (at most 4). The SQLite and PostgreSQL drivers let go of Python's lock while the database
# works, so queries run side by side, and beside pages drawing what they already have. One pool
# for every session bounds the threads and database connections however many people click.
_CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
QUERY_THREADS = min(4, _CORES)
_prefetching = ThreadPoolExecutor(QUERY_THREADS, thread_name_prefix="prefetch")
_log = logging.getLogger(__name__)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False, max_entries=2000)
def _cached_frame(
    url: str,
    query_name: str,
    scope_sites: frozenset[int] | None,
    filters: Filters,
    arguments: dict,
    _scope: Scope,
    _query: Query,
) -> pd.DataFrame:
    # Keyed on the database, the query's name, the sites the caller's scope allows and the
    # filters, not on the role: queries read a scope only through its sites (disclosure happens
    # in the dashboard), so leadership and trustees share one cached frame per question, and so
    # do commissioners of the same sites. Leading underscores keep arguments out of the key.
    with case_engine(url).connect() as conn:
        return _query(conn, _scope, filters, **arguments)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False, max_entries=1000)
def _published(
    table_key: str, counts: Counts, grouping: Grouping, rule: DisclosureRule, _table: pd.DataFrame
) -> Protected:
    return rule.protect(regroup(rule, _table, counts, grouping), counts)


def _table_key(frame: pd.DataFrame) -> str:
    """A digest of every value, column name and type of `frame`. Streamlit's own hash of a frame
    of 100,000 rows or more looks at a sample of rows: two tables differing elsewhere would share
    one cached result, and show one table's figures for the other."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(repr([(str(name), str(kind)) for name, kind in frame.dtypes.items()]).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class PageContext:
    database_url: str
    scope: Scope
    filters: Filters
    data_as_at: date
    synthetic: bool
    site_names: Mapping[int, str]
    disclosure: DisclosureRule

    def query(self, query: Query, filters: Filters | None = None, **arguments) -> pd.DataFrame:
        """Run a query function for this viewer's scope and the page's (or given) filters, and any
        further arguments it takes (part of the cache key), cached."""
        return self._frame(query, filters or self.filters, arguments)

    def as_grouped(self, query: Query, grouped: Query) -> Query:
        """`query`, or for a viewer whose figures are grouped (dashboard.privacy.grouping) its coarser
        form `grouped`, for a figure that cannot be regrouped from the finer table (a survival
        estimate is worked out afresh for a merged group, not added up)."""
        return grouped if self.disclosure.active else query

    def _frame(self, query: Query, filters: Filters, arguments: dict) -> pd.DataFrame:
        name = f"{query.__module__}.{query.__qualname__}"
        return _cached_frame(self.database_url, name, self.scope.site_ids, filters, arguments, self.scope, query)

    def prefetch(self, *asks: Ask) -> list[Future]:
        """Start the queries a page is about to ask for (each as `query`, with no further
        arguments), side by side in the background, and return at once. The page then asks for
        each with `query` as it draws: a frame already cached comes back at once, and one still
        being worked out is waited for (Streamlit's cache lets one thread compute a frame while
        others wait for it), so the page draws its first charts while its slower queries run.
        They start in the order given, QUERY_THREADS at a time across the server, so list the
        slowest first. A query that fails here is logged (its name and the kind of error) and
        asked again by the page, which shows the problem. Returns the started work, which
        pages need not wait for."""
        if QUERY_THREADS < 2:
            return []
        started = []
        for ask in asks:
            query, filters = ask if isinstance(ask, tuple) else (ask, None)
            work = _prefetching.submit(self._frame, query, filters or self.filters, {})
            work.add_done_callback(partial(_log_failure, query_name=query.__qualname__))
            started.append(work)
        return started

    def publish(self, table: pd.DataFrame, counts: Counts, grouping: Grouping | None = None) -> Protected:
        """A table as this viewer may receive it: grouped for them (dashboard.privacy.grouping), then
        through their disclosure rule. For a protected viewer, cached: the grouping's check of
        what a reader could work out takes time on a large table, and depends only on the table,
        its layout, the grouping and the rule."""
        grouping = grouping or Grouping()
        if not self.disclosure.active:
            return self.disclosure.protect(table, counts)
        return _published(_table_key(table), counts, grouping, self.disclosure, table)

    @property
    def sites_label(self) -> str:
        chosen = self.filters.site_ids
        if not chosen or set(chosen) >= set(self.site_names):
            return "All sites" if self.scope.site_ids is None else "All your sites"
        return ", ".join(sorted(self.site_names[s] for s in chosen if s in self.site_names))


def _log_failure(work: Future, query_name: str) -> None:
    # The kind of error only: a database error's text may quote the statement and its values.
    if not work.cancelled() and work.exception() is not None:
        _log.warning(
            "Prefetching %s failed (%s); the page asks for it again.", query_name, type(work.exception()).__name__
        )


def set_current(context: PageContext) -> None:
    st.session_state[_SESSION_KEY] = context


def current() -> PageContext:
    return st.session_state[_SESSION_KEY]
