"""Referral sources: where referrals come from, what becomes of them, and how quickly."""

import streamlit as st

from dashboard.figures import referrals as figures
from dashboard.shell import context
from dashboard.shell.grain import apply_grain, choose_grain
from dashboard.shell.panels import (
    count_text,
    declared_panel,
    grouping_note,
    page_header,
    share_metric,
    statistic_metric,
)
from dashboard.words.definitions import referrals as definitions
from queries import referrals

view = context.current()
page_header(view, "Referral sources", "Where referrals come from, what becomes of them, and how quickly.")
grouping_note(view, figures.SOURCES_GROUPED, figures.BY_SITE_TOTAL)

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
by_source = figures.by_source(grain)
declared_panel(view, by_source, by_source.prepare(apply_grain(view.query(by_source.query), grain)))
for figure in (figures.BY_SITE_SOURCE, figures.FUNNEL, figures.DECISIONS, figures.GESTATION):
    declared_panel(view, figure)
