"""The page's query cache is shared by roles that see the same sites: it rests on queries reading a
scope only through its sites, which is checked here for every query. Also: the protection cache,
further arguments in the key, and pages starting their queries side by side (prefetch)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor, wait

import pandas as pd
import pytest
from sqlalchemy import create_engine

from dashboard.privacy.disclosure import DisclosureRule
from dashboard.shell import context
from queries import caseloads
from queries.periods import Period
from queries.scope import Filters, Scope
from tests import apptest, case_db
from tests.test_scope_everywhere import PERIODS, QUERIES
from tests.test_views_queries import VIEWS_TABLES


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    return case_db.build(tmp_path_factory.mktemp("cache") / "c.sqlite", VIEWS_TABLES)


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.label)
@pytest.mark.parametrize("query", QUERIES, ids=lambda q: f"{q.__module__}.{q.__name__}")
def test_trustees_and_leadership_get_the_same_frame(database, query, period):
    engine = create_engine(database)
    with engine.connect() as conn:
        leadership = query(conn, Scope.leadership(), Filters(period))
        trustee = query(conn, Scope("trustee"), Filters(period))
    engine.dispose()
    pd.testing.assert_frame_equal(leadership, trustee)


def _context(url: str, scope: Scope) -> context.PageContext:
    return context.PageContext(
        database_url=url,
        scope=scope,
        filters=Filters(Period.quarter(2024, 3)),
        data_as_at=Period.quarter(2024, 3).end,
        synthetic=True,
        site_names={1: "Northby", 2: "Southby", 3: "Eastby"},
        disclosure=DisclosureRule.for_role(scope.role),
    )


def test_one_cached_frame_serves_every_role_with_the_same_sites(database):
    calls = []

    def counted(conn, scope, filters):
        calls.append(scope.role)
        return caseloads.open_cases_by_stage(conn, scope, filters)

    context._cached_frame.clear()
    leadership = _context(database, Scope.leadership()).query(counted)
    trustee = _context(database, Scope("trustee")).query(counted)
    commissioner = _context(database, Scope("commissioner", frozenset({2}))).query(counted)
    pd.testing.assert_frame_equal(leadership, trustee)
    assert set(commissioner["site"]) == {"Southby"}
    # Leadership's run served the trustee; the commissioner's narrower sites needed their own.
    assert calls == ["leadership", "commissioner"]
    context._cached_frame.clear()


def test_the_cache_of_published_tables_tells_apart_large_tables_differing_in_one_cell():
    # Streamlit's own hash of a frame this long looks at a sample of rows: the key must not.
    rows = 120_000
    first = pd.DataFrame(
        {
            "month": [f"2024-{m:02d}" for m in range(1, 13)] * (rows // 12),
            "site": [f"Site {i // 12}" for i in range(rows)],
            "families": 7,
        }
    )
    second = first.copy()
    second.loc[rows - 1, "families"] = 3
    assert context._table_key(first) != context._table_key(second)
    assert context._table_key(first) == context._table_key(first.copy())
    # The same values as another type are another table.
    assert context._table_key(first) != context._table_key(first.astype({"families": float}))


def test_a_page_context_publishes_a_table_by_the_viewers_rule(database):
    from dashboard.privacy.disclosure import MARKER, Counts

    counts = Counts("families", ("site", "stage"))
    table = pd.DataFrame(
        {
            "site": ["Northby", "Northby", "Southby", "Southby"],
            "stage": ["pregnancy", "birth", "pregnancy", "birth"],
            "families": [2, 9, 8, 13],
        }
    )
    # A trustee: 2 is the marker, 9 and 8 round to 10 and 13 to 15; leadership sees every count.
    trustee = _context(database, Scope("trustee")).publish(table, counts)
    leadership = _context(database, Scope.leadership()).publish(table, counts)
    assert trustee.table["families"].tolist() == [MARKER, "10", "10", "15"]
    assert leadership.table["families"].tolist() == [2, 9, 8, 13]


def test_a_query_s_further_arguments_are_part_of_the_cache_key(database):
    from queries.cases import CaseSelection

    calls = []

    def counted(conn, scope, filters, *, selection):
        calls.append(selection)
        return pd.DataFrame({"stage": [selection.stage]})

    context._cached_frame.clear()
    view = _context(database, Scope.leadership())
    pregnancy = view.query(counted, selection=CaseSelection(stage="pregnancy"))
    birth = view.query(counted, selection=CaseSelection(stage="birth"))
    again = view.query(counted, selection=CaseSelection(stage="pregnancy"))
    assert (pregnancy["stage"][0], birth["stage"][0], again["stage"][0]) == ("pregnancy", "birth", "pregnancy")
    assert calls == [CaseSelection(stage="pregnancy"), CaseSelection(stage="birth")]  # the third was cached
    context._cached_frame.clear()


# --- Prefetching: a page's queries side by side ---------------------------------------------------


@pytest.fixture
def two_prefetch_threads(monkeypatch):
    """Prefetching with two threads, whatever this machine's cores."""
    pool = ThreadPoolExecutor(2, thread_name_prefix="prefetch-test")
    monkeypatch.setattr(context, "QUERY_THREADS", 2)
    monkeypatch.setattr(context, "_prefetching", pool)
    yield
    pool.shutdown(wait=True)


