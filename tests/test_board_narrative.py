"""The board pack's "what changed" sentences, for figures whose story is known."""

from __future__ import annotations

import pandas as pd

from dashboard.reports import board_narrative
from dashboard.stats.spc import xmr

BEFORE = "the quarter before (2024/25 Q2)"


def test_a_rise_names_the_source_that_drove_it():
    now = {"Midwifery": 30, "Children's social care": 50, "Police": 8}
    before = {"Midwifery": 12, "Children's social care": 48, "Police": 10}
    # Total 88 against 70: +18; midwifery +18, social care +2, police -2.
    assert board_narrative.referral_change(88, 70, now, before, BEFORE) == [
        "Referrals rose from 70 to 88 on the quarter before (2024/25 Q2); the largest change was in "
        "referrals from Midwifery (+18)."
    ]


def test_a_fall_names_the_largest_fall_and_a_new_or_vanished_source_counts():
    now = {"Midwifery": 20}
    before = {"Midwifery": 22, "Police": 9}
    # Police had 9 and now none: -9 is the largest fall (midwifery -2).
    assert board_narrative.referral_change(20, 31, now, before, BEFORE) == [
        "Referrals fell from 31 to 20 on the quarter before (2024/25 Q2); the largest change was in "
        "referrals from Police (-9)."
    ]


def test_a_hidden_source_is_never_named_and_a_hidden_total_says_nothing():
    now = {"Midwifery": 40, "Police": None}
    before = {"Midwifery": 41, "Police": 12}
    # Police went from 12 to a hidden count: it may be the largest change, and may not be told, so
    # no source is named (midwifery's -1 would mislead).
    assert board_narrative.referral_change(45, 53, now, before, BEFORE) == [
        "Referrals fell from 53 to 45 on the quarter before (2024/25 Q2)."
    ]
    assert board_narrative.referral_change(None, 53, now, before, BEFORE) == []


def test_no_change_is_said_plainly():
    assert board_narrative.referral_change(12, 12, {"Midwifery": 12}, {"Midwifery": 12}, BEFORE) == [
        "Referrals held at 12, the same as the quarter before (2024/25 Q2)."
    ]


def months(values: list[float]) -> pd.Series:
    return pd.Series(values, index=pd.date_range("2024-01-01", periods=len(values), freq="MS"))


def test_only_signals_touching_the_quarter_are_told():
    # A flat-ish series with one spike in month 6 (June 2024) far beyond the limits.
    chart = xmr(months([10, 11, 10, 11, 10, 40, 10, 11, 10, 11, 10, 11]))
    june = pd.date_range("2024-04-01", periods=3, freq="MS")
    october = pd.date_range("2024-10-01", periods=3, freq="MS")
    told = board_narrative.trend_signals("Referrals received", chart, june)
    assert len(told) == 1 and told[0].startswith("Referrals received: ") and "June 2024" in told[0]
    assert board_narrative.trend_signals("Referrals received", chart, october) == []


def test_funnel_outliers_name_only_sites_beyond_the_limits():
    sites = pd.DataFrame(
        {
            "site": ["Northby", "Southby", "Eastby"],
            "proportion": [0.82, 0.61, 0.40],
            "position": ["above 99.8%", "within", "below 95%"],
        }
    )
    assert board_narrative.funnel_outliers("Fathers engaged", sites, 0.64) == [
        "Northby stands out, above the 99.8% limit on fathers engaged: 82% against 64% across the sites shown.",
        "Eastby is below the 95% limit, worth a look on fathers engaged: 40% against 64% across the sites shown.",
    ]
