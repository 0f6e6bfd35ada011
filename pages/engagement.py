"""Engagement and retention: whether mothers, fathers and co-parents stay engaged, and how sessions go."""

import streamlit as st

from dashboard.figures import engagement as figures
from dashboard.privacy.grouping import BY_TIME
from dashboard.shell import context
from dashboard.shell.grain import MONTH, apply_grain, choose_grain
from dashboard.shell.panels import csv_download, csv_file_name, declared_panel, grouping_note, page_header
from dashboard.words import labels
from dashboard.words.definitions import engagement as definitions
from queries import engagement

view = context.current()
page_header(
    view,
    "Engagement and retention",
    "Whether mothers, fathers and other co-parents stay engaged from pregnancy to the baby's "
    "second birthday, and how offered sessions go.",
)
grouping_note(view, figures.YEARLY_COHORTS, BY_TIME, figures.PARTNERS_TOGETHER)
st.info(definitions.ENGAGED, icon=":material/handshake:")
# Where small numbers are hidden the survival curve is drawn from the table's six-monthly points
# (as protected); otherwise it steps at every day a parent's follow-up ends.
every_day_curve = not view.disclosure.active
survival_by_role = view.as_grouped(engagement.survival_every_six_months, engagement.survival_of_mothers_and_partners)
# The attendance query takes longest at scale: it starts first.
view.prefetch(
    figures.attendance(MONTH).query,
    figures.RETENTION.query,
    survival_by_role,
    *((engagement.time_to_disengagement,) if every_day_curve else ()),
    figures.session_mix(MONTH).query,
    figures.ENGAGED_NOW.query,
)

declared_panel(view, figures.RETENTION)

exact = labels.in_words(view.query(engagement.time_to_disengagement)) if every_day_curve else None
survival = figures.time_to_disengagement(survival_by_role, exact)
declared_panel(view, survival)
if exact is not None and not exact.empty:
    csv_download(
        "Download the estimate at every day a follow-up ends (CSV)",
        exact.rename(columns=figures.EVERY_DAY_COLUMNS),
        csv_file_name(view, "Time to disengagement every day"),
        key="csv-time-to-disengagement-every-day",
    )

for key, declared in (("attendance_grain", figures.attendance), ("mix_grain", figures.session_mix)):
    grain = choose_grain(view, key)
    figure = declared(grain)
    declared_panel(view, figure, figure.prepare(apply_grain(view.query(figure.query), grain)))

declared_panel(view, figures.ENGAGED_NOW)
