"""Statistical process control for a monthly measure: the XmR (individuals) chart's average and
process limits, and NHS England's "Making Data Count" rules for special-cause variation, each
signal explained in a sentence a trustee can read aloud.

The rules, as Making Data Count states them:
- beyond_limits: a single month above the upper or below the lower process limit;
- shift: 7 or more months in a row all above the average, or all below (a month exactly on the
  average ends the run);
- trend: 7 or more months in a row each strictly higher than the month before, or each strictly
  lower (an equal month ends the run);
- two_of_three: 2 out of 3 months in a row close to a process limit on the same side, "close"
  meaning further from the average than two thirds of the way to the limit (2 sigma), including
  months beyond the limit.
A long run is one signal covering all its months, never several overlapping ones.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import pandas as pd

# Wheeler's scaling constants for moving ranges of two points: mean range = 1.128 sigma, so
# 3 sigma = 3 / 1.128 ≈ 2.66 mean moving ranges.
LIMIT_FACTOR = 2.66
RUN_LENGTH = 7
# Making Data Count: fewer points give unreliable limits; the caller says so beside the chart.
MIN_POINTS = 15

RULE_NAMES = {
    "beyond_limits": "Beyond a process limit",
    "shift": f"Shift: {RUN_LENGTH} or more months one side of the average",
    "trend": f"Trend: {RUN_LENGTH} or more months rising or falling",
    "two_of_three": "2 of 3 months close to a process limit",
}


@dataclass(frozen=True)
class Signal:
    """One special-cause signal: which rule, the positions (0-based, in month order) of the
    months it covers, its direction ("high"/"low", or "rising"/"falling" for a trend), and a
    plain-English sentence."""

    rule: str
    positions: tuple[int, ...]
    direction: str
    explanation: str


@dataclass(frozen=True)
class XmR:
    """An individuals chart of a monthly measure (values indexed by month, in month order)."""

    values: pd.Series
    mean: float
    mean_moving_range: float
    upper_limit: float
    lower_limit: float
    signals: tuple[Signal, ...]

    @property
    def enough_points(self) -> bool:
        """Whether there are enough months for the limits to be relied on (MIN_POINTS)."""
        return len(self.values) >= MIN_POINTS


def xmr(values: pd.Series) -> XmR:
    """The XmR chart of `values`, indexed by month (Timestamps, dates or anything pd.to_datetime
    reads; sorted here). Raises ValueError on a missing value, a repeated month or fewer than two
    months: what to show instead is the caller's decision."""
    if values.isna().any():
        missing = ", ".join(_month(m) for m in pd.to_datetime(values.index[values.isna()]))
        raise ValueError(f"An XmR chart needs a value for every month; missing for {missing}.")
    if len(values) < 2:
        raise ValueError("An XmR chart needs at least two months (one moving range).")
    values = pd.Series(
        values.to_numpy(dtype=float), index=pd.DatetimeIndex(pd.to_datetime(values.index)), name=values.name
    ).sort_index()
    if values.index.has_duplicates:
        raise ValueError("An XmR chart needs one value per month; a month appears twice.")
    mean = float(values.mean())
    mean_moving_range = float(values.diff().abs().iloc[1:].mean())
    upper, lower = mean + LIMIT_FACTOR * mean_moving_range, mean - LIMIT_FACTOR * mean_moving_range
    chart = _Limits(values.tolist(), list(values.index), mean, upper, lower)
    signals = (*_beyond_limits(chart), *_shifts(chart), *_trends(chart), *_two_of_three(chart))
    return XmR(values, mean, mean_moving_range, upper, lower, tuple(signals))


@dataclass(frozen=True)
class _Limits:
    values: list[float]
    months: list[pd.Timestamp]
    mean: float
    upper: float
    lower: float


