"""The engagement figures: retention by enrolment cohort, time to disengagement, session
attendance and mix, and who of each open family is engaged now."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import Chart, Figure, Query, fixed
from dashboard.privacy.disclosure import Counts
from dashboard.privacy.grouping import BY_TIME, PARTNERS_ESTIMATED_TOGETHER, Grouping
from dashboard.viz import charts
from dashboard.viz import engagement_charts as draw
from dashboard.words import labels
from dashboard.words.definitions import SITES_AS_ONE_BAR
from dashboard.words.definitions import cases as case_definitions
from dashboard.words.definitions import engagement as definitions
from queries import cases, engagement

YEARLY_COHORTS = Grouping(cohort="cohort")
# Said of the time to disengagement, which the query estimates with partners together (not a regrouping).
PARTNERS_TOGETHER = Grouping(categories={"parent_role": PARTNERS_ESTIMATED_TOGETHER})
ENGAGED_COLOURS = dict(zip(labels.ENGAGED.values(), ("#009E73", "#D55E00", "#0072B2", "#BBBBBB")))

RETENTION = Figure(
    title="Retention by enrolment cohort",
    definition=definitions.RETENTION,
    query=engagement.retention_by_cohort,
    counts=Counts(
        "engaged", ("cohort", "time_point", "group"), rates={"share": "reached"}, overlapping=("time_point", "group")
    ),
    columns={
        "cohort": "Enrolment cohort",
        "time_point": "Time point",
        "group": "Group",
        "engaged": "Engaged",
        "reached": "Reached",
        "share": "Share engaged",
    },
    grouping=YEARLY_COHORTS,
    chart_for=fixed(draw.retention_chart),
    prepare=lambda frame: labels.in_words(frame, {"time_point": draw.TIME_POINT_WORDS, "group": draw.GROUP_WORDS}),
)


def time_to_disengagement(query: Query, exact: pd.DataFrame | None) -> Figure:
    """The estimate every six months from `query` (for a protected viewer, with partners together:
    PageContext.as_grouped). Drawn from the table as published, or, where nothing is hidden, from
    `exact`: the estimate at every day a parent's follow-up ends, stepping at each."""

    def chart(protected: pd.DataFrame) -> go.Figure:
        if exact is None:
            return draw.survival_chart(protected, every_day=False)
        return draw.survival_chart(exact, every_day=True)

    return Figure(
        title="Time to disengagement",
        definition=definitions.TIME_TO_DISENGAGEMENT,
        query=query,
        counts=Counts(
            "at_risk",
            ("parent_role", "day"),
            counts=("events",),
            statistics={"survival": "at_risk"},
            survival=("survival",),
            overlapping=("day",),
        ),
        columns={
            "parent_role": "Parents",
            "day": "Days since enrolment",
            "survival": "Share not yet disengaged",
            "at_risk": "At risk",
            "events": "Disengaged since the previous day shown",
        },
        chart_for=fixed(chart),
    )


# The estimate at every day, as its own download: its columns in words.
EVERY_DAY_COLUMNS = {
    "parent_role": "Parents",
    "day": "Days since enrolment",
    "survival": "Share not yet disengaged",
    "at_risk": "At risk",
    "events": "Disengaged that day",
    "censored": "Censored that day",
}


def _with_rate(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(rate=frame["attended"] / frame["offered"].where(frame["offered"] > 0))


def attendance(grain: str) -> Figure:
    def chart_for(_table: pd.DataFrame, site_names: Sequence[str]) -> Chart:
        colours = charts.site_colours(list(site_names))

        def chart(frame: pd.DataFrame) -> go.Figure:
            figure = charts.lines(
                frame, x="month", y="rate", colour="site", colours=colours, axis_titles=(grain, "Attendance rate")
            )
            figure.update_yaxes(tickformat=".0%", range=[0, 1.05])
            return figure

        return chart

    return Figure(
        title="Session attendance rate",
        definition=definitions.ATTENDANCE,
        query=engagement.attendance_by_site_month,
        counts=Counts("attended", ("month", "site"), rates={"rate": "offered"}),
        columns={
            "month": grain,
            "site": "Site",
            "attended": "Attended",
            "offered": "Offered",
            "rate": "Attendance rate",
        },
        grouping=BY_TIME,
        chart_for=chart_for,
        prepare=_with_rate,
    )


def session_mix(grain: str) -> Figure:
    return Figure(
        title="Sessions attended by type",
        definition=definitions.SESSION_MIX,
        query=engagement.attended_by_type_month,
        counts=Counts("sessions", ("month", "session_type")),
        columns={"month": grain, "session_type": "Session type", "sessions": "Sessions attended"},
        grouping=BY_TIME,
        chart_for=fixed(
            partial(
                charts.bars,
                x="month",
                y="sessions",
                colour="session_type",
                colours=charts.SESSION_TYPE_COLOURS,
                axis_titles=(grain, "Sessions attended"),
            )
        ),
    )


ENGAGED_NOW = Figure(
    title="Who is engaged now, by site",
    definition=case_definitions.ENGAGED_NOW_BY_SITE,
    query=cases.open_cases_by_engagement,
    counts=Counts("families", ("site", "engaged")),
    columns={"site": "Site", "engaged": "Engaged now", "families": "Families"},
    chart_for=fixed(
        partial(
            charts.bars,
            x="site",
            y="families",
            colour="engaged",
            colours=ENGAGED_COLOURS,
            horizontal=True,
            axis_titles=("Open families", ""),
            custom_data=["site", "engaged"],
            by_site=True,
        )
    ),
    prepare=lambda frame: labels.in_words(frame, {"engaged": labels.ENGAGED}),
    sites_together=SITES_AS_ONE_BAR,
    drill_to=("site", "engaged"),
)
