"""Scope is applied in the query layer: every query, called with a commissioner's scope, gives
exactly what leadership sees when filtered to that commissioner's site, and nothing of another."""

from __future__ import annotations

import inspect

import pandas as pd
import pytest

from queries import caseloads, data_quality, engagement, outcomes, overview, referrals, safeguarding
from queries.periods import Period
from queries.scope import Filters, Scope
from tests import case_db
from tests.test_views_queries import VIEWS_TABLES

pytestmark = pytest.mark.both_backends

SOUTHBY = frozenset({2})
PERIODS = [Period.quarter(2024, 3), Period.financial_year(2024), Period.month(2024, 11)]


MODULES = (overview, referrals, caseloads, data_quality, engagement, safeguarding, outcomes)


def query_functions(*modules):
    """Every public query of these modules: the functions taking (conn, scope, filters)."""
    for module in modules:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if (
                function.__module__ == module.__name__
                and not name.startswith("_")
                and list(inspect.signature(function).parameters) == ["conn", "scope", "filters"]
            ):
                yield function


QUERIES = list(query_functions(*MODULES))


def test_the_queries_were_found():
    assert len(QUERIES) >= 12, [q.__name__ for q in QUERIES]


@pytest.fixture(scope="module")
def conn(tmp_path_factory):
    with case_db.connected(tmp_path_factory.mktemp("scope") / "s.sqlite", VIEWS_TABLES) as connection:
        yield connection


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.label)
@pytest.mark.parametrize("query", QUERIES, ids=lambda q: f"{q.__module__}.{q.__name__}")
def test_a_commissioner_gets_their_site_and_nothing_else(conn, query, period):
    theirs = query(conn, Scope("commissioner", SOUTHBY), Filters(period))
    leadership_view = query(conn, Scope.leadership(), Filters(period, SOUTHBY))
    pd.testing.assert_frame_equal(theirs, leadership_view)
    if "site" in theirs.columns:
        assert set(theirs["site"]) <= {"Southby"}
    # Asking for another site through the filter narrows to nothing, never widens.
    other = query(conn, Scope("commissioner", SOUTHBY), Filters(period, frozenset({1})))
    if "site" in other.columns:
        assert other.empty or set(other["site"]) <= {"Southby"}
