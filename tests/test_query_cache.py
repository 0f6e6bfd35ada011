"""The page's query cache is shared by roles that see the same sites: it rests on queries reading a
scope only through its sites, which is checked here for every query."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import create_engine

from dashboard import context
from dashboard.disclosure import DisclosureRule
from queries import caseloads
from queries.periods import Period
from queries.scope import Filters, Scope
from tests import case_db
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
    return context.PageContext(database_url=url, scope=scope, filters=Filters(Period.quarter(2024, 3)),
                               data_as_at=Period.quarter(2024, 3).end, synthetic=True,
                               site_names={1: "Northby", 2: "Southby", 3: "Eastby"},
                               disclosure=DisclosureRule.for_role(scope.role))


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