def _beyond_limits(chart: _Limits) -> list[Signal]:
    signals = []
    for i, value in enumerate(chart.values):
        if value > chart.upper or value < chart.lower:
            side = "above the upper" if value > chart.upper else "below the lower"
            signals.append(
                Signal(
                    "beyond_limits",
                    (i,),
                    "high" if value > chart.upper else "low",
                    f"{_month(chart.months[i], long=True)} is {side} process limit: "
                    "unusual variation worth looking into.",
                )
            )
    return signals


def _shifts(chart: _Limits) -> list[Signal]:
    def side(i: int) -> str | None:
        value = chart.values[i]
        return "high" if value > chart.mean else "low" if value < chart.mean else None

    signals = []
    for positions, direction in _runs(len(chart.values), side):
        words = "above" if direction == "high" else "below"
        signals.append(
            Signal(
                "shift",
                positions,
                direction,
                f"{len(positions)} months in a row ({_span(chart, positions)}) {words} "
                "the average: a shift, worth looking into.",
            )
        )
    return signals


def _trends(chart: _Limits) -> list[Signal]:
    # A month's step is how it compares with the month before; a trend of n months is the first
    # month followed by n - 1 steps the same way.
    def step(i: int) -> str | None:
        if i == 0:
            return None
        before, now = chart.values[i - 1], chart.values[i]
        return "rising" if now > before else "falling" if now < before else None

    signals = []
    for steps, direction in _runs(len(chart.values), step, length=RUN_LENGTH - 1):
        positions = (steps[0] - 1, *steps)
        words = "higher" if direction == "rising" else "lower"
        signals.append(
            Signal(
                "trend",
                positions,
                direction,
                f"{len(positions)} months in a row ({_span(chart, positions)}) each {words} "
                f"than the month before: a {direction} trend, worth looking into.",
            )
        )
    return signals


def _two_of_three(chart: _Limits) -> list[Signal]:
    # "Close" is beyond two thirds of the way from the average to the limit (2 sigma).
    high_line = chart.mean + 2 / 3 * (chart.upper - chart.mean)
    low_line = chart.mean - 2 / 3 * (chart.mean - chart.lower)
    signals = []
    for direction, close in (("high", lambda v: v > high_line), ("low", lambda v: v < low_line)):
        near = [i for i, value in enumerate(chart.values) if close(value)]
        # Two close months at most 2 apart share a window of three; chains of them are one signal.
        pairs = [(a, b) for a, b in pairwise(near) if b - a <= 2]
        for group in _chains(pairs):
            words = "upper" if direction == "high" else "lower"
            months = group[-1] - group[0] + 1
            count = f"{len(group)} months in a row" if months == len(group) else f"{len(group)} of the {months} months"
            signals.append(
                Signal(
                    "two_of_three",
                    group,
                    direction,
                    f"{count} ({_span(chart, group)}) close to the {words} process limit: "
                    "an early sign of change, worth looking into.",
                )
            )
    return signals


def _runs(
    count: int,
    label: Callable[[int], str | None],
    length: int = RUN_LENGTH,
) -> list[tuple[tuple[int, ...], str]]:
    """The maximal runs of at least `length` consecutive positions sharing the same non-None label."""
    runs, start = [], 0
    for i in range(1, count + 1):
        if i == count or label(i) != label(start):
            run_label = label(start)  # named, so that mypy knows it is not None where it is kept
            if run_label is not None and i - start >= length:
                runs.append((tuple(range(start, i)), run_label))
            start = i
    return runs


def _chains(pairs: Sequence[tuple[int, int]]) -> list[tuple[int, ...]]:
    """Pairs of positions (in order) joined into chains wherever one pair's end starts the next."""
    chains: list[list[int]] = []
    for a, b in pairs:
        if chains and chains[-1][-1] == a:
            chains[-1].append(b)
        else:
            chains.append([a, b])
    return [tuple(chain) for chain in chains]


def _span(chart: _Limits, positions: Sequence[int]) -> str:
    return f"{_month(chart.months[positions[0]])} to {_month(chart.months[positions[-1]])}"


def _month(month: pd.Timestamp, long: bool = False) -> str:
    return month.strftime("%B %Y" if long else "%b %Y")
