"""Headline figures against answers worked out by hand from OVERVIEW_TABLES (see conftest)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine

from queries.overview import headline_figures
from queries.periods import Period
from queries.scope import Filters, Scope

pytestmark = pytest.mark.both_backends

Q3 = Period.quarter(2024, 3)  # 1 Oct – 31 Dec 2024
COLUMNS = ["referrals_received", "families_active", "new_enrolments", "exits", "open_escalations"]


@pytest.mark.parametrize(
    "scope, filters, expected",
    [
        # Referrals r1, r2 (first and last day), r4; families 1, 2, 3 (exits on day one), 6 (enrols on
        # the last day); new 2 and 6; exit 3; open escalations 1 and 3 (2 resolved on the last day).
        (Scope.leadership(), Filters(Q3), [3, 4, 2, 1, 2]),
        # Previous quarter: r3; families 1, 3, 4 (exits on its last day); no enrolment; exit 4;
        # escalation 2 still open on 30 Sep.
        (Scope.leadership(), Filters(Q3.previous()), [1, 3, 0, 1, 1]),
        (Scope.leadership(), Filters(Q3, frozenset({1})), [2, 3, 1, 1, 1]),
        # A site with no referrals and no families.
        (Scope.leadership(), Filters(Q3, frozenset({3})), [0, 0, 0, 0, 0]),
        # A commissioner of site 2 sees site 2 only, with or without a site filter.
        (Scope("commissioner", frozenset({2})), Filters(Q3), [1, 1, 1, 0, 1]),
        (Scope("commissioner", frozenset({2})), Filters(Q3, frozenset({2, 3})), [1, 1, 1, 0, 1]),
        # ... and asking for another site's figures yields nothing, not that site.
        (Scope("commissioner", frozenset({2})), Filters(Q3, frozenset({1})), [0, 0, 0, 0, 0]),
    ],
)
def test_headline_figures(overview_db, scope, filters, expected):
    engine = create_engine(overview_db)
    with engine.connect() as conn:
        figures = headline_figures(conn, scope, filters)
    assert list(figures.columns) == COLUMNS
    assert figures.iloc[0].tolist() == expected


def test_a_query_refuses_to_run_without_a_scope(overview_db):
    with create_engine(overview_db).connect() as conn, pytest.raises(TypeError):
        headline_figures(conn, None, Filters(Q3))
