"""The referral figures: where referrals come from, what becomes of them, and how quickly."""

from __future__ import annotations

from functools import partial

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import Figure, fixed
from dashboard.privacy.disclosure import Counts
from dashboard.privacy.grouping import SOURCE_GROUPS, Grouping
from dashboard.viz import charts
from dashboard.words import labels
from dashboard.words.definitions import SITES_AS_ONE_BAR
from dashboard.words.definitions import referrals as definitions
from queries import referrals

SOURCES_GROUPED = Grouping(time="month", categories={"source": SOURCE_GROUPS})
BY_SITE_TOTAL = Grouping(over=("source",))


def by_source(grain: str) -> Figure:
    """By month (or `grain`: quarter, or a protected viewer's grouping) and source."""
    return Figure(
        title="Referrals by source",
        definition=definitions.REFERRALS_BY_SOURCE,
        query=referrals.by_source_month,
        counts=Counts("referrals", ("month", "source")),
        columns={"month": grain, "source": "Source", "referrals": "Referrals"},
        grouping=SOURCES_GROUPED,
        chart_for=fixed(
            partial(
                charts.bars,
                x="month",
                y="referrals",
                colour="source",
                colours=charts.SOURCE_COLOURS,
                axis_titles=(grain, "Referrals"),
            )
        ),
    )


def _by_site_chart(frame: pd.DataFrame) -> go.Figure:
    # Split by source where the table is (as each site's total where it is grouped so).
    split = "source" in frame
    return charts.bars(
        frame,
        x="site",
        y="referrals",
        colour="source" if split else None,
        colours=charts.SOURCE_COLOURS,
        horizontal=True,
        axis_titles=("Referrals", ""),
        custom_data=["site", "source"] if split else ["site"],
        by_site=True,
    )


BY_SITE_SOURCE = Figure(
    title="Referrals by site and source",
    definition=definitions.REFERRALS_BY_SITE,
    query=referrals.by_site_source,
    counts=Counts("referrals", ("site", "source")),
    columns={"site": "Site", "source": "Source", "referrals": "Referrals"},
    grouping=BY_SITE_TOTAL,
    chart_for=fixed(_by_site_chart),
    sites_together=SITES_AS_ONE_BAR,
    drill_to=("site", "source"),  # which of these referrals are open cases now
)


def _funnel_chart(frame: pd.DataFrame) -> go.Figure:
    frame = frame.assign(
        label=[
            "" if n != n else (f"{n:,.0f}" if rate != rate else f"{n:,.0f} ({rate:.0%})")
            for n, rate in zip(frame["referrals"], frame["share_of_previous"])
        ]
    )
    return charts.bars(frame, x="stage", y="referrals", text="label", axis_titles=("", "Referrals"))


def _funnel_in_words(frame: pd.DataFrame) -> pd.DataFrame:
    funnel = labels.in_words(frame, {"stage": labels.FUNNEL_STAGE})
    return funnel if funnel["referrals"].iloc[0] else funnel.iloc[0:0]  # nothing received: nothing to show


FUNNEL = Figure(
    title="Referral funnel",
    definition=definitions.FUNNEL,
    query=referrals.funnel,
    counts=Counts("referrals", ("stage",), rates={"share_of_previous": "previous_stage"}, overlapping=("stage",)),
    columns={
        "stage": "Stage",
        "referrals": "Referrals",
        "previous_stage": "At the stage before",
        "share_of_previous": "Share of the stage before",
    },
    chart_for=fixed(_funnel_chart),
    prepare=_funnel_in_words,
)

DECISIONS = Figure(
    title="Decisions",
    definition=definitions.DECISIONS,
    query=referrals.decision_outcomes,
    counts=Counts("referrals", ("decision",)),
    columns={"decision": "Decision", "referrals": "Referrals"},
    chart_for=fixed(
        partial(
            charts.bars,
            x="decision",
            y="referrals",
            colour="decision",
            colours=charts.DECISION_COLOURS,
            horizontal=True,
            axis_titles=("Referrals", ""),
        )
    ),
)


def _gestation_chart(frame: pd.DataFrame) -> go.Figure:
    figure = charts.bars(frame, x="band", y="referrals", axis_titles=("Weeks of pregnancy at referral", "Referrals"))
    figure.add_vline(
        x=4.5,
        line_dash="dash",
        line_color=charts.REFERENCE_GREY,
        annotation_text="28 weeks",
        annotation_position="top left",
    )
    return figure


GESTATION = Figure(
    title="Gestation at referral",
    definition=definitions.GESTATION,
    query=referrals.gestation_at_referral,
    counts=Counts("referrals", ("band",)),
    columns={"band": "Weeks of pregnancy", "referrals": "Referrals"},
    chart_for=fixed(_gestation_chart),
    prepare=lambda frame: frame if frame["referrals"].sum() else frame.iloc[0:0],  # none with gestation: none
)
