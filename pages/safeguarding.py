"""Safeguarding escalations: concerns raised, how quickly the DSL reviews them, how long they stay
open, and how families' social care involvement steps up and down."""

from functools import partial

import pandas as pd
import streamlit as st

from dashboard.privacy.disclosure import Counts
from dashboard.privacy.grouping import ESCALATION_LEVEL_GROUPS, REVIEW_GROUPS, Grouping
from dashboard.shell import context
from dashboard.shell.grain import time_axis_title
from dashboard.shell.panels import (
    count_metric,
    count_text,
    figure_panel,
    grouping_note,
    page_header,
    share_metric,
    statistic_metric,
)
from dashboard.viz import charts
from dashboard.words import labels
from dashboard.words.definitions import SITES_TOGETHER
from dashboard.words.definitions import safeguarding as definitions
from queries import safeguarding

# Colours for this page's own categories (their words live in dashboard/words/labels.py).
REVIEW_COLOURS = {
    **dict(zip(labels.REVIEW.values(), ("#009E73", "#E69F00", "#D55E00"))),
    REVIEW_GROUPS.group_of("later"): "#D55E00",
}
STEP_COLOURS = dict(zip(labels.STEP.values(), ("#D55E00", "#BBBBBB", "#0072B2")))

COUNT, RATE = "Escalations", "Per 100 active families"
# For a protected viewer (dashboard.privacy.grouping): quarters, with the families active in a quarter's
# average month, and escalation levels in four groups.
BY_TIME_WITH_FAMILIES = Grouping(time="month", stocks=("families_active",))
LEVELS_GROUPED = Grouping(categories={"escalation_level": ESCALATION_LEVEL_GROUPS})
REVIEWS_GROUPED = Grouping(categories={"review": REVIEW_GROUPS})
AGE_BANDS_ONLY = Grouping(
    over=("escalation_level",),  # open escalations are few
    over_words="open escalations by age alone, not by age and level",
)
LEVELS_BY_TIME = Grouping(time="month", categories=LEVELS_GROUPED.categories, stocks=("families_active",))

view = context.current()
time_title = time_axis_title(view)
page_header(
    view,
    "Safeguarding escalations",
    "Concerns raised about families, how quickly the Designated Safeguarding Lead reviews them, "
    "how long they stay open, and how social care involvement changes.",
)
grouping_note(view, LEVELS_BY_TIME, AGE_BANDS_ONLY, REVIEWS_GROUPED)
# Seven queries of a similar weight, started side by side in the page's order: each figure is
# drawn while the ones below it are worked out.
view.prefetch(
    safeguarding.headline,
    safeguarding.by_level_month,
    safeguarding.by_concern_month,
    safeguarding.open_by_age,
    safeguarding.dsl_review_by_site,
    safeguarding.resolution_by_level,
    safeguarding.social_care_steps,
)

headline = view.query(safeguarding.headline).iloc[0]
raised, within = int(headline["raised"]), int(headline["reviewed_within"])
first, second, third, fourth = st.columns(4)
with first:
    count_metric(view, "Escalations raised", raised, definitions.RAISED)
with second:
    share_metric(view, "Reviewed in 1 working day", within, raised, definitions.REVIEWED_WITHIN)
    st.caption(f"of {count_text(view, raised)} escalations raised")
with third:
    statistic_metric(
        view,
        "Median days to resolution",
        headline["median_days_to_resolution"],
        headline["resolved"],
        "{:g}",
        definitions.MEDIAN_DAYS_TO_RESOLUTION,
    )
    st.caption(f"over {count_text(view, headline['resolved'])} escalations resolved")
with fourth:
    count_metric(
        view, f"Open on {headline['snapshot_on']:%d %b %Y}", headline["open_at_snapshot"], definitions.OPEN_NOW
    )

measure = st.segmented_control(
    "Show escalations over time as", (COUNT, RATE), default=COUNT, key="escalation_measure", required=True
)


def over_time(frame, *, category, colours):
    y, title = (
        ("escalations", "Escalations")
        if measure == COUNT
        else ("per_100_families", "Escalations per 100 active families")
    )
    return charts.bars(frame, x="month", y=y, colour=category, colours=colours, axis_titles=(time_title, title))


def escalation_counts(category: str) -> Counts:
    """Escalations by month and `category`, with their rate per 100 active families."""
    return Counts(
        "escalations", ("month", category), rates={"per_100_families": "families_active"}, per={"per_100_families": 100}
    )


