"""The site report: one site's figures for the period, as a ReportDocument (on screen, as a PDF).

Every figure is one of the views' own queries, asked for this one site through the viewer's
PageContext: a commissioner's scope bounds it in SQL, and the same small-number rule as on the
views is applied here, before the document exists.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, labels
from dashboard.context import PageContext
from dashboard.definitions import caseloads as caseload_definitions
from dashboard.definitions import engagement as engagement_definitions
from dashboard.definitions import outcomes as outcome_definitions
from dashboard.definitions import referrals as referral_definitions
from dashboard.definitions import safeguarding as safeguarding_definitions
from dashboard.definitions.overview import HEADLINE
from dashboard.disclosure import Counts
from dashboard.grouping import (
    ALL_PARENTS,
    ESCALATION_LEVEL_GROUPS,
    EXIT_REASON_GROUPS,
    PARENT_ROLE_GROUPS,
    SOURCE_GROUPS,
    WITHHELD,
    Grouping,
)
from dashboard.report_document import (
    Headline,
    ReportDocument,
    Section,
    with_percentages,
)
from queries import caseloads, engagement, outcomes, overview, referrals, safeguarding
from queries.scope import Filters

_OVERVIEW = {measure.column: measure for measure in HEADLINE}


class SiteNotInScope(ValueError):
    """The site asked for is not one the viewer may see."""


def _count(view: PageContext, label: str, value: float, definition: str) -> Headline:
    return Headline(label, view.disclosure.count_text(value), definition)


def _statistic(view: PageContext, label: str, value: float, cases: float, definition: str) -> Headline:
    return Headline(label, view.disclosure.statistic_text(value, cases), definition)


def _share(view: PageContext, label: str, numerator: float, denominator: float, definition: str) -> Headline:
    return Headline(label, view.disclosure.share_text(numerator, denominator), definition)


def _table(view: PageContext, frame: pd.DataFrame, counts: Counts, columns: dict[str, str],
           chart: Callable[[pd.DataFrame], go.Figure] | None = None, grouping: Grouping | None = None) -> dict:
    """A section's table (and chart drawn from what may be plotted), grouped and protected as
    the viewer's rule says (dashboard.grouping, dashboard.disclosure)."""
    if frame.empty:
        return {"notes": ("Nothing recorded for this site in the period.",)}
    protected = view.publish(frame, counts, grouping)
    if protected.table.empty:
        return {"notes": (WITHHELD,)}
    table = with_percentages(labels.in_words(protected.table), "share").rename(columns=columns)
    if chart is None or protected.all_hidden:
        return {"table": table}
    return {"table": table, "chart": chart(labels.in_words(protected.plot))}


def _totals_by(frame: pd.DataFrame, by: list[str], value: str) -> pd.DataFrame:
    return frame.groupby(by, as_index=False)[value].sum() if not frame.empty else frame


def _referrals(view: PageContext, filters: Filters) -> Section:
    stages = view.query(referrals.funnel, filters).set_index("stage")["referrals"]
    timeliness = view.query(referrals.timeliness, filters).iloc[0]
    by_source = _table(
        view, _totals_by(view.query(referrals.by_source_month, filters), ["source"], "referrals"),
        Counts("referrals", ("source",)), {"source": "Source", "referrals": "Referrals"},
        lambda frame: charts.bars(frame, x="source", y="referrals", horizontal=True,
                                  axis_titles=("Referrals", "")),
        Grouping(categories={"source": SOURCE_GROUPS}))
    return Section(
        "Referrals", referral_definitions.FUNNEL,
        headlines=(
            _count(view, "Referrals received", stages["received"], _OVERVIEW["referrals_received"].definition),
            _count(view, "Accepted", stages["accepted"], referral_definitions.FUNNEL),
            _count(view, "Enrolled", stages["enrolled"], referral_definitions.FUNNEL),
            _statistic(view, "Median days to decision", timeliness["median_days_to_decision"],
                       timeliness["referrals_decided"], referral_definitions.DAYS_TO_DECISION),
            _statistic(view, "Median days to first session", timeliness["median_days_to_first_session"],
                       timeliness["referrals_with_first_session"], referral_definitions.DAYS_TO_FIRST_SESSION),
        ),
        chart_alt="Referrals received in the period by source.", **by_source)


def _caseload(view: PageContext, filters: Filters) -> Section:
    headline = view.query(overview.headline_figures, filters).iloc[0]
    movement = view.query(caseloads.enrolments_and_exits, filters)
    exits = _table(view, _totals_by(movement[movement["movement"] != "enrolled"], ["movement"], "families"),
                   Counts("families", ("movement",)), {"movement": "Exit reason", "families": "Families"},
                   grouping=Grouping(categories={"movement": EXIT_REASON_GROUPS}))
    return Section(
        "Caseload", caseload_definitions.ENROLMENTS_AND_EXITS,
        headlines=tuple(_count(view, _OVERVIEW[column].label, headline[column], _OVERVIEW[column].definition)
                        for column in ("families_active", "new_enrolments", "exits")),
        **exits)


