"""Safeguarding escalations: concerns raised, how quickly the DSL reviews them, how long they stay
open, and how families' social care involvement steps up and down."""

import streamlit as st

from dashboard.figures import safeguarding as figures
from dashboard.shell import context
from dashboard.shell.grain import time_axis_title
from dashboard.shell.panels import (
    count_metric,
    count_text,
    declared_panel,
    grouping_note,
    page_header,
    share_metric,
    statistic_metric,
)
from dashboard.words.definitions import safeguarding as definitions
from queries import safeguarding

view = context.current()
time_title = time_axis_title(view)
page_header(
    view,
    "Safeguarding escalations",
    "Concerns raised about families, how quickly the Designated Safeguarding Lead reviews them, "
    "how long they stay open, and how social care involvement changes.",
)
grouping_note(view, figures.LEVELS_BY_TIME, figures.AGE_BANDS_ONLY, figures.REVIEWS_GROUPED)
# Seven queries of a similar weight, started side by side in the page's order: each figure is
# drawn while the ones below it are worked out.
over_time = (figures.by_level(figures.COUNT, time_title), figures.by_concern(figures.COUNT, time_title))
rest = (figures.OPEN_BY_AGE, figures.DSL_REVIEW, figures.RESOLUTION, figures.SOCIAL_CARE_STEPS)
view.prefetch(safeguarding.headline, *(figure.query for figure in (*over_time, *rest)))

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
    "Show escalations over time as",
    (figures.COUNT, figures.RATE),
    default=figures.COUNT,
    key="escalation_measure",
    required=True,
)
for figure in (figures.by_level(measure, time_title), figures.by_concern(measure, time_title), *rest):
    declared_panel(view, figure)