OVER_TIME_COLUMNS = {
    "month": time_title,
    "escalations": "Escalations",
    "families_active": "Families active",
    "per_100_families": "Escalations per 100 active families",
}
figure_panel(
    view,
    "Escalations by level",
    definitions.ESCALATIONS_BY_LEVEL,
    labels.in_words(view.query(safeguarding.by_level_month)),
    partial(over_time, category="escalation_level", colours=charts.ESCALATION_LEVEL_COLOURS),
    columns={**OVER_TIME_COLUMNS, "escalation_level": "Level"},
    counts=escalation_counts("escalation_level"),
    grouping=LEVELS_BY_TIME,
)
figure_panel(
    view,
    "Escalations by concern type",
    definitions.ESCALATIONS_BY_CONCERN,
    labels.in_words(view.query(safeguarding.by_concern_month)),
    partial(over_time, category="concern_type", colours=charts.CONCERN_TYPE_COLOURS),
    columns={**OVER_TIME_COLUMNS, "concern_type": "Concern"},
    counts=escalation_counts("concern_type"),
    grouping=BY_TIME_WITH_FAMILIES,
)


def open_by_age_chart(frame):
    # By level where the table is (as each age band's total where it is grouped so).
    by_level = "escalation_level" in frame
    return charts.bars(
        frame,
        x="age_band",
        y="escalations",
        colour="escalation_level" if by_level else None,
        colours=charts.ESCALATION_LEVEL_COLOURS,
        axis_titles=("Days since raised", "Open escalations"),
        custom_data=["escalation_level"] if by_level else None,
    )


figure_panel(
    view,
    "Open escalations by age",
    definitions.OPEN_BY_AGE,
    labels.in_words(view.query(safeguarding.open_by_age)),
    open_by_age_chart,
    columns={"age_band": "Days since raised", "escalation_level": "Level", "escalations": "Escalations"},
    counts=Counts("escalations", ("age_band", "escalation_level")),
    grouping=AGE_BANDS_ONLY,
    drill_to=("escalation_level",),  # the families with an escalation open at that level
)


def review_chart(frame):
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


dsl_review = labels.in_words(view.query(safeguarding.dsl_review_by_site))
figure_panel(
    view,
    "Reviewed by the DSL within one working day",
    charts.defined_for_its_sites(definitions.DSL_REVIEW, dsl_review, together=SITES_TOGETHER),
    dsl_review,
    review_chart,
    columns={
        "site": "Site",
        "review": "DSL review",
        "escalations": "Escalations",
        "site_escalations": "Escalations at the site",
        "share": "Share of the site's escalations",
    },
    counts=Counts(
        "escalations", ("site", "review"), rates={"share": "site_escalations"}, totals={"site_escalations": "review"}
    ),
    grouping=REVIEWS_GROUPED,
)


def resolution_chart(frame):
    frame = frame.assign(label=["" if pd.isna(days) else f"{days:g} days" for days in frame["median_days"]])
    return charts.bars(
        frame,
        x="escalation_level",
        y="median_days",
        horizontal=True,
        text="label",
        axis_titles=("Median days from raised to resolved", ""),
    )


figure_panel(
    view,
    "Days to resolution",
    definitions.RESOLUTION,
    labels.in_words(view.query(safeguarding.resolution_by_level)),
    resolution_chart,
    columns={
        "escalation_level": "Level",
        "resolved": "Escalations resolved",
        "median_days": "Median days to resolution",
    },
    counts=Counts("resolved", ("escalation_level",), statistics={"median_days": "resolved"}),
)

figure_panel(
    view,
    "Social care involvement: steps up and down",
    definitions.SOCIAL_CARE_STEPS,
    labels.in_words(view.query(safeguarding.social_care_steps)),
    partial(
        charts.bars,
        x="transition",
        y="families",
        colour="step",
        colours=STEP_COLOURS,
        horizontal=True,
        axis_titles=("Families", ""),
    ),
    columns={
        "transition": "Between",
        "step": "Social care involvement",
        "families": "Families",
        "families_compared": "Families compared",
        "share": "Share of families compared",
    },
    counts=Counts(
        "families",
        ("transition", "step"),
        rates={"share": "families_compared"},
        overlapping=("transition",),
        totals={"families_compared": "step"},
    ),
)