def test_prefetched_queries_run_side_by_side_and_each_once(database, two_prefetch_threads):
    # Each query waits (up to 10 s) for the other to be running: one by one, the first would fail.
    both_running = threading.Barrier(2, timeout=10)
    started = {"first": threading.Event(), "second": threading.Event()}
    calls = []

    def make(name):
        def query(conn, scope, filters):
            calls.append(name)
            started[name].set()
            both_running.wait()
            return pd.DataFrame({"query": [name]})

        query.__qualname__ = f"prefetch_test_{name}"
        return query

    first, second = make("first"), make("second")
    context._cached_frame.clear()
    view = _context(database, Scope.leadership())
    view.prefetch(first, second)
    assert all(event.wait(10) for event in started.values())
    # The page's own asks wait for the frames being worked out rather than work them out again.
    assert view.query(first)["query"][0] == "first" and view.query(second)["query"][0] == "second"
    assert sorted(calls) == ["first", "second"]
    context._cached_frame.clear()


def test_a_prefetched_query_that_fails_is_logged_and_fails_again_where_the_page_asks(
    database, two_prefetch_threads, caplog
):
    calls = []

    def broken(conn, scope, filters):
        calls.append("broken")
        raise ValueError("SELECT … WHERE name = 'a secret'")

    context._cached_frame.clear()
    view = _context(database, Scope.leadership())
    wait(view.prefetch(broken, caseloads.open_cases_by_stage), timeout=30)
    assert calls == ["broken"]
    # The log names the query and the kind of error, never the error's text.
    assert "broken failed (ValueError)" in caplog.text and "secret" not in caplog.text
    with pytest.raises(ValueError, match="secret"):
        view.query(broken)
    assert calls == ["broken", "broken"]  # a failure is not cached: the page asked again
    assert not view.query(caseloads.open_cases_by_stage).empty
    context._cached_frame.clear()


@pytest.mark.parametrize("user", ["leader", "trustee"])
@pytest.mark.parametrize(
    "page, choices",
    [
        ("engagement", {}),
        ("board_pack", {}),
        ("caseloads", {}),
        ("safeguarding", {}),
        ("outcomes", {}),
        # The outcome page's queries follow each measure's breakdown, chosen before they start.
        ("outcomes", {"social_care_by": "By site", "babies_by": "By enrolment cohort", "wellbeing_by": "By site"}),
    ],
)
def test_a_page_prefetches_exactly_the_queries_it_asks_for(tmp_path, monkeypatch, page, choices, user):
    """A query prefetched and never asked is work for nothing; one asked and not prefetched waits
    its turn: the page's list must be its asks, and every one is started before the page waits
    for the first."""
    case_db.served(tmp_path / "views.sqlite", VIEWS_TABLES, monkeypatch)
    prefetched, asked, order = [], [], []
    pool, query = context._prefetching, context.PageContext.query

    class RecordingPool:  # what prefetch hands to the pool: the query and the filters it settled
        def submit(self, work, function, filters, arguments):
            prefetched.append((function.__qualname__, filters))
            order.append("started")
            return pool.submit(work, function, filters, arguments)

    def recording_query(view, function, filters=None, **arguments):
        asked.append((function.__qualname__, filters or view.filters))
        order.append("asked")
        return query(view, function, filters, **arguments)

    monkeypatch.setattr(context, "QUERY_THREADS", 2)
    monkeypatch.setattr(context, "_prefetching", RecordingPool())
    monkeypatch.setattr(context.PageContext, "query", recording_query)
    app = apptest.open_app(user, {"period": "Quarter", "quarter": "2024/25 Q3", **choices}, page)
    assert not app.exception
    assert prefetched and set(prefetched) == set(asked)
    assert len(prefetched) == len(set(prefetched))  # nothing started twice
    assert "asked" not in order[: len(prefetched)], order
    if choices:
        assert {name for name, _filters in prefetched} == {
            "social_care_involvement_by_site",
            "babies_within_normal_range_by_cohort",
            "parent_wellbeing_change_by_site",
            "parent_reliable_improvement_by_site",
        }
