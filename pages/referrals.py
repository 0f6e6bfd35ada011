"""Referral sources: where referrals come from, what becomes of them, and how quickly."""

import streamlit as st

from dashboard import charts, context, definitions, labels
from dashboard.grain import apply_grain, choose_grain
from dashboard.panels import figure_panel, page_header
from queries import referrals

view = context.current()
page_header(view, "Referral sources", "Where referrals come from, what becomes of them, and how quickly.")

timeliness = view.query(referrals.timeliness).iloc[0]
with_gestation = int(timeliness["referrals_with_gestation"])
decision_days, first_session_days = (timeliness["median_days_to_decision"],
                                     timeliness["median_days_to_first_session"])
left, middle, right = st.columns(3)
left.metric("Median days to decision",
            "–" if decision_days != decision_days else f"{decision_days:g}",
            help=definitions.DAYS_TO_DECISION, border=True)
left.caption(f"{int(timeliness['referrals_decided']):,} referrals decided")
middle.metric("Median days to first session",
              "–" if first_session_days != first_session_days else f"{first_session_days:g}",
              help=definitions.DAYS_TO_FIRST_SESSION, border=True)
middle.caption(f"{int(timeliness['referrals_with_first_session']):,} referrals reached a first session")
right.metric("Referred by 28 weeks",
             f"{timeliness['referred_by_28_weeks'] / with_gestation:.0%}" if with_gestation else "–",
             help=definitions.REFERRED_BY_28_WEEKS, border=True)
right.caption(f"of {with_gestation:,} referrals with gestation recorded")

grain = choose_grain("referral_grain")
by_source = labels.in_words(apply_grain(view.query(referrals.by_source_month), grain))
figure_panel(
    view, "Referrals by source", definitions.REFERRALS_BY_SOURCE,
    charts.bars(by_source, x="month", y="referrals", colour="source", colours=charts.SOURCE_COLOURS,
                axis_titles=(grain, "Referrals")),
    by_source, columns={"month": grain, "source": "Source", "referrals": "Referrals"},
)

by_site = labels.in_words(view.query(referrals.by_site_source))
figure_panel(
    view, "Referrals by site and source", definitions.REFERRALS_BY_SITE,
    charts.bars(by_site, x="site", y="referrals", colour="source", colours=charts.SOURCE_COLOURS,
                horizontal=True, axis_titles=("Referrals", "")),
    by_site, columns={"site": "Site", "source": "Source", "referrals": "Referrals"},
)

funnel = labels.in_words(view.query(referrals.funnel), {"stage": labels.FUNNEL_STAGE})
funnel["label"] = [
    f"{n:,}" if rate != rate else f"{n:,} ({rate:.0%})"
    for n, rate in zip(funnel["referrals"], funnel["share_of_previous"])
]
figure_panel(
    view, "Referral funnel", definitions.FUNNEL,
    charts.bars(funnel, x="stage", y="referrals", text="label", axis_titles=("", "Referrals")),
    funnel.drop(columns="label") if funnel["referrals"].iloc[0] else funnel.iloc[0:0],
    columns={"stage": "Stage", "referrals": "Referrals", "share_of_previous": "Share of stage before",
             "share_of_received": "Share of received"},
)

decisions = labels.in_words(view.query(referrals.decision_outcomes))
figure_panel(
    view, "Decisions", definitions.DECISIONS,
    charts.bars(decisions, x="decision", y="referrals", colour="decision", colours=charts.DECISION_COLOURS,
                horizontal=True, axis_titles=("Referrals", "")),
    decisions, columns={"decision": "Decision", "referrals": "Referrals"},
)

gestation = view.query(referrals.gestation_at_referral)
gestation_chart = charts.bars(gestation, x="gestation_weeks", y="referrals",
                              axis_titles=("Weeks of pregnancy at referral", "Referrals"))
gestation_chart.add_vline(x=referrals.REFERRED_BY_WEEKS + 0.5, line_dash="dash", line_color=charts.REFERENCE_GREY,
                          annotation_text="28 weeks", annotation_position="top right")
figure_panel(
    view, "Gestation at referral", definitions.GESTATION, gestation_chart, gestation,
    columns={"gestation_weeks": "Weeks of pregnancy", "referrals": "Referrals"},
)
