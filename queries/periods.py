"""Reporting periods: financial years (April to March), quarters, months and custom ranges."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

PeriodKind = Literal["financial_year", "quarter", "month", "custom"]


def financial_year_of(day: date) -> int:
    """The starting calendar year of the financial year holding `day` (FY 2024/25 → 2024)."""
    return day.year if day.month >= 4 else day.year - 1


def _quarter_number(day: date) -> int:
    """The quarter (1–4) of its financial year that holds `day`: April–June is 1."""
    return (day.month - 4) % 12 // 3 + 1


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class Period:
    """An inclusive date range with the kind of period it is, so 'previous' means the same kind."""

    kind: PeriodKind
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"The period ends ({self.end}) before it starts ({self.start}).")

    @classmethod
    def financial_year(cls, first_year: int) -> Period:
        return cls("financial_year", date(first_year, 4, 1), date(first_year + 1, 3, 31))

    @classmethod
    def quarter(cls, first_year: int, number: int) -> Period:
        """Quarter `number` (1–4) of the financial year starting in April `first_year`."""
        if number not in (1, 2, 3, 4):
            raise ValueError(f"A financial year has quarters 1 to 4, not {number}.")
        start = _add_months(date(first_year, 4, 1), 3 * (number - 1))
        return cls("quarter", start, _add_months(start, 3) - timedelta(days=1))

    @classmethod
    def quarter_containing(cls, day: date) -> Period:
        return cls.quarter(financial_year_of(day), _quarter_number(day))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        start = date(year, month, 1)
        return cls("month", start, _add_months(start, 1) - timedelta(days=1))

    @classmethod
    def custom(cls, start: date, end: date) -> Period:
        return cls("custom", start, end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same kind just before this one (a custom range: the same length)."""
        if self.kind == "financial_year":
            return Period.financial_year(self.start.year - 1)
        if self.kind == "quarter":
            start = _add_months(self.start, -3)
            return Period("quarter", start, self.start - timedelta(days=1))
        if self.kind == "month":
            start = _add_months(self.start, -1)
            return Period.month(start.year, start.month)
        return Period.custom(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def comparison(self, data_as_at: date) -> Period:
        """The period to compare with: the previous one, or, while this one is still running at
        the data-as-at date, the same number of days from the previous one's start."""
        previous = self.previous()
        if self.end <= data_as_at or data_as_at < self.start:
            return previous
        same_span_end = previous.start + (data_as_at - self.start)
        return Period.custom(previous.start, min(previous.end, same_span_end))

    @property
    def label(self) -> str:
        if self.kind == "financial_year":
            return f"Financial year {fy_label(self.start.year)}"
        if self.kind == "quarter":
            quarter = f"{fy_label(financial_year_of(self.start))} Q{_quarter_number(self.start)}"
            return f"{quarter} ({self.start:%b}–{self.end:%b %Y})"
        if self.kind == "month":
            return f"{self.start:%B %Y}"
        return f"{self.start:%d %b %Y} to {self.end:%d %b %Y}"


def fy_label(first_year: int) -> str:
    return f"{first_year}/{(first_year + 1) % 100:02d}"


def quarter_label(day: date) -> str:
    """'2024/25 Q3' for any day of October–December 2024: the financial-year quarter holding it."""
    return f"{fy_label(financial_year_of(day))} Q{_quarter_number(day)}"
