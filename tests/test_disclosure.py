"""The disclosure-control rule (dashboard.privacy.disclosure), NHS England's 2018 method: 0 stays 0, a count
from 1 to the threshold is the marker "1–7", every other count is rounded to the nearest 5; shares
and rates are worked out from the rounded figures and shown over a rounded denominator of 10 or
more; statistics only over more than the threshold's cases. Also leadership's exact figures, the
declaration a table must carry (Counts.check), the configured threshold and the legend.

Every expected value is worked out by hand and written as a literal.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.privacy.disclosure import NO_VALUE, Counts, DisclosureRule, threshold_from
from dashboard.problems import SetupProblem

RULE = DisclosureRule()
EXACT = DisclosureRule.exact()
NAN = float("nan")


# --- one count ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exact", "published"),
    [(0, 0), (1, None), (7, None), (8, 10.0), (12, 10.0), (13, 15.0), (17, 15.0), (18, 20.0), (1234, 1235.0)],
)
def test_a_count_is_zero_hidden_or_rounded_to_the_nearest_five(exact, published):
    assert RULE.count(exact) == published


@pytest.mark.parametrize(
    ("exact", "text"),
    [(0, "0"), (1, "1–7"), (7, "1–7"), (8, "10"), (12, "10"), (13, "15"), (17, "15"), (18, "20"), (1234, "1,235")],
)
def test_a_count_as_text_is_zero_the_marker_or_the_rounded_figure(exact, text):
    assert RULE.count_text(exact) == text


def test_a_missing_count_stays_missing():
    assert math.isnan(RULE.count(NAN))
    assert math.isnan(EXACT.count(NAN))


def test_a_missing_count_as_text_is_no_value_rather_than_an_error():
    assert RULE.count_text(NAN) == NO_VALUE
    assert EXACT.count_text(NAN) == NO_VALUE


def test_the_marker_says_what_it_stands_for_and_follows_the_threshold():
    assert RULE.marker == "1–7"
    assert DisclosureRule(threshold=9).marker == "1–9"
    assert DisclosureRule(threshold=9).count_text(9) == "1–9"


def test_a_raised_threshold_hides_every_count_up_to_it():
    rule = DisclosureRule(threshold=9)
    assert [rule.count(n) for n in range(10)] == [0, *[None] * 9]
    assert rule.count(10) == 10.0
    assert rule.count(12) == 10.0


def test_leadership_sees_exact_counts():
    assert [EXACT.count(n) for n in (0, 1, 7, 8, 13, 1234)] == [0, 1, 7, 8, 13, 1234]
    assert EXACT.count_text(1234) == "1,234"
    assert EXACT.count_text(3) == "3"


def test_the_rule_for_each_role():
    assert DisclosureRule.for_role("leadership").active is False
    assert DisclosureRule.for_role("trustee").active is True
    assert DisclosureRule.for_role("commissioner", threshold=9).threshold == 9


@given(st.integers(min_value=0, max_value=10_000))
def test_a_published_count_is_zero_hidden_or_a_multiple_of_five_within_two(n):
    published = RULE.count(n)
    assert (published is None) == (1 <= n <= 7)
    if n == 0:
        assert published == 0
    elif published is not None:
        assert published % 5 == 0
        assert abs(published - n) <= 2


# --- shares, rates, statistics, changes ----------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "per", "published"),
    [
        (13, 27, 1, 0.6),  # 15 / 25
        (8, 9, 1, 1.0),  # 10 / 10
        (8, 8, 1, 1.0),  # 8 rounds to 10, so the denominator is shown
        (0, 20, 1, 0.0),  # 0 / 20
        (5, 100, 1, None),  # a marker numerator
        (3, 5, 1, None),  # a marker denominator
        (0, 0, 1, None),  # nothing to divide by
        (13, 212, 100, 7.0),  # 15 / 210 × 100 = 7.14 → 7
    ],
)
def test_a_rate_is_worked_out_from_the_rounded_figures(numerator, denominator, per, published):
    assert RULE.rate(numerator, denominator, per=per) == published


def test_a_rate_over_a_raised_threshold_needs_a_denominator_above_it():
    # threshold 12: 13 rounds to 15, over 13 or more, so shown; 12 is hidden.
    rule = DisclosureRule(threshold=12)
    assert rule.rate(13, 13) == 1.0
    assert rule.rate(12, 13) is None


def test_leadership_sees_exact_rates():
    assert EXACT.rate(13, 27) == pytest.approx(0.481481, abs=1e-6)
    assert EXACT.rate(13, 212, per=100) == pytest.approx(6.132075, abs=1e-6)
    assert EXACT.rate(3, 0) is None


def test_a_share_as_text_is_a_whole_percentage_or_no_value():
    assert RULE.share_text(13, 27) == "60%"
    assert RULE.share_text(8, 9) == "100%"
    assert RULE.share_text(5, 100) == "–"
    assert EXACT.share_text(13, 27) == "48%"


def test_a_statistic_is_shown_over_more_than_seven_cases_only():
    assert RULE.statistic(3.5, 8) == 3.5
    assert RULE.statistic(3.5, 7) is None
    assert RULE.statistic(3.5, 0) is None
    assert RULE.statistic(NAN, 20) is None
    assert RULE.statistic_text(3.5, 8) == "3.5"
    assert RULE.statistic_text(3.5, 7) == "–"
    assert RULE.statistic_text(3.5, 0) == "–"
    assert RULE.statistic_text(3.456, 8, "{:.1f}") == "3.5"


def test_leadership_sees_a_statistic_of_few_cases_but_not_of_none():
    assert EXACT.statistic(3.5, 3) == 3.5
    assert EXACT.statistic(3.5, 0) is None


def test_a_change_is_worked_out_from_the_published_figures():
    assert RULE.change(13, 8) == 5.0  # 15 − 10
    assert RULE.change(14, 8) == 5.0  # 15 − 10, not the exact 6
    assert RULE.change(0, 13) == -15.0  # 0 − 15
    assert RULE.change(5, 20) is None
    assert RULE.change(20, 5) is None
    assert EXACT.change(14, 8) == 6


# --- a table --------------------------------------------------------------------------------------

SITES = Counts(
    "referrals", ("site",), rates={"share": "families"}, statistics={"median_days": "cases"}, references=("target",)
)


def _sites() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "site": ["A", "B", "C", "D"],
            "referrals": [13, 5, 0, 3],
            "families": [27, 12, 9, 5],
            "share": [13 / 27, 5 / 12, 0.0, 3 / 5],
            "median_days": [4.567, 3.0, NAN, 2.0],
            "cases": [8, 7, 0, 12],
            "target": [40, 30, 20, 10],
        }
    )


def test_the_plotted_table_has_rounded_counts_and_hidden_ones_missing():
    plot = RULE.protect(_sites(), SITES).plot
    np.testing.assert_array_equal(plot["referrals"].to_numpy(), [15.0, NAN, 0.0, NAN])
    np.testing.assert_array_equal(plot["families"].to_numpy(), [25.0, 10.0, 10.0, NAN])
    np.testing.assert_array_equal(plot["cases"].to_numpy(), [10.0, NAN, 0.0, 10.0])


def test_the_plotted_rates_are_worked_out_from_the_rounded_counts():
    # A 15/25; B numerator hidden; C 0/10; D denominator hidden.
    np.testing.assert_array_equal(RULE.protect(_sites(), SITES).plot["share"].to_numpy(), [0.6, NAN, 0.0, NAN])


def test_the_plotted_statistics_are_to_two_places_over_more_than_seven_cases():
    # A 4.567 over 8 → 4.57; B over 7 withheld; C none; D over 12 → 2.0.
    np.testing.assert_array_equal(RULE.protect(_sites(), SITES).plot["median_days"].to_numpy(), [4.57, NAN, NAN, 2.0])


def test_references_are_published_as_they_are():
    protected = RULE.protect(_sites(), SITES)
    assert protected.plot["target"].tolist() == [40, 30, 20, 10]
    assert protected.table["target"].tolist() == [40, 30, 20, 10]


def test_a_printed_column_with_a_marker_is_text_throughout():
    table = RULE.protect(_sites(), SITES).table
    assert table["referrals"].tolist() == ["15", "1–7", "0", "1–7"]
    assert table["families"].tolist() == ["25", "10", "10", "1–7"]
    assert table["cases"].tolist() == ["10", "1–7", "0", "10"]


def test_a_printed_column_without_a_marker_is_whole_numbers():
    frame = pd.DataFrame({"site": ["A", "B"], "referrals": [13, 22]})
    table = RULE.protect(frame, Counts("referrals", ("site",))).table
    assert str(table["referrals"].dtype) == "Int64"
    assert table["referrals"].tolist() == [15, 20]


def test_a_missing_count_in_a_marker_column_is_printed_blank():
    frame = pd.DataFrame({"site": ["A", "B", "C"], "referrals": [3, NAN, 12]})
    assert RULE.protect(frame, Counts("referrals", ("site",))).table["referrals"].tolist() == ["1–7", "", "10"]


def test_a_withheld_rate_or_statistic_is_printed_as_no_value():
    # A column with a withheld value is all text, so no column mixes numbers and text.
    table = RULE.protect(_sites(), SITES).table
    assert table["share"].tolist() == ["0.6", "–", "0", "–"]
    assert table["median_days"].tolist() == ["4.57", "–", "", "2"]


def test_the_flags_say_whether_some_or_all_counts_are_hidden():
    protected = RULE.protect(_sites(), SITES)
    assert (protected.any_hidden, protected.all_hidden) == (True, False)
    counts = Counts("referrals", ("site",))
    small = RULE.protect(pd.DataFrame({"site": ["A", "B", "C"], "referrals": [3, 0, 5]}), counts)
    assert (small.any_hidden, small.all_hidden) == (True, True)
    none = RULE.protect(pd.DataFrame({"site": ["A", "B"], "referrals": [0, 0]}), counts)
    assert (none.any_hidden, none.all_hidden) == (False, False)


def test_leadership_sees_a_table_exactly_as_it_is():
    protected = EXACT.protect(_sites(), SITES)
    pd.testing.assert_frame_equal(protected.plot, _sites())
    pd.testing.assert_frame_equal(protected.table, _sites())
    assert (protected.any_hidden, protected.all_hidden) == (False, False)


def test_declared_decimals_apply_to_every_viewer():
    counts = Counts(
        "referrals",
        ("site",),
        rates={"share": "families"},
        statistics={"median_days": "cases"},
        decimals={"median_days": 1},
        references=("target",),
    )
    assert EXACT.protect(_sites(), counts).plot["median_days"].tolist()[0] == 4.6
    assert RULE.protect(_sites(), counts).plot["median_days"].tolist()[0] == 4.6


# --- what a table must declare --------------------------------------------------------------------


@pytest.mark.parametrize("rule", [EXACT, RULE], ids=["leadership", "protected"])
def test_an_undeclared_number_column_is_refused(rule):
    with pytest.raises(ValueError, match="undeclared"):
        rule.protect(_sites().assign(age=[30, 31, 32, 33]), SITES)


@pytest.mark.parametrize("rule", [EXACT, RULE], ids=["leadership", "protected"])
def test_an_undeclared_true_or_false_column_is_refused(rule):
    with pytest.raises(ValueError, match="undeclared"):
        rule.protect(_sites().assign(flagged=[True, False, True, False]), SITES)


@pytest.mark.parametrize("rule", [EXACT, RULE], ids=["leadership", "protected"])
def test_a_declared_count_column_missing_is_refused(rule):
    with pytest.raises(ValueError, match="missing"):
        rule.protect(_sites().drop(columns=["families"]), SITES)


def test_an_absent_dimension_and_an_undeclared_text_column_are_allowed():
    counts = Counts("referrals", ("site", "month"))
    frame = pd.DataFrame({"site": ["A"], "referrals": [13], "note": ["words"]})
    counts.check(frame)  # no "month": summed over
    assert RULE.protect(frame, counts).plot["referrals"].tolist() == [15.0]


# --- the configured threshold and the legend ------------------------------------------------------


@pytest.mark.parametrize(("setting", "threshold"), [(None, 7), ("", 7), ("  ", 7), ("7", 7), (" 9 ", 9)])
def test_the_threshold_setting_may_be_unset_or_raised(setting, threshold):
    assert threshold_from(setting) == threshold


@pytest.mark.parametrize("setting", ["6", "0", "5", "-1", "7.5", "seven"])
def test_a_threshold_setting_below_seven_or_not_a_whole_number_is_a_setup_problem(setting):
    with pytest.raises(SetupProblem) as problem:
        threshold_from(setting)
    assert "SUPPRESSION_THRESHOLD" in problem.value.title


def test_a_threshold_setting_of_a_superscript_digit_is_a_setup_problem():
    # "²".isdigit() is True, but int("²") is not a number.
    with pytest.raises(SetupProblem):
        threshold_from("²")


def test_a_rule_may_not_lower_the_threshold():
    with pytest.raises(ValueError):
        DisclosureRule(threshold=6)


def test_the_legend_says_parts_may_not_add_up_and_names_the_marker():
    assert "parts may not add up to their total" in RULE.legend
    assert "“1–7”" in RULE.legend
    assert "“1–9”" in DisclosureRule(threshold=9).legend


def test_a_survival_estimate_is_coarse_and_only_over_fifty_at_risk():
    # 23 at risk, one event: 0.957 to two places would say "exactly one" (22/23); it is withheld.
    # Over 50 or more at risk, to the nearest 5 points: 0.953 → 0.95, 0.827 → 0.85, 0.7 → 0.7.
    frame = pd.DataFrame(
        {
            "parent_role": ["m", "m", "m", "f", "f"],
            "day": [0, 182, 364, 0, 182],
            "at_risk": [130, 119, 23, 123, 97],
            "events": [0, 6, 1, 6, 15],
            "survival": [1.0, 0.953, 0.957, 0.827, 0.7],
        }
    )
    counts = Counts(
        "at_risk",
        ("parent_role", "day"),
        counts=("events",),
        statistics={"survival": "at_risk"},
        survival=("survival",),
        overlapping=("day",),
    )
    assert RULE.protect(frame, counts).table["survival"].tolist() == ["1", "0.95", "–", "0.85", "0.7"]
    assert EXACT.protect(frame, counts).table["survival"].tolist() == [1.0, 0.953, 0.957, 0.827, 0.7]


def test_a_threshold_from_secrets_may_be_a_number():
    assert threshold_from(10) == 10 and threshold_from(7) == 7
    with pytest.raises(SetupProblem):
        threshold_from(5)
