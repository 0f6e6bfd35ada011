"""The board pack's site comparison, against answers worked out by hand from TABLES.

Period: 2024/25 Q3 (1 Oct – 31 Dec 2024).
"""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.reports.board_pack import board_quarter
from queries import board
from queries.periods import Period
from queries.scope import Filters, Scope
from tests import case_db
from tests.case_db import escalation, family, parent, session, site

Q3 = Period.quarter(2024, 3)
both_backends = pytest.mark.both_backends

TABLES = {
    "sites": [site(1, "Northby"), site(2, "Southby"), site(3, "Eastby")],
    "families": [
        family(1, 1, "2024-05-01"),  # active
        family(2, 1, "2024-10-15"),  # active
        family(3, 1, "2023-01-01", exit_on="2024-09-30", reason="completed"),  # left before Q3
        family(4, 1, "2024-12-31"),  # active on Q3's last day
        family(5, 2, "2024-06-01"),  # active
        family(6, 2, "2025-01-10"),  # enrolled after Q3
        family(7, 2, "2024-01-01", exit_on="2024-10-01", reason="moved_away"),  # active on 1 Oct
    ],
    "parents": [
        parent(1, 1, "mother"),
        parent(2, 1, "father"),
        parent(3, 2, "mother"),
        parent(4, 2, "co_parent"),
        parent(5, 3, "father"),
        parent(6, 4, "mother"),
        parent(7, 5, "mother"),
        parent(8, 5, "father"),
        parent(9, 7, "father"),
    ],
    "sessions": [
        session(1, 2, "2024-10-10"),  # F1's father attended in Q3
        session(2, 4, "2024-11-05", status="did_not_attend"),  # F2's co-parent did not attend
        session(3, 3, "2024-11-05"),  # F2's mother (not a co-parent)
        session(4, 5, "2024-09-01"),  # F3 left before Q3
        session(5, 8, "2024-09-30"),  # F5's father: the day before Q3
        session(6, 8, "2025-01-05"),  # ... and after it
        session(7, 9, "2024-10-01"),  # F7's father, Q3's first day
    ],
    "safeguarding_events": [
        escalation(1, 1, "2024-11-01"),  # F1
        escalation(2, 3, "2024-10-05"),  # F3 is not active in Q3: not counted
        escalation(3, 4, "2025-01-02"),  # after Q3
        escalation(4, 5, "2024-12-31"),  # F5, Q3's last day
        escalation(5, 7, "2024-10-01"),  # F7, twice: one family
        escalation(6, 7, "2024-10-01"),
    ],
}


@pytest.fixture(scope="module")
def conn(tmp_path_factory, backend):
    with case_db.connected(tmp_path_factory.mktemp("board") / "b.sqlite", TABLES) as connection:
        yield connection


@both_backends
def test_site_comparison_counts_each_sites_families_by_hand(conn):
    frame = board.site_comparison(conn, Scope.leadership(), Filters(Q3))
    # Northby: F1, F2, F4 active; F1 and F2 have a co-parent; only F1's attended; only F1 escalated.
    # Southby: F5, F7 active, both with a father; F7's attended; both escalated (F7 twice: once).
    # Eastby has no family active, so no row.
    assert [tuple(row) for row in frame.itertuples(index=False)] == [
        ("Northby", 3, 2, 1, 1),
        ("Southby", 2, 2, 1, 2),
    ]


@both_backends
def test_site_comparison_keeps_to_a_commissioners_sites(conn):
    frame = board.site_comparison(conn, Scope("commissioner", frozenset({2})), Filters(Q3))
    assert frame["site"].tolist() == ["Southby"]


@pytest.mark.parametrize(
    ("period", "as_at", "expected"),
    [
        (Period.quarter(2024, 2), date(2026, 1, 1), Period.quarter(2024, 2)),  # a quarter is itself
        (Period.financial_year(2024), date(2026, 1, 1), Period.quarter(2024, 4)),  # a year: its last quarter
        (Period.financial_year(2025), date(2025, 11, 20), Period.quarter(2025, 2)),  # running: last ended
        (Period.month(2025, 6), date(2026, 1, 1), Period.quarter(2025, 1)),  # June ends Q1
        (Period.month(2025, 5), date(2026, 1, 1), Period.quarter(2024, 4)),  # May: Q1 not ended
        (Period.custom(date(2025, 1, 1), date(2025, 12, 31)), date(2025, 12, 31), Period.quarter(2025, 3)),
    ],
)
def test_board_quarter(period, as_at, expected):
    assert board_quarter(period, as_at) == expected
