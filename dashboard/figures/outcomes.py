"""The outcome figures: social-care involvement, babies' development and parents' wellbeing, each
for all the chosen sites together, by site or by enrolment cohort (labels.OUTCOME_BREAKDOWNS)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from dashboard.figures import ChartFor, Figure
from dashboard.privacy.disclosure import Counts
from dashboard.privacy.grouping import ALL_PARENTS, PARENT_ROLE_GROUPS, Grouping
from dashboard.viz import outcome_charts as draw
from dashboard.viz.outcome_charts import ALL, BY_COHORT, BY_SITE
from dashboard.words import labels
from dashboard.words.definitions import SITES_TOGETHER
from dashboard.words.definitions import outcomes as definitions
from queries import outcomes

# For a protected viewer fathers and other co-parents are one group, or all parents are where that
# still leaves many small counts (dashboard.privacy.grouping).
ROLES_GROUPED = Grouping(
    categories={"parent_role": PARENT_ROLE_GROUPS}, coarser=Grouping(categories={"parent_role": ALL_PARENTS})
)
BREAKDOWN_KEY = {ALL: (), BY_SITE: ("site",), BY_COHORT: ("cohort",)}
IN_TITLE = {ALL: "", BY_SITE: " by site", BY_COHORT: " by enrolment cohort"}
BREAKDOWN_COLUMNS = {"site": "Site", "cohort": "Enrolment cohort"}
BREAKDOWN_DEFINITION = {ALL: "", BY_SITE: definitions.BY_SITE, BY_COHORT: definitions.BY_COHORT}
PERCENT = {"share": 100}  # these figures' shares are percentages (in_percent)
MEANS = ("mean_entry", "mean_later", "mean_change")


def in_percent(frame: pd.DataFrame) -> pd.DataFrame:
    """Codes into words, and shares into percentages (one decimal place) for the table and CSV."""
    frame = labels.in_words(frame)
    if "share" in frame.columns:
        frame["share"] = (frame["share"].astype(float) * 100).round(1)
    return frame


def _declared(by: str, title: str, definition: str, **figure) -> Figure:
    return Figure(
        title=title,
        definition=f"{definition} {BREAKDOWN_DEFINITION[by]}".strip(),
        prepare=in_percent,
        sites_together=SITES_TOGETHER if by == BY_SITE else None,
        **figure,
    )


def _breakdown(by: str, overall: draw.Chart, drawn_by: Callable[..., draw.Chart], **all_sites: object) -> ChartFor:
    def chart_for(table: pd.DataFrame, site_names: Sequence[str]) -> draw.Chart:
        return draw.breakdown_chart(by, table, site_names, overall, drawn_by, **all_sites)

    return chart_for


def social_care(by: str) -> Figure:
    return _declared(
        by,
        {
            ALL: "Families with social care involved",
            BY_SITE: "Social care involvement by site",
            BY_COHORT: "Social care involvement by enrolment cohort",
        }[by],
        definitions.SOCIAL_CARE,
        query={
            ALL: outcomes.social_care_involvement,
            BY_SITE: outcomes.social_care_involvement_by_site,
            BY_COHORT: outcomes.social_care_involvement_by_cohort,
        }[by],
        counts=Counts(
            "families",
            ("involvement", *BREAKDOWN_KEY[by], "time_point"),
            rates={"share": "families_recorded"},
            per=PERCENT,
            overlapping=("time_point",),
            totals={"families_recorded": "involvement"},
        ),
        columns={
            "involvement": "Social care",
            **BREAKDOWN_COLUMNS,
            "time_point": "Time point",
            "families": "Families",
            "families_recorded": "Families with a status recorded",
            "share": "Share of families recorded (%)",
        },
        chart_for=_breakdown(
            by,
            draw.share_by_time_point,
            draw.share_by_time_point,
            weight="families_recorded",
            count="families",
        ),
    )


def babies(by: str) -> Figure:
    return _declared(
        by,
        "Babies within the normal range" + IN_TITLE[by],
        definitions.BABIES,
        query={
            ALL: outcomes.babies_within_normal_range,
            BY_SITE: outcomes.babies_within_normal_range_by_site,
            BY_COHORT: outcomes.babies_within_normal_range_by_cohort,
        }[by],
        counts=Counts(
            "babies",
            ("normal_range", *BREAKDOWN_KEY[by], "instrument", "time_point"),
            rates={"share": "babies_assessed"},
            per=PERCENT,
            overlapping=("instrument", "time_point"),
            totals={"babies_assessed": "normal_range"},
        ),
        columns={
            "normal_range": "Result",
            **BREAKDOWN_COLUMNS,
            "instrument": "Measure",
            "time_point": "Age",
            "babies": "Babies",
            "babies_assessed": "Babies assessed",
            "share": "Share of babies assessed (%)",
        },
        chart_for=_breakdown(
            by, draw.babies_chart, draw.babies_breakdown_chart, weight="babies_assessed", count="babies"
        ),
    )


def wellbeing_change(by: str) -> Figure:
    return _declared(
        by,
        "Parents' wellbeing: change from entry" + IN_TITLE[by],
        definitions.WELLBEING_CHANGE,
        query={
            ALL: outcomes.parent_wellbeing_change,
            BY_SITE: outcomes.parent_wellbeing_change_by_site,
            BY_COHORT: outcomes.parent_wellbeing_change_by_cohort,
        }[by],
        counts=Counts(
            "parents",
            ("parent_role", *BREAKDOWN_KEY[by], "time_point"),
            statistics=dict.fromkeys(MEANS, "parents"),
            means=MEANS,
            decimals=dict.fromkeys(MEANS, 1),
            overlapping=("time_point",),
        ),
        columns={
            "parent_role": "Role",
            **BREAKDOWN_COLUMNS,
            "time_point": "Compared with entry at",
            "parents": "Parents with both scores",
            "mean_entry": "Mean score at entry",
            "mean_later": "Mean score at the later time point",
            "mean_change": "Mean change (points)",
        },
        grouping=ROLES_GROUPED,
        chart_for=_breakdown(by, draw.change_chart, draw.change_breakdown_chart, weight="parents", means=MEANS),
    )


def reliable_improvement(by: str) -> Figure:
    return _declared(
        by,
        "Parents with reliable improvement" + IN_TITLE[by],
        definitions.RELIABLE_IMPROVEMENT,
        query={
            ALL: outcomes.parent_reliable_improvement,
            BY_SITE: outcomes.parent_reliable_improvement_by_site,
            BY_COHORT: outcomes.parent_reliable_improvement_by_cohort,
        }[by],
        counts=Counts(
            "parents",
            ("improvement", *BREAKDOWN_KEY[by], "parent_role", "time_point"),
            rates={"share": "parents_with_both"},
            per=PERCENT,
            overlapping=("time_point",),
            totals={"parents_with_both": "improvement"},
        ),
        columns={
            "improvement": "Change from entry",
            "parent_role": "Role",
            **BREAKDOWN_COLUMNS,
            "time_point": "Compared with entry at",
            "parents": "Parents",
            "parents_with_both": "Parents with both scores",
            "share": "Share of parents with both scores (%)",
        },
        grouping=ROLES_GROUPED,
        chart_for=_breakdown(
            by,
            draw.improvement_chart,
            draw.improvement_breakdown_chart,
            weight="parents_with_both",
            count="parents",
        ),
    )
