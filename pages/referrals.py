"""Referral sources: where referrals come from, what becomes of them, and how quickly."""

from functools import partial

import streamlit as st

from dashboard.privacy.disclosure import Counts
from dashboard.privacy.grouping import SOURCE_GROUPS, Grouping
from dashboard.shell import context
from dashboard.shell.grain import apply_grain, choose_grain
from dashboard.shell.panels import count_text, figure_panel, grouping_note, page_header, share_metric, statistic_metric
from dashboard.viz import charts
from dashboard.words import labels
from dashboard.words.definitions import referrals as definitions
from queries import referrals

SOURCES_GROUPED = Grouping(time="month", categories={"source": SOURCE_GROUPS})
BY_SITE_TOTAL = Grouping(over=("source",))

view = context.current()
page_header(view, "Referral sources", "Where referrals come from, what becomes of them, and how quickly.")
grouping_note(view, SOURCES_GROUPED, BY_SITE_TOTAL)

timeliness = view.query(referrals.timeliness).iloc[0]
left, middle, right = st.columns(3)
with left:
    statistic_metric(
        view,
        "Median days to decision",
        timeliness["median_days_to_decision"],
        timeliness["referrals_decided"],
        "{:g}",
        definitions.DAYS_TO_DECISION,
    )
    st.caption(f"{count_text(view, timeliness['referrals_decided'])} referrals decided")
with middle:
    statistic_metric(
        view,
        "Median days to first session",
        timeliness["median_days_to_first_session"],
        timeliness["referrals_with_first_session"],
        "{:g}",
        definitions.DAYS_TO_FIRST_SESSION,
    )
    st.caption(f"{count_text(view, timeliness['referrals_with_first_session'])} referrals reached a first session")
with right:
    with_gestation = timeliness["referrals_with_gestation"]
    share_metric(
        view,
        "Referred by 28 weeks",
        timeliness["referred_by_28_weeks"],
        with_gestation,
        definitions.REFERRED_BY_28_WEEKS,
    )
    st.caption(f"of {count_text(view, with_gestation)} referrals with gestation recorded")

grain = choose_grain(view, "referral_grain")
figure_panel(
    view,
    "Referrals by source",
    definitions.REFERRALS_BY_SOURCE,
    labels.in_words(apply_grain(view.query(referrals.by_source_month), grain)),
    partial(
        charts.bars,
        x="month",
        y="referrals",
        colour="source",
        colours=charts.SOURCE_COLOURS,
        axis_titles=(grain, "Referrals"),
    ),
    columns={"month": grain, "source": "Source", "referrals": "Referrals"},
    counts=Counts("referrals", ("month", "source")),
    grouping=SOURCES_GROUPED,
)


def by_site_chart(frame):
    # Split by source where the table is (as each site's total where it is grouped so).
    by_source = "source" in frame
    return charts.bars(
        frame,
        x="site",
        y="referrals",
        colour="source" if by_source else None,
        colours=charts.SOURCE_COLOURS,
        horizontal=True,
        axis_titles=("Referrals", ""),
        custom_data=["site", "source"] if by_source else ["site"],
        by_site=True,
    )


by_site_source = labels.in_words(view.query(referrals.by_site_source))
figure_panel(
    view,
    "Referrals by site and source",
    charts.defined_for_its_sites(definitions.REFERRALS_BY_SITE, by_site_source),
    by_site_source,
    by_site_chart,
    columns={"site": "Site", "source": "Source", "referrals": "Referrals"},
    counts=Counts("referrals", ("site", "source")),
    grouping=BY_SITE_TOTAL,
    drill_to=("site", "source"),  # which of these referrals are open cases now
)


def funnel_chart(frame):
    frame = frame.assign(
        label=[
            "" if n != n else (f"{n:,.0f}" if rate != rate else f"{n:,.0f} ({rate:.0%})")
            for n, rate in zip(frame["referrals"], frame["share_of_previous"])
        ]
    )
    return charts.bars(frame, x="stage", y="referrals", text="label", axis_titles=("", "Referrals"))


funnel = labels.in_words(view.query(referrals.funnel), {"stage": labels.FUNNEL_STAGE})
figure_panel(
    view,
    "Referral funnel",
    definitions.FUNNEL,
    funnel if funnel["referrals"].iloc[0] else funnel.iloc[0:0],
    funnel_chart,
    columns={
        "stage": "Stage",
        "referrals": "Referrals",
        "previous_stage": "At the stage before",
        "share_of_previous": "Share of the stage before",
    },
    counts=Counts("referrals", ("stage",), rates={"share_of_previous": "previous_stage"}, overlapping=("stage",)),
)

figure_panel(
    view,
    "Decisions",
    definitions.DECISIONS,
    labels.in_words(view.query(referrals.decision_outcomes)),
    partial(
        charts.bars,
        x="decision",
        y="referrals",
        colour="decision",
        colours=charts.DECISION_COLOURS,
        horizontal=True,
        axis_titles=("Referrals", ""),
    ),
    columns={"decision": "Decision", "referrals": "Referrals"},
    counts=Counts("referrals", ("decision",)),
)


def gestation_chart(frame):
    figure = charts.bars(frame, x="band", y="referrals", axis_titles=("Weeks of pregnancy at referral", "Referrals"))
    figure.add_vline(
        x=4.5,
        line_dash="dash",
        line_color=charts.REFERENCE_GREY,
        annotation_text="28 weeks",
        annotation_position="top left",
    )
    return figure


gestation = view.query(referrals.gestation_at_referral)
figure_panel(
    view,
    "Gestation at referral",
    definitions.GESTATION,
    gestation if gestation["referrals"].sum() else gestation.iloc[0:0],
    gestation_chart,
    columns={"band": "Weeks of pregnancy", "referrals": "Referrals"},
    counts=Counts("referrals", ("band",)),
)
