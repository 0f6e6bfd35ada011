from __future__ import annotations

from datetime import date

import pytest

from queries.periods import Period, financial_year_of
from queries.scope import Filters, Scope, visible_sites

FY = Period.financial_year(2024)


def test_financial_year_runs_april_to_march():
    assert (FY.start, FY.end) == (date(2024, 4, 1), date(2025, 3, 31))
    assert FY.label == "Financial year 2024/25"
    assert financial_year_of(date(2025, 3, 31)) == 2024
    assert financial_year_of(date(2025, 4, 1)) == 2025


@pytest.mark.parametrize(
    "number, start, end",
    [
        (1, date(2024, 4, 1), date(2024, 6, 30)),
        (3, date(2024, 10, 1), date(2024, 12, 31)),
        (4, date(2025, 1, 1), date(2025, 3, 31)),
    ],
)
def test_quarters_of_the_financial_year(number, start, end):
    quarter = Period.quarter(2024, number)
    assert (quarter.start, quarter.end) == (start, end)


def test_previous_period_is_the_same_kind_just_before():
    assert Period.quarter(2024, 1).previous() == Period.quarter(2023, 4)
    assert FY.previous() == Period.financial_year(2023)
    assert Period.month(2024, 3).previous() == Period.month(2024, 2)
    assert Period.month(2024, 3).previous().end == date(2024, 2, 29)  # leap year
    ten_days = Period.custom(date(2025, 1, 10), date(2025, 1, 19))
    assert ten_days.previous() == Period.custom(date(2024, 12, 31), date(2025, 1, 9))


def test_a_running_period_is_compared_with_the_same_span_of_the_previous_one():
    # FY 2024/25 seen on 21 Nov 2024: 1 Apr – 21 Nov 2024 against 1 Apr – 21 Nov 2023.
    assert FY.comparison(date(2024, 11, 21)) == Period.custom(date(2023, 4, 1), date(2023, 11, 21))
    # A finished period is compared with the whole previous one.
    assert FY.comparison(date(2025, 6, 1)) == Period.financial_year(2023)
    # Q3 (Oct–Dec, 92 days) seen on its last-but-one day: Q2 is 92 days too, so one day short.
    q3 = Period.quarter(2024, 3)
    assert q3.comparison(date(2024, 12, 30)) == Period.custom(date(2024, 7, 1), date(2024, 9, 29))


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        Period.custom(date(2025, 1, 2), date(2025, 1, 1))
    with pytest.raises(ValueError):
        Period.quarter(2024, 5)


def test_visible_sites_narrow_within_scope():
    commissioner = Scope("commissioner", frozenset({2, 3}))
    assert visible_sites(commissioner, Filters(FY)) == {2, 3}
    assert visible_sites(commissioner, Filters(FY, frozenset({3, 4}))) == {3}
    assert visible_sites(commissioner, Filters(FY, frozenset({4}))) == frozenset()
    assert visible_sites(Scope.leadership(), Filters(FY)) is None
    assert visible_sites(Scope.leadership(), Filters(FY, frozenset({4}))) == {4}


def test_a_commissioner_scope_must_name_sites_and_roles_are_known():
    with pytest.raises(ValueError):
        Scope("commissioner")
    with pytest.raises(ValueError):
        Scope("admin")
