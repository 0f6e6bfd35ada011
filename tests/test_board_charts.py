"""The board pack's SPC and funnel charts carry what the statistics found: flagged months in the
signal traces, limit lines at hand-computed heights, outlying sites named."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.stats import funnel, spc
from dashboard.viz import charts


def monthly(values: list[float]) -> pd.Series:
    return pd.Series(values, index=pd.date_range("2025-01-01", periods=len(values), freq="MS"), dtype=float)


def traces(figure, name: str) -> list:
    return [t for t in figure.data if t.name == name]


def spike_and_near() -> spc.XmR:
    # 21 months alternating 17 and 23, with 54 at position 7 and 44 at 9 (see tests/test_spc.py):
    # mean 469 / 21 = 22.333, mean moving range 224 / 20 = 11.2, limits 22.333 ± 29.792
    # (52.125 and -7.459): 54 is beyond the upper limit, 54 and 44 are 2 of 3 close to it.
    values = [17, 23] * 10 + [17]
    values[7], values[9] = 54, 44
    return spc.xmr(monthly(values))


def test_spc_chart_marks_each_rule_s_months_in_its_own_trace():
    figure = charts.spc_chart(spike_and_near(), "Referrals")
    [beyond] = traces(figure, spc.RULE_NAMES["beyond_limits"])
    [close] = traces(figure, spc.RULE_NAMES["two_of_three"])
    assert list(beyond.x) == [pd.Timestamp("2025-08-01")] and list(beyond.y) == [54]
    assert list(close.x) == [pd.Timestamp("2025-08-01"), pd.Timestamp("2025-10-01")]
    assert list(close.y) == [54, 44]
    # No shift or trend in this series, so no legend entry claims one.
    assert not traces(figure, spc.RULE_NAMES["shift"]) and not traces(figure, spc.RULE_NAMES["trend"])
    # Shapes and colours both differ, so the marks read in greyscale.
    assert beyond.marker.symbol != close.marker.symbol and beyond.marker.color != close.marker.color
    assert close.customdata[0].startswith("2 of the 3 months (Aug 2025 to Oct 2025)")


def test_spc_chart_draws_the_values_average_and_limits():
    figure = charts.spc_chart(spike_and_near(), "Referrals")
    [values] = traces(figure, "Referrals")
    assert len(values.y) == 21 and values.y[7] == 54
    [average] = traces(figure, "Average")
    assert list(average.y) == pytest.approx([469 / 21] * 2)
    upper, lower = traces(figure, "Process limits")
    assert list(upper.y) == pytest.approx([52.125] * 2, abs=0.001)
    # The lower limit, -7.459, is drawn at 0: a count cannot fall below it.
    assert list(lower.y) == [0.0, 0.0]
    assert figure.layout.xaxis.title.text == "Month" and figure.layout.yaxis.title.text == "Referrals"
    # 21 months: a month label a quarter, not 21 crowded ones.
    assert figure.layout.xaxis.dtick == "M3"


def test_spc_chart_of_a_percentage_keeps_its_limits_within_100_percent():
    # Mean 0.5, moving ranges 0.4, 0.4, 0.4: limits 0.5 ± 1.064, drawn at 1 and 0.
    figure = charts.spc_chart(spc.xmr(monthly([0.3, 0.7, 0.3, 0.7])), "Families retained", percent=True)
    upper, lower = traces(figure, "Process limits")
    assert (list(upper.y), list(lower.y)) == ([1.0, 1.0], [0.0, 0.0])
    assert figure.layout.yaxis.tickformat == ".0%"


def test_spc_chart_points_a_falling_trend_s_triangles_down():
    # 10, 14, 10, 14, then 15 down to 9, then 14, 10, 14, 10: a falling trend at positions 4..10
    # (the mirrored rise of tests/test_spc.py).
    figure = charts.spc_chart(
        spc.xmr(monthly([14, 10, 14, 10, 15, 14, 13, 12, 11, 10, 9, 14, 10, 14, 10])), "Referrals"
    )
    [trend] = traces(figure, spc.RULE_NAMES["trend"])
    assert list(trend.y) == [15, 14, 13, 12, 11, 10, 9]
    assert set(trend.marker.symbol) == {"triangle-down-open"}


def test_funnel_chart_limits_target_and_named_outliers():
    # Target (60 + 66 + 34 + 40) / 400 = 0.5; at n = 100 the spread is 0.05: 95% limits
    # 0.4020018 / 0.5979982, 99.8% limits 0.3454884 / 0.6545116. Damson (0.66) is above the
    # 99.8% limit and Ivy (0.34) below it; Birch (0.60) and Fir (0.40) only beyond 95%.
    plot = funnel.funnel(
        pd.Series({"Birch": 60, "Damson": 66, "Ivy": 34, "Fir": 40}),
        pd.Series({"Birch": 100, "Damson": 100, "Ivy": 100, "Fir": 100}),
    )
    figure = charts.funnel_chart(plot, "Families retained")
    [sites] = traces(figure, "Sites")
    labelled = dict(zip(sites.customdata, sites.text))
    assert labelled == {"Birch": "", "Damson": "Damson", "Ivy": "Ivy", "Fir": ""}
    assert list(sites.x) == [100, 100, 100, 100] and list(sites.y) == pytest.approx([0.6, 0.66, 0.34, 0.4])
    [target] = traces(figure, "Average of all sites")
    assert set(target.y) == {0.5}
    for name, expected in (("95% limits", (0.5979982, 0.4020018)), ("99.8% limits", (0.6545116, 0.3454884))):
        upper, lower = traces(figure, name)
        # Read each line where it crosses n = 100 (the curve runs from 1 to 110 on a log spacing).
        at_100 = [pd.Series(list(line.y), index=list(line.x)).sort_index() for line in (upper, lower)]
        assert [_at(line, 100) for line in at_100] == pytest.approx(expected, abs=2e-4)
    assert figure.layout.xaxis.title.text == "Number of families"
    assert figure.layout.yaxis.title.text == "Families retained"


def _at(line: pd.Series, n: float) -> float:
    """The line's height at n, between its two nearest drawn points."""
    return float(
        pd.Series([*line.to_numpy(), float("nan")], index=[*line.index, n])
        .sort_index()
        .interpolate(method="index")
        .loc[n]
    )
