"""Calendar arithmetic on numpy ``datetime64[D]`` arrays, vectorised.

The generator keeps every date as a day-resolution numpy array, with NaT for "no date",
so whole tables can be built without a Python loop per row.
"""

from __future__ import annotations

import datetime as dt
from typing import overload

import numpy as np

NO_DATE = np.datetime64("NaT", "D")
AVERAGE_MONTH_DAYS = 30.44


def day(value: dt.date | str) -> np.datetime64:
    return np.datetime64(value, "D")


def plus_days(dates: np.ndarray, days: int | np.ndarray) -> np.ndarray:
    """dates + days (days may be an int array; NaT stays NaT)."""
    return dates + np.asarray(days, dtype="int64").astype("timedelta64[D]")


@overload
def days_from(start: np.datetime64, end: np.datetime64) -> np.int64: ...
@overload
def days_from(start: np.ndarray, end: np.ndarray) -> np.ndarray: ...
def days_from(start: np.ndarray | np.datetime64, end: np.ndarray | np.datetime64) -> np.ndarray | np.int64:
    """Whole days from start to end, as int64 (callers must not pass NaT)."""
    return (end - start).astype("int64")


def earliest(*dates: np.ndarray) -> np.ndarray:
    """Element-wise earliest date, ignoring NaT (NaT only where every input is NaT)."""
    result = dates[0]
    for other in dates[1:]:
        result = np.fmin(result, other)
    return result


def add_years(dates: np.ndarray, years: int) -> np.ndarray:
    """The same calendar day `years` later (29 February becomes 28 February)."""
    year_start = dates.astype("datetime64[Y]")
    month_start = dates.astype("datetime64[M]")
    month_of_year = month_start - year_start.astype("datetime64[M]")
    day_of_month = dates - month_start.astype("datetime64[D]")
    new_month = (year_start + np.timedelta64(years, "Y")).astype("datetime64[M]") + month_of_year
    last_day = (new_month + np.timedelta64(1, "M")).astype("datetime64[D]") - np.timedelta64(1, "D")
    return np.minimum(new_month.astype("datetime64[D]") + day_of_month, last_day)


def to_weekday(dates: np.ndarray, latest: np.ndarray) -> np.ndarray:
    """Move weekend dates to the Monday after, or to the Friday before when Monday would
    fall after `latest` (practitioners see parents on working days)."""
    valid = ~np.isnat(dates)
    out = dates.copy()
    forward = np.busday_offset(dates[valid], 0, roll="forward")
    backward = np.busday_offset(dates[valid], 0, roll="backward")
    out[valid] = np.where(forward <= latest[valid], forward, backward)
    return out


def working_days_after(dates: np.ndarray, working_days: np.ndarray) -> np.ndarray:
    """The date `working_days` working days after each date, counting a weekend date's next
    working day as day 1 (so 0 means "the same working day, or the next if a weekend")."""
    out = np.full(dates.shape, NO_DATE)
    valid = ~np.isnat(dates)
    wd = np.asarray(working_days)[valid]
    same_day = np.busday_offset(dates[valid], 0, roll="forward")
    later = np.busday_offset(dates[valid], wd, roll="backward")
    out[valid] = np.where(wd == 0, same_day, later)
    return out
