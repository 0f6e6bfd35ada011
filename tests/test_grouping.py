"""How a protected viewer's tables are grouped before the disclosure rule (dashboard.privacy.grouping):
regroup() by month, quarter or financial year; categories merged into fixed groups; sums over a
dimension; stocks averaged over a period's months; cohorts by year; means and rates worked out
again from exact sums; the coarser grouping; and dashboard.privacy.intervals.pinned(), the check that no hidden count
can be worked out from its line's total, with the merge into OTHER that follows it.

Every expected value is worked out by hand and written as a literal.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.privacy.disclosure import Counts, DisclosureRule
from dashboard.privacy.grouping import (
    ALL_PARENTS,
    BY_TIME,
    ESCALATION_LEVEL_GROUPS,
    OTHER,
    PARENT_ROLE_GROUPS,
    REVIEW_GROUPS,
    SOURCE_GROUPS,
    Grouping,
    regroup,
)
from dashboard.privacy.intervals import pinned

RULE = DisclosureRule()
EXACT = DisclosureRule.exact()
BY_SOURCE = Counts("referrals", ("month", "source"))
APR_TO_JUN = ["2025-04-01", "2025-05-01", "2025-06-01"]
FY_2025 = [f"{year}-{month:02d}-01" for year, months in ((2025, range(4, 13)), (2026, range(1, 4))) for month in months]


def _rows(frame: pd.DataFrame) -> list[tuple]:
    return [tuple(row) for row in frame.itertuples(index=False)]


def _monthly(months: list[str], by_source: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"month": month, "source": source, "referrals": n} for month in months for source, n in by_source.items()]
    )


# --- leadership -----------------------------------------------------------------------------------


def test_leadership_figures_come_back_unchanged():
    frame = _monthly(APR_TO_JUN, {"midwifery": 1, "gp": 2})
    assert regroup(EXACT, frame, BY_SOURCE, BY_TIME) is frame


# --- time -----------------------------------------------------------------------------------------


def test_mostly_small_months_are_shown_by_quarter():
    frame = _monthly(APR_TO_JUN, {"midwifery": 4, "childrens_social_care": 5})
    out = regroup(RULE, frame, BY_SOURCE, BY_TIME)
    assert _rows(out) == [("2025/26 Q1", "midwifery", 12), ("2025/26 Q1", "childrens_social_care", 15)]


def test_quarters_still_small_are_shown_by_financial_year():
    frame = _monthly(FY_2025, {"midwifery": 1, "childrens_social_care": 2})  # quarters of 3 and 6
    out = regroup(RULE, frame, BY_SOURCE, BY_TIME)
    assert _rows(out) == [("2025/26", "midwifery", 12), ("2025/26", "childrens_social_care", 24)]


def test_big_monthly_counts_stay_monthly():
    frame = _monthly(APR_TO_JUN, {"midwifery": 20, "childrens_social_care": 30})
    out = regroup(RULE, frame, BY_SOURCE, BY_TIME)
    assert _rows(out) == [
        ("2025-04-01", "midwifery", 20),
        ("2025-04-01", "childrens_social_care", 30),
        ("2025-05-01", "midwifery", 20),
        ("2025-05-01", "childrens_social_care", 30),
        ("2025-06-01", "midwifery", 20),
        ("2025-06-01", "childrens_social_care", 30),
    ]


# --- categories, sums over a dimension, stocks, cohorts -------------------------------------------


def test_source_groups_merge_codes_and_their_words():
    assert SOURCE_GROUPS.group_of("gp") == SOURCE_GROUPS.group_of("GP") == "Other health services"
    assert SOURCE_GROUPS.group_of("midwifery") == "midwifery"
    frame = pd.DataFrame({"source": ["gp", "GP", "health_visiting", "midwifery"], "referrals": [10, 20, 30, 40]})
    out = regroup(RULE, frame, Counts("referrals", ("source",)), Grouping(categories={"source": SOURCE_GROUPS}))
    assert _rows(out) == [("Other health services", 60), ("midwifery", 40)]


def test_summing_over_source_gives_each_sites_total():
    frame = pd.DataFrame(
        {"site": ["A", "A", "B", "B"], "source": ["gp", "police", "gp", "police"], "referrals": [10, 20, 30, 15]}
    )
    out = regroup(RULE, frame, Counts("referrals", ("site", "source")), Grouping(over=("source",)))
    assert list(out.columns) == ["site", "referrals"]
    assert _rows(out) == [("A", 30), ("B", 45)]


def test_a_stock_is_the_average_of_a_quarters_months_and_not_doubled_by_merged_categories():
    # Escalations by level, with the month's active families on each level's row.
    levels = {"dsl_internal": (2, 3, 4), "early_help": (1, 2, 2), "child_in_need": (1, 1, 2)}
    active = dict(zip(APR_TO_JUN, (40, 50, 60)))
    frame = pd.DataFrame(
        [
            {
                "month": month,
                "escalation_level": level,
                "escalations": n[i],
                "families_active": active[month],
                "per_100_families": 0.0,
            }
            for i, month in enumerate(APR_TO_JUN)
            for level, n in levels.items()
        ]
    )
    counts = Counts(
        "escalations",
        ("month", "escalation_level"),
        rates={"per_100_families": "families_active"},
        per={"per_100_families": 100},
    )
    grouping = Grouping(
        time="month", categories={"escalation_level": ESCALATION_LEVEL_GROUPS}, stocks=("families_active",)
    )
    out = regroup(RULE, frame, counts, grouping)
    # Q1: 9 escalations at each level group over (40 + 50 + 60) / 3 = 50 families: 18 per 100.
    assert _rows(out[["month", "escalation_level", "escalations", "families_active", "per_100_families"]]) == [
        ("2025/26 Q1", "dsl_internal", 9, 50.0, 18.0),
        ("2025/26 Q1", "Early help or child in need", 9, 50.0, 18.0),
    ]


def test_cohort_quarters_are_put_into_financial_years():
    frame = pd.DataFrame(
        {
            "cohort": ["2024/25 Q3", "2024/25 Q4", "2025/26 Q1"],
            "families": [10, 20, 30],
            "retained": [5, 10, 20],
            "retention": [0.5, 0.5, 0.667],
        }
    )
    counts = Counts("retained", ("cohort",), rates={"retention": "families"})
    out = regroup(RULE, frame, counts, Grouping(cohort="cohort"))
    assert out["cohort"].tolist() == ["2024/25", "2025/26"]
    assert out["families"].tolist() == [30, 30]
    assert out["retained"].tolist() == [15, 20]
    assert out["retention"].tolist() == pytest.approx([0.5, 2 / 3])


# --- means, rates and medians ---------------------------------------------------------------------


def test_a_mean_is_worked_out_again_as_a_weighted_mean():
    frame = pd.DataFrame(
        {
            "site": ["A", "B", "A", "B"],
            "parent_role": ["mother", "mother", "father", "father"],
            "parents": [10, 30, 8, 12],
            "mean_score": [2.0, 5.0, 3.0, 3.0],
        }
    )
    counts = Counts("parents", ("site", "parent_role"), statistics={"mean_score": "parents"}, means=("mean_score",))
    out = regroup(RULE, frame, counts, Grouping(over=("site",)))
    # mothers: (2.0 × 10 + 5.0 × 30) / 40 = 170 / 40; fathers: (3.0 × 8 + 3.0 × 12) / 20
    assert _rows(out) == [("mother", 40, 4.25), ("father", 20, 3.0)]


def test_a_rate_is_worked_out_again_from_the_summed_exact_counts():
    frame = pd.DataFrame(
        {
            "site": ["A", "A"],
            "source": ["gp", "police"],
            "referrals": [10, 11],
            "accepted": [3, 9],
            "accepted_share": [0.3, 9 / 11],
        }
    )
    counts = Counts("accepted", ("site", "source"), rates={"accepted_share": "referrals"})
    out = regroup(RULE, frame, counts, Grouping(over=("source",)))
    # 12 of 21, not the mean of 0.3 and 0.82
    assert out["accepted"].tolist() == [12]
    assert out["referrals"].tolist() == [21]
    assert out["accepted_share"].tolist() == pytest.approx([4 / 7])


MEDIANS = Counts("families", ("site",), statistics={"median_days": "families"})


def test_a_median_cannot_be_regrouped():
    frame = pd.DataFrame({"site": ["A", "B"], "families": [10, 30], "median_days": [4.0, 9.0]})
    with pytest.raises(ValueError, match="median"):
        regroup(RULE, frame, MEDIANS, Grouping(over=("site",)))


def test_a_median_with_no_grouping_comes_back_unchanged():
    frame = pd.DataFrame({"site": ["A", "B"], "families": [10, 3], "median_days": [4.0, 9.0]})
    assert regroup(RULE, frame, MEDIANS, Grouping()) is frame


# --- the coarser grouping -------------------------------------------------------------------------

ROLES = Counts("parents", ("site", "parent_role"))
ROLES_GROUPED = Grouping(
    categories={"parent_role": PARENT_ROLE_GROUPS}, coarser=Grouping(categories={"parent_role": ALL_PARENTS})
)


def _roles(by_site: dict[str, tuple[int, int, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"site": site, "parent_role": role, "parents": n}
            for site, ns in by_site.items()
            for role, n in zip(("mother", "father", "co_parent"), ns)
        ]
    )


def test_the_coarser_grouping_is_not_applied_when_the_first_leaves_no_small_counts():
    out = regroup(RULE, _roles({"A": (20, 10, 10)}), ROLES, ROLES_GROUPED)
    assert _rows(out) == [("A", "mother", 20), ("A", "Fathers and other co-parents", 20)]


def test_the_coarser_grouping_is_applied_when_the_first_leaves_many_small_counts():
    out = regroup(RULE, _roles({"A": (20, 3, 2)}), ROLES, ROLES_GROUPED)  # fathers and co-parents: 5
    assert _rows(out) == [("A", "All parents", 25)]


def test_the_coarser_grouping_is_applied_when_the_first_leaves_a_pinned_count():
    # Fathers and co-parents by site: 8, 8, 1, 0, 0 (1 small in 10 cells), total 17: the 1 is pinned.
    by_site = {"A": (20, 8, 0), "B": (20, 4, 4), "C": (20, 1, 0), "D": (20, 0, 0), "E": (20, 0, 0)}
    out = regroup(RULE, _roles(by_site), ROLES, ROLES_GROUPED)
    assert _rows(out) == [
        ("A", "All parents", 28),
        ("B", "All parents", 28),
        ("C", "All parents", 21),
        ("D", "All parents", 20),
        ("E", "All parents", 20),
    ]


# --- pinned counts and the merge into OTHER -------------------------------------------------------

BY_CATEGORY = Counts("n", ("category",))


def _line(values: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"category": list("abcdefg")[: len(values)], "n": values})


@pytest.mark.parametrize(
    "values",
    [
        [8, 1, 1, 1, 1],  # total 12 → 10 (8..12), the 8 → 10 (≥ 8): the four 1–7 cells sum to at most 4
        [8, 8, 1],  # total 17 → 15 (≤ 17), the 8s ≥ 8 each: the third is at most 1
        [7, 7, 7, 7],  # total 28 → 30 (≥ 28): each of the four is at least 7
        [1] * 7,  # total 7, a marker (1..7), over seven markers: each is exactly 1
    ],
    ids=["8-and-four-1s", "8-8-1", "four-7s", "seven-1s"],
)
def test_a_hidden_count_worked_out_from_its_lines_total_is_pinned(values):
    # With one dimension, its line is the whole table: the grand total pins the same cell.
    assert pinned(RULE, _line(values), BY_CATEGORY)


@pytest.mark.parametrize("values", [[12, 3, 2, 1], [20, 3, 9]])
def test_a_hidden_count_left_a_range_is_not_pinned(values):
    # [12, 3, 2, 1]: total 18 → 20 (18..22), 12 → 10 (8..12): the small ones sum to 6..14.
    # [20, 3, 9]: total 32 → 30 (28..32), 20 → 18..22, 9 → 8..12: the 3 is 1..6.
    assert not pinned(RULE, _line(values), BY_CATEGORY)


def test_leadership_has_nothing_pinned():
    assert not pinned(EXACT, _line([8, 1, 1, 1, 1]), BY_CATEGORY)


@pytest.mark.parametrize(
    ("values", "merged"),
    [
        ([8, 1, 1, 1, 1], [("a", 8), (OTHER, 4)]),  # the four hidden together
        ([8, 8, 1], [(OTHER, 9), ("b", 8)]),  # one hidden: with the smallest other
        ([7, 7, 7, 7], [(OTHER, 28)]),
        ([1] * 7, [(OTHER, 7)]),
    ],
    ids=["8-and-four-1s", "8-8-1", "four-7s", "seven-1s"],
)
def test_pinned_categories_are_merged_into_other_keeping_the_total(values, merged):
    out = regroup(RULE, _line(values), BY_CATEGORY, Grouping())
    assert _rows(out) == merged
    assert not pinned(RULE, out, BY_CATEGORY)


def test_a_two_way_table_is_merged_by_category_keeping_its_sites():
    # Site A's stages 8, 8, 1 (total 17) pin its 1; categories are merged before sites are.
    frame = pd.DataFrame({"site": list("AAABBB"), "stage": ["s1", "s2", "s3"] * 2, "n": [8, 8, 1, 20, 30, 40]})
    counts = Counts("n", ("site", "stage"))
    assert pinned(RULE, frame, counts)
    out = regroup(RULE, frame, counts, Grouping())
    # s3 (the hidden one) with s1, the smallest other stage (28): both sites keep their rows.
    assert _rows(out) == [("A", OTHER, 9), ("A", "s2", 8), ("B", OTHER, 60), ("B", "s2", 30)]
    assert not pinned(RULE, out, counts)


def test_a_total_over_the_merged_dimension_is_kept_not_added_up():
    # Northby: 4 within, 1 later, 0 not reviewed, of 5 (the site's escalations, on each row).
    # Later and not reviewed together: 1 of 5, the site's 5 kept, not 5 + 5.
    frame = pd.DataFrame(
        {
            "site": ["Northby"] * 3,
            "review": ["within", "later", "not_reviewed"],
            "escalations": [4, 1, 0],
            "site_escalations": [5, 5, 5],
            "share": [0.8, 0.2, 0.0],
        }
    )
    counts = Counts(
        "escalations", ("site", "review"), rates={"share": "site_escalations"}, totals={"site_escalations": "review"}
    )
    out = regroup(RULE, frame, counts, Grouping(categories={"review": REVIEW_GROUPS}))
    assert out[["review", "escalations", "site_escalations"]].values.tolist() == [
        ["within", 4, 5],
        ["Later, or not yet reviewed", 1, 5],
    ]
    assert out["share"].tolist() == pytest.approx([4 / 5, 1 / 5])


def test_a_slice_of_an_overlapping_dimension_has_its_total_taken_as_published():
    # At one time point: involved A 10, C 3; not involved B 1, C 13. As a two-way table of its own
    # (with its sites' and involvement's totals and the time point's, 27 → 25), B's 1 is pinned; the
    # time point's total must not be left out because the time point is a dimension that overlaps.
    frame = pd.DataFrame(
        {
            "involvement": ["in", "in", "in", "out", "out", "out"],
            "site": list("ABCABC"),
            "time_point": "birth",
            "n": [10, 0, 3, 0, 1, 13],
        }
    )
    counts = Counts("n", ("involvement", "site", "time_point"), overlapping=("time_point",))
    assert pinned(RULE, frame, counts)


def test_a_cell_shown_alone_keeps_what_the_totals_say_of_it():
    # With x and y merged, and A and C: B's z (1) is its site's 15 (≥ 13) less B's y (14, ≤ 16)…
    # only as tight as when the cell is a variable in the totals' equations.
    frame = pd.DataFrame({"site": list("AABBCD"), "cat": list("wxyzzy"), "n": [8, 8, 14, 1, 12, 9]})
    assert pinned(RULE, frame, Counts("n", ("site", "cat")), {"cat": {"x", "y"}, "site": {"A", "C"}})


def test_a_median_table_is_merged_with_the_median_of_what_is_merged_withheld():
    frame = pd.DataFrame(
        {"escalation_level": list("abcde"), "resolved": [8, 1, 1, 1, 1], "median_days": [10.0, 3.0, 4.0, 5.0, 6.0]}
    )
    out = regroup(
        RULE, frame, Counts("resolved", ("escalation_level",), statistics={"median_days": "resolved"}), Grouping()
    )
    assert out["escalation_level"].tolist() == ["a", OTHER] and out["resolved"].tolist() == [8, 4]
    assert out["median_days"].iloc[0] == 10.0 and math.isnan(out["median_days"].iloc[1])


def test_a_table_that_no_merging_can_protect_is_withheld():
    # Bands are never merged (their order is the figure): 8 and four 1s stay pinned.
    frame = pd.DataFrame({"band": list("abcde"), "n": [8, 1, 1, 1, 1]})
    assert regroup(RULE, frame, Counts("n", ("band",)), Grouping()).empty
