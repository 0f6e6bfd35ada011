"""The safeguarding figures: concerns raised, how quickly the DSL reviews them, how long they stay
open, and how families' social care involvement steps up and down."""

from __future__ import annotations

from functools import partial

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import Figure, fixed
from dashboard.privacy.disclosure import Counts
from dashboard.privacy.grouping import ESCALATION_LEVEL_GROUPS, REVIEW_GROUPS, Grouping
from dashboard.viz import charts
from dashboard.words import labels
from dashboard.words.definitions import SITES_TOGETHER
from dashboard.words.definitions import safeguarding as definitions
from queries import safeguarding

# Colours for these figures' own categories (their words live in dashboard/words/labels.py).
REVIEW_COLOURS = {
    **dict(zip(labels.REVIEW.values(), ("#009E73", "#E69F00", "#D55E00"))),
    REVIEW_GROUPS.group_of("later"): "#D55E00",
}
STEP_COLOURS = dict(zip(labels.STEP.values(), ("#D55E00", "#BBBBBB", "#0072B2")))

# Escalations over time, as a count or per 100 active families (the page's choice).
COUNT, RATE = "Escalations", "Per 100 active families"
# For a protected viewer (dashboard.privacy.grouping): quarters, with the families active in a
# quarter's average month, and escalation levels in four groups.
BY_TIME_WITH_FAMILIES = Grouping(time="month", stocks=("families_active",))
LEVELS_GROUPED = Grouping(categories={"escalation_level": ESCALATION_LEVEL_GROUPS})
REVIEWS_GROUPED = Grouping(categories={"review": REVIEW_GROUPS})
AGE_BANDS_ONLY = Grouping(
    over=("escalation_level",),  # open escalations are few
    over_words="open escalations by age alone, not by age and level",
)
LEVELS_BY_TIME = Grouping(time="month", categories=LEVELS_GROUPED.categories, stocks=("families_active",))


def _over_time(
    frame: pd.DataFrame, *, category: str, colours: dict[str, str], measure: str, time_title: str
) -> go.Figure:
    y, title = (
        ("escalations", "Escalations")
        if measure == COUNT
        else ("per_100_families", "Escalations per 100 active families")
    )
    return charts.bars(frame, x="month", y=y, colour=category, colours=colours, axis_titles=(time_title, title))


def _escalations_over_time(
    category: str, words: str, colours: dict[str, str], measure: str, time_title: str, **figure
) -> Figure:
    """Escalations by month and `category`, with their rate per 100 active families."""
    return Figure(
        counts=Counts(
            "escalations",
            ("month", category),
            rates={"per_100_families": "families_active"},
            per={"per_100_families": 100},
        ),
        columns={
            "month": time_title,
            "escalations": "Escalations",
            "families_active": "Families active",
            "per_100_families": "Escalations per 100 active families",
            category: words,
        },
        chart_for=fixed(
            partial(_over_time, category=category, colours=colours, measure=measure, time_title=time_title)
        ),
        **figure,
    )


def by_level(measure: str, time_title: str) -> Figure:
    return _escalations_over_time(
        "escalation_level",
        "Level",
        charts.ESCALATION_LEVEL_COLOURS,
        measure,
        time_title,
        title="Escalations by level",
        definition=definitions.ESCALATIONS_BY_LEVEL,
        query=safeguarding.by_level_month,
        grouping=LEVELS_BY_TIME,
    )


def by_concern(measure: str, time_title: str) -> Figure:
    return _escalations_over_time(
        "concern_type",
        "Concern",
        charts.CONCERN_TYPE_COLOURS,
        measure,
        time_title,
        title="Escalations by concern type",
        definition=definitions.ESCALATIONS_BY_CONCERN,
        query=safeguarding.by_concern_month,
        grouping=BY_TIME_WITH_FAMILIES,
    )


def _open_by_age_chart(frame: pd.DataFrame) -> go.Figure:
    # By level where the table is (as each age band's total where it is grouped so).
    split = "escalation_level" in frame
    return charts.bars(
        frame,
        x="age_band",
        y="escalations",
        colour="escalation_level" if split else None,
        colours=charts.ESCALATION_LEVEL_COLOURS,
        axis_titles=("Days since raised", "Open escalations"),
        custom_data=["escalation_level"] if split else None,
    )


OPEN_BY_AGE = Figure(
    title="Open escalations by age",
    definition=definitions.OPEN_BY_AGE,
    query=safeguarding.open_by_age,
    counts=Counts("escalations", ("age_band", "escalation_level")),
    columns={"age_band": "Days since raised", "escalation_level": "Level", "escalations": "Escalations"},
    grouping=AGE_BANDS_ONLY,
    chart_for=fixed(_open_by_age_chart),
    drill_to=("escalation_level",),  # the families with an escalation open at that level
)


def _review_chart(frame: pd.DataFrame) -> go.Figure:
    if charts.too_many_sites(frame):
        together = charts.sites_as_one(frame, weight="site_escalations", count="escalations")
        frame = together.assign(share=together["share"] / 100)  # sites_as_one's shares are percentages
    figure = charts.bars(
        frame,
        x="site",
        y="share",
        colour="review",
        colours=REVIEW_COLOURS,
        horizontal=True,
        axis_titles=("Share of the site's escalations", ""),
    )
    figure.update_xaxes(tickformat=".0%", range=[0, 1])
    return charts.say_if_nothing_drawn(figure, frame["share"])


DSL_REVIEW = Figure(
    title="Reviewed by the DSL within one working day",
    definition=definitions.DSL_REVIEW,
    query=safeguarding.dsl_review_by_site,
    counts=Counts(
        "escalations", ("site", "review"), rates={"share": "site_escalations"}, totals={"site_escalations": "review"}
    ),
    columns={
        "site": "Site",
        "review": "DSL review",
        "escalations": "Escalations",
        "site_escalations": "Escalations at the site",
        "share": "Share of the site's escalations",
    },
    grouping=REVIEWS_GROUPED,
    chart_for=fixed(_review_chart),
    sites_together=SITES_TOGETHER,
)


def _resolution_chart(frame: pd.DataFrame) -> go.Figure:
    frame = frame.assign(label=["" if pd.isna(days) else f"{days:g} days" for days in frame["median_days"]])
    return charts.bars(
        frame,
        x="escalation_level",
        y="median_days",
        horizontal=True,
        text="label",
        axis_titles=("Median days from raised to resolved", ""),
    )


RESOLUTION = Figure(
    title="Days to resolution",
    definition=definitions.RESOLUTION,
    query=safeguarding.resolution_by_level,
    counts=Counts("resolved", ("escalation_level",), statistics={"median_days": "resolved"}),
    columns={
        "escalation_level": "Level",
        "resolved": "Escalations resolved",
        "median_days": "Median days to resolution",
    },
    chart_for=fixed(_resolution_chart),
)

SOCIAL_CARE_STEPS = Figure(
    title="Social care involvement: steps up and down",
    definition=definitions.SOCIAL_CARE_STEPS,
    query=safeguarding.social_care_steps,
    counts=Counts(
        "families",
        ("transition", "step"),
        rates={"share": "families_compared"},
        overlapping=("transition",),
        totals={"families_compared": "step"},
    ),
    columns={
        "transition": "Between",
        "step": "Social care involvement",
        "families": "Families",
        "families_compared": "Families compared",
        "share": "Share of families compared",
    },
    chart_for=fixed(
        partial(
            charts.bars,
            x="transition",
            y="families",
            colour="step",
            colours=STEP_COLOURS,
            horizontal=True,
            axis_titles=("Families", ""),
        )
    ),
)