def _engagement(view: PageContext, filters: Filters) -> Section:
    attendance = view.query(engagement.attendance_by_site_month, filters)
    attended, offered = attendance["attended"].sum(), attendance["offered"].sum()
    mix = _table(view, _totals_by(view.query(engagement.attended_by_type_month, filters), ["session_type"], "sessions"),
                 Counts("sessions", ("session_type",)),
                 {"session_type": "Session type", "sessions": "Sessions attended"})
    return Section(
        "Engagement", engagement_definitions.SESSION_MIX,
        headlines=(_share(view, "Session attendance rate", attended, offered, engagement_definitions.ATTENDANCE),),
        **mix)


def _safeguarding(view: PageContext, filters: Filters) -> Section:
    headline = view.query(safeguarding.headline, filters).iloc[0]
    raised, within = int(headline["raised"]), int(headline["reviewed_within"])
    by_level = _table(view, _totals_by(view.query(safeguarding.by_level_month, filters), ["escalation_level"],
                                    "escalations"),
                      Counts("escalations", ("escalation_level",)), {"escalation_level": "Level",
                                                                     "escalations": "Escalations raised"},
                      grouping=Grouping(categories={"escalation_level": ESCALATION_LEVEL_GROUPS}))
    return Section(
        "Safeguarding", safeguarding_definitions.ESCALATIONS_BY_LEVEL,
        headlines=(
            _count(view, "Escalations raised", raised, safeguarding_definitions.RAISED),
            _share(view, "Reviewed in 1 working day", within, raised, safeguarding_definitions.REVIEWED_WITHIN),
            _statistic(view, "Median days to resolution", headline["median_days_to_resolution"],
                       headline["resolved"], safeguarding_definitions.MEDIAN_DAYS_TO_RESOLUTION),
            _count(view, f"Open on {headline['snapshot_on']:%d %b %Y}", headline["open_at_snapshot"],
                   safeguarding_definitions.OPEN_NOW),
        ),
        **by_level)


def _outcomes(view: PageContext, filters: Filters) -> tuple[Section, ...]:
    social_care = _table(
        view, view.query(outcomes.social_care_involvement, filters),
        Counts("families", ("involvement", "time_point"), rates={"share": "families_recorded"},
               overlapping=("time_point",), totals={"families_recorded": "involvement"}),
        {"involvement": "Social care", "time_point": "Time point", "families": "Families",
         "families_recorded": "Families with a status recorded", "share": "Share of families recorded"})
    babies = _table(
        view, view.query(outcomes.babies_within_normal_range, filters),
        Counts("babies", ("normal_range", "instrument", "time_point"), rates={"share": "babies_assessed"},
               overlapping=("instrument", "time_point"), totals={"babies_assessed": "normal_range"}),
        {"normal_range": "Result", "instrument": "Measure", "time_point": "Age", "babies": "Babies",
         "babies_assessed": "Babies assessed", "share": "Share of babies assessed"})
    parents = _table(
        view, view.query(outcomes.parent_reliable_improvement, filters),
        Counts("parents", ("improvement", "parent_role", "time_point"), rates={"share": "parents_with_both"},
               overlapping=("time_point",), totals={"parents_with_both": "improvement"}),
        {"improvement": "Change from entry", "parent_role": "Role", "time_point": "Compared with entry at",
         "parents": "Parents", "parents_with_both": "Parents with both scores", "share": "Share"},
        grouping=Grouping(categories={"parent_role": PARENT_ROLE_GROUPS},
                          coarser=Grouping(categories={"parent_role": ALL_PARENTS})))
    return (Section("Social care involvement", outcome_definitions.SOCIAL_CARE, **social_care),
            Section("Babies within the normal range", outcome_definitions.BABIES, **babies),
            Section("Parents with reliable improvement", outcome_definitions.RELIABLE_IMPROVEMENT, **parents))


def build(view: PageContext, site_id: int) -> ReportDocument:
    """The site report for one site the viewer may see, for the page's period."""
    if site_id not in view.site_names:
        raise SiteNotInScope("That site is not one of the sites you may see.")
    filters = Filters(view.filters.period, frozenset({site_id}))
    return ReportDocument(
        title="Site report", subtitle=f"{view.site_names[site_id]} · {view.filters.period.label}",
        data_as_at=view.data_as_at, synthetic=view.synthetic,
        suppression_legend=view.disclosure.legend if view.disclosure.active else None,
        suppression_footnote=view.disclosure.footnote,
        sections=(_referrals(view, filters), _caseload(view, filters), _engagement(view, filters),
                  _safeguarding(view, filters), *_outcomes(view, filters)),
    )
