"""XmR limits and the Making Data Count rules against hand-made monthly series: each rule fires
exactly where the series was built to make it fire, and nowhere else. Every expected figure is
worked out by hand in the comments."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.stats import spc


def monthly(values: list[float], start: str = "2025-01-01") -> pd.Series:
    """Values for consecutive months from January 2025 (position 0 = Jan 2025, 10 = Nov 2025)."""
    return pd.Series(values, index=pd.date_range(start, periods=len(values), freq="MS"), dtype=float)


def found(chart: spc.XmR) -> list[tuple[str, tuple[int, ...], str]]:
    return [(s.rule, s.positions, s.direction) for s in chart.signals]


def test_mean_moving_range_and_limits_of_a_short_series():
    chart = spc.xmr(monthly([10, 12, 11, 15, 12]))
    # Mean 60 / 5 = 12. Moving ranges 2, 1, 4, 3: mean 10 / 4 = 2.5.
    # Limits 12 ± 2.66 × 2.5 = 12 ± 6.65: 18.65 and 5.35.
    assert chart.mean == pytest.approx(12.0)
    assert chart.mean_moving_range == pytest.approx(2.5)
    assert chart.upper_limit == pytest.approx(18.65)
    assert chart.lower_limit == pytest.approx(5.35)
    # Near-limit lines 12 ± 2/3 × 6.65 = 16.43 / 7.57: nothing close, no run, no trend.
    assert chart.signals == ()
    assert not chart.enough_points


def test_lower_limit_is_not_clipped_at_zero():
    chart = spc.xmr(monthly([1, 5, 1, 5]))
    # Mean 3, moving ranges 4, 4, 4: limits 3 ± 10.64 = 13.64 and -7.64.
    assert chart.lower_limit == pytest.approx(-7.64)


def test_a_single_spike_above_the_upper_limit():
    # 15 months alternating 17 (even positions) and 23 (odd), with 50 in place of the 17 at 10.
    values = [17, 23] * 7 + [17]
    values[10] = 50
    chart = spc.xmr(monthly(values))
    # Sum: 7 × 17 + 50 + 7 × 23 = 119 + 50 + 161 = 330; mean 330 / 15 = 22.
    # Moving ranges: 12 of 6 (= 72) and 50 - 23 twice (= 54): 126 / 14 = 9.
    # Upper limit 22 + 2.66 × 9 = 45.94 < 50; lower 22 - 23.94 = -1.94.
    # 23 is above the mean and 17 below, alternately: no shift and no trend; only 50 is beyond
    # the near line 22 + 2/3 × 23.94 = 37.96, so no "2 of 3".
    assert (chart.mean, chart.mean_moving_range) == (pytest.approx(22.0), pytest.approx(9.0))
    assert chart.upper_limit == pytest.approx(45.94)
    assert chart.lower_limit == pytest.approx(-1.94)
    assert found(chart) == [("beyond_limits", (10,), "high")]
    assert chart.signals[0].explanation == (
        "November 2025 is above the upper process limit: unusual variation worth looking into."
    )
    assert chart.enough_points


def test_a_single_dip_below_the_lower_limit():
    # The spike series mirrored (100 - value): 83 and 77 alternating, 50 at position 10.
    values = [83, 77] * 7 + [83]
    values[10] = 50
    chart = spc.xmr(monthly(values))
    # Mean 100 - 22 = 78, moving ranges unchanged (mean 9): lower limit 78 - 23.94 = 54.06 > 50.
    assert chart.lower_limit == pytest.approx(54.06)
    assert found(chart) == [("beyond_limits", (10,), "low")]
    assert chart.signals[0].explanation.startswith("November 2025 is below the lower process limit")


SEVEN_ABOVE = [12, 8, 12, 8] + [11] * 7 + [8, 12, 8, 12, 8]


def test_seven_months_above_the_mean_is_a_shift():
    chart = spc.xmr(monthly(SEVEN_ABOVE))
    # Sum 4 × 12 + 5 × 8 + 7 × 11 = 48 + 40 + 77 = 165; mean 165 / 16 = 10.3125, so every 11 is
    # above it and every 8 below; positions 3 and 11 (8s) end the run of 11s at 4..10.
    # Moving ranges 4, 4, 4, 3, six 0s, 3, 4, 4, 4, 4 = 34; mean 34 / 15 = 2.267; limits
    # 10.31 ± 6.03 and near lines 10.31 ± 4.02 (14.33 / 6.29): neither 12 nor 8 is close.
    assert chart.mean == pytest.approx(10.3125)
    assert found(chart) == [("shift", (4, 5, 6, 7, 8, 9, 10), "high")]
    assert chart.signals[0].explanation == (
        "7 months in a row (May 2025 to Nov 2025) above the average: a shift, worth looking into."
    )


def test_six_months_above_the_mean_is_not_a_shift():
    chart = spc.xmr(monthly([12, 8, 12, 8] + [11] * 6 + [8, 12, 8, 12, 8]))
    # Sum 165 - 11 = 154; mean 154 / 15 = 10.27: the six 11s are above it, then an 8.
    # Moving ranges total 34 again, mean 34 / 14 = 2.43; near lines 10.27 ± 4.31: none close.
    assert chart.signals == ()


def test_seven_months_below_the_mean_is_a_downward_shift():
    chart = spc.xmr(monthly([20 - v for v in SEVEN_ABOVE]))
    # Mirrored (20 - value): mean 20 - 10.3125 = 9.6875, the seven 9s below it.
    assert found(chart) == [("shift", (4, 5, 6, 7, 8, 9, 10), "low")]
    assert "below the average" in chart.signals[0].explanation


def test_a_month_exactly_on_the_mean_breaks_the_run():
    chart = spc.xmr(monthly([12, 8, 12, 8, 11, 11, 11, 10, 11, 11, 11, 8, 12, 8, 6]))
    # Sum 40 + 33 + 10 + 33 + 28 + 6 = 150; mean 150 / 15 = 10 exactly: the 10 at position 7
    # sits on the mean, so 4..10 is two runs of three.
    # Moving ranges 4+4+4+3+0+0+1+1+0+0+3+4+4+2 = 30, mean 30 / 14 = 2.143; 2.66 × 2.143 = 5.70;
    # the lower near line 10 - 3.80 = 6.20 has only the 6 beyond it (one month, not two).
    assert chart.mean == 10.0
    assert chart.signals == ()


def test_a_long_run_is_one_signal():
    chart = spc.xmr(monthly([12, 8, 12, 8] + [11] * 9 + [8, 12, 8, 12, 8]))
    # Sum 48 + 40 + 99 = 187; mean 187 / 18 = 10.39 < 11. Moving ranges 34 / 17 = 2: near lines
    # 10.39 ± 3.55 (13.94 / 6.84), so 12 and 8 are not close.
    assert found(chart) == [("shift", tuple(range(4, 13)), "high")]
    assert chart.signals[0].explanation.startswith("9 months in a row (May 2025 to Jan 2026)")


RISE = [10, 14, 10, 14, 9, 10, 11, 12, 13, 14, 15, 10, 14, 10, 14]


def test_seven_months_each_higher_than_the_last_is_a_rising_trend():
    chart = spc.xmr(monthly(RISE))
    # 9, 10, …, 15 at positions 4..10: six strict rises; 14 -> 9 before and 15 -> 10 after.
    # Sum 48 + 84 + 48 = 180; mean 12. Above: 1, 3, 8, 9, 10, 12, 14; below 0, 2, 4, 5, 6; the 12
    # at 7 is on the mean: longest run 3. Moving ranges 4+4+4+5+1×6+5+4+4+4 = 40, mean 2.857;
    # near lines 12 ± 5.07 (17.07 / 6.93): nothing close.
    assert found(chart) == [("trend", (4, 5, 6, 7, 8, 9, 10), "rising")]
    assert chart.signals[0].explanation == (
        "7 months in a row (May 2025 to Nov 2025) each higher than the month before: "
        "a rising trend, worth looking into."
    )


def test_a_rise_with_one_tie_is_not_a_trend():
    values = list(RISE)
    values[7] = 11  # 9, 10, 11, 11, 13, 14, 15: the repeated 11 splits it into rises of 3 and 4
    chart = spc.xmr(monthly(values))
    # Sum 179; mean 11.93: below-run 4..7 (9, 10, 11, 11) is 4 long. Moving ranges still total
    # 40 (1 + 1 became 0 + 2): nothing close to a limit.
    assert chart.signals == ()


def test_seven_months_each_lower_than_the_last_is_a_falling_trend():
    chart = spc.xmr(monthly([24 - v for v in RISE]))
    # Mirrored (24 - value): 15, 14, …, 9 at positions 4..10, after a rise from 10 to 15.
    assert found(chart) == [("trend", (4, 5, 6, 7, 8, 9, 10), "falling")]
    assert "each lower than the month before: a falling trend" in chart.signals[0].explanation


def test_two_of_three_months_close_to_the_upper_limit():
    values = [8, 14] * 7 + [8]
    values[7], values[9] = 34, 34  # position 8 stays 8: two close months out of three
    chart = spc.xmr(monthly(values))
    # 8s at the 8 even places 0..14, 14s at 1, 3, 5, 11, 13, 34s at 7 and 9:
    # sum 8 × 8 + 5 × 14 + 2 × 34 = 64 + 70 + 68 = 202; mean 202 / 15 = 13.467 < 14, so the 14s
    # are above it and the 8s below, alternately.
    # Moving ranges: (6,7) (7,8) (8,9) (9,10) are each 34 - 8 = 26 (104), the other ten are 6
    # (60): 164 / 14 = 11.714; 2.66 × 11.714 = 31.16; upper limit 44.63 > 34.
    # Near line 13.467 + 2/3 × 31.16 = 34.24 > 34: NOT close. So this is the control case.
    assert chart.upper_limit == pytest.approx(13.4667 + 31.16, abs=0.01)
    assert chart.signals == ()

    values[8] = 14  # the month between them: 14 instead of 8
    chart = spc.xmr(monthly(values))
    # Sum 208; mean 13.867 < 14. Moving ranges: (6,7) and (9,10) are 26, (7,8) and (8,9) are 20
    # (92), the other ten 6 (60): 152 / 14 = 10.857; 2.66 × 10.857 = 28.88.
    # Upper limit 13.867 + 28.88 = 42.75 > 34; near line 13.867 + 19.25 = 33.12 < 34: both close.
    # Runs: above 7, 8, 9 only (6 and 10 are 8s); steps up, down, up: no trend.
    assert chart.upper_limit == pytest.approx(42.747, abs=0.001)
    assert found(chart) == [("two_of_three", (7, 9), "high")]
    assert chart.signals[0].explanation == (
        "2 of the 3 months (Aug 2025 to Oct 2025) close to the upper process limit: "
        "an early sign of change, worth looking into."
    )


def test_two_months_close_to_opposite_limits_are_not_two_of_three():
    values = [28, 34] * 7 + [28]
    values[7], values[8], values[9] = 51, 34, 11
    chart = spc.xmr(monthly(values))
    # 28s at the 7 even places other than 8 (196), 34s at 1, 3, 5, 8, 11, 13 (6 × 34 = 204),
    # then 51 and 11 (62): sum 462; mean 462 / 15 = 30.8.
    # Moving ranges: 51-28 = 23, 51-34 = 17, 34-11 = 23, 28-11 = 17 (80), ten others of 6 (60):
    # 140 / 14 = 10; limits 30.8 ± 26.6 (57.4 / 4.2); near lines 30.8 ± 17.73 (48.53 / 13.07):
    # 51 is close to the upper limit and 11 close to the lower, one each side.
    assert chart.mean == pytest.approx(30.8)
    assert chart.mean_moving_range == pytest.approx(10.0)
    assert chart.signals == ()


def test_a_month_beyond_the_limit_counts_as_close():
    values = [17, 23] * 10 + [17]
    values[7], values[9] = 54, 44
    chart = spc.xmr(monthly(values))
    # 21 months: 11 × 17 + 10 × 23 = 187 + 230 = 417; the 23s at 7 and 9 become 54 (+31) and
    # 44 (+21): 469; mean 469 / 21 = 22.333 < 23.
    # Moving ranges: 20 of 6 = 120, but (6,7) and (7,8) are 37 and (8,9) and (9,10) 27: 120 - 24
    # + 128 = 224; mean 224 / 20 = 11.2; 2.66 × 11.2 = 29.792.
    # Upper limit 52.125 < 54 (beyond); near line 22.333 + 19.861 = 42.195 < 44 < 52.125 (close).
    assert chart.upper_limit == pytest.approx(52.125, abs=0.001)
    assert found(chart) == [("beyond_limits", (7,), "high"), ("two_of_three", (7, 9), "high")]


def test_enough_points_needs_fifteen_months():
    assert spc.MIN_POINTS == 15
    assert not spc.xmr(monthly([1, 2] * 7)).enough_points
    assert spc.xmr(monthly([1, 2] * 7 + [1])).enough_points


def test_a_missing_month_is_refused():
    values = monthly([10, 12, math.nan, 11])
    with pytest.raises(ValueError, match="missing for Mar 2025"):
        spc.xmr(values)


def test_a_single_month_is_refused():
    with pytest.raises(ValueError, match="at least two months"):
        spc.xmr(monthly([10]))


def test_months_are_put_in_order_and_may_be_dates_or_text():
    chart = spc.xmr(pd.Series([15.0, 10.0, 12.0], index=["2025-03", "2025-01", "2025-02"]))
    # In month order 10, 12, 15: moving ranges 2 and 3, mean 2.5.
    assert list(chart.values) == [10.0, 12.0, 15.0]
    assert chart.mean_moving_range == pytest.approx(2.5)
