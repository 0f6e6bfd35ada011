"""The dialect-neutral SQL helpers, on SQLite (the PostgreSQL run repeats them there)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, create_engine, literal, select

from queries.sql import add_days, days_between, month_start


def test_date_arithmetic_across_a_leap_day():
    with create_engine("sqlite://").connect() as conn:
        row = conn.execute(
            select(
                add_days(literal(date(2024, 2, 28), Date), literal(2, Integer)),
                add_days(literal(date(2024, 3, 1), Date), -1),
                days_between(literal(date(2024, 2, 1), Date), literal(date(2024, 3, 1), Date)),
                month_start(literal(date(2024, 2, 29), Date)),
            )
        ).one()
    assert [str(v) for v in row] == ["2024-03-01", "2024-02-29", "29", "2024-02-01"]
