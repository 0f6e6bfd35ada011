"""Outcome trends: social-care involvement, babies' development and parents' wellbeing."""

import streamlit as st

from dashboard.figures import outcomes as figures
from dashboard.shell import context
from dashboard.shell.panels import declared_panel, grouping_note, page_header
from dashboard.viz.outcome_charts import ALL
from dashboard.words import labels
from dashboard.words.definitions import outcomes as definitions

view = context.current()
page_header(
    view,
    "Outcome trends",
    "How families, babies and parents are doing at each stage, from pregnancy to the baby's second birthday.",
)
st.markdown(definitions.PERIOD_RULE)
grouping_note(view, figures.ROLES_GROUPED)


def choose_breakdown(key: str, what: str) -> str:
    """All / by site / by enrolment cohort, for one measure; held in the URL like the filters."""
    return st.segmented_control(
        f"Show {what}", labels.OUTCOME_BREAKDOWNS, default=ALL, key=key, required=True, bind="query-params"
    )


# Each section's heading and choice of breakdown are drawn first, so the page knows its four
# figures and starts their queries side by side (the first figure's and the slowest first) before
# drawing any; each figure is then drawn into its section while the later ones are worked out.
social_care_section, babies_section, wellbeing_section = st.container(), st.container(), st.container()
with social_care_section:
    st.header("Social care involvement")
    social_care = figures.social_care(choose_breakdown("social_care_by", "social care involvement"))
with babies_section:
    st.header("Babies' development")
    babies = figures.babies(choose_breakdown("babies_by", "babies' development"))
with wellbeing_section:
    st.header("Parents' wellbeing")
    wellbeing_by = choose_breakdown("wellbeing_by", "parents' wellbeing")
    change, improvement = figures.wellbeing_change(wellbeing_by), figures.reliable_improvement(wellbeing_by)
view.prefetch(*(figure.query for figure in (social_care, improvement, babies, change)))

for section, drawn in (
    (social_care_section, (social_care,)),
    (babies_section, (babies,)),
    (wellbeing_section, (change, improvement)),
):
    with section:
        for figure in drawn:
            declared_panel(view, figure)
