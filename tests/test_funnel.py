"""Funnel-plot limits and each site's position against hand-computed values."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.stats import funnel


def sites(**counts: tuple[int, int]) -> tuple[pd.Series, pd.Series]:
    return (
        pd.Series({site: c[0] for site, c in counts.items()}),
        pd.Series({site: c[1] for site, c in counts.items()}),
    )


# Eight sites of 100 families each and one with none: 59 + 60 + 65 + 66 + 41 + 40 + 35 + 34 = 400
# of 800, a pooled target of 0.5.
# At n = 100 the spread is sqrt(0.5 × 0.5 / 100) = 0.05:
#   95%:   0.5 ± 1.959964 × 0.05 = 0.5 ± 0.0979982 -> 0.4020018 and 0.5979982
#   99.8%: 0.5 ± 3.090232 × 0.05 = 0.5 ± 0.1545116 -> 0.3454884 and 0.6545116
HALF = sites(
    Ash=(59, 100),
    Birch=(60, 100),
    Cedar=(65, 100),
    Damson=(66, 100),
    Elm=(41, 100),
    Fir=(40, 100),
    Hazel=(35, 100),
    Ivy=(34, 100),
    Juniper=(0, 0),
)


def test_target_is_the_pooled_proportion_and_sites_without_families_are_left_out():
    plot = funnel.funnel(*HALF)
    assert plot.target == pytest.approx(0.5)
    assert "Juniper" not in plot.sites.index and len(plot.sites) == 8


def test_limits_at_one_hundred_families():
    ash = funnel.funnel(*HALF).sites.loc["Ash"]
    assert ash["n"] == 100 and ash["proportion"] == pytest.approx(0.59)
    assert ash["lower_95"] == pytest.approx(0.4020018) and ash["upper_95"] == pytest.approx(0.5979982)
    assert ash["lower_998"] == pytest.approx(0.3454884) and ash["upper_998"] == pytest.approx(0.6545116)


def test_positions_just_inside_and_just_outside_each_limit():
    positions = funnel.funnel(*HALF).sites["position"].to_dict()
    assert positions == {
        "Ash": "within",  # 0.59 < 0.5980
        "Birch": "above 95%",  # 0.60 > 0.5980
        "Cedar": "above 95%",  # 0.65 < 0.6545
        "Damson": "above 99.8%",  # 0.66 > 0.6545
        "Elm": "within",  # 0.41 > 0.4020
        "Fir": "below 95%",  # 0.40 < 0.4020
        "Hazel": "below 95%",  # 0.35 > 0.3455
        "Ivy": "below 99.8%",  # 0.34 < 0.3455
    }


def test_limits_are_clipped_to_zero_and_one():
    # 0 of 4 and 10 of 96: target 10 / 100 = 0.1. At n = 4 the spread is sqrt(0.1 × 0.9 / 4) = 0.15:
    # 95% 0.1 ± 0.2939946 -> below 0 (clipped to 0) and 0.3939946;
    # 99.8% 0.1 ± 0.4635348 -> below 0 (clipped to 0) and 0.5635348.
    plot = funnel.funnel(*sites(Small=(0, 4), Large=(10, 96)))
    small = plot.sites.loc["Small"]
    assert (small["lower_998"], small["lower_95"]) == (0.0, 0.0)
    assert small["upper_95"] == pytest.approx(0.3939946) and small["upper_998"] == pytest.approx(0.5635348)
    # None of 4 is not below a limit of 0.
    assert small["position"] == "within"

    # Mirrored (target 0.9): the upper limits are clipped to 1.
    high = funnel.funnel(*sites(Small=(4, 4), Large=(86, 96))).sites.loc["Small"]
    assert (high["upper_95"], high["upper_998"]) == (1.0, 1.0)
    assert high["lower_95"] == pytest.approx(0.6060054) and high["position"] == "within"


def test_curve_for_drawing_the_limits():
    curve = funnel.funnel(*HALF).curve(400, points=3)
    # n from 1 to 400, evenly on a log scale: 1, 20, 400.
    assert list(curve["n"]) == pytest.approx([1, 20, 400])
    # n = 1: spread 0.5, so every limit is beyond [0, 1] and clipped.
    assert list(curve.iloc[0][list(funnel.LIMITS)]) == [0.0, 0.0, 1.0, 1.0]
    # n = 400: spread sqrt(0.25 / 400) = 0.025; 95% 0.5 ± 0.0489991; 99.8% 0.5 ± 0.0772558.
    assert list(curve.iloc[2][list(funnel.LIMITS)]) == pytest.approx([0.4227442, 0.4510009, 0.5489991, 0.5772558])
    # By default the curve runs to the largest site.
    assert funnel.funnel(*HALF).curve()["n"].iloc[-1] == pytest.approx(100)


@pytest.mark.parametrize(
    "numerators, denominators, message",
    [
        (pd.Series({"A": 1}), pd.Series({"B": 2}), "same sites"),
        (pd.Series({"A": None}), pd.Series({"A": 2}), "missing"),
        (pd.Series({"A": 3}), pd.Series({"A": 2}), "between 0 and"),
        (pd.Series({"A": 0}), pd.Series({"A": 0}), "at least one site"),
    ],
)
def test_impossible_input_is_refused(numerators, denominators, message):
    with pytest.raises(ValueError, match=message):
        funnel.funnel(numerators, denominators)
